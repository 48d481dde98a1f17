"""The position is the decision contract's ``consent`` object, ready to use."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mash.consent.selectors import consent_position, consent_position_for_people

from .conftest import at


def test_it_gives_the_time_explicit_consent_was_given(make_record: Any, child: Any) -> None:
    make_record(child, day=3, time=dt.time(14, 30))
    position = consent_position(person=child, recipient_agency="police", at=at(4))
    assert position.consent == {
        "status": "given",
        "agencies": None,
        "explicit": True,
        "recorded_at": at(3, 14, 30).isoformat(),
    }


def test_it_gives_when_it_was_entered_when_no_time_was_recorded(
    make_record: Any, child: Any
) -> None:
    make_record(child, day=3, time=None, recorded=at(3, 16))
    position = consent_position(person=child, recipient_agency="police", at=at(4))
    assert position.consent["recorded_at"] == at(3, 16).isoformat()


def test_it_says_not_sought_with_the_reason_the_enquiry_records(child: Any, enquiry: Any) -> None:
    enquiry.consent_to_refer = "not_obtained"
    enquiry.consent_not_obtained_reason = "Asking would alert the person alleged to harm"
    enquiry.save()
    position = consent_position(person=child, recipient_agency="police")
    assert position.consent == {
        "status": "not_sought",
        "agencies": None,
        "explicit": False,
        "reason_not_sought": "Asking would alert the person alleged to harm",
    }
    assert position.record is None


def test_it_says_unknown_when_the_enquiry_gives_no_reason_consent_was_not_sought(
    child: Any, enquiry: Any
) -> None:
    enquiry.consent_to_refer = "not_obtained"
    enquiry.save()
    assert consent_position(person=child, recipient_agency="police").consent["status"] == (
        "unknown"
    )


def test_a_record_decides_even_where_the_enquiry_says_consent_was_not_sought(
    make_record: Any, child: Any, enquiry: Any
) -> None:
    enquiry.consent_to_refer = "not_obtained"
    enquiry.consent_not_obtained_reason = "Urgent"
    enquiry.save()
    make_record(child, status="refused")
    assert consent_position(person=child, recipient_agency="police", at=at(2)).status == "refused"


def test_the_expired_records_are_named_for_the_page(make_record: Any, child: Any) -> None:
    old = make_record(child, valid_until=dt.date(2026, 1, 2))
    position = consent_position(person=child, recipient_agency="police", at=at(9))
    assert position.status == "unknown"
    assert position.expired == [old]
    assert "expired" in position.explanation


def test_everyone_must_consent_for_the_combined_position_to_be_given(
    make_record: Any, people: dict[str, Any]
) -> None:
    make_record(people["child"], agencies_=["police", "health"])
    make_record(people["mother"], agencies_=["police"], method="privacy_notice")
    combined = consent_position_for_people(
        people=[people["child"], people["mother"]], recipient_agency="police", at=at(2)
    )
    assert combined.consent["status"] == "given"
    assert combined.consent["agencies"] == ["police"]
    assert combined.consent["explicit"] is False


def test_one_refusal_makes_the_combined_position_refused(
    make_record: Any, people: dict[str, Any]
) -> None:
    make_record(people["child"])
    make_record(people["father"], status="refused")
    combined = consent_position_for_people(
        people=[people["child"], people["father"]], recipient_agency="police", at=at(2)
    )
    assert combined.consent["status"] == "refused"
    assert [p.status for _, p in combined.positions] == ["given", "refused"]


def test_someone_with_no_record_makes_the_combined_position_unknown(
    make_record: Any, people: dict[str, Any]
) -> None:
    make_record(people["child"])
    combined = consent_position_for_people(
        people=[people["child"], people["mother"]], recipient_agency="police", at=at(2)
    )
    assert combined.consent == {"status": "unknown", "agencies": None, "explicit": False}


def test_each_agency_holds_its_own_kind_of_information(agencies: dict[str, Any]) -> None:
    from mash.consent.selectors import category_held_by

    assert category_held_by(agencies["police"]) == "police"
    assert category_held_by(agencies["health"]) == "health"
    assert category_held_by(agencies["hub"]) == "social_care"
    agencies["education"].kind = "other"
    assert category_held_by(agencies["education"]) is None


def test_all_agency_kinds_map_to_a_kind_of_information_or_any() -> None:
    from mash.agencies.models import AgencyKind
    from mash.consent.models import Category
    from mash.consent.selectors import _CATEGORY_OF_KIND

    assert set(_CATEGORY_OF_KIND) | {"other"} == set(AgencyKind.values)
    assert set(_CATEGORY_OF_KIND.values()) <= set(Category.values)
