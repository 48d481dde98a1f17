"""The guidance outranks our own controls (issue 12, item 5), in a real browser with
JavaScript on and off: a share over a refusal where the child is at risk of significant
harm ("If the need to share is urgent ... take immediate action and share the information
without consent, but remember to record the reason") reaches the hub the moment it is
recorded, and the police manager's review after the event is due; a share over a refusal
that is not urgent (to fulfil a public function) still waits for the manager's sign-off,
and the hub sees nothing until then. The practitioner fills the decision page as a user
does; every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_accessible, at_the_decision_page, fill_date, signed_in_page


def _decide_in_the_browser(
    new_page: Callable[..., Page], live_server: Any, user: Any, req: Any, answers: Any, js: bool
) -> Page:
    """The guidance's questions answered (through the pages, by Django's test client),
    then the decision page filled and recorded in the browser, as the practitioner does."""
    page = at_the_decision_page(new_page, live_server, user, req, answers, javascript=js)
    expect(page.get_by_role("heading", name="Record the decision")).to_be_visible()
    child = req.people.get(kind="child")
    for person in req.people.all():
        page.get_by_role("group", name=f"Consent answer for {person.full_name}").get_by_label(
            "The same as my answer on the consent page"
        ).check()
    harm = page.get_by_role("radio", name="Yes", exact=True).and_(
        page.locator("input[name$='-harm']")
    )
    for i in range(harm.count()):
        harm.nth(i).check()
    item = page.locator("#item-1")
    item.get_by_label("Information to share").fill("Two call-outs to the address in January")
    item.get_by_label("Fact", exact=True).check()
    fill_date(item, "Date it was recorded", "2026-01-10")
    item.get_by_label("Source").fill("Command and control log")
    item.get_by_label("Current", exact=True).check()
    item.get_by_role("group", name="Is it sensitive personal information?").get_by_label(
        "No", exact=True
    ).check()
    item.get_by_role("group", name="Does it contain information about a third party?").get_by_label(
        "No", exact=True
    ).check()
    item.get_by_label(child.full_name).check()
    item.get_by_label("Ask the agency before passing it outside the hub").check()
    page.get_by_label("Through the hub (this system)").check()
    page.get_by_label("Why is sharing this information necessary?").fill(
        "The hub needs the call-outs to judge the risk."
    )
    page.get_by_label("Why is what you share proportionate?").fill("Only the two call-outs.")
    page.get_by_label("Your justification").fill("The hub needs to know of the call-outs.")
    told = page.get_by_role("group", name="Have the people whose information you share")
    told.get_by_label("No, they will not be told").check()
    told.get_by_label("Telling them would create or increase risk of harm").check()
    told.get_by_label("Explain, for this case, why they will not be told").fill(
        "Telling the family now could increase the risk to the child."
    )
    page.get_by_label("Why is overriding the refusal or withdrawal of consent proportionate?").fill(
        "The risk to the child outweighs the refusal."
    )
    page.get_by_label("I confirm that what I share is necessary").check()
    assert_accessible(page)
    page.get_by_role("button", name="Record the decision").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Information sharing decision record")
    assert_accessible(page)
    return page


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with"])
def test_an_urgent_override_reaches_the_hub_at_once_and_a_non_urgent_one_waits(
    transactional_db: Any,
    cast: dict[str, Any],
    agencies: dict[str, Any],
    new_page: Callable[..., Page],
    live_server: Any,
    javascript: bool,
) -> None:
    from mash.sharing.models import Decision
    from tests.sharing.factories import make_request
    from tests.sharing.pages import TO_PUBLIC_FUNCTION, TO_SIGNIFICANT_HARM

    priya, paul = cast["police_practitioner"], cast["police_manager"]
    urgent = make_request(cast=cast, agency=agencies["police"])
    later = make_request(cast=cast, agency=agencies["police"])

    page = _decide_in_the_browser(
        new_page, live_server, priya, urgent, TO_SIGNIFICANT_HARM, javascript
    )
    main = page.get_by_role("main")
    expect(main).to_contain_text("Released to the hub at once")
    expect(main).to_contain_text("Review after release")
    released = Decision.objects.get(request=urgent)
    assert released.release == "released" and released.review_due is not None

    page = _decide_in_the_browser(
        new_page, live_server, priya, later, TO_PUBLIC_FUNCTION, javascript
    )
    held = Decision.objects.get(request=later)
    assert held.release == "awaiting_signoff" and held.review_due is None
    page.goto(f"/requests/{later.pk}")
    expect(page.get_by_role("main")).to_contain_text("is waiting for a manager's sign-off")

    # The hub sees the urgent share at once, and nothing of the one waiting.
    hub = signed_in_page(new_page, live_server, cast["hub_practitioner"], javascript=javascript)
    hub.goto(f"/enquiries/{urgent.enquiry_id}/")
    expect(hub.locator(".govuk-summary-card", has_text="Police: decision")).to_contain_text("Share")
    expect(hub.get_by_role("main")).to_contain_text("Two call-outs to the address in January")
    assert_accessible(hub)
    hub.goto(f"/enquiries/{later.enquiry_id}/")
    expect(hub.get_by_role("main")).not_to_contain_text("Two call-outs to the address in January")

    # The police manager: one review after release, one sign-off before release.
    manager = signed_in_page(new_page, live_server, paul, javascript=javascript)
    manager.goto("/requests/sign-off/")
    rows = manager.locator("tbody tr")
    expect(rows.filter(has_text=urgent.enquiry.reference)).to_contain_text("Review after release")
    expect(rows.filter(has_text=later.enquiry.reference)).to_contain_text("Before release")
    assert_accessible(manager)
