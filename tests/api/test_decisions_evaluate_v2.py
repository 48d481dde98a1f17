"""``POST /api/v1/decisions/evaluate`` with contract version 2 keys: the lawful basis,
who consented and their competence, the balance, how and why; strict like version 1."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

URL = "/api/v1/decisions/evaluate"
POLICE_SHARE: dict[str, Any] = {
    "purpose": {"legitimate": True, "code": "child_protection"},
    "identifies_individual": True,
    "confidential": True,
    "sensitive": True,
    "recipient_agency": "police",
    "consent": {"status": "refused", "given_by": "child"},
    "other_consents": [{"status": "given", "given_by": "parent", "explicit": True}],
    "subject": {"age": 14, "competent": True},
    "risk": {"significant_harm": True},
    "how": "hub",
    "necessity": {"necessary": "To protect the child.", "proportionate": "Only the dates."},
    "lawful_basis": {
        "article_6": "6(1)(e)",
        "article_9": "9(2)(g)",
        "schedule_1": "para_18",
        "allowed": ["6(1)(a)", "6(1)(e)", "9(2)(a)", "9(2)(g)", "para_18"],
    },
}


def post(client: Client, body: Any) -> Any:
    return client.post(URL, data=json.dumps(body), content_type="application/json")


def test_it_answers_a_v2_question_with_the_v2_keys(client: Client, db: Any) -> None:
    response = post(client, POLICE_SHARE)
    assert response.status_code == 200
    decision = response.json()
    assert decision["contract_version"] == 2
    assert decision["basis"] == "significant_harm"
    assert decision["lawful_basis"]["proposed"]["schedule_1"] == "para_18"
    assert decision["lawful_basis"]["confirmed"] is True
    assert decision["consent_used"] == {
        "given_by": "child",
        "status": "refused",
        "relied_on": False,
    }
    assert decision["record_needs"] == []
    assert decision["how"] == "hub"


def test_a_basis_outside_the_agencys_list_is_a_422_naming_it(client: Client, db: Any) -> None:
    body = dict(POLICE_SHARE, lawful_basis={"article_6": "6(1)(d)", "allowed": ["6(1)(e)"]})
    response = post(client, body)
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["detail"]] == ["lawful_basis.article_6"]


def test_an_unknown_how_is_a_422(client: Client, db: Any) -> None:
    response = post(client, dict(POLICE_SHARE, how="pigeon"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "how"


def test_a_string_age_is_a_422(client: Client, db: Any) -> None:
    response = post(client, dict(POLICE_SHARE, subject={"age": "14"}))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "subject.age"


def test_the_openapi_document_shows_the_v2_keys(client: Client, db: Any) -> None:
    document = client.get("/api/v1/openapi.json").json()
    question = document["paths"][URL]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    for key in ("subject", "other_consents", "how", "necessity", "lawful_basis"):
        assert key in question["properties"]
    decision = document["components"]["schemas"]["SharingDecision"]
    assert {"lawful_basis", "consent_used", "record_needs"} <= set(decision["properties"])
