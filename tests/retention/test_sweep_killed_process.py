"""``mash retention sweep`` killed with SIGKILL at random moments, run after run over a
real SQLite file, never leaves a half-deleted enquiry; the run that completes leaves
exactly what the schedule says, and ``mash records verify`` passes."""

from __future__ import annotations

from typing import Any

from tests.retention.swept_database import half_done, run


def test_no_kill_leaves_a_half_deleted_enquiry(swept_database: Any) -> None:
    assert swept_database.kills >= 2, "the sweep finished before it could be killed"
    assert swept_database.half_done_after_kill == []
    assert half_done(swept_database.database, swept_database.generated) == []


def test_the_completed_run_reported_its_progress(swept_database: Any) -> None:
    [output] = swept_database.outputs
    assert "enquiries examined" in output
    assert "Sweep" in output and "finished" in output


def test_the_record_verifies_after_the_sweep(swept_database: Any) -> None:
    verified = run(["records", "verify"], swept_database)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_second_run_destroys_nothing(swept_database: Any) -> None:
    again = run(["retention", "sweep", "--today", "2026-11-25"], swept_database)
    assert again.returncode == 0, again.stderr
    assert "0 records destroyed" in again.stdout
