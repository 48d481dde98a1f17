"""``mash people match [FILE]``: person matching from the command line (no database).

contracts/person-matching.md, "The command": each input line is one pair of person
records as JSON (``{"id": ..., "a": {...}, "b": {...}}``); each output line, in input
order, is ``{"id", "match", "score", "reasons"}``, or ``{"id", "error"}`` naming the
field for a line that cannot be read, and the command goes on. Blank lines are skipped.
Exit status: 2 if any line had an error, else 0. This module imports neither Django nor
the hub's settings, like ``mash decide``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, Any

from mash.people.matching import PersonError, match_mappings

DESCRIPTION = """\
Decide, for each pair of person records, whether they are the same person
(contracts/person-matching.md). Reads JSON lines from FILE or standard input, one pair a
line, and writes one JSON line per pair, in order:

  {"id": "p1", "a": {"given_name": "Olivia", "family_name": "Hughes",
                     "date_of_birth": "2015-03-07"},
               "b": {"given_name": "Livvy", "family_name": "Hughes-Price",
                     "date_of_birth": "2015-07-03"}}
gives
  {"id": "p1", "match": "possible", "score": 0.81, "reasons": ["family name: one is part
   of the other", "given name: known short form", "date of birth: day and month swapped"]}

Person fields: given_name and family_name (required), other_names (a list), date_of_birth
(YYYY-MM-DD) or birth_year (an estimate), sex (female, male, other, unknown), nhs_number
(10 digits, spaces allowed; one failing its modulus 11 check is ignored and named in the
reasons), postcode, address.

match is "match" (the same person: safe to link), "possible" (a person must look) or
"no_match". A line that cannot be read gives {"id": ..., "error": "<field>: <problem>"}
and the rest go on. Exit status: 0, or 2 if any line had an error.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mash people match",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "file", nargs="?", default="-", help="JSON lines of pairs (default: standard input)"
    )
    return parser


def answer_line(text: str) -> tuple[dict[str, Any], bool]:
    """The output object for one input line, and whether it is an error line."""
    try:
        pair = json.loads(text)
    except ValueError as error:
        detail = getattr(error, "msg", "not valid JSON")
        return {"id": None, "error": f"line: not valid JSON ({detail})"}, True
    if not isinstance(pair, dict):
        return {"id": None, "error": "line: must be a JSON object with id, a and b"}, True
    pair_id = pair.get("id")
    try:
        result = match_mappings(pair.get("a"), pair.get("b"))
    except PersonError as error:
        return {"id": pair_id, "error": str(error)}, True
    return result.as_json(pair_id), False


def run(lines: Any, stdout: IO[str]) -> int:
    """Answer each line of ``lines`` (text, or bytes decoded as UTF-8) on ``stdout``."""
    had_error = False
    for raw in lines:
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                stdout.write(json.dumps({"id": None, "error": "line: not UTF-8 text"}) + "\n")
                had_error = True
                continue
        else:
            line = raw
        if not line.strip():
            continue
        answer, error = answer_line(line)
        had_error = had_error or error
        stdout.write(json.dumps(answer) + "\n")
    stdout.flush()
    return 2 if had_error else 0


def main(
    argv: list[str] | None = None,
    *,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run ``mash people match``; returns the exit status."""
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    try:
        args = _parser().parse_args(argv if argv is not None else sys.argv[1:])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.file == "-":
        if stdin is not None:
            return run(stdin, stdout)
        return run(getattr(sys.stdin, "buffer", sys.stdin), stdout)
    try:
        with open(args.file, "rb") as handle:
            return run(handle, stdout)
    except OSError as error:
        stderr.write(f"mash people match: cannot read {args.file}: {error.strerror}\n")
        return 2


PEOPLE_HELP = """\
usage: mash people match [FILE]
       mash people index [--batch N]

  match   decide, for each pair of person records (JSON lines), whether they are the
          same person: "match", "possible" or "no_match", a score and the reasons
          (no database needed; 'mash people match --help' for the fields)
  index   link every person already recorded into the person index, in batches, with
          a progress bar on stderr; people already indexed are passed over
"""


def people_main(argv: list[str]) -> int:
    """``mash people`` and ``mash people match``: the parts that need no database."""
    if argv and argv[0] == "match":
        return main(argv[1:])
    sys.stdout.write(PEOPLE_HELP)
    return 0
