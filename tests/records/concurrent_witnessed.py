"""Writers, a checkpoint signer and a verifier all at once against one witnessed record
(issue 16: no false alarm under concurrency), and the checks made afterwards.

Used by test_no_false_alarm_under_concurrency: in the test's own process on PostgreSQL,
and on SQLite in a fresh process (``python -m tests.records.concurrent_witnessed WRITERS
EACH``) whose database is a real file configured as the hub runs it (WAL, every
transaction ``BEGIN IMMEDIATE``), which prints the outcome as one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Outcome:
    """What happened while the threads ran, and what the checks found after."""

    errors: list[str] = field(default_factory=list)
    checkpoints_signed: int = 0
    verifications_during: int = 0
    false_alarms: list[str] = field(default_factory=list)  # breaks verify named meanwhile
    # After the writers stopped:
    entries: int = 0
    missing_or_doubled: list[str] = field(default_factory=list)
    verify_code: int = -1
    verify_output: str = ""
    checkpoints: int = 0
    witnessed_checkpoints: int = 0
    merkle_problems: list[str] = field(default_factory=list)


def run(*, writers: int, each: int, witness_dir: Path) -> Outcome:
    """``writers`` threads append ``each`` entries apiece through ``record`` (every
    fifth time three at once through ``record_many``), while one thread signs
    checkpoints (handed to the witness as each commits) and another runs the verifier,
    with the witness, over and over."""
    from django.db import connections

    from mash.records import signing
    from mash.records.models import Action
    from mash.records.services import record, record_many, sign_checkpoint, verify_record

    outcome = Outcome()
    lock = threading.Lock()
    start = threading.Barrier(writers + 2)
    done = threading.Event()
    # Halfway, each writer waits until the signer and the verifier have each gone round
    # twice, so they overlap the writers however the threads happen to be scheduled.
    halfway = threading.Event()
    key = signing.private_key(create=True)
    if key is None:
        raise RuntimeError("no signing key")

    def failed(error: BaseException) -> None:
        with lock:
            outcome.errors.append(f"{type(error).__name__}: {error}")
        halfway.set()  # no writer waits for a thread that has failed

    def writer(number: int) -> None:
        try:
            start.wait()
            n = 0
            while n < each:
                if n >= each // 2 and not halfway.is_set():
                    halfway.wait(timeout=120)
                if n % 5 == 4 and n + 3 <= each:
                    batch = [
                        {
                            "action": Action.ENQUIRY_VIEWED,
                            "object_id": f"writer-{number}",
                            "details": {"n": m},
                        }
                        for m in range(n, n + 3)
                    ]
                    record_many(batch)
                    n += 3
                else:
                    record(
                        action=Action.ENQUIRY_VIEWED,
                        object_id=f"writer-{number}",
                        details={"n": n},
                    )
                    n += 1
        except BaseException as error:
            failed(error)
        finally:
            connections.close_all()

    def signer() -> None:
        try:
            start.wait()
            while not done.wait(0.03):
                sign_checkpoint()
                with lock:
                    outcome.checkpoints_signed += 1
                    if outcome.checkpoints_signed >= 2 and outcome.verifications_during >= 2:
                        halfway.set()
        except BaseException as error:
            failed(error)
        finally:
            connections.close_all()

    def verifier() -> None:
        try:
            start.wait()
            while not done.wait(0.01):
                _run, found = verify_record(public_keys=[key.public_key()], witness_dir=witness_dir)
                with lock:
                    outcome.verifications_during += 1
                    outcome.false_alarms += [
                        f"{b.where} ({b.kind}): {b.message}" for b in found.breaks
                    ]
                    if outcome.checkpoints_signed >= 2 and outcome.verifications_during >= 2:
                        halfway.set()
        except BaseException as error:
            failed(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    others = [threading.Thread(target=signer), threading.Thread(target=verifier)]
    for thread in [*threads, *others]:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    for thread in others:
        thread.join()
    return outcome


def check(outcome: Outcome, *, writers: int, each: int, witness_dir: Path) -> Outcome:
    """After the run: every writer's entries present once, ``mash records verify`` with
    the witness, and each checkpoint's Merkle root rebuilt from the chain as it is now
    (and each one's tree a prefix of the next's, by a consistency proof)."""
    import io

    from django.core.management import CommandError, call_command

    from mash.records import merkle, witness
    from mash.records.models import Checkpoint, RecordEntry
    from mash.records.services import _leaves

    outcome.entries = RecordEntry.objects.count()
    for number in range(writers):
        ns = sorted(
            entry["n"]
            for entry in RecordEntry.objects.filter(object_id=f"writer-{number}").values_list(
                "details", flat=True
            )
        )
        if ns != list(range(each)):
            outcome.missing_or_doubled.append(f"writer-{number}: {len(ns)} entries")

    out = io.StringIO()
    try:
        call_command("records", "verify", "--witness", str(witness_dir), stdout=out)
        outcome.verify_code = 0
    except CommandError as error:
        outcome.verify_code = error.returncode
        out.write(str(error))
    outcome.verify_output = out.getvalue()

    seen = witness.read(witness_dir)
    outcome.witnessed_checkpoints = len(seen.checkpoints)
    leaves = list(_leaves(1, RecordEntry.objects.count()))
    previous: tuple[int, bytes] | None = None
    statements = [json.loads(s) for s in Checkpoint.objects.values_list("statement", flat=True)]
    outcome.checkpoints = len(statements)
    for statement in sorted(statements, key=lambda s: int(s["tree_size"])):
        size, root = int(statement["tree_size"]), bytes.fromhex(statement["merkle_root"])
        if size != int(statement["seq"]):
            outcome.merkle_problems.append(f"checkpoint at {statement['seq']}: tree of {size}")
        if merkle.tree_root(leaves[:size]) != root:
            outcome.merkle_problems.append(f"checkpoint at {size}: root differs from the chain")
        if previous is not None:
            first, first_root = previous
            path = merkle.consistency_path(first, leaves[:size])
            if not merkle.verify_consistency(first, size, first_root, root, path):
                outcome.merkle_problems.append(f"{first} -> {size}: not a prefix")
        previous = (size, root)
    return outcome


def main(writers: int, each: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mash.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    witness_dir = Path(settings.MASH_RECORD_WITNESS_DIR)
    outcome = run(writers=writers, each=each, witness_dir=witness_dir)
    check(outcome, writers=writers, each=each, witness_dir=witness_dir)
    print(json.dumps(asdict(outcome)))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
