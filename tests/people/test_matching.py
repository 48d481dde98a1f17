"""Person matching, case by case as contracts/person-matching.md lists them ("What it
must get right"), through the pure function (no database)."""

from __future__ import annotations

from typing import Any

import pytest

from mash.people.matching import (
    Person,
    PersonError,
    match,
    match_mappings,
    nhs_number_is_valid,
    person_from_mapping,
)

OLIVIA: dict[str, Any] = {
    "given_name": "Olivia",
    "family_name": "Hughes",
    "other_names": ["Liv Hughes"],
    "date_of_birth": "2015-03-07",
    "sex": "female",
    "nhs_number": "9434765919",
    "postcode": "HR1 2AB",
    "address": "12 Mill Lane, Hereford",
}


def pair(a: dict[str, Any], b: dict[str, Any]) -> tuple[str, float, list[str]]:
    result = match_mappings(a, b)
    return result.match, result.score, list(result.reasons)


def person(given: str, family: str, dob: str | None = "2015-03-07", **more: Any) -> dict:
    return {"given_name": given, "family_name": family, "date_of_birth": dob, **more}


# --- the contract's own example ----------------------------------------------------


def test_the_contract_example_is_possible_with_its_three_reasons() -> None:
    b = {"given_name": "Livvy", "family_name": "Hughes-Price", "date_of_birth": "2015-07-03"}
    assert pair(OLIVIA, b) == (
        "possible",
        0.81,
        [
            "family name: one is part of the other",
            "given name: known short form",
            "date of birth: day and month swapped",
        ],
    )


# --- "match" only where the evidence is strong -------------------------------------


def test_the_same_record_is_a_match() -> None:
    klass, score, reasons = pair(OLIVIA, OLIVIA)
    assert klass == "match"
    assert score >= 0.9
    assert "NHS number: same" in reasons


def test_the_same_valid_nhs_number_with_no_contradiction_is_a_match() -> None:
    a = person("Olivia", "Hughes", None, nhs_number="943 476 5919")
    b = person("Livvy", "Price", "2015-03-07", nhs_number="9434765919")
    klass, _, reasons = pair(a, b)
    assert klass == "match"
    assert "NHS number: same" in reasons


def test_the_same_nhs_number_with_another_date_of_birth_is_only_possible() -> None:
    a = person("Olivia", "Hughes", "2015-03-07", nhs_number="9434765919")
    b = person("Olivia", "Hughes", "2009-11-23", nhs_number="9434765919")
    klass, _, reasons = pair(a, b)
    assert klass == "possible"
    assert "date of birth: different" in reasons


def test_names_and_date_of_birth_agreeing_with_nothing_against_is_a_match() -> None:
    assert pair(person("Olivia", "Hughes"), person("Olivia", "Hughes"))[0] == "match"


@pytest.mark.parametrize(
    ("short", "full"),
    [("Liv", "Olivia"), ("Livvy", "Olivia"), ("Bob", "Robert"), ("Alfie", "Alfred")],
)
def test_a_known_short_form_with_the_same_date_of_birth_is_a_match(short: str, full: str) -> None:
    klass, _, reasons = pair(person(short, "Hughes"), person(full, "Hughes"))
    assert klass == "match"
    assert "given name: known short form" in reasons


def test_kate_and_katherine_are_a_known_short_form() -> None:
    klass, _, reasons = pair(person("Kate", "Evans"), person("Katherine", "Evans"))
    assert klass in {"match", "possible"}
    assert "given name: known short form" in reasons


def test_liv_and_livvy_short_forms_of_one_name_are_possible() -> None:
    klass, _, reasons = pair(person("Liv", "Hughes"), person("Livvy", "Hughes"))
    assert klass == "possible"
    assert "given name: may be forms of the same name" in reasons


def test_a_hyphenated_family_name_with_the_rest_the_same_is_a_match() -> None:
    klass, _, reasons = pair(person("Olivia", "Hughes"), person("Olivia", "Hughes-Price"))
    assert klass == "match"
    assert "family name: one is part of the other" in reasons


