"""The decision pages ask and record the contract's version 2 answers, through the pages
as a practitioner answers them: the lawful basis of a share (proposed by the guidance,
confirmed or changed among the agency's bases), how it is shared and why it is
necessary and proportionate, who gave each person's consent (Gillick competence, mental
capacity, another person's answer) and whether the consent covers this purpose."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from mash.guidance.models import AgencyLawfulBases
from mash.guidance.services import ensure_defaults
from mash.records.models import RecordEntry
from mash.sharing.models import Decision

from .factories import make_enquiry, make_person, make_request
from .pages import (
    TO_DO_NOT_SHARE,
    TO_SIGNIFICANT_HARM,
    at_decision_page,
    decision_url,
    everyone_answered,
    not_sharing_form,
    share_form,
    step_url,
    walk,
)

# A police share without consent of criminal offence data, on significant harm.
CRIMINAL_HARM = [
    (step, {**data, "criminal_offence": "yes"} if step == "confidential" else data)
    for step, data in TO_SIGNIFICANT_HARM
]


def _record_page(client: Any, decision: Decision) -> str:
    response = client.get(reverse("sharing:decision", kwargs={"decision_id": decision.pk}))
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_guidance_proposes_public_task_and_safeguarding_for_a_share_without_consent(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, CRIMINAL_HARM)
    page = client.get(decision_url(req)).content.decode()
    assert "The guidance proposes:" in page
    assert "UK GDPR Article 6(1)(e): public task" in page
    assert "DPA 2018 Schedule 1 paragraph 18: safeguarding of children" in page
    # The proposal is selected, for the practitioner to confirm or change.
    assert 'name="article_6" type="radio" value="6(1)(e)" checked' in page
    assert 'name="schedule_1" type="radio" value="para_18" checked' in page
    assert "How will the information be shared?" in page
    assert "Information should be shared in the most secure way available" in page


def test_a_confirmed_lawful_basis_is_recorded_and_shown_on_the_decision_record(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, CRIMINAL_HARM)
    child = req.people.first()
    response = client.post(decision_url(req), share_form(child, schedule_1="para_18"))
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get()
    assert decision.lawful_basis["chosen"] == {
        "article_6": "6(1)(e)",
        "article_9": None,
        "article_10": True,
        "schedule_1": "para_18",
    }
    assert decision.lawful_basis["confirmed"] is True
    assert decision.how == "hub"
    assert decision.question["necessity"]["necessary"].startswith("The hub needs")
    entry = RecordEntry.objects.get(action="decision.recorded")
    assert entry.details["lawful_basis"]["schedule_1"] == "para_18"
    assert entry.details["how"] == "hub"
    page = _record_page(client, decision)
    assert "Lawful basis" in page
    assert "UK GDPR Article 6(1)(e): public task" in page
    assert "UK GDPR Article 10: criminal offence data" in page
    assert "DPA 2018 Schedule 1 paragraph 18" in page
    assert "Confirmed by the practitioner as the guidance proposed." in page
    assert "Through the hub (this system)" in page
    assert "Why is sharing this information necessary?" in page
    assert "Only the two recent call-outs" in page


def test_a_changed_lawful_basis_is_recorded_beside_the_proposal(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    data = share_form(req.people.first(), article_6="6(1)(d)")
    assert client.post(decision_url(req), data).status_code == 302
    decision = Decision.objects.get()
    assert decision.lawful_basis["chosen"]["article_6"] == "6(1)(d)"
    assert decision.lawful_basis["proposed"]["article_6"] == "6(1)(e)"
    page = _record_page(client, decision)
    assert "UK GDPR Article 6(1)(d): vital interests" in page
    assert "Changed by the practitioner; the guidance proposed: UK GDPR Article 6(1)(e)" in page


def test_a_basis_the_agency_may_not_rely_on_is_refused_naming_the_field(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    ensure_defaults(agencies.values())  # the police may not rely on consent, 6(1)(a)
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    page = client.get(decision_url(req)).content.decode()
    assert 'value="6(1)(e)"' in page
    assert 'value="6(1)(a)"' not in page  # only the agency's bases are offered
    response = client.post(decision_url(req), share_form(req.people.first(), article_6="6(1)(a)"))
    assert response.status_code == 400
    text = response.content.decode()
    assert (
        "UK GDPR Article 6(1)(a): consent is not one of the lawful bases Police may rely on"
        in text.replace("&#x27;", "'")
    )
    assert 'href="#id_article_6"' in text
    assert not Decision.objects.exists()


def test_the_page_says_when_the_proposal_is_not_one_of_the_agencys_bases(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    AgencyLawfulBases.objects.create(agency=agencies["police"], codes=["6(1)(c)", "6(1)(d)"])
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    page = client.get(decision_url(req)).content.decode()
    assert "not one of the lawful bases Police may rely on" in page
    assert 'value="6(1)(e)"' not in page


def test_every_share_needs_how_and_why_it_is_necessary_and_proportionate(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    data = share_form(req.people.first(), how=None, necessary=" ", proportionate=None)
    response = client.post(decision_url(req), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Select how the information will be shared" in text
    assert "Enter why sharing this information is necessary" in text
    assert "Enter why what you share is proportionate" in text
    assert not Decision.objects.exists()


def test_a_way_of_sharing_not_in_the_list_is_refused(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    response = client.post(decision_url(req), share_form(req.people.first(), how="carrier_pigeon"))
    assert response.status_code == 400
    assert "Select how the information will be shared from the list" in response.content.decode()
    assert not Decision.objects.exists()


def test_sensitive_information_without_an_article_9_condition_is_refused(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    sensitive = [
        (step, {**data, "sensitive": "yes"} if step == "confidential" else data)
        for step, data in TO_SIGNIFICANT_HARM
    ]
    req, client = at_decision_page(cast, agencies, client_for, sensitive)
    page = client.get(decision_url(req)).content.decode()
    assert "UK GDPR Article 9(2)(g): reasons of substantial public interest" in page
    response = client.post(decision_url(req), share_form(req.people.first()))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Confirm or choose the condition for special category information" in text
    assert not Decision.objects.exists()


def test_a_decision_not_to_share_asks_for_no_lawful_basis(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_DO_NOT_SHARE)
    page = client.get(decision_url(req)).content.decode()
    assert "The lawful basis" not in page
    assert client.post(decision_url(req), not_sharing_form(req)).status_code == 302
    decision = Decision.objects.get()
    assert decision.lawful_basis == {}
    assert decision.how == ""


# --- Who can consent ---------------------------------------------------------------


def _family(cast: Any, agencies: Any, *, child_age: int) -> tuple[Any, Any, Any]:
    hub_user = cast["hub_practitioner"]
    enquiry = make_enquiry(hub=hub_user.agency, created_by=hub_user)
    child = make_person(enquiry)
    today = timezone.localdate()
    child.date_of_birth = dt.date(today.year - child_age, 1, 1) - dt.timedelta(days=1)
    child.save()
    mother = make_person(enquiry, kind="parent")
    req = make_request(cast=cast, agency=agencies["police"], enquiry=enquiry, people=[child])
    return req, child, mother


TO_HARM_NOT_KNOWN_YET = [
    ("purpose", {"legitimate": "yes"}),
    ("identifies", {"identifies_individual": "yes"}),
    ("confidential", {"confidential": "yes", "sensitive": "no"}),
    ("consent", {"status": "given", "coverage": "all", "explicit": "no"}),
]


def test_a_competent_childs_refusal_governs_over_the_mothers_consent(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, child, _mother = _family(cast, agencies, child_age=14)
    client = client_for("police_practitioner")
    walk(client, req, TO_DO_NOT_SHARE)
    p = f"person-{child.pk}-"
    who = {
        p + "consent": "refused",
        p + "reason": "She told me today she does not want it shared.",
        p + "given_by": "child",
        p + "competent": "yes",
        p + "other_status": "given",
        p + "other_given_by": "parent",
    }
    response = client.post(decision_url(req), {"action": "update_people", **who})
    assert response.status_code == 302
    page = client.get(decision_url(req)).content.decode().replace("&#x27;", "'")
    assert "Whose answer governs" in page
    assert "The child's answer (refused) governs" in page
    assert "a parent's consent does not override a competent child's refusal" in page
    response = client.post(decision_url(req), not_sharing_form(req, **who))
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get()
    assert decision.outcome == "do_not_share"
    [person] = decision.people_decisions
    assert person["given_by"] == "child"
    assert person["subject"] == {"age": 14, "competent": True}
    assert person["other_consents"][0]["given_by"] == "parent"
    assert person["consent_used"] == {"given_by": "child", "status": "refused", "relied_on": False}
    record = _record_page(client, decision).replace("&#x27;", "'")
    assert "Judged competent to decide for themselves (Gillick): yes" in record
    assert "Another answer: given, by a parent with parental responsibility" in record
    assert "The child's answer (refused) governs" in record
    assert "The child is 14 and has been judged competent" in record


def test_for_a_child_not_judged_competent_the_parents_consent_governs(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, child, _mother = _family(cast, agencies, child_age=9)
    client = client_for("police_practitioner")
    walk(client, req, TO_HARM_NOT_KNOWN_YET)
    p = f"person-{child.pk}-"
    who = {
        p + "consent": "given",
        p + "reason": "The mother consented on the telephone this morning.",
        p + "given_by": "parent",
        p + "competent": "no",
        p + "other_status": "refused",
        p + "other_given_by": "child",
    }
    client.post(decision_url(req), {"action": "update_people", **who})
    page = client.get(decision_url(req)).content.decode().replace("&#x27;", "'")
    assert "The parent's answer (given) governs; it is relied on." in page
    data = {
        **share_form(child, **who, **_consent_basis()),
        "justification": None,
        "informed": None,
        "not_informed_reason": None,
        "proportionality": None,
    }
    response = client.post(decision_url(req), {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302, response.content.decode()
    assert Decision.objects.get().basis == "consent"


def _consent_basis() -> dict[str, str]:
    return {"article_6": "6(1)(a)", "article_9": "none", "schedule_1": "none"}


def test_consent_cannot_be_relied_on_while_capacity_is_in_doubt(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, child, _mother = _family(cast, agencies, child_age=17)
    client = client_for("police_practitioner")
    walk(client, req, TO_HARM_NOT_KNOWN_YET)
    p = f"person-{child.pk}-"
    who = {p + "consent": "", p + "given_by": "child", p + "capacity": "not_assessed"}
    client.post(
        decision_url(req), {"action": "update_people", **everyone_answered(req.enquiry), **who}
    )
    page = client.get(decision_url(req)).content.decode().replace("&#x27;", "'")
    assert "Is " + child.full_name + "'s capacity to consent in doubt?" in page
    assert "cannot be relied on without an assessment of capacity" in page
    assert "assess it before relying on their consent" in page


def test_a_who_answer_outside_its_list_is_refused_naming_the_person(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, child, _mother = _family(cast, agencies, child_age=14)
    client = client_for("police_practitioner")
    walk(client, req, TO_HARM_NOT_KNOWN_YET)
    data = {
        **share_form(child, **_consent_basis()),
        f"person-{child.pk}-given_by": "the_neighbour",
    }
    response = client.post(decision_url(req), data)
    assert response.status_code == 400
    text = response.content.decode().replace("&#x27;", "'")
    assert f"Choose who gave or refused {child.full_name}'s consent" in text
    assert not Decision.objects.exists()


# --- Consent for this purpose --------------------------------------------------------


@pytest.fixture
def purposes(agencies: Any) -> None:
    ensure_defaults(agencies.values())
    AgencyLawfulBases.objects.all().delete()  # any basis may be chosen here


def _request_for(cast: Any, agencies: Any, client_for: Any, code: str) -> Any:
    hub = client_for("hub_practitioner")
    hub_user = cast["hub_practitioner"]
    enquiry = make_enquiry(hub=hub_user.agency, created_by=hub_user)
    child = make_person(enquiry)
    when = timezone.localtime(timezone.now() + dt.timedelta(days=2))
    response = hub.post(
        reverse("sharing:request-create", kwargs={"enquiry_id": enquiry.pk}),
        {
            "agencies": [agencies["police"].pk],
            "people": [child.pk],
            "purpose": "To know what is held about the child's home",
            "purpose_code": code,
            "deadline_date": when.date().isoformat(),
            "deadline_time": "17:00",
        },
    )
    assert response.status_code == 302, response.content.decode()
    return enquiry.requests.get()


def test_the_request_names_a_purpose_from_the_hubs_list(
    cast: Any, agencies: Any, client_for: Any, purposes: None
) -> None:
    req = _request_for(cast, agencies, client_for, "child_protection")
    assert req.purpose_code == "child_protection"
    url = reverse("sharing:request", kwargs={"request_id": req.pk})
    page = client_for("police_practitioner").get(url).content.decode()
    assert "On the hub's purposes list: Child protection enquiry" in page


def test_a_purpose_not_on_the_hubs_list_is_refused(
    cast: Any, agencies: Any, client_for: Any, purposes: None
) -> None:
    hub_user = cast["hub_practitioner"]
    enquiry = make_enquiry(hub=hub_user.agency, created_by=hub_user)
    child = make_person(enquiry)
    when = timezone.localtime(timezone.now() + dt.timedelta(days=2))
    response = client_for("hub_practitioner").post(
        reverse("sharing:request-create", kwargs={"enquiry_id": enquiry.pk}),
        {
            "agencies": [agencies["police"].pk],
            "people": [child.pk],
            "purpose": "To know",
            "purpose_code": "gossip",
            "deadline_date": when.date().isoformat(),
            "deadline_time": "17:00",
        },
    )
    assert response.status_code == 400
    assert "Select a purpose from the hub" in response.content.decode()
    assert not enquiry.requests.exists()


def _consent_page(client: Any, req: Any, **answers: str) -> Any:
    walk(client, req, TO_HARM_NOT_KNOWN_YET[:3])
    data = {"status": "given", "coverage": "all", "explicit": "no", **answers}
    return client.post(step_url(req, "consent"), data)


def test_consent_for_another_purpose_is_not_consent_for_this_request(
    cast: Any, agencies: Any, client_for: Any, purposes: None
) -> None:
    req = _request_for(cast, agencies, client_for, "child_protection")
    police = client_for("police_practitioner")
    response = _consent_page(police, req, consent_purpose="early_help")
    # The consent does not cover this purpose: the guidance asks about harm next.
    assert response["Location"] == step_url(req, "harm")
    police.post(step_url(req, "harm"), {"significant_harm": "yes", "urgent": "no"})
    page = police.get(decision_url(req)).content.decode().replace("&#x27;", "'")
    assert "The consent does not cover the purpose of this request" in page


def test_consent_for_this_purpose_is_consent(
    cast: Any, agencies: Any, client_for: Any, purposes: None
) -> None:
    req = _request_for(cast, agencies, client_for, "child_protection")
    police = client_for("police_practitioner")
    response = _consent_page(police, req, consent_purpose="child_protection")
    assert response["Location"] == decision_url(req)
    page = police.get(decision_url(req)).content.decode()
    assert "What purpose was the consent given for?" in page
    assert "Child protection enquiry (Children Act 1989 s. 47)" in page


def test_a_privacy_notice_that_does_not_say_so_is_not_consent(
    cast: Any, agencies: Any, client_for: Any, purposes: None
) -> None:
    req = _request_for(cast, agencies, client_for, "child_protection")
    police = client_for("police_practitioner")
    response = _consent_page(police, req, privacy_notice="not_covers")
    assert response["Location"] == step_url(req, "harm")
    police.post(step_url(req, "harm"), {"significant_harm": "yes", "urgent": "no"})
    page = police.get(decision_url(req)).content.decode()
    assert "The consent relied on is the privacy notice, and it does not say" in page


def test_a_consent_purpose_not_on_the_list_is_refused(
    cast: Any, agencies: Any, client_for: Any, purposes: None
) -> None:
    req = _request_for(cast, agencies, client_for, "child_protection")
    police = client_for("police_practitioner")
    response = _consent_page(police, req, consent_purpose="gossip")
    assert response.status_code == 400
    assert "Select a purpose from the hub" in response.content.decode()


def test_a_correction_starts_from_the_recorded_v2_answers(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, CRIMINAL_HARM)
    child = req.people.first()
    data = share_form(child, schedule_1="para_18", how="secure_email")
    assert client.post(decision_url(req), data).status_code == 302
    decision = Decision.objects.get()
    response = client.post(reverse("sharing:correct", kwargs={"decision_id": decision.pk}))
    assert response.status_code == 302
    page = client.get(decision_url(req)).content.decode()
    assert 'name="how" type="radio" value="secure_email" checked' in page
    assert "Only the two recent call-outs" in page
    assert 'name="schedule_1" type="radio" value="para_18" checked' in page


def test_information_that_identifies_nobody_needs_no_lawful_basis(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    answers = [("purpose", {"legitimate": "yes"}), ("identifies", {"identifies_individual": "no"})]
    req, client = at_decision_page(cast, agencies, client_for, answers)
    page = client.get(decision_url(req)).content.decode()
    assert "it is not personal data: no lawful basis is needed" in page
    assert 'name="article_6"' not in page
    data = share_form(
        req.people.first(),
        article_6=None,
        article_9=None,
        schedule_1=None,
        justification=None,
        informed=None,
        not_informed_reason=None,
        proportionality=None,
    )
    response = client.post(decision_url(req), data)
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get()
    assert decision.basis == "not_identifying"
    assert decision.lawful_basis["chosen"] is None
    assert decision.how == "hub"


def test_the_manager_signing_off_an_override_sees_its_lawful_basis_and_why(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, CRIMINAL_HARM)
    data = share_form(req.people.first(), schedule_1="para_18")
    assert client.post(decision_url(req), data).status_code == 302
    decision = Decision.objects.get()
    # Significant harm is urgent: released at once, the manager reviews it after (Guidance,
    # Consent to Share Information: "If the need to share is urgent ... take immediate
    # action and share the information without consent, but remember to record the
    # reason"). The manager's review page shows the same lawful basis and why.
    assert decision.release == "released"
    assert decision.review_waiting
    url = reverse("sharing:signoff", kwargs={"decision_id": decision.pk})
    page = client_for("police_manager").get(url).content.decode()
    assert "UK GDPR Article 6(1)(e): public task" in page
    assert "DPA 2018 Schedule 1 paragraph 18" in page
    assert "Through the hub (this system)" in page
    assert "Only the two recent call-outs, not the whole history." in page
