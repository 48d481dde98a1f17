"""The enquiry page leads with its state and one next action: take it, ask agencies,
read what came back, record the outcome."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from mash.enquiries.next_step import next_step


def summary(status: str, answered: bool = False, time_left: str = "") -> Any:
    request = SimpleNamespace(status=status, deadline=dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC))
    return SimpleNamespace(
        request=request, decision=object() if answered else None, time_left=time_left
    )


def enquiry(status: str = "open", owner: Any = "someone", rag: str = "amber") -> Any:
    return SimpleNamespace(
        status=status, owner_id=owner, rag=rag, get_outcome_display=lambda: "Early help"
    )


@pytest.mark.parametrize(
    ("case", "requests", "state", "label", "url"),
    [
        ("queue", [], "Waiting in the team queue", "Take this enquiry", "/take"),
        ("owned", [], "No agency asked yet", "Ask agencies for information", "/ask"),
        (
            "owned",
            [summary("open", time_left="due by 18:24 today (in 4 hours)"), summary("open")],
            "Waiting for 2 agencies to answer",
            "See the requests",
            "#requests",
        ),
        (
            "owned",
            [summary("answered", answered=True), summary("open"), summary("withdrawn")],
            "1 of 2 agencies have answered",
            "Read what came back",
            "#disclosures",
        ),
        (
            "owned",
            [summary("answered", answered=True), summary("withdrawn")],
            "Every agency asked has answered",
            "Record the threshold decision",
            "/close",
        ),
        (
            "owned",
            [summary("withdrawn")],
            "No agency asked yet",
            "Ask agencies for information",
            "/ask",
        ),
    ],
)
def test_the_next_step_follows_the_enquiry(
    case: str, requests: list[Any], state: str, label: str, url: str
) -> None:
    found = next_step(
        enquiry=enquiry(owner=None if case == "queue" else "hana"),
        requests=requests,
        can_take=case == "queue",
        can_ask=True,
        can_close=True,
        take_url="/take",
        ask_url="/ask",
        close_url="/close",
    )
    assert (found.state, found.label, found.url) == (state, label, url)
    assert found.post == (case == "queue")


def test_a_reader_who_may_not_act_sees_the_state_without_a_button() -> None:
    found = next_step(
        enquiry=enquiry(),
        requests=[],
        can_take=False,
        can_ask=False,
        can_close=False,
        take_url="/take",
        ask_url="/ask",
        close_url="/close",
    )
    assert found.state == "No agency asked yet" and found.label == ""


def test_a_closed_enquiry_says_its_outcome() -> None:
    found = next_step(
        enquiry=enquiry(status="closed"),
        requests=[],
        can_take=False,
        can_ask=False,
        can_close=False,
        take_url="",
        ask_url=None,
        close_url="",
    )
    assert found.state == "Closed" and found.detail == "Outcome: Early help."


def test_the_enquiry_page_opens_with_the_next_action_as_its_primary_button(
    client_for: Any, enquiry: Any
) -> None:
    hana = client_for("hub_practitioner")
    page = hana.get(f"/enquiries/{enquiry.pk}/").content.decode()
    banner = page[page.index('id="next-step"') :]
    assert page.index('id="next-step"') < page.index("The enquiry</h2>")
    assert "Waiting in the team queue" in banner[:1500]
    assert (
        'class="govuk-button govuk-!-margin-bottom-0" data-module="govuk-button">Take this enquiry'
        in banner
    )
    hana.post(f"/enquiries/{enquiry.pk}/take")
    page = hana.get(f"/enquiries/{enquiry.pk}/").content.decode()
    banner = page[page.index('id="next-step"') :][:1500]
    assert "No agency asked yet" in banner
    assert (
        f'href="/requests/new/{enquiry.pk}"' in banner or "Ask agencies for information" in banner
    )


def test_the_submitted_page_offers_asking_agencies(client_for: Any, enquiry: Any) -> None:
    page = client_for("hub_practitioner").get(f"/enquiries/{enquiry.pk}/submitted").content.decode()
    assert "Ask agencies for information" in page and "Take this enquiry" in page
    dpo = client_for("dpo").get(f"/enquiries/{enquiry.pk}/submitted").content.decode()
    assert "Ask agencies for information" not in dpo


def test_a_partners_unrated_contact_asks_its_owner_to_rate_it() -> None:
    step = next_step(
        enquiry=enquiry(rag=""),
        requests=[],
        can_take=True,
        can_ask=True,
        can_close=True,
        take_url="/take",
        ask_url="/ask",
        close_url="/close",
        rate_url="/urgency",
    )
    assert step.state == "New contact: not yet rated"
    assert (step.label, step.url) == ("Rate the urgency", "/urgency")


def test_an_authorised_decision_leads_to_the_strategy_discussion_then_the_feedback() -> None:
    decision = SimpleNamespace(status="authorised", outcome_labels=["Strategy discussion"])
    common: dict[str, Any] = {
        "enquiry": enquiry(status="closed"),
        "requests": [],
        "can_take": False,
        "can_ask": False,
        "can_close": False,
        "take_url": "/take",
        "ask_url": "/ask",
        "close_url": "/close",
        "threshold": decision,
    }
    first = next_step(**common, strategy_url="/strategy", feedback_url="/feedback")
    assert (first.label, first.url) == ("Record the strategy discussion", "/strategy")
    then = next_step(**common, feedback_url="/feedback", feedback_due="due by 17:00 today")
    assert (then.label, then.url) == ("Tell the referrer the outcome", "/feedback")
    assert "due by 17:00 today" in then.detail
    done = next_step(**common)
    assert done.label == "" and done.state == "Closed"
