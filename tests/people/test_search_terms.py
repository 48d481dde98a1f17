"""Reading the search box's words (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from mash.people.search import SearchError, parse_terms


def test_a_name_with_a_date_of_birth_and_postcode() -> None:
    terms = parse_terms("  Olivia  Hughes 7/3/2015 hr1 2ab")
    assert terms.names == ("olivia", "hughes")
    assert terms.given == "olivia" and terms.family == "hughes"
    assert terms.date_of_birth == dt.date(2015, 3, 7)
    assert terms.postcode == "HR1 2AB"


def test_one_name_is_a_family_name() -> None:
    terms = parse_terms("Hughes")
    assert terms.family == "hughes" and terms.given is None


def test_a_reference_and_an_nhs_number() -> None:
    assert parse_terms("mash-2026-12345").reference == "MASH-2026-12345"
    assert parse_terms("943 476 5919").nhs_number == "9434765919"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "enter a name"),
        ("   ", "enter a name"),
        ("943 476 5910", "check digit"),
        ("Olivia 31/2/2015", "not a real date"),
        ("x" * 201, "200 characters"),
        ("!!!", "enter a name"),
    ],
)
def test_it_names_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(SearchError, match=message):
        parse_terms(text)
