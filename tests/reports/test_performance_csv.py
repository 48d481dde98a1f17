"""The same figures as CSV, recorded as an export in the record."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from mash.records.models import RecordEntry

from .figures import sent

URL = reverse("reports:performance-csv")


def _query(days: int = 7) -> dict[str, Any]:
    today = timezone.localdate()
    start = today - dt.timedelta(days=days)
    return {
        "from_day": start.day,
        "from_month": start.month,
        "from_year": start.year,
        "to_day": today.day,
        "to_month": today.month,
        "to_year": today.year,
    }


def test_it_downloads_the_figures_and_records_the_export(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    at = timezone.now() - dt.timedelta(days=2)
    for hours in (2, 4, 10, 30):
        sent(cast, agencies["police"], at=at, answered_after=hours)
    sent(cast, agencies["health"], at=at, answered_after=5, rag="red", due_hours=4)
    response = client_for("dpo").get(URL, _query())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows == [
        {
            "agency": "NHS health",
            "rating": "Red",
            "requests": "1",
            "answered": "1",
            "median_response_hours": "5.0",
            "p90_response_hours": "5.0",
            "answered_on_time": "0",
            "counted_for_on_time": "1",
            "on_time_percent": "0",
        },
        {
            "agency": "Police",
            "rating": "Amber",
            "requests": "4",
            "answered": "4",
            "median_response_hours": "7.0",
            "p90_response_hours": "24.0",
            "answered_on_time": "3",
            "counted_for_on_time": "4",
            "on_time_percent": "75",
        },
    ]
    entry = RecordEntry.objects.get(action="export.downloaded")
    assert entry.actor_user_id == cast["dpo"].pk
    assert entry.details["export"] == "performance"
    assert entry.details["rows"] == 2


def test_bad_dates_answer_400_naming_the_field(cast: Any, client_for: Any) -> None:
    response = client_for("hub_manager").get(URL, {**_query(), "to_month": "13"})
    assert response.status_code == 400
    assert "Date to must be a real date" in response.content.decode()
    assert not RecordEntry.objects.filter(action="export.downloaded").exists()


@pytest.mark.parametrize("who", ["hub_practitioner", "police_manager"])
def test_others_are_refused(cast: Any, client_for: Any, who: str) -> None:
    assert client_for(who).get(URL, _query()).status_code == 403
    assert not RecordEntry.objects.filter(action="export.downloaded").exists()
