"""Selectors for "My work": what a hub practitioner owns, what waits in the team queue,
the requests sent on their enquiries, and what is waiting for them (advice asked of
them, glass breaks to review), each most urgent first on the hub's own clock.

Every list is one page in SQL (``mash.lib.paging``: a COUNT and a LIMIT query), ordered
by a stored deadline (``Enquiry.hub_due_at``, ``InformationRequest.deadline``) with a
unique last key, so the page's query count is the same at N and 10N rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone

from mash.keys.services import prefetch_keys_for
from mash.lib.paging import Page, page_of

from . import permissions
from .models import (
    Enquiry,
    EnquiryStatus,
    Person,
    PersonKind,
    ThresholdDecision,
    ThresholdStatus,
)

PER_PAGE = 25


@dataclass(frozen=True)
class Due:
    """A deadline on the hub's clock, in words ("due by 18:24 today (in 4 hours)")."""

    at: datetime | None
    words: str
    overdue: bool


def _due(hc: Any, now: datetime, at: datetime | None, rag: str) -> Due:
    if at is None:
        return Due(at=None, words="", overdue=False)
    return Due(at=at, words=hc.words(now, at, rag), overdue=at < now)


def _decision_due(hc: Any, now: datetime, enquiry: Enquiry) -> Due:
    """The hub's clock for the threshold decision (elapsed hours from receipt)."""
    from .deadlines import Rating, due_in_words
    from .threshold import DECISION_HOURS, decision_due

    at = decision_due(enquiry)
    if at is None:
        return Due(at=None, words="", overdue=False)
    clock = Rating(
        code="red", label="Decision", colour="red", hours=DECISION_HOURS, working_hours=False
    )
    return Due(at=at, words=due_in_words(now, at, clock, hc.clock), overdue=at < now)


def _by_hub_deadline(qs: QuerySet[Enquiry]) -> QuerySet[Enquiry]:
    return qs.order_by(F("hub_due_at").asc(nulls_last=True), "received_at", "pk")


@dataclass(frozen=True)
class MyWork:
    owned: Page[Any]
    queue: Page[Any] | None
    requests: Page[Any]
    advice: Page[Any]
    glass_breaks_to_review: int
    overdue_owned: int
    to_authorise: Page[Any]
    returned: Page[Any]
    feedback: Page[Any] | None = None
    overdue_feedback: int = 0
    actions: Page[Any] | None = None

    def shown(self) -> dict[str, list[str]]:
        """The ids shown, for the record entry of the view."""
        enquiries = [str(r.enquiry.pk) for r in self.owned.rows]
        if self.queue is not None:
            enquiries += [str(r.enquiry.pk) for r in self.queue.rows if not r.redacted]
        return {
            "enquiries": enquiries,
            "requests": [str(r.request.pk) for r in self.requests.rows],
            "advice": [str(a.pk) for a in self.advice.rows],
            "threshold_decisions": [str(d.pk) for d in self.to_authorise.rows]
            + [str(d.pk) for d in self.returned.rows]
            + [str(r.decision.pk) for r in (self.feedback.rows if self.feedback else [])],
            "strategy_actions": [str(a.pk) for a in (self.actions.rows if self.actions else [])],
        }

    @property
    def anything(self) -> bool:
        return bool(
            self.owned.total
            or (self.queue is not None and self.queue.total)
            or self.requests.total
            or self.advice.total
            or self.glass_breaks_to_review
            or self.to_authorise.total
            or self.returned.total
            or (self.feedback is not None and self.feedback.total)
            or (self.actions is not None and self.actions.total)
        )


@dataclass(frozen=True)
class EnquiryRow:
    enquiry: Enquiry
    due: Due
    decision_due: Due
    children: list[str]
    redacted: bool


@dataclass(frozen=True)
class FeedbackRow:
    decision: ThresholdDecision
    due: Due


@dataclass(frozen=True)
class RequestRow:
    request: Any
    due: Due


def _enquiry_rows(user: Any, page: Page[Any], hc: Any, now: datetime) -> Page[Any]:
    enquiries: list[Enquiry] = page.rows
    hidden: set[Any] = set()
    if enquiries:
        hidden = set(
            Enquiry.objects.filter(pk__in=[e.pk for e in enquiries])
            .filter(permissions.redacted_for(user))
            .values_list("pk", flat=True)
        )
    prefetch_related_objects(
        [e for e in enquiries if e.pk not in hidden],
        Prefetch("people", queryset=Person.objects.filter(kind=PersonKind.CHILD)),
    )
    prefetch_keys_for([e for e in enquiries if e.pk not in hidden])
    rows = [
        EnquiryRow(
            enquiry=e,
            due=_due(hc, now, e.hub_due_at, e.rag),
            decision_due=_decision_due(hc, now, e),
            children=[] if e.pk in hidden else [p.full_name for p in e.people.all()],
            redacted=e.pk in hidden,
        )
        for e in enquiries
    ]
    return replace(page, rows=rows)


def feedback_owed_by(user: Any) -> QuerySet[ThresholdDecision]:
    """Authorised decisions whose professional referrer is still to be told the outcome,
    for the enquiry's owner (or, where nobody owns it, whoever made the decision)."""
    from django.db.models import Q

    return ThresholdDecision.objects.filter(
        enquiry__hub_id=user.agency_id,
        status=ThresholdStatus.AUTHORISED,
        feedback_due_at__isnull=False,
        feedback__isnull=True,
    ).filter(Q(enquiry__owner_id=user.pk) | Q(enquiry__owner__isnull=True, decided_by_id=user.pk))


