"""The REST API (django-ninja). Routers only: logic lives in the apps."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja.errors import Throttled

from mash.api.openapi import HubAPI
from mash.api.throttling import HubRateThrottle, too_many_requests_message
from mash.enquiries.permissions import EnquiryRestricted

api = HubAPI(
    title="MASH information sharing hub API",
    version="1",
    description=(
        "The sharing decision of the MASH information sharing guidance, and the hub's "
        "enquiries, requests, decisions and record."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[HubRateThrottle()],
)


@api.exception_handler(Throttled)
def too_many_requests(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return api.create_response(request, {"detail": too_many_requests_message()}, status=429)


from mash.api.consent import router as consent_router  # noqa: E402
from mash.api.decisions import router as decisions_router  # noqa: E402
from mash.api.people import router as people_router  # noqa: E402
from mash.api.requests import router as requests_router  # noqa: E402

api.add_router("/decisions", decisions_router)


@api.exception_handler(EnquiryRestricted)
def _restricted(request: HttpRequest, exc: EnquiryRestricted) -> HttpResponse:
    """A restricted enquiry's data is opened only through the web pages, where the
    glass can be broken with a reason (see mash.enquiries.permissions)."""
    return api.create_response(
        request,
        {"detail": "The enquiry is restricted: break the glass in the hub's pages first."},
        status=403,
    )


api.add_router("/consent/", consent_router)
api.add_router("/requests", requests_router)
api.add_router("/people", people_router)
