"""Feedback to the referrer: due a working day after the authorised threshold decision
(for a professional referrer), written from a template per outcome and edited, sent by
e-mail (or recorded as told by telephone) with its record entry, with nothing from the
partners but items marked as ones the hub may pass on; overdue feedback in "My work"."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from mash.enquiries import feedback, services, threshold
from mash.enquiries.models import Enquiry, Feedback, FeedbackTemplate, ThresholdDecision
from mash.records.models import RecordEntry
from tests.sharing.onward_helpers import ASK_FIRST, FREE, make_case

EMAIL = "class.teacher@school.example.org"


@pytest.fixture(autouse=True)
def _locmem(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def authorise(enquiry: Enquiry, cast: dict[str, Any], outcomes: list[str]) -> ThresholdDecision:
    level = threshold.levels_for(enquiry.hub_id)[1]
    decision = threshold.record_threshold_decision(
        enquiry=enquiry,
        actor=cast["hub_practitioner"],
        level_id=str(level.pk),
        outcomes=outcomes,
        referral_service="",
        rationale="Family agree to early help; school to support.",
    )
    return threshold.authorise_threshold_decision(decision=decision, actor=cast["hub_manager"])


def with_email(enquiry: Enquiry, cast: dict[str, Any], contact: str = EMAIL) -> Enquiry:
    return services.update_referrer(
        enquiry=enquiry,
        actor=cast["hub_practitioner"],
        name="Sam Teacher",
        role="Class teacher",
        organisation="Oak Primary School",
        contact=contact,
    )


def test_authorising_sets_feedback_due_a_working_day_later_on_the_hubs_clock(
    cast: dict[str, Any], enquiry: Enquiry
) -> None:
    decision = authorise(enquiry, cast, ["early_help"])
    assert decision.feedback_due_at is not None
    expected = feedback.feedback_due(enquiry.hub_id, decision.reviewed_at)
    assert decision.feedback_due_at == expected
    from mash.enquiries.deadlines import working_time_between
    from mash.timeliness.config import hub_clock

    clock = hub_clock(enquiry.hub_id).clock
    assert working_time_between(decision.reviewed_at, expected, clock) == timedelta(hours=8)


def test_the_page_drafts_the_words_from_each_outcomes_template_and_sends_the_mail(
    client_for: Any, cast: dict[str, Any], enquiry: Enquiry
) -> None:
    with_email(enquiry, cast)
    FeedbackTemplate.objects.create(
        hub=enquiry.hub, outcome="early_help", text="Our own words for $reference."
    )
    authorise(enquiry, cast, ["early_help", "advice_and_information"])
    hana = client_for("hub_practitioner")
    detail = hana.get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert "Tell the referrer the outcome" in detail
    url = f"/enquiries/{enquiry.pk}/feedback"
    page = hana.get(url).content.decode()
    assert f"Our own words for {enquiry.reference}." in page  # the hub's own template
    assert "The hub has given advice and information" in page  # the default template
    assert "Dear Sam Teacher" in page and EMAIL in page
    edited = "Dear Sam, early help will be offered to the family. From the hub."
    sent = hana.post(url, {"method": "email", "email": EMAIL, "text": edited})
    assert sent.status_code == 302
    [message] = mail.outbox
    assert message.to == [EMAIL] and enquiry.reference in message.subject
    assert message.body == edited
    row = Feedback.objects.get(enquiry=enquiry)
    assert row.method == "email" and row.sent_to == EMAIL
    assert row.sent_by == cast["hub_practitioner"]
    entry = RecordEntry.objects.get(enquiry_id=enquiry.pk, action="feedback.sent")
    assert entry.details["method"] == "email" and entry.details["late"] is False
    assert "early help" not in str(entry.details).lower() and EMAIL not in str(entry.details)
    shown = hana.get(url).content.decode()
    assert "E-mailed to" in shown and "early help will be offered" in shown
    again = hana.post(url, {"method": "email", "email": EMAIL, "text": "Twice"})
    assert again.status_code == 200 and len(mail.outbox) == 1  # sent once: the page shows it


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"method": "email", "email": "not an address", "text": "x"}, "email", "correct format"),
        ({"method": "email", "email": "", "text": "x"}, "email", "Enter the referrer's e-mail"),
        ({"method": "email", "email": EMAIL, "text": "  "}, "text", "Enter what the referrer"),
        ({"email": EMAIL, "text": "x"}, "method", "Select how you are telling"),
    ],
)
def test_bad_input_names_the_field_and_nothing_is_sent_or_saved(
    client_for: Any,
    cast: dict[str, Any],
    enquiry: Enquiry,
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    authorise(enquiry, cast, ["early_help"])
    response = client_for("hub_practitioner").post(f"/enquiries/{enquiry.pk}/feedback", data)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert message in page
    assert f'href="#id_{field}"' in page
    assert not mail.outbox and not Feedback.objects.exists()
    assert not RecordEntry.objects.filter(action="feedback.sent").exists()


def test_a_referrer_without_e_mail_is_recorded_as_told_by_telephone_with_the_time(
    client_for: Any, cast: dict[str, Any], enquiry: Enquiry
) -> None:
    authorise(enquiry, cast, ["no_further_action"])
    hana = client_for("hub_practitioner")
    page = hana.get(f"/enquiries/{enquiry.pk}/feedback").content.decode()
    assert 'value="phone" checked' in page  # the contact is a telephone number
    before = timezone.now()
    response = hana.post(
        f"/enquiries/{enquiry.pk}/feedback", {"method": "phone", "text": "No further action."}
    )
    assert response.status_code == 302
    row = Feedback.objects.get(enquiry=enquiry)
    assert row.method == "phone" and row.sent_to == "" and row.sent_at >= before
    assert not mail.outbox
    detail = hana.get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert "Told by telephone" in detail


def test_only_items_the_agency_marked_may_be_passed_on_can_go_to_the_referrer(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    case = make_case(cast, agencies)
    with_email(case.enquiry, cast)
    from mash.sharing.models import InformationRequest

    assert not InformationRequest.objects.filter(enquiry=case.enquiry, status="open").exists()
    authorise(case.enquiry, cast, ["strategy_discussion"])
    hana = client_for("hub_practitioner")
    url = f"/enquiries/{case.enquiry.pk}/feedback"
    page = hana.get(url).content.decode()
    assert FREE in page and ASK_FIRST not in page  # nothing confidential offered
    refused = hana.post(
        url, {"method": "email", "email": EMAIL, "text": "Words", "items": [str(case.ask_first.pk)]}
    )
    assert refused.status_code == 400 and not mail.outbox
    assert "Select only items the agencies marked" in refused.content.decode()
    sent = hana.post(
        url, {"method": "email", "email": EMAIL, "text": "Words", "items": [str(case.free.pk)]}
    )
    assert sent.status_code == 302
    [message] = mail.outbox
    assert FREE in message.body and ASK_FIRST not in message.body
    assert list(Feedback.objects.get().items.all()) == [case.free]


def test_unticked_items_are_not_sent(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    case = make_case(cast, agencies)
    authorise(case.enquiry, cast, ["early_help"])
    client_for("hub_practitioner").post(
        f"/enquiries/{case.enquiry.pk}/feedback",
        {"method": "email", "email": EMAIL, "text": "Words"},
    )
    [message] = mail.outbox
    assert FREE not in message.body


def test_overdue_feedback_is_in_my_work_until_it_is_sent(
    client_for: Any, cast: dict[str, Any], enquiry: Enquiry
) -> None:
    decision = authorise(enquiry, cast, ["early_help"])
    ThresholdDecision.objects.filter(pk=decision.pk).update(
        feedback_due_at=timezone.now() - timedelta(hours=3)
    )
    hana = client_for("hub_practitioner")  # she decided; nobody owns the enquiry
    page = hana.get("/my-work").content.decode()
    assert "Referrers to tell the outcome" in page and enquiry.reference in page
    # "Overdue by 3 hours" in working hours; after the hub's hours "Overdue (was due by
    # 17:17 today)", as no working time has passed since.
    assert "Feedback to 1 referrer is overdue" in page and "Overdue" in page
    assert (
        "Referrers to tell the outcome"
        not in client_for("hub_manager").get("/my-work").content.decode()
    )
    hana.post(f"/enquiries/{enquiry.pk}/feedback", {"method": "phone", "text": "Told."})
    assert "Referrers to tell the outcome" not in hana.get("/my-work").content.decode()
    entry = RecordEntry.objects.get(enquiry_id=enquiry.pk, action="feedback.sent")
    assert entry.details["late"] is True


def test_a_mail_failure_records_nothing(
    client_for: Any, cast: dict[str, Any], enquiry: Enquiry, monkeypatch: pytest.MonkeyPatch
) -> None:
    authorise(enquiry, cast, ["early_help"])

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    response = client_for("hub_practitioner").post(
        f"/enquiries/{enquiry.pk}/feedback", {"method": "email", "email": EMAIL, "text": "x"}
    )
    assert response.status_code == 400
    assert "could not be sent" in response.content.decode()
    assert not Feedback.objects.exists()
    assert not RecordEntry.objects.filter(action="feedback.sent").exists()


def test_feedback_waits_for_authorisation(
    client_for: Any, cast: dict[str, Any], enquiry: Enquiry
) -> None:
    response = client_for("hub_practitioner").get(f"/enquiries/{enquiry.pk}/feedback")
    assert response.status_code == 302
    level = threshold.levels_for(enquiry.hub_id)[0]
    threshold.record_threshold_decision(
        enquiry=enquiry,
        actor=cast["hub_practitioner"],
        level_id=str(level.pk),
        outcomes=["early_help"],
        referral_service="",
        rationale="x",
    )
    posted = client_for("hub_practitioner").post(
        f"/enquiries/{enquiry.pk}/feedback", {"method": "phone", "text": "x"}
    )
    assert posted.status_code == 302 and not Feedback.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("police_practitioner", 404), ("dpo", 403)])
def test_partners_and_the_dpo_cannot_send_feedback(
    client_for: Any, cast: dict[str, Any], enquiry: Enquiry, who: str, status: int
) -> None:
    authorise(enquiry, cast, ["early_help"])
    response = client_for(who).post(
        f"/enquiries/{enquiry.pk}/feedback", {"method": "phone", "text": "x"}
    )
    assert response.status_code == status and not Feedback.objects.exists()


def test_the_default_templates_are_seeded_for_every_outcome(db: Any) -> None:
    from mash.enquiries.models import ThresholdOutcome

    seeded = set(
        FeedbackTemplate.objects.filter(hub__isnull=True).values_list("outcome", flat=True)
    )
    assert seeded == set(ThresholdOutcome.values)
