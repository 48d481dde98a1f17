"""Date, time and number fields take the digits 0 to 9 only (issue 16): full-width and
Arabic-Indic digits, which Python would read as numbers, are refused with a message
that says so, in the shared date parser and every field built on it."""

from __future__ import annotations

import pytest

from mash.consent.forms import DateField, TimeField
from mash.enquiries.forms import PersonForm, ReceivedForm, parse_date
from mash.lib.digits import has_other_digits
from mash.sharing.guide import check_date, parse_time

FULL_WIDTH_DAY = "\uff11\uff12"  # 12 in full-width digits
ARABIC_INDIC_MONTH = "\u0663"  # 3 in Arabic-Indic digits
EXTENDED_YEAR = "\u06f2\u06f0\u06f2\u06f6"  # 2026 in Persian digits
MESSAGE = "must be written with the digits 0 to 9"


def test_it_knows_other_scripts_digits() -> None:
    assert has_other_digits(FULL_WIDTH_DAY) and has_other_digits(ARABIC_INDIC_MONTH)
    assert not has_other_digits("12/03/2026") and not has_other_digits(None)


@pytest.mark.parametrize(
    ("day", "month", "year", "part"),
    [
        (FULL_WIDTH_DAY, "3", "2026", "day"),
        ("12", ARABIC_INDIC_MONTH, "2026", "month"),
        ("12", "3", EXTENDED_YEAR, "year"),
    ],
)
def test_the_shared_date_parser_refuses_them_naming_the_box(
    day: str, month: str, year: str, part: str
) -> None:
    value, error, where = parse_date(
        {"day": day, "month": month, "year": year}, what="the date of birth", required=True
    )
    assert value is None
    assert error == f"The date of birth {MESSAGE}"
    assert where == part


def test_the_sharing_pages_dates_and_times_refuse_them() -> None:
    day, problem = check_date(f"{FULL_WIDTH_DAY}/3/2026", what="the date", required=True)
    assert day is None and problem is not None and MESSAGE in problem
    assert parse_time("\u0661\u0664:\u0663\u0660") is None
    assert parse_time("14:30") is not None


def test_an_enquirys_received_date_refuses_them() -> None:
    form = ReceivedForm(
        {
            "received_day": FULL_WIDTH_DAY,
            "received_month": "3",
            "received_year": "2026",
            "received_time": "10:00",
        }
    )
    assert not form.is_valid()
    assert any(MESSAGE in message for _anchor, message in form.error_summary())


def test_an_estimated_age_refuses_them() -> None:
    form = PersonForm(
        {"kind": "child", "first_name": "A", "last_name": "B", "estimated_age": "\u0667"}
    )
    assert not form.is_valid()
    assert form.errors["estimated_age"] == [f"Estimated age {MESSAGE}"]


def test_the_consent_register_refuses_them() -> None:
    with pytest.raises(Exception, match=MESSAGE):
        DateField(what="Date given").clean([FULL_WIDTH_DAY, "3", "2026"])
    with pytest.raises(Exception, match=MESSAGE):
        TimeField(required=False).clean("\uff11\uff10:\uff10\uff10")
    assert TimeField(required=False).clean("10:00") is not None
