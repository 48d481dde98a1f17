"""The API's rate limit: ``MASH_API_RATE_LIMIT`` requests per signed-in user (per address
when signed out), read at each request so an operator's setting (and a test's) applies
without a restart of the throttle. Beyond it the API answers 429 with a Retry-After."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import UserRateThrottle


class HubRateThrottle(UserRateThrottle):
    scope = "mash_api"

    def __init__(self) -> None:
        super().__init__(rate=settings.MASH_API_RATE_LIMIT)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.MASH_API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


def too_many_requests_message() -> str:
    return (
        "Too many requests: the hub's API allows "
        f"{settings.MASH_API_RATE_LIMIT.replace('/', ' per ')}. "
        "Wait for the number of seconds in the Retry-After header, then try again."
    )
