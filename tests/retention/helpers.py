"""Checks shared by the sweep's tests: what is left of a generated data set."""

from __future__ import annotations

import uuid
from typing import Any

from tests.retention.dataset import Generated


def _models() -> dict[str, Any]:
    from mash.consent.models import ConsentRecord
    from mash.enquiries.models import Enquiry, Person
    from mash.sharing.models import Decision, DisclosureItem, InformationRequest

    return {
        "enquiry": Enquiry,
        "person": Person,
        "request": InformationRequest,
        "decision": Decision,
        "item": DisclosureItem,
        "consent": ConsentRecord,
    }


def present_ids() -> dict[str, set[str]]:
    """Every row id still in the database, by kind."""
    return {
        kind: {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        for kind, model in _models().items()
    }


def wrong_rows(generated: list[Generated]) -> list[str]:
    """Each row whose presence is not what its fate says (empty when all is right)."""
    present = present_ids()
    wrong = []
    for gen in generated:
        for row in gen.rows:
            there = row.id in present[row.kind]
            if there == row.destroyed:
                state = "still there" if there else "destroyed"
                wrong.append(f"{gen.fate} enquiry {gen.enquiry_id}: {row.kind} {row.id} {state}")
    return wrong


def half_done(generated: list[Generated]) -> list[str]:
    """Enquiries whose rows due for destruction are partly gone: each enquiry's
    destruction is one transaction, so they are all there or all gone, with a
    tombstone for each gone row and one record entry for the enquiry."""
    from mash.records.models import RecordEntry
    from mash.retention.models import Tombstone

    present = present_ids()
    tombstones = {str(pk) for pk in Tombstone.objects.values_list("object_id", flat=True)}
    recorded = {
        str(pk)
        for pk in RecordEntry.objects.filter(action="retention.deletion").values_list(
            "enquiry_id", flat=True
        )
    }
    problems = []
    for gen in generated:
        due = [row for row in gen.rows if row.destroyed]
        if not due:
            continue
        gone = [row for row in due if row.id not in present[row.kind]]
        if gone and len(gone) != len(due):
            problems.append(f"enquiry {gen.enquiry_id}: {len(gone)} of {len(due)} rows gone")
        if any(row.id not in tombstones for row in gone):
            problems.append(f"enquiry {gen.enquiry_id}: a row gone without a tombstone")
        if bool(gone) != (gen.enquiry_id in recorded):
            problems.append(f"enquiry {gen.enquiry_id}: record entry does not match")
    return problems


def as_uuid(value: str) -> uuid.UUID:
    return uuid.UUID(value)
