"""``mash decide``: the guidance's sharing decision from the command line (no database).

``mash decide [FILE]`` reads one question as JSON and prints one decision as JSON.
``mash decide --jsonl [FILE]`` reads one question per line and prints one decision per
line, in order. Standard input is read when FILE is absent or ``-``. Bad input exits 2
and names the offending field path (and, for ``--jsonl``, the line number) on stderr;
nothing is printed for a bad line and the stream stops there, so output lines always
match input lines one to one.
"""

from __future__ import annotations

import argparse
import sys
from typing import IO

from mash.policy.question import QuestionError, validate_json
from mash.policy.rules import decide
from mash.policy.versions import CURRENT

EXAMPLE = """\
{"purpose": {"legitimate": true, "description": "MASH enquiry: bruising seen at school"},
 "identifies_individual": true, "confidential": true, "recipient_agency": "police",
 "consent": {"status": "refused"}, "risk": {"significant_harm": true}}"""

DESCRIPTION = f"""\
Decide one sharing question by the {CURRENT.title} (version {CURRENT.version}, {CURRENT.issued}).

The question is a JSON object; every key is optional and null or absent means "not known":

  purpose.legitimate, purpose.description      When? Q1
  identifies_individual                        When? Q2
  confidential                                 When? Q3
  sensitive (default false), recipient_agency  e.g. "police"
  consent.status        given | refused | withdrawn | not_sought | unknown   (Q4)
  consent.agencies      agency codes the consent covers; null = all (Partial Consent)
  consent.explicit (default false), consent.recorded_at (ISO 8601), consent.reason_not_sought
  risk.significant_harm, risk.urgent
  other_basis.vital_interests, other_basis.public_function                   (Q5)
  other_basis.public_interest.criteria   protection_of_vulnerable | administration_of_justice |
      public_safety | apprehension_of_offenders | prevention_of_crime_and_disorder |
      detection_of_crime
  other_basis.public_interest.test.{{proportionate, alternative_means,
      necessary_to_prevent_or_detect_crime, necessary_to_protect_others,
      vulnerability (low | medium | high), impact_on_individual}}
  justification

Contract version 2 adds (all optional; a version 1 question is decided as before and
gets the version 1 answer; any of these keys, or "contract_version": 2, adds the lawful
basis, the consent used, the public interest balance and what the record still needs):

  purpose.code          the request's purpose, a code from the hub's purposes list
  criminal_offence      criminal offence data (UK GDPR Article 10), default false
  consent.given_by      child | parent | parental_responsibility | person | other    (Who?)
  consent.purposes      purpose codes the consent covers; null = not limited (Consent)
  consent.purpose_text, consent.privacy_notice, consent.privacy_notice_covers
  other_consents        more answers like consent (e.g. the mother's, when the child's differs)
  subject.age, subject.competent (Gillick, under 16),
  subject.capacity_in_doubt, subject.capacity_assessment  has_capacity | lacks_capacity
                        (Mental Capacity Act 2005, 16 and over)
  other_basis.legal_obligation
  other_basis.public_interest.test.impact_severity   low | medium | high
  how                   hub | strategy_discussion | secure_email | telephone | meeting |
                        secure_post                                              (How?)
  necessity.necessary, necessity.proportionate   why the share is necessary and proportionate
  lawful_basis.article_6   6(1)(a) | 6(1)(c) | 6(1)(d) | 6(1)(e)     (UK GDPR Article 6)
  lawful_basis.article_9   9(2)(a) | 9(2)(b) | 9(2)(c) | 9(2)(g) | 9(2)(h)   (Article 9)
  lawful_basis.schedule_1  para_2 | para_6 | para_10 | para_18 | para_29 | para_30
                           (DPA 2018 Schedule 1)
  lawful_basis.allowed     the codes the agency may rely on; a choice outside it is an error
  contract_version      2 asks for the version 2 answer

Booleans are true, false or null: "yes" or 1 is an error, not a true.

Example:
  echo '{EXAMPLE.replace(chr(10), chr(10) + "        ")}' | mash decide

prints a decision with outcome "share", basis "significant_harm", without_consent true, and
what the record must contain ("requires"), the steps taken and the reasons.
Exit status: 0 decided, 2 bad input (the field path is named on standard error).
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mash decide",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "file",
        nargs="?",
        default="-",
        help="the question as JSON (default: standard input)",
    )
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="read one question per line and print one decision per line, in order",
    )
    return parser


def _report(error: QuestionError, stderr: IO[str], line: int | None = None) -> None:
    where = f"line {line}: " if line is not None else ""
    for problem in error.errors:
        stderr.write(f"mash decide: {where}{problem.path or '(question)'}: {problem.message}\n")


def _run_one(text: str, stdout: IO[str], stderr: IO[str]) -> int:
    try:
        question = validate_json(text)
    except QuestionError as error:
        _report(error, stderr)
        return 2
    stdout.write(decide(question).to_json(indent=2) + "\n")
    return 0


def _run_lines(source: IO[str], stdout: IO[str], stderr: IO[str]) -> int:
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue  # a blank line (e.g. a trailing newline) is not a question
        try:
            question = validate_json(line)
        except QuestionError as error:
            _report(error, stderr, line=number)
            return 2
        stdout.write(decide(question).to_json())
        stdout.write("\n")
    return 0


def main(
    argv: list[str] | None = None,
    *,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run ``mash decide``; returns the exit status (0 decided, 2 bad input)."""
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    try:
        args = _parser().parse_args(argv if argv is not None else sys.argv[1:])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if args.file == "-":
            source = stdin
            if args.jsonl:
                return _run_lines(source, stdout, stderr)
            return _run_one(source.read(), stdout, stderr)
        with open(args.file, encoding="utf-8") as handle:
            if args.jsonl:
                return _run_lines(handle, stdout, stderr)
            return _run_one(handle.read(), stdout, stderr)
    except OSError as error:
        stderr.write(f"mash decide: cannot read {args.file}: {error.strerror}\n")
        return 2
    except UnicodeDecodeError:
        stderr.write(f"mash decide: {args.file} is not UTF-8 text\n")
        return 2
