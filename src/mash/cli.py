"""The ``mash`` command.

``mash decide`` is the guidance's decision as a pure command (no database), and so is
``mash people match`` (contracts/person-matching.md). Every other
sub-command is a Django management command run with the hub's settings, e.g.
``mash migrate``, ``mash demo``, ``mash records verify``.
"""

from __future__ import annotations

import os
import sys

OVERVIEW = """\
usage: mash COMMAND [ARGS]

The MASH information sharing hub.

Commands:
  decide            decide one sharing question (JSON) by the guidance; --jsonl for a stream
  people match      are these two records the same person? JSON lines of pairs in, "match",
                    "possible" or "no_match" with a score and reasons out (no database)
  people index      link every person already recorded into the person index (progress on
                    stderr; safe to run again)
  demo              create demo agencies, users and enquiries (generated, nothing real)
  serve             serve the hub with gunicorn (e.g. mash serve 127.0.0.1:8000)
  migrate           create or update the database tables
  records           verify the tamper-evident record, sign checkpoints
  worker            run the background queue: deadline reminders, escalations, digests, e-mail
  timeliness        enqueue a deadline scan or the daily digest now (for cron)
  keys              encryption keys: status, generate a master key, rotate
  retention sweep   destroy what has passed its retention schedule (daily; --dry-run)
  sar PERSON_ID     export everything held about a person (subject access request)
  reports count-figures
                    count the dashboard's figures for the settled days (nightly in the worker)
  generate          generate a hub's ten years of enquiries (--enquiries 150000; nothing real)
  help COMMAND      help for any command (all Django management commands work too)

A sharing question is a JSON object (every key optional; null means "not known"), e.g.:

  echo '{"purpose": {"legitimate": true, "description": "MASH enquiry: bruising seen at school"},
         "identifies_individual": true, "confidential": true, "recipient_agency": "police",
         "consent": {"status": "refused"}, "risk": {"significant_harm": true}}' | mash decide

decides "share" on the basis "significant_harm", without consent, and lists what the record
must contain. Run 'mash decide --help' for every key of the question.
"""


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "decide":
        from mash.policy.cli import main as decide_main

        return decide_main(args[1:])
    if args and args[0] == "people" and (len(args) == 1 or args[1] in {"match", "-h", "--help"}):
        from mash.people.cli import people_main

        return people_main(args[1:])
    if not args or args[0] in {"-h", "--help"}:
        sys.stdout.write(OVERVIEW)
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mash.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mash", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
