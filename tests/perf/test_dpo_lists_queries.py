"""The data protection officer's lists (holds; subject access exports in review) cost the
same queries with 3 or 30 rows and show one page, never the whole list (issue 13)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.sharing.factories import make_enquiry

from .test_queries_per_page import queries, rows_in


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_holds_list_costs_the_same_queries_at_3_and_30(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from mash.retention import services

    dpo = cast["dpo"]

    def grow(count: int) -> None:
        for n in range(count):
            enquiry = make_enquiry(hub=agencies["hub"], created_by=cast["hub_practitioner"])
            services.place_hold(
                actor=dpo,
                scope="enquiry" if n % 2 else "hub",
                enquiry=enquiry if n % 2 else None,
                hub=None if n % 2 else agencies["hub"],
                reason=f"Litigation hold {n}",
                review_on=timezone.localdate() + dt.timedelta(days=30 + n),
            )

    client = client_for("dpo")
    url = "/retention/holds"
    grow(3)
    client.get(url)
    few, _small = queries(client, url)
    grow(27)
    many, large = queries(client, url)
    assert many == few, f"{url}: {few} queries with 3 holds, {many} with 30"
    assert rows_in(large) == 25 + 2  # the body, the header and one page of 25
    assert "Showing 1 to 25 of 30 holds" in large
    assert "Showing 26 to 30 of 30 holds" in client.get(url, {"page": 2}).content.decode()


def test_the_exports_in_review_cost_the_same_queries_at_3_and_30(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from mash.retention.models import SubjectAccessReview

    def grow(count: int) -> None:
        now = timezone.now()
        SubjectAccessReview.objects.bulk_create(
            SubjectAccessReview(
                hub=agencies["hub"],
                people=[],
                prepared_by=cast["dpo"],
                prepared_at=now - dt.timedelta(minutes=n),
                updated_at=now,
            )
            for n in range(count)
        )

    client = client_for("dpo")
    url = "/retention/subject-access"
    grow(3)
    client.get(url)
    few, _small = queries(client, url)
    grow(27)
    many, large = queries(client, url)
    assert many == few, f"{url}: {few} queries with 3 exports in review, {many} with 30"
    assert large.count("Export of 0 records prepared") == 25
    assert "Exports in review (30)" in large
    assert 'class="govuk-pagination"' in large
    second = client.get(url, {"reviews": 2}).content.decode()
    assert second.count("Export of 0 records prepared") == 5
