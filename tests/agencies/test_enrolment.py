"""Someone without an authenticator sets one up after their password: a QR code and the
secret as text, confirmed with a code; the record says so, without the secret."""

from __future__ import annotations

import base64
import re
from typing import Any

from django.test import Client

from mash.agencies.models import SealedTOTPDevice as TOTPDevice
from mash.records.models import RecordEntry
from tests.conftest import PASSWORD
from tests.two_factor import code_from_secret, give_password


def _secret(html: str) -> str:
    match = re.search(r'data-secret="([A-Z2-7]+)"', html)
    assert match, "the set-up page shows no secret"
    return match.group(1)


def test_the_password_of_someone_without_an_authenticator_leads_to_set_up(
    client: Client, cast: dict[str, Any]
) -> None:
    response = give_password(client, "hana", PASSWORD, next_page="/enquiries/")
    step = client.get(response["Location"])
    assert step.status_code == 302
    assert step["Location"] == "/sign-in/two-factor/set-up?next=%2Fenquiries%2F"


def test_the_set_up_page_shows_a_qr_code_and_the_secret_as_text(
    client: Client, cast: dict[str, Any]
) -> None:
    give_password(client, "hana", PASSWORD)
    page = client.get("/sign-in/two-factor/set-up")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and 'role="img"' in html and "<title" in html
    assert " style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    device = TOTPDevice.objects.get(user=cast["hub_practitioner"])
    assert not device.confirmed
    secret = _secret(html)
    assert base64.b32decode(secret) == device.bin_key  # what an authenticator app takes
    # The same secret on a reload, so a code already scanned keeps working.
    assert _secret(client.get("/sign-in/two-factor/set-up").content.decode()) == secret


def test_a_code_from_the_secret_shown_confirms_the_authenticator(
    client: Client, cast: dict[str, Any]
) -> None:
    give_password(client, "hana", PASSWORD, next_page="/enquiries/")
    secret = _secret(client.get("/sign-in/two-factor/set-up").content.decode())
    response = client.post(
        "/sign-in/two-factor/set-up", {"code": code_from_secret(secret), "next": "/enquiries/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/recovery-codes?next=%2Fenquiries%2F"
    assert TOTPDevice.objects.get(user=cast["hub_practitioner"]).confirmed
    assert client.get("/enquiries/").status_code == 200
    entry = RecordEntry.objects.filter(action="auth.two_factor_enrolled").get()
    assert entry.object_id == str(cast["hub_practitioner"].pk)
    assert secret not in str(entry.details) and secret.lower() not in str(entry.details)


def test_it_rejects_a_wrong_code_and_keeps_the_authenticator_unconfirmed(
    client: Client, cast: dict[str, Any]
) -> None:
    give_password(client, "hana", PASSWORD)
    secret = _secret(client.get("/sign-in/two-factor/set-up").content.decode())
    wrong = f"{(int(code_from_secret(secret)) + 1) % 1_000_000:06d}"
    response = client.post("/sign-in/two-factor/set-up", {"code": wrong})
    assert response.status_code == 200
    assert b'href="#id_code"' in response.content
    assert not TOTPDevice.objects.get(user=cast["hub_practitioner"]).confirmed
    assert client.get("/enquiries/").status_code == 302
    assert RecordEntry.objects.filter(action="auth.sign_in_failed").count() == 1
    assert not RecordEntry.objects.filter(action="auth.two_factor_enrolled").exists()


def test_someone_with_an_authenticator_is_not_offered_a_new_one(
    client: Client, cast: dict[str, Any]
) -> None:
    from tests.two_factor import confirmed_device

    confirmed_device(cast["hub_practitioner"])
    give_password(client, "hana", PASSWORD)
    response = client.get("/sign-in/two-factor/set-up")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/two-factor?")
