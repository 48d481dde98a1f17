"""Notices of the sharing work itself: a question for advice and its answer, a decision
waiting for a manager's sign-off and the sign-off given or refused, a decision reaching
the hub.

Guidance, 7 Golden Rules, rule 3 "Seek Advice" and Principles, Timely: the person who
must act next is told, in the app and by e-mail, through the same machinery as the
deadline notices (``services._create_notice``): a ``Notice`` with a unique key, its
notifications, its record entry and its queued e-mail in one transaction. The sharing
services call these inside their own transaction, so the notice and the action commit
together or not at all, and a second call with the same key sends nothing.

The texts carry the enquiry's reference, an agency's name and a link: never a person's
name, the question, the advice or the note (they are read in the app, behind its
access checks). Each recipient is someone the sharing permissions let follow the link.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mash.agencies.models import User
from mash.sharing.models import AdviceRequest, Decision, DecisionOutcome

from .config import hub_clock
from .models import Notice, NoticeKind
from .services import Message, _create_notice, _url, _when, agency_managers


def _active(users: list[Any], *, leave_out: Any = None) -> list[User]:
    out: list[User] = []
    for user in users:
        if user is None or not user.is_active or user in out:
            continue
        if leave_out is not None and user.pk == leave_out.pk:
            continue
        out.append(user)
    return out


def _notify(
    *, key: str, kind: str, request: Any, now: Any, users: list[User], message: Message
) -> Notice | None:
    if not users:
        return None
    return _create_notice(
        key=key,
        kind=kind,
        request=request,
        now=now,
        messages=[(u, message) for u in users],
    )


def advice_asked(advice: AdviceRequest, *, now: Any) -> Notice | None:
    """The managers who can answer the question: the one it is addressed to, or every
    manager of the adviser's agency (the asking agency, or the hub for its safeguarding
    lead), never the person who asked."""
    req = advice.request
    ref = req.enquiry.reference
    if advice.addressed_to is not None:
        users = _active([advice.addressed_to], leave_out=advice.asked_by)
    else:
        users = _active(agency_managers(advice.adviser_agency), leave_out=advice.asked_by)
    link = reverse("sharing:advice", kwargs={"advice_id": advice.pk})
    message = Message(
        subject=f"{ref}: a practitioner asks for your advice",
        body=(
            f"A practitioner in {advice.agency.name} asks for advice before deciding on "
            f"request {ref}.\n\n"
            f"Read the question and answer it:\n{_url(link)}\n"
        ),
        link=link,
    )
    return _notify(
        key=f"advice-asked:{advice.pk}",
        kind=NoticeKind.ADVICE_ASKED,
        request=req,
        now=now,
        users=users,
        message=message,
    )


def advice_answered(advice: AdviceRequest, *, now: Any) -> Notice | None:
    """The practitioner who asked."""
    req = advice.request
    ref = req.enquiry.reference
    link = reverse("sharing:advice", kwargs={"advice_id": advice.pk})
    message = Message(
        subject=f"{ref}: your question has been answered",
        body=(
            f"The advice you asked for on request {ref} has been given.\n\n"
            f"Read it, then record your decision:\n{_url(link)}\n"
        ),
        link=link,
    )
    return _notify(
        key=f"advice-answered:{advice.pk}",
        kind=NoticeKind.ADVICE_ANSWERED,
        request=req,
        now=now,
        users=_active([advice.asked_by], leave_out=advice.answered_by),
        message=message,
    )


def signoff_awaited(decision: Decision, *, now: Any) -> Notice | None:
    """The managers of the disclosing agency, except whoever made the decision (a
    second person signs it off)."""
    req = decision.request
    ref = req.enquiry.reference
    link = reverse("sharing:signoff", kwargs={"decision_id": decision.pk})
    message = Message(
        subject=f"{ref}: a decision is waiting for your sign-off",
        body=(
            f"A decision of {decision.agency.name} on request {ref} shares information "
            "over a refusal of consent. The hub does not see it until a manager signs "
            "it off.\n\n"
            f"Check it and approve it or return it:\n{_url(link)}\n"
        ),
        link=link,
    )
    return _notify(
        key=f"signoff-awaited:{decision.pk}",
        kind=NoticeKind.SIGNOFF_AWAITED,
        request=req,
        now=now,
        users=_active(agency_managers(decision.agency), leave_out=decision.decided_by),
        message=message,
    )


def review_awaited(decision: Decision, *, now: Any) -> Notice | None:
    """The managers of the disclosing agency, except whoever made the decision: a share
    over a refusal was released to the hub at once (urgent, significant harm or a Red
    enquiry) and a manager reviews it after the event, by its review date."""
    req = decision.request
    ref = req.enquiry.reference
    link = reverse("sharing:signoff", kwargs={"decision_id": decision.pk})
    due = ""
    if decision.review_due is not None:
        hc = hub_clock(req.enquiry.hub_id)
        due = f" by {_when(decision.review_due, hc)}"
    message = Message(
        subject=f"{ref}: review a share released without consent",
        body=(
            f"A decision of {decision.agency.name} on request {ref} shared information "
            "over a refusal of consent. It was urgent, so it has been released to the "
            f"hub. Review it{due}.\n\n"
            f"Check it and record your review:\n{_url(link)}\n"
        ),
        link=link,
    )
    return _notify(
        key=f"review-awaited:{decision.pk}",
        kind=NoticeKind.SIGNOFF_AWAITED,
        request=req,
        now=now,
        users=_active(agency_managers(decision.agency), leave_out=decision.decided_by),
        message=message,
    )


def review_overdue(decision: Decision, *, now: Any) -> Notice | None:
    """The agency's managers, once, when a review after release is past its date."""
    req = decision.request
    ref = req.enquiry.reference
    link = reverse("sharing:signoff", kwargs={"decision_id": decision.pk})
    message = Message(
        subject=f"{ref}: the review of a share released without consent is overdue",
        body=(
            f"A share by {decision.agency.name} on request {ref}, released to the hub "
            "before review, has not been reviewed by its date.\n\n"
            f"Record your review:\n{_url(link)}\n"
        ),
        link=link,
    )
    return _notify(
        key=f"review-overdue:{decision.pk}",
        kind=NoticeKind.ESCALATION,
        request=req,
        now=now,
        users=_active(agency_managers(decision.agency), leave_out=decision.decided_by),
        message=message,
    )


