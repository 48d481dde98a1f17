"""The version 2 answers in Chromium, with JavaScript on and off, every page axe-clean:

- a police share without consent of criminal offence data: the guidance proposes the
  public task with the safeguarding condition (UK GDPR 6(1)(e), Article 10, DPA 2018
  Schedule 1 para 18), the practitioner confirms it, says how and why it is necessary
  and proportionate, and the decision record shows it;
- a 14-year-old judged competent refuses while the mother consents: the page and the
  decision record explain that the child's answer governs, and why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from mash.guidance.services import ensure_defaults
from mash.sharing.models import Decision
from tests.conftest import PASSWORD
from tests.sharing.factories import make_enquiry, make_person, make_request

from .helpers import assert_accessible, fill_date, screenshot, sign_in


def _continue(page: Page) -> None:
    with page.expect_navigation():
        page.click("button:has-text('Continue')")


def _press(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def _shot(page: Page, javascript: bool, name: str, at: str, height: int = 1000) -> None:
    """In the JavaScript-on run, a viewport screenshot scrolled to ``at``."""
    if not javascript:
        return
    size = page.viewport_size or {"width": 1024, "height": 768}
    page.set_viewport_size({"width": size["width"], "height": height})
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.locator(at).first.evaluate("e => e.scrollIntoView({block: 'start'})")
    screenshot(page, name, full_page=False)
    page.set_viewport_size(size)


def _start(page: Page, req: Any) -> None:
    sign_in(page, "priya", PASSWORD)
    page.goto(f"/requests/{req.pk}")
    _press(page, "Start answering")
    page.check("#id_legitimate")
    _continue(page)
    page.check("#id_identifies_individual")
    _continue(page)


def test_a_police_share_without_consent_records_public_task_and_safeguarding(
    journey_page: Page, javascript: bool, cast: Any, agencies: Any
) -> None:
    ensure_defaults(agencies.values())  # the police's lawful bases, as the admin seeds them
    req = make_request(cast=cast, agency=agencies["police"])
    child = req.people.get(kind="child")
    parent = req.people.get(kind="parent")
    page = journey_page
    _start(page, req)
    page.check("#id_confidential")
    page.check("#id_sensitive-no")
    page.check("#id_criminal_offence")  # yes: criminal offence data
    assert_accessible(page)
    _continue(page)
    page.check("#id_status-refused")
    _continue(page)
    page.check("#id_significant_harm")
    page.check("#id_urgent-no")
    _continue(page)

    main = page.get_by_role("main")
    expect(main).to_contain_text("The guidance proposes:")
    expect(main).to_contain_text("UK GDPR Article 6(1)(e): public task")
    expect(main).to_contain_text("DPA 2018 Schedule 1 paragraph 18: safeguarding of children")
    article_6 = page.get_by_role("group", name="UK GDPR Article 6: the lawful basis")
    expect(article_6.get_by_role("radio", checked=True)).to_have_accessible_name(
        "UK GDPR Article 6(1)(e): public task (a task in the public interest or in the "
        "exercise of official authority)"
    )
    # Only the bases the police's administrator allows are offered: not consent.
    assert page.locator("input[name='article_6'][value='6(1)(a)']").count() == 0

    p = "#id_item-1-"
    page.fill(p + "text", "Father arrested for assault at the address in January")
    page.check(p + "nature")
    fill_date(page.locator("#item-1"), "Date it was recorded", "2026-01-10")
    page.fill(p + "source", "Police National Computer")
    page.check(p + "currency")
    page.check(p + "sensitive-no")
    page.check(f"input[name='item-1-people'][value='{child.pk}']")
    page.check(p + "onward_sharing")
    page.check(f"#id_person-{child.pk}-consent")
    page.check(f"#id_person-{parent.pk}-consent")
    page.check(f"#id_person-{parent.pk}-harm")
    page.get_by_label("Through the hub (this system)").check()
    page.get_by_label("Why is sharing this information necessary?").fill(
        "The hub needs to know of the arrest to judge the risk to the child at home."
    )
    page.get_by_label("Why is what you share proportionate?").fill(
        "Only the arrest this year, not the father's whole record."
    )
    page.fill("#id_justification", "The child is at risk of significant harm.")
    page.check("#id_informed-will_tell")
    page.fill("#id_tell_by_day", "1")  # the date by which they will be told
    page.fill("#id_tell_by_month", "1")
    page.fill("#id_tell_by_year", "2099")
    page.check("#id_adequacy_confirmed")  # necessary, proportionate, relevant, adequate ...
    page.fill("#id_proportionality", "The risk to the child outweighs the refusal.")
    assert_accessible(page)
    _shot(page, javascript, "decision-lawful-basis", "#id_lawful_basis", height=1100)
    _press(page, "Record the decision")

    expect(page.get_by_role("heading", level=1)).to_have_text("Information sharing decision record")
    lawful = page.locator("#lawful-basis")
    expect(lawful).to_contain_text("UK GDPR Article 6(1)(e): public task")
    expect(lawful).to_contain_text("UK GDPR Article 10: criminal offence data")
    expect(lawful).to_contain_text("DPA 2018 Schedule 1 paragraph 18")
    expect(lawful).to_contain_text("Confirmed by the practitioner as the guidance proposed.")
    expect(page.get_by_role("main")).to_contain_text("Through the hub (this system)")
    expect(page.get_by_role("main")).to_contain_text("Only the arrest this year")
    assert_accessible(page)
    decision = Decision.objects.get(request=req)
    assert decision.lawful_basis["chosen"]["schedule_1"] == "para_18"
    assert decision.how == "hub"


def test_a_competent_14_year_olds_refusal_governs_over_her_mothers_consent(
    journey_page: Page, javascript: bool, cast: Any, agencies: Any
) -> None:
    hub_user = cast["hub_practitioner"]
    enquiry = make_enquiry(hub=hub_user.agency, created_by=hub_user)
    child = make_person(enquiry)
    today = timezone.localdate()
    child.date_of_birth = today - dt.timedelta(days=int(14.5 * 365.25))  # she is 14
    child.save()
    req = make_request(cast=cast, agency=agencies["police"], enquiry=enquiry, people=[child])
    page = journey_page
    _start(page, req)
    page.check("#id_confidential")
    page.check("#id_sensitive-no")
    _continue(page)
    page.check("#id_status-refused")  # the child's own answer, on the consent page
    _continue(page)
    page.check("#id_significant_harm-no")
    page.check("#id_urgent-no")
    _continue(page)
    page.check("#id_vital_interests-no")
    page.check("#id_public_function-no")
    _continue(page)
    _continue(page)  # no public interest criterion applies

    pk = child.pk
    page.check(f"#id_person-{pk}-consent")  # the answer on the consent page: refused
    # Who answered is behind "Answer differently" while the consent follows the page.
    page.get_by_text(f"Answer differently for {child.full_name}").click()
    page.check(f"#id_person-{pk}-given_by")  # by the child herself
    page.check(f"#id_person-{pk}-competent")  # yes, judged competent (Gillick)
    page.check(f"#id_person-{pk}-other_status-given")  # the mother consents
    page.check(f"#id_person-{pk}-other_given_by-parent")
    _press(page, "Apply these answers")

    card = page.locator(f"#person-{pk}")
    expect(card).to_contain_text("Whose answer governs")
    expect(card).to_contain_text("The child's answer (refused) governs")
    expect(card).to_contain_text("a parent's consent does not override a competent child's refusal")
    assert_accessible(page)
    _shot(page, javascript, "decision-who-consents", f"#person-{pk}", height=2300)

    page.get_by_label("Your reasons for not sharing").fill(
        "She is competent to decide and refuses; nothing shows a risk of significant harm."
    )
    fill_date(page, "Date you discussed it with the requester", today.isoformat())
    # Now: a discussion is neither before the request nor in the future.
    page.get_by_label("Time", exact=True).fill(timezone.localtime().strftime("%H:%M"))
    page.get_by_label("Who did you discuss it with?").fill("The MASH duty social worker")
    page.get_by_label("What was said?").fill("Agreed we cannot share without a ground.")
    _press(page, "Record the decision")

    expect(page.get_by_role("heading", level=1)).to_have_text("Information sharing decision record")
    people = page.locator("#people + table")
    expect(people).to_contain_text("Judged competent to decide for themselves (Gillick): yes")
    expect(people).to_contain_text(
        "Another answer: given, by a parent with parental responsibility"
    )
    expect(people).to_contain_text("The child's answer (refused) governs")
    expect(people).to_contain_text("The child is 14 and has been judged competent")
    assert_accessible(page)
    decision = Decision.objects.get(request=req)
    assert decision.outcome == "do_not_share"
    assert decision.people_decisions[0]["consent_used"]["given_by"] == "child"
