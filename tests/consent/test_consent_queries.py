"""Reading consent costs a fixed number of queries, however many people and records:
the enquiry page and a request naming many people stay quick."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mash.consent.selectors import consent_position_for_people, enquiry_consent_table


def _add_people(enquiry: Any, make_record: Any, count: int) -> list[Any]:
    from mash.enquiries.models import Person

    people = []
    for n in range(count):
        person = Person.objects.create(
            enquiry=enquiry, kind="child", first_name=f"Child{n}", last_name="Tee"
        )
        make_record(person, agencies_=["police", "health"])
        make_record(person, status="refused", day=2, agencies_=["education"])
        people.append(person)
    return people


def _queries(run: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def test_the_enquiry_table_needs_the_same_queries_for_two_people_or_twenty(
    enquiry: Any, make_record: Any
) -> None:
    _add_people(enquiry, make_record, 2)
    few = _queries(lambda: enquiry_consent_table(enquiry=enquiry))
    _add_people(enquiry, make_record, 18)
    many = _queries(lambda: enquiry_consent_table(enquiry=enquiry))
    assert many == few


def test_the_combined_position_needs_the_same_queries_for_two_people_or_twenty(
    enquiry: Any, make_record: Any
) -> None:
    from mash.enquiries.models import Person

    _add_people(enquiry, make_record, 20)
    people = list(Person.objects.filter(enquiry=enquiry))  # as a caller would load them

    def combined(who: list[Any]) -> Any:
        return lambda: consent_position_for_people(people=who, recipient_agency="police")

    assert _queries(combined(people[:2])) == _queries(combined(people))
