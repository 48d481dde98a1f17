"""django-axes' lockout check, for sign-ins that come through a web request.

Every sign-in page of the hub passes the request to ``authenticate`` (the lockout counts
per username and address, so it needs one). A call with no request (a management command,
a script checking a password) has no address to lock and nobody to show the lockout
page to: it goes straight to the password check, as ``authenticate`` always did.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend


class HubAxesBackend(AxesStandaloneBackend):
    def authenticate(
        self,
        request: Any = None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
