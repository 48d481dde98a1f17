"""services.record_decision: the record holds everything the guidance's requires list
names, or nothing is saved and the refusal names what is missing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.enquiries.models import EnquiryStatus
from mash.records.models import RecordEntry
from mash.sharing import services
from mash.sharing.models import Decision, DisclosureItem, RequestStatus
from tests.sharing.factories import will_tell

from .factories import CONSENTED, NO_GROUND, SIGNIFICANT_HARM, an_item, make_person, make_request

# Shares over a refusal are released at once here: sign-off is tested on its own.
pytestmark = pytest.mark.usefixtures("no_signoff")


def _share(req: Any, actor: Any, **overrides: Any) -> Decision:
    people = list(req.people.all())
    values: dict[str, Any] = {
        "actor": actor,
        "request": req,
        "question": SIGNIFICANT_HARM,
        "justification": "Risk of significant harm: the hub needs this now.",
        "informed": will_tell(),
        "adequacy_confirmed": True,
        "proportionality": "The risk to the child outweighs the refusal.",
        "items": [an_item(people[:1])],
    }
    values.update(overrides)
    return services.record_decision(**values)


def _refusal(excinfo: Any) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_it_records_a_share_with_its_items_and_answers_the_request(
    cast: Any, agencies: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    decision = _share(req, cast["police_practitioner"])
    assert decision.outcome == "share"
    assert decision.basis == "significant_harm"
    assert decision.without_consent is True
    assert "record_justification" in decision.requires
    assert decision.guidance_version
    assert decision.question["recipient_agency"] == "hub"
    assert decision.items.count() == 1
    req.refresh_from_db()
    assert req.status == RequestStatus.ANSWERED
    entries = list(RecordEntry.objects.filter(enquiry_id=req.enquiry_id).order_by("seq"))
    # ... and the hub is told, in the same transaction (tests/timeliness).
    assert [e.action for e in entries[-3:]] == [
        "decision.recorded",
        "disclosure.made",
        "notice.sent",
    ]
    assert entries[-3].details["outcome"] == "share"
    item = decision.items.get()
    assert entries[-2].object_id == str(item.pk)


def test_record_entries_hold_no_free_text(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    _share(req, cast["police_practitioner"])
    for entry in RecordEntry.objects.all():
        text = repr(entry.details)
        assert "significant harm" not in text.lower()
        assert "A&E" not in text


def test_it_refuses_a_decision_without_justification(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    with pytest.raises(ValidationError) as excinfo:
        _share(req, cast["police_practitioner"], justification="  ")
    assert "justification" in _refusal(excinfo)
    assert Decision.objects.count() == 0


def test_it_refuses_sharing_without_consent_without_saying_whether_the_person_was_told(
    cast: Any, agencies: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    with pytest.raises(ValidationError) as excinfo:
        _share(req, cast["police_practitioner"], informed="")
    assert "informed" in _refusal(excinfo)


def test_it_refuses_not_telling_the_person_without_saying_why(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    with pytest.raises(ValidationError) as excinfo:
        _share(req, cast["police_practitioner"], informed="not_told", not_informed_reason="")
    assert "not_informed_reason" in _refusal(excinfo)


def test_it_refuses_overriding_a_refusal_without_a_proportionality_statement(
    cast: Any, agencies: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    with pytest.raises(ValidationError) as excinfo:
        _share(req, cast["police_practitioner"], proportionality="")
    assert "proportionality" in _refusal(excinfo)


def test_it_refuses_a_share_with_no_items(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    with pytest.raises(ValidationError) as excinfo:
        _share(req, cast["police_practitioner"], items=[])
    assert _refusal(excinfo)["items"] == ["Add at least one item of information to share"]


def test_it_refuses_a_historical_item_without_an_explanation(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    people = list(req.people.all())
    with pytest.raises(ValidationError) as excinfo:
        _share(
            req,
            cast["police_practitioner"],
            items=[an_item(people, currency="historical", historical_explanation="")],
        )
    assert "item-1-historical_explanation" in _refusal(excinfo)
    assert DisclosureItem.objects.count() == 0


def test_it_refuses_an_item_about_a_person_not_asked_about(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    stranger = make_person(req.enquiry, kind="other_adult")  # in the enquiry, not asked about
    with pytest.raises(ValidationError) as excinfo:
        _share(req, cast["police_practitioner"], items=[an_item([stranger])])
    assert "item-1-people" in _refusal(excinfo)
    assert Decision.objects.count() == 0


def test_it_refuses_an_item_dated_in_the_future_or_without_a_source(
    cast: Any, agencies: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    people = list(req.people.all())
    future = timezone.localdate() + dt.timedelta(days=2)
    with pytest.raises(ValidationError) as excinfo:
        _share(
            req, cast["police_practitioner"], items=[an_item(people, recorded_on=future, source="")]
        )
    assert {"item-1-recorded_on", "item-1-source"} <= set(_refusal(excinfo))


def test_it_refuses_not_sharing_without_reasons_or_the_discussion_record(
    cast: Any, agencies: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    with pytest.raises(ValidationError) as excinfo:
        services.record_decision(actor=cast["police_practitioner"], request=req, question=NO_GROUND)
    refusal = _refusal(excinfo)
    assert {"not_sharing_reasons", "discussed_at", "discussed_with", "discussion_notes"} <= set(
        refusal
    )


def test_it_records_not_sharing_with_the_reasons_and_the_discussion(
    cast: Any, agencies: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    decision = services.record_decision(
        actor=cast["police_practitioner"],
        request=req,
        question=NO_GROUND,
        not_sharing_reasons="Nothing held is relevant.",
        discussed_at=timezone.now(),
        discussed_with="MASH duty social worker",
        discussion_notes="Agreed.",
    )
    assert decision.outcome == "do_not_share"
    assert decision.items.count() == 0
    assert RecordEntry.objects.filter(action="disclosure.made").count() == 0


def test_it_refuses_to_record_seek_advice_as_a_decision(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    question = {**NO_GROUND, "risk": {"urgent": False}}  # significant harm not known
    with pytest.raises(ValidationError) as excinfo:
        services.record_decision(actor=cast["police_practitioner"], request=req, question=question)
    assert "seek advice" in _refusal(excinfo)["outcome"][0]
    assert Decision.objects.count() == 0


def test_it_refuses_consent_not_sought_without_the_reason(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    question = {**SIGNIFICANT_HARM, "consent": {"status": "not_sought"}}
    with pytest.raises(ValidationError) as excinfo:
        _share(req, cast["police_practitioner"], question=question)
    assert "reason_not_sought" in _refusal(excinfo)


def test_it_refuses_consent_to_share_sensitive_information_without_the_explicit_record(
    cast: Any, agencies: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    question = {
        **CONSENTED,
        "sensitive": True,
        "consent": {
            "status": "given",
            "explicit": True,
            "recorded_at": "2026-01-05T10:00:00+00:00",
        },
    }
    with pytest.raises(ValidationError) as excinfo:
        _share(req, cast["police_practitioner"], question=question, consent_details="")
    assert "consent_details" in _refusal(excinfo)
    decision = _share(
        req,
        cast["police_practitioner"],
        question=question,
        consent_details="Signed consent form covering GP records.",
    )
    assert decision.basis == "consent"
    assert decision.consent_details == "Signed consent form covering GP records."


def test_only_the_asked_agency_may_answer(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    for who in ("health_practitioner", "hub_practitioner", "outsider", "dpo"):
        with pytest.raises(PermissionError):
            _share(req, cast[who])
    assert Decision.objects.count() == 0


def test_it_refuses_a_request_on_a_closed_enquiry(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    req.enquiry.status = EnquiryStatus.CLOSED
    req.enquiry.save()
    with pytest.raises(ValidationError) as excinfo:
        _share(req, cast["police_practitioner"])
    assert "closed" in _refusal(excinfo)["request"][0]


def test_it_refuses_a_second_decision_that_is_not_a_correction(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    _share(req, cast["police_practitioner"])
    with pytest.raises(ValidationError) as excinfo:
        _share(req, cast["police_manager"])
    assert "correction" in _refusal(excinfo)["request"][0]
    assert Decision.objects.count() == 1


def test_a_correction_supersedes_the_old_decision_and_both_stay(cast: Any, agencies: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    first = _share(req, cast["police_practitioner"])
    with pytest.raises(ValidationError) as excinfo:
        _share(req, cast["police_manager"], supersedes=first, correction_reason="")
    assert "correction_reason" in _refusal(excinfo)
    second = _share(
        req, cast["police_manager"], supersedes=first, correction_reason="Wrong item shared."
    )
    assert second.supersedes == first
    first.refresh_from_db()
    assert first.superseded_by == second
    assert Decision.objects.filter(request=req).count() == 2
    superseded = RecordEntry.objects.get(action="decision.superseded")
    assert superseded.object_id == str(first.pk)
    assert superseded.details["superseded_by"] == str(second.pk)
    # Only the latest decision can be corrected.
    with pytest.raises(ValidationError) as excinfo:
        _share(req, cast["police_manager"], supersedes=first, correction_reason="Again.")
    assert "supersedes" in _refusal(excinfo)


def test_the_record_entry_is_written_in_the_same_transaction(
    cast: Any, agencies: Any, monkeypatch: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    entries_before = RecordEntry.objects.count()
    real_record = services.record

    def failing_record(**kwargs: Any) -> Any:
        if kwargs["action"] == "disclosure.made":
            raise RuntimeError("the record is unavailable")
        return real_record(**kwargs)

    monkeypatch.setattr(services, "record", failing_record)
    with pytest.raises(RuntimeError):
        _share(req, cast["police_practitioner"])
    assert Decision.objects.count() == 0
    assert DisclosureItem.objects.count() == 0
    assert RecordEntry.objects.count() == entries_before
    req.refresh_from_db()
    assert req.status == RequestStatus.OPEN


def test_it_refuses_a_sensitive_item_when_the_answers_said_nothing_is_sensitive(
    cast: Any, agencies: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    people = list(req.people.all())
    with pytest.raises(ValidationError) as excinfo:
        _share(
            req,
            cast["police_practitioner"],
            question=CONSENTED,
            items=[an_item(people[:1], sensitive=True)],
        )
    assert "item-1-sensitive" in _refusal(excinfo)
    assert Decision.objects.count() == 0


def test_one_decision_draft_is_run_by_the_engine_and_recorded(cast: Any, agencies: Any) -> None:
    """The decision page builds one ``DecisionDraft``; the engine runs on it and the
    service records it, with the same result as its answers given one by one."""
    req = make_request(cast=cast, agency=agencies["police"])
    child = req.people.get(kind="child")
    draft = services.DecisionDraft(
        question=SIGNIFICANT_HARM,
        justification="Risk of significant harm: the hub needs this now.",
        informed=will_tell(),
        proportionality="The risk to the child outweighs the refusal.",
        items=[an_item([child])],
        adequacy_confirmed=True,
    )
    run = services.run_engine(req, draft)
    assert run.sharing
    assert run.question["recipient_agency"] == "hub"
    assert {r["person"] for r in run.per_person} == {str(p.pk) for p in req.people.all()}
    decision = services.record_decision(actor=cast["police_practitioner"], request=req, draft=draft)
    assert decision.outcome == run.outcome["outcome"] == "share"
    assert decision.people_decisions == run.per_person
    assert decision.informing.count() == len(run.per_person)
    assert decision.items.get().people.get() == child
