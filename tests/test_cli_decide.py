"""``mash decide``: one question or a JSONL stream, from a file or standard input
(contract: Entry points). Run both as a real process and in-process."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mash.cli import main as mash_main
from mash.policy.cli import main

EXAMPLE = {
    "purpose": {"legitimate": True, "description": "MASH enquiry: bruising seen at school"},
    "identifies_individual": True,
    "confidential": True,
    "recipient_agency": "police",
    "consent": {"status": "refused"},
    "risk": {"significant_harm": True},
}


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mash.cli", "decide", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def run_in_process(*args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_it_decides_the_contract_example_from_standard_input() -> None:
    result = run(stdin=json.dumps(EXAMPLE))
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["outcome"] == "share"
    assert decision["basis"] == "significant_harm"
    assert decision["without_consent"] is True
    assert "proportionality_of_override" in decision["requires"]


def test_it_decides_a_question_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "question.json"
    path.write_text(json.dumps({"purpose": {"legitimate": False}}))
    result = run(str(path))
    assert result.returncode == 0
    assert json.loads(result.stdout)["outcome"] == "do_not_share"


def test_jsonl_gives_one_decision_per_line_in_order(tmp_path: Path) -> None:
    questions = [
        {"purpose": {"legitimate": False}},
        EXAMPLE,
        {},
        {"purpose": {"legitimate": True}, "identifies_individual": False},
    ]
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in questions))
    result = run("--jsonl", str(path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [json.loads(line)["outcome"] for line in lines] == [
        "do_not_share",
        "share",
        "seek_advice",
        "share",
    ]


def test_jsonl_reads_standard_input_and_skips_blank_lines() -> None:
    code, out, _ = run_in_process("--jsonl", stdin=json.dumps(EXAMPLE) + "\n\n{}\n")
    assert code == 0
    assert [json.loads(line)["outcome"] for line in out.splitlines()] == ["share", "seek_advice"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("{not json", "(question)"),
        ("[1, 2]", "(question)"),
        ('{"identifies_individual": "yes"}', "identifies_individual"),
        ('{"confidential": "1"}', "confidential"),
        ('{"consent": {"status": "maybe"}}', "consent.status"),
        ('{"colour": "blue"}', "colour"),
        ('{"other_basis": {"public_interest": {"criteria": ["gossip"]}}}', "criteria.0"),
    ],
)
def test_bad_input_exits_2_naming_the_field_path(text: str, named: str) -> None:
    code, out, err = run_in_process(stdin=text)
    assert code == 2
    assert out == ""
    assert named in err


def test_bad_input_exits_2_from_a_real_process() -> None:
    result = run(stdin='{"consent": {"status": "maybe"}}')
    assert result.returncode == 2
    assert "consent.status" in result.stderr
    assert result.stdout == ""


def test_a_bad_jsonl_line_names_its_line_number_and_the_field() -> None:
    stdin = json.dumps(EXAMPLE) + "\n" + '{"risk": {"urgent": "yes"}}\n' + json.dumps(EXAMPLE)
    result = run("--jsonl", stdin=stdin)
    assert result.returncode == 2
    assert "line 2" in result.stderr
    assert "risk.urgent" in result.stderr
    assert len(result.stdout.splitlines()) == 1  # the decisions before the bad line


@pytest.mark.parametrize("text", ["not json at all", "[]", '{"sensitive": 1}'])
def test_every_kind_of_bad_jsonl_line_exits_2(text: str) -> None:
    code, _, err = run_in_process("--jsonl", stdin=text + "\n")
    assert code == 2
    assert "line 1" in err


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run_in_process(str(tmp_path / "absent.json"))
    assert code == 2
    assert "cannot read" in err


def test_help_explains_the_question_with_the_contract_example(capsys: Any) -> None:
    assert main(["--help"]) == 0
    help_text = capsys.readouterr().out
    assert "consent.status" in help_text
    assert "bruising seen at school" in help_text
    assert mash_main(["--help"]) == 0
    overview = capsys.readouterr().out
    assert "mash decide" in overview
    assert '"significant_harm": true' in overview


def test_mash_decide_dispatches_to_the_decision(capsys: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(EXAMPLE)))
    assert mash_main(["decide"]) == 0
    assert json.loads(capsys.readouterr().out)["basis"] == "significant_harm"


def test_mash_decide_needs_no_database_or_django() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, mash.policy.cli; print('django' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_its_help_lists_the_version_2_keys() -> None:
    result = run("--help")
    assert result.returncode == 0
    out = result.stdout
    for key in ("consent.given_by", "subject.competent", "lawful_basis.article_6", "how"):
        assert key in out


def test_it_decides_a_version_2_question() -> None:
    question = dict(EXAMPLE, sensitive=True, how="strategy_discussion")
    code, out, _ = run_in_process(stdin=json.dumps(question))
    assert code == 0
    decision = json.loads(out)
    assert decision["lawful_basis"]["proposed"] == {
        "article_6": "6(1)(e)",
        "article_9": "9(2)(g)",
        "article_10": False,
        "schedule_1": "para_18",
    }


def test_it_names_a_bad_version_2_field() -> None:
    code, _, err = run_in_process(stdin=json.dumps({"consent": {"given_by": "aunt"}}))
    assert code == 2
    assert "consent.given_by" in err
