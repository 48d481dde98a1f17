"""The setting "DPO approval required for each sweep batch" is off by default; while it
is off (no settings, or settings with it unticked) the sweep destroys what has passed
its retention as it always did, and plans no batch."""

from __future__ import annotations

from typing import Any

import pytest

from mash.retention import services
from mash.retention.models import RetentionSettings, SweepBatch, hubs_requiring_approval
from tests.retention.batches import require_approval
from tests.retention.dataset import TODAY
from tests.retention.helpers import wrong_rows


def test_it_is_off_for_a_hub_without_settings(db: Any, agencies: dict[str, Any]) -> None:
    assert hubs_requiring_approval() == set()
    assert RetentionSettings(hub=agencies["hub"]).approval_required is False


@pytest.mark.parametrize("settings_row", [False, True], ids=["no settings", "setting unticked"])
def test_while_it_is_off_the_sweep_destroys_without_asking(
    generated: Any, settings_row: bool
) -> None:
    from mash.agencies.models import Agency

    if settings_row:
        for hub in Agency.objects.filter(is_hub=True):
            require_approval(hub, required=False)

    run = services.sweep(today=TODAY)

    assert run.records_destroyed > 0
    assert wrong_rows(generated) == []
    assert not SweepBatch.objects.exists()
