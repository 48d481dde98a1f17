"""The consent register wired into the decision: each person's consent is taken from
the register, the guidance decides for each person, and an item goes only if every
person it is about may be shared. The issue's scenario: a mother refuses consent, the
child is at risk of significant harm, and the agency shares the child's information
without consent while an item only about the mother is blocked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.html import escape

from mash.consent import services as consent_services
from mash.sharing.models import Decision

from .factories import make_enquiry, make_person, make_request
from .pages import TO_SIGNIFICANT_HARM, date_boxes, decision_url, share_form, step_url, walk


def _scenario(cast: dict[str, Any], agencies: dict[str, Any]) -> tuple[Any, Any, Any]:
    hub_user = cast["hub_practitioner"]
    enquiry = make_enquiry(hub=hub_user.agency, created_by=hub_user)
    child = make_person(enquiry)
    mother = make_person(enquiry, kind="parent")
    # The police's own register entry: a decision is pre-filled from the deciding
    # agency's own entries only, never from the hub's (issue 12, item 3).
    consent_services.record_consent(
        actor=cast["police_practitioner"],
        person=mother,
        status="refused",
        giver="self",
        purpose="MASH enquiry",
        method="verbal",
        given_on=dt.date(2026, 3, 3),
    )
    req = make_request(
        cast=cast, agency=agencies["police"], enquiry=enquiry, people=[child, mother]
    )
    return req, child, mother


def _two_items(child: Any, mother: Any, **overrides: Any) -> dict[str, Any]:
    data = share_form(child, item_count="2")
    data.update(
        {
            "item-2-text": "Mother's own health history",
            "item-2-nature": "fact",
            **date_boxes("item-2-recorded_on", "2026-01-12"),
            "item-2-source": "Custody record",
            "item-2-currency": "current",
            "item-2-sensitive": "no",
            "item-2-people": [str(mother.pk)],
            "item-2-onward_sharing": "ask_first",
            f"person-{mother.pk}-harm": "no",
        }
    )
    data.update(overrides)
    return data


def test_the_consent_page_is_filled_in_from_the_register_and_shows_the_deciding_record(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, _child, mother = _scenario(cast, agencies)
    client = client_for("police_practitioner")
    walk(client, req, TO_SIGNIFICANT_HARM[:3])

    page = client.get(step_url(req, "consent")).content.decode()

    assert "What the consent register says" in page
    assert "Refused on 3 March 2026" in page
    assert reverse("consent:person", args=[mother.pk]) in page
    assert 'value="refused" checked' in page


def test_the_decision_page_shows_each_persons_register_record_and_decision(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, _child, mother = _scenario(cast, agencies)
    client = client_for("police_practitioner")
    walk(client, req, TO_SIGNIFICANT_HARM)

    page = client.get(decision_url(req)).content.decode()

    assert "Each person's consent and decision" in page
    assert "Consent refused on 3 March 2026" in page
    assert "How: Verbal" in page
    assert f"See {escape(mother.full_name)}'s consent history" in page
    assert reverse("consent:record", args=[mother.pk]) in page


def test_an_item_only_about_the_mother_who_refused_is_blocked_naming_her_and_why(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, mother = _scenario(cast, agencies)
    client = client_for("police_practitioner")
    walk(client, req, TO_SIGNIFICANT_HARM)

    response = client.post(decision_url(req), _two_items(child, mother))

    assert response.status_code == 400
    body = response.content.decode()
    name = escape(mother.full_name)
    # The consent page's answer (refused, pre-filled from the register) is her answer.
    assert f"Item 2 is about {name}: {name} refused consent and no ground" in body
    assert "Item 1 is about" not in body
    assert not Decision.objects.filter(request=req).exists()


def test_the_childs_information_is_shared_without_consent_while_the_mothers_is_not(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, mother = _scenario(cast, agencies)
    client = client_for("police_practitioner")
    walk(client, req, TO_SIGNIFICANT_HARM)
    client.post(decision_url(req), _two_items(child, mother))

    data = share_form(child, **{f"person-{mother.pk}-harm": "no"})
    response = client.post(decision_url(req), data)

    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get(request=req)
    assert decision.outcome == "share"
    assert decision.without_consent is True
    by_person = {r["person"]: r for r in decision.people_decisions}
    assert by_person[str(child.pk)]["outcome"] == "share"
    assert by_person[str(child.pk)]["basis"] == "significant_harm"
    assert by_person[str(mother.pk)]["outcome"] != "share"
    # One answer per person: the consent page's answer (refused), which the register
    # pre-filled, is hers; the practitioner did not differ for her.
    assert by_person[str(mother.pk)]["consent_source"] == "answer"
    assert by_person[str(mother.pk)]["consent"]["status"] == "refused"
    assert [list(i.people.all()) for i in decision.items.all()] == [[child]]
    record_page = client.get(response.url).content.decode()
    assert "Each person's consent and decision" in record_page
    assert "Consent was refused" in record_page
    assert "Not sought" not in record_page


def test_a_practitioner_overrides_the_register_only_with_a_reason(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, mother = _scenario(cast, agencies)
    client = client_for("police_practitioner")
    walk(client, req, TO_SIGNIFICANT_HARM)

    without = client.post(
        decision_url(req), share_form(child, **{f"person-{mother.pk}-consent": "given"})
    )
    assert without.status_code == 400
    assert f'href="#id_person-{mother.pk}-reason"' in without.content.decode()

    with_reason = client.post(
        decision_url(req),
        share_form(
            child,
            **{
                f"person-{mother.pk}-consent": "given",
                f"person-{mother.pk}-reason": "Consent given verbally on the phone just now.",
            },
        ),
    )
    assert with_reason.status_code == 302
    decision = Decision.objects.get(request=req)
    mine = next(r for r in decision.people_decisions if r["person"] == str(mother.pk))
    assert mine["consent_source"] == "practitioner"
    assert mine["override_reason"] == "Consent given verbally on the phone just now."
    assert mine["outcome"] == "share"


def test_the_reason_consent_was_not_obtained_is_on_the_hubs_enquiry_page(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    child = req.people.first()
    client = client_for("police_practitioner")
    walk(
        client,
        req,
        [
            *TO_SIGNIFICANT_HARM[:3],
            ("consent", {"status": "not_sought", "reason_not_sought": "REASON-NOT-SOUGHT-42"}),
            ("harm", {"significant_harm": "yes", "urgent": "yes"}),
        ],
    )
    response = client.post(decision_url(req), share_form(child, proportionality=""))
    assert response.status_code == 302, response.content.decode()

    record_page = client.get(response.url).content.decode()
    enquiry_page = client_for("hub_practitioner").get(
        reverse("enquiries:detail", kwargs={"enquiry_id": req.enquiry_id})
    )

    assert "REASON-NOT-SOUGHT-42" in record_page
    assert "Why consent was not obtained" in enquiry_page.content.decode()
    assert "REASON-NOT-SOUGHT-42" in enquiry_page.content.decode()


def test_a_consent_not_sought_for_a_person_needs_the_reason_for_that_person(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, _mother = _scenario(cast, agencies)
    client = client_for("police_practitioner")
    walk(client, req, TO_SIGNIFICANT_HARM)

    response = client.post(
        decision_url(req),
        share_form(child, **{f"person-{child.pk}-consent": "not_sought"}),
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert f'href="#id_person-{child.pk}-reason"' in body
    assert not Decision.objects.filter(request=req).exists()


def test_a_correction_starts_from_each_persons_answers(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, mother = _scenario(cast, agencies)
    client = client_for("police_practitioner")
    walk(client, req, TO_SIGNIFICANT_HARM)
    client.post(decision_url(req), share_form(child, **{f"person-{mother.pk}-harm": "no"}))
    decision = Decision.objects.get(request=req)

    client.post(reverse("sharing:correct", kwargs={"decision_id": decision.pk}))
    page = client.get(decision_url(req)).content.decode()

    assert (
        f'id="id_person-{mother.pk}-harm-no" name="person-{mother.pk}-harm" '
        'type="radio" value="no" checked' in page
    )
