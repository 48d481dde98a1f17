"""The guidance at the point of sharing (issue 12, items 6 and 9): items marked as
containing information about a third party, with the consideration; the confirmation
that what is shared is necessary, proportionate, relevant, adequate, accurate, timely
and secure; and each shared item listed once with the people it is about.

Guidance, Necessary and proportionate: "consider the impact of disclosing information on
the information subject and any third parties"; Principles of information Sharing and
Consent (Necessary and proportionate, Relevant, Adequate, Accurate, Timely, Secure); 7
Golden Rules, rule 6."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import escape

from mash.records.models import RecordEntry
from mash.sharing.models import Decision, DisclosureItem

from .factories import make_enquiry, make_person, make_request
from .pages import TO_SIGNIFICANT_HARM, decision_url, not_sharing_form, share_form, walk

CONSIDERATION = "THIRDPARTY-neighbour-named-only-as-witness-8812"
ITEM_TEXT = "ITEM-call-out-to-the-family-home-6230"


def _case(cast: dict[str, Any], agencies: dict[str, Any], client_for: Any) -> Any:
    hub_user = cast["hub_practitioner"]
    enquiry = make_enquiry(hub=hub_user.agency, created_by=hub_user)
    child = make_person(enquiry)
    mother = make_person(enquiry, kind="parent")
    req = make_request(
        cast=cast, agency=agencies["police"], enquiry=enquiry, people=[child, mother]
    )
    police = client_for("police_practitioner")
    walk(police, req, TO_SIGNIFICANT_HARM)
    return req, child, mother, police


def test_a_third_party_flag_without_its_consideration_is_refused_naming_the_field(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, _mother, police = _case(cast, agencies, client_for)
    response = police.post(decision_url(req), share_form(child, **{"item-1-third_party": "yes"}))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_item-1-third_party_consideration"' in html
    assert "Item 1: explain why it is still right to share the third party" in html
    assert not Decision.objects.exists()
    assert not DisclosureItem.objects.exists()


def test_a_third_party_item_shows_its_consideration_on_the_record_and_to_the_hub(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, _mother, police = _case(cast, agencies, client_for)
    form = share_form(
        child,
        **{"item-1-third_party": "yes", "item-1-third_party_consideration": CONSIDERATION},
    )
    response = police.post(decision_url(req), form)
    assert response.status_code == 302, response.content.decode()
    item = DisclosureItem.objects.get()
    assert item.third_party is True
    assert item.third_party_consideration == CONSIDERATION
    entry = RecordEntry.objects.get(action="disclosure.made")
    assert entry.details["third_party"] is True
    assert CONSIDERATION not in str(entry.details)  # the record entry holds no narrative

    record = police.get(reverse("sharing:decision", kwargs={"decision_id": item.decision_id}))
    html = record.content.decode()
    assert "Information about a third party" in html
    assert CONSIDERATION in html
    hub = client_for("hub_practitioner").get(
        reverse("enquiries:detail", kwargs={"enquiry_id": req.enquiry_id})
    )
    hub_html = hub.content.decode()
    assert "About a third party too" in hub_html
    assert CONSIDERATION in hub_html


def test_an_item_not_about_a_third_party_keeps_no_consideration(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, _mother, police = _case(cast, agencies, client_for)
    form = share_form(
        child,
        **{"item-1-third_party": "no", "item-1-third_party_consideration": CONSIDERATION},
    )
    assert police.post(decision_url(req), form).status_code == 302
    item = DisclosureItem.objects.get()
    assert item.third_party is False
    assert item.third_party_consideration == ""


def test_a_share_without_the_adequacy_confirmation_is_refused_naming_the_field(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, _mother, police = _case(cast, agencies, client_for)
    page = police.get(decision_url(req)).content.decode()
    assert "necessary, proportionate, relevant, adequate, accurate, timely and secure" in page
    response = police.post(decision_url(req), share_form(child, adequacy_confirmed=None))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_adequacy_confirmed"' in html
    assert "Confirm that what you share is necessary, proportionate, relevant, adequate" in html
    assert not Decision.objects.exists()


def test_the_record_shows_the_adequacy_was_confirmed(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, _mother, police = _case(cast, agencies, client_for)
    assert police.post(decision_url(req), share_form(child)).status_code == 302
    decision = Decision.objects.get()
    assert decision.adequacy_confirmed is True
    assert RecordEntry.objects.get(action="decision.recorded").details["adequacy_confirmed"]
    record = police.get(reverse("sharing:decision", kwargs={"decision_id": decision.pk}))
    assert (
        "Confirmed: necessary, proportionate, relevant, adequate, accurate, timely and secure"
        in record.content.decode()
    )


def test_a_decision_not_to_share_is_not_asked_to_confirm_adequacy(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    from .pages import TO_DO_NOT_SHARE

    req = make_request(cast=cast, agency=agencies["police"])
    police = client_for("police_practitioner")
    walk(police, req, TO_DO_NOT_SHARE)
    assert police.post(decision_url(req), not_sharing_form(req)).status_code == 302
    decision = Decision.objects.get()
    assert decision.adequacy_confirmed is None
    record = police.get(reverse("sharing:decision", kwargs={"decision_id": decision.pk}))
    assert "Confirmed: necessary" not in record.content.decode()


def test_an_item_about_two_people_is_listed_once_with_both_on_the_hub_s_page(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, mother, police = _case(cast, agencies, client_for)
    form = share_form(
        child, **{"item-1-text": ITEM_TEXT, "item-1-people": [str(child.pk), str(mother.pk)]}
    )
    assert police.post(decision_url(req), form).status_code == 302
    hub = client_for("hub_practitioner").get(
        reverse("enquiries:detail", kwargs={"enquiry_id": req.enquiry_id})
    )
    html = hub.content.decode()
    shared = html[html.index("What agencies have shared") :]
    assert shared.count(ITEM_TEXT) == 1
    card = shared[: shared.index(ITEM_TEXT)]
    assert escape(child.full_name) in card
    assert escape(mother.full_name) in card
    decision = Decision.objects.get()
    record = police.get(reverse("sharing:decision", kwargs={"decision_id": decision.pk}))
    assert record.content.decode().count(ITEM_TEXT) == 1
