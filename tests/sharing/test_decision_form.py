"""Recording the decision through the pages: every refusal names what is missing,
answers with 400, and saves nothing."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mash.enquiries.models import EnquiryStatus
from mash.sharing.models import Decision, DisclosureItem

from .factories import make_person
from .pages import (
    TO_DO_NOT_SHARE,
    TO_SEEK_ADVICE,
    TO_SIGNIFICANT_HARM,
    at_decision_page,
    date_boxes,
    decision_url,
    not_sharing_form,
    share_form,
    step_url,
)


def test_the_share_page_lists_what_the_guidance_asks_and_the_people_to_choose(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    text = client.get(decision_url(req)).content.decode()
    assert "What the guidance says: Share" in text
    assert "Share only what is necessary for the purpose" in text
    assert "Record why sharing without consent is reasonable" in text
    assert "Have the people whose information you share without their consent been told" in text
    assert "Why is overriding the refusal or withdrawal of consent proportionate?" in text
    for person in req.people.all():
        assert f'value="{person.pk}"' in text


def test_it_refuses_a_decision_without_justification(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    person = req.people.first()
    response = client.post(decision_url(req), share_form(person, justification=""))
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Enter your justification for sharing without consent" in text
    assert 'href="#id_justification"' in text
    assert not Decision.objects.exists()
    # What was typed is kept.
    assert "Police command and control log" in text


def test_it_refuses_a_share_with_no_items(cast: Any, agencies: Any, client_for: Any) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    person = req.people.first()
    response = client.post(decision_url(req), {**share_form(person), "item_count": "0"})
    assert response.status_code == 400
    assert "Add at least one item of information to share" in response.content.decode()
    assert not Decision.objects.exists()


def test_it_refuses_a_historical_item_without_an_explanation(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    person = req.people.first()
    response = client.post(
        decision_url(req), share_form(person, **{"item-1-currency": "historical"})
    )
    assert response.status_code == 400
    assert "Item 1: explain why historical information is relevant" in response.content.decode()
    assert not DisclosureItem.objects.exists()


def test_it_refuses_an_item_about_a_person_not_asked_about(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    stranger = make_person(req.enquiry, kind="other_adult")
    response = client.post(decision_url(req), share_form(stranger))
    assert response.status_code == 400
    assert "Item 1: select only people the request asks about" in response.content.decode()
    assert not Decision.objects.exists()


def test_tampered_ids_are_refused_not_crashed_on(cast: Any, agencies: Any, client_for: Any) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    person = req.people.first()
    for bad in ("not-a-uuid", "00000000-0000-0000-0000-000000000000", "1 OR 1=1"):
        response = client.post(decision_url(req), share_form(person, **{"item-1-people": [bad]}))
        assert response.status_code == 400
    response = client.post(decision_url(req), share_form(person, item_count="many"))
    assert response.status_code == 302  # item_count falls back to one item
    assert Decision.objects.count() == 1


def test_it_refuses_not_sharing_without_the_discussion_record(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_DO_NOT_SHARE)
    response = client.post(
        decision_url(req),
        not_sharing_form(
            req, **date_boxes("discussed_date", ""), discussed_with="", discussion_notes=""
        ),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter when you discussed the decision with the requester" in text
    assert "Enter who you discussed the decision with" in text
    assert "Enter what was said in the discussion" in text
    assert not Decision.objects.exists()


def test_it_refuses_not_sharing_without_reasons(cast: Any, agencies: Any, client_for: Any) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_DO_NOT_SHARE)
    response = client.post(decision_url(req), not_sharing_form(req, not_sharing_reasons=""))
    assert response.status_code == 400
    assert "Enter your reasons for not sharing" in response.content.decode()


def test_not_sharing_is_recorded_with_reasons_and_the_discussion(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_DO_NOT_SHARE)
    response = client.post(decision_url(req), not_sharing_form(req))
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.outcome == "do_not_share"
    assert decision.discussed_with == "MASH duty social worker"
    page = client.get(response["Location"]).content.decode()
    assert "Reasons for not sharing" in page
    assert "MASH duty social worker" in page


def test_seek_advice_cannot_be_recorded_and_offers_to_save_the_answers(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SEEK_ADVICE)
    text = client.get(decision_url(req)).content.decode()
    assert "Seek advice before deciding" in text
    assert "Seek advice from a manager or your safeguarding lead" in text
    assert "Record the decision</button>" not in text
    response = client.post(decision_url(req), {"action": "record", "item_count": "0"})
    assert response.status_code == 400
    assert not Decision.objects.exists()
    response = client.post(decision_url(req), {"action": "save", "item_count": "0"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Your answers are saved" in page
    assert "Continue answering" in page
    # Coming back after advice: the answers are still there.
    assert client.get(step_url(req, "harm")).status_code == 200
    answer = client.post(step_url(req, "harm"), {"significant_harm": "yes", "urgent": "no"})
    assert answer["Location"] == decision_url(req)


def test_add_another_item_and_remove_one_keep_what_was_typed(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    person = req.people.first()
    response = client.post(decision_url(req), share_form(person, action="add_item"))
    assert response.status_code == 302
    text = client.get(decision_url(req)).content.decode()
    assert "Item 2" in text
    assert "Two call-outs to the address" in text
    response = client.post(
        decision_url(req),
        share_form(
            person,
            action="remove_item_1",
            item_count="2",
            **{"item-2-text": "Second item", "item-2-nature": "opinion"},
        ),
    )
    text = client.get(decision_url(req)).content.decode()
    assert "Item 2" not in text
    assert "Second item" in text
    assert "Two call-outs" not in text


def test_two_items_are_saved_with_the_decision(cast: Any, agencies: Any, client_for: Any) -> None:
    sensitive = [
        (step, {**data, "sensitive": "yes"} if step == "confidential" else data)
        for step, data in TO_SIGNIFICANT_HARM
    ]
    req, client = at_decision_page(cast, agencies, client_for, sensitive)
    child, parent = list(req.people.all())
    # Sensitive information shared on significant harm: public task, with the
    # substantial public interest condition and safeguarding (Schedule 1 para 18).
    data = share_form(child, item_count="2", article_9="9(2)(g)", schedule_1="para_18")
    data.update(
        {
            "item-2-text": "Father convicted of assault in 2015",
            "item-2-nature": "fact",
            **date_boxes("item-2-recorded_on", "2015-06-01"),
            "item-2-source": "PNC",
            "item-2-currency": "historical",
            "item-2-historical_explanation": "Shows a pattern of violence.",
            "item-2-sensitive": "yes",
            "item-2-people": [str(parent.pk)],
            "item-2-onward_sharing": "may_pass_on",
        }
    )
    response = client.post(decision_url(req), data)
    assert response.status_code == 302
    decision = Decision.objects.get()
    items = list(decision.items.order_by("created_at"))
    assert [i.currency for i in items] == ["current", "historical"]
    assert list(items[1].people.all()) == [parent]
    assert items[1].sensitive is True
    assert items[1].onward_sharing == "may_pass_on"


def test_a_closed_enquiry_cannot_be_answered(cast: Any, agencies: Any, client_for: Any) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    req.enquiry.status = EnquiryStatus.CLOSED
    req.enquiry.save()
    person = req.people.first()
    response = client.post(decision_url(req), share_form(person), follow=True)
    assert "This enquiry is closed, so its request can no longer be answered" in (
        response.content.decode()
    )
    assert not Decision.objects.exists()
    page = client.get(reverse("sharing:request", kwargs={"request_id": req.pk})).content.decode()
    assert "Start answering" not in page


def test_an_answered_request_cannot_be_answered_again_except_by_correction(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    person = req.people.first()
    client.post(decision_url(req), share_form(person))
    response = client.post(
        reverse("sharing:answer-start", kwargs={"request_id": req.pk}), follow=True
    )
    assert "already been answered" in response.content.decode()
    response = client.get(step_url(req, "purpose"), follow=True)
    assert "already been answered" in response.content.decode()
    assert Decision.objects.count() == 1


def test_the_error_summary_reads_in_the_order_of_the_page(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    person = req.people.first()
    response = client.post(
        decision_url(req),
        share_form(person, justification="", **{"item-1-source": ""}),
    )
    text = response.content.decode()
    summary = text[text.index("govuk-error-summary__list") :]
    assert summary.index("Item 1: enter the source") < summary.index("Enter your justification")


def test_a_sensitive_item_needs_the_answer_that_some_information_is_sensitive(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    response = client.post(
        decision_url(req), share_form(req.people.first(), **{"item-1-sensitive": "yes"})
    )
    assert response.status_code == 400
    assert "you answered that none of the information is sensitive" in response.content.decode()
    assert not Decision.objects.exists()
