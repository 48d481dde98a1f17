"""``mash records``: keep the record provable.

- ``mash records checkpoint [--out FILE]`` signs the chain's head (Ed25519), keeps the
  checkpoint in the database and writes it to FILE (keep a copy off the hub's servers).
- ``mash records verify [--checkpoint FILE ...] [--public-key FILE ...]`` walks the
  chain and checks it against every stored checkpoint and the files given. Exit 0:
  intact; 1: broken (the first entry that breaks it is named); 2: usage error.
- ``mash records public-key`` prints the public key (PEM) that verifies checkpoints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mash.records import services, signing


class Command(BaseCommand):
    help = "Verify the tamper-evident record, sign checkpoints, print the public key."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        checkpoint = commands.add_parser("checkpoint", help="sign the chain's head now")
        checkpoint.add_argument("--out", type=Path, help="also write the checkpoint to FILE")
        verify = commands.add_parser("verify", help="walk the chain; exit 1 if broken")
        verify.add_argument(
            "--checkpoint",
            type=Path,
            action="append",
            default=[],
            help="a checkpoint file to check the chain against (repeatable)",
        )
        verify.add_argument(
            "--public-key",
            type=Path,
            action="append",
            default=[],
            help="a PEM public key that signed checkpoints (repeatable; default: the "
            "hub's own signing key)",
        )
        commands.add_parser("public-key", help="print the public key (PEM)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            {
                "checkpoint": self.checkpoint,
                "verify": self.verify,
                "public-key": self.public_key,
            }[options["subcommand"]](options)
        except signing.SigningKeyError as error:
            raise CommandError(str(error), returncode=2) from None

    def public_key(self, options: dict[str, Any]) -> None:
        key = signing.private_key(create=True)
        if key is None:
            raise signing.SigningKeyError("the record's signing key could not be created")
        self.stdout.write(signing.public_pem(key.public_key()), ending="")

    def checkpoint(self, options: dict[str, Any]) -> None:
        out: Path | None = options["out"]
        if out is not None and out.exists():
            raise CommandError(f"{out} already exists: choose a new file", returncode=2)
        checkpoint, document = services.sign_checkpoint()
        if out is not None:
            out.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
        self.stdout.write(
            f"Checkpoint signed: entry {checkpoint.seq}, hash {checkpoint.hash}, "
            f"key {checkpoint.key_fingerprint[:16]}..."
            + (f", written to {out}" if out is not None else "")
        )

    def verify(self, options: dict[str, Any]) -> None:
        documents = services.stored_checkpoint_documents()
        for path in options["checkpoint"]:
            try:
                documents.append(json.loads(path.read_text()))
            except (OSError, ValueError) as error:
                message = f"cannot read checkpoint {path}: {error}"
                raise CommandError(message, returncode=2) from None
        keys = [signing.load_public_key(path) for path in options["public_key"]]
        if not keys:
            own = signing.private_key(create=False)
            if own is None and documents:
                raise CommandError(
                    "there are checkpoints but no key to check them: give --public-key",
                    returncode=2,
                )
            if own is not None:
                keys = [own.public_key()]
        _run, result = services.verify_record(documents=documents, public_keys=keys)
        if result.broken is None:
            self.stdout.write(
                f"The record is intact: {result.entries_checked} entries checked, "
                f"head entry {result.head_seq or 0}, hash {result.head_hash}, "
                f"{result.checkpoints_checked} checkpoint(s) matched."
            )
            last = max((d["statement"] for d in documents), key=lambda s: s["seq"], default=None)
            if last:
                self.stdout.write(f"Last checkpoint: entry {last['seq']} at {last['at']}.")
            return
        self.stdout.write(
            f"The record is BROKEN at entry {result.broken.seq} ({result.broken.kind}): "
            f"{result.broken.message}. {result.entries_checked} entries checked before it."
        )
        raise CommandError(
            f"record broken at entry {result.broken.seq}: {result.broken.kind}", returncode=1
        )
