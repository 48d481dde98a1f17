"""Generated enquiries for the record's tests (Faker, fixed seed: nothing real)."""

from __future__ import annotations

from typing import Any

from faker import Faker

fake = Faker("en_GB")
Faker.seed(7)


def make_enquiry(cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    from mash.enquiries.models import Enquiry, Person

    enquiry = Enquiry.objects.create(
        reference=f"MASH-{fake.unique.random_int(10000, 99999)}",
        hub=agencies["hub"],
        status="open",
        concern=fake.paragraph(),
        created_by=cast["hub_practitioner"],
    )
    Person.objects.create(
        enquiry=enquiry, kind="child", first_name=fake.first_name(), last_name=fake.last_name()
    )
    return enquiry
