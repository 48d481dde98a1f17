"""Where the master keys come from, and what happens when they are missing or wrong."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from django.core import checks

from mash.keys import keyring
from mash.keys.checks import keyring_configured


@pytest.fixture
def no_configured_key(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> Path:
    for name in (
        "MASH_MASTER_KEY",
        "MASH_MASTER_KEY_FILE",
        "MASH_MASTER_KEY_PREVIOUS",
        "MASH_REQUIRE_MASTER_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    settings.DATA_DIR = tmp_path / "data"
    keyring.forget()
    return settings.DATA_DIR


def test_the_development_key_file_is_created_readable_only_by_the_hub(
    no_configured_key: Path,
) -> None:
    ring = keyring.keyring()
    path = no_configured_key / "master_key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert ring.source == "development file"
    keyring.forget()
    assert keyring.keyring().current == ring.current  # the same key next time


def test_production_can_refuse_to_start_without_a_configured_key(
    no_configured_key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MASH_REQUIRE_MASTER_KEY", "true")
    with pytest.raises(keyring.KeyringError, match="MASH_REQUIRE_MASTER_KEY"):
        keyring.keyring()
    assert not (no_configured_key / "master_key").exists()


def test_the_deploy_check_warns_about_the_development_key(no_configured_key: Path) -> None:
    [warning] = keyring_configured()
    assert warning.id == "mash.keys.W001"
    assert warning.level == checks.WARNING


def test_a_key_from_the_environment(no_configured_key: Path, monkeypatch: Any) -> None:
    key = keyring.generate_key_text()
    monkeypatch.setenv("MASH_MASTER_KEY", key)
    ring = keyring.keyring()
    assert ring.source == "environment"
    assert ring.current.key == base64.b64decode(key)
    assert keyring_configured() == []
    assert key not in repr(ring)


def test_a_key_file_with_current_and_previous_keys(
    no_configured_key: Path, monkeypatch: Any, tmp_path: Path
) -> None:
    current, previous = keyring.generate_key_text(), keyring.generate_key_text()
    path = tmp_path / "keys"
    path.write_text(f"# the hub's master keys\n{current}\n{previous}  # retired 2026-11\n")
    monkeypatch.setenv("MASH_MASTER_KEY_FILE", str(path))
    ring = keyring.keyring()
    assert ring.source == "file"
    assert ring.current.key == base64.b64decode(current)
    assert [k.key for k in ring.previous] == [base64.b64decode(previous)]


@pytest.mark.parametrize(
    ("value", "message"),
    [("not base64!", "not base64"), (base64.b64encode(b"short").decode(), "must be 32 bytes")],
)
def test_a_malformed_key_is_refused_naming_where_it_came_from(
    no_configured_key: Path, monkeypatch: Any, value: str, message: str
) -> None:
    monkeypatch.setenv("MASH_MASTER_KEY", value)
    with pytest.raises(keyring.KeyringError, match=message) as error:
        keyring.keyring()
    assert "MASH_MASTER_KEY" in str(error.value)
    assert value not in str(error.value)


def test_with_the_key_required_the_hub_does_not_start_without_one(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("MASH_MASTER_KEY")}
    env.update(MASH_DATA_DIR=str(tmp_path), MASH_REQUIRE_MASTER_KEY="true")
    mash = [sys.executable, "-m", "mash.cli"]
    refused = subprocess.run([*mash, "check"], env=env, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "MASH_REQUIRE_MASTER_KEY is on" in refused.stderr
    assert not (tmp_path / "master_key").exists()

    generated = subprocess.run([*mash, "keys", "generate"], env=env, capture_output=True, text=True)
    assert generated.returncode == 0, generated.stderr
    key = generated.stdout.strip()
    assert len(base64.b64decode(key)) == 32
    started = subprocess.run(
        [*mash, "check"], env={**env, "MASH_MASTER_KEY": key}, capture_output=True, text=True
    )
    assert started.returncode == 0, started.stderr
