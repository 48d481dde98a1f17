"""Small helpers for the record's tests: fill the chain, tamper with it behind the
triggers' back, run the verifier as the command line does."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management import CommandError, call_command
from django.db import connection

from mash.records import triggers
from mash.records.models import Action, RecordEntry
from mash.records.services import record


def fill(count: int, *, actor: Any = None) -> list[RecordEntry]:
    return [
        record(
            action=Action.ENQUIRY_VIEWED,
            actor=actor,
            object_type="enquiries.enquiry",
            object_id=f"object-{n}",
            details={"n": n, "fields": ["rag"]},
        )
        for n in range(count)
    ]


@contextmanager
def without_triggers() -> Iterator[None]:
    """Drop the append-only triggers, as someone with the table owner's rights could."""
    triggers.remove(connection)
    try:
        yield
    finally:
        triggers.install(connection)


def run_records(*args: str) -> tuple[int, str]:
    """``mash records ARGS``: (exit code, what it printed)."""
    out = io.StringIO()
    try:
        call_command("records", *args, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()
