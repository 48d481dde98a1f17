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


def test_cache_url_picks_where_the_limit_counts() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from mash.settings import cache_from_url

    assert cache_from_url("")["BACKEND"].endswith("LocMemCache")
    assert cache_from_url("db") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "mash_cache",
    }
    assert cache_from_url("redis://127.0.0.1:6379/1")["BACKEND"].endswith("RedisCache")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url("memcached://x")


def test_with_the_database_cache_every_process_shares_one_count(
    client_for: Any, cast: dict[str, Any], three_a_minute: None, settings: Any
) -> None:
    from django.core.cache import CacheHandler
    from django.core.management import call_command

    from mash.settings import cache_from_url

    settings.CACHES = {"default": cache_from_url("db")}
    call_command("createcachetable", verbosity=0)
    hana = client_for("hub_practitioner")
    for _ in range(3):
        assert hana.get(POSITION).status_code == 404
    # Another process has its own cache objects but reads the same table.
    other_process = CacheHandler(settings.CACHES)["default"]
    history = other_process.get(f"throttle_mash_api_{cast['hub_practitioner'].pk}")
    assert history is not None and len(history) == 3
    assert hana.get(POSITION).status_code == 429
