"""django-axes' lockout check, for sign-ins that come through a web request.

Every sign-in page of the hub passes the request to ``authenticate`` (the lockout counts
per username and address, so it needs one). A call with no request (a management command,
a script checking a password) has no address to lock and nobody to show the lockout
page to: it goes straight to the password check, as ``authenticate`` always did.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

# Where a user loaded for a request keeps their confirmed authenticators, by persistent id,
# for ``mash.agencies.middleware.HubOTPMiddleware`` (no second query for the device).
PREFETCHED_DEVICES_ATTR = "_mash_confirmed_devices"


class SignedInUserInOneQuery:
    """``get_user`` (the signed-in person of every request, from the session) in one
    query instead of three: the user, their agency and their confirmed authenticators
    together (``request.user.agency`` and django-otp's device look-up each cost a query
    of their own before). The same checks as Django's ``ModelBackend.get_user``: the user
    exists and may sign in (active); the session's checks (its auth hash, the backend)
    stay Django's, and the device is still checked against the session by django-otp's
    own rules (it belongs to this user and is confirmed)."""

    def get_user(self, user_id: Any) -> Any:
        from mash.agencies.models import SealedTOTPDevice, User

        devices = list(
            SealedTOTPDevice.objects.select_related("user", "user__agency").filter(
                user_id=user_id, confirmed=True
            )
        )
        if devices:
            user = devices[0].user
            for device in devices:
                device._state.fields_cache["user"] = user
        else:
            # Mid-enrolment (no confirmed authenticator yet): the user alone.
            user = User.objects.select_related("agency").filter(pk=user_id).first()
            if user is None:
                return None
        setattr(user, PREFETCHED_DEVICES_ATTR, {d.persistent_id: d for d in devices})
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class HubModelBackend(SignedInUserInOneQuery, ModelBackend):
    """Django's password check, with the signed-in user loaded in one query."""


class HubAxesBackend(AxesStandaloneBackend):
    def authenticate(
        self,
        request: Any = None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
