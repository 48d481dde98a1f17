"""The change and its record entry commit together or not at all: when the record
cannot be written, nothing is saved."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from mash.enquiries import services
from mash.enquiries.models import Enquiry, Person


class RecordDown(Exception):
    pass


@pytest.fixture
def broken_record(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(**kwargs: Any) -> None:
        raise RecordDown

    monkeypatch.setattr(services, "record", fail)


def test_no_enquiry_is_created_when_the_record_fails(
    cast: dict[str, Any], broken_record: None
) -> None:
    with pytest.raises(RecordDown):
        services.start_enquiry(actor=cast["hub_practitioner"])
    assert Enquiry.objects.count() == 0


def test_no_answer_is_saved_when_the_record_fails(
    draft: Enquiry, cast: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "record", lambda **kw: (_ for _ in ()).throw(RecordDown()))
    with pytest.raises(RecordDown):
        services.update_concern(enquiry=draft, actor=cast["hub_practitioner"], concern="Changed")
    assert Enquiry.objects.get(pk=draft.pk).concern != "Changed"


def test_no_person_is_added_when_the_record_fails(
    draft: Enquiry, cast: dict[str, Any], broken_record: None
) -> None:
    with pytest.raises(RecordDown):
        services.add_person(
            enquiry=draft,
            actor=cast["hub_practitioner"],
            details=services.PersonDetails(
                kind="child", first_name="A", last_name="B", date_of_birth=date(2018, 1, 1)
            ),
        )
    assert Person.objects.filter(enquiry=draft).count() == 1


def test_no_person_is_removed_when_the_record_fails(
    draft: Enquiry, cast: dict[str, Any], broken_record: None
) -> None:
    with pytest.raises(RecordDown):
        services.remove_person(person=draft.people.get(), actor=cast["hub_practitioner"])
    assert Person.objects.filter(enquiry=draft).count() == 1


def test_a_draft_stays_a_draft_when_the_record_fails(
    draft: Enquiry, cast: dict[str, Any], broken_record: None
) -> None:
    with pytest.raises(RecordDown):
        services.submit_enquiry(enquiry=draft, actor=cast["hub_practitioner"])
    assert Enquiry.objects.get(pk=draft.pk).status == "draft"


def test_an_enquiry_stays_open_when_the_record_fails(
    enquiry: Enquiry, cast: dict[str, Any], broken_record: None
) -> None:
    with pytest.raises(RecordDown):
        services.close_enquiry(
            enquiry=enquiry, actor=cast["hub_manager"], outcome="early_help", rationale="x"
        )
    assert Enquiry.objects.get(pk=enquiry.pk).status == "open"
