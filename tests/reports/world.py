"""The report tests' world, worked out by hand (see the expected figures in each test):
five contacts from 5 to 20 January 2026 (plus a draft and one from December, neither
counted), their threshold decisions, requests to the police and health, and the
agencies' decisions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from . import builders as b
from .builders import at

START = dt.date(2026, 1, 5)
END = dt.date(2026, 1, 25)
QUERY = {
    "from_day": "5",
    "from_month": "1",
    "from_year": "2026",
    "to_day": "25",
    "to_month": "1",
    "to_year": "2026",
}


@dataclasses.dataclass
class World:
    contacts: list[Any]
    held: Any
    hidden_by_hold: int = 1


def make(cast: dict[str, Any], agencies: dict[str, Any]) -> World:
    hub, police, health = cast["hub_practitioner"], agencies["police"], agencies["health"]
    priya, hugo, paul = (
        cast["police_practitioner"],
        cast["health_practitioner"],
        cast["police_manager"],
    )
    manager = cast["hub_manager"]
    e1 = b.contact(hub, received=at(5), rag="red", consent_to_refer="not_obtained")
    e2 = b.contact(hub, received=at(7), rag="amber")
    e3 = b.contact(hub, received=at(12), rag="green")
    e4 = b.contact(hub, received=at(20), rag="")
    e5 = b.contact(hub, received=at(14), rag="blue")
    b.contact(hub, received=at(8), status="draft")
    b.contact(hub, received=at(20, month=12, year=2025), rag="red")

    b.threshold(
        e1, manager, after_hours=2, outcomes=("strategy_discussion", "police_investigation")
    )
    b.threshold(e2, manager, after_hours=30, outcomes=("early_help",))
    b.threshold(e3, manager, after_hours=10, status="awaiting_authorisation")
    b.threshold(e5, manager, after_hours=20, outcomes=("advice_and_information",))

    # Requests, each sent an hour after receipt and due 24 hours after sending.
    r1p = b.ask(e1, police, hub)
    r2p = b.ask(e2, police, hub)
    r2h = b.ask(e2, health, hub)
    r3h = b.ask(e3, health, hub)
    r5p = b.ask(e5, police, hub)

    old = b.decide(r1p, priya, after_hours=3, items=(("opinion", "current"),))
    b.decide(r1p, priya, after_hours=4, supersedes=old)  # answered after 3h, corrected
    b.decide(
        r2p,
        priya,
        after_hours=28,
        signoff_after=30,
        basis="significant_harm",
        without_consent=True,
        requires=("proportionality_of_override", "inform_individual_unless_risk"),
        informed=("not_told",),
        items=(("opinion", "historical"), ("fact", "current")),
    )
    refused = b.decide(r2h, hugo, after_hours=10, outcome="do_not_share", discussed=True)
    b.advice(refused, hugo)
    b.decide(
        r3h,
        hugo,
        after_hours=2,
        basis="urgent",
        without_consent=True,
        requires=("record_reason_consent_not_obtained",),
        informed=("told",),
        items=(("fact", "historical"),),
    )
    held = b.decide(
        r5p,
        paul,
        after_hours=5,
        basis="significant_harm",
        without_consent=True,
        requires=("proportionality_of_override",),
        informed=("not_told",),
        release="awaiting_signoff",
    )
    return World(contacts=[e1, e2, e3, e4, e5], held=held)
