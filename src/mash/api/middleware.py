"""Every answer from ``/api/`` is the API's: JSON in the documented error shape.

The API's operations answer their own errors as JSON (django-ninja), but some requests
never reach them, and Django answers those with its HTML error pages: a body over
Django's upload limit (400), an unknown path (404), a method the path does not take
(405). This middleware, outside everything else for ``/api/`` paths,

- refuses a body over ``MASH_API_MAX_BODY_BYTES`` with **413** before it is read;
- refuses a body nested deeper than ``mash.lib.jsonlimits.MAX_DEPTH`` with **422**
  before it is parsed (``{"detail": [{"loc": ["body"], "field": "", "msg": ...,
  "type": "json_too_deep"}]}``, the shape of every 422 the API gives);
- turns any other 4xx that is not JSON into ``{"detail": "..."}`` (``ErrorMessage``),
  keeping the status and headers such as ``Allow`` and ``Retry-After``.

The limits are documented on every operation with a body (``mash.api.openapi``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from mash.lib.jsonlimits import MAX_DEPTH, nesting_depth_exceeds, too_deep_message

API_PREFIX = "/api/"

MESSAGES = {
    400: "The request could not be read.",
    401: "Sign in first.",
    403: "You do not have access to this.",
    404: "Not found, or not visible to you.",
    405: "This path does not take that method.",
    413: "The body is too large.",
}


def max_body_bytes() -> int:
    return int(getattr(settings, "MASH_API_MAX_BODY_BYTES", 1024 * 1024))


def too_large_message() -> str:
    limit = max_body_bytes()
    return f"The body is too large: at most {limit} bytes ({limit // 1024} KiB)."


def too_deep_response() -> JsonResponse:
    return JsonResponse(
        {
            "detail": [
                {
                    "loc": ["body"],
                    "field": "",
                    "msg": f"The body {too_deep_message(MAX_DEPTH)}",
                    "type": "json_too_deep",
                }
            ]
        },
        status=422,
    )


def _is_json(response: HttpResponse) -> bool:
    kind = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")


class APIErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        refused = self._refused(request)
        response = refused if refused is not None else self.get_response(request)
        return self._as_json(response)

    def _refused(self, request: HttpRequest) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "The Content-Length is not a number."}, status=400)
        if length > max_body_bytes():
            return JsonResponse({"detail": too_large_message()}, status=413)
        if length <= 0:
            return None
        try:
            body = request.body
        except RequestDataTooBig:
            return JsonResponse({"detail": too_large_message()}, status=413)
        if nesting_depth_exceeds(body):
            return too_deep_response()
        return None

    def _as_json(self, response: HttpResponse) -> HttpResponse:
        status = response.status_code
        if not 400 <= status < 500 or _is_json(response):
            return response
        answer = JsonResponse(
            {"detail": MESSAGES.get(status, response.reason_phrase or "Refused.")},
            status=status,
        )
        for header in ("Allow", "Retry-After", "X-Request-ID"):
            if header in response:
                answer[header] = response[header]
        return answer
