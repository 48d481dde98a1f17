"""A hub practitioner records the date a person involved died: on the person's page
while the enquiry is open, and on its own page once it is closed (the hub often learns
of a death after closing). It is checked (a real date, not in the future, not before
the date of birth), shown on the enquiry page, and recorded by field name only."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mash.enquiries import services
from mash.enquiries.models import Enquiry, Person
from mash.records.models import RecordEntry


def _url(enquiry: Enquiry, person: Person) -> str:
    return reverse(
        "enquiries:person-date-of-death",
        kwargs={"enquiry_id": enquiry.pk, "person_id": person.pk},
    )


def _dod(day: date) -> dict[str, str]:
    return {"dod_day": str(day.day), "dod_month": str(day.month), "dod_year": str(day.year)}


def test_it_records_a_date_of_death_on_a_closed_enquiry(closed: Enquiry, client_for: Any) -> None:
    child = closed.people.get()
    client = client_for("hub_practitioner")

    page = client.get(reverse("enquiries:detail", kwargs={"enquiry_id": closed.pk}))
    assert "None recorded" in page.content.decode()
    assert _url(closed, child) in page.content.decode()

    response = client.post(_url(closed, child), _dod(date(2025, 3, 27)))

    assert response.status_code == 302
    child.refresh_from_db()
    assert child.date_of_death == date(2025, 3, 27)
    entry = RecordEntry.objects.filter(action="person.changed", object_id=str(child.pk)).get()
    assert entry.details == {"fields": ["date_of_death"]}
    assert "2025" not in str(entry.details)
    shown = client.get(reverse("enquiries:detail", kwargs={"enquiry_id": closed.pk}))
    assert "27 March 2025" in shown.content.decode()


def test_an_empty_date_removes_one_recorded_in_error(closed: Enquiry, client_for: Any) -> None:
    child = closed.people.get()
    Person.objects.filter(pk=child.pk).update(date_of_death=date(2025, 3, 27))

    response = client_for("hub_practitioner").post(
        _url(closed, child), {"dod_day": "", "dod_month": "", "dod_year": ""}
    )

    assert response.status_code == 302
    child.refresh_from_db()
    assert child.date_of_death is None


def test_it_refuses_a_date_in_the_future_naming_the_field(closed: Enquiry, client_for: Any) -> None:
    child = closed.people.get()
    before = RecordEntry.objects.filter(action="person.changed").count()

    response = client_for("hub_practitioner").post(
        _url(closed, child), _dod(timezone.localdate() + timedelta(days=1))
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Date of death must be today or in the past" in body
    assert 'href="#id_dod_day"' in body
    child.refresh_from_db()
    assert child.date_of_death is None
    assert RecordEntry.objects.filter(action="person.changed").count() == before


def test_it_refuses_a_date_before_the_date_of_birth(closed: Enquiry, client_for: Any) -> None:
    child = closed.people.get()
    assert child.date_of_birth == date(2019, 3, 14)

    response = client_for("hub_practitioner").post(_url(closed, child), _dod(date(2019, 3, 13)))

    assert response.status_code == 400
    assert "Date of death must be the same as or after the date of birth" in (
        response.content.decode()
    )
    child.refresh_from_db()
    assert child.date_of_death is None


def test_it_refuses_a_date_that_is_not_real_or_is_incomplete(
    closed: Enquiry, client_for: Any
) -> None:
    child = closed.people.get()
    client = client_for("hub_practitioner")

    not_real = client.post(
        _url(closed, child), {"dod_day": "31", "dod_month": "2", "dod_year": "2024"}
    )
    no_month = client.post(
        _url(closed, child), {"dod_day": "3", "dod_month": "", "dod_year": "2024"}
    )

    assert not_real.status_code == no_month.status_code == 400
    assert "Date of death must be a real date" in not_real.content.decode()
    assert "Date of death must include a month" in no_month.content.decode()
    assert 'href="#id_dod_month"' in no_month.content.decode()


def test_the_persons_page_of_an_open_enquiry_takes_a_date_of_death(
    enquiry: Enquiry, client_for: Any
) -> None:
    child = enquiry.people.get()
    url = reverse(
        "enquiries:person-change", kwargs={"enquiry_id": enquiry.pk, "person_id": child.pk}
    )
    form = {
        "kind": "child",
        "first_name": child.first_name,
        "last_name": child.last_name,
        "dob_day": "14",
        "dob_month": "3",
        "dob_year": "2019",
    }
    client = client_for("hub_practitioner")

    early = client.post(url, {**form, **_dod(date(2018, 1, 1))})
    saved = client.post(url, {**form, **_dod(date(2024, 6, 2))})

    assert early.status_code == 400
    assert "Date of death must be the same as or after the date of birth" in (
        early.content.decode()
    )
    assert saved.status_code == 302
    child.refresh_from_db()
    assert child.date_of_death == date(2024, 6, 2)
    again = client.get(url)
    assert 'name="dod_year" type="text" inputmode="numeric" value="2024"' in again.content.decode()


def test_the_service_refuses_what_the_form_would(closed: Enquiry, cast: dict[str, Any]) -> None:
    child = closed.people.get()

    with pytest.raises(ValidationError) as error:
        services.record_date_of_death(
            person=child, actor=cast["hub_practitioner"], date_of_death=date(2000, 1, 1)
        )
    assert error.value.message_dict == {
        "date_of_death": ["Date of death must be the same as or after the date of birth"]
    }


def test_the_asked_agency_sees_the_date_of_death_with_the_request(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    from tests.sharing.factories import make_request

    request = make_request(cast=cast, agency=agencies["police"])
    child = request.people.get(kind="child")
    services.record_date_of_death(
        person=child, actor=cast["hub_practitioner"], date_of_death=date(2025, 3, 27)
    )

    page = client_for("police_practitioner").get(
        reverse("sharing:request", kwargs={"request_id": request.pk})
    )

    assert page.status_code == 200
    assert "died 27 March 2025" in page.content.decode()
