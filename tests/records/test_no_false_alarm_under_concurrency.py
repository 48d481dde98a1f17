"""No false alarm under concurrency (issue 16): eight writers append to the record
through its services while checkpoints are signed and handed to the witness and the
verifier runs over and over; every verification meanwhile, and ``mash records verify``
with the witness afterwards, find the record intact; every entry is there once, and
every checkpoint's Merkle root is the root of the chain as it stands (each tree a prefix
of the next)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.records.concurrent_witnessed import Outcome, check, run

WRITERS = 8


def _assert_no_false_alarm(outcome: Outcome, *, each: int) -> None:
    assert outcome.errors == []
    assert outcome.false_alarms == []
    assert outcome.verifications_during >= 2, "the verifier did not run alongside the writers"
    assert outcome.checkpoints_signed >= 2, "no checkpoints were signed alongside the writers"
    assert outcome.missing_or_doubled == []
    # Every writer's entries, one entry per checkpoint, one per blessed verification.
    assert outcome.entries >= WRITERS * each + outcome.checkpoints_signed
    assert outcome.verify_code == 0, outcome.verify_output
    assert "The record is intact" in outcome.verify_output
    assert f"{outcome.checkpoints} checkpoint(s) matched" in outcome.verify_output
    assert "Not yet witnessed: 0 entries." in outcome.verify_output
    assert outcome.checkpoints == outcome.checkpoints_signed
    assert outcome.witnessed_checkpoints == outcome.checkpoints_signed
    assert outcome.merkle_problems == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL here; SQLite's in-memory test database cannot take concurrent "
    "writers, so the SQLite variant below runs on a file in a process of its own",
)
@pytest.mark.django_db(transaction=True)
def test_eight_writers_a_signer_and_a_verifier_on_postgresql_raise_no_false_alarm(
    settings: Any, tmp_path: Path
) -> None:
    witness_dir = tmp_path / "witness"
    settings.MASH_RECORD_WITNESS_DIR = str(witness_dir)
    outcome = run(writers=WRITERS, each=150, witness_dir=witness_dir)
    check(outcome, writers=WRITERS, each=150, witness_dir=witness_dir)
    _assert_no_false_alarm(outcome, each=150)


def test_eight_writers_a_signer_and_a_verifier_on_a_sqlite_file_raise_no_false_alarm(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env["MASH_DATA_DIR"] = str(tmp_path)
    env.pop("MASH_RECORD_WITNESS_DIR", None)  # $MASH_DATA_DIR/witness, as deployed
    finished = subprocess.run(
        [sys.executable, "-m", "tests.records.concurrent_witnessed", str(WRITERS), "40"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    outcome = Outcome(**json.loads(finished.stdout.strip().splitlines()[-1]))
    _assert_no_false_alarm(outcome, each=40)
