"""The printable decision record, and corrections that supersede a decision."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from mash.records.models import RecordEntry
from mash.sharing.models import Decision

from .factories import make_request
from .pages import TO_SIGNIFICANT_HARM, decision_url, share_form, step_url, walk

# Shares over a refusal are released at once here: sign-off is tested on its own.
pytestmark = pytest.mark.usefixtures("no_signoff")


def _decided(cast: Any, agencies: Any, client_for: Any) -> tuple[Any, Any, Decision]:
    req = make_request(cast=cast, agency=agencies["police"])
    client = client_for("police_practitioner")
    walk(client, req, TO_SIGNIFICANT_HARM)
    response = client.post(decision_url(req), share_form(req.people.first()))
    assert response.status_code == 302
    return req, client, Decision.objects.get(request=req)


def _url(decision: Decision) -> str:
    return reverse("sharing:decision", kwargs={"decision_id": decision.pk})


def test_the_record_shows_who_when_the_guidance_the_answers_and_what_was_shared(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client, decision = _decided(cast, agencies, client_for)
    response = client.get(_url(decision))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Information sharing decision record" in text
    assert "Priya Tester" in text
    assert "Police" in text
    assert decision.guidance_version in text
    assert "Risk of significant harm to a child" in text
    assert "(shared without consent)" in text
    assert "Is the information confidential?" in text
    assert "Two call-outs to the address" in text
    assert "Police command and control log" in text
    assert "Ask the agency before passing it outside the hub" in text
    assert "The child is at risk of significant harm; the hub needs this now." in text
    assert "Telling the father could increase the risk to the child." in text
    assert "Shared with Children&#x27;s social care MASH" in text
    assert req.enquiry.concern not in text
    assert "mash-no-print" in text  # the correction button and back link are not printed


def test_viewing_the_record_is_recorded(cast: Any, agencies: Any, client_for: Any) -> None:
    _req, client, decision = _decided(cast, agencies, client_for)
    client.get(_url(decision))
    entry = RecordEntry.objects.filter(action="decision.viewed").last()
    assert entry is not None
    assert entry.object_id == str(decision.pk)
    assert entry.details["items"] == [str(i.pk) for i in decision.items.all()]


def test_hub_staff_of_the_enquiry_hub_can_read_the_record(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    _req, _client, decision = _decided(cast, agencies, client_for)
    for who in ("hub_practitioner", "hub_manager", "dpo"):
        response = client_for(who).get(_url(decision))
        assert response.status_code == 200
        assert "Correct this decision" not in response.content.decode()


def test_a_correction_supersedes_the_decision_and_both_stay_visible(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client, first = _decided(cast, agencies, client_for)
    response = client.post(reverse("sharing:correct", kwargs={"decision_id": first.pk}))
    assert response["Location"] == step_url(req, "purpose")
    # The earlier answers are there already.
    page = client.get(step_url(req, "purpose")).content.decode()
    assert 'value="yes" checked' in page
    text = client.get(decision_url(req)).content.decode()
    assert "Why are you correcting the earlier decision?" in text
    # The earlier record is filled in, so only what is wrong needs changing.
    assert "Two call-outs to the address for domestic incidents" in text
    assert "The child is at risk of significant harm; the hub needs this now." in text
    response = client.post(decision_url(req), share_form(req.people.first()))
    assert response.status_code == 400
    assert "Enter the reason for the correction" in response.content.decode()
    response = client.post(
        decision_url(req),
        share_form(
            req.people.first(),
            correction_reason="The first item was about the wrong incident.",
            **{"item-1-text": "One call-out to the address"},
        ),
    )
    assert response.status_code == 302
    second = Decision.objects.exclude(pk=first.pk).get()
    assert second.supersedes == first
    old = client.get(_url(first)).content.decode()
    assert "This decision was corrected" in old
    assert _url(second) in old
    assert "Correct this decision" not in old
    new = client.get(_url(second)).content.decode()
    assert "The first item was about the wrong incident." in new
    assert "All decisions on this request" in new
    assert RecordEntry.objects.filter(action="decision.superseded").count() == 1
    request_page = client.get(reverse("sharing:request", kwargs={"request_id": req.pk}))
    assert "Superseded" in request_page.content.decode()


def test_an_old_decision_cannot_be_corrected_twice(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client, first = _decided(cast, agencies, client_for)
    client.post(reverse("sharing:correct", kwargs={"decision_id": first.pk}))
    client.post(
        decision_url(req), share_form(req.people.first(), correction_reason="Wrong incident.")
    )
    response = client.post(
        reverse("sharing:correct", kwargs={"decision_id": first.pk}), follow=True
    )
    assert "already been corrected" in response.content.decode()
    assert Decision.objects.count() == 2
