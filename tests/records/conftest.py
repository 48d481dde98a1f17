from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _signing_key_in_tmp(monkeypatch: Any, tmp_path: Path) -> Path:
    """Each test gets its own checkpoint signing key file, created on first use."""
    path = tmp_path / "record_signing_key"
    monkeypatch.delenv("MASH_RECORD_SIGNING_KEY", raising=False)
    monkeypatch.setenv("MASH_RECORD_SIGNING_KEY_FILE", str(path))
    return path
