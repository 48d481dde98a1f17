"""Optional sign-in through an agency's own identity provider (OpenID Connect, with
mozilla-django-oidc). Off unless ``OIDC_ENABLED``; configured from the environment
(settings, docs/operations.md).

The provider vouches for who someone is; the hub decides who may come in. A person is
matched to an existing, active user of the hub by the e-mail address the provider gives
(which it must not mark unverified); nobody is ever created from a provider's claims, and
an address matching no user, or more than one, is refused. The hub's own second factor
still follows: the hub cannot see whether the provider asked for one.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from .models import User

logger = logging.getLogger(__name__)


class HubOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if not settings.OIDC_ENABLED:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError):
            # The provider failed or sent something wrong: no sign-in, and no details
            # (tokens, claims) in the log.
            logger.warning("OpenID Connect sign-in failed at the provider step")
            return None

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(super().verify_claims(claims)) and claims.get("email_verified") is not False

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        email = claims.get("email")
        if not isinstance(email, str) or not email.strip():
            return User.objects.none()
        return User.objects.filter(email__iexact=email.strip(), is_active=True)

    def create_user(self, claims: dict[str, Any]) -> Any:
        """Never: only people the hub's administrator added may sign in."""
        return None


def _enabled() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404("OpenID Connect sign-in is not turned on")


def authentication_init(request: HttpRequest) -> HttpResponse:
    """Off to the agency's identity provider."""
    _enabled()
    return OIDCAuthenticationRequestView.as_view()(request)


def authentication_callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: signed in (then the hub's second factor), or refused."""
    _enabled()
    return OIDCAuthenticationCallbackView.as_view()(request)
