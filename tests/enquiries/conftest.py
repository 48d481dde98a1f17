"""Enquiries at each stage, made through the services, for the cast in tests/conftest.py."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from faker import Faker

from mash.enquiries import services
from mash.enquiries.models import Enquiry


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """The cast's passwords hash quickly here; sign-in itself is tested in tests/agencies."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fake() -> Faker:
    generator = Faker("en_GB")
    generator.seed_instance(20261125)
    return generator


def complete_draft(actor: Any, fake: Faker, *, rag: str = "amber") -> Enquiry:
    """A draft with every intake question answered."""
    enquiry = services.start_enquiry(actor=actor)
    services.update_received(
        enquiry=enquiry, actor=actor, received_at=timezone.now() - timedelta(hours=2)
    )
    services.update_source(enquiry=enquiry, actor=actor, source="professional")
    services.update_referrer(
        enquiry=enquiry,
        actor=actor,
        name=fake.name(),
        role="Class teacher",
        organisation=f"{fake.last_name()} Primary School",
        contact=fake.phone_number(),
    )
    services.update_concern(enquiry=enquiry, actor=actor, concern=fake.paragraph())
    services.update_immediate_danger(enquiry=enquiry, actor=actor, immediate_danger=False)
    services.add_person(
        enquiry=enquiry,
        actor=actor,
        details=services.PersonDetails(
            kind="child",
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            date_of_birth=date(2019, 3, 14),
            school_or_setting=f"{fake.last_name()} Primary School",
            role_in_concern="Subject of the concern",
        ),
    )
    services.update_consent_to_refer(
        enquiry=enquiry,
        actor=actor,
        consent="not_obtained",
        reason_not_obtained="Asking the parents could place the child at further risk.",
    )
    services.update_urgency(
        enquiry=enquiry, actor=actor, rag=rag, rationale="Injury seen, no disclosure yet."
    )
    return enquiry


def open_enquiry(actor: Any, fake: Faker, *, rag: str = "amber") -> Enquiry:
    enquiry = complete_draft(actor, fake, rag=rag)
    return services.submit_enquiry(enquiry=enquiry, actor=actor)


@pytest.fixture
def draft(cast: dict[str, Any], fake: Faker) -> Enquiry:
    return complete_draft(cast["hub_practitioner"], fake)


@pytest.fixture
def enquiry(cast: dict[str, Any], fake: Faker) -> Enquiry:
    return open_enquiry(cast["hub_practitioner"], fake)


@pytest.fixture
def closed(cast: dict[str, Any], fake: Faker) -> Enquiry:
    enquiry = open_enquiry(cast["hub_practitioner"], fake)
    return services.close_enquiry(
        enquiry=enquiry,
        actor=cast["hub_manager"],
        outcome="early_help",
        rationale="Family agreed to an early help assessment.",
    )
