"""A closed enquiry cannot be changed: every write service refuses, and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from mash.enquiries import services
from mash.enquiries.models import Enquiry
from mash.records.models import RecordEntry

PERSON = services.PersonDetails(
    kind="child", first_name="New", last_name="Child", date_of_birth=date(2020, 1, 1)
)

WRITES: dict[str, Callable[[Enquiry, Any], Any]] = {
    "received": lambda e, a: services.update_received(
        enquiry=e, actor=a, received_at=timezone.now()
    ),
    "source": lambda e, a: services.update_source(enquiry=e, actor=a, source="public"),
    "referrer": lambda e, a: services.update_referrer(
        enquiry=e, actor=a, name="N", role="R", organisation="O", contact="C"
    ),
    "concern": lambda e, a: services.update_concern(enquiry=e, actor=a, concern="New"),
    "danger": lambda e, a: services.update_immediate_danger(
        enquiry=e, actor=a, immediate_danger=True
    ),
    "consent": lambda e, a: services.update_consent_to_refer(
        enquiry=e, actor=a, consent="obtained", obtained_from="Mother"
    ),
    "urgency": lambda e, a: services.update_urgency(
        enquiry=e, actor=a, rag="red", rationale="Changed"
    ),
    "add_person": lambda e, a: services.add_person(enquiry=e, actor=a, details=PERSON),
    "change_person": lambda e, a: services.change_person(
        person=e.people.first(), actor=a, details=PERSON
    ),
    "remove_person": lambda e, a: services.remove_person(person=e.people.first(), actor=a),
    "submit": lambda e, a: services.submit_enquiry(enquiry=e, actor=a),
    "close": lambda e, a: services.close_enquiry(
        enquiry=e, actor=a, outcome="no_further_action", rationale="Again"
    ),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_write_refuses_a_closed_enquiry_with_a_clear_message(
    write: str, closed: Enquiry, cast: dict[str, Any]
) -> None:
    before = RecordEntry.objects.count()
    people_before = list(closed.people.values())
    with pytest.raises(services.EnquiryClosed) as error:
        WRITES[write](closed, cast["hub_practitioner"])
    assert str(error.value) == f"Enquiry {closed.reference} is closed and cannot be changed."
    assert RecordEntry.objects.count() == before
    fresh = Enquiry.objects.get(pk=closed.pk)
    assert fresh.status == "closed"
    assert fresh.outcome == "early_help"
    assert fresh.rag == closed.rag
    assert list(fresh.people.values()) == people_before
