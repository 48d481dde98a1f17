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
