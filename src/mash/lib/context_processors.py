from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

# (url name, label, who sees it). Who: "hub", "agency", "dpo", "hub_dpo" (the hub's data
# protection officer), "any", "public", "signed_in", "working" (practitioners and
# managers of any agency), "partner_manager" (managers of a partner agency),
# "hub_oversight" (the hub's managers and DPO), "partner_worker" (practitioners and
# managers of a partner agency), "case_role" (practitioners, managers and DPOs of any
# agency).
NAVIGATION: list[tuple[str, str, str]] = [
    ("my-work", "My work", "hub"),
    ("enquiries:list", "Enquiries", "hub"),
    ("sharing:inbox", "Requests", "agency"),
    ("concerns:list", "Concerns raised", "partner_worker"),
    ("strategy:list", "Strategy discussions", "partner_worker"),
    ("people:search", "Search", "case_role"),
    ("sharing:advice-list", "Advice requests", "working"),
    ("sharing:signoff-list", "Waiting for sign-off", "partner_manager"),
    ("reports:dashboard", "Reports", "hub_oversight"),
    ("records:dashboard", "Record", "dpo"),
    ("retention:preview", "Retention", "hub_dpo"),
    ("decision-check", "Check a sharing decision", "any"),
    ("account", "Your account", "signed_in"),
]


def _visible(user: Any, who: str) -> bool:
    if who == "any":
        return True
    if not user.is_authenticated:
        return False
    agency = getattr(user, "agency", None)
    if who == "hub":
        return agency is not None and agency.is_hub
    if who == "agency":
        return agency is not None and not agency.is_hub
    role = getattr(user, "role", "")
    if who == "working":
        return agency is not None and role in {"practitioner", "manager"}
    if who == "partner_worker":
        return agency is not None and not agency.is_hub and role in {"practitioner", "manager"}
    if who == "case_role":
        return agency is not None and role in {"practitioner", "manager", "dpo"}
    if who == "partner_manager":
        return agency is not None and not agency.is_hub and role == "manager"
    if who == "hub_oversight":
        return agency is not None and agency.is_hub and role in {"manager", "dpo"}
    if who == "signed_in":
        return True
    if who == "dpo":
        return getattr(user, "role", "") in {"dpo", "manager"}
    if who == "hub_dpo":
        return getattr(user, "role", "") == "dpo" and agency is not None and agency.is_hub
    return False


def _navigation(user: Any, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for name, label, who in NAVIGATION:
        if not _visible(user, who):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # that part of the hub is not installed
        items.append({"url": url, "label": label, "active": False})
    # One current page: the item whose address is the longest start of the path (so
    # /requests/advice/ is "Advice requests", not also "Requests").
    matching = [i for i in items if path.startswith(str(i["url"]))]
    if matching:
        max(matching, key=lambda i: len(str(i["url"])))["active"] = True
    return items


def public_context(request: HttpRequest) -> dict[str, Any]:
    """What the error pages show: the service's name and the public navigation, with
    no look at the signed-in user (which would query the database)."""
    return {
        "service_name": settings.MASH_SERVICE_NAME,
        "nav_items": _navigation(AnonymousUser(), request.path),
    }


def service(request: HttpRequest) -> dict[str, Any]:
    # An error page may be rendered before AuthenticationMiddleware has run (a bad Host
    # header is refused by CommonMiddleware, which comes first): nobody is signed in then.
    user = getattr(request, "user", None) or AnonymousUser()
    if user.is_authenticated and not getattr(user, "is_verified", lambda: False)():
        user = AnonymousUser()  # half signed in (no code yet): only the public pages
    return {
        "service_name": settings.MASH_SERVICE_NAME,
        "nav_items": _navigation(user, request.path),
    }
