"""Requests, decisions and disclosed items for the hub's pages to read. The sharing app
owns these and writes them through its own services; the hub's tests only need rows to
read, so they make them directly."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from mash.enquiries.models import Enquiry
from mash.sharing.models import Decision, DisclosureItem, InformationRequest


def ask(enquiry: Enquiry, agency: Any, by: Any, *, status: str = "open") -> InformationRequest:
    request = InformationRequest.objects.create(
        enquiry=enquiry,
        agency=agency,
        purpose="MASH enquiry: what do you hold about the child?",
        deadline=timezone.now() + timedelta(hours=24),
        status=status,
        created_by=by,
    )
    request.people.set(enquiry.people.all())
    return request


def decide(
    request: InformationRequest,
    by: Any,
    *,
    outcome: str = "share",
    basis: str = "significant_harm",
    supersedes: Decision | None = None,
    minutes_ago: int = 0,
) -> Decision:
    return Decision.objects.create(
        request=request,
        agency=request.agency,
        decided_by=by,
        decided_at=timezone.now() - timedelta(minutes=minutes_ago),
        guidance_version="herefordshire-2023-05",
        question={"purpose": {"legitimate": True}},
        outcome=outcome,
        basis=basis if outcome == "share" else "",
        grounds=[basis] if outcome == "share" else [],
        without_consent=outcome == "share",
        reasons=[f"Reason for {outcome} (Guidance, When?)"],
        justification="Child believed at risk of significant harm.",
        not_sharing_reasons="Nothing relevant held." if outcome == "do_not_share" else "",
        supersedes=supersedes,
    )


def disclose(decision: Decision, people: list[Any], **fields: Any) -> DisclosureItem:
    values: dict[str, Any] = {
        "text": "Attended A&E with a wrist injury.",
        "nature": "fact",
        "recorded_on": date(2026, 10, 1),
        "source": "A&E attendance record",
        "currency": "current",
        **fields,
    }
    item = DisclosureItem.objects.create(decision=decision, **values)
    item.people.set(people)
    return item
