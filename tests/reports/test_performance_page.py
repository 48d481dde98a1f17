"""The performance page: the hub's managers and DPO only; dates validated, each error
naming its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from mash.records.models import RecordEntry

from .figures import sent

URL = reverse("reports:performance")


def _range(start: dt.date, end: dt.date) -> dict[str, Any]:
    return {
        "from_day": start.day,
        "from_month": start.month,
        "from_year": start.year,
        "to_day": end.day,
        "to_month": end.month,
        "to_year": end.year,
    }


@pytest.mark.parametrize("who", ["hub_manager", "dpo"])
def test_hub_managers_and_the_dpo_see_the_figures(
    cast: Any, agencies: Any, client_for: Any, who: str
) -> None:
    at = timezone.now() - dt.timedelta(days=2)
    for hours in (2, 4, 10, 30):
        sent(cast, agencies["police"], at=at, answered_after=hours)
    today = timezone.localdate()
    response = client_for(who).get(URL, _range(today - dt.timedelta(days=7), today))
    assert response.status_code == 200
    text = response.content.decode()
    assert '<th scope="row" class="govuk-table__header">Police</th>' in text
    assert ">7.0<" in text and ">24.0<" in text
    assert "75% (3 of 4)" in text
    assert reverse("reports:performance-csv") in text


def test_without_dates_it_shows_the_last_four_weeks(cast: Any, client_for: Any) -> None:
    response = client_for("hub_manager").get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "The hub sent no requests in these dates." in text
    assert f'value="{timezone.localdate().year}"' in text


@pytest.mark.parametrize(
    "who", ["hub_practitioner", "police_manager", "police_practitioner", "outsider"]
)
def test_everyone_else_is_refused(cast: Any, client_for: Any, who: str) -> None:
    assert client_for(who).get(URL).status_code == 403
    assert RecordEntry.objects.filter(action="access.denied").exists()


def test_signed_out_people_are_sent_to_sign_in(client: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"from_day": "", "from_month": "", "from_year": ""}, "from_day", "Enter the date from"),
        ({"to_day": "", "to_month": "", "to_year": ""}, "to_day", "Enter the date to"),
        ({"from_month": ""}, "from_day", "Date from must include a month"),
        ({"to_day": "31", "to_month": "2"}, "to_day", "Date to must be a real date"),
        ({"from_year": "abcd"}, "from_day", "Date from must be a real date"),
        ({"from_year": "26"}, "from_day", "Date from must be a real date"),
        ({"to_year": "2020"}, "to_day", "Date to must be the same as or after date from"),
        ({"from_month": "123"}, "from_month", "Date from: the month must be 2 digits or fewer"),
    ],
)
def test_bad_dates_are_refused_naming_the_field(
    cast: Any, client_for: Any, change: dict[str, str], field: str, message: str
) -> None:
    today = timezone.localdate()
    query = {**_range(dt.date(2026, 1, 1), today), **change}
    response = client_for("hub_manager").get(URL, query)
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert f'href="#id_{field}"' in text
    assert message in text
    assert f'id="id_{field}"' in text
