"""The request's page and ``GET /api/v1/requests/{id}`` show each person asked about
with what an agency needs to match them (date of birth, other names, address: the
address decrypted under the enquiry's data key). They cost the same number of queries
with 3 people asked about as with 30: no query per person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mash.enquiries.models import Person
from tests.sharing.factories import make_enquiry, make_request


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _count(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize("kind", ["page", "api"])
def test_the_request_costs_the_same_with_3_or_30_people(
    cast: Any, agencies: Any, client_for: Any, kind: str
) -> None:
    hub = cast["hub_practitioner"]
    enquiry = make_enquiry(hub=hub.agency, created_by=hub, rag="red")

    def person(n: int) -> Person:
        return Person.objects.create(
            enquiry=enquiry,
            kind="child",
            first_name=f"Child{n}",
            last_name="Perf",
            other_names=f"Alias{n}",
            date_of_birth=dt.date(2015, 1, 1),
            address=f"ADDRESS-{n}, Hereford",
        )

    req = make_request(
        cast=cast, agency=agencies["police"], enquiry=enquiry, people=[person(n) for n in range(3)]
    )
    url = f"/requests/{req.pk}" if kind == "page" else f"/api/v1/requests/{req.pk}"
    client = client_for("police_practitioner")
    client.get(url)
    few, small = _count(client, url)
    req.people.add(*[person(n) for n in range(3, 30)])
    many, large = _count(client, url)
    assert "ADDRESS-29, Hereford" in large and "ADDRESS-29, Hereford" not in small
    assert many == few, (few, many)
