"""Properties of person matching that hold for any records (hypothesis): the answer does
not depend on which record is ``a``, and a record with a date of birth matches itself."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from mash.people import matching
from mash.people.matching import Person, match, ruled_out

LETTERS = "abcdefghijklmnopqrstuvwxyzéëö"
GIVEN = ["Olivia", "Liv", "Livvy", "Robert", "Bob", "Alfie", "Alfred", "Kate", "Emily", "Amelia"]
FAMILY = ["Hughes", "Hughes-Price", "Price", "Hugehs", "Smith", "O'Brien", "Smyth"]


def names(pool: list[str]) -> st.SearchStrategy[str]:
    made_up = st.text(alphabet=LETTERS, min_size=1, max_size=10).map(str.title)
    return st.one_of(st.sampled_from(pool), made_up)


dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2026, 12, 31))
nhs_numbers = st.one_of(
    st.none(), st.sampled_from(["9434765919", "4010232137", "943 476 5918", "12345"])
)
people = st.builds(
    Person,
    given_name=names(GIVEN),
    family_name=names(FAMILY),
    other_names=st.lists(
        st.sampled_from(["Liv Hughes", "Bob Smith", "Olivia Price"]), max_size=2
    ).map(tuple),
    date_of_birth=st.one_of(st.none(), dates, st.sampled_from([dt.date(2015, 3, 7)])),
    birth_year=st.none(),
    sex=st.sampled_from([None, "female", "male", "other", "unknown"]),
    nhs_number=nhs_numbers,
    postcode=st.sampled_from([None, "HR1 2AB", "HR1 9ZZ", "WR5 3DA"]),
    address=st.sampled_from([None, "12 Mill Lane, Hereford", "3 Broad Street"]),
)


@settings(max_examples=300, deadline=None)
@given(people, people)
def test_matching_is_symmetric(a: Person, b: Person) -> None:
    assert match(a, b) == match(b, a)


@settings(max_examples=200, deadline=None)
@given(people.filter(lambda p: p.date_of_birth is not None))
def test_a_record_with_a_date_of_birth_matches_itself(a: Person) -> None:
    result = match(a, a)
    assert result.match == "match"
    assert result.score >= 0.9


@settings(max_examples=200, deadline=None)
@given(people, people)
def test_the_score_is_in_its_class_band(a: Person, b: Person) -> None:
    result = match(a, b)
    assert 0.0 <= result.score <= 1.0
    low, high = {"match": (0.9, 1.0), "possible": (0.5, 0.89), "no_match": (0.0, 0.49)}[
        result.match
    ]
    assert low <= result.score <= high


def _unsealed(p: Person) -> Person:
    """What the person index knows of a record before opening its sealed fields."""
    return dataclasses.replace(p, address=None, postcode=None, nhs_number=None)


@settings(max_examples=400, deadline=None)
@given(people, people)
def test_ruled_out_by_names_and_dates_is_no_match_but_on_the_same_nhs_number(
    a: Person, b: Person
) -> None:
    """The person index sets a candidate aside unopened when ``ruled_out`` says so and
    the two share no NHS number: that must be exactly what ``match`` would have said."""
    assert ruled_out(_unsealed(a), _unsealed(b)) == ruled_out(a, b)
    # Exactly ``match``'s own rule: the best of the given names "different", or the dates.
    best_given, _alias = matching._best(a._given, b._given, matching._compare_given)
    assert ruled_out(a, b) == matching._rules_out(best_given, matching._compare_dob(a, b))
    same_number = a.valid_nhs_number is not None and a.valid_nhs_number == b.valid_nhs_number
    if ruled_out(_unsealed(a), _unsealed(b)) and not same_number:
        assert match(a, b).match == "no_match"


def test_equal_levels_from_other_names_are_told_the_same_either_way() -> None:
    """Found by the symmetry property: two pairs of names at one weight (Hughes-Price
    and Hughes, one part of the other; Smith and Smyth, a typing slip), each through
    another name; the reason given once depended on which record came first."""
    a = Person(given_name="Olivia", family_name="Hughes-Price", other_names=("Bob Smith",))
    b = Person(given_name="Olivia", family_name="Smyth", other_names=("Liv Hughes",))
    assert match(a, b) == match(b, a)
    assert (
        match(a, b).reasons[0] == "family name: one is part of the other (as another name recorded)"
    )