def my_work(request: HttpRequest, user: Any) -> MyWork:
    """The signed-in hub user's work, each list one page most urgent first."""
    from mash.sharing.models import AdviceRequest, InformationRequest, RequestStatus
    from mash.sharing.permissions import questions_for
    from mash.timeliness.config import hub_clock

    now = timezone.now()
    hc = hub_clock(user.agency_id)
    visible = permissions.visible_enquiries(user).filter(status=EnquiryStatus.OPEN)
    mine = visible.filter(owner_id=user.pk)
    owned = page_of(
        request,
        _by_hub_deadline(mine),
        per_page=PER_PAGE,
        param="owned",
        fragment="owned",
        noun="enquiries",
        noun_one="enquiry",
    )
    owned = _enquiry_rows(user, owned, hc, now)
    queue = None
    if permissions.can_record_enquiry(user):  # practitioners and managers take work
        queue = page_of(
            request,
            _by_hub_deadline(visible.filter(owner__isnull=True)),
            per_page=PER_PAGE,
            param="queue",
            fragment="queue",
            noun="enquiries",
            noun_one="enquiry",
        )
        queue = _enquiry_rows(user, queue, hc, now)
    sent = (
        InformationRequest.objects.filter(
            enquiry__in=mine, enquiry__hub_id=user.agency_id, status=RequestStatus.OPEN
        )
        .select_related("enquiry", "agency")
        .order_by("deadline", "pk")
    )
    requests = page_of(
        request,
        sent,
        per_page=PER_PAGE,
        param="requests",
        fragment="requests",
        noun="requests",
        noun_one="request",
    )
    prefetch_keys_for(requests.rows)
    requests = replace(
        requests,
        rows=[
            RequestRow(request=r, due=_due(hc, now, r.deadline, r.enquiry.rag))
            for r in requests.rows
        ],
    )
    questions: QuerySet[AdviceRequest] = (
        questions_for(user)
        .filter(answered_at__isnull=True)
        .select_related("request", "request__enquiry", "asked_by", "agency")
        .order_by("asked_at", "pk")
    )
    advice = page_of(
        request,
        questions,
        per_page=PER_PAGE,
        param="advice",
        fragment="advice",
        noun="questions",
        noun_one="question",
    )
    reviews = 0
    if permissions.can_review_glass_breaks(user):
        reviews = permissions.reviewable_glass_breaks(user).filter(reviewed_at__isnull=True).count()
    overdue = mine.filter(hub_due_at__lt=now).count()
    hidden = Enquiry.objects.filter(permissions.redacted_for(user)).values("pk")
    authorise: QuerySet[ThresholdDecision] = ThresholdDecision.objects.none()
    if user.role == "manager":
        authorise = (
            ThresholdDecision.objects.filter(
                enquiry__hub_id=user.agency_id,
                enquiry__status=EnquiryStatus.OPEN,
                status=ThresholdStatus.AWAITING,
            )
            .exclude(decided_by_id=user.pk)
            .exclude(enquiry_id__in=hidden)
        )
    later = ThresholdDecision.objects.filter(
        enquiry_id=OuterRef("enquiry_id"), decided_at__gt=OuterRef("decided_at")
    )
    sent_back = ThresholdDecision.objects.filter(
        enquiry__hub_id=user.agency_id,
        enquiry__status=EnquiryStatus.OPEN,
        status=ThresholdStatus.RETURNED,
        decided_by_id=user.pk,
    ).exclude(Exists(later))
    related = ("enquiry", "decided_by", "reviewed_by", "level")
    to_authorise = page_of(
        request,
        authorise.select_related(*related).order_by("decided_at", "pk"),
        per_page=PER_PAGE,
        param="authorise",
        fragment="advice",
        noun="decisions",
        noun_one="decision",
    )
    returned = page_of(
        request,
        sent_back.select_related(*related).order_by("reviewed_at", "pk"),
        per_page=PER_PAGE,
        param="returned",
        fragment="advice",
        noun="decisions",
        noun_one="decision",
    )
    owed = feedback_owed_by(user).exclude(enquiry_id__in=hidden)
    feedback = page_of(
        request,
        owed.select_related("enquiry").order_by("feedback_due_at", "pk"),
        per_page=PER_PAGE,
        param="feedback",
        fragment="feedback",
        noun="referrers to tell",
        noun_one="referrer to tell",
    )
    feedback = replace(
        feedback,
        rows=[
            FeedbackRow(decision=d, due=_due(hc, now, d.feedback_due_at, "green"))
            for d in feedback.rows
        ],
    )
    overdue_feedback = owed.filter(feedback_due_at__lt=now).count() if feedback.total else 0
    from .strategy import open_actions_of

    actions = page_of(
        request,
        open_actions_of(user),
        per_page=PER_PAGE,
        param="actions",
        fragment="actions",
        noun="actions",
        noun_one="action",
    )
    prefetch_keys_for([*advice.rows, *to_authorise.rows, *returned.rows, *actions.rows])
    return MyWork(
        actions=actions,
        feedback=feedback,
        overdue_feedback=overdue_feedback,
        to_authorise=to_authorise,
        returned=returned,
        owned=owned,
        queue=queue,
        requests=requests,
        advice=advice,
        glass_breaks_to_review=reviews,
        overdue_owned=overdue,
    )
