"""Dates and contacts that cannot be true are refused at intake (issue 12, item 7): a
"Child" whose date of birth or estimated age makes them 18 or over, a referrer contact
that is neither a UK telephone number nor an e-mail address, a date in the future. Each
with a message naming the field, status 400 and nothing saved."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from mash.enquiries import services
from mash.enquiries.models import Enquiry


@pytest.fixture
def blank(cast: dict[str, Any]) -> Enquiry:
    return services.start_enquiry(actor=cast["hub_practitioner"])


def _refused(client_for: Any, url: str, data: dict[str, Any]) -> str:
    response = client_for("hub_practitioner").post(url, data)
    assert response.status_code == 400
    body = response.content.decode().replace("&#x27;", "'")
    assert "There is a problem" in body
    return body


def _person(**extra: str) -> dict[str, str]:
    return {"kind": "child", "first_name": "Ada", "last_name": "Brook", **extra}


def test_a_child_born_in_1980_is_refused_naming_the_date_of_birth(
    client_for: Any, blank: Enquiry
) -> None:
    body = _refused(
        client_for,
        f"/enquiries/{blank.pk}/people/add",
        _person(dob_day="14", dob_month="6", dob_year="1980"),
    )
    assert "Date of birth must make a child under 18" in body
    assert "born on 14 June 1980" in body
    assert 'href="#id_dob_day"' in body
    assert blank.people.count() == 0


def test_a_child_on_their_18th_birthday_is_refused_and_the_day_before_accepted(
    client_for: Any, blank: Enquiry
) -> None:
    today = timezone.localdate()
    eighteen = (
        today.replace(year=today.year - 18)
        if (today.month, today.day) != (2, 29)
        else (today.replace(year=today.year - 18, day=28))
    )
    url = f"/enquiries/{blank.pk}/people/add"
    _refused(
        client_for,
        url,
        _person(
            dob_day=str(eighteen.day), dob_month=str(eighteen.month), dob_year=str(eighteen.year)
        ),
    )
    assert blank.people.count() == 0
    nearly = eighteen + timedelta(days=1)
    response = client_for("hub_practitioner").post(
        url,
        _person(dob_day=str(nearly.day), dob_month=str(nearly.month), dob_year=str(nearly.year)),
    )
    assert response.status_code == 302
    assert blank.people.get().date_of_birth == nearly


def test_an_adult_born_in_1980_is_accepted(client_for: Any, blank: Enquiry) -> None:
    response = client_for("hub_practitioner").post(
        f"/enquiries/{blank.pk}/people/add",
        {**_person(dob_day="14", dob_month="6", dob_year="1980"), "kind": "parent"},
    )
    assert response.status_code == 302
    assert blank.people.get().kind == "parent"


def test_a_child_with_an_estimated_age_of_18_is_refused_naming_the_age(
    client_for: Any, blank: Enquiry
) -> None:
    body = _refused(client_for, f"/enquiries/{blank.pk}/people/add", _person(estimated_age="18"))
    assert "Estimated age of a child must be under 18" in body
    assert 'href="#id_estimated_age"' in body
    assert blank.people.count() == 0


def test_a_date_of_birth_in_the_future_is_refused(client_for: Any, blank: Enquiry) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    body = _refused(
        client_for,
        f"/enquiries/{blank.pk}/people/add",
        _person(
            dob_day=str(tomorrow.day), dob_month=str(tomorrow.month), dob_year=str(tomorrow.year)
        ),
    )
    assert "Date of birth must be today or in the past" in body
    assert blank.people.count() == 0


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ("abc", "Enter a telephone number, like 01432 260800, or an email address"),
        ("01234", "Enter a telephone number, like 01432 260800, or an email address"),
        ("jo@", "Enter an email address in the correct format"),
        ("+33 1 42 68 53 00", "Enter a telephone number, like 01432 260800, or an email address"),
    ],
)
def test_a_referrer_contact_must_be_a_uk_phone_or_an_email(
    client_for: Any, blank: Enquiry, cast: dict[str, Any], contact: str, message: str
) -> None:
    body = _refused(
        client_for,
        f"/enquiries/{blank.pk}/referrer",
        {
            "referrer_name": "Jo Marsh",
            "referrer_role": "Teacher",
            "referrer_organisation": "Larkspur Primary",
            "referrer_contact": contact,
        },
    )
    assert message in body
    assert 'href="#id_referrer_contact"' in body
    blank.refresh_from_db()
    assert blank.referrer_name == ""


@pytest.mark.parametrize("contact", ["01432 260800", "+44 7700 900123", "jo.marsh@school.example"])
def test_a_good_contact_is_kept(client_for: Any, blank: Enquiry, contact: str) -> None:
    response = client_for("hub_practitioner").post(
        f"/enquiries/{blank.pk}/referrer",
        {
            "referrer_name": "Jo Marsh",
            "referrer_role": "Teacher",
            "referrer_organisation": "Larkspur Primary",
            "referrer_contact": contact,
        },
    )
    assert response.status_code == 302
    blank.refresh_from_db()
    assert blank.referrer_contact == contact
