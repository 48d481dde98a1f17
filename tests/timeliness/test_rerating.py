"""A rating changed mid-enquiry recomputes the open requests' deadlines, recorded with
the old and new deadline; the rationale is the one given with the new rating."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mash.enquiries import services as enquiries
from mash.records.models import RecordEntry
from mash.timeliness.config import hub_clock
from tests.timeliness.conftest import red_request


def test_upgrading_green_to_red_brings_the_deadline_forward(
    mail_cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    req = red_request(mail_cast, agencies, rag="green")
    green_due = req.deadline
    enquiries.update_urgency(
        enquiry=req.enquiry,
        actor=mail_cast["hub_practitioner"],
        rag="red",
        rationale="The child disclosed an injury at school this morning.",
    )
    req.refresh_from_db()
    red_due = hub_clock(agencies["hub"]).deadline(req.created_at, "red")
    assert red_due is not None
    assert req.deadline == red_due  # four hours from when it was sent, not from now
    assert req.deadline < green_due
    entry = RecordEntry.objects.get(action="request.deadline_changed")
    assert entry.object_id == str(req.pk)
    assert entry.details["rating"] == "red" and entry.details["previous_rating"] == "green"
    assert entry.details["from"] == green_due.isoformat()
    assert "injury" not in str(entry.details)  # the rationale stays on the enquiry
    changed = RecordEntry.objects.filter(action="enquiry.changed").last()
    assert changed is not None and "rag_rationale" in changed.details["fields"]
    req.enquiry.refresh_from_db()
    assert req.enquiry.rag_rationale.startswith("The child disclosed")


def test_the_same_rating_leaves_deadlines_alone(
    mail_cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    req = red_request(mail_cast, agencies, rag="amber")
    before = req.deadline
    enquiries.update_urgency(
        enquiry=req.enquiry,
        actor=mail_cast["hub_practitioner"],
        rag="amber",
        rationale="Reworded rationale.",
    )
    req.refresh_from_db()
    assert req.deadline == before
    assert not RecordEntry.objects.filter(action="request.deadline_changed").exists()


def test_an_upgrade_after_the_deadline_from_receipt_still_leaves_an_hour(
    mail_cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from mash.sharing.models import InformationRequest

    req = red_request(mail_cast, agencies, rag="green")
    # Sent six hours ago: Red's four hours from then have already gone.
    InformationRequest.objects.filter(pk=req.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=6)
    )
    before = timezone.now()
    enquiries.update_urgency(
        enquiry=req.enquiry, actor=mail_cast["hub_practitioner"], rag="red", rationale="Worse."
    )
    req.refresh_from_db()
    assert req.deadline >= before + dt.timedelta(hours=1)
    assert req.deadline <= timezone.now() + dt.timedelta(hours=1)
    entry = RecordEntry.objects.get(action="request.deadline_changed")
    assert entry.details["held_at_earliest"] is True
