from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def generated(db: Any, agencies: dict[str, Any]) -> Any:
    """A generated data set in the test database (small: the 100,000 run is in
    tests/bench/bench_retention.py)."""
    from tests.retention.dataset import generate

    return generate(150)


@pytest.fixture(scope="session")
def swept_database(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A SQLite file swept by real, SIGKILLed ``mash retention sweep`` processes."""
    import os

    if os.environ.get("DATABASE_URL"):
        pytest.skip("a real SQLite file: only when the suite runs on SQLite")
    from tests.retention.swept_database import build

    return build(tmp_path_factory.mktemp("swept"))


@pytest.fixture
def item(db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    """Health's item about the child of a generated enquiry (tests/records' objects)."""
    from mash.sharing.models import SharingSettings
    from tests.records.personal_data_views import Objects

    # Rectification, not sign-off, is under test: the share reaches the hub at once.
    SharingSettings.objects.create(hub=agencies["hub"], signoff_for_consent_overrides=False)
    decision = Objects(cast, agencies).decision
    return decision.items.get()
