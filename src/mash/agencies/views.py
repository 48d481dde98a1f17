"""Signing in: a password, then a code from an authenticator app (or a recovery code).

A person without an authenticator sets one up straight after their password (a QR code,
with the secret as text for typing in by hand), confirms it with a code, and is shown
their recovery codes once. Until the second step is done nothing else in the hub answers
(``mash.agencies.middleware``). Too many wrong passwords lock the username out from that
address for a while (django-axes, ``locked_out``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import services
from .qr import qr_svg

RECOVERY_CODES_SESSION_KEY = "mash_recovery_codes"


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label="Username", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account is not active. Speak to your hub's administrator.",
    }


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        strip=True,
        error_messages={"required": "Enter the code", "max_length": "Enter the code"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


def _next(request: HttpRequest) -> str:
    """The page to go to after signing in: ``next`` if it is on this site, else the start."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _verified(user: Any) -> bool:
    """Signed in with both factors (django-otp's middleware gives the user ``is_verified``)."""
    return bool(getattr(user, "is_verified", lambda: False)())


def _with_next(path: str, request: HttpRequest) -> str:
    return f"{path}?{urlencode({'next': _next(request)})}"


class SignInView(LoginView):
    template_name = "agencies/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        """The second step (which passes someone already verified straight on)."""
        return f"/sign-in/two-factor?{urlencode({'next': self.get_redirect_url() or '/'})}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["oidc_failed"] = self.request.GET.get("oidc") == "failed"
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        return context


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer once a username is locked out from an address: the sign-in
    page again, saying what happened and what to do (429 Too Many Requests)."""
    form = SignInForm(request)
    form.full_clean()  # an unbound form: no errors of its own, then the lockout's
    form.cleaned_data = {}
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form.add_error(
        None,
        f"This account is locked after {settings.AXES_FAILURE_LIMIT} failed sign-ins. "
        f"Try again in {minutes} minutes, or ask your hub's administrator to unlock it.",
    )
    return render(
        request,
        "agencies/sign_in.html",
        {
            "form": form,
            "next": _next(request),
            "oidc_enabled": settings.OIDC_ENABLED,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
        status=429,
    )


def _signed_in_without_code(request: HttpRequest) -> HttpResponse | None:
    """Where to send someone who should not be on a second-factor page, or ``None``."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect(_with_next("/sign-in", request))
    if _verified(user):
        return redirect(_next(request))
    return None


def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a recovery code."""
    elsewhere = _signed_in_without_code(request)
    if elsewhere is not None:
        return elsewhere
    user: Any = request.user
    if not services.has_two_factor(user):
        return redirect(_with_next("/sign-in/two-factor/set-up", request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_second_factor(user=user, code=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(_next(request))
        form.add_error(
            "code",
            "Enter the 6-digit code your authenticator app shows now, or one of your "
            "recovery codes",
        )
    return render(
        request,
        "agencies/two_factor.html",
        {"form": form, "next": _next(request)},
        status=200,
    )


def set_up(request: HttpRequest) -> HttpResponse:
    """Setting up an authenticator app: a QR code and the secret as text, then a code."""
    elsewhere = _signed_in_without_code(request)
    if elsewhere is not None:
        return elsewhere
    user: Any = request.user
    if services.has_two_factor(user):
        return redirect(_with_next("/sign-in/two-factor", request))
    device = services.start_enrolment(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_enrolment(user=user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            request.session.cycle_key()
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect(_with_next("/sign-in/recovery-codes", request))
        form.add_error(
            "code", "Enter the 6-digit code your authenticator app shows for the hub now"
        )
    secret = services.base32_secret(device)
    return render(
        request,
        "agencies/set_up.html",
        {
            "form": form,
            "next": _next(request),
            "qr": qr_svg(device.config_url, title="QR code to scan with your authenticator app"),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        },
    )


def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes made at set-up, shown once."""
    user: Any = request.user
    if not user.is_authenticated or not _verified(user):
        return redirect(_with_next("/sign-in", request))
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect(_next(request))
    return render(request, "agencies/recovery_codes.html", {"codes": codes, "next": _next(request)})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Your account: sign out everywhere."""
    return render(request, "agencies/account.html")


@require_POST
@login_required
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    services.sign_out_everywhere(user=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.success(request, "You have been signed out everywhere: on every device and browser.")
    return redirect("sign-in")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("sign-in")
