"""The enquiry services: each writes its change and its record entry together."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from faker import Faker

from mash.enquiries import services
from mash.enquiries.models import Enquiry, Person
from mash.records.models import RecordEntry


def actions(enquiry: Enquiry) -> list[str]:
    return list(
        RecordEntry.objects.filter(enquiry_id=enquiry.pk)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_starting_an_enquiry_makes_a_draft_with_a_reference_and_a_record_entry(
    cast: dict[str, Any],
) -> None:
    enquiry = services.start_enquiry(actor=cast["hub_practitioner"])
    assert enquiry.status == "draft"
    assert enquiry.hub.code == "hub"
    assert enquiry.reference.startswith(f"MASH-{timezone.localdate().year}-")
    assert len(enquiry.reference.split("-")[-1]) == 5
    assert actions(enquiry) == ["enquiry.created"]


def test_references_are_unique(cast: dict[str, Any]) -> None:
    refs = {services.start_enquiry(actor=cast["hub_practitioner"]).reference for _ in range(30)}
    assert len(refs) == 30


def test_a_partner_agency_user_cannot_start_an_enquiry(cast: dict[str, Any]) -> None:
    with pytest.raises(services.EnquiryError):
        services.start_enquiry(actor=cast["police_practitioner"])
    assert Enquiry.objects.count() == 0


def test_each_change_records_the_names_of_the_fields_changed_never_their_values(
    cast: dict[str, Any],
) -> None:
    actor = cast["hub_practitioner"]
    enquiry = services.start_enquiry(actor=actor)
    services.update_concern(enquiry=enquiry, actor=actor, concern="Bruise on the left arm")
    entry = RecordEntry.objects.get(enquiry_id=enquiry.pk, action="enquiry.changed")
    assert entry.details == {"fields": ["concern"], "status": "draft"}
    assert "Bruise" not in str(entry.details)


def test_an_unchanged_answer_writes_no_entry(cast: dict[str, Any]) -> None:
    actor = cast["hub_practitioner"]
    enquiry = services.start_enquiry(actor=actor)
    services.update_concern(enquiry=enquiry, actor=actor, concern="Same")
    services.update_concern(enquiry=enquiry, actor=actor, concern="Same")
    assert actions(enquiry).count("enquiry.changed") == 1


def test_it_refuses_a_received_date_in_the_future(cast: dict[str, Any]) -> None:
    actor = cast["hub_practitioner"]
    enquiry = services.start_enquiry(actor=actor)
    with pytest.raises(ValidationError) as error:
        services.update_received(
            enquiry=enquiry, actor=actor, received_at=timezone.now() + timedelta(days=1)
        )
    assert "received_at" in error.value.message_dict
    enquiry.refresh_from_db()
    assert enquiry.received_at is None


def test_it_refuses_a_date_of_birth_in_the_future(cast: dict[str, Any]) -> None:
    actor = cast["hub_practitioner"]
    enquiry = services.start_enquiry(actor=actor)
    with pytest.raises(ValidationError) as error:
        services.add_person(
            enquiry=enquiry,
            actor=actor,
            details=services.PersonDetails(
                kind="child",
                first_name="A",
                last_name="B",
                date_of_birth=timezone.localdate() + timedelta(days=1),
            ),
        )
    assert "date_of_birth" in error.value.message_dict
    assert Person.objects.count() == 0


def test_a_child_needs_a_date_of_birth_or_an_estimated_age(cast: dict[str, Any]) -> None:
    actor = cast["hub_practitioner"]
    enquiry = services.start_enquiry(actor=actor)
    with pytest.raises(ValidationError) as error:
        services.add_person(
            enquiry=enquiry,
            actor=actor,
            details=services.PersonDetails(kind="child", first_name="A", last_name="B"),
        )
    assert "date_of_birth" in error.value.message_dict
    person = services.add_person(
        enquiry=enquiry,
        actor=actor,
        details=services.PersonDetails(
            kind="child", first_name="A", last_name="B", estimated_age=9
        ),
    )
    assert person.estimated_age == 9


def test_consent_not_obtained_needs_a_reason(cast: dict[str, Any]) -> None:
    actor = cast["hub_practitioner"]
    enquiry = services.start_enquiry(actor=actor)
    with pytest.raises(ValidationError) as error:
        services.update_consent_to_refer(
            enquiry=enquiry, actor=actor, consent="not_obtained", reason_not_obtained="  "
        )
    assert "consent_not_obtained_reason" in error.value.message_dict
    enquiry.refresh_from_db()
    assert enquiry.consent_to_refer == ""


def test_consent_obtained_needs_who_gave_it(cast: dict[str, Any]) -> None:
    actor = cast["hub_practitioner"]
    enquiry = services.start_enquiry(actor=actor)
    with pytest.raises(ValidationError) as error:
        services.update_consent_to_refer(enquiry=enquiry, actor=actor, consent="obtained")
    assert "consent_obtained_from" in error.value.message_dict


def test_an_anonymous_enquiry_keeps_no_referrer_details(cast: dict[str, Any]) -> None:
    actor = cast["hub_practitioner"]
    enquiry = services.start_enquiry(actor=actor)
    services.update_source(enquiry=enquiry, actor=actor, source="public")
    services.update_referrer(
        enquiry=enquiry, actor=actor, name="A neighbour", role="", organisation="", contact=""
    )
    services.update_source(enquiry=enquiry, actor=actor, source="anonymous")
    enquiry.refresh_from_db()
    assert enquiry.referrer_name == ""
    with pytest.raises(services.EnquiryError):
        services.update_referrer(
            enquiry=enquiry, actor=actor, name="X", role="", organisation="", contact=""
        )


def test_a_professional_referrer_gives_every_detail(cast: dict[str, Any]) -> None:
    actor = cast["hub_practitioner"]
    enquiry = services.start_enquiry(actor=actor)
    services.update_source(enquiry=enquiry, actor=actor, source="professional")
    with pytest.raises(ValidationError) as error:
        services.update_referrer(
            enquiry=enquiry, actor=actor, name="Ann Example", role="", organisation="", contact=""
        )
    assert set(error.value.message_dict) == {
        "referrer_role",
        "referrer_organisation",
        "referrer_contact",
    }


def test_submitting_a_complete_draft_opens_it(draft: Enquiry, cast: dict[str, Any]) -> None:
    services.submit_enquiry(enquiry=draft, actor=cast["hub_practitioner"])
    draft.refresh_from_db()
    assert draft.status == "open"
    assert actions(draft)[-1] == "enquiry.submitted"


def test_submitting_an_incomplete_draft_names_what_is_missing(cast: dict[str, Any]) -> None:
    actor = cast["hub_practitioner"]
    enquiry = services.start_enquiry(actor=actor)
    with pytest.raises(services.EnquiryIncomplete) as error:
        services.submit_enquiry(enquiry=enquiry, actor=actor)
    steps = [step for step, _message in error.value.missing]
    assert steps == ["received", "source", "concern", "danger", "people", "consent", "urgency"]
    enquiry.refresh_from_db()
    assert enquiry.status == "draft"


def test_an_enquiry_needs_a_child_not_only_adults(cast: dict[str, Any], fake: Faker) -> None:
    from tests.enquiries.conftest import complete_draft

    actor = cast["hub_practitioner"]
    enquiry = complete_draft(actor, fake)
    child = enquiry.people.get()
    services.add_person(
        enquiry=enquiry,
        actor=actor,
        details=services.PersonDetails(kind="parent", first_name="P", last_name="Q"),
    )
    services.remove_person(person=child, actor=actor)
    with pytest.raises(services.EnquiryIncomplete) as error:
        services.submit_enquiry(enquiry=enquiry, actor=actor)
    assert [step for step, _ in error.value.missing] == ["people"]


def test_removing_a_person_is_recorded(draft: Enquiry, cast: dict[str, Any]) -> None:
    person = draft.people.get()
    services.remove_person(person=person, actor=cast["hub_practitioner"])
    assert not Person.objects.filter(pk=person.pk).exists()
    entry = RecordEntry.objects.get(action="person.removed")
    assert entry.object_id == str(person.pk)
    assert entry.details == {"kind": "child"}


def test_changing_a_person_records_the_fields(draft: Enquiry, cast: dict[str, Any]) -> None:
    person = draft.people.get()
    services.change_person(
        person=person,
        actor=cast["hub_practitioner"],
        details=services.PersonDetails(
            kind="child",
            first_name=person.first_name,
            last_name=person.last_name,
            date_of_birth=date(2019, 3, 15),
            school_or_setting=person.school_or_setting,
            role_in_concern=person.role_in_concern,
        ),
    )
    entry = RecordEntry.objects.get(action="person.changed")
    assert entry.details == {"fields": ["date_of_birth"]}


def test_closing_records_the_outcome(enquiry: Enquiry, cast: dict[str, Any]) -> None:
    services.close_enquiry(
        enquiry=enquiry,
        actor=cast["hub_manager"],
        outcome="assessment",
        rationale="Needs a single assessment.",
    )
    enquiry.refresh_from_db()
    assert enquiry.status == "closed"
    assert enquiry.outcome == "assessment"
    assert enquiry.closed_by == cast["hub_manager"]
    entry = RecordEntry.objects.filter(enquiry_id=enquiry.pk).order_by("-seq").first()
    assert entry is not None
    assert entry.action == "enquiry.closed"
    assert entry.details["outcome"] == "assessment"


def test_closing_needs_an_outcome_and_a_rationale(enquiry: Enquiry, cast: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.close_enquiry(enquiry=enquiry, actor=cast["hub_manager"], outcome="", rationale="")
    assert set(error.value.message_dict) == {"outcome", "outcome_rationale"}
    enquiry.refresh_from_db()
    assert enquiry.status == "open"


def test_a_draft_cannot_be_closed(draft: Enquiry, cast: dict[str, Any]) -> None:
    with pytest.raises(services.EnquiryError):
        services.close_enquiry(
            enquiry=draft, actor=cast["hub_manager"], outcome="early_help", rationale="x"
        )


def test_a_reference_that_clashes_is_drawn_again(
    cast: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = services.start_enquiry(actor=cast["hub_practitioner"])
    draws = iter([first.reference, "MASH-2026-12345"])
    monkeypatch.setattr(services, "_new_reference", lambda year: next(draws))
    second = services.start_enquiry(actor=cast["hub_practitioner"])
    assert second.reference == "MASH-2026-12345"
    assert RecordEntry.objects.filter(action="enquiry.created").count() == 2
