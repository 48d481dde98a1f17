"""No personal data in logs or URLs (issue 6, part 5; house rule). Drives the journey
through the hub's pages and services (intake, a request, the police's decision, consent,
restricting the enquiry, breaking the glass, the DPO's review, the record, refusals,
a wrong password, missing pages) with every logger of the process captured at DEBUG, and
with distinctive text planted in every free-text and name field. No log record, in its
message or its arguments, and no address the hub sent a browser to, carries any of it.

(Django logs SQL with its parameters only when DEBUG is on; DEBUG is never on in
production: tests/security/test_web_hardening.py checks the production settings.)
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.sharing.pages import TO_SIGNIFICANT_HARM, decision_url, share_form, walk

CHILD_FIRST, CHILD_LAST = "Zephyrine", "Quillfeather"
PARENT = "Barnaby Quillfeather-Osei"
REFERRER = "Ottoline Brackenbury"
CONCERN = "PLANTED-CONCERN bruises on the upper arms seen at swimming"
ADDRESS = "PLANTED-ADDRESS 17 Larkspur Mews"
ITEM = "PLANTED-ITEM domestic incident call-outs to the home"
JUSTIFICATION = "PLANTED-JUSTIFICATION risk of significant harm to Zephyrine"
RESTRICTION = "PLANTED-RESTRICTION the child of a hub social worker"
GLASS = "PLANTED-GLASS covering the duty desk for Zephyrine"
CONSENT_PURPOSE = "PLANTED-CONSENT-PURPOSE sharing with the school nurse"
PLANTED = [
    CHILD_FIRST,
    CHILD_LAST,
    PARENT,
    REFERRER,
    CONCERN,
    ADDRESS,
    ITEM,
    JUSTIFICATION,
    RESTRICTION,
    GLASS,
    CONSENT_PURPOSE,
]


def _text(record: logging.LogRecord) -> str:
    """All a handler could write: the message, its arguments and any traceback."""
    trace = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
    return f"{record.getMessage()} {record.args!r} {record.exc_text or ''} {trace}"


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logs() -> Iterator[_Keep]:
    """Every logger of the process into one list, as a server run with ``LOG_LEVEL=DEBUG``
    logs: the root at DEBUG, loggers the settings give their own level keep it."""
    keep = _Keep()
    root = logging.getLogger()
    loggers = [root] + [
        logger
        for logger in (logging.getLogger(name) for name in list(logging.root.manager.loggerDict))
        if not logger.propagate
    ]
    level = root.level
    root.setLevel(logging.DEBUG)
    for logger in loggers:
        logger.addHandler(keep)
    try:
        yield keep
    finally:
        root.setLevel(level)
        for logger in loggers:
            logger.removeHandler(keep)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _as(cast: dict[str, Any], who: str) -> Client:
    client = Client()
    client.force_login(cast[who])
    return client


def _journey(cast: dict[str, Any], addresses: list[str]) -> None:
    from mash.consent import services as consent
    from mash.enquiries import services as enquiries
    from mash.enquiries.models import Enquiry, GlassBreak

    hana = cast["hub_practitioner"]

    def visit(client: Client, url: str, method: str = "get", data: Any = None) -> Any:
        response = getattr(client, method)(url, data or {})
        addresses.append(url)
        if "Location" in response:
            addresses.append(response["Location"])
        return response

    hub = _as(cast, "hub_practitioner")
    visit(hub, reverse("enquiries:start"), "post")
    enquiry = Enquiry.objects.get()
    for step, data in [
        (
            "received",
            {
                "received_day": "1",
                "received_month": "11",
                "received_year": "2026",
                "received_time": "09:30",
            },
        ),
        ("source", {"source": "professional"}),
        (
            "referrer",
            {
                "referrer_name": REFERRER,
                "referrer_role": "Teacher",
                "referrer_organisation": "Larkspur Primary",
                "referrer_contact": "01234 567890",
            },
        ),
        ("concern", {"concern": CONCERN}),
        ("danger", {"immediate_danger": "no"}),
    ]:
        visit(hub, reverse("enquiries:step", args=[enquiry.pk, step]), "post", data)
    for kind, first, last, extra in [
        ("child", CHILD_FIRST, CHILD_LAST, {"dob_day": "3", "dob_month": "4", "dob_year": "2018"}),
        ("parent", PARENT.split()[0], PARENT.split()[1], {"relationship": "father"}),
    ]:
        visit(
            hub,
            reverse("enquiries:person-add", args=[enquiry.pk]),
            "post",
            {"kind": kind, "first_name": first, "last_name": last, "address": ADDRESS, **extra},
        )
    for step, data in [
        (
            "consent",
            {
                "consent_to_refer": "not_obtained",
                "consent_not_obtained_reason": f"Asking {PARENT} could put the child at risk",
            },
        ),
        ("urgency", {"rag": "red", "rag_rationale": f"{CHILD_FIRST} has bruises"}),
    ]:
        visit(hub, reverse("enquiries:step", args=[enquiry.pk, step]), "post", data)
    visit(hub, reverse("enquiries:check", args=[enquiry.pk]), "post")
    enquiry.refresh_from_db()
    assert enquiry.status == "open", "the intake did not complete"
    child = enquiry.people.get(kind="child")

    deadline = timezone.localtime() + timedelta(days=1)
    visit(
        hub,
        reverse("sharing:request-create", args=[enquiry.pk]),
        "post",
        {
            "agencies": [str(cast["police_practitioner"].agency_id)],
            "people": [str(p.pk) for p in enquiry.people.all()],
            "purpose": f"What is known about {CHILD_FIRST}'s home",
            "deadline_date": deadline.strftime("%Y-%m-%d"),
            "deadline_time": "17:00",
        },
    )
    request = enquiry.requests.get()
    police = _as(cast, "police_practitioner")
    visit(police, reverse("sharing:inbox"))
    visit(police, reverse("sharing:request", args=[request.pk]))
    walk(police, request, TO_SIGNIFICANT_HARM)
    visit(
        police,
        decision_url(request),
        "post",
        share_form(child, **{"item-1-text": ITEM, "justification": JUSTIFICATION}),
    )
    decision = request.decisions.get()
    visit(police, reverse("sharing:decision", args=[decision.pk]))
    visit(hub, reverse("sharing:decision", args=[decision.pk]))

    consent.record_consent(
        actor=hana,
        person=child,
        status="given",
        giver="parental_responsibility",
        giver_relationship="father",
        purpose=CONSENT_PURPOSE,
        method="verbal",
        given_on=date(2026, 11, 2),
    )
    visit(hub, reverse("consent:person", args=[child.pk]))
    visit(hub, reverse("enquiries:detail", args=[enquiry.pk]))
    visit(hub, reverse("enquiries:list"))

    manager = _as(cast, "hub_manager")
    visit(
        manager, reverse("enquiries:restrict", args=[enquiry.pk]), "post", {"reason": RESTRICTION}
    )
    visit(hub, reverse("enquiries:detail", args=[enquiry.pk]))  # the restricted page
    visit(hub, reverse("enquiries:break-glass", args=[enquiry.pk]), "post", {"reason": GLASS})
    visit(hub, reverse("enquiries:detail", args=[enquiry.pk]))
    dpo = _as(cast, "dpo")
    visit(dpo, reverse("enquiries:glass-breaks"))
    glass = GlassBreak.objects.get()
    visit(dpo, reverse("enquiries:glass-break-review", args=[glass.pk]), "post")
    visit(dpo, reverse("records:activity") + f"?enquiry={enquiry.pk}")
    visit(dpo, reverse("records:export") + f"?enquiry={enquiry.pk}")

    # Refusals, missing pages and a wrong password.
    visit(_as(cast, "outsider"), reverse("enquiries:detail", args=[enquiry.pk]))
    visit(_as(cast, "outsider"), reverse("consent:person", args=[child.pk]))
    visit(hub, "/enquiries/00000000-0000-4000-8000-000000000000/")
    visit(Client(), "/sign-in", "post", {"username": CHILD_FIRST, "password": CONCERN})
    visit(Client(enforce_csrf_checks=True), "/decisions/check", "post", {"x": CHILD_LAST})
    enquiries.lift_restriction(enquiry=enquiry, actor=cast["hub_manager"])


def test_nothing_planted_reaches_a_log_record_or_an_address(
    cast: dict[str, Any], logs: _Keep
) -> None:
    addresses: list[str] = []
    _journey(cast, addresses)
    assert logs.records, "nothing was logged at all: the capture is not working"
    found = []
    for record in logs.records:
        text = _text(record)
        found += [f"{record.name}: {p}" for p in PLANTED if p in text]
    assert not found, "personal data in the log:\n  " + "\n  ".join(found)
    in_addresses = [f"{a}: {p}" for a in addresses for p in PLANTED if p in a]
    assert not in_addresses, "personal data in an address:\n  " + "\n  ".join(in_addresses)


def test_the_capture_would_catch_a_leak(logs: _Keep) -> None:
    """The check above is only as good as the capture: a line logged anywhere is seen."""
    logging.getLogger("mash.anything").warning("about %s", CHILD_FIRST)
    logging.getLogger("django.request").error("Not Found: %s", f"/x/{CHILD_LAST}")
    texts = [_text(r) for r in logs.records]
    assert any(CHILD_FIRST in t for t in texts) and any(CHILD_LAST in t for t in texts)


def test_a_template_lookup_that_fails_logs_no_context_even_at_debug(logs: _Keep) -> None:
    """At DEBUG, Django's template engine logs a failed variable lookup with a traceback
    that shows the context it looked in. Django's own loggers stay at INFO (Django's
    default logging, which the settings keep) even when the root runs at DEBUG."""
    from django.template import Context, Template

    Template("{{ child.nickname.first }}").render(Context({"child": {"name": CHILD_FIRST}}))
    assert not [r for r in logs.records if CHILD_FIRST in _text(r)]
