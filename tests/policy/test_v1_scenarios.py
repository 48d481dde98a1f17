"""Contract version 2 keeps version 1: 400 generated version 1 questions (fixed seed,
nothing real), decided by the version 1 engine when they were made, still get the same
outcome, basis, grounds, without_consent, requires and missing, through ``mash decide
--jsonl`` as a real process and through ``decide`` in process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from mash.policy import decide

SCENARIOS = Path(__file__).parent / "data" / "v1_scenarios.jsonl"
KEYS = ("outcome", "basis", "grounds", "without_consent", "requires", "missing")
V1_SHAPE = {
    "outcome",
    "basis",
    "grounds",
    "without_consent",
    "requires",
    "missing",
    "steps",
    "reasons",
    "guidance_version",
}


def scenarios() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SCENARIOS.read_text(encoding="utf-8").splitlines()]


def test_every_v1_scenario_gets_the_same_decision_through_mash_decide() -> None:
    rows = scenarios()
    assert len(rows) == 400
    stream = "".join(json.dumps(row["question"]) + "\n" for row in rows)
    result = subprocess.run(
        [sys.executable, "-m", "mash.cli", "decide", "--jsonl"],
        input=stream,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(rows)
    for row, line in zip(rows, lines, strict=True):
        decision = json.loads(line)
        assert {key: decision[key] for key in KEYS} == row["decision"], row["question"]
        assert set(decision) == V1_SHAPE


def test_every_v1_scenario_gets_the_same_decision_in_process() -> None:
    for row in scenarios():
        decision = decide(row["question"]).to_dict()
        assert {key: decision[key] for key in KEYS} == row["decision"], row["question"]
