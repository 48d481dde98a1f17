"""A hub's ratings, working hours and closure days, as configured in admin, decide its
deadlines (through the pure mash.enquiries.deadlines)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from mash.enquiries.deadlines import DEFAULT_RATINGS
from mash.timeliness.config import ensure_defaults, hub_clock
from mash.timeliness.models import ClosureDay, HubTimeliness, RatingSetting

LONDON = ZoneInfo("Europe/London")
# Tuesday 24 November 2026, 16:00 in London.
TUESDAY_4PM = dt.datetime(2026, 11, 24, 16, 0, tzinfo=LONDON)


def test_a_hub_with_nothing_configured_works_to_the_defaults(agencies: dict[str, Any]) -> None:
    hc = hub_clock(agencies["hub"])
    assert dict(hc.ratings) == dict(DEFAULT_RATINGS)
    assert [p.key for p in hc.points] == ["50%", "1h"]
    # Amber, 24 working hours from Tuesday 16:00: 3 working days later, Friday 16:00.
    assert hc.deadline(TUESDAY_4PM, "amber") == dt.datetime(2026, 11, 27, 16, 0, tzinfo=LONDON)
    assert hc.deadline(TUESDAY_4PM, "blue") is None


def test_the_defaults_are_seeded_once_and_not_overwritten(agencies: dict[str, Any]) -> None:
    config = ensure_defaults(agencies["hub"])
    assert {s.code: s.hours for s in config.ratings.all()} == {
        "blue": None,
        "red": Decimal(4),
        "amber": Decimal(24),
        "green": Decimal(72),
    }
    red = config.ratings.get(code="red")
    assert red.runs_out_of_hours and red.counting == "working"
    RatingSetting.objects.filter(config=config, code="red").update(hours=2)
    ensure_defaults(agencies["hub"])
    assert config.ratings.get(code="red").hours == 2


def test_a_london_borough_s_ratings_change_the_deadlines(agencies: dict[str, Any]) -> None:
    config = ensure_defaults(agencies["hub"])
    config.ratings.filter(code="red").update(hours=2, counting="calendar")
    config.ratings.filter(code="amber").update(hours=6, counting="calendar")
    hc = hub_clock(agencies["hub"])
    assert hc.deadline(TUESDAY_4PM, "red") == TUESDAY_4PM + dt.timedelta(hours=2)
    assert hc.deadline(TUESDAY_4PM, "amber") == TUESDAY_4PM + dt.timedelta(hours=6)
    six = TUESDAY_4PM + dt.timedelta(hours=6)
    assert hc.time_left_words(TUESDAY_4PM, six, "amber") == "due in 6 hours"
    assert hc.words(TUESDAY_4PM, six, "amber") == "due by 22:00 today (in 6 hours)"


def test_a_closure_day_and_longer_hours_move_a_working_deadline(agencies: dict[str, Any]) -> None:
    config = ensure_defaults(agencies["hub"])
    # Green, 72 working hours = 9 working days of 8 hours from Tuesday 16:00.
    before = hub_clock(agencies["hub"]).deadline(TUESDAY_4PM, "green")
    ClosureDay.objects.create(config=config, day=dt.date(2026, 11, 25), description="Training")
    after = hub_clock(agencies["hub"]).deadline(TUESDAY_4PM, "green")
    assert before is not None and after is not None
    assert after.date() > before.date()
    HubTimeliness.objects.filter(pk=config.pk).update(
        saturday=True, opens=dt.time(8, 0), closes=dt.time(18, 0)
    )
    longer = hub_clock(agencies["hub"]).deadline(TUESDAY_4PM, "green")
    assert longer is not None and longer < before


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("reminder_points", "half", "reminder_points"),
        ("reminder_points", "50%, 0h", "reminder_points"),
        ("reminder_points", "150%", "reminder_points"),
        ("closes", dt.time(8, 0), "closes"),
        ("timezone", "Mars/Olympus", "timezone"),
        ("bank_holiday_region", "XYZ", "bank_holiday_region"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(
    agencies: dict[str, Any], field: str, value: Any, named: str
) -> None:
    config = ensure_defaults(agencies["hub"])
    setattr(config, field, value)
    with pytest.raises(ValidationError) as refused:
        config.full_clean()
    assert named in refused.value.message_dict


def test_a_week_without_working_days_is_refused(agencies: dict[str, Any]) -> None:
    config = ensure_defaults(agencies["hub"])
    for day in ["monday", "tuesday", "wednesday", "thursday", "friday"]:
        setattr(config, day, False)
    with pytest.raises(ValidationError) as refused:
        config.full_clean()
    assert "monday" in refused.value.message_dict


def test_the_admin_changes_the_hours_and_records_it(
    agencies: dict[str, Any], cast: dict[str, Any]
) -> None:
    from django.test import Client

    from mash.agencies.models import User
    from mash.records.models import RecordEntry

    admin = User.objects.create_superuser(
        username="ada", password="x", agency=agencies["hub"], role="administrator"
    )
    config = ensure_defaults(agencies["hub"])
    client = Client()
    client.force_login(admin)
    page = client.get(f"/admin/timeliness/hubtimeliness/{config.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "hub": agencies["hub"].pk,
            "opens": "08:30",
            "closes": "17:30",
            "digest_at": "08:00",
            "reminder_points": "50%, 2h",
            "monday": "on",
            "tuesday": "on",
            "wednesday": "on",
            "thursday": "on",
            "friday": "on",
            "bank_holidays": "on",
        }
    )
    data.pop("saturday", None)
    data.pop("sunday", None)
    ratings = list(config.ratings.all())
    data.update(
        {
            "ratings-TOTAL_FORMS": str(len(ratings)),
            "ratings-INITIAL_FORMS": str(len(ratings)),
            "closures-TOTAL_FORMS": "1",
            "closures-INITIAL_FORMS": "0",
            "closures-0-day": "2026-12-29",
            "closures-0-description": "Office closed between Christmas and New Year",
        }
    )
    for n, r in enumerate(ratings):
        data.update(
            {
                f"ratings-{n}-id": r.pk,
                f"ratings-{n}-config": config.pk,
                f"ratings-{n}-code": r.code,
                f"ratings-{n}-label": r.label,
                f"ratings-{n}-colour": r.colour,
                f"ratings-{n}-hours": "" if r.hours is None else str(r.hours),
                f"ratings-{n}-counting": r.counting,
                f"ratings-{n}-runs_out_of_hours": "on" if r.runs_out_of_hours else "",
            }
        )
        if not r.runs_out_of_hours:
            data.pop(f"ratings-{n}-runs_out_of_hours")
    done = client.post(f"/admin/timeliness/hubtimeliness/{config.pk}/change/", data)
    assert done.status_code == 302, done.content.decode()[:2000]
    config.refresh_from_db()
    assert config.opens == dt.time(8, 30) and config.reminder_points == "50%, 2h"
    assert config.closures.get().day == dt.date(2026, 12, 29)
    changed = RecordEntry.objects.filter(action="admin.changed", object_id=str(config.pk)).get()
    assert "opens" in changed.details["fields"]
    assert RecordEntry.objects.filter(action="admin.added", object_type="timeliness.closureday")
