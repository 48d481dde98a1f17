"""Codes for the two-factor step, computed as an authenticator app would (RFC 6238) from
the secret the hub holds or shows. Used by the shared fixtures (tests/conftest.py), the
browser helper ``sign_in`` and the sign-in tests."""

from __future__ import annotations

import base64
import time
from typing import Any

from django_otp.oath import TOTP

from mash.agencies.services import TOTP_DEVICE_NAME


def code_from_secret(secret: str, *, at: float | None = None) -> str:
    """The 6-digit code for a base32 secret (as shown on the set-up page), now or ``at``."""
    cleaned = "".join(secret.split()).upper()
    key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    totp = TOTP(key)
    if at is not None:
        totp.time = at
    return f"{totp.token():0{totp.digits}d}"


def next_code(device: Any) -> str:
    """A code the device will accept now: for the current time step, or the next one if
    the current step's code was used already (a code works once), waiting if need be."""
    while True:
        device.refresh_from_db()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now_t = totp.t()
        wanted = max(now_t, device.last_t + 1)
        if wanted <= now_t + device.tolerance:
            totp.drift = device.drift + (wanted - now_t)
            return f"{totp.token():0{totp.digits}d}"
        time.sleep(1)


def confirmed_device(user: Any) -> Any:
    """The user's authenticator, made (already confirmed) if they have none."""
    from mash.agencies.models import SealedTOTPDevice as TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
    return device


def give_password(client: Any, username: str, password: str, next_page: str = "") -> Any:
    """The first sign-in step through the real form; returns the response."""
    data = {"username": username, "password": password}
    if next_page:
        data["next"] = next_page
    return client.post("/sign-in", data)


def sign_in_fully(client: Any, user: Any, password: str) -> Any:
    """Password, then a code from the user's authenticator (made if they have none)."""
    give_password(client, user.username, password)
    device = confirmed_device(user)
    return client.post("/sign-in/two-factor", {"code": next_code(device)})