def test_a_double_barrelled_name_written_with_a_space_is_part_of_the_other() -> None:
    klass, _, reasons = pair(person("Olivia", "Hughes Price"), person("Olivia", "Price"))
    assert klass in {"match", "possible"}
    assert "family name: one is part of the other" in reasons


def test_accents_case_and_apostrophes_do_not_matter() -> None:
    klass, _, reasons = pair(person("Zoë", "O'Brien"), person("ZOE", "OBRIEN"))
    assert klass == "match"
    assert reasons[:2] == ["family name: same", "given name: same"]


# --- at least "possible" -----------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        (person("Olivia", "Hughes"), person("Olivai", "Hughes"), "given name: transposed letters"),
        (person("Olivia", "Hughes"), person("Olivea", "Hughes"), "given name: typing slip"),
        (
            person("Alexandra", "Hughes"),
            person("Alexamdre", "Hughes"),
            "given name: typing slip",
        ),
        (person("Olivia", "Hughes"), person("Olivia", "Hugehs"), "family name: transposed letters"),
        (person("Olivia", "Hughes"), person("Olivia", "Hughse"), "family name: transposed letters"),
        (person("Olivia", "Hughes"), person("Olivia", "Hughs"), "family name: typing slip"),
    ],
)
def test_typing_slips_are_at_least_possible(a: dict, b: dict, reason: str) -> None:
    klass, score, reasons = pair(a, b)
    assert klass in {"match", "possible"}
    assert score >= 0.5
    assert reason in reasons


def test_a_slip_in_the_given_name_is_possible_not_a_match() -> None:
    # Twins' names can be a letter apart; only a person should decide.
    assert pair(person("Olivia", "Hughes"), person("Olivai", "Hughes"))[0] == "possible"


def test_a_changed_family_name_with_the_rest_the_same_is_possible() -> None:
    klass, _, reasons = pair(person("Olivia", "Hughes"), person("Olivia", "Price"))
    assert klass == "possible"
    assert "family name: different (it may have changed)" in reasons


def test_a_changed_family_name_recorded_as_another_name_agrees() -> None:
    a = person("Olivia", "Price", other_names=["Olivia Hughes"])
    klass, _, reasons = pair(a, person("Olivia", "Hughes"))
    assert klass == "match"
    assert "family name: same (as another name recorded)" in reasons


def test_a_nickname_and_a_changed_family_name_is_possible() -> None:
    assert pair(person("Bob", "Smith"), person("Robert", "Jones"))[0] == "possible"


def test_day_and_month_swapped_is_possible() -> None:
    klass, _, reasons = pair(person("Olivia", "Hughes"), person("Olivia", "Hughes", "2015-07-03"))
    assert klass == "possible"
    assert "date of birth: day and month swapped" in reasons


@pytest.mark.parametrize("other", ["2015-03-08", "2015-08-07", "2016-03-07", "2015-03-17"])
def test_one_digit_wrong_in_the_date_of_birth_is_possible(other: str) -> None:
    klass, _, reasons = pair(person("Olivia", "Hughes"), person("Olivia", "Hughes", other))
    assert klass == "possible"
    assert "date of birth: one digit differs" in reasons


def test_an_estimated_date_of_birth_in_the_same_year_is_possible() -> None:
    b = {"given_name": "Olivia", "family_name": "Hughes", "birth_year": 2015}
    klass, _, reasons = pair(person("Olivia", "Hughes"), b)
    assert klass == "possible"
    assert "date of birth: same year (estimated)" in reasons


def test_estimated_years_a_year_apart_are_possible() -> None:
    a = {"given_name": "Olivia", "family_name": "Hughes", "birth_year": 2014}
    b = {"given_name": "Olivia", "family_name": "Hughes", "birth_year": 2015}
    klass, _, reasons = pair(a, b)
    assert klass == "possible"
    assert "date of birth: within a year (estimated)" in reasons


def test_an_estimated_year_far_from_the_date_of_birth_is_no_match() -> None:
    b = {"given_name": "Olivia", "family_name": "Hughes", "birth_year": 1988}
    assert pair(person("Olivia", "Hughes"), b)[0] == "no_match"


