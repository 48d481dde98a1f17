"""Recovery codes: made at set-up, shown once, each signs in once instead of the app."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken

from mash.agencies.sealing import recovery_hash
from mash.records.models import RecordEntry
from tests.conftest import PASSWORD
from tests.two_factor import code_from_secret, give_password


def _enrol(client: Client) -> list[str]:
    give_password(client, "hana", PASSWORD)
    html = client.get("/sign-in/two-factor/set-up").content.decode()
    secret = re.search(r'data-secret="([A-Z2-7]+)"', html).group(1)  # type: ignore[union-attr]
    response = client.post("/sign-in/two-factor/set-up", {"code": code_from_secret(secret)})
    page = client.get(response["Location"])
    assert page.status_code == 200
    return re.findall(r"<code>([a-z2-7]+)</code>", page.content.decode())


def test_ten_recovery_codes_are_shown_after_set_up(client: Client, cast: dict[str, Any]) -> None:
    codes = _enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = set(
        StaticToken.objects.filter(device__user=cast["hub_practitioner"]).values_list(
            "token", flat=True
        )
    )
    # Only each code's HMAC under the master key is kept (mash.agencies.sealing).
    assert stored == {recovery_hash(c) for c in codes}
    assert not stored & set(codes)


def test_they_are_shown_once(client: Client, cast: dict[str, Any]) -> None:
    _enrol(client)
    again = client.get("/sign-in/recovery-codes")
    assert again.status_code == 302
    assert again["Location"] == "/"


def test_a_recovery_code_signs_in_instead_of_the_app_once(cast: dict[str, Any]) -> None:
    codes = _enrol(Client())
    first = Client()
    give_password(first, "hana", PASSWORD)
    response = first.post("/sign-in/two-factor", {"code": codes[0].upper()})
    assert response.status_code == 302
    assert first.get("/enquiries/").status_code == 200
    entry = RecordEntry.objects.filter(action="auth.two_factor_verified").latest("seq")
    assert entry.details == {"method": "recovery_code"}
    assert codes[0] not in str(entry.details)

    second = Client()
    give_password(second, "hana", PASSWORD)
    refused = second.post("/sign-in/two-factor", {"code": codes[0]})
    assert refused.status_code == 200
    assert b"There is a problem" in refused.content
    assert second.get("/enquiries/").status_code == 302


def test_the_recovery_codes_page_needs_the_second_factor(
    client: Client, cast: dict[str, Any]
) -> None:
    give_password(client, "hana", PASSWORD)
    assert client.get("/sign-in/recovery-codes")["Location"].startswith("/sign-in?")
