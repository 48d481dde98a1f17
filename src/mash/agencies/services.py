"""Agencies and the people who sign in: the only writer of both.

Used by the demo and by set-up scripts; the Django admin is the administrator's way
to change them by hand. Neither holds personal data about the people an enquiry is
about, so these writes leave no entry in the record (sign-ins do, see ``views``).
Two-factor set-up, reset and sign-out everywhere are recorded.
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from mash.records.models import Action
from mash.records.services import record, record_sign_in_failed

from . import sealing
from .models import Agency, Role, User
from .models import SealedTOTPDevice as TOTPDevice


def ensure_agency(*, code: str, name: str, kind: str, is_hub: bool = False) -> Agency:
    """The agency with this code, created or brought up to date (idempotent)."""
    with transaction.atomic():
        agency, _created = Agency.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "is_hub": is_hub, "active": True}
        )
        return agency


def ensure_user(
    *,
    username: str,
    password: str,
    agency: Agency | None,
    role: str,
    first_name: str = "",
    last_name: str = "",
    job_title: str = "",
    superuser: bool = False,
) -> User:
    """The user with this username, created or brought up to date, with this password
    (idempotent: running it again changes nothing but the password hash)."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    with transaction.atomic():
        user = User.objects.filter(username=username).first() or User(username=username)
        user.agency = agency
        user.role = role
        user.first_name = first_name
        user.last_name = last_name
        user.job_title = job_title
        user.is_active = True
        user.is_staff = superuser
        user.is_superuser = superuser
        user.set_password(password)
        user.save()
        return user


# --- Two-factor sign-in (django-otp) -----------------------------------------------------
#
# Every user signs in with a password and then a code from an authenticator app (TOTP,
# RFC 6238) or one of their recovery codes (single-use, django-otp static tokens). The
# record keeps that it happened, never a secret or a code.

TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    """The user's authenticator app, once set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def ensure_authenticator(*, user: User) -> TOTPDevice:
    """The user's confirmed authenticator, made if they have none (the demo's users come
    set up, their secrets printed; not for real accounts, which set up their own)."""
    with transaction.atomic():
        device = confirmed_totp_device(user)
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
        return device


def start_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator device this user is setting up (a new secret the
    first time; the same one when the page is reloaded, so a scanned code keeps working)."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
        return device


def base32_secret(device: TOTPDevice) -> str:
    """The device's secret as authenticator apps and ``oathtool -b`` take it."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def new_recovery_codes(*, user: User) -> list[str]:
    """Replace the user's recovery codes with ``MASH_RECOVERY_CODES`` fresh ones and
    return them (they are shown once)."""
    count = int(getattr(settings, "MASH_RECOVERY_CODES", 10))
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(count)]
        StaticToken.objects.bulk_create(
            [StaticToken(device=device, token=sealing.recovery_hash(c)) for c in codes]
        )
        return codes


def confirm_enrolment(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a code it shows; on success the user's other
    authenticators go, fresh recovery codes are made and returned, and the record gains
    an entry. ``None`` when the code is wrong (recorded as a failed sign-in)."""
    if device.user_id != user.pk or device.confirmed:
        return None
    with transaction.atomic():
        if not device.verify_token(_digits(code)):
            record_sign_in_failed(user_id=user.pk)
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user=user)
        record(action=Action.TWO_FACTOR_ENROLLED, actor=user, obj=user)
        return codes


def verify_second_factor(*, user: User, code: str) -> Device | None:
    """The device that accepts ``code`` (the authenticator's six digits, or an unused
    recovery code, which is then used up), or ``None``, recorded as a failed sign-in.
    django-otp refuses codes for a growing while after each wrong one (throttling)."""
    with transaction.atomic():
        typed = code.strip()
        device: Device | None = None
        totp = confirmed_totp_device(user)
        if totp is not None and _digits(typed).isdigit() and len(_digits(typed)) == 6:
            device = totp if totp.verify_token(_digits(typed)) else None
        if device is None:
            recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
            if recovery is not None and _use_recovery_code(recovery, typed):
                device = recovery
        if device is None:
            record_sign_in_failed(user_id=user.pk)
            return None
        record(
            action=Action.TWO_FACTOR_VERIFIED,
            actor=user,
            obj=user,
            details={"method": "recovery_code" if device is not totp else "authenticator"},
        )
        return device


def reseal_authenticators(*, batch_size: int = 500) -> int:
    """Re-seal every authenticator secret not yet under the current master key (part of
    ``mash keys rotate``); returns how many were re-sealed. Safe to run again."""
    current = sealing.keyring().current
    resealed = 0
    with transaction.atomic():
        devices = TOTPDevice.objects.select_for_update().only("pk", "key", "user_id")
        for device in devices.iterator(chunk_size=batch_size):
            secret, master = sealing.open_totp_with(device.key, device.user_id)
            if master.id != current.id or not sealing.is_sealed(device.key):
                sealed = sealing.seal_totp(secret, device.user_id)
                resealed += TOTPDevice.objects.filter(pk=device.pk).update(key=sealed)
    return resealed


def second_factor_key_use() -> dict[str, dict[str, int]]:
    """Counts only, per master key id: authenticator secrets sealed and users whose
    recovery codes were made under it (``mash keys status``)."""
    use: dict[str, dict[str, int]] = {}
    for device in TOTPDevice.objects.only("pk", "key", "user_id").iterator():
        try:
            key_id = sealing.open_totp_with(device.key, device.user_id)[1].id
        except sealing.SecretUnreadable:
            key_id = "unknown"
        use.setdefault(key_id, {"authenticators": 0, "recovery_code_users": 0})
        use[key_id]["authenticators"] += 1
    tokens = StaticToken.objects.values_list("device__user_id", "token").distinct()
    users: dict[str, set[object]] = {}
    for user_id, token in tokens.iterator():
        key_id = sealing.recovery_key_id(token) or "unknown"
        users.setdefault(key_id, set()).add(user_id)
    for key_id, who in users.items():
        use.setdefault(key_id, {"authenticators": 0, "recovery_code_users": 0})
        use[key_id]["recovery_code_users"] = len(who)
    return use


def reset_two_factor(*, user: User, actor: User) -> None:
    """An administrator's reset: the user's authenticator and recovery codes go, every
    session of theirs ends, and they set two-factor up again at their next sign-in."""
    with transaction.atomic():
        for model in (TOTPDevice, StaticDevice):
            model.objects.filter(user=user).delete()
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        record(action=Action.TWO_FACTOR_RESET, actor=actor, obj=user)


def sign_out_everywhere(*, user: User) -> None:
    """End every session of this user, on every device (the session middleware compares
    each session's epoch with the user's)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        record(action=Action.SIGNED_OUT_EVERYWHERE, actor=user, obj=user)


def _use_recovery_code(device: StaticDevice, typed: str) -> bool:
    """Use up the recovery code ``typed`` (stored only as its HMAC, under whichever
    master key was current when it was made); django-otp's throttling counts a miss."""
    candidates = sealing.recovery_candidates(typed)
    match = device.token_set.filter(token__in=candidates).values_list("token", flat=True)
    return bool(device.verify_token(next(iter(match), candidates[0])))


def _digits(code: str) -> str:
    return "".join(code.split())
