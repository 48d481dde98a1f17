"""The REST API (django-ninja). Routers only: logic lives in the apps."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja.errors import Throttled

from mash.api.openapi import HubAPI
from mash.api.throttling import HubRateThrottle, too_many_requests_message

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

api.add_router("/decisions", decisions_router)
api.add_router("/consent/", consent_router)
