"""``GET /api/v1/decisions/{id}``: a recorded decision as its record page shows it,
with the version 2 answers (the lawful basis proposed and as recorded, how it is shared,
why it is necessary and proportionate, whose consent answer governs for each person)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from mash.records.models import RecordEntry
from mash.sharing.models import Decision
from tests.sharing.pages import TO_SIGNIFICANT_HARM, at_decision_page, decision_url, share_form

CRIMINAL_HARM = [
    (step, {**data, "criminal_offence": "yes"} if step == "confidential" else data)
    for step, data in TO_SIGNIFICANT_HARM
]


def _recorded(cast: Any, agencies: Any, client_for: Any) -> tuple[Decision, Client]:
    req, client = at_decision_page(cast, agencies, client_for, CRIMINAL_HARM)
    response = client.post(decision_url(req), share_form(req.people.first(), schedule_1="para_18"))
    assert response.status_code == 302, response.content.decode()
    return Decision.objects.get(), client


def test_the_api_gives_the_recorded_lawful_basis_how_and_necessity(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    decision, police = _recorded(cast, agencies, client_for)
    response = police.get(f"/api/v1/decisions/{decision.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "share"
    assert body["basis"] == "significant_harm"
    assert body["lawful_basis"]["chosen"] == {
        "article_6": "6(1)(e)",
        "article_9": None,
        "article_10": True,
        "schedule_1": "para_18",
    }
    assert body["lawful_basis"]["confirmed"] is True
    assert (
        "DPA 2018 Schedule 1 paragraph 18: safeguarding of children and of individuals at risk"
        in (body["lawful_basis"]["words"])
    )
    assert body["how"] == "hub"
    assert (
        body["necessity"]["proportionate"]
        == "Only the two recent call-outs, not the whole history."
    )
    assert {p["outcome"] for p in body["people"]} == {"share"}
    assert RecordEntry.objects.filter(
        action="decision.viewed", object_id=str(decision.pk), details__view="api"
    ).exists()


def test_a_decision_the_user_may_not_see_is_not_found(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    decision, _police = _recorded(cast, agencies, client_for)
    response = client_for("health_practitioner").get(f"/api/v1/decisions/{decision.pk}")
    assert response.status_code == 404
    assert "Two call-outs" not in response.content.decode()


def test_signed_out_the_api_answers_401(cast: Any, agencies: Any, client_for: Any) -> None:
    decision, _police = _recorded(cast, agencies, client_for)
    assert Client().get(f"/api/v1/decisions/{decision.pk}").status_code == 401
