"""The adviser sees the questions addressed to them on "Advice requests" and answers in
the app; nobody else sees or answers them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from mash.records.models import RecordEntry
from mash.sharing import services
from mash.sharing.models import AdviceRequest

from .advice_helpers import advice_url, answer, ask
from .factories import make_request

LIST = reverse("sharing:advice-list")


def test_the_agency_manager_sees_the_question_and_answers_it(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    advice = ask(cast, req)
    client = client_for("police_manager")
    listing = client.get(LIST).content.decode()
    assert "Waiting for your advice" in listing
    assert advice_url(advice) in listing
    assert RecordEntry.objects.filter(action="advice.listed").exists()
    page = client.get(advice_url(advice))
    assert page.status_code == 200
    text = page.content.decode()
    assert "cannot tell whether the harm is significant" in text
    assert "Whether the child is at risk of significant harm" in text
    assert escape(req.purpose) in text
    assert RecordEntry.objects.filter(action="advice.viewed", object_id=str(advice.pk)).exists()
    response = client.post(advice_url(advice), {"answer": "Treat it as significant harm."})
    assert response.status_code == 302
    advice.refresh_from_db()
    assert advice.answer == "Treat it as significant harm."
    assert advice.answered_by == cast["police_manager"]
    assert advice.answered_at is not None
    entry = RecordEntry.objects.get(action="advice.answered")
    assert entry.object_id == str(advice.pk)
    assert "significant harm" not in str(entry.details)


def test_the_practitioner_sees_the_answer_on_the_request(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    answer(cast, ask(cast, req))
    client = client_for("police_practitioner")
    page = client.get(reverse("sharing:request", kwargs={"request_id": req.pk})).content.decode()
    assert "Three call-outs in a month is a pattern" in page
    assert "Paul Tester" in page
    listing = client.get(LIST).content.decode()
    assert "Questions you asked" in listing and "Answered" in listing


def test_the_hub_safeguarding_lead_answers_questions_for_the_hub(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    advice = ask(cast, req, adviser="hub_lead")
    assert advice_url(advice) not in client_for("police_manager").get(LIST).content.decode()
    assert client_for("police_manager").get(advice_url(advice)).status_code == 404
    assert advice_url(advice) in client_for("hub_manager").get(LIST).content.decode()
    answer(cast, advice, who="hub_manager")
    assert AdviceRequest.objects.get().answered_by == cast["hub_manager"]


def test_a_question_to_one_manager_by_name_is_theirs_only(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    from mash.agencies.models import User

    other = User.objects.create_user(
        username="pam", first_name="Pam", agency=agencies["police"], role="manager"
    )
    req = make_request(cast=cast, agency=agencies["police"])
    advice = ask(cast, req, adviser=f"manager:{other.pk}")
    assert client_for("police_manager").get(advice_url(advice)).status_code == 404
    with pytest.raises(PermissionError):
        answer(cast, advice)
    assert advice_url(advice) not in client_for("police_manager").get(LIST).content.decode()


@pytest.mark.parametrize(
    "who", ["hub_practitioner", "dpo", "health_practitioner", "outsider", "hub_manager"]
)
def test_others_get_not_found(cast: Any, agencies: Any, client_for: Any, who: str) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    advice = ask(cast, req)
    client = client_for(who)
    assert client.get(advice_url(advice)).status_code == 404
    assert client.post(advice_url(advice), {"answer": "Share it"}).status_code == 404
    assert advice_url(advice) not in client.get(LIST).content.decode()
    assert not AdviceRequest.objects.get().answered


def test_the_practitioner_cannot_answer_their_own_question(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    advice = ask(cast, req)
    client = client_for("police_practitioner")
    page = client.get(advice_url(advice))
    assert page.status_code == 200
    assert 'name="answer"' not in page.content.decode()
    assert client.post(advice_url(advice), {"answer": "Share it"}).status_code == 404
    assert not AdviceRequest.objects.get().answered


def test_it_refuses_an_empty_answer_naming_the_field(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    advice = ask(cast, req)
    response = client_for("police_manager").post(advice_url(advice), {"answer": " "})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'href="#id_answer"' in text and "Enter your advice" in text
    assert not AdviceRequest.objects.get().answered
    assert not RecordEntry.objects.filter(action="advice.answered").exists()


def test_a_question_is_answered_once(cast: Any, agencies: Any, client_for: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    advice = answer(cast, ask(cast, req))
    with pytest.raises(ValidationError):
        services.answer_advice(actor=cast["police_manager"], advice=advice, answer="Again")
    response = client_for("police_manager").post(advice_url(advice), {"answer": "Again"})
    assert response.status_code == 404
    assert AdviceRequest.objects.get().answer.startswith("Three call-outs")
