"""``mash keys``: the master keyring and the per-enquiry data keys.

- ``mash keys status [--json]``: which master key is current, how many data keys each
  master key wraps, how many were destroyed, and whether a previous master key is
  still needed. Counts and key ids only, never a key.
- ``mash keys generate``: print a new master key (base64 of 32 random bytes) to put in
  ``MASH_MASTER_KEY`` or the key file. Nothing is stored.
- ``mash keys rotate [--batch-size N]``: re-wrap every data key under the current
  master key, in batches each in its own transaction, while the hub keeps running;
  safe to stop and run again. Recorded in the record with its counts. Exit 0 when
  every live data key is under the current master key.

The rotation procedure is in docs/security.md ("Rotating the master key").
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mash.agencies import services as agency_services
from mash.keys import services
from mash.keys.keyring import KeyringError, generate_key_text


class Command(BaseCommand):
    help = "Master keyring and data keys: status, generate a master key, rotate."
    # Each sub-command loads the keyring itself (and says what is wrong with it);
    # ``generate`` must work before any key is configured.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        status = commands.add_parser("status", help="data keys per master key (counts only)")
        status.add_argument("--json", action="store_true", help="print JSON")
        commands.add_parser("generate", help="print a new master key")
        rotate = commands.add_parser(
            "rotate", help="re-wrap every data key under the current master key"
        )
        rotate.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="data keys re-wrapped per transaction (default 500)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            {"status": self.status, "generate": self.generate, "rotate": self.rotate}[
                options["subcommand"]
            ](options)
        except KeyringError as error:
            raise CommandError(str(error), returncode=2) from None

    def generate(self, options: dict[str, Any]) -> None:
        self.stdout.write(generate_key_text())

    def status(self, options: dict[str, Any]) -> None:
        state = services.status()
        second_factor = agency_services.second_factor_key_use()
        state["second_factor"] = second_factor
        current = state["current"]
        state["previous_still_needed"] = sorted(
            {*state["previous_still_needed"], *(k for k in second_factor if k != current)}
        )
        if options["json"]:
            self.stdout.write(json.dumps(state, indent=2, sort_keys=True))
            return
        self.stdout.write(f"Current master key: {state['current']} (from the {state['source']})")
        self.stdout.write(f"Master keys in the keyring: {', '.join(state['keyring'])}")
        self.stdout.write(f"Live data keys: {state['live']}; destroyed: {state['destroyed']}")
        for key_id, count in sorted(state["by_master_key"].items()):
            self.stdout.write(f"  wrapped by {key_id}: {count}")
        for key_id, use in sorted(second_factor.items()):
            self.stdout.write(
                f"  second factor under {key_id}: {use['authenticators']} authenticator "
                f"secrets; recovery codes of {use['recovery_code_users']} users"
            )
        if any(use["recovery_code_users"] for k, use in second_factor.items() if k != current):
            self.stdout.write(
                "Recovery codes cannot be re-keyed: keep the previous key until an "
                "administrator resets those users' two-factor sign-in (they set it up "
                "again and get new codes)."
            )
        if state["previous_still_needed"]:
            self.stdout.write(
                "Still needed: "
                + ", ".join(state["previous_still_needed"])
                + ". Run 'mash keys rotate' before removing them."
            )
        else:
            self.stdout.write("No previous master key is needed: they can be removed.")

    def rotate(self, options: dict[str, Any]) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1", returncode=2)

        def progress(batches: int, rewrapped: int) -> None:
            self.stdout.write(f"batch {batches}: {rewrapped} data keys re-wrapped so far")

        report = services.rotate(batch_size=options["batch_size"], on_batch=progress)
        resealed = agency_services.reseal_authenticators(batch_size=options["batch_size"])
        self.stdout.write(f"Re-sealed {resealed} authenticator secrets under the current key.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-wrapped {report.rewrapped} data keys under master key "
                f"{report.master_key_id} in {report.batches} batches; "
                f"{report.already_current} were already under it; "
                f"{report.destroyed} destroyed keys left as they are."
            )
        )
        left = services.status()["previous_still_needed"]  # data keys only
        if left:  # a writer wrapped a key under an old master key during the run
            raise CommandError(
                f"data keys are still wrapped by {', '.join(left)}: run again", returncode=1
            )
