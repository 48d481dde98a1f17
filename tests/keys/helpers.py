"""Enquiries with narrative text, made through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from faker import Faker

from mash.enquiries import services as enquiries
from mash.enquiries.models import Enquiry

fake = Faker("en_GB")
Faker.seed(20261125)


def open_enquiry(actor: Any, *, concern: str, address: str = "", reason: str = "") -> Enquiry:
    enquiry = enquiries.start_enquiry(actor=actor)
    enquiries.update_received(
        enquiry=enquiry, actor=actor, received_at=timezone.now() - dt.timedelta(hours=1)
    )
    enquiries.update_source(enquiry=enquiry, actor=actor, source="professional")
    enquiries.update_referrer(
        enquiry=enquiry,
        actor=actor,
        name=fake.name(),
        role="Class teacher",
        organisation=f"{fake.last_name()} Primary School",
        contact=fake.phone_number(),
    )
    enquiries.update_concern(enquiry=enquiry, actor=actor, concern=concern)
    enquiries.update_immediate_danger(enquiry=enquiry, actor=actor, immediate_danger=False)
    enquiries.add_person(
        enquiry=enquiry,
        actor=actor,
        details=enquiries.PersonDetails(
            kind="child",
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            date_of_birth=dt.date(2019, 3, 14),
            address=address or fake.address(),
            role_in_concern="Subject of the concern",
        ),
    )
    enquiries.add_person(
        enquiry=enquiry,
        actor=actor,
        details=enquiries.PersonDetails(
            kind="parent",
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            address=fake.address(),
            relationship="mother",
        ),
    )
    enquiries.update_consent_to_refer(
        enquiry=enquiry,
        actor=actor,
        consent="not_obtained",
        reason_not_obtained=reason or "Asking could place the child at further risk.",
    )
    enquiries.update_urgency(
        enquiry=enquiry, actor=actor, rag="amber", rationale="Injury seen, no disclosure yet."
    )
    return enquiries.submit_enquiry(enquiry=enquiry, actor=actor)
