"""The partner's list of the concerns it raised costs the same queries with N concerns
as with 10N (some with the outcome sent, some waiting), and shows one page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mash.enquiries.models import Concern
from tests.enquiries.concern_helpers import raise_one, see_it_through

N = 3


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def grow(cast: dict[str, Any], to: int) -> None:
    """Raise concerns until the police raised ``to``; every third is seen through to
    the outcome sent."""
    hub = cast["hub_practitioner"].agency
    while Concern.objects.count() < to:
        concern = raise_one(cast["police_practitioner"], hub)
        if Concern.objects.count() % 3 == 0:
            see_it_through(concern, cast["hub_practitioner"], cast["hub_manager"])


def test_the_concerns_list_costs_the_same_queries_at_n_and_10n(
    client_for: Any, cast: dict[str, Any]
) -> None:
    client = client_for("police_practitioner")
    grow(cast, N)
    client.get("/concerns/")
    with CaptureQueriesContext(connection) as few:
        small = client.get("/concerns/").content.decode()
    grow(cast, 10 * N)
    with CaptureQueriesContext(connection) as many:
        large = client.get("/concerns/").content.decode()
    assert len(many) == len(few), (len(few), len(many))
    assert small.count("Outcome sent") == 1 and large.count("Outcome sent") == 9  # 10, 1 on p.2
    assert large.count('<tr class="govuk-table__row">') == 25 + 1  # a page, and the header
    assert "govuk-pagination" in large