def test_a_middle_name_on_one_record_only_still_agrees() -> None:
    klass, _, reasons = pair(person("Olivia Grace", "Hughes"), person("Olivia", "Hughes"))
    assert klass == "match"
    assert "given name: same first name (a middle name on one only)" in reasons


def test_known_by_a_middle_name_is_possible() -> None:
    klass, _, reasons = pair(person("Olivia Grace", "Hughes"), person("Grace", "Hughes"))
    assert klass == "possible"
    assert "given name: one of the given names agrees" in reasons


def test_names_alone_without_dates_of_birth_are_possible_not_a_match() -> None:
    assert pair(person("Olivia", "Hughes", None), person("Olivia", "Hughes", None))[0] == (
        "possible"
    )


# --- never "match" -----------------------------------------------------------------


def test_twins_are_no_match() -> None:
    home = {"address": "12 Mill Lane, Hereford", "postcode": "HR1 2AB"}
    klass, score, reasons = pair(
        person("Jack", "Hughes", **home), person("Emily", "Hughes", **home)
    )
    assert klass == "no_match"
    assert score < 0.5
    assert "given name: different" in reasons


@pytest.mark.parametrize(
    ("one", "two"),
    [("Amelia", "Emily"), ("Emma", "Emily"), ("Oliver", "Olivia"), ("Ollie", "Olivia")],
)
def test_twins_with_related_names_are_never_a_match(one: str, two: str) -> None:
    home = {"address": "12 Mill Lane, Hereford", "postcode": "HR1 2AB"}
    klass, _, _ = pair(person(one, "Hughes", **home), person(two, "Hughes", **home))
    assert klass != "match"


def test_related_names_in_one_household_say_they_could_be_twins() -> None:
    home = {"address": "12 Mill Lane, Hereford", "postcode": "HR1 2AB"}
    klass, _, reasons = pair(person("Ollie", "Hughes", **home), person("Olivia", "Hughes", **home))
    assert klass == "possible"
    assert "could be twins: same family name, date of birth and address" in reasons


def test_siblings_names_that_are_names_in_their_own_right_are_not_a_match() -> None:
    # Amelia -> Emily is in the nickname table, but both are names given to sisters.
    assert pair(person("Amelia", "Hughes"), person("Emily", "Hughes"))[0] == "possible"


def test_a_parent_and_a_child_of_the_same_name_are_no_match() -> None:
    home = {"address": "3 Broad Street, Leominster", "postcode": "HR6 8BS"}
    father = person("John", "Smith", "1984-06-02", sex="male", **home)
    son = person("John", "Smith", "2012-06-02", sex="male", **home)
    klass, _, reasons = pair(father, son)
    assert klass == "no_match"
    assert "date of birth: different" in reasons


def test_a_parent_with_an_estimated_year_and_a_child_of_the_same_name_are_no_match() -> None:
    father = {"given_name": "John", "family_name": "Smith", "birth_year": 1984}
    assert pair(father, person("John", "Smith", "2012-06-02"))[0] == "no_match"


@pytest.mark.parametrize("other", ["2014-11-23", "2016-01-30", "2015-09-19"])
def test_a_common_name_with_another_date_of_birth_is_no_match(other: str) -> None:
    klass, _, _ = pair(person("Jack", "Smith"), person("Jack", "Smith", other))
    assert klass == "no_match"


def test_different_sexes_are_never_a_match() -> None:
    klass, _, reasons = pair(
        person("Sam", "Hughes", sex="female"), person("Sam", "Hughes", sex="male")
    )
    assert klass == "possible"
    assert "sex: different" in reasons


def test_different_valid_nhs_numbers_are_never_a_match() -> None:
    a = person("Olivia", "Hughes", nhs_number="9434765919")
    b = person("Olivia", "Hughes", nhs_number="4010232137")
    klass, _, reasons = pair(a, b)
    assert klass == "possible"
    assert "NHS number: different" in reasons


def test_another_postcode_stops_an_automatic_match() -> None:
    a = person("Olivia", "Hughes", postcode="HR1 2AB")
    b = person("Olivia", "Hughes", postcode="WR5 3DA")
    klass, _, reasons = pair(a, b)
    assert klass == "possible"
    assert "postcode: different" in reasons


