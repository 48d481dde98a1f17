"""Enquiries about people the hub may already know, made through the services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from mash.enquiries import services
from mash.enquiries.models import Enquiry


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def child(
    first: str,
    last: str,
    born: date | None = date(2015, 3, 7),
    *,
    address: str = "12 Mill Lane, Hereford HR1 2AB",
    kind: str = "child",
    estimated_age: int | None = None,
    other_names: str = "",
) -> services.PersonDetails:
    return services.PersonDetails(
        kind=kind,
        first_name=first,
        last_name=last,
        date_of_birth=born,
        estimated_age=estimated_age,
        address=address,
        other_names=other_names,
        relationship="" if kind == "child" else "mother",
    )


def enquiry_about(
    actor: Any,
    *people: services.PersonDetails,
    days_ago: int = 1,
    submit: bool = True,
    concern: str = "Bruising seen at school.",
) -> Enquiry:
    """An enquiry received ``days_ago`` about ``people`` (submitted unless told)."""
    enquiry = services.start_enquiry(actor=actor)
    services.update_received(
        enquiry=enquiry, actor=actor, received_at=timezone.now() - timedelta(days=days_ago)
    )
    services.update_source(enquiry=enquiry, actor=actor, source="professional")
    services.update_referrer(
        enquiry=enquiry,
        actor=actor,
        name="Ann Teacher",
        role="Class teacher",
        organisation="Mill Lane Primary",
        contact="01432 000000",
    )
    services.update_concern(enquiry=enquiry, actor=actor, concern=concern)
    services.update_immediate_danger(enquiry=enquiry, actor=actor, immediate_danger=False)
    for details in people:
        services.add_person(enquiry=enquiry, actor=actor, details=details)
    services.update_consent_to_refer(
        enquiry=enquiry,
        actor=actor,
        consent="not_obtained",
        reason_not_obtained="Asking could place the child at further risk.",
    )
    services.update_urgency(enquiry=enquiry, actor=actor, rag="amber", rationale="Injury seen.")
    if submit:
        enquiry = services.submit_enquiry(enquiry=enquiry, actor=actor)
    return enquiry
