"""Agencies, users and roles.

An agency is a partner in the hub (police, health, education, ...) or the hub itself
(children's social care runs it). Every user belongs to one agency and has one role;
what they may see follows from the pair (see each app's ``permissions.py``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import sealing


class AgencyKind(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    OTHER = "other", "Other"


class Agency(models.Model):
    """A partner agency, or the hub. ``code`` is what the decision contract calls
    ``recipient_agency`` (e.g. ``police``)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=AgencyKind.choices)
    is_hub = models.BooleanField(
        default=False, help_text="The MASH itself: its staff see the hub's enquiries."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-is_hub", "name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    MANAGER = "manager", "Manager"
    DPO = "dpo", "Data protection officer"
    ADMINISTRATOR = "administrator", "Administrator"


class User(AbstractUser):
    """A person who signs in. Hub practitioner = practitioner in the hub agency;
    agency practitioner = practitioner in a partner agency."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    job_title = models.CharField(max_length=200, blank=True)
    session_epoch = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Raised by 'sign out everywhere': every session from before it ends.",
    )

    @property
    def in_hub(self) -> bool:
        return self.agency is not None and self.agency.is_hub

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class SealedTOTPDevice(TOTPDevice):
    """django-otp's authenticator (TOTP, RFC 6238) with its secret sealed under the
    hub's master key (``mash.agencies.sealing``): the ``key`` column holds AES-SIV
    ciphertext bound to the user, never the secret. The hub uses only this class."""

    class Meta:
        proxy = True
        verbose_name = "authenticator app"

    @property
    def bin_key(self) -> bytes:
        return sealing.open_totp(self._stored_key, self.user_id)

    @property
    def _stored_key(self) -> str:
        return str(self.__dict__["key"])  # what the column holds (django-otp is untyped)

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = self._stored_key
        if not sealing.is_sealed(stored):
            self.key = sealing.seal_totp(sealing.open_totp(stored, self.user_id), self.user_id)
            fields = kwargs.get("update_fields")
            if fields is not None:
                kwargs["update_fields"] = {*fields, "key"}
        super().save(*args, **kwargs)


class SignedInSession(AbstractBaseSession):
    """A browser's session (Django's database session: key, signed data, expiry), with
    the signed-in user's id beside the data, written from it whenever the session is
    saved (``mash.agencies.sessions``), so that every request reads its session and its
    user, their agency and their confirmed authenticators in one statement, not two
    (issue 13). The id in the data stays what Django checks; the column is only how the
    user's row is found in the same round trip."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "agencies_session"
        verbose_name = "session"

    @classmethod
    def get_session_store_class(cls) -> Any:
        from .sessions import SessionStore

        return SessionStore
