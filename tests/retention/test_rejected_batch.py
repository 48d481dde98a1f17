"""The DPO rejects a batch with the reason (required): nothing in it is destroyed, the
rejection is recorded with who and when (the reason kept sealed in the batch, not in
the record), and its records come back in the next sweep's batch."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from mash.enquiries.models import Enquiry
from mash.records.models import RecordEntry
from mash.retention import services
from mash.retention.models import SweepBatch, Tombstone
from tests.retention.batches import closed_long_ago, require_approval

REASON = "QXB-REJECT-Inquiry-team-asked-us-to-wait-7401"


@pytest.fixture
def batch(db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> SweepBatch:
    require_approval(agencies["hub"])
    closed_long_ago(agencies["hub"], cast["hub_practitioner"], reference="MASH-REJ-1")
    closed_long_ago(agencies["hub"], cast["hub_practitioner"], reference="MASH-REJ-2")
    return services.sweep().batches.get()


def test_rejecting_without_a_reason_is_refused_naming_the_field(
    batch: SweepBatch, client_for: Any
) -> None:
    response = client_for("dpo").post(f"/retention/batches/{batch.pk}", {"decision": "reject"})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_reason"' in html and "Enter why you are rejecting the batch" in html
    assert 'id="id_reason"' in html
    batch.refresh_from_db()
    assert batch.status == "pending"
    assert not RecordEntry.objects.filter(action="retention.batch_rejected").exists()


def test_no_decision_is_refused_naming_the_field(batch: SweepBatch, client_for: Any) -> None:
    response = client_for("dpo").post(f"/retention/batches/{batch.pk}", {})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_decision"' in html and "Select whether to approve or reject" in html


def test_a_rejected_batch_destroys_nothing_and_its_records_come_back(
    batch: SweepBatch, client_for: Any, cast: dict[str, Any]
) -> None:
    response = client_for("dpo").post(
        f"/retention/batches/{batch.pk}", {"decision": "reject", "reason": REASON}
    )

    assert response.status_code == 302
    batch = SweepBatch.objects.get(pk=batch.pk)
    assert (batch.status, batch.decided_by) == ("rejected", cast["dpo"])
    assert batch.rejection_reason == REASON and batch.decided_at is not None
    entry = RecordEntry.objects.get(action="retention.batch_rejected")
    assert entry.actor_username == cast["dpo"].username and REASON not in repr(entry.details)

    run = services.sweep()

    assert Enquiry.objects.filter(reference__startswith="MASH-REJ-").count() == 2
    assert not Tombstone.objects.exists()
    again = run.batches.get()
    assert set(again.items.values_list("object_type", "object_id")) == set(
        batch.items.values_list("object_type", "object_id")
    )
    assert SweepBatch.objects.get(pk=batch.pk).status == "rejected"


def test_the_reason_is_not_kept_in_clear(batch: SweepBatch, cast: dict[str, Any]) -> None:
    services.reject_batch(actor=cast["dpo"], batch=batch, reason=REASON)

    with connection.cursor() as cursor:
        cursor.execute("SELECT rejection_reason FROM retention_sweepbatch")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and all(REASON not in value for value in stored)
    assert SweepBatch.objects.get(pk=batch.pk).rejection_reason == REASON


def test_a_batch_is_decided_once(batch: SweepBatch, client_for: Any, cast: dict[str, Any]) -> None:
    services.approve_batch(actor=cast["dpo"], batch=batch)

    with pytest.raises(ValidationError):
        services.reject_batch(actor=cast["dpo"], batch=batch, reason="Second thoughts")
    response = client_for("dpo").post(
        f"/retention/batches/{batch.pk}", {"decision": "reject", "reason": "Second thoughts"}
    )

    assert response.status_code == 302
    assert SweepBatch.objects.get(pk=batch.pk).status == "approved"
    assert RecordEntry.objects.filter(action="retention.batch_rejected").count() == 0


def test_only_the_hubs_dpo_may_decide(batch: SweepBatch, cast: dict[str, Any]) -> None:
    from django.core.exceptions import PermissionDenied

    for who in ("hub_manager", "police_manager", "hub_practitioner"):
        with pytest.raises(PermissionDenied):
            services.approve_batch(actor=cast[who], batch=batch)
    assert SweepBatch.objects.get(pk=batch.pk).status == "pending"