def review_given(decision: Decision, *, now: Any, agreed: bool) -> Notice | None:
    """The practitioner who made the decision; on a disagreement also the hub (whoever
    sent the request), since it holds what was shared."""
    req = decision.request
    ref = req.enquiry.reference
    link = reverse("sharing:decision", kwargs={"decision_id": decision.pk})
    users = _active([decision.decided_by], leave_out=decision.signoff_by)
    if agreed:
        subject = f"{ref}: a manager reviewed the share and agreed"
    else:
        subject = f"{ref}: a manager reviewed the share and disagreed"
        users = _active([*users, req.created_by], leave_out=decision.signoff_by)
    message = Message(
        subject=subject,
        body=(
            f"A manager of {decision.agency.name} reviewed the share on request {ref} "
            "released before review. Read the review on the decision record.\n\n"
            f"See the decision:\n{_url(link)}\n"
        ),
        link=link,
    )
    kind = NoticeKind.SIGNOFF_GIVEN if agreed else NoticeKind.SIGNOFF_REFUSED
    return _notify(
        key=f"review-{kind}:{decision.pk}",
        kind=kind,
        request=req,
        now=now,
        users=users,
        message=message,
    )


def signoff_given(decision: Decision, *, now: Any, approved: bool) -> Notice | None:
    """The practitioner who made the decision: approved (released to the hub) or
    returned (they read the manager's note on the request and correct it)."""
    req = decision.request
    ref = req.enquiry.reference
    link = reverse("sharing:request", kwargs={"request_id": req.pk})
    if approved:
        message = Message(
            subject=f"{ref}: your decision has been signed off",
            body=(
                f"A manager approved your decision on request {ref}. It has been released "
                "to the hub.\n\n"
                f"See the request:\n{_url(link)}\n"
            ),
            link=link,
        )
    else:
        message = Message(
            subject=f"{ref}: your decision has been returned",
            body=(
                f"A manager returned your decision on request {ref} without releasing it "
                "to the hub. Read their reason on the request and record a correction.\n\n"
                f"See the request:\n{_url(link)}\n"
            ),
            link=link,
        )
    kind = NoticeKind.SIGNOFF_GIVEN if approved else NoticeKind.SIGNOFF_REFUSED
    return _notify(
        key=f"{kind}:{decision.pk}",
        kind=kind,
        request=req,
        now=now,
        users=_active([decision.decided_by], leave_out=decision.signoff_by),
        message=message,
    )


def decision_released(decision: Decision, *, now: Any) -> Notice | None:
    """The hub, once a decision reaches it (recorded without a hold, or signed off):
    whoever sent the request, or the hub's managers when that person has left."""
    req = decision.request
    hub = req.enquiry.hub
    ref = req.enquiry.reference
    users = _active([req.created_by]) or _active(agency_managers(hub))
    link = reverse("enquiries:detail", kwargs={"enquiry_id": req.enquiry_id})
    outcome = (
        "to share information"
        if decision.outcome == DecisionOutcome.SHARE
        else "not to share information"
    )
    corrected = " (a correction)" if decision.supersedes_id else ""
    message = Message(
        subject=f"{ref}: {decision.agency.name} has answered",
        body=(
            f"{decision.agency.name} has recorded its decision{corrected} on request "
            f"{ref}: {outcome}.\n\n"
            f"See the enquiry:\n{_url(link)}\n"
        ),
        link=link,
    )
    return _notify(
        key=f"decision-released:{decision.pk}",
        kind=NoticeKind.DECISION_RELEASED,
        request=req,
        now=now,
        users=users,
        message=message,
    )
