"""An approved batch is destroyed by the next sweep (or at once through the service),
each enquiry planned again at that moment: what a hold keeps by then, or what is no
longer past its retention, is kept whatever was approved; what passed its retention
since the batch was planned waits for a batch of its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from mash.agencies.models import Agency
from mash.enquiries.models import Enquiry
from mash.records.models import RecordEntry
from mash.retention import services
from mash.retention.models import RetentionRule, SweepBatch, SweepBatchItem, Tombstone
from tests.retention.batches import closed_long_ago, require_approval
from tests.retention.dataset import TODAY
from tests.retention.helpers import present_ids, wrong_rows

REVIEW = timezone.localdate() + dt.timedelta(days=60)


@pytest.fixture
def planned(generated: Any) -> Any:
    """The generated data set, with approval required and one batch planned."""
    for hub in Agency.objects.filter(is_hub=True):
        require_approval(hub)
    services.sweep(today=TODAY)
    return generated


def _approve_on_the_page(client_for: Any, batch: SweepBatch) -> Any:
    return client_for("dpo").post(f"/retention/batches/{batch.pk}", {"decision": "approve"})


def test_approving_destroys_nothing_until_the_next_sweep_destroys_it_all(
    planned: Any, client_for: Any, cast: dict[str, Any]
) -> None:
    batch = SweepBatch.objects.get()
    before = present_ids()

    response = _approve_on_the_page(client_for, batch)

    assert response.status_code == 302 and response["Location"] == "/retention/batches"
    batch.refresh_from_db()
    assert (batch.status, batch.decided_by) == ("approved", cast["dpo"])
    assert batch.decided_at is not None
    assert present_ids() == before
    approved = RecordEntry.objects.get(action="retention.batch_approved")
    assert approved.actor_username == cast["dpo"].username
    assert approved.object_id == str(batch.pk)

    run = services.sweep(today=TODAY)

    assert wrong_rows(planned) == []
    batch.refresh_from_db()
    assert (batch.status, batch.destroyed_by) == ("destroyed", run)
    assert batch.records_destroyed == batch.items.count() and batch.records_kept == 0
    assert set(batch.items.values_list("outcome", flat=True)) == {"destroyed"}
    assert run.records_destroyed == Tombstone.objects.count() == batch.records_destroyed
    assert not run.batches.exists()  # nothing left to plan
    deletions = RecordEntry.objects.filter(action="retention.deletion")
    assert deletions and all(e.details["batches"] == [str(batch.pk)] for e in deletions)
    assert RecordEntry.objects.filter(action="retention.batch_destroyed").count() == 1


def test_the_service_destroys_an_approved_batch_at_once(planned: Any, cast: dict[str, Any]) -> None:
    batch = services.approve_batch(actor=cast["dpo"], batch=SweepBatch.objects.get())

    done = services.destroy_batch(batch=batch, today=TODAY)

    assert done.status == "destroyed" and done.records_kept == 0
    assert wrong_rows(planned) == []


def test_a_pending_batch_cannot_be_destroyed_through_the_service(
    planned: Any,
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.destroy_batch(batch=SweepBatch.objects.get(), today=TODAY)
    assert not Tombstone.objects.exists()


def test_a_hold_placed_after_approval_keeps_the_enquiry(
    planned: Any, client_for: Any, cast: dict[str, Any]
) -> None:
    batch = SweepBatch.objects.get()
    _approve_on_the_page(client_for, batch)
    old = next(gen for gen in planned if gen.fate == "old")
    enquiry = Enquiry.objects.get(pk=old.enquiry_id)
    hold = services.place_hold(
        actor=cast["dpo"], scope="enquiry", enquiry=enquiry, reason="Claim", review_on=REVIEW
    )

    services.sweep(today=TODAY)

    present = present_ids()
    assert all(row.id in present[row.kind] for row in old.rows)
    others = [gen for gen in planned if gen.enquiry_id != old.enquiry_id]
    assert wrong_rows(others) == []
    batch.refresh_from_db()
    kept = batch.items.filter(enquiry_id=enquiry.pk)
    assert batch.status == "destroyed" and batch.records_kept == kept.count() > 0
    assert set(kept.values_list("outcome", flat=True)) == {"kept"}
    assert not Tombstone.objects.filter(enquiry_id=enquiry.pk).exists()
    # Held, it is planned into no new batch; released, it comes back for approval.
    assert not SweepBatch.objects.filter(status="pending").exists()
    services.release_hold(actor=cast["dpo"], hold=hold)
    again = services.sweep(today=TODAY)
    assert set(again.batches.get().items.values_list("enquiry_id", flat=True)) == {enquiry.pk}


def test_what_is_no_longer_past_retention_is_kept(
    db: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    hub = agencies["hub"]
    require_approval(hub)
    enquiry = closed_long_ago(hub, cast["hub_practitioner"])
    run = services.sweep()
    batch = services.approve_batch(actor=cast["dpo"], batch=run.batches.get())
    # The schedule changed after approval: such enquiries are now kept for ten years.
    RetentionRule.objects.filter(agency=hub, kind="enquiry_nfa").update(amount=10)

    done = services.destroy_batch(batch=batch)

    assert Enquiry.objects.filter(pk=enquiry.pk).exists()
    assert (done.records_destroyed, done.records_kept) == (0, batch.items.count())
    assert not RecordEntry.objects.filter(action="retention.deletion").exists()


def test_what_passed_retention_after_planning_waits_for_its_own_batch(
    generated: Any, cast: dict[str, Any]
) -> None:
    """Planned two years before TODAY, a batch holds less than is due on TODAY. Its
    approval destroys only what it holds (a group of records goes only when every record
    of it that is due was approved); the rest goes into the next batch."""
    for hub in Agency.objects.filter(is_hub=True):
        require_approval(hub)
    earlier = TODAY - dt.timedelta(days=2 * 365)
    first = services.sweep(today=earlier).batches.get()
    approved = set(first.items.values_list("object_type", "object_id"))
    services.approve_batch(actor=cast["dpo"], batch=first)

    run = services.sweep(today=TODAY)

    destroyed = set(Tombstone.objects.values_list("object_type", "object_id"))
    assert destroyed and destroyed <= approved
    second = run.batches.get()
    assert not set(second.items.values_list("object_type", "object_id")) & destroyed
    services.approve_batch(actor=cast["dpo"], batch=second)
    services.sweep(today=TODAY)
    assert wrong_rows(generated) == []
    assert not SweepBatchItem.objects.filter(outcome="").exists()
