"""Fault injection: someone with the table owner's rights drops the triggers and
tampers. The verifier must name the first entry that breaks the chain, and how."""

from __future__ import annotations

from typing import Any

from django.db import connection

from mash.records.models import RecordEntry, VerificationRun
from tests.records.helpers import fill, run_records, without_triggers


def test_an_untouched_record_is_intact(db: Any) -> None:
    fill(20)
    code, output = run_records("verify")
    assert code == 0
    assert "intact: 20 entries checked" in output
    run = VerificationRun.objects.get()
    assert (run.result, run.entries_checked, run.head_seq) == ("intact", 20, 20)


def test_it_names_an_entry_whose_details_were_changed(db: Any) -> None:
    fill(10)
    with without_triggers():
        RecordEntry.objects.filter(seq=4).update(details={"n": 3, "fields": ["concern"]})
    code, output = run_records("verify")
    assert code == 1
    assert "BROKEN at entry 4 (changed)" in output
    run = VerificationRun.objects.get()
    assert (run.result, run.break_seq, run.break_kind, run.entries_checked) == (
        "broken",
        4,
        "changed",
        10,  # it walks on past a break, to the end
    )


def test_it_names_an_entry_that_was_deleted(db: Any) -> None:
    fill(10)
    with without_triggers():
        RecordEntry.objects.filter(seq=6).delete()
    code, output = run_records("verify")
    assert code == 1
    assert "BROKEN at entry 6 (missing)" in output


def test_it_names_a_deleted_entry_even_when_the_later_ones_were_renumbered(db: Any) -> None:
    fill(8)
    with without_triggers(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_recordentry WHERE seq = 5")
        for seq in (6, 7, 8):
            cursor.execute("UPDATE records_recordentry SET seq = %s WHERE seq = %s", [seq - 1, seq])
    code, output = run_records("verify")
    assert code == 1
    assert "BROKEN at entry 5 (missing)" in output
    for seq, was in ((5, 6), (6, 7), (7, 8)):
        assert f"entry {seq} (reordered): entry {seq} was entry {was}: renumbered" in output


def test_it_names_the_first_of_two_swapped_entries(db: Any) -> None:
    fill(10)
    with without_triggers(), connection.cursor() as cursor:
        cursor.execute("UPDATE records_recordentry SET seq = -1 WHERE seq = 3")
        cursor.execute("UPDATE records_recordentry SET seq = 3 WHERE seq = 7")
        cursor.execute("UPDATE records_recordentry SET seq = 7 WHERE seq = -1")
    code, output = run_records("verify")
    assert code == 1
    assert "BROKEN at entry 3 (reordered)" in output
    assert "links to entry 6, which comes after it" in output


def test_it_names_a_tail_cut_off_after_a_checkpoint(db: Any) -> None:
    fill(10)
    assert run_records("checkpoint")[0] == 0  # signs entry 10 (then records entry 11)
    with without_triggers():
        RecordEntry.objects.filter(seq__gte=8).delete()
    code, output = run_records("verify")
    assert code == 1
    assert "BROKEN at entries 8 to 10 (truncated)" in output
    assert "a checkpoint signed entry 10" in output


def test_it_notices_a_tail_cut_off_and_written_again_with_fresh_hashes(db: Any) -> None:
    fill(10)
    assert run_records("checkpoint")[0] == 0
    with without_triggers():
        RecordEntry.objects.filter(seq__gte=9).delete()
    fill(5)  # a consistent chain again, but not the one the checkpoint signed
    code, output = run_records("verify")
    assert code == 1
    assert "BROKEN at entry 10 (rolled_back)" in output
    assert "not the entry a signed checkpoint saw" in output


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link(db: Any) -> None:
    from mash.records.chain import FIELDS, entry_hash

    fill(6)
    with without_triggers():
        fields = RecordEntry.objects.values(*FIELDS).get(seq=3)
        fields["details"] = {"n": 2, "fields": ["address"]}
        RecordEntry.objects.filter(seq=3).update(details=fields["details"], hash=entry_hash(fields))
    code, output = run_records("verify")
    assert code == 1
    assert "BROKEN at entry 4 (missing)" in output
    assert "or entry 3 was rewritten" in output
