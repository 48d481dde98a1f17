"""A partner shares without being asked, in a real browser (Guidance, 7 Golden Rules:
"be proactive"): the school that raised a concern opens it, offers what it holds, and
lands on its own request, ready to answer the guidance's questions; back on the concern,
the offer is linked, and no second offer is asked for. axe-clean, with JavaScript on and
off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_accessible, screenshot, signed_in_page


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with"])
def test_the_school_offers_what_it_holds_on_its_concern(
    transactional_db: Any,
    cast: dict[str, Any],
    new_page: Callable[..., Page],
    live_server: Any,
    javascript: bool,
) -> None:
    from mash.sharing.models import InformationRequest
    from tests.enquiries.concern_helpers import raise_one

    concern = raise_one(cast["outsider"], cast["hub_practitioner"].agency)
    school = signed_in_page(new_page, live_server, cast["outsider"], javascript=javascript)

    school.goto("/concerns/")
    school.get_by_role("link", name=concern.enquiry.reference).click()
    expect(school.get_by_role("heading", name="Share more without being asked")).to_be_visible()
    assert_accessible(school)
    if javascript:
        screenshot(school, "concern-offer")
    school.get_by_role("button", name="Share information with the hub").click()

    expect(school.get_by_role("alert", name="Success")).to_contain_text("Your offer is open")
    offered = InformationRequest.objects.get(enquiry=concern.enquiry)
    assert offered.offered and offered.agency == cast["outsider"].agency
    assert school.url.endswith(f"/requests/{offered.pk}/") or str(offered.pk) in school.url
    expect(school.locator("main")).to_contain_text("Amy Pupil")
    assert_accessible(school)

    school.goto(f"/concerns/{concern.pk}")
    expect(school.get_by_role("button", name="Share information with the hub")).to_have_count(0)
    school.get_by_role("link", name="The information your agency offered on this enquiry").click()
    assert str(offered.pk) in school.url
    assert InformationRequest.objects.filter(enquiry=concern.enquiry).count() == 1
