"""Second-factor secrets are sealed at rest: a copy of the database alone does not let
anyone make a user's sign-in codes (mash.agencies.sealing; docs/security.md)."""

from __future__ import annotations

import base64
import importlib
import io
import json
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mash.agencies import sealing, services
from mash.agencies.models import SealedTOTPDevice
from mash.keys import keyring as keyring_module
from tests.conftest import PASSWORD
from tests.two_factor import code_from_secret, give_password, next_code

pytestmark = pytest.mark.django_db


def _column(table: str, column: str, pk: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def test_the_authenticator_secret_is_not_in_its_column(cast: dict[str, Any]) -> None:
    device = services.ensure_authenticator(user=cast["police_practitioner"])
    stored = _column("otp_totp_totpdevice", "key", device.pk)
    assert sealing.is_sealed(stored)
    assert device.bin_key.hex() not in stored
    assert len(device.bin_key) == 20


def test_a_code_from_the_secret_shown_signs_in(client: Client, cast: dict[str, Any]) -> None:
    user = cast["police_practitioner"]
    device = services.ensure_authenticator(user=user)
    give_password(client, user.username, PASSWORD)
    response = client.post("/sign-in/two-factor", {"code": next_code(device)})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_secret_moved_to_another_user_does_not_open(cast: dict[str, Any]) -> None:
    one = services.ensure_authenticator(user=cast["police_practitioner"])
    other = services.ensure_authenticator(user=cast["health_practitioner"])
    SealedTOTPDevice.objects.filter(pk=other.pk).update(key=one.key)
    other.refresh_from_db()
    with pytest.raises(sealing.SecretUnreadable):
        _ = other.bin_key


def test_codes_made_from_what_the_column_holds_are_refused(cast: dict[str, Any]) -> None:
    device = services.ensure_authenticator(user=cast["police_practitioner"])
    raw = TOTPDevice.objects.get(pk=device.pk)  # django-otp's own class: the column as is
    assert raw.bin_key != device.bin_key
    from_column = code_from_secret(base64.b32encode(raw.bin_key).decode())
    assert from_column != code_from_secret(base64.b32encode(device.bin_key).decode())
    assert not device.verify_token(from_column)


def test_recovery_codes_are_kept_only_as_their_hmac(cast: dict[str, Any]) -> None:
    user = cast["police_practitioner"]
    codes = services.new_recovery_codes(user=user)
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert stored == {sealing.recovery_hash(code) for code in codes}
    assert not any(code in token for code in codes for token in stored)
    device = services.verify_second_factor(user=user, code=codes[0].upper())
    assert isinstance(device, StaticDevice)
    assert services.verify_second_factor(user=user, code=codes[0]) is None  # used up


def test_after_a_master_key_rotation_both_factors_still_work(
    cast: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    user = cast["police_practitioner"]
    device = services.ensure_authenticator(user=user)
    secret = device.bin_key
    codes = services.new_recovery_codes(user=user)
    old = keyring_module.keyring().current
    new_key = keyring_module.generate_key_text()
    monkeypatch.setenv("MASH_MASTER_KEY", new_key)
    monkeypatch.setenv("MASH_MASTER_KEY_PREVIOUS", base64.b64encode(old.key).decode())
    keyring_module.forget()
    try:
        assert keyring_module.keyring().current.id != old.id
        device.refresh_from_db()
        assert device.bin_key == secret
        assert services.verify_second_factor(user=user, code=codes[1]) is not None
        resealed = services.reseal_authenticators()
        assert resealed == 1
        device.refresh_from_db()
        assert device.bin_key == secret
        assert sealing.open_totp_with(device.key, user.pk)[1].id != old.id
    finally:
        keyring_module.forget()


def test_the_migration_seals_what_was_stored_in_django_otps_own_form(
    cast: dict[str, Any],
) -> None:
    user = cast["police_practitioner"]
    secret = bytes(range(20))
    device = TOTPDevice.objects.create(user=user, name="old", key=secret.hex(), confirmed=True)
    static = StaticDevice.objects.create(user=user, name="old codes", confirmed=True)
    StaticToken.objects.create(device=static, token="abcd2345")
    migration = importlib.import_module(
        "mash.agencies.migrations.0003_sealed_second_factor_secrets"
    )
    migration.seal_existing(apps, None)
    sealed = SealedTOTPDevice.objects.get(pk=device.pk)
    assert sealing.is_sealed(sealed.key) and sealed.bin_key == secret
    assert list(static.token_set.values_list("token", flat=True)) == [
        sealing.recovery_hash("abcd2345")
    ]
    migration.seal_existing(apps, None)  # run again: nothing changes
    assert SealedTOTPDevice.objects.get(pk=device.pk).bin_key == secret


def test_keys_status_counts_second_factors_still_needing_a_previous_key(
    cast: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    user = cast["police_practitioner"]
    services.ensure_authenticator(user=user)
    services.new_recovery_codes(user=user)
    old = keyring_module.keyring().current
    monkeypatch.setenv("MASH_MASTER_KEY", keyring_module.generate_key_text())
    monkeypatch.setenv("MASH_MASTER_KEY_PREVIOUS", base64.b64encode(old.key).decode())
    keyring_module.forget()
    try:
        out = io.StringIO()
        call_command("keys", "status", "--json", stdout=out)
        state = json.loads(out.getvalue())
        assert state["second_factor"][old.id] == {"authenticators": 1, "recovery_code_users": 1}
        assert old.id in state["previous_still_needed"]
        out = io.StringIO()
        call_command("keys", "rotate", stdout=out)
        assert "Re-sealed 1 authenticator secrets" in out.getvalue()
        out = io.StringIO()
        call_command("keys", "status", "--json", stdout=out)
        state = json.loads(out.getvalue())
        assert state["second_factor"][old.id] == {"authenticators": 0, "recovery_code_users": 1}
        assert old.id in state["previous_still_needed"]  # the recovery codes need it
    finally:
        keyring_module.forget()
