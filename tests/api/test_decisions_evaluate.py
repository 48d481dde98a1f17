"""``POST /api/v1/decisions/evaluate`` (contract: Entry points): the decision over HTTP,
strict like the CLI, storing nothing; and the API's OpenAPI document and docs page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

URL = "/api/v1/decisions/evaluate"
EXAMPLE = {
    "purpose": {"legitimate": True, "description": "MASH enquiry: bruising seen at school"},
    "identifies_individual": True,
    "confidential": True,
    "recipient_agency": "police",
    "consent": {"status": "refused"},
    "risk": {"significant_harm": True},
}


def post(client: Client, body: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json")


def test_it_returns_the_decision_for_the_contract_example(client: Client, db: Any) -> None:
    response = post(client, EXAMPLE)
    assert response.status_code == 200
    decision = response.json()
    assert decision["outcome"] == "share"
    assert decision["basis"] == "significant_harm"
    assert decision["without_consent"] is True
    assert "proportionality_of_override" in decision["requires"]
    assert decision["guidance_version"] == "herefordshire-mash-v4-2023-05"


def test_it_gives_the_same_decision_as_the_engine(client: Client, db: Any) -> None:
    from mash.policy import decide

    question = {"purpose": {"legitimate": True}, "confidential": False}
    assert post(client, question).json() == decide(question).to_dict()


def test_it_needs_no_sign_in_and_no_csrf_token_for_json_clients(db: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, EXAMPLE).status_code == 200


def test_it_stores_nothing(client: Client, db: Any) -> None:
    from django.apps import apps

    def counts() -> dict[str, int]:
        return {m._meta.label: m.objects.count() for m in apps.get_models()}

    before = counts()
    post(client, EXAMPLE)
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"identifies_individual": "yes"}, "identifies_individual"),
        ({"confidential": "1"}, "confidential"),
        ({"consent": {"status": "maybe"}}, "consent.status"),
        ({"colour": "blue"}, "colour"),
        ({"risk": {"urgent": 1}}, "risk.urgent"),
        ([1, 2], ""),
        ("{not json", ""),
        ("", ""),
    ],
)
def test_bad_input_answers_422_naming_the_field_path(
    client: Client, db: Any, body: Any, field: str
) -> None:
    response = post(client, body)
    assert response.status_code == 422
    problems = response.json()["detail"]
    assert field in [problem["field"] for problem in problems]
    assert all({"loc", "field", "msg", "type"} <= set(problem) for problem in problems)


def test_a_422_gives_the_path_as_loc_parts_too(client: Client, db: Any) -> None:
    response = post(client, {"other_basis": {"public_interest": {"criteria": ["gossip"]}}})
    assert response.json()["detail"][0]["loc"] == ["other_basis", "public_interest", "criteria", 0]


def test_the_openapi_document_describes_the_question_and_the_decision(
    client: Client, db: Any
) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    operation = document["paths"][URL]["post"]
    question = operation["requestBody"]["content"]["application/json"]["schema"]
    assert question["title"] == "Question"
    assert question["additionalProperties"] is False
    consent = question["properties"]["consent"]["anyOf"][0]
    assert consent["properties"]["status"]["anyOf"][0]["enum"] == [
        "given",
        "refused",
        "withdrawn",
        "not_sought",
        "unknown",
    ]
    assert "$ref" not in json.dumps(question)
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/SharingDecision"}
    decision = document["components"]["schemas"]["SharingDecision"]
    assert set(decision["properties"]) >= {"outcome", "basis", "requires", "steps", "reasons"}
    assert "422" in operation["responses"]


def test_the_api_docs_page_loads_from_our_own_static_files(client: Client, db: Any) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
