"""The sweep over a generated data set: every expired, unheld record destroyed, every
held or current one untouched (checked row by row against the fate each enquiry was
generated with), a tombstone and a record entry for each destruction, and the record
still verifies."""

from __future__ import annotations

from typing import Any

from mash.records.models import RecordEntry
from mash.records.verify import walk_database
from mash.retention import services
from mash.retention.models import Tombstone
from tests.retention.dataset import TODAY
from tests.retention.helpers import present_ids, wrong_rows


def test_it_destroys_every_expired_unheld_record_and_nothing_else(generated: Any) -> None:
    run = services.sweep(today=TODAY, batch_size=37)

    assert wrong_rows(generated) == []
    due = {row.id for gen in generated for row in gen.rows if row.destroyed}
    stones = Tombstone.objects.exclude(object_type="consent.evidence")
    assert due and {str(pk) for pk in stones.values_list("object_id", flat=True)} == due
    assert run.records_destroyed == Tombstone.objects.count()
    assert {gen.fate for gen in generated} >= {"old", "recent", "open_old", "action_young"}


def test_each_destroyed_record_leaves_a_tombstone_naming_its_rule(generated: Any) -> None:
    services.sweep(today=TODAY)

    tombstones = {str(t.object_id): t for t in Tombstone.objects.select_related("rule")}
    for gen in generated:
        for row in gen.rows:
            if not row.destroyed:
                assert row.id not in tombstones
                continue
            stone = tombstones[row.id]
            assert str(stone.enquiry_id) == gen.enquiry_id
            assert stone.rule is not None and stone.rule_applied == stone.rule.describe()
            assert stone.retention_ended < TODAY
    # Police disclosures in open enquiries went under police's own rule.
    police_items = Tombstone.objects.filter(kind="disclosure", rule_agency__code="police")
    assert police_items.exists()
    assert {t.rule_applied for t in police_items} == {"1 year from creation"}


def test_the_record_entry_names_no_person(generated: Any) -> None:
    services.sweep(today=TODAY)

    entries = list(RecordEntry.objects.filter(action="retention.deletion"))
    assert entries
    markers = [row.marker for gen in generated for row in gen.rows]
    for entry in entries:
        text = repr(entry.details) + entry.object_id + entry.actor_username
        assert "CANARY" not in text
        assert entry.actor_username == "system"
        assert set(entry.details) == {"sweep", "whole_enquiry", "destroyed", "rules"}
    assert markers


def test_a_second_run_finds_nothing_and_changes_nothing(generated: Any) -> None:
    services.sweep(today=TODAY, batch_size=50)
    after_first = present_ids()
    stones = Tombstone.objects.count()
    entries = RecordEntry.objects.count()

    second = services.sweep(today=TODAY, batch_size=13)

    assert second.records_destroyed == 0
    assert present_ids() == after_first
    assert Tombstone.objects.count() == stones
    assert RecordEntry.objects.count() == entries
    assert wrong_rows(generated) == []


def test_the_record_still_verifies_after_a_sweep(generated: Any) -> None:
    services.sweep(today=TODAY)
    assert walk_database(checkpoints={}).intact


def test_a_dry_run_destroys_nothing_but_counts_what_a_sweep_would(generated: Any) -> None:
    before = present_ids()
    dry = services.sweep(today=TODAY, dry_run=True)
    assert present_ids() == before
    assert not Tombstone.objects.exists()
    real = services.sweep(today=TODAY)
    assert (dry.records_destroyed, dry.enquiries_destroyed) == (
        real.records_destroyed,
        real.enquiries_destroyed,
    )
