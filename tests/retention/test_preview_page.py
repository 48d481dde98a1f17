"""The DPO's preview: what will be destroyed in the next 30 or 90 days, grouped by the
rule that destroys it, with a hold a click away; and nobody else sees it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from mash.enquiries.models import Enquiry
from mash.records.models import RecordEntry
from mash.retention import planning
from mash.retention.models import Hold, RetentionRule


@pytest.fixture
def closing(db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> dict[str, Any]:
    """Three enquiries closed with no further action, under a rule of one year from
    closure: one past it, one reaching it in 60 days, one in 200 days."""
    RetentionRule.objects.create(
        agency=agencies["hub"],
        kind="enquiry_nfa",
        amount=1,
        unit="years",
        trigger="closed",
        reason="Local authority schedule, line 4.2",
    )
    today = timezone.localdate()
    out = {}
    for name, days_left in [("past", -5), ("soon", 60), ("later", 200)]:
        closed = today - dt.timedelta(days=365) + dt.timedelta(days=days_left)
        out[name] = Enquiry.objects.create(
            reference=f"MASH-PRE-{name}",
            hub=agencies["hub"],
            status="closed",
            outcome="no_further_action",
            closed_at=dt.datetime.combine(closed, dt.time(12), tzinfo=dt.UTC),
            created_by=cast["hub_practitioner"],
        )
    return out


def test_it_groups_what_will_go_by_rule_within_30_or_90_days(
    client_for: Any, closing: dict[str, Any]
) -> None:
    client = client_for("dpo")
    thirty = client.get("/retention/").content.decode()
    ninety = client.get("/retention/?days=90").content.decode()

    assert "1 year from closure" in thirty and "Local authority schedule, line 4.2" in thirty
    assert "MASH-PRE-past" in thirty and "MASH-PRE-soon" not in thirty
    assert "MASH-PRE-past" in ninety and "MASH-PRE-soon" in ninety
    assert "MASH-PRE-later" not in ninety
    assert RecordEntry.objects.filter(action="retention.viewed").count() == 2


def test_the_preview_destroys_nothing(client_for: Any, closing: dict[str, Any]) -> None:
    client_for("dpo").get("/retention/?days=90")
    assert Enquiry.objects.count() == 3


def test_a_hold_placed_from_the_preview_takes_the_enquiry_out_of_it(
    client_for: Any, closing: dict[str, Any]
) -> None:
    client = client_for("dpo")
    enquiry = closing["past"]
    page = client.get("/retention/").content.decode()
    link = f"/retention/holds/new/enquiry/{enquiry.pk}"
    assert link in page
    review = timezone.localdate() + dt.timedelta(days=30)
    placed = client.post(
        link,
        {
            "reason": "Independent inquiry: records requested",
            "review_on_day": review.day,
            "review_on_month": review.month,
            "review_on_year": review.year,
        },
    )
    assert placed.status_code == 302
    hold = Hold.objects.get()
    assert (hold.scope, hold.enquiry_id, hold.review_on) == ("enquiry", enquiry.pk, review)

    found = planning.preview(today=timezone.localdate(), days=30)
    assert not found.groups
    assert [plan.reference for plan in found.held] == ["MASH-PRE-past"]
    assert "Kept by a hold" in client.get("/retention/").content.decode()


def test_a_hold_without_a_reason_or_with_a_past_date_is_refused_naming_the_field(
    client_for: Any, closing: dict[str, Any]
) -> None:
    client = client_for("dpo")
    response = client.post(
        f"/retention/holds/new/enquiry/{closing['past'].pk}",
        {"reason": "", "review_on_day": "1", "review_on_month": "1", "review_on_year": "2001"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_reason"' in html and "Enter the reason for the hold" in html
    assert 'href="#review_on_day"' in html and "must be today or in the future" in html
    assert not Hold.objects.exists()


def test_the_hold_pages_list_and_release(client_for: Any, closing: dict[str, Any]) -> None:
    client = client_for("dpo")
    review = timezone.localdate() + dt.timedelta(days=30)
    client.post(
        "/retention/holds/new/hub",
        {
            "reason": "Inquiry moratorium",
            "review_on_day": review.day,
            "review_on_month": review.month,
            "review_on_year": review.year,
        },
    )
    hold = Hold.objects.get()
    assert hold.scope == "hub"
    assert "Inquiry moratorium" in client.get("/retention/holds").content.decode()
    assert client.post(f"/retention/holds/{hold.pk}/release").status_code == 302
    hold.refresh_from_db()
    assert hold.released_at is not None


@pytest.mark.parametrize(
    "who", ["hub_practitioner", "hub_manager", "police_manager", "health_practitioner", "outsider"]
)
def test_only_the_hubs_dpo_sees_the_preview_or_places_holds(
    client_for: Any, closing: dict[str, Any], who: str
) -> None:
    client = client_for(who)
    assert client.get("/retention/").status_code == 403
    assert client.get("/retention/holds").status_code == 403
    assert (
        client.post(
            f"/retention/holds/new/enquiry/{closing['past'].pk}", {"reason": "x"}
        ).status_code
        == 403
    )
    assert not Hold.objects.exists()
    assert RecordEntry.objects.filter(action="access.denied").exists()


def test_a_guessed_enquiry_id_answers_404(client_for: Any, closing: dict[str, Any]) -> None:
    import uuid

    assert client_for("dpo").get(f"/retention/holds/new/enquiry/{uuid.uuid4()}").status_code == 404
