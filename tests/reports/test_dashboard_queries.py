"""The dashboard, the guidance page and an export cost the same number of queries with
N contacts as with 10N (aggregated in SQL; percentiles by ordered offset), as every page
of the hub must (tests/perf)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from . import builders as b
from .builders import at
from .world import QUERY

pytestmark = pytest.mark.django_db

N = 3


def grow(cast: Any, agencies: Any, n: int) -> None:
    hub, manager = cast["hub_practitioner"], cast["hub_manager"]
    for i in range(n):
        e = b.contact(
            hub, received=at(5 + i % 20, hour=i % 12 + 1), rag=("red", "amber", "green")[i % 3]
        )
        b.threshold(e, manager, after_hours=1 + i % 30)
        for agency, who in (
            (agencies["police"], "police_practitioner"),
            (agencies["health"], "health_practitioner"),
        ):
            req = b.ask(e, agency, hub)
            if i % 4:
                d = b.decide(
                    req,
                    cast[who],
                    after_hours=1 + i % 40,
                    without_consent=bool(i % 2),
                    basis="significant_harm" if i % 2 else "consent",
                )
                if i % 5 == 0:
                    b.advice(d, cast[who])


def count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, QUERY)
    assert response.status_code == 200, response.content[:500]
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        reverse("reports:dashboard"),
        reverse("reports:guidance"),
        reverse("reports:export", kwargs={"table": "agency-responses", "fmt": "xlsx"}),
    ],
)
def test_the_same_queries_at_n_and_10n(client_for: Any, cast: Any, agencies: Any, url: str) -> None:
    client = client_for("hub_manager")
    grow(cast, agencies, N)
    client.get(url, QUERY)
    few = count(client, url)
    grow(cast, agencies, 9 * N)
    many = count(client, url)
    assert few == many
