"""One consent answer per person per agency (issue 12, items 1-4).

Guidance, Consent to Share Information: "Check you have consent from all people whose
information is to be shared"; "Where consent has not been obtained, reasons for this
will be documented on both the agency and MASH records". The decision is pre-filled
from the deciding agency's own register entries only, never from the hub's consent to
refer (shown apart, its reason never to a partner); the practitioner's answer is each
person's answer unless they differ for a person; recording the decision writes each
answer into the register as an event of that agency, so the hub sees it at once."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mash.consent.models import ConsentRecord
from mash.enquiries.models import ConsentToRefer
from mash.records.models import RecordEntry
from mash.sharing.models import Decision

from .factories import make_enquiry, make_person, make_request
from .pages import TO_SIGNIFICANT_HARM, decision_url, share_form, step_url, walk

HUB_REASON = "HUBREASON-mother-is-the-alleged-abuser-4411"


def _case(cast: dict[str, Any], agencies: dict[str, Any]) -> tuple[Any, Any, Any]:
    """A police request about a child and mother; the hub recorded at intake that
    consent to refer was not obtained, and why."""
    hub_user = cast["hub_practitioner"]
    enquiry = make_enquiry(hub=hub_user.agency, created_by=hub_user)
    enquiry.consent_to_refer = ConsentToRefer.NOT_OBTAINED
    enquiry.consent_not_obtained_reason = HUB_REASON
    enquiry.save(update_fields=["consent_to_refer", "consent_not_obtained_reason"])
    child = make_person(enquiry)
    mother = make_person(enquiry, kind="parent")
    req = make_request(
        cast=cast, agency=agencies["police"], enquiry=enquiry, people=[child, mother]
    )
    return req, child, mother


def test_the_hub_s_consent_to_refer_is_shown_apart_and_never_pre_fills_the_decision(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, _child, _mother = _case(cast, agencies)
    police = client_for("police_practitioner")
    walk(police, req, TO_SIGNIFICANT_HARM[:3])
    page = police.get(step_url(req, "consent")).content.decode()
    assert "Consent to refer (recorded by the hub at intake)" in page
    assert HUB_REASON not in page
    assert 'value="not_sought" checked' not in page
    walk(police, req, TO_SIGNIFICANT_HARM)
    decision_page = police.get(decision_url(req)).content.decode()
    assert HUB_REASON not in decision_page
    assert "Not sought" not in decision_page


def test_a_partner_never_gets_the_hub_s_reason_from_the_api(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    _req, child, _mother = _case(cast, agencies)
    url = f"/api/v1/consent/people/{child.pk}/position"
    police = client_for("police_practitioner").get(url, {"agency": agencies["hub"].code})
    assert police.status_code == 200
    assert HUB_REASON not in police.content.decode()
    assert police.json()["consent"]["status"] == "unknown"
    hub = client_for("hub_practitioner").get(url, {"agency": agencies["police"].code})
    assert hub.status_code == 200
    assert hub.json()["consent"]["reason_not_sought"] == HUB_REASON


def test_a_refusal_is_each_person_s_answer_on_the_record_and_in_the_register(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, mother = _case(cast, agencies)
    police = client_for("police_practitioner")
    walk(police, req, TO_SIGNIFICANT_HARM)  # the consent page: refused
    response = police.post(decision_url(req), share_form(child))
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get(request=req)
    for result in decision.people_decisions:
        assert result["consent"]["status"] == "refused"
        assert result["consent_source"] == "answer"
    record_page = police.get(response.url).content.decode()
    assert "Not sought" not in record_page
    assert HUB_REASON not in record_page

    # Written into the register, as the police's events, sourced to the decision.
    written = ConsentRecord.objects.filter(decision=decision)
    assert {r.person_id for r in written} == {child.pk, mother.pk}
    assert {r.status for r in written} == {"refused"}
    assert {r.recorded_by_agency_id for r in written} == {agencies["police"].pk}
    assert {r.recorded_by_id for r in written} == {cast["police_practitioner"].pk}
    entries = RecordEntry.objects.filter(action="consent.recorded")
    assert {e.details["decision"] for e in entries} == {str(decision.pk)}

    # The hub's table and the person's consent page show it at once.
    hub = client_for("hub_practitioner")
    enquiry_page = hub.get(
        reverse("enquiries:detail", kwargs={"enquiry_id": req.enquiry_id})
    ).content.decode()
    table = enquiry_page.split("Consent to share, by agency", 1)[1].split("</table>", 1)[0]
    assert "Refused" in table
    person_page = hub.get(reverse("consent:person", args=[mother.pk])).content.decode()
    assert "Refused" in person_page


def test_explicit_consent_for_one_person_comes_from_the_answer(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, mother = _case(cast, agencies)
    police = client_for("police_practitioner")
    walk(police, req, TO_SIGNIFICANT_HARM)
    data = share_form(
        child,
        **{
            f"person-{mother.pk}-consent": "given_explicit",
            f"person-{mother.pk}-reason": "She signed our consent form this morning.",
        },
    )
    response = police.post(decision_url(req), data)
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get(request=req)
    by_person = {r["person"]: r for r in decision.people_decisions}
    assert by_person[str(mother.pk)]["consent"]["explicit"] is True
    assert by_person[str(mother.pk)]["consent_source"] == "practitioner"
    assert ConsentRecord.objects.get(decision=decision, person=mother).status == "given"


def test_an_answer_written_to_the_register_is_for_the_request_s_purpose(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    """Consent: "Do you have consent to share this information for this purpose?" A
    refusal (or consent) given for a request with a purpose from the hub's list is
    limited to that purpose in the register; without one it is not limited."""
    from mash.guidance.models import SharingPurpose

    SharingPurpose.objects.update_or_create(
        code="section_47_enquiry", defaults={"name": "Child protection enquiry"}
    )
    req, child, _mother = _case(cast, agencies)
    req.purpose_code = "section_47_enquiry"
    req.save(update_fields=["purpose_code"])
    police = client_for("police_practitioner")
    walk(police, req, TO_SIGNIFICANT_HARM)
    response = police.post(decision_url(req), share_form(child))
    assert response.status_code == 302, response.content.decode()
    written = ConsentRecord.objects.filter(decision__request=req)
    assert written and {tuple(r.purposes) for r in written} == {("section_47_enquiry",)}
    entry = RecordEntry.objects.filter(action="consent.recorded").first()
    assert entry is not None and entry.details["purposes"] == ["section_47_enquiry"]
