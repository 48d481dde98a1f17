"""Site-wide pages: the start page and the error pages (which never show personal data)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.urls import NoReverseMatch

from mash.enquiries.permissions import EnquiryRestricted
from mash.enquiries.views import restricted
from mash.lib.context_processors import public_context


def start(request: HttpRequest) -> HttpResponse:
    agency = getattr(request.user, "agency", None)
    # An administrator looks after users, not cases: no list of cases to go to.
    works_on_cases = getattr(request.user, "role", "") != "administrator"
    if request.user.is_authenticated and agency is not None and works_on_cases:
        target = "enquiries:list" if agency.is_hub else "sharing:inbox"
        try:
            return redirect(target)
        except NoReverseMatch:  # that part of the hub is not installed yet
            pass
    return render(request, "start.html")


def _error(request: HttpRequest, status: int, title: str, body: str) -> HttpResponse:
    """An error page that never touches the database: rendered without the request's
    context processors (the signed-in user, the notifications count, messages in the
    session all query it), with the public navigation only. So the 500 page still
    renders when the database is what failed, and a 404 or 403 adds no query."""
    html = get_template("error.html").render(
        {"title": title, "body": body, **public_context(request)}
    )
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        400,
        "Sorry, there is a problem with that request",
        "Check the address or go back and try again.",
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, EnquiryRestricted):
        return restricted(request, exception.enquiry)
    return _error(
        request,
        403,
        "You do not have access to this page",
        "If you think you should, speak to your manager or your hub's administrator.",
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        "Sorry, we could not accept that form",
        "Your session may have ended. Go back, reload the page and try again.",
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. "
        "If you pasted it, check you copied the entire address.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you entered has been half-saved.",
    )
