from __future__ import annotations

from typing import Any


def test_every_page_carries_a_strict_content_security_policy(client: Any, db: Any) -> None:
    response = client.get("/sign-in")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"  # no-referrer breaks CSRF on POST
    assert "no-store" in response["Cache-Control"]


def test_each_response_names_its_correlation_id(client: Any, db: Any) -> None:
    response = client.get("/sign-in", HTTP_X_REQUEST_ID="abcdef12-3456")
    assert response["X-Request-ID"] == "abcdef12-3456"
    other = client.get("/sign-in", HTTP_X_REQUEST_ID="bad id with spaces")
    assert other["X-Request-ID"] != "bad id with spaces"
