"""An enquiry kept "N years from the last activity": every change recorded on it (in
the record) restarts the clock; views do not."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.utils import timezone

from mash.records.models import Action
from mash.records.services import record
from mash.retention import services
from mash.retention.models import RetentionRule
from tests.retention.dataset import TODAY, generate
from tests.retention.helpers import present_ids


def _at(day: dt.date) -> Any:
    return mock.patch.object(
        timezone, "now", return_value=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    )


def test_a_recorded_change_restarts_the_clock_and_a_view_does_not(
    db: Any, agencies: dict[str, Any], cast: dict[str, Any]
) -> None:
    old = [g for g in generate(40) if g.fate == "old"]
    changed, viewed = old[0], old[1]
    RetentionRule.objects.filter(kind="enquiry_nfa").update(
        amount=2, unit="years", trigger="last_activity"
    )
    with _at(TODAY - dt.timedelta(days=100)):
        record(
            action=Action.ENQUIRY_CHANGED,
            actor=cast["hub_practitioner"],
            object_type="enquiries.enquiry",
            object_id=changed.enquiry_id,
            enquiry=changed.enquiry_id,
        )
        record(
            action=Action.ENQUIRY_VIEWED,
            actor=cast["hub_practitioner"],
            object_type="enquiries.enquiry",
            object_id=viewed.enquiry_id,
            enquiry=viewed.enquiry_id,
        )

    services.sweep(today=TODAY)

    enquiries = present_ids()["enquiry"]
    assert changed.enquiry_id in enquiries
    assert viewed.enquiry_id not in enquiries
