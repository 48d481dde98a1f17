"""Optional OpenID Connect sign-in: off by default; when on, a provider's user is matched
to an existing hub user by e-mail (never created), and the hub's second factor follows.
The provider is a fake in this file: no network."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.test import Client

from mash.agencies.models import User

SECRET = "a client secret long enough for HS256 signing"


class FakeProvider:
    """Answers the token and userinfo requests mozilla-django-oidc makes."""

    def __init__(self, claims: dict[str, Any]) -> None:
        self.claims = claims
        self.nonce = ""
        self.calls: list[str] = []

    class Response:
        def __init__(self, body: dict[str, Any]) -> None:
            self.body = body
            self.headers = {"content-type": "application/json"}
            self.text = ""
            self.status_code = 200

        def raise_for_status(self) -> None:
            return None

        def json(self) -> dict[str, Any]:
            return self.body

    def post(self, url: str, **kwargs: Any) -> Response:
        self.calls.append(url)
        id_token = jwt.encode(
            {"sub": "provider-id-1", "nonce": self.nonce}, SECRET, algorithm="HS256"
        )
        return self.Response({"id_token": id_token, "access_token": "an access token"})

    def get(self, url: str, **kwargs: Any) -> Response:
        self.calls.append(url)
        return self.Response(self.claims)


@pytest.fixture
def oidc_on(settings: Any) -> None:
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "mash-hub"
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.police.example/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.police.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.police.example/userinfo"


def _through_provider(
    client: Client, monkeypatch: pytest.MonkeyPatch, claims: dict[str, Any]
) -> Any:
    provider = FakeProvider(claims)
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", provider.post)
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.get", provider.get)
    start = client.get("/oidc/authenticate/?next=/requests/")
    assert start.status_code == 302
    sent = urlparse(start["Location"])
    assert sent.netloc == "idp.police.example"
    params = {k: v[0] for k, v in parse_qs(sent.query).items()}
    assert params["client_id"] == "mash-hub" and "code_challenge" in params
    provider.nonce = params["nonce"]
    return client.get(f"/oidc/callback/?code=a-code&state={params['state']}")


def test_it_is_off_by_default(client: Client, db: Any) -> None:
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert b"organisation's account" not in client.get("/sign-in").content


def test_a_provider_user_with_a_hub_account_signs_in_then_gives_the_hubs_code(
    client: Client, cast: dict[str, Any], oidc_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    priya = cast["police_practitioner"]
    priya.email = "priya@police.example"
    priya.save()
    response = _through_provider(
        client, monkeypatch, {"email": "Priya@police.example", "email_verified": True}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(priya.pk)
    # Signed in, but the hub's own second factor still comes first.
    gated = client.get("/requests/")
    assert gated.status_code == 302
    assert gated["Location"].startswith("/sign-in/two-factor")


def test_nobody_is_created_for_an_unknown_address(
    client: Client, cast: dict[str, Any], oidc_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = User.objects.count()
    response = _through_provider(
        client, monkeypatch, {"email": "stranger@police.example", "email_verified": True}
    )
    assert response.status_code == 302
    assert response["Location"] == "/sign-in?oidc=failed"
    assert User.objects.count() == users
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert b"not linked to a user of the hub" in page.content


def test_an_unverified_address_is_refused(
    client: Client, cast: dict[str, Any], oidc_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    priya = cast["police_practitioner"]
    priya.email = "priya@police.example"
    priya.save()
    _through_provider(
        client, monkeypatch, {"email": "priya@police.example", "email_verified": False}
    )
    assert "_auth_user_id" not in client.session


def test_the_sign_in_page_offers_it_when_on(client: Client, db: Any, oidc_on: None) -> None:
    assert b"Sign in with your organisation's account" in client.get("/sign-in").content


def test_a_provider_that_fails_answers_the_failure_page_not_an_error(
    client: Client, cast: dict[str, Any], oidc_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import requests

    def down(url: str, **kwargs: Any) -> Any:
        raise requests.ConnectionError("provider unreachable")

    start = client.get("/oidc/authenticate/")
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", down)
    response = client.get(f"/oidc/callback/?code=a-code&state={state}")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in?oidc=failed"
