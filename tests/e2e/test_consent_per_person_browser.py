"""The issue's scenario in Debian's Chromium with JavaScript off: a mother refuses
consent (in the consent register), the child is at risk of significant harm, and the
police share the child's information without consent while an item only about the
mother is refused, naming her and why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page

from mash.consent import services as consent_services
from mash.sharing.models import Decision
from tests.conftest import PASSWORD
from tests.sharing.factories import make_enquiry, make_person, make_request

from .helpers import console_of, fill_date, sign_in


def _continue(page: Page) -> None:
    with page.expect_navigation():
        page.click("button:has-text('Continue')")


def _fill_item(page: Page, n: int, text: str, person: Any) -> None:
    p = f"#id_item-{n}-"
    page.fill(p + "text", text)
    page.check(p + "nature")
    fill_date(page.locator(f"#item-{n}"), "Date it was recorded", "2026-01-10")
    page.fill(p + "source", "Command and control log")
    page.check(p + "currency")
    page.check(p + "sensitive-no")
    page.check(f"input[name='item-{n}-people'][value='{person.pk}']")
    page.check(p + "onward_sharing")


def test_the_mothers_item_is_blocked_while_the_childs_is_shared_without_javascript(
    page_no_js: Page, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    hub_user = cast["hub_practitioner"]
    enquiry = make_enquiry(hub=hub_user.agency, created_by=hub_user)
    child = make_person(enquiry)
    mother = make_person(enquiry, kind="parent")
    # The police's own register entry: a decision is pre-filled from the deciding
    # agency's own entries only, never from the hub's (issue 12, item 3).
    consent_services.record_consent(
        actor=cast["police_practitioner"],
        person=mother,
        status="refused",
        giver="self",
        purpose="MASH enquiry",
        method="verbal",
        given_on=dt.date(2026, 3, 3),
    )
    req = make_request(
        cast=cast, agency=agencies["police"], enquiry=enquiry, people=[child, mother]
    )
    page = page_no_js

    sign_in(page, "priya", PASSWORD)
    page.goto(f"/requests/{req.pk}")
    with page.expect_navigation():
        page.click("button:has-text('Start answering')")
    page.check("#id_legitimate")
    _continue(page)
    page.check("#id_identifies_individual")
    _continue(page)
    page.check("#id_confidential")
    page.check("#id_sensitive-no")
    _continue(page)
    # The consent page: filled in from the register, the deciding record shown.
    assert "What the consent register says" in page.inner_text("main")
    assert "Refused on 3 March 2026" in page.inner_text("main")
    assert page.is_checked("#id_status-refused")
    _continue(page)
    page.check("#id_significant_harm")
    page.check("#id_urgent-no")
    _continue(page)

    # The decision: the child's item and one only about the mother.
    _fill_item(page, 1, "Two call-outs to the address", child)
    with page.expect_navigation():
        page.click("button:has-text('Add another item')")
    _fill_item(page, 2, "The mother's own record", mother)
    # Nothing is pre-selected for each person: the consent page's answer for both.
    page.check(f"#id_person-{child.pk}-consent")
    page.check(f"#id_person-{mother.pk}-consent")
    page.check(f"#id_person-{mother.pk}-harm-no")
    page.fill("#id_justification", "The child is at risk of significant harm.")
    page.check("#id_informed-will_tell")
    page.fill("#id_tell_by_day", "1")  # the date by which they will be told
    page.fill("#id_tell_by_month", "1")
    page.fill("#id_tell_by_year", "2099")
    page.check("#id_adequacy_confirmed")  # necessary, proportionate, relevant, adequate ...
    page.fill("#id_proportionality", "The risk to the child outweighs the refusal.")
    # Every share: how, and why necessary and proportionate (the lawful basis the
    # guidance proposes is selected already).
    page.check("#id_how")  # through the hub
    page.fill("#id_necessary", "The hub needs the call-outs to judge the risk.")
    page.fill("#id_proportionate", "Only the two recent call-outs.")
    with page.expect_navigation() as refused:
        page.click("button.govuk-button:has-text('Record the decision')")
    assert refused.value is not None and refused.value.status == 400
    # The form answers 400 on purpose; Chromium logs that document's status as a console
    # error, which is not a problem of the page (its assets are still checked).
    watch = console_of(page)
    watch.errors[:] = [e for e in watch.errors if "status of 400" not in e]
    summary = page.inner_text(".govuk-error-summary")
    # Her answer is the consent page's (refused), which the register pre-filled.
    assert f"Item 2 is about {mother.full_name}: {mother.full_name} refused consent" in summary
    assert "no ground to share without consent applies" in summary

    with page.expect_navigation():
        page.click("button:has-text('Remove item 2')")
    page.fill("#id_justification", "The child is at risk of significant harm.")
    with page.expect_navigation():
        page.click("button.govuk-button:has-text('Record the decision')")
    assert "Information sharing decision record" in page.inner_text("h1")
    record = page.inner_text("main")
    assert "Two call-outs to the address" in record
    assert "The mother's own record" not in record
    assert "Each person's consent and decision" in record

    decision = Decision.objects.get(request=req)
    assert decision.outcome == "share"
    assert decision.without_consent
    assert [list(i.people.all()) for i in decision.items.all()] == [[child]]
