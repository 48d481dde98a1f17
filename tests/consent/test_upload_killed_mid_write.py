"""A consent writer killed with SIGKILL mid-upload leaves no orphan once the daily
evidence sweep has run (issue 16: two complete encrypted files with no row were found
after kill -9). The real service in a subprocess over a real SQLite file: killed after
the file is written and before its row commits (a pending file, no row: removed), and
after the commit and before the file is made final (a row, a pending file: promoted);
an upload that completed is left alone. The sweep is counted in the record."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MASH = Path(sys.executable).with_name("mash")

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="runs its own SQLite file; once per CI run is enough",
)


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        MASH_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="mash.settings", PYTHONPATH=str(REPO)
    )
    return env


def _writer(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.consent.evidence_writer", *args],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _output(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out.strip()


def _kill_at(process: subprocess.Popen[str], line: str) -> None:
    assert process.stdout is not None
    seen = process.stdout.readline().strip()
    assert seen == line, process.stderr.read() if process.stderr else seen
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def test_a_writer_killed_mid_upload_leaves_no_orphan_after_the_sweep(tmp_path: Path) -> None:
    env = _env(tmp_path)
    subprocess.run([str(MASH), "migrate", "--noinput", "-v0"], env=env, check=True, cwd=REPO)
    person = _output(_writer(env, "setup"))
    assert _output(_writer(env, "write", person)) == "done"
    _kill_at(_writer(env, "write", person, "before-commit"), "stored")
    _kill_at(_writer(env, "write", person, "after-commit"), "committed")

    folder = tmp_path / "uploads" / "consent"
    database = tmp_path / "mash.sqlite3"

    def names() -> set[str]:
        with sqlite3.connect(database) as db:
            return {row[0] for row in db.execute("SELECT evidence_name FROM consent_consentrecord")}

    assert len(names()) == 2  # the completed upload and the one killed after its commit
    pending = {p.name for p in folder.iterdir() if p.name.startswith(".pending-")}
    assert len(pending) == 2, "the kills left no pending file: nothing was tested"

    counts = json.loads(_output(_writer(env, "sweep")))
    assert counts == {"removed": 0, "pending_removed": 1, "promoted": 1}
    assert {p.name for p in folder.iterdir()} == names()  # no orphan, nothing missing
    with sqlite3.connect(database) as db:
        [details] = db.execute(
            "SELECT details FROM records_recordentry WHERE action = 'consent.evidence_swept'"
        ).fetchone()
    assert json.loads(details)["pending_removed"] == 1
