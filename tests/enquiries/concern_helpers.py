"""A concern a partner raises through the real form's fields, and the hub's way through
it (take, decide, authorise, tell the referrer), for the concern tests and the perf test."""

from __future__ import annotations

from typing import Any

from mash.enquiries import allocation, concerns, feedback, services, threshold
from mash.enquiries.models import Concern

CONCERN = "Amy came to school with a burn on her hand and said not to tell anyone."
OUTCOME = "The hub has arranged support for the family. Thank you for raising it."


def concern_form(**overrides: str) -> dict[str, str]:
    data = {
        "referrer_role": "Designated safeguarding lead",
        "referrer_contact": "dsl@oak-primary.example.org",
        "first_name": "Amy",
        "last_name": "Pupil",
        "dob_day": "14",
        "dob_month": "3",
        "dob_year": "2018",
        "school_or_setting": "Oak Primary School",
        "concern": CONCERN,
        "immediate_danger": "no",
        "consent_to_refer": "not_obtained",
        "consent_not_obtained_reason": "Telling the parents could put Amy at risk.",
    }
    data.update(overrides)
    return data


def raise_one(actor: Any, hub: Any, *, first_name: str = "Amy") -> Concern:
    from datetime import date

    return concerns.raise_concern(
        actor=actor,
        hub=hub,
        details=concerns.ConcernDetails(
            role="Designated safeguarding lead",
            contact="dsl@oak-primary.example.org",
            concern=CONCERN,
            immediate_danger=False,
            child=services.PersonDetails(
                kind="child",
                first_name=first_name,
                last_name="Pupil",
                date_of_birth=date(2018, 3, 14),
            ),
            consent="obtained",
            obtained_from="Mother",
        ),
    )


def see_it_through(concern: Concern, practitioner: Any, manager: Any) -> Any:
    """The hub takes the contact, decides, a manager authorises, the referrer is told."""
    enquiry = concern.enquiry
    services.update_urgency(enquiry=enquiry, actor=practitioner, rag="amber", rationale="Burn")
    if enquiry.owner_id is None:
        allocation.take_enquiry(enquiry=enquiry, actor=practitioner)
    level = threshold.levels_for(enquiry.hub_id)[1]
    decision = threshold.record_threshold_decision(
        enquiry=enquiry,
        actor=practitioner,
        level_id=str(level.pk),
        outcomes=["early_help"],
        referral_service="",
        rationale="HUB-ONLY rationale: police intelligence on the household.",
    )
    threshold.authorise_threshold_decision(decision=decision, actor=manager)
    decision.refresh_from_db()
    return feedback.send_feedback(
        decision=decision,
        actor=practitioner,
        method="phone",
        email="",
        text=OUTCOME,
        item_ids=[],
    )
