"""The enquiry's state and its one next action, for the top of the enquiry page and the
"submitted" page: take it from the team queue, ask agencies, read what came back,
record the outcome. Pure: the view passes what it already loaded (no queries here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .models import EnquiryStatus


@dataclass(frozen=True)
class NextStep:
    """``state`` says where the enquiry is; ``detail`` one sentence more; ``label`` and
    ``url`` the primary button (``post``: a form button, for actions that change
    something); no ``label`` when nothing is for this user to do now."""

    state: str
    detail: str = ""
    label: str = ""
    url: str = ""
    post: bool = False


def _agencies(n: int) -> str:
    return "1 agency" if n == 1 else f"{n} agencies"


def next_step(
    *,
    enquiry: Any,
    requests: Sequence[Any],
    can_take: bool,
    can_ask: bool,
    can_close: bool,
    take_url: str,
    ask_url: str | None,
    close_url: str,
    threshold: Any = None,
    can_authorise: bool = False,
    review_url: str = "#threshold",
    feedback_url: str = "",
    feedback_due: str = "",
    rate_url: str = "",
    strategy_url: str = "",
) -> NextStep:
    """``requests`` are the enquiry's ``selectors.RequestSummary`` rows; ``threshold``
    its latest threshold decision, if any; ``feedback_url`` the feedback page while the
    referrer is still to be told the authorised outcome (and this user may tell them)."""
    if enquiry.status == EnquiryStatus.CLOSED:
        if threshold is not None and threshold.status == "authorised" and strategy_url:
            return NextStep(
                state="Closed: record the strategy discussion",
                detail=f"Outcome: {'; '.join(threshold.outcome_labels)}.",
                label="Record the strategy discussion",
                url=strategy_url,
            )
        if threshold is not None and threshold.status == "authorised" and feedback_url:
            return NextStep(
                state="Closed: tell the referrer the outcome",
                detail=f"Outcome: {'; '.join(threshold.outcome_labels)}."
                + (f" Feedback to the referrer is {feedback_due}." if feedback_due else ""),
                label="Tell the referrer the outcome",
                url=feedback_url,
            )
        if threshold is not None and threshold.status == "authorised":
            return NextStep(
                state="Closed", detail=f"Outcome: {'; '.join(threshold.outcome_labels)}."
            )
        outcome = enquiry.get_outcome_display() or "recorded"
        return NextStep(state="Closed", detail=f"Outcome: {outcome}.")
    if threshold is not None and threshold.status == "awaiting_authorisation":
        return NextStep(
            state="Threshold decision waiting for a manager",
            detail="The enquiry closes once a manager authorises the decision.",
            label="Review the threshold decision" if can_authorise else "",
            url=review_url,
        )
    if enquiry.status == EnquiryStatus.DRAFT:
        return NextStep(state="Draft", detail="The intake has not been submitted yet.")
    if threshold is not None and threshold.status == "returned":
        return NextStep(
            state="Threshold decision sent back",
            detail=f"{threshold.reviewed_by.display_name} sent it back: record it again.",
            label="Record the threshold decision" if can_close else "",
            url=close_url,
        )
    live = [s for s in requests if s.request.status != "withdrawn"]
    waiting = [s for s in live if s.request.status == "open"]
    answered = [s for s in live if s.decision is not None]
    if enquiry.owner_id is None and can_take:
        return NextStep(
            state="Waiting in the team queue",
            detail="Nobody owns this enquiry yet. Take it to work on it.",
            label="Take this enquiry",
            url=take_url,
            post=True,
        )
    if not enquiry.rag:
        return NextStep(
            state="New contact: not yet rated",
            detail="A partner agency raised this concern. Rate how urgent it is: until "
            "then it is on the hub's triage clock.",
            label="Rate the urgency" if rate_url else "",
            url=rate_url,
        )
    if not live:
        return NextStep(
            state="No agency asked yet",
            detail="Decide which partner agencies need to be involved and ask them what they hold.",
            label="Ask agencies for information" if can_ask and ask_url else "",
            url=ask_url or "",
        )
    if waiting and not answered:
        soonest = min(waiting, key=lambda s: s.request.deadline)
        return NextStep(
            state=f"Waiting for {_agencies(len(waiting))} to answer",
            detail=f"The first response is {soonest.time_left}." if soonest.time_left else "",
            label="See the requests",
            url="#requests",
        )
    if waiting:
        return NextStep(
            state=f"{len(answered)} of {_agencies(len(live))} have answered",
            detail=f"Still waiting for {_agencies(len(waiting))}.",
            label="Read what came back",
            url="#disclosures",
        )
    return NextStep(
        state="Every agency asked has answered",
        detail="Read what came back, then record the threshold decision.",
        label="Record the threshold decision" if can_close else "",
        url=close_url,
    )
