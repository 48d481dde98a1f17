"""The onward sharing list (a partner agency's "Information passed on": what the hub
passed on to it, and the hub's asks waiting for its answer) costs the same queries with 3
or 30 of each, and shows one page of each, never the whole list (issue 13)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.utils import timezone

from mash.lib.paging import PER_PAGE
from tests.enquiries.sharing_helpers import ask, decide, disclose
from tests.sharing.factories import make_enquiry, make_person

from .test_queries_per_page import queries, rows_in

_made = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def grow(cast: dict[str, Any], agencies: dict[str, Any], count: int) -> None:
    """``count`` more enquiries, each with an item health shared that the hub passed on
    to the police, and an item the police shared that the hub asks to pass on."""
    from mash.sharing.models import OnwardAsk, OnwardShare

    hub_user = cast["hub_practitioner"]
    for _ in range(count):
        n = next(_made)
        enquiry = make_enquiry(hub=hub_user.agency, created_by=hub_user)
        child = make_person(enquiry)
        health = decide(ask(enquiry, agencies["health"], hub_user, status="answered"), hub_user)
        given = disclose(health, [child], text=f"HEALTH-ITEM-{n}", onward_sharing="may_pass_on")
        share = OnwardShare.objects.create(
            enquiry=enquiry,
            recipient=agencies["police"],
            purpose=f"Passed on {n}",
            article_6="6(1)(e)",
            shared_by=hub_user,
            shared_at=timezone.now(),
        )
        share.items.set([given])
        police = decide(ask(enquiry, agencies["police"], hub_user, status="answered"), hub_user)
        theirs = disclose(police, [child], text=f"POLICE-ITEM-{n}", onward_sharing="ask_first")
        OnwardAsk.objects.create(
            item=theirs,
            recipient=agencies["health"],
            reason=f"Asked {n}",
            asked_by=hub_user,
            asked_at=timezone.now(),
        )


def test_information_passed_on_costs_the_same_queries_at_3_and_30(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    client = client_for("police_practitioner")
    url = "/requests/onward/"
    grow(cast, agencies, 3)
    client.get(url)
    few, small = queries(client, url)
    grow(cast, agencies, 27)
    many, large = queries(client, url)
    assert many == few, f"{url}: {few} queries with 3 of each, {many} with 30"
    assert rows_in(large) > rows_in(small)
    # One page of each list, with the totals and the pagination.
    assert rows_in(large) == 2 * (PER_PAGE + 2)  # each table: its body, header and 25 rows
    assert "(30)" in large
    assert large.count('class="govuk-pagination"') == 2
    second = client.get(url, {"page": 2, "asks": 2}).content.decode()
    assert "Showing 26 to 30 of 30 shares" in second
    assert "Showing 26 to 30 of 30 asks" in second
