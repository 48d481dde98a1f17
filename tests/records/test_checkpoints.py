from __future__ import annotations

import base64
import json
import stat
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mash.records.models import Action, Checkpoint, RecordEntry
from tests.records.helpers import fill, run_records


def _other_public_key(tmp_path: Path) -> Path:
    path = tmp_path / "other.pub.pem"
    path.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return path


def test_a_checkpoint_signs_the_head_and_is_kept_in_the_database_and_a_file(
    db: Any, tmp_path: Path, _signing_key_in_tmp: Path
) -> None:
    entries = fill(5)
    out = tmp_path / "checkpoint.json"
    code, output = run_records("checkpoint", "--out", str(out))
    assert code == 0, output
    document = json.loads(out.read_text())
    assert document["statement"]["seq"] == 5
    assert document["statement"]["hash"] == entries[-1].hash
    stored = Checkpoint.objects.get()
    assert (stored.seq, stored.hash, stored.key_fingerprint) == (
        5,
        entries[-1].hash,
        document["public_key_fingerprint"],
    )
    assert RecordEntry.objects.order_by("-seq").first().action == Action.CHECKPOINT_SIGNED
    assert stat.S_IMODE(_signing_key_in_tmp.stat().st_mode) == 0o600


def test_verify_checks_the_chain_against_a_checkpoint_file_and_the_public_key(
    db: Any, tmp_path: Path
) -> None:
    fill(5)
    out = tmp_path / "checkpoint.json"
    run_records("checkpoint", "--out", str(out))
    public = tmp_path / "record.pub.pem"
    code, pem = run_records("public-key")
    assert code == 0 and pem.startswith("-----BEGIN PUBLIC KEY-----")
    public.write_text(pem)
    code, output = run_records("verify", "--checkpoint", str(out), "--public-key", str(public))
    assert code == 0, output
    assert "Last checkpoint: entry 5" in output


def test_a_checkpoint_does_not_verify_with_another_key(db: Any, tmp_path: Path) -> None:
    fill(3)
    out = tmp_path / "checkpoint.json"
    run_records("checkpoint", "--out", str(out))
    code, output = run_records(
        "verify", "--checkpoint", str(out), "--public-key", str(_other_public_key(tmp_path))
    )
    assert code == 1
    assert "(signature)" in output
    assert "not a key given to check it" in output


def test_a_checkpoint_file_altered_after_signing_does_not_verify(db: Any, tmp_path: Path) -> None:
    fill(3)
    out = tmp_path / "checkpoint.json"
    run_records("checkpoint", "--out", str(out))
    document = json.loads(out.read_text())
    document["statement"]["seq"] = 2
    out.write_text(json.dumps(document))
    code, output = run_records("verify", "--checkpoint", str(out))
    assert code == 1
    assert "signature does not verify" in output


def test_the_key_can_come_from_the_environment_as_raw_base64_or_pem(
    db: Any, monkeypatch: Any
) -> None:
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    expected = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    for value in (base64.b64encode(raw).decode(), pem):
        monkeypatch.setenv("MASH_RECORD_SIGNING_KEY", value)
        assert run_records("public-key") == (0, expected)


def test_a_bad_key_or_a_missing_file_is_a_usage_error(
    db: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    code, output = run_records("verify", "--checkpoint", str(tmp_path / "nowhere.json"))
    assert code == 2 and "cannot read checkpoint" in output
    monkeypatch.setenv("MASH_RECORD_SIGNING_KEY", "not a key")
    code, output = run_records("checkpoint")
    assert code == 2 and "does not hold an Ed25519 private key" in output


def test_a_stored_checkpoint_changed_behind_the_triggers_back_is_noticed(db: Any) -> None:
    from tests.records.helpers import without_triggers

    entries = fill(4)
    run_records("checkpoint")
    with without_triggers():
        Checkpoint.objects.update(seq=3, hash=entries[2].hash)
    code, output = run_records("verify")
    assert code == 1
    assert "(signature)" in output and "does not say what it signed" in output
