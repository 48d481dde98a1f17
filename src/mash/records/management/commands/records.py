"""``mash records``: keep the record provable.

- ``mash records checkpoint [--out FILE]`` signs the chain's head (Ed25519), keeps the
  checkpoint in the database and writes it to FILE (keep a copy off the hub's servers).
- ``mash records verify [--witness DIR] [--checkpoint FILE ...] [--public-key FILE ...]
  [--tsa-cert FILE ...] [--max-breaks N]`` walks the chain and checks it against the
  witness (default ``MASH_RECORD_WITNESS_DIR``), every stored checkpoint and the files
  given, and lists every break by entry (up to N, all counted). Each checkpoint's RFC 3161
  timestamp is checked too (its imprint, and its signature against ``--tsa-cert`` or
  MASH_RECORD_TSA_CERT_FILE): a token that does not check is a break. Exit 0: intact
  (entries the witness has not yet seen are stated, "not yet witnessed: N entries");
  1: broken; 2: usage error.
- ``mash records prove N [--checkpoint FILE] [--public-key FILE]`` prints an inclusion
  proof (RFC 9162) that entry N is in the Merkle tree a signed checkpoint covers, for
  ``mash/records/proof_verifier.py`` to check without the hub. Exit 1 when no proof can
  be given (no checkpoint covers N, or the chain no longer matches its root).
- ``mash records prove-consistency OLD.json [--to NEW.json]`` prints a consistency proof
  (RFC 9162) that the tree OLD signed is a prefix of the tree NEW (default: the latest
  stored checkpoint) signed, for ``proof_verifier.py``.
- ``mash records public-key`` prints the public key (PEM) that verifies checkpoints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mash.records import services, signing, timestamping, witness
from mash.records.verify import MAX_BREAKS


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
        verify.add_argument(
            "--witness",
            type=Path,
            help="the witness directory to check against (default: MASH_RECORD_WITNESS_DIR)",
        )
        verify.add_argument(
            "--tsa-cert",
            type=Path,
            action="append",
            default=[],
            help="a PEM certificate (the TSA's, or its CA's) to check the checkpoints' RFC "
            "3161 timestamps with (repeatable; default: MASH_RECORD_TSA_CERT_FILE)",
        )
        verify.add_argument(
            "--max-breaks",
            type=int,
            default=MAX_BREAKS,
            help=f"list at most this many breaks (all are counted; default {MAX_BREAKS})",
        )
        commands.add_parser("public-key", help="print the public key (PEM)")
        consistent = commands.add_parser(
            "prove-consistency",
            help="print a consistency proof (JSON) between an older checkpoint and a newer one",
        )
        consistent.add_argument("old", type=Path, help="the older checkpoint file")
        consistent.add_argument(
            "--to", type=Path, help="the newer checkpoint file (default: the latest stored one)"
        )
        consistent.add_argument(
            "--public-key",
            type=Path,
            action="append",
            default=[],
            help="a PEM public key to check the checkpoints with (default: the hub's own)",
        )
        prove = commands.add_parser(
            "prove", help="print an inclusion proof of entry N (JSON) for proof_verifier.py"
        )
        prove.add_argument("seq", type=int, help="the entry's number")
        prove.add_argument(
            "--checkpoint",
            type=Path,
            help="prove against this checkpoint file (default: the latest stored one)",
        )
        prove.add_argument(
            "--public-key",
            type=Path,
            action="append",
            default=[],
            help="a PEM public key to check the checkpoint with (default: the hub's own)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            {
                "checkpoint": self.checkpoint,
                "verify": self.verify,
                "public-key": self.public_key,
                "prove": self.prove,
                "prove-consistency": self.prove_consistency,
            }[options["subcommand"]](options)
        except signing.SigningKeyError as error:
            raise CommandError(str(error), returncode=2) from None

    def public_key(self, options: dict[str, Any]) -> None:
        key = signing.private_key(create=True)
        if key is None:
            raise signing.SigningKeyError("the record's signing key could not be created")
        self.stdout.write(signing.public_pem(key.public_key()), ending="")

    def prove(self, options: dict[str, Any]) -> None:
        document = None
        if options["checkpoint"] is not None:
            try:
                document = json.loads(options["checkpoint"].read_text())
            except (OSError, ValueError) as error:
                raise CommandError(f"cannot read checkpoint: {error}", returncode=2) from None
        keys = _keys(options)
        try:
            proof = services.inclusion_proof(
                seq=options["seq"], document=document, public_keys=keys
            )
        except services.ProofError as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(json.dumps(proof, indent=2, sort_keys=True, ensure_ascii=False))

    def prove_consistency(self, options: dict[str, Any]) -> None:
        old = _read_checkpoint(options["old"])
        new = _read_checkpoint(options["to"]) if options["to"] is not None else None
        try:
            proof = services.consistency_proof(old=old, new=new, public_keys=_keys(options))
        except services.ProofError as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(json.dumps(proof, indent=2, sort_keys=True))

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
        files = []
        for path in options["checkpoint"]:
            try:
                files.append(json.loads(path.read_text()))
            except (OSError, ValueError) as error:
                message = f"cannot read checkpoint {path}: {error}"
                raise CommandError(message, returncode=2) from None
        given: Path | None = options["witness"]
        if given is not None and not given.is_dir():
            raise CommandError(f"no witness directory at {given}", returncode=2)
        witness_dir = given if given is not None else witness.configured_dir()
        keys = [signing.load_public_key(path) for path in options["public_key"]]
        if not keys:
            own = signing.private_key(create=False)
            if own is not None:
                keys = [own.public_key()]
            elif files or _any_checkpoints(witness_dir):
                raise CommandError(
                    "there are checkpoints but no key to check them: give --public-key",
                    returncode=2,
                )
        if options["max_breaks"] < 1:
            raise CommandError("--max-breaks must be at least 1", returncode=2)
        try:
            tsa_certificates = [
                certificate
                for path in options["tsa_cert"]
                for certificate in timestamping.certificates_from(path)
            ] or timestamping.configured_certificates()
        except timestamping.TimestampError as error:
            raise CommandError(str(error), returncode=2) from None
        _run, found = services.verify_record(
            files=files,
            public_keys=keys,
            witness_dir=witness_dir,
            tsa_certificates=tsa_certificates,
            max_breaks=options["max_breaks"],
        )
        result = found.walk
        if found.broken is None:
            self.stdout.write(
                f"The record is intact: {result.entries_checked} entries checked, "
                f"head entry {result.head_seq or 0}, hash {result.head_hash}, "
                f"{result.checkpoints_checked} checkpoint(s) matched."
            )
        else:
            first = found.broken
            self.stdout.write(
                f"The record is BROKEN at {first.where} ({first.kind}): {first.message}."
            )
            shown = len(found.breaks)
            self.stdout.write(
                f"{found.break_count} break(s) found"
                + (f", the first {shown} listed" if shown < found.break_count else "")
                + f"; {result.entries_checked} entries checked:"
            )
            for item in found.breaks:
                self.stdout.write(f"  - {item.where} ({item.kind}): {item.message}")
        last = found.last_checkpoint
        if found.broken is None and last is not None:
            self.stdout.write(f"Last checkpoint: entry {last['seq']} at {last['at']}.")
        self._witness_lines(found)
        self._timestamp_lines(found)
        for note in found.notes:
            self.stdout.write(f"Note: {note}.")
        if found.broken is not None:
            raise CommandError(
                f"record broken at {found.broken.where}: {found.broken.kind}"
                + (f" and {found.break_count - 1} more" if found.break_count > 1 else ""),
                returncode=1,
            )

    def _timestamp_lines(self, found: services.Verification) -> None:
        stamps = found.timestamps
        if not stamps.timestamped:
            if timestamping.configured_url() is None:
                self.stdout.write("Timestamps: off (MASH_RECORD_TSA_URL is not set).")
            else:
                self.stdout.write(
                    f"Timestamps: none of {stamps.checkpoints} checkpoint(s) carries an RFC "
                    "3161 timestamp that checks."
                )
            return
        how = (
            "signed by the TSA the certificate names"
            if stamps.signatures_checked
            else "imprint only: no TSA certificate to check signatures (give --tsa-cert or "
            "set MASH_RECORD_TSA_CERT_FILE)"
        )
        self.stdout.write(
            f"Timestamps: {stamps.timestamped} of {stamps.checkpoints} checkpoint(s) carry an "
            f"RFC 3161 timestamp of their statement ({how}); the latest is for entry "
            f"{stamps.latest_seq}, TSA time {stamps.latest_time}."
        )

    def _witness_lines(self, found: services.Verification) -> None:
        if found.witness_dir is None:
            self.stdout.write("Witness: off (MASH_RECORD_WITNESS_DIR=off).")
        elif found.witnessed_heads or found.witnessed_checkpoints:
            self.stdout.write(
                f"Witness: {found.witness_dir}: {found.witnessed_heads} head(s), "
                f"{found.witnessed_checkpoints} signed checkpoint(s); seen up to entry "
                f"{found.witnessed_up_to}."
            )
        else:
            self.stdout.write(f"Witness: {found.witness_dir}: nothing witnessed yet.")
        last = found.walk.head_seq or 0
        if found.not_yet_witnessed:
            self.stdout.write(
                f"Not yet witnessed: {found.not_yet_witnessed} entries "
                f"({last - found.not_yet_witnessed + 1} to {last}): checked against the "
                "chain only."
            )
        else:
            self.stdout.write("Not yet witnessed: 0 entries.")
        if found.blessed:
            self.stdout.write(
                f"Verified: the chain matches what the witness saw up to entry "
                f"{found.witnessed_up_to} (recorded as record.verified)."
            )
        elif found.intact:
            self.stdout.write("Not recorded as verified: nothing the witness saw could be checked.")


def _any_checkpoints(witness_dir: Path | None) -> bool:
    from django.db import DatabaseError, transaction

    from mash.records.models import Checkpoint

    if witness_dir is not None and (witness_dir / witness.CHECKPOINTS_FILE).exists():
        return True
    try:
        with transaction.atomic():
            return Checkpoint.objects.exists()
    except DatabaseError:
        return False


def _keys(options: dict[str, Any]) -> list[Any]:
    keys = [signing.load_public_key(path) for path in options["public_key"]]
    if not keys:
        own = signing.private_key(create=False)
        if own is None:
            raise CommandError("no key to check the checkpoint: give --public-key", returncode=2)
        keys = [own.public_key()]
    return keys


def _read_checkpoint(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise CommandError(f"cannot read checkpoint {path}: {error}", returncode=2) from None
    if not isinstance(document, dict):
        raise CommandError(f"{path} is not a checkpoint", returncode=2)
    return dict(document)
