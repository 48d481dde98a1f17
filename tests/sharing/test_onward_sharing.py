"""Onward sharing by the hub, through the pages as people use them: the hub passes on an
item marked "the hub may pass it on", recorded with what, to whom, why, on what basis, by
whom and when; an item marked "ask the agency first" only once the agency agreed in the
product; a decline is shown to the hub; the receiving agency reads only what was passed
to it; the agency that gave the item sees each onward share on its decision record."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mash.enquiries import services as enquiry_services
from mash.enquiries.models import Enquiry
from mash.records.models import RecordEntry
from mash.sharing import onward
from mash.sharing.models import DisclosureItem, OnwardAsk, OnwardShare

from .factories import make_request
from .onward_helpers import (
    ASK_FIRST,
    FREE,
    PURPOSE,
    Case,
    ask,
    make_case,
    pass_free_item,
    pass_on_form,
    post_pass_on,
    released_share,
)


@pytest.fixture
def case(cast: dict[str, Any], agencies: dict[str, Any]) -> Case:
    return make_case(cast, agencies)


def _entries(action: str) -> list[RecordEntry]:
    return list(RecordEntry.objects.filter(action=action).order_by("seq"))


def _last_seq() -> int:
    return RecordEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _writes_since(seq: int) -> set[str]:
    return {
        a
        for a in RecordEntry.objects.filter(seq__gt=seq).values_list("action", flat=True)
        if not a.endswith((".viewed", ".listed"))
    }


# --- Passing on an item the hub may pass on ------------------------------------------------


def test_the_hub_passes_an_item_it_may_pass_on_to_another_agency_and_it_is_recorded(
    case: Case, client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    hub = client_for("hub_practitioner")
    page = hub.get(reverse("sharing:onward-new", kwargs={"enquiry_id": case.enquiry.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    assert FREE in body and ASK_FIRST in body
    assert f'name="items" type="checkbox" value="{case.free.pk}"' in body
    assert f'value="{case.ask_first.pk}"' not in body  # not offered until the police agree

    response = post_pass_on(hub, case, pass_on_form([case.free]))

    assert response.status_code == 302
    assert response["Location"].endswith(f"/enquiries/{case.enquiry.pk}/#onward")
    share = OnwardShare.objects.get()
    assert list(share.items.all()) == [case.free]
    assert share.recipient == agencies["health"]
    assert share.purpose == PURPOSE
    assert share.article_6 == "6(1)(e)" and share.article_9 == ""
    assert share.shared_by == cast["hub_practitioner"] and share.shared_at is not None
    [entry] = _entries("onward.shared")
    assert entry.object_id == str(share.pk)
    assert entry.enquiry_id == case.enquiry.pk
    assert entry.actor_user_id == cast["hub_practitioner"].pk
    assert entry.details == {
        "recipient": "health",
        "items": [str(case.free.pk)],
        "givers": ["police"],
        "article_6": "6(1)(e)",
        "article_9": None,
        "fields": ["purpose"],
    }
    assert PURPOSE not in str(entry.details)  # the record holds ids and codes, no free text

    enquiry_page = hub.get(reverse("enquiries:detail", kwargs={"enquiry_id": case.enquiry.pk}))
    text = enquiry_page.content.decode()
    assert "What the hub passed on" in text
    assert PURPOSE in text and "NHS health" in text
    assert "UK GDPR Article 6(1)(e): public task" in text


def test_a_hub_manager_may_pass_on_too_but_no_partner_agency_can(
    case: Case, client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    assert (
        post_pass_on(client_for("hub_manager"), case, pass_on_form([case.free])).status_code == 302
    )
    for who in ("police_practitioner", "health_practitioner", "outsider"):
        before = OnwardShare.objects.count()
        assert post_pass_on(client_for(who), case, pass_on_form([case.free])).status_code == 404
        assert OnwardShare.objects.count() == before
    with pytest.raises(PermissionError):
        pass_free_item(cast["police_practitioner"], case, agencies["health"])


# --- Asking the agency first ------------------------------------------------------------------


def test_an_item_marked_ask_first_is_refused_until_the_agency_agrees(
    case: Case, client_for: Any
) -> None:
    hub = client_for("hub_practitioner")
    before = _last_seq()

    response = post_pass_on(hub, case, pass_on_form([case.ask_first]))

    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Police asked to be asked first about its item" in body
    assert 'href="#id_items"' in body
    assert not OnwardShare.objects.exists()
    assert _writes_since(before) == set()


def test_the_hub_asks_the_police_who_agree_and_then_the_hub_may_pass_it_on(
    case: Case, client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    hub = client_for("hub_practitioner")
    ask_url = reverse(
        "sharing:onward-ask", kwargs={"enquiry_id": case.enquiry.pk, "item_id": case.ask_first.pk}
    )
    assert hub.get(ask_url).status_code == 200
    asked = hub.post(ask_url, {"recipient": "health", "reason": "ASK-REASON the GP must know"})
    assert asked.status_code == 302
    the_ask = OnwardAsk.objects.get()
    assert (the_ask.item, the_ask.recipient, the_ask.status) == (
        case.ask_first,
        agencies["health"],
        "asked",
    )
    assert the_ask.reason == "ASK-REASON the GP must know"
    [entry] = _entries("onward.asked")
    assert entry.details["giver"] == "police" and entry.details["recipient"] == "health"

    # The police practitioner sees the ask in their inbox and on their request page.
    police = client_for("police_practitioner")
    inbox = police.get(reverse("sharing:inbox")).content.decode()
    assert "The hub asks to pass your information on: 1 waiting for your answer" in inbox
    request_page = police.get(reverse("sharing:request", kwargs={"request_id": case.request.pk}))
    assert "ASK-REASON the GP must know" in request_page.content.decode()
    answer_url = reverse("sharing:onward-answer", kwargs={"ask_id": the_ask.pk})
    assert answer_url in request_page.content.decode()
    listing = police.get(reverse("sharing:onward-received")).content.decode()
    assert answer_url in listing

    answer = police.get(answer_url)
    assert answer.status_code == 200
    assert ASK_FIRST in answer.content.decode()
    agreed = police.post(
        answer_url, {"agree": "yes", "answer_reason": "AGREE-REASON yes, it helps"}
    )
    assert agreed.status_code == 302
    the_ask.refresh_from_db()
    assert the_ask.status == "agreed"
    assert the_ask.answered_by == cast["police_practitioner"]
    assert the_ask.answer_reason == "AGREE-REASON yes, it helps"
    assert len(_entries("onward.agreed")) == 1

    # Agreed for health only: education is still refused; health is allowed.
    refused = post_pass_on(hub, case, pass_on_form([case.ask_first], recipient="education"))
    assert refused.status_code == 400
    assert "wait for it to agree to Education having it" in refused.content.decode()
    page = hub.get(reverse("sharing:onward-new", kwargs={"enquiry_id": case.enquiry.pk}))
    assert f'value="{case.ask_first.pk}"' in page.content.decode()
    passed = post_pass_on(hub, case, pass_on_form([case.ask_first, case.free]))
    assert passed.status_code == 302
    assert set(OnwardShare.objects.get().items.all()) == {case.ask_first, case.free}


def test_a_decline_is_shown_to_the_hub_and_the_item_stays_with_the_hub(
    case: Case, client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    the_ask = ask(cast["hub_practitioner"], case, agencies["health"])
    police = client_for("police_manager")
    answer_url = reverse("sharing:onward-answer", kwargs={"ask_id": the_ask.pk})
    declined = police.post(
        answer_url, {"agree": "no", "answer_reason": "DECLINE-REASON the informant is at risk"}
    )
    assert declined.status_code == 302
    the_ask.refresh_from_db()
    assert the_ask.status == "declined"
    assert len(_entries("onward.declined")) == 1

    hub = client_for("hub_practitioner")
    enquiry_page = hub.get(reverse("enquiries:detail", kwargs={"enquiry_id": case.enquiry.pk}))
    text = enquiry_page.content.decode()
    assert "Declined" in text and "DECLINE-REASON the informant is at risk" in text
    new_page = hub.get(reverse("sharing:onward-new", kwargs={"enquiry_id": case.enquiry.pk}))
    assert "DECLINE-REASON the informant is at risk" in new_page.content.decode()
    assert post_pass_on(hub, case, pass_on_form([case.ask_first])).status_code == 400
    assert not OnwardShare.objects.exists()
    # The hub may ask again (a new reason, say): a declined ask does not block one.
    again = ask(cast["hub_practitioner"], case, agencies["health"], reason="New information")
    assert again.status == "asked"


def test_an_answer_needs_a_choice_and_a_reason_and_is_given_once(
    case: Case, client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    the_ask = ask(cast["hub_practitioner"], case, agencies["health"])
    police = client_for("police_practitioner")
    answer_url = reverse("sharing:onward-answer", kwargs={"ask_id": the_ask.pk})
    before = _last_seq()
    empty = police.post(answer_url, {"agree": "maybe", "answer_reason": "   "})
    assert empty.status_code == 400
    body = empty.content.decode()
    assert "Select whether you agree to the hub passing it on" in body
    assert "Enter the reason for your answer" in body
    assert 'href="#id_agree"' in body and 'href="#id_answer_reason"' in body
    assert _writes_since(before) == set()
    assert police.post(answer_url, {"agree": "yes", "answer_reason": "Fine"}).status_code == 302
    with pytest.raises(ValidationError) as refused:
        onward.answer_ask(actor=cast["police_manager"], ask=the_ask, agree=False, reason="No")
    assert refused.value.message_dict == {"agree": ["This has already been answered"]}


def test_only_the_agency_that_gave_the_item_answers_the_ask(
    case: Case, client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    the_ask = ask(cast["hub_practitioner"], case, agencies["health"])
    answer_url = reverse("sharing:onward-answer", kwargs={"ask_id": the_ask.pk})
    for who in ("hub_practitioner", "hub_manager", "health_practitioner", "outsider"):
        assert client_for(who).get(answer_url).status_code == 404, who
        assert (
            client_for(who).post(answer_url, {"agree": "yes", "answer_reason": "x"}).status_code
            == 404
        )
    the_ask.refresh_from_db()
    assert the_ask.status == "asked"


def test_asking_about_an_item_the_hub_may_already_pass_on_or_twice_is_refused(
    case: Case, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    hub_user = cast["hub_practitioner"]
    with pytest.raises(ValidationError) as free:
        onward.ask_to_pass_on(
            actor=hub_user,
            enquiry=case.enquiry,
            item=case.free,
            recipient=agencies["health"],
            reason="Why not",
        )
    assert "no need to ask" in free.value.message_dict["item"][0]
    ask(hub_user, case, agencies["health"])
    with pytest.raises(ValidationError) as twice:
        ask(hub_user, case, agencies["health"])
    assert "wait for its answer" in twice.value.message_dict["recipient"][0]
    assert OnwardAsk.objects.count() == 1


# --- Bad input ---------------------------------------------------------------------------------


def test_an_empty_form_names_every_field_and_saves_nothing(case: Case, client_for: Any) -> None:
    hub = client_for("hub_practitioner")
    before = _last_seq()
    response = post_pass_on(hub, case, {})
    assert response.status_code == 400
    body = response.content.decode()
    for text, href in (
        ("Select at least one item to pass on", "#id_items"),
        ("Select the agency to pass the information on to", "#id_recipient"),
        ("Enter why you are passing the information on", "#id_purpose"),
        ("Select the lawful basis for passing the information on", "#id_article_6"),
    ):
        assert text in body
        assert f'href="{href}"' in body
    assert 'id="id_items"' in body and 'id="id_recipient"' in body
    assert 'id="id_purpose"' in body and 'id="id_article_6"' in body
    assert not OnwardShare.objects.exists()
    assert _writes_since(before) == set()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"items": ["not-a-uuid", "1"]}, "items", "Select only items agencies have shared"),
        ({"recipient": "no-such-agency"}, "recipient", "Select the agency"),
        ({"recipient": "police"}, "recipient", "Police gave this information to the hub"),
        ({"recipient": "hub"}, "recipient", "Select the agency"),
        ({"purpose": " \n "}, "purpose", "Enter why you are passing"),
        ({"purpose": "x" * 5001}, "purpose", "5,000 characters or fewer"),
        ({"article_6": "6(1)(z)"}, "article_6", "Select the lawful basis"),
        ({"article_9": "9(2)(q)"}, "article_9", "Select a condition from the list"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    case: Case, client_for: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    data = {**pass_on_form([case.free]), **overrides}
    response = post_pass_on(client_for("hub_practitioner"), case, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'href="#id_{field}"' in body
    assert not OnwardShare.objects.exists()


def test_an_item_from_another_enquiry_cannot_be_passed_on_from_this_one(
    case: Case, cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    other = make_case(cast, agencies)
    response = post_pass_on(client_for("hub_practitioner"), case, pass_on_form([other.free]))
    assert response.status_code == 400
    assert "Select only items agencies have shared with the hub on this enquiry" in (
        response.content.decode()
    )


def test_a_sensitive_item_needs_the_article_9_condition(case: Case, client_for: Any) -> None:
    DisclosureItem.objects.filter(pk=case.free.pk).update(sensitive=True)
    hub = client_for("hub_practitioner")
    refused = post_pass_on(hub, case, pass_on_form([case.free]))
    assert refused.status_code == 400
    assert "Select the condition for passing on sensitive (special category) information" in (
        refused.content.decode()
    )
    passed = post_pass_on(hub, case, pass_on_form([case.free], article_9="9(2)(g)"))
    assert passed.status_code == 302
    assert OnwardShare.objects.get().article_9 == "9(2)(g)"


def test_the_hubs_own_lawful_bases_limit_the_choice(
    case: Case, client_for: Any, agencies: dict[str, Any]
) -> None:
    from mash.guidance.models import AgencyLawfulBases

    AgencyLawfulBases.objects.create(agency=agencies["hub"], codes=["6(1)(c)", "9(2)(g)"])
    hub = client_for("hub_practitioner")
    page = hub.get(reverse("sharing:onward-new", kwargs={"enquiry_id": case.enquiry.pk}))
    assert "Article 6(1)(c): legal obligation" in page.content.decode()
    assert "Article 6(1)(e)" not in page.content.decode()
    assert post_pass_on(hub, case, pass_on_form([case.free])).status_code == 400
    ok = post_pass_on(hub, case, pass_on_form([case.free], article_6="6(1)(c)"))
    assert ok.status_code == 302


def test_a_closed_enquiry_refuses_passing_on(case: Case, client_for: Any) -> None:
    Enquiry.objects.filter(pk=case.enquiry.pk).update(status="closed")
    hub = client_for("hub_practitioner")
    page = hub.get(reverse("sharing:onward-new", kwargs={"enquiry_id": case.enquiry.pk}))
    assert "This enquiry is closed, so nothing more can be passed on" in page.content.decode()
    response = post_pass_on(hub, case, pass_on_form([case.free]))
    assert response.status_code == 400
    assert not OnwardShare.objects.exists()


def _correct(case: Case, cast: dict[str, Any]) -> None:
    """The police correct their decision: a new one sharing another item."""
    from .factories import share_over_refusal

    share_over_refusal(
        cast["police_practitioner"],
        case.request,
        text="A corrected item",
        supersedes=case.decision,
        correction_reason="The date was wrong",
    )


def test_an_item_under_a_corrected_decision_is_no_longer_offered(
    case: Case, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    _correct(case, cast)
    assert case.free not in onward.passable_items(case.enquiry)
    with pytest.raises(ValidationError):
        pass_free_item(cast["hub_practitioner"], case, agencies["health"])


def _passable_of_the_page(enquiry: Any) -> set[Any]:
    from mash.enquiries.selectors import answers

    return {item.pk for item in onward.passable_of(answers(enquiry).decisions)}


def test_the_enquiry_page_s_items_are_the_passable_items(
    case: Case, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    """The enquiry page takes the items it may pass on from the decisions it has loaded
    (``passable_of``): always the same as ``passable_items`` asks the database for,
    through a correction, a refusal and a decision held for sign-off."""
    from mash.sharing.models import Decision, Release

    from .factories import share_over_refusal

    def same() -> set[Any]:
        found = _passable_of_the_page(case.enquiry)
        assert found == {i.pk for i in onward.passable_items(case.enquiry)}
        return found

    assert same() == {case.free.pk, case.ask_first.pk}
    _correct(case, cast)
    corrected = same()
    assert case.free.pk not in corrected and len(corrected) == 1
    health = make_request(cast=cast, agency=agencies["health"], enquiry=case.enquiry)
    held = share_over_refusal(cast["health_practitioner"], health, text="Held back")
    Decision.objects.filter(pk=held.pk).update(release=Release.AWAITING_SIGNOFF)
    assert same() == corrected
    Decision.objects.filter(pk=held.pk).update(release=Release.RELEASED, outcome="do_not_share")
    assert same() == corrected
    Decision.objects.filter(pk=held.pk).update(outcome="share")
    assert len(same()) == 2


# --- The receiving agency -----------------------------------------------------------------------


def test_the_receiving_agency_reads_what_was_passed_to_it_and_the_view_is_recorded(
    case: Case, client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    share = pass_free_item(cast["hub_practitioner"], case, agencies["health"])
    health = client_for("health_practitioner")
    inbox = health.get(reverse("sharing:inbox")).content.decode()
    assert reverse("sharing:onward-received") in inbox
    listing = health.get(reverse("sharing:onward-received"))
    assert listing.status_code == 200
    assert case.enquiry.reference in listing.content.decode()
    assert _entries("onward.listed")[-1].actor_user_id == cast["health_practitioner"].pk

    page = health.get(reverse("sharing:onward-share", kwargs={"share_id": share.pk}))

    assert page.status_code == 200
    body = page.content.decode()
    assert FREE in body and PURPOSE in body and "From Police" in body
    assert ASK_FIRST not in body  # only what was passed on
    assert case.enquiry.concern not in body  # nothing else of the enquiry
    [viewed] = _entries("onward.viewed")
    assert viewed.actor_user_id == cast["health_practitioner"].pk
    assert viewed.object_id == str(share.pk)
    assert viewed.details["items"] == [str(case.free.pk)]


def test_no_other_agency_reads_what_was_passed_on(
    case: Case, client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    share = pass_free_item(cast["hub_practitioner"], case, agencies["health"])
    url = reverse("sharing:onward-share", kwargs={"share_id": share.pk})
    # The agency that gave the item sees the share on its decision record, not this page
    # (a share may hold other agencies' items); education has no part in it.
    for who in ("outsider", "police_practitioner", "police_manager"):
        client = client_for(who)
        assert client.get(url).status_code == 404, who
        listing = client.get(reverse("sharing:onward-received")).content.decode()
        assert PURPOSE not in listing and FREE not in listing
    assert not _entries("onward.viewed")
    assert client_for("hub_practitioner").get(url).status_code == 200


def test_a_restricted_enquiry_keeps_the_receiving_agency_out_until_it_breaks_the_glass(
    case: Case, client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    share = pass_free_item(cast["hub_practitioner"], case, agencies["health"])
    enquiry_services.restrict_enquiry(
        enquiry=case.enquiry, actor=cast["hub_manager"], users=[], reason="A staff member's child"
    )
    health = client_for("health_practitioner")
    listing = health.get(reverse("sharing:onward-received")).content.decode()
    assert "Restricted" in listing and PURPOSE not in listing
    url = reverse("sharing:onward-share", kwargs={"share_id": share.pk})
    refused = health.get(url)
    assert refused.status_code == 403
    assert FREE not in refused.content.decode()
    glass = health.post(
        reverse("enquiries:break-glass", kwargs={"enquiry_id": case.enquiry.pk}),
        {"reason": "The health visitor is at the door now", "next": url},
    )
    assert glass.status_code == 302
    assert FREE in health.get(url).content.decode()


# --- The agency that gave the item ----------------------------------------------------------------


def test_the_giving_agency_sees_each_onward_share_on_its_decision_record_and_request_page(
    case: Case, client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    share = pass_free_item(cast["hub_practitioner"], case, agencies["health"])
    police = client_for("police_practitioner")
    record = police.get(reverse("sharing:decision", kwargs={"decision_id": case.decision.pk}))
    body = record.content.decode()
    assert "Passed on by the hub" in body
    assert "To NHS health" in body
    assert PURPOSE in body
    assert "UK GDPR Article 6(1)(e): public task" in body
    assert f"{share.shared_at:%Y}" in body and "Hana Tester" in body
    request_page = police.get(reverse("sharing:request", kwargs={"request_id": case.request.pk}))
    assert PURPOSE in request_page.content.decode()
    # Another agency's decision on the same enquiry says nothing of it.
    health_request = make_request(
        cast=cast,
        agency=agencies["education"],
        enquiry=case.enquiry,
        people=list(case.request.people.all()),
    )
    theirs = released_share(cast["outsider"], health_request, [("School attendance", "ask_first")])
    other = client_for("outsider").get(
        reverse("sharing:decision", kwargs={"decision_id": theirs.pk})
    )
    assert other.status_code == 200
    assert "The hub has not passed on anything your agency shared here." in other.content.decode()
    assert PURPOSE not in other.content.decode()


# --- Stored safely, written whole ------------------------------------------------------------


def test_the_reasons_are_stored_encrypted(
    case: Case, client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from django.db import connection

    pass_free_item(cast["hub_practitioner"], case, agencies["health"])
    the_ask = ask(cast["hub_practitioner"], case, agencies["education"], reason="RAW-ASK-REASON")
    onward.answer_ask(
        actor=cast["police_practitioner"], ask=the_ask, agree=False, reason="RAW-ANSWER-REASON"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT purpose FROM sharing_onwardshare")
        purposes = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT reason, answer_reason FROM sharing_onwardask")
        reasons = [value for row in cursor.fetchall() for value in row]
    assert purposes and all(PURPOSE not in p for p in purposes)
    assert reasons and not any("RAW-" in r for r in reasons)
    assert OnwardShare.objects.get().purpose == PURPOSE  # and read back in clear


def test_a_share_whose_record_entry_fails_is_not_saved(
    case: Case, cast: dict[str, Any], agencies: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the record could not be written")

    monkeypatch.setattr(onward, "record", broken)
    with pytest.raises(RuntimeError):
        pass_free_item(cast["hub_practitioner"], case, agencies["health"])
    with pytest.raises(RuntimeError):
        ask(cast["hub_practitioner"], case, agencies["health"])
    assert not OnwardShare.objects.exists()
    assert not OnwardAsk.objects.exists()
