"""Hypothesis posts junk to every form of the hub and checks the house rule for bad input.

``FORMS`` lists each form page: who fills it in and how to reach it (each example sets up
what the page needs through the apps' services and pages, with generated data; intake
steps and guided decision pages come from the apps' own lists). The fields come from the
page itself: the test reads the page's POST form
(names, and the values its radios, checkboxes and selects offer), so a field added to a
form is fuzzed without touching this file. Each example posts a mix of offered answers
and junk: any Unicode text (NULs, right-to-left marks, emoji), very long text, numbers,
impossible dates, markup and SQL-looking text, a field left out or sent twice, and names
the form does not have. Whatever is posted:

- the answer is never a server error (the test client raises any exception);
- a refused submission answers 400 or 200 with a GOV.UK error summary whose every link
  points at a field on the page;
- a refused submission saves nothing: the row count of every model of the hub is
  unchanged, and the record gains at most entries of views, listings, refused sign-ins
  and denied access (reading a page is recorded by design; writing anything is not
  allowed on a refusal);
- a submission that is not refused is accepted as a whole: a redirect, or the page again
  without an error summary (a page that stores nothing, like Check a sharing decision).

Bounded (``MAX_EXAMPLES`` per form) and derandomized, so CI sees the same posts each run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sharing.factories import will_tell

# MASH_FUZZ_EXAMPLES raises the bound for a deeper run by hand.
MAX_EXAMPLES = int(os.environ.get("MASH_FUZZ_EXAMPLES", "50"))

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True)
class FormPage:
    """A page with a form, who fills it in (a member of the shared cast, or ``None`` for
    someone not signed in) and ``url(client, cast)``, which sets up what the page needs
    (through the apps' services and pages, as people would) and returns its address, or
    the page's address and the form's ``action`` when the form posts elsewhere. It runs
    for every example, so each post meets the page as a person would."""

    name: str
    who: str | None
    url: Callable[[Client, dict[str, Any]], str | tuple[str, str]]


def _fake() -> Any:
    from faker import Faker

    fake = Faker("en_GB")
    fake.seed_instance(20261125)
    return fake


def _draft(cast: dict[str, Any]) -> Any:
    from mash.enquiries import services

    return services.start_enquiry(actor=cast["hub_practitioner"])


def _open_enquiry(cast: dict[str, Any]) -> Any:
    from tests.enquiries.conftest import open_enquiry

    return open_enquiry(cast["hub_practitioner"], _fake())


def _authorised(cast: dict[str, Any], outcomes: list[str]) -> Any:
    """An open enquiry whose threshold decision a manager authorised."""
    from mash.enquiries import threshold

    enquiry = _open_enquiry(cast)
    decision = threshold.record_threshold_decision(
        enquiry=enquiry,
        actor=cast["hub_practitioner"],
        level_id=str(threshold.levels_for(enquiry.hub_id)[3].pk),
        outcomes=outcomes,
        referral_service="",
        rationale="Significant harm suspected.",
    )
    threshold.authorise_threshold_decision(decision=decision, actor=cast["hub_manager"])
    return enquiry


def _feedback(client: Client, cast: dict[str, Any]) -> str:
    return reverse("enquiries:feedback", args=[_authorised(cast, ["early_help"]).pk])


def _strategy(client: Client, cast: dict[str, Any]) -> str:
    return reverse("enquiries:strategy", args=[_authorised(cast, ["strategy_discussion"]).pk])


def _date_of_death(client: Client, cast: dict[str, Any]) -> str:
    """A child's date of death, on a closed enquiry (where it is most often recorded)."""
    from mash.enquiries import services

    enquiry = services.close_enquiry(
        enquiry=_open_enquiry(cast),
        actor=cast["hub_manager"],
        outcome="no_further_action",
        rationale="Nothing further needed.",
    )
    person = enquiry.people.first()
    return reverse(
        "enquiries:person-date-of-death",
        kwargs={"enquiry_id": enquiry.pk, "person_id": person.pk},
    )


def _intake_step(step: str) -> Callable[[Client, dict[str, Any]], str]:
    def url(client: Client, cast: dict[str, Any]) -> str:
        from mash.enquiries.views import step_url
        from tests.enquiries.conftest import complete_draft

        # The people page lists the people added (with none, it goes to adding one).
        draft = complete_draft(cast["hub_practitioner"], _fake()) if step == "people" else None
        return step_url(draft or _draft(cast), step)

    return url


def _sign_in_page(client: Client, cast: dict[str, Any]) -> str:
    """The sign-in page, with django-axes' count of failures cleared: every example posts
    a wrong password, and the lockout (tests/agencies/test_lockout.py) is not fuzzed."""
    from axes.utils import reset

    reset()
    return "/sign-in"


def _second_step(enrolled: bool) -> Callable[[Client, dict[str, Any]], str]:
    """The code page (someone with an authenticator) or the set-up page (someone
    without), reached as a person does: the password first, through the real form."""

    def url(client: Client, cast: dict[str, Any]) -> str:
        from axes.utils import reset

        from tests.conftest import PASSWORD
        from tests.two_factor import confirmed_device, give_password

        reset()
        who = "hub_practitioner" if enrolled else "health_practitioner"
        if enrolled:
            confirmed_device(cast[who])
        response = give_password(client, cast[who].username, PASSWORD)
        assert response.status_code == 302, "the password step failed"
        return "/sign-in/two-factor" if enrolled else "/sign-in/two-factor/set-up"

    return url


def _person_url(name: str) -> Callable[[Client, dict[str, Any]], str]:
    def url(client: Client, cast: dict[str, Any]) -> str:
        from tests.enquiries.conftest import complete_draft

        enquiry = complete_draft(cast["hub_practitioner"], _fake())
        person = enquiry.people.first()
        kwargs = {"enquiry_id": enquiry.pk, "person_id": person.pk}
        if name == "enquiries:person-add":
            kwargs.pop("person_id")
        return reverse(name, kwargs=kwargs)

    return url


def _request_to_police(cast: dict[str, Any]) -> Any:
    from tests.sharing.factories import make_request

    return make_request(cast=cast, agency=cast["police_practitioner"].agency)


def _answer_page(step: str) -> Callable[[Client, dict[str, Any]], str]:
    """A page of the guided decision, reached by answering the pages before it the way
    that reaches every page (consent refused, no significant harm, no other basis)."""

    def url(client: Client, cast: dict[str, Any]) -> str:
        from tests.sharing.pages import TO_DO_NOT_SHARE, step_url, walk

        req = _request_to_police(cast)
        steps = [s for s, _ in TO_DO_NOT_SHARE]
        walk(client, req, TO_DO_NOT_SHARE[: steps.index(step)])
        return step_url(req, step)

    return url


def _decision_form(client: Client, cast: dict[str, Any]) -> str:
    import datetime as dt

    from django.utils import timezone

    from tests.sharing.pages import TO_SIGNIFICANT_HARM, decision_url, walk

    req = _request_to_police(cast)
    # The page asks about a child under 16's competence and an older person's capacity:
    # a fixed age (ten) keeps its fields the same from one example to the next.
    ten = timezone.localdate() - dt.timedelta(days=3653)
    req.people.filter(kind="child").update(date_of_birth=ten)
    walk(client, req, TO_SIGNIFICANT_HARM)
    return decision_url(req)


def _consent_person(cast: dict[str, Any]) -> Any:
    return _open_enquiry(cast).people.first()


def _consent_form(client: Client, cast: dict[str, Any]) -> str:
    return reverse("consent:record", kwargs={"person_id": _consent_person(cast).pk})


def _withdraw_form(client: Client, cast: dict[str, Any]) -> str:
    import datetime as dt

    from mash.consent import services

    consent = services.record_consent(
        actor=cast["hub_practitioner"],
        person=_consent_person(cast),
        status="given",
        giver="parental_responsibility",
        giver_relationship="Mother",
        purpose="MASH enquiry",
        method="written",
        given_on=dt.date(2026, 1, 5),
    )
    return reverse("consent:withdraw", kwargs={"record_id": consent.pk})


def _start_answering(client: Client, cast: dict[str, Any]) -> tuple[str, str]:
    req = _request_to_police(cast)
    return (
        reverse("sharing:request", args=[req.pk]),
        reverse("sharing:answer-start", args=[req.pk]),
    )


def _correct_decision(client: Client, cast: dict[str, Any]) -> tuple[str, str]:
    from tests.sharing.pages import TO_SIGNIFICANT_HARM, decision_url, share_form, walk

    req = _request_to_police(cast)
    walk(client, req, TO_SIGNIFICANT_HARM)
    recorded = client.post(decision_url(req), share_form(req.people.first()))
    assert recorded.status_code == 302, recorded.content.decode()
    decision = req.decisions.get()
    return (
        reverse("sharing:decision", args=[decision.pk]),
        reverse("sharing:correct", args=[decision.pk]),
    )


def _ask_advice(client: Client, cast: dict[str, Any]) -> str:
    from tests.sharing.pages import TO_SEEK_ADVICE, walk

    req = _request_to_police(cast)
    walk(client, req, TO_SEEK_ADVICE)
    return reverse("sharing:advice-ask", args=[req.pk])


def _give_advice(client: Client, cast: dict[str, Any]) -> str:
    from tests.sharing.advice_helpers import advice_url, ask

    return advice_url(ask(cast, _request_to_police(cast)))


def _sign_off(client: Client, cast: dict[str, Any]) -> str:
    from mash.sharing import services
    from tests.sharing.advice_helpers import signoff_url
    from tests.sharing.factories import PUBLIC_FUNCTION_OVERRIDE, an_item

    req = _request_to_police(cast)
    # Not urgent, so it waits for sign-off (an urgent share is released at once and
    # reviewed after: "If the need to share is urgent ... take immediate action").
    decision = services.record_decision(
        actor=cast["police_practitioner"],
        request=req,
        question=PUBLIC_FUNCTION_OVERRIDE,
        justification="The child is at risk of significant harm.",
        informed=will_tell(),
        adequacy_confirmed=True,
        proportionality="The risk to the child outweighs the refusal.",
        items=[an_item([req.people.first()])],
    )
    return signoff_url(decision)


def _onward_case(cast: dict[str, Any]) -> Any:
    from tests.sharing.onward_helpers import make_case

    return make_case(cast, {"police": cast["police_practitioner"].agency})


def _pass_on(client: Client, cast: dict[str, Any]) -> str:
    return reverse("sharing:onward-new", args=[_onward_case(cast).enquiry.pk])


def _ask_first(client: Client, cast: dict[str, Any]) -> str:
    case = _onward_case(cast)
    return reverse("sharing:onward-ask", args=[case.enquiry.pk, case.ask_first.pk])


def _answer_ask(client: Client, cast: dict[str, Any]) -> str:
    from tests.sharing.onward_helpers import ask

    the_ask = ask(cast["hub_practitioner"], _onward_case(cast), cast["health_practitioner"].agency)
    return reverse("sharing:onward-answer", args=[the_ask.pk])


def _restricted(cast: dict[str, Any]) -> Any:
    """An open enquiry restricted to the hub manager alone."""
    from mash.enquiries import services

    enquiry = _open_enquiry(cast)
    services.restrict_enquiry(
        enquiry=enquiry, actor=cast["hub_manager"], users=[], reason="A staff member's child"
    )
    return enquiry


def _break_glass(client: Client, cast: dict[str, Any]) -> str:
    return reverse("enquiries:break-glass", args=[_restricted(cast).pk])


def _lift_restriction(client: Client, cast: dict[str, Any]) -> tuple[str, str]:
    enquiry = _restricted(cast)
    return (
        reverse("enquiries:detail", args=[enquiry.pk]),
        reverse("enquiries:unrestrict", args=[enquiry.pk]),
    )


def _review_glass_break(client: Client, cast: dict[str, Any]) -> tuple[str, str]:
    from mash.enquiries import services

    glass = services.break_glass(
        enquiry=_restricted(cast), actor=cast["hub_practitioner"], reason="Covering the duty desk"
    )
    return (
        reverse("enquiries:glass-breaks"),
        reverse("enquiries:glass-break-review", args=[glass.pk]),
    )


def _hold_on(scope: str) -> Callable[[Client, dict[str, Any]], str]:
    def url(client: Client, cast: dict[str, Any]) -> str:
        if scope == "hub":
            return reverse("retention:hold-hub")
        enquiry = _open_enquiry(cast)
        target = enquiry if scope == "enquiry" else enquiry.people.first()
        return reverse(f"retention:hold-{scope}", kwargs={"target_id": target.pk})

    return url


def _subject_access_results(client: Client, cast: dict[str, Any]) -> str:
    """The search's results for one person (a name no earlier example used, so every
    example offers one record to choose)."""
    import uuid

    from mash.enquiries.models import Person

    person = _open_enquiry(cast).people.first()
    Person.objects.filter(pk=person.pk).update(last_name=f"Fuzz-{uuid.uuid4().hex[:12]}")
    person.refresh_from_db()
    client.post(
        reverse("retention:sar-search"),
        {"first_name": person.first_name, "last_name": person.last_name},
    )
    return reverse("retention:sar-results")


def _redaction_review(client: Client, cast: dict[str, Any]) -> str:
    """The DPO's review of the redactions proposed for a new enquiry's child (the
    referrer's name and contact details, at least)."""
    from mash.retention import services

    person = _open_enquiry(cast).people.first()
    review = services.prepare_subject_access_review(actor=cast["dpo"], people=[person])
    assert review.proposals.exists()
    return reverse("retention:sar-review", kwargs={"review_id": review.pk})


def _pending_batch(client: Client, cast: dict[str, Any]) -> str:
    """A new sweep batch awaiting the DPO's approval (an enquiry past its retention, in a
    hub whose settings ask for approval)."""
    from tests.retention.batches import pending_batch

    batch = pending_batch(cast["dpo"].agency, cast["hub_practitioner"])
    return reverse("retention:batch", kwargs={"batch_id": batch.pk})


def _item_page(name: str) -> Callable[[Client, dict[str, Any]], str]:
    """The accuracy pages of an item police shared (through the guided decision)."""

    def url(client: Client, cast: dict[str, Any]) -> str:
        from tests.sharing.pages import TO_SIGNIFICANT_HARM, decision_url, share_form, walk

        police = Client()
        police.force_login(cast["police_practitioner"])
        req = _request_to_police(cast)
        walk(police, req, TO_SIGNIFICANT_HARM)
        police.post(decision_url(req), share_form(req.people.first()))
        item = req.decisions.get().items.first()
        return reverse(name, kwargs={"item_id": item.pk})

    return url


def _dispute_stands(client: Client, cast: dict[str, Any]) -> str:
    """Closing an open challenge to an item police shared as "the item stands"."""
    from django.utils import timezone

    from mash.retention import services
    from mash.sharing.models import DisclosureItem

    item_url = _item_page("retention:item")(client, cast)
    item = DisclosureItem.objects.get(pk=item_url.rstrip("/").rsplit("/", 1)[-1])
    dispute = services.record_dispute(
        actor=cast["dpo"],
        item=item,
        person=item.people.first(),
        statement="That was not me",
        received_on=timezone.localdate(),
    )
    return reverse(
        "retention:dispute-stands", kwargs={"item_id": item.pk, "dispute_id": dispute.pk}
    )


def _forms() -> list[FormPage]:
    """Every form of the hub. Intake steps and guided decision pages come from the apps'
    own lists, so a step or page added there is fuzzed too."""
    from mash.enquiries.views import STEPS
    from mash.sharing.guide import PAGES

    hub, police = "hub_practitioner", "police_practitioner"
    return [
        FormPage("sign in", None, _sign_in_page),
        FormPage("sign in: the code", None, _second_step(enrolled=True)),
        FormPage("sign in: set up an authenticator", None, _second_step(enrolled=False)),
        FormPage(
            "sign out everywhere",
            hub,
            lambda c, cast: ("/account", "/account/sign-out-everywhere"),
        ),
        FormPage("check a sharing decision", None, lambda client, cast: "/decisions/check"),
        FormPage("check a sharing decision, signed in", hub, lambda c, cast: "/decisions/check"),
        # Enquiries: the intake, people, submit and close.
        FormPage("start an enquiry", hub, lambda c, cast: "/enquiries/new"),
        *(FormPage(f"enquiry intake: {step}", hub, _intake_step(step)) for step in STEPS),
        FormPage("add a person", hub, _person_url("enquiries:person-add")),
        FormPage("change a person", hub, _person_url("enquiries:person-change")),
        FormPage("remove a person", hub, _person_url("enquiries:person-remove")),
        FormPage("record a date of death", hub, _date_of_death),
        FormPage(
            "check and submit an enquiry",
            hub,
            lambda c, cast: reverse("enquiries:check", args=[_draft(cast).pk]),
        ),
        FormPage(
            "close an enquiry",
            hub,
            lambda c, cast: reverse("enquiries:close", args=[_open_enquiry(cast).pk]),
        ),
        # Restricted enquiries: restrict, lift, break the glass, review the break.
        FormPage(
            "restrict an enquiry",
            "hub_manager",
            lambda c, cast: reverse("enquiries:restrict", args=[_open_enquiry(cast).pk]),
        ),
        FormPage("lift a restriction", "hub_manager", _lift_restriction),
        FormPage("break the glass", hub, _break_glass),
        FormPage("review a break of the glass", "dpo", _review_glass_break),
        # The hub's day: feedback, the strategy discussion, a partner's concern.
        FormPage("feedback to the referrer", hub, _feedback),
        FormPage("record a strategy discussion", hub, _strategy),
        FormPage("raise a concern", police, lambda c, cast: reverse("concerns:new")),
        # Sharing: requests, the guided decision page by page, the record and corrections.
        FormPage(
            "send requests",
            hub,
            lambda c, cast: reverse("sharing:request-create", args=[_open_enquiry(cast).pk]),
        ),
        FormPage("start answering a request", police, _start_answering),
        *(FormPage(f"guided decision: {p.slug}", police, _answer_page(p.slug)) for p in PAGES),
        FormPage("record the decision", police, _decision_form),
        FormPage("correct a decision", police, _correct_decision),
        # Advice and sign-off.
        FormPage("ask for advice", police, _ask_advice),
        FormPage("give advice", "police_manager", _give_advice),
        FormPage("sign off sharing without consent", "police_manager", _sign_off),
        FormPage("pass information on", hub, _pass_on),
        FormPage("ask the agency before passing on", hub, _ask_first),
        FormPage("answer the hub's ask to pass on", police, _answer_ask),
        # Consent.
        FormPage("record consent", hub, _consent_form),
        FormPage("withdraw consent", hub, _withdraw_form),
        # Retention: holds and subject access requests (the hub's DPO).
        FormPage("hold an enquiry", "dpo", _hold_on("enquiry")),
        FormPage("hold a person's records", "dpo", _hold_on("person")),
        FormPage("hold the whole hub", "dpo", _hold_on("hub")),
        FormPage("approve or reject a sweep batch", "dpo", _pending_batch),
        FormPage("challenge an item's accuracy", "dpo", _item_page("retention:item")),
        FormPage("correct an item", "dpo", _item_page("retention:item-correct")),
        FormPage("close a challenge: the item stands", "dpo", _dispute_stands),
        FormPage("find a person's records", "dpo", lambda c, cast: "/retention/subject-access"),
        FormPage("export a person's records", "dpo", _subject_access_results),
        FormPage("review the proposed redactions", "dpo", _redaction_review),
    ]


FORMS = _forms()


@dataclass
class Field:
    name: str
    offered: list[str]


class _FormReader(HTMLParser):
    """The fields of the page's own POST form (not the sign-out form in the header)."""

    def __init__(self, path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.in_form = False
        self.post_forms = 0
        self.select: str | None = None
        self.fields: dict[str, Field] = {}
        self.ids: set[str] = set()
        self.error_links: list[str] = []
        self._summary_depth = 0

    def _field(self, name: str) -> Field:
        return self.fields.setdefault(name, Field(name, []))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if "govuk-error-summary" in a.get("class", "").split():
            self._summary_depth = 1
        elif self._summary_depth and tag == "div":
            self._summary_depth += 1
        if self._summary_depth and tag == "a":
            self.error_links.append(a.get("href", ""))
        if tag == "form":
            action = a.get("action", "")
            self.in_form = a.get("method", "").lower() == "post" and action in ("", self.path)
            self.post_forms += self.in_form
        if not self.in_form or not a.get("name") or a["name"] == "csrfmiddlewaretoken":
            return
        if (tag == "input" and a.get("type") in ("radio", "checkbox", "submit")) or tag == "button":
            self._field(a["name"]).offered.append(a.get("value", "on"))
        elif tag in ("input", "textarea"):
            self._field(a["name"])
        elif tag == "select":
            self.select = a["name"]
            self._field(a["name"])
        if tag == "option" and self.select:
            self._field(self.select).offered.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "div" and self._summary_depth:
            self._summary_depth -= 1


def read(html: str, path: str) -> _FormReader:
    reader = _FormReader(path)
    reader.feed(html)
    return reader


# Junk a person, a browser or an attacker might send.
ODD_VALUES = [
    "",
    " ",
    "\x00",
    "null",
    "None",
    "true",
    "-1",
    "0",
    "1e309",
    "NaN",
    "2026-02-30",
    "31/12/1899",
    "9999-99-99",
    "00000000-0000-0000-0000-000000000000",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "\u202eevil",
    "😀" * 50,
    "{{ settings.SECRET_KEY }}",
]
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
long_text = st.builds(
    lambda piece, times: piece * times, any_text.filter(bool), st.integers(500, 5000)
)
junk = st.one_of(
    any_text,
    st.sampled_from(ODD_VALUES),
    long_text,
    st.integers(-(10**20), 10**20).map(str),
    st.floats().map(str),
    st.dates().map(lambda d: d.isoformat()),
)


plain_text = st.text("abcdefghijklmnopqrstuvwxyz -", max_size=20)


def plausible(field: Field) -> st.SearchStrategy[Any]:
    """What a person filling the form in might send: an offered answer, or plain words."""
    return st.sampled_from(field.offered) if field.offered else plain_text


def spoiled(field: Field) -> st.SearchStrategy[Any]:
    """Missing, junk, or the field sent two or three times."""
    one = st.one_of(st.sampled_from(field.offered), junk) if field.offered else junk
    return st.one_of(st.none(), junk, st.lists(one, min_size=2, max_size=3))


def counts() -> dict[str, int]:
    """Rows of every table of the hub's models (the record is checked entry by entry
    instead), in one query: every example counts them twice."""
    from django.db import connection

    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model.__module__.startswith("mash.") and model._meta.label != "records.RecordEntry"
        }
    )
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)  # nosec B608: table names from the models, quoted
        row = cursor.fetchone()
    return dict(zip(tables, (int(n) for n in row), strict=True))


