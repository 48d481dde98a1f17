"""``mash people match [FILE]`` as a real process (contracts/person-matching.md, "The
command"): one line out per pair in, in order, error lines naming the field, exit 2 when
any line had an error, and no database or settings needed."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from mash.people.cli import main

PAIR: dict[str, Any] = {
    "id": "p1",
    "a": {
        "given_name": "Olivia",
        "family_name": "Hughes",
        "other_names": ["Liv Hughes"],
        "date_of_birth": "2015-03-07",
        "sex": "female",
        "nhs_number": "9434765919",
        "postcode": "HR1 2AB",
        "address": "12 Mill Lane, Hereford",
    },
    "b": {"given_name": "Livvy", "family_name": "Hughes-Price", "date_of_birth": "2015-07-03"},
}
SAME = {"id": "same", "a": PAIR["a"], "b": PAIR["a"]}
TWINS = {
    "id": 3,
    "a": {"given_name": "Jack", "family_name": "Hughes", "date_of_birth": "2015-03-07"},
    "b": {"given_name": "Emily", "family_name": "Hughes", "date_of_birth": "2015-03-07"},
}


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The installed command's entry point, with no Django settings in the environment
    and DATABASE_URL pointing nowhere: it must not need either."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/nowhere"
    return subprocess.run(
        [sys.executable, "-m", "mash.cli", "people", "match", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )


def lines(*objects: Any) -> str:
    return "".join((o if isinstance(o, str) else json.dumps(o)) + "\n" for o in objects)


def test_it_answers_the_contract_example_from_standard_input() -> None:
    result = run(stdin=lines(PAIR))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        '{"id": "p1", "match": "possible", "score": 0.81, "reasons": ["family name: one is'
        ' part of the other", "given name: known short form", "date of birth: day and month'
        ' swapped"]}\n'
    )


def test_it_reads_a_file_and_answers_in_input_order(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text(lines(SAME, PAIR, TWINS))
    result = run(str(path))
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(a["id"], a["match"]) for a in answers] == [
        ("same", "match"),
        ("p1", "possible"),
        (3, "no_match"),
    ]
    assert all(set(a) == {"id", "match", "score", "reasons"} for a in answers)


def test_a_bad_line_gives_an_error_line_the_rest_go_on_and_it_exits_2() -> None:
    no_family = {"id": "x", "a": {"given_name": "Olivia"}, "b": PAIR["b"]}
    bad_date = {"id": "y", "a": PAIR["a"], "b": {**PAIR["b"], "date_of_birth": "2015-13-01"}}
    no_b = {"id": "z", "a": PAIR["a"]}
    stdin = lines(PAIR, "{not json", no_family, bad_date, no_b, "[1, 2]", TWINS)
    result = run(stdin=stdin)
    assert result.returncode == 2
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == 7
    assert answers[0]["match"] == "possible"
    assert answers[1]["id"] is None
    assert answers[1]["error"].startswith("line: not valid JSON")
    assert answers[2] == {"id": "x", "error": "a.family_name: missing"}
    assert answers[3] == {"id": "y", "error": "b.date_of_birth: not a date in the form YYYY-MM-DD"}
    assert answers[4] == {"id": "z", "error": "b: missing"}
    assert answers[5]["error"].startswith("line: must be a JSON object")
    assert answers[6]["match"] == "no_match"


def test_blank_lines_are_skipped() -> None:
    result = run(stdin="\n" + lines(PAIR) + "   \n\n" + lines(TWINS))
    assert result.returncode == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["p1", 3]


def test_a_line_that_is_not_utf8_is_an_error_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mash.cli", "people", "match"],
        input=lines(PAIR).encode() + b'{"id": "\xff"}\n' + lines(TWINS).encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    answers = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [a.get("error") for a in answers] == [None, "line: not UTF-8 text", None]


def test_a_file_that_cannot_be_read_exits_2_saying_so(tmp_path: Path) -> None:
    result = run(str(tmp_path / "absent.jsonl"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "cannot read" in result.stderr


def test_no_input_is_no_output_and_exit_0() -> None:
    result = run(stdin="")
    assert (result.returncode, result.stdout) == (0, "")


def test_help_describes_the_fields() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "nhs_number" in result.stdout and "birth_year" in result.stdout


def test_the_overview_lists_people_match() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mash.cli"], capture_output=True, text=True, timeout=60, check=False
    )
    assert "people match" in result.stdout


def test_it_runs_in_process_too() -> None:
    out = io.StringIO()
    assert main([], stdin=io.StringIO(lines(PAIR, TWINS)), stdout=out) == 0
    assert [json.loads(line)["match"] for line in out.getvalue().splitlines()] == [
        "possible",
        "no_match",
    ]


def test_it_does_not_import_django() -> None:
    code = (
        "import io, sys\n"
        "from mash.cli import main\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO(b''))\n"
        "main(['people', 'match'])\n"
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.strip() == "False", result.stderr
