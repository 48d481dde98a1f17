"""A real SQLite database file, filled with the generated data set and swept by the
real ``mash retention sweep`` command in a subprocess killed with SIGKILL at random
moments until a run completes. Shared by the tests of killed processes and of deleted
text in the file (it is built once per test session: migrating takes a while)."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.retention.dataset import TABLES, TODAY, Generated, Row

REPO = Path(__file__).resolve().parents[2]
MASH = Path(sys.executable).with_name("mash")
COUNT = 160
KILLED_RUNS = 4


@dataclass
class Swept:
    data_dir: Path
    env: dict[str, str]
    generated: list[Generated]
    kills: int = 0
    half_done_after_kill: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    @property
    def database(self) -> Path:
        return self.data_dir / "mash.sqlite3"


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        MASH_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="mash.settings",
        PYTHONPATH=str(REPO),
        SECURE_COOKIES="false",
    )
    return env


def _hex(value: str) -> str:
    return value.replace("-", "")


def half_done(database: Path, generated: list[Generated]) -> list[str]:
    """The same check as helpers.half_done, read straight from the file."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        present = {
            kind: {row[0] for row in db.execute(f"SELECT id FROM {table}")}
            for kind, table in TABLES.items()
        }
        stones = {row[0] for row in db.execute("SELECT object_id FROM retention_tombstone")}
        recorded = {
            row[0]
            for row in db.execute(
                "SELECT enquiry_id FROM records_recordentry WHERE action = 'retention.deletion'"
            )
        }
    problems = []
    for gen in generated:
        due = [row for row in gen.rows if row.destroyed]
        gone = [row for row in due if _hex(row.id) not in present[row.kind]]
        if gone and len(gone) != len(due):
            problems.append(f"enquiry {gen.enquiry_id}: {len(gone)} of {len(due)} rows gone")
        if any(_hex(row.id) not in stones for row in gone):
            problems.append(f"enquiry {gen.enquiry_id}: a row gone without a tombstone")
        if due and bool(gone) != (_hex(gen.enquiry_id) in recorded):
            problems.append(f"enquiry {gen.enquiry_id}: record entry does not match")
    return problems


def build(data_dir: Path, seed: int = 11) -> Swept:
    env = _env(data_dir)
    subprocess.run([str(MASH), "migrate", "--noinput", "-v0"], env=env, check=True, cwd=REPO)
    manifest = data_dir / "manifest.json"
    subprocess.run(
        [sys.executable, "-m", "tests.retention.dataset", str(COUNT), str(manifest)],
        env=env,
        check=True,
        cwd=REPO,
    )
    generated = [
        Generated(g["enquiry_id"], g["fate"], [Row(**row) for row in g["rows"]])
        for g in json.loads(manifest.read_text())
    ]
    swept = Swept(data_dir, env, generated)
    rng = random.Random(seed)
    command = [str(MASH), "retention", "sweep", "--today", TODAY.isoformat(), "--batch-size"]
    # Kill each of the first runs after a random number of its progress lines (one per
    # batch) and a random fraction of a second more, so it dies mid-batch whatever the
    # machine's speed; then let one run complete.
    for attempt in range(KILLED_RUNS + 1):
        process = subprocess.Popen(
            [*command, str(rng.randint(3, 12))],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdout is not None
        if attempt < KILLED_RUNS:
            lines = rng.randint(1, 4)
            seen = []
            while len(seen) < lines:
                line = process.stdout.readline()
                if not line:
                    break
                seen.append(line)
            if len(seen) == lines and process.poll() is None:
                time.sleep(rng.uniform(0.0, 0.4))
                process.send_signal(signal.SIGKILL)
                process.communicate()
                if process.returncode == -signal.SIGKILL:
                    swept.kills += 1
                swept.half_done_after_kill += half_done(swept.database, generated)
                continue
        out, _ = process.communicate()
        swept.outputs.append(out)
        assert process.returncode == 0, out
        break
    return swept


def run(command: list[str], swept: Swept) -> subprocess.CompletedProcess[Any]:
    return subprocess.run(
        [str(MASH), *command], env=swept.env, cwd=REPO, capture_output=True, text=True
    )
