"""The whole journey in Debian's Chromium, as the people who do it, with JavaScript on
and then off (issue 4, "Tests and evidence"):

1. Hana, a hub practitioner, records an enquiry through every intake page, checks her
   answers, submits it, and asks the police and health about the child and his mother.
2. Priya, a police practitioner, answers through the guidance's questions: consent was
   not sought, the child is at risk of significant harm, so she shares without
   consent two items (a current fact about the child, a historical opinion about the
   mother), with her justification and why the mother is not told.
3. Hugo, a health practitioner, answers: consent refused, no ground to share without
   it, so he does not share, with his reasons and the discussion with the hub.
4. Hana reads both answers on the enquiry page, each item once with its people, fact,
   opinion and historical plainly marked, and records the threshold decision (level
   of need, a strategy discussion and a police investigation); Harriet, a hub manager,
   sends it back once, Hana records it again, and Harriet authorises it: it closes.

axe-core (WCAG 2.2 AA) runs on every page the journey passes through, and every page's
ids must be unique. With JavaScript on and ``MASH_SCREENSHOTS=1`` the main pages are
saved to docs/screenshots/ for the guides.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from faker import Faker
from playwright.sync_api import Page, expect

from mash.enquiries.models import Enquiry
from mash.policy import CURRENT
from mash.sharing.models import Decision
from tests.conftest import PASSWORD

from .helpers import assert_accessible, console_of, fill_date, screenshot, sign_in

fake = Faker("en_GB")


@dataclass(frozen=True)
class Family:
    """Generated people for the journey (Faker, fixed seed): nothing real."""

    child_first: str
    child_last: str
    mother_first: str
    referrer: str
    school: str
    address: str

    @property
    def child(self) -> str:
        return f"{self.child_first} {self.child_last}"

    @property
    def mother(self) -> str:
        return f"{self.mother_first} {self.child_last}"


def _family() -> Family:
    Faker.seed(20261125)
    return Family(
        child_first=fake.first_name_male(),
        child_last=fake.last_name(),
        mother_first=fake.first_name_female(),
        referrer=fake.name(),
        school=f"{fake.street_name()} Primary School",
        address=fake.address().replace("\n", ", "),
    )


class Journey:
    """What every page of the journey is checked for, and the screenshots."""

    def __init__(self, javascript: bool) -> None:
        self.javascript = javascript
        self.pages_checked: list[str] = []

    def check(
        self, page: Page, shot: str | None = None, *, at: str | None = None, height: int = 768
    ) -> None:
        """axe-core at WCAG 2.2 AA, unique ids, and (JavaScript on) a screenshot of the
        viewport, ``height`` pixels tall, scrolled to the element ``at`` if given."""
        assert_accessible(page)
        if self.javascript:
            ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
        else:
            ids = re.findall(r'\sid="([^"]+)"', page.content())
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        assert not duplicates, f"duplicate ids on {page.url}: {duplicates}"
        self.pages_checked.append(page.url)
        if shot and self.javascript:
            size = page.viewport_size or {"width": 1024, "height": 768}
            page.set_viewport_size({"width": size["width"], "height": height})
            page.evaluate("document.activeElement && document.activeElement.blur()")
            if at:
                page.locator(at).first.evaluate("e => e.scrollIntoView({block: 'start'})")
            else:
                page.evaluate("window.scrollTo(0, 0)")
            screenshot(page, shot, full_page=False)
            page.set_viewport_size(size)


def _go(page: Page, action: Callable[[], Any]) -> None:
    with page.expect_navigation():
        action()


def _press(page: Page, name: str) -> None:
    _go(page, lambda: page.get_by_role("button", name=name, exact=True).click())


def _follow(page: Page, name: str) -> None:
    _go(page, lambda: page.get_by_role("link", name=name, exact=True).click())


def _heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def _group(page: Page, legend: str) -> Any:
    """A fieldset, found by its legend, as a person finds a question."""
    return page.get_by_role("group", name=legend, exact=True)


# --- 1. The hub records the enquiry and asks the police and health --------------------


def _record_the_enquiry(page: Page, j: Journey, family: Family) -> str:
    sign_in(page, "hana", PASSWORD)
    _heading(page, "Enquiries")
    j.check(page)
    _press(page, "Record an enquiry")
    _heading(page, "Record an enquiry")
    j.check(page, "intake-start")
    _press(page, "Start now")

    _heading(page, "When was the enquiry received?")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.get_by_label("Day", exact=True).fill(str(yesterday.day))
    page.get_by_label("Month", exact=True).fill(str(yesterday.month))
    page.get_by_label("Year", exact=True).fill(str(yesterday.year))
    page.get_by_label("Time received").fill("09:15")
    j.check(page, "intake-received")
    _press(page, "Save and continue")

    j.check(page)
    page.get_by_label("Professional", exact=True).check()
    _press(page, "Save and continue")

    j.check(page)
    page.get_by_label("Full name").fill(family.referrer)
    page.get_by_label("Role").fill("Class teacher")
    page.get_by_label("Organisation").fill(family.school)
    page.get_by_label("Telephone number or email address").fill("01632 960 123")
    _press(page, "Save and continue")

    page.get_by_role("textbox").fill(
        f"{family.child_first} came to school with a bruise on his arm and said he did "
        "not want to go home."
    )
    j.check(page, "intake-concern")
    _press(page, "Save and continue")

    j.check(page)
    page.get_by_label("No", exact=True).check()
    _press(page, "Save and continue")

    # People involved: the child, then his mother.
    _heading(page, "Add a person involved")
    _group(page, "Who are they?").get_by_label("Child", exact=True).check()
    page.get_by_label("First name").fill(family.child_first)
    page.get_by_label("Last name").fill(family.child_last)
    born = _group(page, "Date of birth")  # not the date of death's boxes
    born.get_by_label("Day", exact=True).fill("14")
    born.get_by_label("Month", exact=True).fill("3")
    born.get_by_label("Year", exact=True).fill("2018")
    page.get_by_label("Address (optional)").fill(family.address)
    page.get_by_label("School or setting (optional)").fill(family.school)
    page.get_by_label("Role in the concern (optional)").fill("Subject of the concern")
    j.check(page, "intake-person")
    _press(page, "Save and continue")
    _heading(page, "You have added 1 person")
    j.check(page)
    page.get_by_label("Yes", exact=True).check()
    _press(page, "Continue")

    _group(page, "Who are they?").get_by_label("Parent", exact=True).check()
    page.get_by_label("First name").fill(family.mother_first)
    page.get_by_label("Last name").fill(family.child_last)
    page.get_by_label("Estimated age in years (if date of birth not known)").fill("34")
    page.get_by_label("Address (optional)").fill(family.address)
    page.get_by_label("Relationship to the child (optional)").fill("Mother")
    _press(page, "Save and continue")
    _heading(page, "You have added 2 people")
    j.check(page, "intake-people")
    page.get_by_label("No", exact=True).check()
    _press(page, "Continue")

    # Consent to refer: not obtained, and why (the reason is required).
    page.get_by_label("No, consent was not obtained").check()
    page.get_by_label("Why was consent not obtained?").fill(
        "Asking the mother could place the child at further risk of harm."
    )
    j.check(page, "intake-consent")
    _press(page, "Save and continue")

    page.get_by_label("Red", exact=True).check()
    page.get_by_label("Why did you choose this rating?").fill(
        "A visible injury and the child is afraid to go home."
    )
    j.check(page)
    _press(page, "Save and continue")

    _heading(page, "Check your answers before submitting the enquiry")
    main = page.get_by_role("main")
    for answer in (family.referrer, family.child, family.mother, "Red"):
        expect(main).to_contain_text(answer)
    j.check(page, "check-your-answers", height=1100)
    _press(page, "Submit enquiry")

    _heading(page, "Enquiry submitted")
    reference = page.locator(".govuk-panel__body strong").inner_text()
    j.check(page)
    _follow(page, "Back to enquiries")
    _heading(page, "Enquiries")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    return reference


def _ask_the_police_and_health(page: Page, j: Journey, family: Family, reference: str) -> None:
    _follow(page, reference)
    _heading(page, reference)
    j.check(page)
    _press(page, "Request information from agencies")
    j.check(page)
    agencies = _group(page, "Which agencies need to be involved?")
    agencies.get_by_label("Police").check()
    agencies.get_by_label("NHS health").check()
    people = _group(page, "Who do you need information about?")
    people.get_by_label(re.compile(re.escape(family.child))).check()
    people.get_by_label(re.compile(re.escape(family.mother))).check()
    page.get_by_label("What is the purpose of the request?").fill(
        "To understand whether the child is safe at home: any contact with the family, "
        "injuries or concerns about the mother's care."
    )
    j.check(page, "request-agencies")
    _press(page, "Send requests")
    expect(page.get_by_role("main")).to_contain_text("Requests sent to")
    _heading(page, reference)


# --- 2. The police share without consent, two items ----------------------------------


def _continue(page: Page) -> None:
    _press(page, "Continue")


def _start_answering(page: Page, j: Journey, username: str, reference: str, inbox: str) -> None:
    sign_in(page, username, PASSWORD)
    _heading(page, "Requests for information")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    j.check(page, inbox)
    _follow(page, reference)
    j.check(page)
    _press(page, "Start answering")

    _heading(page, "Is there a clear and legitimate purpose for sharing information?")
    j.check(page, "question-purpose" if username == "priya" else None)
    page.get_by_label("Yes", exact=True).check()
    _continue(page)
    _heading(page, "Does the information enable an individual to be identified?")
    j.check(page)
    page.get_by_label("Yes", exact=True).check()
    _continue(page)
    _heading(page, "Is the information confidential?")
    j.check(page)
    _group(page, "Is the information confidential?").get_by_label("Yes", exact=True).check()
    _group(page, "Is any of it sensitive personal information?").get_by_label(
        "No", exact=True
    ).check()
    _continue(page)


def _fill_item(page: Page, n: int, *, text: str, about: str, **answers: str) -> None:
    card = page.locator(f"#item-{n}")
    card.get_by_label("Information to share").fill(text)
    _group(card, "Is it fact or opinion?").get_by_label(answers["nature"], exact=True).check()
    fill_date(card, "Date it was recorded", answers["recorded_on"])
    card.get_by_label("Source").fill(answers["source"])
    currency = _group(card, "Is it current or historical?")
    currency.get_by_label(answers["currency"], exact=True).check()
    if answers["currency"] == "Historical":
        card.get_by_label("Why is historical information relevant now?").fill(
            answers["why_historical"]
        )
    _group(card, "Is it sensitive personal information?").get_by_label("No", exact=True).check()
    _group(card, "Who is it about?").get_by_label(re.compile(re.escape(about))).check()
    _group(card, "May the hub pass it on outside the hub?").get_by_label(
        "Ask the agency before passing it outside the hub"
    ).check()


def _answer_for_each_person(page: Page, family: Family, *, harm: bool) -> None:
    """Nothing is pre-selected: the practitioner answers for each person."""
    for name in (family.child, family.mother):
        group = _group(page, f"Consent answer for {name}")
        expect(group.get_by_role("radio", checked=True)).to_have_count(0)
        group.get_by_label("The same as my answer on the consent page").check()
    if harm:
        question = (
            f"Is sharing {family.mother}'s own information necessary because the child is "
            "at risk of significant harm?"
        )
        group = _group(page, question)
        expect(group.get_by_role("radio", checked=True)).to_have_count(0)
        group.get_by_label("Yes", exact=True).check()


def _police_share_without_consent(page: Page, j: Journey, family: Family, reference: str) -> None:
    _start_answering(page, j, "priya", reference, "agency-inbox")

    _heading(page, "Do you have consent to share this information for this purpose?")
    page.get_by_label("No, consent was not sought").check()
    page.get_by_label("If consent was not obtained, why not?").fill(
        "Seeking the mother's consent would alert her and could place the child at risk."
    )
    j.check(page, "question-consent", height=1200)
    _continue(page)

    _heading(page, "Is the child believed to be at risk of significant harm?")
    # The engine decides as the answers come, and says why.
    panel = page.get_by_role("region", name=re.compile("^The guidance so far"))
    expect(panel).to_be_visible()
    _group(page, "Is the child believed to be at risk of significant harm?").get_by_label(
        "Yes", exact=True
    ).check()
    _group(
        page,
        "Would seeking consent cause unjustified delay to enquiries about allegations of "
        "significant harm?",
    ).get_by_label("No", exact=True).check()
    j.check(page, "question-harm")
    _continue(page)

    _heading(page, "Record the decision")
    outcome = page.get_by_role("region", name="What the guidance says: Share")
    expect(outcome).to_contain_text("Risk of significant harm to a child (without consent)")
    expect(outcome.locator(".mash-reasons li").first).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Share only what is necessary")
    # One answer per person: the practitioner's own (issue 12, item 1), never the hub's
    # consent to refer read back as the register's "not sought".
    expect(page.get_by_role("main")).to_contain_text("Your answer on the consent page")
    expect(page.get_by_role("main")).not_to_contain_text("From the consent register")
    _answer_for_each_person(page, family, harm=True)

    _fill_item(
        page,
        1,
        text=f"{family.child_first} was seen with a bruised arm during a call-out on 2 March.",
        about=family.child,
        nature="Fact",
        recorded_on=(timezone.localdate() - dt.timedelta(days=10)).isoformat(),
        source="Police command and control log",
        currency="Current",
    )
    _press(page, "Add another item")
    _fill_item(
        page,
        2,
        text="The attending officer thought the mother was struggling to cope.",
        about=family.mother,
        nature="Opinion",
        recorded_on="2024-06-03",
        source="Officer's notebook",
        currency="Historical",
        why_historical="It shows the concern about the mother's care is long-standing.",
    )
    page.get_by_label("Your justification").fill(
        "The child is believed to be at risk of significant harm; the hub needs to know "
        "of the call-outs to decide on a strategy discussion."
    )
    # Everyone whose information is shared without consent (the page's answer for all).
    page.check("#id_informed-not_told")  # No, they will not be told
    page.check("#id_not_informed_ground")  # telling them would create or increase risk of harm
    page.locator("#id_not_informed_reason").fill(
        "Telling the mother now could lead her to keep the child away from school."
    )
    # Every share: how, why necessary and proportionate; the lawful basis the guidance
    # proposes (public task, for a share without consent) is selected, to confirm.
    page.get_by_label("Through the hub (this system)").check()
    page.get_by_label("Why is sharing this information necessary?").fill(
        "The hub needs the call-outs to decide on a strategy discussion."
    )
    page.get_by_label("Why is what you share proportionate?").fill(
        "Only the recent call-out and the officer's view, not the whole history."
    )
    expect(
        _group(page, "UK GDPR Article 6: the lawful basis").get_by_role("radio", checked=True)
    ).to_have_accessible_name(re.compile(r"6\(1\)\(e\): public task"))
    page.check("#id_adequacy_confirmed")  # necessary, proportionate, relevant, adequate ...
    j.check(page, "decision-form-people", at="#people", height=1000)
    j.check(page, "decision-form-informed", at="#informed", height=1000)
    j.check(page, "decision-form-items", at="#item-2", height=1000)
    _press(page, "Record the decision")

    _heading(page, "Information sharing decision record")
    main = page.get_by_role("main")
    for text in (
        "Share",
        "Risk of significant harm to a child (shared without consent)",
        "Priya",
        "Police",
        CURRENT.label,  # the guidance version, named in words (linked to its text)
        "Is the child believed to be at risk of significant harm?",
        "Seeking the mother's consent would alert her",
        "Will not be told: Telling them would create or increase risk of harm",
        "Telling the mother now could lead her",
        "Confirmed: necessary, proportionate, relevant, adequate, accurate, timely and secure",
        "bruised arm during a call-out",
        "struggling to cope",
        "Item 2: Opinion, historical",
        "long-standing",
        "Children's social care MASH",
    ):
        expect(main).to_contain_text(text)
    expect(main.locator(".mash-reasons li").first).to_be_visible()
    j.check(page, "decision-record", height=1100)
    j.check(page, "decision-record-informed", at="#informed", height=700)
    j.check(page, "decision-record-shared", at="h2:has-text('What was shared')", height=1000)


# --- 3. Health does not share --------------------------------------------------------


def _health_do_not_share(page: Page, j: Journey, family: Family, reference: str) -> None:
    _start_answering(page, j, "hugo", reference, "")

    page.get_by_label("No, consent was refused").check()
    j.check(page)
    _continue(page)

    _group(page, "Is the child believed to be at risk of significant harm?").get_by_label(
        "No", exact=True
    ).check()
    _group(
        page,
        "Would seeking consent cause unjustified delay to enquiries about allegations of "
        "significant harm?",
    ).get_by_label("No", exact=True).check()
    j.check(page)
    _continue(page)

    _heading(page, "Is there another reason to share information?")
    _group(
        page, "Is sharing needed to protect the vital interests of the individual?"
    ).get_by_label("No", exact=True).check()
    _group(page, "Is sharing needed to fulfil a public function?").get_by_label(
        "No", exact=True
    ).check()
    j.check(page)
    _continue(page)

    _heading(page, "Is sharing in the public interest?")
    j.check(page, "question-public-interest")
    _continue(page)  # no criterion applies

    _heading(page, "Record the decision")
    expect(page.get_by_role("region", name="What the guidance says: Do not share")).to_be_visible()
    _answer_for_each_person(page, family, harm=False)
    page.get_by_label("Your reasons for not sharing").fill(
        "The mother refused consent and nothing we hold shows a risk of significant harm."
    )
    fill_date(page, "Date you discussed it with the requester", timezone.localdate().isoformat())
    # Now: a discussion is neither before the request nor in the future.
    page.get_by_label("Time", exact=True).fill(timezone.localtime().strftime("%H:%M"))
    page.get_by_label("Who did you discuss it with?").fill("The MASH duty social worker")
    page.get_by_label("What was said?").fill(
        "Agreed health hold nothing that meets the threshold; the GP will be told."
    )
    j.check(
        page, "decision-form-not-sharing", at="h2:has-text('Why you are not sharing')", height=900
    )
    _press(page, "Record the decision")

    _heading(page, "Information sharing decision record")
    main = page.get_by_role("main")
    for text in (
        "Do not share",
        "Hugo",
        "NHS health",
        CURRENT.label,  # the guidance version, named in words (linked to its text)
        "Which public interest criteria apply?",
        "None apply",
        "The mother refused consent and nothing we hold",
        "The MASH duty social worker",
        "Agreed health hold nothing",
    ):
        expect(main).to_contain_text(text)
    expect(main).not_to_contain_text("What was shared, and with whom")
    # The record says only what happened: nothing shared, nothing answered that was not
    # asked (issue 12, item 6).
    expect(main).not_to_contain_text("Shared with")
    expect(main).not_to_contain_text("I do not know")
    j.check(page)


# --- 4. The hub reads both answers and closes the enquiry ----------------------------


def _hub_reads_and_closes(page: Page, j: Journey, family: Family, reference: str) -> None:
    page.goto("/enquiries/")
    _heading(page, "Enquiries")
    j.check(page, "enquiry-list")
    _follow(page, reference)
    _heading(page, reference)

    police = page.locator(".govuk-summary-card", has_text="Police: decision")
    expect(police).to_contain_text("Share")
    expect(police).to_contain_text("Shared without consent")
    expect(police).to_contain_text("Child at risk of significant harm")
    expect(police).to_contain_text("the hub needs to know of the call-outs")
    health = page.locator(".govuk-summary-card", has_text="NHS health: decision")
    expect(health).to_contain_text("Do not share")
    expect(health).to_contain_text("The mother refused consent")
    # Each agency's consent answers reach the hub's consent table as that agency's
    # (issue 12, item 2): health's refusal is a refusal there, never "not sought".
    consent = page.locator("table", has=page.locator("caption", has_text="Consent to share"))
    for name in (family.child, family.mother):
        row = consent.locator("tr", has=page.get_by_role("link", name=name))
        cells = row.locator("td")
        headers = consent.locator("thead th")
        health_at = headers.all_inner_texts().index("NHS health") - 1
        police_at = headers.all_inner_texts().index("Police") - 1
        expect(cells.nth(health_at)).to_contain_text("Refused")
        expect(cells.nth(police_at)).to_contain_text("Not sought")
    j.check(page, "enquiry-consent-table", at="#consent", height=700)

    # The two items, each listed once with the person it is about, plainly marked.
    for name, text, tags in (
        (family.child, "bruised arm", ["Fact", "Current"]),
        (family.mother, "struggling to cope", ["Opinion", "Historical"]),
    ):
        item = page.locator("#disclosures ~ .govuk-summary-card", has_text=text)
        expect(item).to_have_count(1)
        expect(item).to_contain_text(f"About: {name}")
        expect(item).to_contain_text("From Police")
        expect(item.locator(".govuk-tag")).to_have_text(tags)
    mother_item = page.locator("#disclosures ~ .govuk-summary-card", has_text="struggling to cope")
    expect(mother_item).to_contain_text("long-standing")
    j.check(page, "enquiry-page", at="#requests", height=1100)
    j.check(page, "enquiry-shared-items", at="#disclosures", height=1000)

    # The hub can open and print each agency's decision record.
    for agency in ("Police", "NHS health"):
        _follow(page, f"See the {agency} decision record")
        _heading(page, "Information sharing decision record")
        expect(page.get_by_role("main")).to_contain_text(agency)
        j.check(page)
        page.go_back()

    _press(page, "Record the threshold decision")
    _heading(page, "Record the threshold decision")
    page.get_by_label("Level 4: Specialist: child protection").check()
    page.get_by_label("Strategy discussion (section 47)").check()
    page.get_by_label("Police investigation").check()
    page.get_by_label("Rationale").fill(
        "Police information shows a current injury and a long-standing concern: a "
        "strategy discussion is needed."
    )
    j.check(page, "threshold-decision")
    _press(page, "Send for authorisation")
    _heading(page, reference)
    expect(page.locator("#next-step")).to_contain_text("Threshold decision waiting for a manager")
    j.check(page)


def _manager_reviews(page: Page, j: Journey, reference: str, *, authorise: bool) -> None:
    page.goto("/enquiries/")
    _follow(page, reference)
    _heading(page, reference)
    _press(page, "Review the threshold decision")
    _heading(page, "Authorise the threshold decision")
    expect(page.get_by_role("main")).to_contain_text("Strategy discussion (section 47)")
    if authorise:
        page.get_by_label("Authorise it and close the enquiry").check()
        j.check(page, "threshold-authorise")
    else:
        page.get_by_label("Send it back", exact=True).check()
        page.get_by_label("If you send it back, why?").fill(
            "Say which agency chairs the strategy discussion."
        )
        j.check(page)
    _press(page, "Save")
    _heading(page, reference)
    j.check(page)


def _hub_decides_again(page: Page, j: Journey, reference: str) -> None:
    page.reload()
    expect(page.locator("#next-step")).to_contain_text("Threshold decision sent back")
    _press(page, "Record the threshold decision")
    _heading(page, "Record the threshold decision")
    expect(page.get_by_role("main")).to_contain_text("Say which agency chairs")
    page.get_by_label("Rationale").fill(
        "Police information shows a current injury and a long-standing concern: a "
        "strategy discussion chaired by children's social care is needed."
    )
    _press(page, "Send for authorisation")
    _heading(page, reference)
    j.check(page)


def test_an_enquiry_from_the_first_contact_to_closing(
    new_page: Callable[..., Page], javascript: bool, cast: dict[str, Any]
) -> None:
    family = _family()
    j = Journey(javascript)
    hub = new_page(javascript=javascript, locale="en-GB")
    police = new_page(javascript=javascript, locale="en-GB")
    health = new_page(javascript=javascript, locale="en-GB")

    reference = _record_the_enquiry(hub, j, family)
    _ask_the_police_and_health(hub, j, family, reference)
    _police_share_without_consent(police, j, family, reference)
    _health_do_not_share(health, j, family, reference)
    _hub_reads_and_closes(hub, j, family, reference)
    manager = new_page(javascript=javascript, locale="en-GB")
    sign_in(manager, "harriet", PASSWORD)
    _manager_reviews(manager, j, reference, authorise=False)
    _hub_decides_again(hub, j, reference)
    _manager_reviews(manager, j, reference, authorise=True)
    expect(manager.get_by_role("main")).to_contain_text(
        "Outcome: Strategy discussion (section 47); Police investigation."
    )

    enquiry = Enquiry.objects.get(reference=reference)
    assert enquiry.status == "closed"
    returned, authorised = enquiry.threshold_decisions.order_by("decided_at")
    assert returned.status == "returned" and authorised.status == "authorised"
    assert authorised.outcomes == ["strategy_discussion", "police_investigation"]
    assert authorised.level.position == 4
    decisions = {d.agency.code: d for d in Decision.objects.filter(request__enquiry=enquiry)}
    assert decisions["police"].outcome == "share"
    assert decisions["police"].without_consent
    assert decisions["police"].items.count() == 2
    assert decisions["health"].outcome == "do_not_share"
    assert decisions["health"].items.count() == 0
    assert len(j.pages_checked) >= 30
    for page in (hub, police, health, manager):
        assert not console_of(page).problems()
