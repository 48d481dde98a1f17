"""Merging and unmerging in a real browser (issue 14): a hub practitioner opens a child's
chronology, merges with another indexed person (seeing both side by side before
confirming), reads the merged chronology, then undoes the merge from the merge history.
With JavaScript on and off; axe-clean at each page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_accessible, screenshot


@pytest.fixture
def two_records(transactional_db: Any, cast: dict[str, Any]) -> dict[str, Any]:
    """Olivia Hughes in two enquiries, indexed as two people: the second gave only an
    estimated age, which is never a certain match."""
    from mash.people.models import PersonLink
    from tests.people.conftest import child, enquiry_about

    hana = cast["hub_practitioner"]
    first = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=90)
    second = enquiry_about(hana, child("Olivia", "Hughes", None, estimated_age=11), days_ago=10)
    kept = PersonLink.objects.get(person__enquiry=first).indexed_person
    other = PersonLink.objects.get(person__enquiry=second).indexed_person
    assert kept.pk != other.pk
    return {"first": first, "second": second, "kept": kept, "other": other}


@pytest.fixture
def hub_page(
    transactional_db: Any, cast: dict[str, Any], new_page: Callable[..., Page], live_server: Any
) -> Callable[..., Page]:
    from django.test import Client

    client = Client()
    client.force_login(cast["hub_practitioner"])
    session = str(client.cookies["sessionid"].value)

    def make(*, javascript: bool) -> Page:
        page = new_page(javascript=javascript)
        host = urlparse(live_server.url).hostname
        page.context.add_cookies(
            [{"name": "sessionid", "value": session, "domain": host, "path": "/"}]
        )
        return page

    return make


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with"])
def test_the_hub_merges_two_records_of_a_child_and_undoes_it(
    two_records: dict[str, Any], hub_page: Callable[..., Page], javascript: bool
) -> None:
    from mash.people.models import IndexedPerson, Merge

    first, second = two_records["first"].reference, two_records["second"].reference
    kept, other = two_records["kept"], two_records["other"]
    page = hub_page(javascript=javascript)

    # The chronology shows one enquiry only: the other record is someone else for now.
    page.goto(f"/people/{kept.pk}/chronology")
    expect(page.get_by_role("heading", level=1)).to_have_text("Olivia Hughes")
    expect(page.locator("main")).to_contain_text(first)
    expect(page.locator("main")).not_to_contain_text(second)
    page.get_by_role("link", name="Merge with another person").click()

    # Choose: the other Olivia Hughes is offered, with her enquiry.
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge with another person")
    choice = page.get_by_role("group", name="Who is the same person?")
    expect(choice).to_contain_text(second)
    assert_accessible(page)
    if javascript:
        screenshot(page, "merge-choose")
    # Continuing without choosing names the field.
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Select the person to merge with")
    assert_accessible(page)
    page.get_by_role("group", name="Who is the same person?").get_by_label(
        "Olivia Hughes", exact=False
    ).check()
    page.get_by_role("button", name="Continue").click()

    # Both side by side before anything changes.
    expect(page.get_by_role("heading", level=1)).to_have_text("Are they the same person?")
    kept_side = page.locator("#kept")
    merged_side = page.locator("#merged")
    expect(kept_side).to_contain_text(first)
    expect(kept_side).to_contain_text("7 March 2015")
    expect(merged_side).to_contain_text(second)
    expect(merged_side).to_contain_text("Not known (estimated age")
    assert not Merge.objects.exists()
    assert_accessible(page)
    if javascript:
        screenshot(page, "merge-confirm")
    page.get_by_role("button", name="Merge: they are the same person").click()

    # Merged: the history says so; the chronology now holds both enquiries.
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Merged")
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge history")
    assert IndexedPerson.objects.get(pk=other.pk).merged_into_id == kept.pk
    page.get_by_role("link", name="Chronology", exact=True).click()
    main = page.locator("main")
    expect(main).to_contain_text(first)
    expect(main).to_contain_text(second)
    # The date of birth the earlier record gave, though the latest gave only an age.
    expect(main).to_contain_text("Born 7 March 2015.")
    assert_accessible(page)
    if javascript:
        screenshot(page, "merge-chronology")
    # The merged record's own address leads to the one kept.
    page.goto(f"/people/{other.pk}/chronology")
    expect(page.locator("main")).to_contain_text(first)

    # Undo from the merge history.
    page.goto(f"/people/{kept.pk}/chronology")
    page.get_by_role("link", name="Merge history").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Olivia Hughes")
    assert_accessible(page)
    if javascript:
        screenshot(page, "merge-history")
    table.get_by_role("button", name="Unmerge Olivia Hughes").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Merge undone")
    expect(page.get_by_role("table")).to_contain_text("Undone")
    expect(page.get_by_role("button", name="Unmerge Olivia Hughes")).to_have_count(0)
    assert_accessible(page)
    assert IndexedPerson.objects.get(pk=other.pk).merged_into_id is None

    # Two people again: each chronology holds only its own enquiry.
    page.get_by_role("link", name="Chronology", exact=True).click()
    expect(page.locator("main")).to_contain_text(first)
    expect(page.locator("main")).not_to_contain_text(second)
    page.goto(f"/people/{other.pk}/chronology")
    expect(page.locator("main")).to_contain_text(second)
    expect(page.locator("main")).not_to_contain_text(first)
