"""The DPO's pages for sweep batches: the list (awaiting approval first), and each
batch grouped by rule with the enquiries by reference, which a hold now keeps, and the
decision form (CSRF-protected); recorded views; nobody else sees them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from mash.records.models import RecordEntry
from mash.retention import services
from mash.retention.models import SweepBatch
from tests.retention.batches import closed_long_ago, require_approval


@pytest.fixture
def batch(db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> SweepBatch:
    require_approval(agencies["hub"])
    closed_long_ago(agencies["hub"], cast["hub_practitioner"], reference="MASH-PAGE-1")
    closed_long_ago(agencies["hub"], cast["hub_practitioner"], reference="MASH-PAGE-2")
    return services.sweep().batches.get()


def test_the_preview_links_to_the_batches_awaiting_approval(
    batch: SweepBatch, client_for: Any
) -> None:
    html = client_for("dpo").get("/retention/").content.decode()
    assert "Sweep batches: 1 awaiting your approval" in html
    assert "require your approval of each batch" in html


def test_the_list_shows_the_batch_awaiting_approval(batch: SweepBatch, client_for: Any) -> None:
    html = client_for("dpo").get("/retention/batches").content.decode()

    assert f"/retention/batches/{batch.pk}" in html and "Review and decide" in html
    assert "No batch has been decided yet" in html
    assert RecordEntry.objects.filter(action="retention.viewed").exists()


def test_the_batch_is_grouped_by_rule_with_the_enquiries_by_reference(
    batch: SweepBatch, client_for: Any
) -> None:
    html = client_for("dpo").get(f"/retention/batches/{batch.pk}").content.decode()

    assert "4 records in 2 enquiries past retention" in html
    assert "1 year from closure" in html and "Local authority retention schedule" in html
    assert "MASH-PAGE-1" in html and "MASH-PAGE-2" in html
    assert "The whole enquiry" in html
    assert "enquiry closed with no further action 2; people in the enquiry 2" in html
    assert 'name="decision"' in html and 'name="csrfmiddlewaretoken"' in html
    viewed = RecordEntry.objects.get(action="retention.viewed", object_id=str(batch.pk))
    assert viewed.details["page"] == "batch"


def test_an_enquiry_held_since_planning_is_shown_as_kept(
    batch: SweepBatch, client_for: Any, cast: dict[str, Any]
) -> None:
    from mash.enquiries.models import Enquiry

    services.place_hold(
        actor=cast["dpo"],
        scope="enquiry",
        enquiry=Enquiry.objects.get(reference="MASH-PAGE-1"),
        reason="Claim",
        review_on=timezone.localdate() + dt.timedelta(days=30),
    )
    html = client_for("dpo").get(f"/retention/batches/{batch.pk}").content.decode()
    assert html.count("Kept by a hold") == 1


def test_a_destroyed_batch_shows_what_was_destroyed_and_no_form(
    batch: SweepBatch, client_for: Any, cast: dict[str, Any]
) -> None:
    services.destroy_batch(batch=services.approve_batch(actor=cast["dpo"], batch=batch))

    html = client_for("dpo").get(f"/retention/batches/{batch.pk}").content.decode()

    assert "4 records destroyed, 0 kept" in html and "Destroyed" in html
    assert "MASH-PAGE-1" not in html
    assert 'name="decision"' not in html


def test_the_decision_needs_the_csrf_token(batch: SweepBatch, cast: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["dpo"])

    response = client.post(f"/retention/batches/{batch.pk}", {"decision": "approve"})

    assert response.status_code == 403
    assert SweepBatch.objects.get(pk=batch.pk).status == "pending"


@pytest.mark.parametrize("who", ["hub_manager", "hub_practitioner", "police_manager"])
def test_nobody_but_the_dpo_sees_or_decides(batch: SweepBatch, client_for: Any, who: str) -> None:
    client = client_for(who)
    assert client.get("/retention/batches").status_code == 403
    assert client.get(f"/retention/batches/{batch.pk}").status_code == 403
    assert client.post(f"/retention/batches/{batch.pk}", {"decision": "approve"}).status_code == 403
    assert SweepBatch.objects.get(pk=batch.pk).status == "pending"


def test_another_hubs_dpo_finds_no_such_batch(batch: SweepBatch) -> None:
    from mash.agencies.models import Agency, User

    other = Agency.objects.create(
        code="hub9", name="Other MASH", kind="childrens_social_care", is_hub=True
    )
    dpo = User.objects.create_user(username="odpo", agency=other, role="dpo")
    client = Client()
    client.force_login(dpo)
    assert client.get(f"/retention/batches/{batch.pk}").status_code == 404
    assert client.post(f"/retention/batches/{batch.pk}", {"decision": "approve"}).status_code == 404
