"""The REST API (django-ninja). Routers only: logic lives in the apps."""

from __future__ import annotations

from mash.api.openapi import HubAPI

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
)

from mash.api.consent import router as consent_router  # noqa: E402
from mash.api.decisions import router as decisions_router  # noqa: E402

api.add_router("/decisions", decisions_router)
api.add_router("/consent/", consent_router)
