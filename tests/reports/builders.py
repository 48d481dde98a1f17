"""Contacts, threshold decisions, requests and decisions with exactly the times and
codes the reports read, made in the test (the ORM sets the timestamps the services
would stamp with now)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

from mash.enquiries.models import (
    Enquiry,
    EnquiryStatus,
    Feedback,
    Person,
    ThresholdDecision,
    ThresholdStatus,
)
from mash.enquiries.threshold import ensure_default_continuum
from mash.people.models import IndexedPerson, PersonLink
from mash.sharing.models import (
    AdviceRequest,
    Decision,
    DisclosureItem,
    InformationRequest,
    PersonInformed,
    Release,
)

_n = itertools.count(1)


def at(day: int, hour: int = 10, month: int = 1, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=dt.UTC)


def contact(
    hub_user: Any,
    *,
    received: dt.datetime,
    rag: str = "amber",
    consent_to_refer: str = "obtained",
    status: str = EnquiryStatus.OPEN,
) -> Enquiry:
    n = next(_n)
    return Enquiry.objects.create(
        reference=f"RPT-{n:05d}",
        hub=hub_user.agency,
        status=status,
        received_at=received,
        source="professional",
        concern=f"Concern {n}",
        rag=rag,
        consent_to_refer=consent_to_refer,
        created_by=hub_user,
    )


def threshold(
    enquiry: Enquiry,
    by: Any,
    *,
    after_hours: float,
    outcomes: Sequence[str] = ("no_further_action",),
    status: str = ThresholdStatus.AUTHORISED,
) -> ThresholdDecision:
    level = ensure_default_continuum(enquiry.hub)[0]
    assert enquiry.received_at is not None
    return ThresholdDecision.objects.create(
        enquiry=enquiry,
        level=level,
        outcomes=list(outcomes),
        rationale="Because",
        decided_by=by,
        decided_at=enquiry.received_at + dt.timedelta(hours=after_hours),
        status=status,
    )


def ask(
    enquiry: Enquiry, agency: Any, by: Any, *, after_hours: float = 1, due_hours: float = 24
) -> InformationRequest:
    assert enquiry.received_at is not None
    sent = enquiry.received_at + dt.timedelta(hours=after_hours)
    req = InformationRequest.objects.create(
        enquiry=enquiry,
        agency=agency,
        purpose="What is known",
        deadline=sent + dt.timedelta(hours=due_hours),
        created_by=by,
    )
    InformationRequest.objects.filter(pk=req.pk).update(created_at=sent)
    req.refresh_from_db()
    return req


def decide(
    req: InformationRequest,
    by: Any,
    *,
    after_hours: float,
    outcome: str = "share",
    basis: str = "consent",
    without_consent: bool = False,
    requires: Sequence[str] = (),
    informed: Sequence[str] = (),
    legacy_informed: str = "",
    signoff_after: float | None = None,
    release: str = Release.RELEASED,
    discussed: bool = False,
    items: Sequence[tuple[str, str]] = (("fact", "current"),),
    supersedes: Decision | None = None,
) -> Decision:
    decided = req.created_at + dt.timedelta(hours=after_hours)
    signed = req.created_at + dt.timedelta(hours=signoff_after) if signoff_after else None
    released = None if release != Release.RELEASED else (signed or decided)
    decision = Decision.objects.create(
        request=req,
        agency=req.agency,
        decided_by=by,
        decided_at=decided,
        guidance_version="herefordshire-mash-v4-2023-05",
        question={},
        outcome=outcome,
        basis=basis if outcome == "share" else "",
        without_consent=without_consent,
        requires=list(requires),
        informed=legacy_informed,
        discussed_at=decided if discussed else None,
        discussed_with="The hub" if discussed else "",
        release=release,
        released_at=released,
        signoff_at=signed,
        signoff_by=by if signed else None,
        supersedes=supersedes,
    )
    for answer in informed:
        # Each person whose information is shared without consent has their own answer.
        person = Person.objects.create(
            enquiry=req.enquiry, kind="adult", first_name="Alex", last_name=f"Adult {next(_n)}"
        )
        PersonInformed.objects.create(
            decision=decision,
            person=person,
            answer=answer,
            told_on=decided.date() if answer == "told" else None,
            tell_by=decided.date() + dt.timedelta(days=7) if answer == "will_tell" else None,
            ground="risk_of_harm" if answer == "not_told" else "",
            reason="Telling them could increase the risk" if answer == "not_told" else "",
        )
    for nature, currency in items if outcome == "share" else ():
        DisclosureItem.objects.create(
            decision=decision,
            text="An item",
            nature=nature,
            recorded_on=decided.date(),
            source="A record",
            currency=currency,
        )
    return decision


def advice(decision: Decision, by: Any) -> AdviceRequest:
    return AdviceRequest.objects.create(
        request=decision.request,
        agency=decision.agency,
        asked_by=by,
        asked_at=decision.decided_at - dt.timedelta(hours=1),
        adviser_kind="agency_manager",
        adviser_agency=decision.agency,
        question="Should I share?",
        decision=decision,
    )


def child_in(
    enquiry: Enquiry, indexed: IndexedPerson | None = None, *, kind: str = "child"
) -> IndexedPerson:
    """A person of ``kind`` in ``enquiry``, linked in the person index to ``indexed`` (a
    new indexed person when none): the link the index makes for a certain match."""
    person = Person.objects.create(
        enquiry=enquiry, kind=kind, first_name="Olivia", last_name=f"Child {next(_n)}"
    )
    if indexed is None:
        indexed = IndexedPerson.objects.create(hub=enquiry.hub)
    PersonLink.objects.create(
        person=person,
        indexed_person=indexed,
        how="automatic",
        linked_at=enquiry.received_at or enquiry.created_at,
    )
    return indexed


def authorise(
    decision: ThresholdDecision,
    *,
    at_: dt.datetime,
    due: dt.datetime | None,
    sent: dt.datetime | None = None,
) -> ThresholdDecision:
    """The manager authorised ``decision`` at ``at_`` (feedback due by ``due``; none for a
    referrer not owed it), and the referrer was told at ``sent`` (if at all)."""
    ThresholdDecision.objects.filter(pk=decision.pk).update(
        status=ThresholdStatus.AUTHORISED, reviewed_at=at_, feedback_due_at=due
    )
    decision.refresh_from_db()
    if sent is not None:
        Feedback.objects.create(
            decision=decision,
            enquiry=decision.enquiry,
            method="phone",
            text="You were told",
            sent_by=decision.decided_by,
            sent_at=sent,
        )
    return decision


def review(
    decision: Decision,
    *,
    due: dt.datetime,
    reviewed: dt.datetime | None = None,
    agreed: bool | None = None,
) -> Decision:
    """An urgent share released at once and reviewed by a manager after the event."""
    Decision.objects.filter(pk=decision.pk).update(
        review_due=due,
        signoff_at=reviewed,
        signoff_by=decision.decided_by if reviewed else None,
        review_agreed=agreed,
    )
    decision.refresh_from_db()
    return decision
