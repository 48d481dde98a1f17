"""RFC 3161 timestamps of signed checkpoints (issue 16): a time-stamping authority the
operator names vouches for when each checkpoint existed, so the hub's keeper cannot
sign a checkpoint later and date it earlier. Tested against a TSA on 127.0.0.1 made in
the test (tests/records/local_tsa.py), with its own self-signed certificate."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from rfc3161_client import decode_timestamp_response

from mash.records import signing, witness
from mash.records.models import Checkpoint, CheckpointTimestamp
from mash.records.services import sign_checkpoint, sign_checkpoint_if_due
from tests.records.helpers import fill, run_records, without_triggers
from tests.records.local_tsa import LocalTSA, local_tsa, make_tsa_certificate

Capture = Callable[..., Any]


@pytest.fixture
def witness_dir(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "witness"
    settings.MASH_RECORD_WITNESS_DIR = str(path)
    return path


@pytest.fixture
def tsa(settings: Any, tmp_path: Path) -> Iterator[LocalTSA]:
    """The local TSA, named in the settings with its certificate file."""
    with local_tsa() as server:
        settings.MASH_RECORD_TSA_URL = server.url
        settings.MASH_RECORD_TSA_CERT_FILE = str(server.certificate_file(tmp_path))
        settings.MASH_RECORD_TSA_TIMEOUT = 5.0
        yield server


def _checkpoint(capture: Capture) -> Checkpoint:
    """Sign a checkpoint and let it commit (the TSA is asked, then the witness written)."""
    with capture(execute=True):
        checkpoint, _document = sign_checkpoint()
    return checkpoint


def _witnessed(directory: Path) -> list[dict[str, Any]]:
    lines = (directory / witness.CHECKPOINTS_FILE).read_text().splitlines()
    return [json.loads(line) for line in lines]


def _rewrite_witness(directory: Path, documents: list[dict[str, Any]]) -> None:
    (directory / witness.CHECKPOINTS_FILE).write_text(
        "".join(json.dumps(d, sort_keys=True, separators=(",", ":")) + "\n" for d in documents)
    )


def _flip_last_byte(token: str) -> str:
    raw = bytearray(base64.b64decode(token))
    raw[-3] ^= 0x01  # inside the signature, the last field of the reply
    return base64.b64encode(bytes(raw)).decode()


# --- obtained and verified ---------------------------------------------------------------


def test_a_signed_checkpoint_gets_a_tsa_token_for_its_statement_kept_in_the_database_and_witness(
    db: Any, witness_dir: Path, tsa: LocalTSA, django_capture_on_commit_callbacks: Capture
) -> None:
    fill(5)
    checkpoint = _checkpoint(django_capture_on_commit_callbacks)

    assert tsa.requests == 1
    stamp = CheckpointTimestamp.objects.get()
    assert stamp.checkpoint_id == checkpoint.pk
    reply = decode_timestamp_response(base64.b64decode(stamp.token))
    statement = checkpoint.statement.encode()
    assert reply.tst_info.message_imprint.message == hashlib.sha256(statement).digest()
    assert reply.tst_info.gen_time == stamp.time
    [document] = _witnessed(witness_dir)
    assert document["timestamp"]["type"] == "rfc3161"
    assert document["timestamp"]["token"] == stamp.token
    assert signing.statement_bytes(document["statement"]) == statement


def test_verify_checks_and_reports_the_timestamps(
    db: Any, witness_dir: Path, tsa: LocalTSA, django_capture_on_commit_callbacks: Capture
) -> None:
    fill(5)
    _checkpoint(django_capture_on_commit_callbacks)
    fill(3)
    second = _checkpoint(django_capture_on_commit_callbacks)
    code, output = run_records("verify")
    assert code == 0, output
    assert (
        "Timestamps: 2 of 2 checkpoint(s) carry an RFC 3161 timestamp of their statement "
        "(signed by the TSA the certificate names); the latest is for entry "
        f"{second.seq}, TSA time "
    ) in output


def test_without_a_tsa_certificate_verify_says_only_the_imprint_was_checked(
    db: Any,
    witness_dir: Path,
    tsa: LocalTSA,
    settings: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    fill(2)
    _checkpoint(django_capture_on_commit_callbacks)
    settings.MASH_RECORD_TSA_CERT_FILE = ""
    code, output = run_records("verify")
    assert code == 0, output
    assert "imprint only: no TSA certificate to check signatures" in output


def test_the_workers_scheduled_checkpoint_is_timestamped_too(
    db: Any,
    witness_dir: Path,
    tsa: LocalTSA,
    settings: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.MASH_RECORD_CHECKPOINT_MINUTES = 5
    fill(4)
    with django_capture_on_commit_callbacks(execute=True):
        checkpoint = sign_checkpoint_if_due(now=timezone.now())
    assert checkpoint is not None
    assert CheckpointTimestamp.objects.get().checkpoint_id == checkpoint.pk
    assert "timestamp" in _witnessed(witness_dir)[0]


@pytest.mark.django_db(transaction=True)
def test_the_checkpoint_file_carries_the_token_and_verify_checks_it_against_the_file(
    witness_dir: Path, tsa: LocalTSA, tmp_path: Path
) -> None:
    fill(3)
    out = tmp_path / "checkpoint.json"
    code, output = run_records("checkpoint", "--out", str(out))
    assert code == 0, output
    document = json.loads(out.read_text())
    assert document["timestamp"]["token"] == CheckpointTimestamp.objects.get().token

    document["timestamp"]["token"] = _flip_last_byte(document["timestamp"]["token"])
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(document))
    code, output = run_records("verify", "--checkpoint", str(altered))
    assert code == 1
    assert "(timestamp)" in output and "(in a file)" in output


# --- tampering ---------------------------------------------------------------------------


def test_a_token_altered_in_the_witness_is_a_break(
    db: Any, witness_dir: Path, tsa: LocalTSA, django_capture_on_commit_callbacks: Capture
) -> None:
    fill(4)
    checkpoint = _checkpoint(django_capture_on_commit_callbacks)
    [document] = _witnessed(witness_dir)
    document["timestamp"]["token"] = _flip_last_byte(document["timestamp"]["token"])
    _rewrite_witness(witness_dir, [document])

    code, output = run_records("verify")
    assert code == 1
    assert f"entry {checkpoint.seq} (timestamp)" in output
    assert (
        f"the timestamp of the checkpoint at entry {checkpoint.seq} (in the witness) cannot be "
        "trusted: its signature does not verify: the token was altered"
    ) in output


def test_a_token_moved_onto_another_checkpoint_does_not_match_its_statement(
    db: Any, witness_dir: Path, tsa: LocalTSA, django_capture_on_commit_callbacks: Capture
) -> None:
    fill(4)
    _checkpoint(django_capture_on_commit_callbacks)
    fill(2)
    second = _checkpoint(django_capture_on_commit_callbacks)
    first_document, second_document = _witnessed(witness_dir)
    # The keeper dates the later checkpoint with the earlier checkpoint's (earlier) token.
    second_document["timestamp"] = first_document["timestamp"]
    _rewrite_witness(witness_dir, [first_document, second_document])

    code, output = run_records("verify")
    assert code == 1
    assert (
        f"the timestamp of the checkpoint at entry {second.seq} (in the witness) cannot be "
        "trusted: its message imprint is not the checkpoint statement's hash"
    ) in output


def test_a_token_changed_in_the_database_is_a_break(
    db: Any, witness_dir: Path, tsa: LocalTSA, django_capture_on_commit_callbacks: Capture
) -> None:
    fill(4)
    checkpoint = _checkpoint(django_capture_on_commit_callbacks)
    stamp = CheckpointTimestamp.objects.get()
    with without_triggers():
        CheckpointTimestamp.objects.filter(pk=stamp.pk).update(token=_flip_last_byte(stamp.token))
    code, output = run_records("verify")
    assert code == 1
    assert (
        f"the timestamp of the checkpoint at entry {checkpoint.seq} (in the database) cannot "
        "be trusted"
    ) in output


def test_a_token_from_another_tsa_does_not_check_against_the_configured_certificate(
    db: Any,
    witness_dir: Path,
    tsa: LocalTSA,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    fill(3)
    _checkpoint(django_capture_on_commit_callbacks)
    _key, other = make_tsa_certificate("Another TSA")
    other_file = tmp_path / "other-tsa.pem"
    other_file.write_bytes(other.public_bytes(serialization.Encoding.PEM))

    code, output = run_records("verify", "--tsa-cert", str(other_file))
    assert code == 1
    assert "does not check against the TSA certificate given" in output


def test_the_timestamps_table_is_append_only(
    db: Any, witness_dir: Path, tsa: LocalTSA, django_capture_on_commit_callbacks: Capture
) -> None:
    fill(2)
    _checkpoint(django_capture_on_commit_callbacks)
    for change in (
        lambda: CheckpointTimestamp.objects.update(token="forged"),
        lambda: CheckpointTimestamp.objects.all().delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert CheckpointTimestamp.objects.count() == 1
    assert connection.vendor in ("sqlite", "postgresql")


# --- a TSA that is down ------------------------------------------------------------------


def test_a_tsa_that_is_down_does_not_stop_the_checkpoint_and_the_next_one_asks_again(
    db: Any,
    witness_dir: Path,
    tsa: LocalTSA,
    settings: Any,
    caplog: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    fill(4)
    tsa.down()
    with caplog.at_level(logging.WARNING, logger="mash.records.timestamps"):
        first = _checkpoint(django_capture_on_commit_callbacks)

    # Signed, kept and witnessed all the same, untimestamped.
    assert Checkpoint.objects.filter(pk=first.pk).exists()
    assert not CheckpointTimestamp.objects.exists()
    [document] = _witnessed(witness_dir)
    assert document["statement"]["seq"] == first.seq and "timestamp" not in document
    [message] = [r.getMessage() for r in caplog.records if r.name == "mash.records.timestamps"]
    assert f"record checkpoint {first.pk} (entry {first.seq}) not timestamped" in message
    assert "could not be reached" in message and "the next checkpoint asks again" in message
    assert "127.0.0.1" not in message  # the TSA's address may carry credentials

    # The TSA is back: the next checkpoint is timestamped, and the record verifies.
    with local_tsa() as back:
        settings.MASH_RECORD_TSA_URL = back.url
        settings.MASH_RECORD_TSA_CERT_FILE = str(back.certificate_file(witness_dir.parent))
        fill(2)
        second = _checkpoint(django_capture_on_commit_callbacks)
    assert CheckpointTimestamp.objects.get().checkpoint_id == second.pk
    code, output = run_records("verify")
    assert code == 0, output
    assert "Timestamps: 1 of 2 checkpoint(s) carry an RFC 3161 timestamp" in output


def test_a_tsa_answering_an_error_is_logged_and_the_checkpoint_still_witnessed(
    db: Any,
    witness_dir: Path,
    tsa: LocalTSA,
    caplog: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    fill(3)
    tsa.failing = True
    with caplog.at_level(logging.WARNING, logger="mash.records.timestamps"):
        checkpoint = _checkpoint(django_capture_on_commit_callbacks)
    assert "the TSA answered HTTP 500" in caplog.text
    assert not CheckpointTimestamp.objects.exists()
    assert _witnessed(witness_dir)[0]["statement"]["seq"] == checkpoint.seq
    code, output = run_records("verify")
    assert code == 0, output
    assert "Timestamps: none of 1 checkpoint(s) carries an RFC 3161 timestamp" in output


def test_a_tsa_that_does_not_answer_in_time_is_given_up_on_and_the_checkpoint_witnessed(
    db: Any,
    witness_dir: Path,
    tsa: LocalTSA,
    settings: Any,
    caplog: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.MASH_RECORD_TSA_TIMEOUT = 0.3
    tsa.delay = 2.0
    fill(2)
    with caplog.at_level(logging.WARNING, logger="mash.records.timestamps"):
        checkpoint = _checkpoint(django_capture_on_commit_callbacks)
    assert "not timestamped: the TSA could not be reached" in caplog.text
    assert not CheckpointTimestamp.objects.exists()
    assert _witnessed(witness_dir)[0]["statement"]["seq"] == checkpoint.seq


def test_a_token_for_the_wrong_statement_is_refused_when_obtained(
    db: Any,
    witness_dir: Path,
    tsa: LocalTSA,
    caplog: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    """A TSA (or someone between) answering with a token for something else: not kept."""
    from tests.records import local_tsa as module

    original = module.reply

    def wrong(request_der: bytes, *args: Any) -> bytes:
        from asn1crypto import tsp

        request = tsp.TimeStampReq.load(request_der)
        request["message_imprint"]["hashed_message"] = hashlib.sha256(b"other").digest()
        return original(request.dump(force=True), *args)

    monkeypatch.setattr(module, "reply", wrong)
    fill(2)
    with caplog.at_level(logging.WARNING, logger="mash.records.timestamps"):
        _checkpoint(django_capture_on_commit_callbacks)
    assert "its message imprint is not the checkpoint statement's hash" in caplog.text
    assert not CheckpointTimestamp.objects.exists()
    assert "timestamp" not in _witnessed(witness_dir)[0]


def test_with_no_tsa_configured_nothing_is_asked_and_verify_says_timestamps_are_off(
    db: Any, witness_dir: Path, settings: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    settings.MASH_RECORD_TSA_URL = ""
    fill(2)
    _checkpoint(django_capture_on_commit_callbacks)
    assert not CheckpointTimestamp.objects.exists()
    assert "timestamp" not in _witnessed(witness_dir)[0]
    code, output = run_records("verify")
    assert code == 0, output
    assert "Timestamps: off (MASH_RECORD_TSA_URL is not set)." in output


# --- the record's page -------------------------------------------------------------------


def test_the_dpo_sees_the_last_timestamp_and_a_checkpoint_still_waiting_for_one(
    db: Any,
    witness_dir: Path,
    tsa: LocalTSA,
    client_for: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    fill(3)
    stamped = _checkpoint(django_capture_on_commit_callbacks)
    page = client_for("dpo").get("/record/").content.decode()
    assert f"Entry {stamped.seq}, timestamped " in page
    assert "by the time-stamping authority" in page
    assert "has no timestamp yet" not in page

    tsa.down()
    fill(2)
    _checkpoint(django_capture_on_commit_callbacks)
    page = client_for("dpo").get("/record/").content.decode()
    assert f"Entry {stamped.seq}, timestamped " in page
    assert "The last checkpoint has no timestamp yet" in page


def test_without_a_tsa_the_record_page_says_none(db: Any, client_for: Any) -> None:
    page = client_for("dpo").get("/record/").content.decode()
    assert "None: no time-stamping authority has timestamped a checkpoint" in page