def writes_recorded(since: int) -> list[str]:
    """Record entries added since ``since`` that are not a view, a listing, a refused
    sign-in or a denied access."""
    from mash.records.models import Action, RecordEntry

    # Views and listings ("people.known_viewed": the already-known panel on a page shown
    # again with its errors) record what was read, not a write.
    reads = {a for a in Action.values if a.endswith((".viewed", ".listed", "_viewed"))}
    reads |= {Action.SIGN_IN_FAILED, Action.ACCESS_DENIED}
    added = RecordEntry.objects.filter(seq__gt=since).values_list("action", flat=True)
    return [action for action in added if action not in reads]


def last_record_seq() -> int:
    from mash.records.models import RecordEntry

    last = RecordEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    return int(last or 0)


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS, ids=[form.name for form in FORMS])
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_junk_posted_to_a_form_is_refused_cleanly(
    form: FormPage, cast: dict[str, Any], data: st.DataObject
) -> None:
    client = Client()
    if form.who is not None:
        client.force_login(cast[form.who])
    address = form.url(client, cast)
    page_url, url = address if isinstance(address, tuple) else (address, address)
    page = client.get(page_url)
    assert page.status_code == 200, f"{form.name}: GET {page_url} answered {page.status_code}"
    form_on_page = read(page.content.decode(), url)
    assert form_on_page.post_forms, f"{form.name}: no form posting to {url} on {page_url}"
    # A form may be a button alone (start, remove, submit): then only junk names go in.
    fields = form_on_page.fields

    # Most examples spoil a few fields of an otherwise plausible answer, so the fuzzing
    # reaches past the first refusal; some spoil every field.
    # Per-person fields carry the person's id, new in every example: order and label them
    # by their shape so hypothesis replays draw the same kinds of value in the same order.
    names = sorted(fields, key=lambda name: (_UUID.sub("<id>", name), name))
    spoil = data.draw(
        st.one_of(st.sets(st.sampled_from(names), max_size=3), st.just(set(names)))
        if names
        else st.just(set()),
        label="spoiled fields",
    )
    posted: dict[str, Any] = {}
    for name in names:
        strategy = spoiled(fields[name]) if name in spoil else plausible(fields[name])
        value = data.draw(
            st.one_of(st.none(), strategy) if name in spoil else strategy,
            label=_UUID.sub("<id>", name),
        )
        if value is not None:
            posted[name] = value
    extras = data.draw(
        st.dictionaries(st.from_regex(r"\A[a-z_]{1,12}\Z"), junk, max_size=2), label="extras"
    )
    for name, value in extras.items():
        posted.setdefault(name, value)

    before, since = counts(), last_record_seq()
    response = client.post(url, posted)
    html = response.content.decode(errors="replace")
    answer = read(html, url)

    refused = "govuk-error-summary" in html
    if refused:
        assert response.status_code in (200, 400), f"{form.name}: {response.status_code}"
        assert answer.error_links, f"{form.name}: an error summary that names no field"
        # Each problem links to its field on the page, or to the page that asks it.
        missing = [
            link
            for link in answer.error_links
            if not (link.startswith("/") or (link.startswith("#") and link[1:] in answer.ids))
        ]
        assert not missing, f"{form.name}: error summary links to no field: {missing}"
        assert counts() == before, f"{form.name}: a refused submission saved rows"
        assert not writes_recorded(since), f"{form.name}: a refused submission was recorded"
    else:
        assert response.status_code in (200, 302, 303), (
            f"{form.name}: answered {response.status_code} without an error summary"
        )
        assert not re.search(r"Traceback|Exception Value", html)
