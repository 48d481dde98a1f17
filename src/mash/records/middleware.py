"""Two things the record catches for every request, whatever app answered it:

- a 403 answer nobody recorded (apps that refuse access to an object call
  ``record_denied`` themselves, with the object; this catches the rest);
- a 404 answer to a signed-in person for a page that names an object by id: the apps
  answer 404 for an object someone may not see exactly as for one that does not exist,
  so the DPO's list of refusals shows both (a probe of guessed ids looks the same);
- a page of the Django admin shown to a signed-in member of staff (the admin shows
  users and whatever else apps register there; it does not call ``record_view``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from .models import Action
from .services import (
    DENIED_RECORDED_ATTR,
    object_ids_in_url,
    record,
    record_forbidden_response,
)

# Admin pages that show nobody's information: signing in and out, the JavaScript
# catalogue, the admin's own password form.
ADMIN_PAGES_WITHOUT_PERSONAL_DATA = frozenset(
    {"login", "logout", "jsi18n", "password_change", "password_change_done"}
)


def _admin_object_type(url_name: str) -> str:
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if url_name.startswith(prefix):
            return model._meta.label_lower
    return ""


class RecordMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        already = getattr(request, DENIED_RECORDED_ATTR, False)
        if response.status_code == 403 and not already:
            record_forbidden_response(request, status=403)
        elif (
            response.status_code == 404
            and not already
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
            and object_ids_in_url(request)
        ):
            record_forbidden_response(request, status=404)
        elif response.status_code == 200 and request.method == "GET":
            self._record_admin_view(request)
        return response

    def _record_admin_view(self, request: HttpRequest) -> None:
        match = request.resolver_match
        if match is None or match.namespace != "admin" or not request.user.is_authenticated:
            return
        if match.url_name in ADMIN_PAGES_WITHOUT_PERSONAL_DATA:
            return
        record(
            action=Action.ADMIN_VIEWED,
            actor=request.user,
            object_type=_admin_object_type(match.url_name or ""),
            object_id=str(match.kwargs.get("object_id") or match.kwargs.get("id") or "")[:64]
            or None,
            details={"url_name": match.view_name},
        )
