from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def generated(db: Any, agencies: dict[str, Any]) -> Any:
    """A generated data set in the test database (small: the 100,000 run is in
    tests/bench/bench_retention.py)."""
    from tests.retention.dataset import generate

    return generate(240)
