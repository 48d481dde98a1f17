"""The OpenAPI document lists the error answers each operation can give (mash.api.openapi),
so clients and the schemathesis run know them; an operation's own declaration is kept."""

from __future__ import annotations

from typing import Any

from django.test import Client


def document(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_a_signed_in_operation_documents_401_404_and_422(client: Client, db: Any) -> None:
    responses = document(client)["paths"]["/api/v1/consent/people/{person_id}/position"]["get"][
        "responses"
    ]
    assert {"200", "401", "404", "422"} <= set(responses)
    # No CSRF check on a safe method; a 403 only for a restricted enquiry's data.
    assert "restricted enquiry" in responses["403"]["description"]
    assert "CSRF" not in responses["403"]["description"]
    assert responses["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorMessage"
    }
    assert responses["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorProblems"
    }


def test_an_unsafe_signed_in_operation_documents_the_csrf_refusal(client: Client, db: Any) -> None:
    responses = document(client)["paths"]["/api/v1/consent/people/{person_id}/records"]["post"][
        "responses"
    ]
    assert {"201", "400", "401", "403", "404", "422"} <= set(responses)


def test_the_decision_keeps_its_own_422_and_needs_no_sign_in(client: Client, db: Any) -> None:
    responses = document(client)["paths"]["/api/v1/decisions/evaluate"]["post"]["responses"]
    assert responses["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/QuestionProblems"
    }
    assert "401" not in responses
    assert "404" not in responses


def test_the_error_bodies_are_schemas_of_the_document(client: Client, db: Any) -> None:
    schemas = document(client)["components"]["schemas"]
    assert schemas["ErrorMessage"]["required"] == ["detail"]
    problem = schemas["ErrorProblem"]
    assert set(problem["required"]) == {"loc", "msg", "type"}


def test_a_signed_out_call_answers_as_documented(client: Client, db: Any) -> None:
    response = client.get(
        "/api/v1/consent/people/00000000-0000-0000-0000-000000000000/position?agency=police"
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
