"""The evidence sweep's rules, file by file: a file no record names goes once it is
older than the grace period (an upload in flight is younger); a pending file a record
names is made final; anything else in the folder is left alone."""

from __future__ import annotations

import datetime as dt
import os
import time
from typing import Any

from mash.consent import evidence
from mash.records.models import RecordEntry

from .test_consent_evidence import PDF


def _stored(child: Any) -> str:
    return evidence.store(
        evidence.Evidence(content=PDF, content_type="application/pdf", sha256=""),
        enquiry_id=child.enquiry_id,
    )


def _age(path: Any, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_the_sweep_removes_old_orphans_promotes_committed_and_spares_the_rest(
    child: Any,
) -> None:
    kept, committed, orphan, young, dead = (_stored(child) for _ in range(5))
    evidence.promote(kept)
    evidence.promote(orphan)
    _age(evidence.stored_path(orphan), 2)
    _age(evidence.stored_path(dead), 2)  # pending, no row: its writer died
    other = evidence.evidence_dir() / "README"
    other.write_text("not evidence")
    _age(other, 48)

    result = evidence.sweep({kept, committed}, grace=dt.timedelta(hours=1))
    assert (result.removed, result.pending_removed, result.promoted) == (1, 1, 1)
    on_disk = {p.name for p in evidence.evidence_dir().iterdir()}
    assert on_disk == {kept, committed, f"{evidence.PENDING_PREFIX}{young}", "README"}
    assert evidence.load(committed) == PDF


def test_the_daily_sweep_is_counted_in_the_record(child: Any) -> None:
    from mash.consent.services import sweep_evidence

    name = _stored(child)
    _age(evidence.stored_path(name), 2)
    result = sweep_evidence()
    assert result.pending_removed == 1
    entry = RecordEntry.objects.get(action="consent.evidence_swept")
    assert entry.details["pending_removed"] == 1 and entry.details["removed"] == 0
