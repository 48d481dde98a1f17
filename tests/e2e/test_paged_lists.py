"""The long lists page in a real browser (Debian's Chromium): the enquiry list and the
police inbox's tabs show one page of rows with GOV.UK pagination, the next page follows
its link (the tab it lives in kept, with JavaScript and without), and the pages pass axe."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.conftest import PASSWORD
from tests.perf.builders import grow_hub

from .helpers import assert_accessible, screenshot, sign_in


def test_the_enquiry_list_shows_one_page_and_links_the_next(
    journey_page: Page, cast: Any, agencies: Any
) -> None:
    grow_hub(to=54, police=agencies["police"], owner=cast["hub_practitioner"])
    page = journey_page
    sign_in(page, "hana", PASSWORD)
    page.goto("/enquiries/")
    main = page.inner_text("main")
    assert "Showing 1 to 25 of 27 enquiries" in main
    assert page.locator("main table tbody tr").count() == 25
    assert_accessible(page)
    screenshot(page, "enquiry-list-paged")
    with page.expect_navigation():
        page.get_by_role("link", name="Page 2").click()
    assert "Showing 26 to 27 of 27 enquiries" in page.inner_text("main")
    assert page.locator("main table tbody tr").count() == 2


def test_the_inbox_pages_each_tab_and_keeps_the_tab_on_its_next_page(
    journey_page: Page, cast: Any, agencies: Any
) -> None:
    grow_hub(to=54, police=agencies["police"], owner=cast["hub_practitioner"])
    page = journey_page
    sign_in(page, "priya", PASSWORD)
    page.goto("/requests/")
    assert page.get_by_text("Awaiting a decision (27)").first.is_visible()
    assert page.locator("#open table tbody tr").count() == 25
    assert_accessible(page)
    screenshot(page, "inbox-paged")
    page.goto("/requests/?answered=2#answered")
    assert page.locator("#answered table tbody tr").count() == 2
    assert page.locator("#answered").is_visible()
    screenshot(page, "inbox-answered-page-2")
