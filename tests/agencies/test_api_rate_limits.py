"""The API answers 429 with a clear message and a Retry-After beyond its rate limit, per
signed-in user (per address when signed out), and its OpenAPI document says so."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

POSITION = "/api/v1/consent/people/00000000-0000-0000-0000-000000000000/position?agency=police"
EVALUATE = "/api/v1/decisions/evaluate"


@pytest.fixture
def three_a_minute(settings: Any) -> None:
    settings.MASH_API_RATE_LIMIT = "3/min"


def test_a_signed_in_user_over_the_limit_gets_429_with_a_clear_message(
    client_for: Any, three_a_minute: None
) -> None:
    hana = client_for("hub_practitioner")
    for _ in range(3):
        assert hana.get(POSITION).status_code == 404
    response = hana.get(POSITION)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many requests: the hub's API allows 3 per min")
    assert int(response["Retry-After"]) > 0


def test_the_limit_is_per_user(client_for: Any, three_a_minute: None) -> None:
    hana, harriet = client_for("hub_practitioner"), client_for("hub_manager")
    for _ in range(4):
        hana.get(POSITION)
    assert harriet.get(POSITION).status_code == 404


def test_signed_out_callers_are_limited_by_address(client: Client, three_a_minute: None) -> None:
    answers = [
        client.post(EVALUATE, {}, content_type="application/json").status_code for _ in range(4)
    ]
    assert 429 not in answers[:3]
    assert answers[3] == 429


def test_every_operation_documents_the_429(client: Client, db: Any) -> None:
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answer = operation["responses"]["429"]
            assert answer["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorMessage"
            }, (method, path)
            assert "Retry-After" in answer["headers"]


def test_the_default_limit_comes_from_the_environment() -> None:
    from mash import settings as hub_settings

    assert hub_settings.MASH_API_RATE_LIMIT == "300/min"
