from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD


def test_it_signs_in_with_the_right_password(client: Any, cast: dict[str, Any]) -> None:
    response = client.post("/sign-in", {"username": "hana", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(cast["hub_practitioner"].pk)


def test_it_rejects_a_wrong_password_with_a_clear_message(
    client: Any, cast: dict[str, Any]
) -> None:
    response = client.post("/sign-in", {"username": "hana", "password": "wrong"})
    assert response.status_code == 200
    assert b"Enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_a_post(client_for: Any) -> None:
    c = client_for("hub_practitioner")
    assert c.get("/sign-out").status_code == 405
    assert c.post("/sign-out").status_code == 302
