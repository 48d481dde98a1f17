"""An error page can be rendered before AuthenticationMiddleware has given the request
a ``user`` (a bad Host header is refused by CommonMiddleware, which runs first): it
still renders the GOV.UK error page with the public navigation, never a 500."""

from __future__ import annotations

from typing import Any

from django.test import Client, RequestFactory

from mash.lib.context_processors import service


def test_a_refused_host_gets_the_bad_request_page_not_a_server_error(db: Any) -> None:
    response = Client().get("/", HTTP_HOST="not-this-hub.example")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Sorry, there is a problem with that request" in body
    assert "govuk-template" in body
    assert "Check a sharing decision" in body


def test_the_navigation_of_a_request_without_a_user_shows_only_public_pages() -> None:
    request = RequestFactory().get("/")
    assert not hasattr(request, "user")
    labels = [item["label"] for item in service(request)["nav_items"]]
    assert labels == ["Check a sharing decision"]
