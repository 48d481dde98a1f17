"""Sessions end when they should, and nothing in the hub is reachable before the second
factor (default deny).

For every request from a signed-in person, in order:

1. **Sign out everywhere**: the session was started before the user's latest "sign out
   everywhere" (or an administrator's two-factor reset): it ends.
2. **Absolute timeout**: ``SESSION_ABSOLUTE_HOURS`` after signing in, whatever happens.
3. **Idle timeout**: ``SESSION_IDLE_MINUTES`` without a request.
4. **Two-factor**: until a code is accepted, only the sign-in steps, sign-out and static
   files answer; every other page redirects to the next sign-in step and the API answers
   401.

An ended session is recorded (``auth.session_timed_out`` with the reason) and the person
lands on the sign-in page with a message saying why.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from mash.agencies.backends import PREFETCHED_DEVICES_ATTR, reading
from mash.records.models import Action
from mash.records.services import record

SIGNED_IN_AT = "mash_signed_in_at"
LAST_SEEN_AT = "mash_last_seen_at"
SESSION_EPOCH = "mash_session_epoch"

# A request notes when the person was last seen at most this often, so most requests
# change nothing in the session and write nothing (``SESSION_SAVE_EVERY_REQUEST`` is off:
# a session is saved when it changes). The idle timeout counts from the last note, so it
# may end a session up to this much sooner than ``SESSION_IDLE_MINUTES``, never later.
LAST_SEEN_EVERY_SECONDS = 60

# Paths a person who has given their password, but no code yet, may reach.
BEFORE_SECOND_FACTOR = ("/sign-in", "/sign-out", "/static/", "/oidc/")

REASONS = {
    "everywhere": "You were signed out because you chose to sign out everywhere, or an "
    "administrator reset your sign-in. Sign in again.",
    "absolute": "You were signed out because you had been signed in for {hours} hours. "
    "Sign in again.",
    "idle": "You were signed out because you had not used the hub for {minutes} minutes. "
    "Sign in again.",
}


@receiver(user_logged_in, dispatch_uid="mash.agencies.session_started")
def session_started(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Note when the session started and which sign-out-everywhere epoch it belongs to."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now
    # From the database: the object signing in may predate a sign-out everywhere.
    session[SESSION_EPOCH] = (
        type(user)
        ._default_manager.filter(pk=user.pk)
        .values_list("session_epoch", flat=True)
        .first()
    )


def _ended_because(request: HttpRequest) -> str | None:
    session = request.session
    user: Any = request.user
    now = time.time()
    if session.get(SESSION_EPOCH) != user.session_epoch:
        return "everywhere"
    signed_in_at = session.get(SIGNED_IN_AT)
    if not isinstance(signed_in_at, int | float):
        return "absolute"  # a session from before these rules: start again
    if now - signed_in_at > settings.SESSION_ABSOLUTE_HOURS * 3600:
        return "absolute"
    last_seen = session.get(LAST_SEEN_AT, signed_in_at)
    if not isinstance(last_seen, int | float) or now - last_seen > (
        settings.SESSION_IDLE_MINUTES * 60
    ):
        return "idle"
    return None


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _hours(value: float) -> str:
    return f"{value:g}"


class SignInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        reason = _ended_because(request)
        if reason is not None:
            return self._end(request, reason)
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_AT)
        if not isinstance(last_seen, int | float) or now - last_seen >= LAST_SEEN_EVERY_SECONDS:
            request.session[LAST_SEEN_AT] = now
        if not user.is_verified() and not request.path.startswith(BEFORE_SECOND_FACTOR):
            if _is_api(request):
                return JsonResponse(
                    {"detail": "Finish signing in: enter the code from your authenticator app."},
                    status=401,
                )
            return redirect(f"/sign-in/two-factor?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _end(self, request: HttpRequest, reason: str) -> HttpResponse:
        user: Any = request.user
        record(action=Action.SESSION_TIMED_OUT, actor=user, obj=user, details={"reason": reason})
        logout(request)
        if _is_api(request):
            return JsonResponse({"detail": "Your session has ended. Sign in again."}, status=401)
        messages.info(
            request,
            REASONS[reason].format(
                hours=_hours(settings.SESSION_ABSOLUTE_HOURS),
                minutes=settings.SESSION_IDLE_MINUTES,
            ),
        )
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect("/sign-in" + (f"?{query}" if query else ""))


class HubOTPMiddleware(OTPMiddleware):
    """django-otp's middleware (``request.user.otp_device``, ``is_verified()``), taking
    the session's device from those the user was loaded with
    (``backends.SignedInUserInOneQuery``) instead of a query of its own on every
    request. The same rules: the session names the device, and django-otp's
    ``_finalize_device`` accepts it only if it is this user's and confirmed (otherwise
    the session forgets it). A device not among them (another kind, or a user loaded
    some other way) is looked up as django-otp does."""

    # Served by WSGI: Django adapts this middleware where anything runs async (the
    # device is settled at once below, which may ask the database).
    async_capable = False

    def _install_lazy_accessors(self, request: Any) -> None:
        # django-otp wraps the user in a lazy proxy of its own; the user is already
        # loaded (``HubAuthenticationMiddleware``), so the device is settled at once.
        user = getattr(request, "user", None)
        super()._install_lazy_accessors(request)  # ``request.auser``, as django-otp does
        if user is not None:
            request.user = self._verify_user_sync(request, user)

    def _verify_user_sync(self, request: Any, user: Any) -> Any:
        self._init_user_fields(user)
        if user.is_authenticated:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            device = None
            if persistent_id:
                persistent_id = self._normalize_persistent_id(persistent_id)
                prefetched = getattr(user, PREFETCHED_DEVICES_ATTR, None)
                if prefetched is not None and persistent_id in prefetched:
                    device = prefetched[persistent_id]
                else:
                    device = self._device_from_persistent_id(persistent_id)
            user.otp_device = self._finalize_device(request, user, device)
        return user


def user_of(request: Any) -> Any:
    """Django's ``auth.get_user`` for the request (cached on it, as Django's middleware
    caches it), while the authentication backend may take the user's rows that the
    session's own read brought (``mash.agencies.sessions``): one round trip for the
    session and the user, not two. Every check is Django's: the user the session's
    data names, by a backend the settings list, active, and the session's hash."""
    if not hasattr(request, "_cached_user"):
        with reading(request.session):
            request._cached_user = auth.get_user(request)
    return request._cached_user


class HubAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware``, finding the user by ``user_of``, at once
    rather than lazily: ``SignInMiddleware`` asks who it is on every request anyway,
    and a lazy proxy made each of a request's dozens of look-ups on the user dearer
    (issue 13). A request with no session cookie costs no query either way."""

    def process_request(self, request: Any) -> None:
        super().process_request(request)  # ``request.auser``, for async views
        request.user = user_of(request)
