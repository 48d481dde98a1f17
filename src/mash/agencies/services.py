"""Agencies and the people who sign in: the only writer of both.

Used by the demo and by set-up scripts; the Django admin is the administrator's way
to change them by hand. Neither holds personal data about the people an enquiry is
about, so these writes leave no entry in the record (sign-ins do, see ``views``).
"""

from __future__ import annotations

from django.db import transaction

from .models import Agency, Role, User


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
