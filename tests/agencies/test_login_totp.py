"""After the password, a code from the authenticator app; nothing else answers before it."""

from __future__ import annotations

from typing import Any

from django.test import Client

from mash.records.models import RecordEntry
from tests.conftest import PASSWORD
from tests.two_factor import confirmed_device, give_password, next_code


def test_the_password_leads_to_the_code_page_not_into_the_hub(
    client: Client, cast: dict[str, Any]
) -> None:
    confirmed_device(cast["hub_practitioner"])
    response = give_password(client, "hana", PASSWORD, next_page="/enquiries/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/two-factor?next=%2Fenquiries%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"Enter the code from your authenticator app" in page.content


def test_it_signs_in_with_the_right_code_and_goes_where_it_was_asked(
    client: Client, cast: dict[str, Any]
) -> None:
    device = confirmed_device(cast["hub_practitioner"])
    give_password(client, "hana", PASSWORD, next_page="/enquiries/")
    response = client.post(
        "/sign-in/two-factor", {"code": next_code(device), "next": "/enquiries/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/enquiries/"
    assert client.get("/enquiries/").status_code == 200
    entry = RecordEntry.objects.filter(action="auth.two_factor_verified").get()
    assert entry.actor_username == "hana"
    assert entry.details == {"method": "authenticator"}


def test_it_rejects_an_incorrect_code_with_a_clear_message_and_records_it(
    client: Client, cast: dict[str, Any]
) -> None:
    device = confirmed_device(cast["hub_practitioner"])
    give_password(client, "hana", PASSWORD)
    wrong = f"{(int(next_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/sign-in/two-factor", {"code": wrong})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b'href="#id_code"' in response.content
    assert b"Enter the 6-digit code your authenticator app shows now" in response.content
    assert client.get("/enquiries/").status_code == 302
    failed = RecordEntry.objects.filter(action="auth.sign_in_failed").get()
    assert failed.object_id == str(cast["hub_practitioner"].pk)
    assert wrong not in str(failed.details)


def test_it_rejects_an_empty_code(client: Client, cast: dict[str, Any]) -> None:
    confirmed_device(cast["hub_practitioner"])
    give_password(client, "hana", PASSWORD)
    response = client.post("/sign-in/two-factor", {"code": ""})
    assert response.status_code == 200
    assert b"Enter the code" in response.content


def test_a_code_works_once(cast: dict[str, Any]) -> None:
    device = confirmed_device(cast["hub_practitioner"])
    first, second = Client(), Client()
    give_password(first, "hana", PASSWORD)
    give_password(second, "hana", PASSWORD)
    code = next_code(device)
    assert first.post("/sign-in/two-factor", {"code": code}).status_code == 302
    again = second.post("/sign-in/two-factor", {"code": code})
    assert again.status_code == 200
    assert second.get("/enquiries/").status_code == 302


def test_nothing_in_the_hub_answers_between_the_password_and_the_code(
    client: Client, cast: dict[str, Any]
) -> None:
    confirmed_device(cast["hub_practitioner"])
    give_password(client, "hana", PASSWORD)
    for path in ["/", "/enquiries/", "/record/", "/account", "/admin/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/sign-in/two-factor?next="), path


def test_the_api_refuses_a_session_without_the_second_factor(
    client: Client, cast: dict[str, Any]
) -> None:
    confirmed_device(cast["hub_practitioner"])
    give_password(client, "hana", PASSWORD)
    response = client.get(
        "/api/v1/consent/people/00000000-0000-0000-0000-000000000000/position?agency=police"
    )
    assert response.status_code == 401
    assert "code from your authenticator app" in response.json()["detail"]


def test_the_admins_own_sign_in_page_sends_people_to_the_hubs(client: Client, db: Any) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in?next=/admin/"


def test_the_code_page_sends_someone_not_signed_in_to_the_sign_in_page(
    client: Client, db: Any
) -> None:
    response = client.get("/sign-in/two-factor")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in?next=")


def test_next_cannot_send_people_to_another_site(client: Client, cast: dict[str, Any]) -> None:
    device = confirmed_device(cast["hub_practitioner"])
    give_password(client, "hana", PASSWORD)
    response = client.post(
        "/sign-in/two-factor", {"code": next_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_new_session_key_is_issued_once_the_code_is_accepted(
    client: Client, cast: dict[str, Any]
) -> None:
    device = confirmed_device(cast["hub_practitioner"])
    give_password(client, "hana", PASSWORD)
    before = client.cookies["sessionid"].value
    client.post("/sign-in/two-factor", {"code": next_code(device)})
    assert client.cookies["sessionid"].value != before
