"""The API's session authentication: a signed-out caller gets 401, as documented.

django-ninja's ``SessionAuth`` checks the CSRF token before it looks at the session, so
a signed-out POST answered 403 ("CSRF check Failed") where the document says 401. A
signed-out caller has no session to ride, so there is nothing for CSRF to protect:
answer 401 first. A signed-in unsafe request without the token is still refused (403).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import SessionAuth


class HubSessionAuth(SessionAuth):
    def __call__(self, request: HttpRequest) -> Any | None:
        user: Any = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


session_auth = HubSessionAuth()