# --- NHS numbers -------------------------------------------------------------------


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "4010232137", "6328797966"])
def test_valid_nhs_numbers_pass_the_modulus_11_check(number: str) -> None:
    assert nhs_number_is_valid(number)


@pytest.mark.parametrize(
    "number",
    [
        "9434765918",
        "1234567890",
        "943476591",
        "94347659190",
        "94347659l9",
        "",
        "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19",
    ],
)
def test_invalid_nhs_numbers_fail_the_check(number: str) -> None:
    assert not nhs_number_is_valid(number)


def test_a_check_digit_of_ten_is_never_valid() -> None:
    # 1000000010: 1*10 + 1*2 = 12, 12 % 11 = 1, 11 - 1 = 10, so no tenth digit works.
    assert not any(nhs_number_is_valid(f"100000001{d}") for d in range(10))


def test_an_invalid_nhs_number_is_ignored_and_named() -> None:
    a = person("Olivia", "Hughes", nhs_number="943 476 5918")
    b = person("Olivia", "Hughes", nhs_number="9434765918")
    klass, _, reasons = pair(a, b)
    assert klass == "match"  # on the names and date of birth; the number counts for nothing
    assert "NHS number: same" not in reasons
    assert (
        reasons.count(
            "NHS number: 943 476 5918 is not a valid NHS number (modulus 11 check), ignored"
        )
        == 1
    )


def test_an_invalid_nhs_number_does_not_count_against() -> None:
    a = person("Olivia", "Hughes", nhs_number="9434765919")
    b = person("Olivia", "Hughes", nhs_number="1234567890")
    klass, _, reasons = pair(a, b)
    assert klass == "match"
    assert "NHS number: different" not in reasons
    assert any("123 456 7890 is not a valid NHS number" in r for r in reasons)


# --- reading the records -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"family_name": "Hughes"}, "a.given_name"),
        ({"given_name": "Olivia"}, "a.family_name"),
        ({"given_name": " ", "family_name": "Hughes"}, "a.given_name"),
        ({"given_name": "--", "family_name": "Hughes"}, "a.given_name"),
        ({"given_name": 7, "family_name": "Hughes"}, "a.given_name"),
        ({**person("O", "H"), "date_of_birth": "07/03/2015"}, "a.date_of_birth"),
        ({**person("O", "H"), "date_of_birth": "2015-02-30"}, "a.date_of_birth"),
        ({**person("O", "H"), "date_of_birth": 2015}, "a.date_of_birth"),
        ({**person("O", "H", None), "birth_year": "2015"}, "a.birth_year"),
        ({**person("O", "H", None), "birth_year": True}, "a.birth_year"),
        ({**person("O", "H", None), "birth_year": 15}, "a.birth_year"),
        ({**person("O", "H"), "birth_year": 2014}, "a.birth_year"),
        ({**person("O", "H"), "sex": "f"}, "a.sex"),
        ({**person("O", "H"), "nhs_number": ["943"]}, "a.nhs_number"),
        ({**person("O", "H"), "other_names": "Liv"}, "a.other_names"),
        ({**person("O", "H"), "postcode": 12}, "a.postcode"),
    ],
)
def test_a_bad_field_is_named(data: dict, field: str) -> None:
    with pytest.raises(PersonError) as raised:
        person_from_mapping(data, side="a")
    assert raised.value.field == field
    assert str(raised.value).startswith(f"{field}: ")


def test_a_missing_person_is_named() -> None:
    with pytest.raises(PersonError, match=r"^b: missing"):
        match_mappings(person("Olivia", "Hughes"), None)


def test_nulls_mean_not_known() -> None:
    b = {
        "given_name": "Olivia",
        "family_name": "Hughes",
        "other_names": None,
        "date_of_birth": None,
        "birth_year": None,
        "sex": None,
        "nhs_number": None,
        "postcode": None,
        "address": None,
    }
    klass, _, reasons = pair(OLIVIA, b)
    assert klass == "possible"
    assert reasons == ["family name: same", "given name: same"]


def test_a_person_can_be_built_directly() -> None:
    a = Person(given_name="Bob", family_name="Smith")
    b = Person(given_name="Robert", family_name="Smith")
    assert match(a, b).match == "possible"
