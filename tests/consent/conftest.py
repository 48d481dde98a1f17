"""Fixtures for the consent register: one enquiry in the hub with a child, a mother
and a father (generated names), and a helper that writes register records directly
so resolution can be tested with exact times."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone
from faker import Faker

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings: Any) -> None:
    """The cast's passwords are hashed with argon2 by default: slow, and not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fake() -> Faker:
    faker = Faker("en_GB")
    faker.seed_instance(20261125)
    return faker


@pytest.fixture
def enquiry(cast: dict[str, Any], agencies: dict[str, Any], fake: Faker) -> Any:
    from mash.enquiries.models import Enquiry

    return Enquiry.objects.create(
        reference=f"MASH-{next(_counter):05d}",
        hub=agencies["hub"],
        status="open",
        created_by=cast["hub_practitioner"],
        concern=fake.sentence(),
    )


@pytest.fixture
def people(enquiry: Any, fake: Faker) -> dict[str, Any]:
    from mash.enquiries.models import Person

    def make(kind: str, relationship: str = "") -> Any:
        return Person.objects.create(
            enquiry=enquiry,
            kind=kind,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            relationship=relationship,
        )

    return {
        "child": make("child"),
        "mother": make("parent", "mother"),
        "father": make("parent", "father"),
    }


@pytest.fixture
def child(people: dict[str, Any]) -> Any:
    return people["child"]


@pytest.fixture
def open_request(enquiry: Any, agencies: dict[str, Any], cast: dict[str, Any], people: Any) -> Any:
    """An open request to the police naming the child (not the parents)."""
    from mash.sharing.models import InformationRequest

    request = InformationRequest.objects.create(
        enquiry=enquiry,
        agency=agencies["police"],
        purpose="MASH enquiry",
        deadline=timezone.now() + dt.timedelta(days=1),
        created_by=cast["hub_practitioner"],
    )
    request.people.add(people["child"])
    return request


def at(day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment in January 2026, in the hub's time zone."""
    return timezone.make_aware(dt.datetime(2026, 1, day, hour, minute))


@pytest.fixture
def make_record(cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    """Write a register record directly (bypassing the service) with exact times."""
    from mash.consent.models import ConsentRecord

    def make(
        person: Any,
        status: str = "given",
        *,
        day: int = 1,
        time: dt.time | None = dt.time(10, 0),
        recorded: dt.datetime | None = None,
        agencies_: list[str] | None = None,
        categories: list[str] | None = None,
        method: str = "written",
        information_covered: str = "School and health records",
        valid_from: dt.date | None = None,
        valid_until: dt.date | None = None,
        giver: str = "parental_responsibility",
    ) -> Any:
        record = ConsentRecord(
            person=person,
            status=status,
            giver=giver,
            giver_relationship="mother" if giver == "parental_responsibility" else "",
            all_agencies=agencies_ is None,
            purpose="MASH enquiry",
            all_categories=categories is None,
            categories=categories or [],
            information_covered=information_covered,
            method=method,
            given_on=dt.date(2026, 1, day),
            given_time=time,
            valid_from=valid_from,
            valid_until=valid_until,
            recorded_by=cast["hub_practitioner"],
            recorded_by_agency=agencies["hub"],
            recorded_at=recorded or at(day, 23, 0),
        )
        record.save()
        if agencies_ is not None:
            record.agencies.set([agencies[code] for code in agencies_])
        return record

    return make
