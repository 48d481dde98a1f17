"""Reading enquiries for the hub's pages: the list, the intake's completeness, and what
agencies have answered (read straight from the sharing app's models, which it owns).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.utils import timezone

from mash.keys.services import prefetch_keys_for
from mash.lib.paging import Page, page_of, row_count
from mash.retention.selectors import prefetch_accuracy
from mash.sharing.models import (
    Decision,
    DisclosureItem,
    InformationRequest,
    Release,
    RequestStatus,
)

from . import permissions
from .models import ConsentToRefer, Enquiry, EnquiryStatus, Person, PersonKind, Source


def enquiry_for(user: Any, enquiry_id: uuid.UUID, *, change: bool = False) -> Enquiry:
    """The enquiry if the user may see it (or change it, with ``change``); otherwise
    404, exactly as if it did not exist."""
    enquiry = (
        Enquiry.objects.select_related("hub", "created_by", "closed_by", "owner")
        .filter(pk=enquiry_id)
        .first()
    )
    if enquiry is None:
        raise Http404
    allowed = (
        permissions.can_change_enquiry(user, enquiry)
        if change
        else permissions.can_view_enquiry(user, enquiry)
    )
    if not allowed:
        raise Http404
    permissions.check_restriction(user, enquiry)
    return enquiry


def person_for(enquiry: Enquiry, person_id: uuid.UUID) -> Person:
    person = Person.objects.filter(pk=person_id, enquiry=enquiry).first()
    if person is None:
        raise Http404
    return person


_RAG_ORDER = Case(
    When(rag="red", then=Value(0)),
    When(rag="amber", then=Value(1)),
    When(rag="green", then=Value(2)),
    When(rag="blue", then=Value(3)),
    default=Value(4),
    output_field=IntegerField(),
)


def _count_requests(status: str) -> Coalesce:
    return row_count(
        InformationRequest.objects.filter(enquiry_id=OuterRef("pk"), status=status),
        "enquiry_id",
    )


def _with_counts(qs: QuerySet[Enquiry]) -> QuerySet[Enquiry]:
    """Each row's requests answered and outstanding, as subqueries the database works
    out for the rows of the page only (a GROUP BY over a join would count every
    enquiry the filter matches before LIMIT), and its children in one query a page."""
    return qs.annotate(
        rag_order=_RAG_ORDER,
        answered_count=_count_requests(RequestStatus.ANSWERED),
        outstanding_count=_count_requests(RequestStatus.OPEN),
    ).prefetch_related(
        Prefetch("people", queryset=Person.objects.filter(kind=PersonKind.CHILD), to_attr="kids")
    )


def open_enquiries(user: Any) -> QuerySet[Enquiry]:
    """Open enquiries, most urgent first: the soonest response due from an agency
    (overdue ones first), then enquiries with nothing outstanding by rating, red
    first, then the newest received (Guidance, Timely). Sorted in the database, so a
    page of it is a LIMIT (index ``enquiry_hub_due``)."""
    next_due = Subquery(
        InformationRequest.objects.filter(enquiry_id=OuterRef("pk"), status=RequestStatus.OPEN)
        .order_by("deadline")
        .values("deadline")[:1]
    )
    return (
        _with_counts(permissions.listed_enquiries(user).filter(status=EnquiryStatus.OPEN))
        .annotate(next_due=next_due)
        .order_by(
            F("next_due").asc(nulls_last=True), "rag_order", "-received_at", "-created_at", "pk"
        )
    )


def closed_enquiries(user: Any) -> QuerySet[Enquiry]:
    """Closed enquiries, the most recently closed first (index ``enquiry_hub_closed``)."""
    return _with_counts(
        permissions.listed_enquiries(user).filter(status=EnquiryStatus.CLOSED)
    ).order_by("-closed_at", "-received_at", "-created_at", "pk")


def hub_enquiries(request: HttpRequest | None, user: Any, *, closed: bool = False) -> Page[Enquiry]:
    """One page (``?page=N``) of the open enquiries, or of the closed ones, with what
    each row shows loaded in a fixed number of queries: the children, the counts, each
    open enquiry's next response due in words on its hub's clock, and the data keys of
    every sealed value on the page (one query)."""
    plain = permissions.listed_enquiries(user).filter(
        status=EnquiryStatus.CLOSED if closed else EnquiryStatus.OPEN
    )
    page = page_of(
        request,
        closed_enquiries(user) if closed else open_enquiries(user),
        noun="enquiries",
        noun_one="enquiry",
        count=plain,
    )
    if not closed and page.rows:
        from mash.timeliness.config import hub_clock

        now = timezone.now()
        clocks: dict[Any, Any] = {}
        for e in page.rows:
            if e.next_due is not None:
                if e.hub_id not in clocks:
                    clocks[e.hub_id] = hub_clock(e.hub_id)
                e.next_due_words = clocks[e.hub_id].words(now, e.next_due, e.rag)
                e.next_due_overdue = e.next_due < now
    prefetch_keys_for(page.rows)
    return page


def my_drafts(request: HttpRequest | None, user: Any) -> Page[Enquiry]:
    """One page (``?drafts=N``) of the user's own drafts, the last changed first."""
    plain = permissions.visible_enquiries(user).filter(
        status=EnquiryStatus.DRAFT, created_by_id=user.pk
    )
    page = page_of(
        request,
        _with_counts(plain).order_by("-updated_at", "pk"),
        param="drafts",
        fragment="drafts",
        noun="drafts",
        noun_one="draft",
        count=plain,
    )
    prefetch_keys_for(page.rows)
    return page


def missing_answers(enquiry: Enquiry) -> list[tuple[str, str]]:
    """The intake questions still unanswered, as ``(step, message)``: ``step`` is the
    intake page that asks it."""
    missing: list[tuple[str, str]] = []
    if enquiry.received_at is None:
        missing.append(("received", "Enter when the enquiry was received"))
    if not enquiry.source:
        missing.append(("source", "Select who made the enquiry"))
    elif enquiry.source == Source.PROFESSIONAL and not all(
        [
            enquiry.referrer_name,
            enquiry.referrer_role,
            enquiry.referrer_organisation,
            enquiry.referrer_contact,
        ]
    ):
        missing.append(("referrer", "Enter the referrer's details"))
    if not enquiry.concern:
        missing.append(("concern", "Enter the concern in the referrer's words"))
    if enquiry.immediate_danger is None:
        missing.append(("danger", "Select whether the child is in immediate danger"))
    if not enquiry.people.filter(kind=PersonKind.CHILD).exists():
        missing.append(("people", "Add at least one child"))
    if not enquiry.consent_to_refer:
        missing.append(("consent", "Select whether consent to refer was obtained"))
    elif (
        enquiry.consent_to_refer == ConsentToRefer.NOT_OBTAINED
        and not enquiry.consent_not_obtained_reason
    ):
        missing.append(("consent", "Enter why consent was not obtained"))
    if not enquiry.rag or not enquiry.rag_rationale:
        missing.append(("urgency", "Select how urgent the enquiry is and why"))
    return missing


@dataclass
class DisclosedItem:
    item: DisclosureItem
    agency_name: str
    # The people of the enquiry the item is about, in the enquiry's order (issue 12:
    # each item is listed once with its people, not once under each person).
    people: list[Person] = field(default_factory=list)


# The decision contract's bases, in words (contracts/sharing-decision.md).
BASIS_LABELS = {
    "not_identifying": "The information does not identify anyone",
    "not_confidential": "The information is not confidential",
    "consent": "Consent",
    "significant_harm": "Child at risk of significant harm",
    "urgent": "Urgent: seeking consent would cause unjustified delay",
    "vital_interests": "To protect the vital interests of the individual",
    "public_function": "To fulfil a public function",
    "public_interest": "Public interest",
}


@dataclass
class RequestSummary:
    request: InformationRequest
    decision: Decision | None
    superseded: list[Decision] = field(default_factory=list)

    time_left: str = ""

    @property
    def overdue(self) -> bool:
        return self.time_left.startswith("overdue")

    @property
    def basis_label(self) -> str:
        basis = self.decision.basis if self.decision else ""
        return BASIS_LABELS.get(basis, basis)


@dataclass
class Answers:
    """What the agencies were asked and what they answered."""

    requests: list[RequestSummary]
    by_person: list[tuple[Person | None, list[DisclosedItem]]]
    decisions: list[Decision]
    # Each item shared under a current decision, once, with the people it is about.
    items: list[DisclosedItem] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return len(self.items)

    def disclosures_shown(self) -> list[dict[str, Any]]:
        """Each current decision with items, its agency and the items shown, for the
        page view's record entry (ids and codes only)."""
        shown = []
        for decision in self.decisions:
            items = [str(i.pk) for i in decision.items.all()]
            if items:
                shown.append(
                    {"decision": str(decision.pk), "agency": decision.agency.code, "items": items}
                )
        return shown


def answers(enquiry: Enquiry) -> Answers:
    """Each request with its agency, status and deadline; each agency's current
    decision (the latest that no later decision supersedes) with outcome, basis and
    reasons; and the items disclosed under current decisions, grouped by person.

    Guidance, Accurate: information "should clearly distinguish between fact and
    opinion. If the information is historical then this should be explained"."""
    requests = list(
        InformationRequest.objects.filter(enquiry=enquiry)
        .select_related("agency")
        .prefetch_related(
            Prefetch(
                "decisions",
                # Only released decisions: one held for a manager's sign-off (or
                # returned) has not reached the hub (mash.sharing.models.Release).
                queryset=Decision.objects.filter(release=Release.RELEASED)
                .select_related("decided_by", "agency")
                .order_by("-decided_at"),
            )
        )
        .order_by("agency__name")
    )
    summaries: list[RequestSummary] = []
    current: list[Decision] = []
    superseded_ids = set(
        Decision.objects.filter(
            request__enquiry=enquiry, supersedes__isnull=False, release=Release.RELEASED
        ).values_list("supersedes_id", flat=True)
    )
    from mash.timeliness.config import hub_clock

    hc = hub_clock(enquiry.hub_id)
    now = timezone.now()
    for req in requests:
        decisions = list(req.decisions.all())
        live = [d for d in decisions if d.pk not in superseded_ids]
        decision = live[0] if live else None
        summaries.append(
            RequestSummary(
                request=req,
                decision=decision,
                superseded=[d for d in decisions if d is not decision],
                time_left=hc.words(now, req.deadline, enquiry.rag)
                if req.status == RequestStatus.OPEN
                else "",
            )
        )
        if decision is not None:
            current.append(decision)
    # The items of the current decisions only (those of corrected ones are not shown),
    # with who each is about, and their disputes and corrections: a query each.
    prefetch_related_objects(
        current, Prefetch("items", queryset=DisclosureItem.objects.prefetch_related("people"))
    )
    shown_items = [item for decision in current for item in decision.items.all()]
    accuracy = prefetch_accuracy(shown_items)

    people = list(enquiry.people.all())
    grouped: dict[uuid.UUID | None, list[DisclosedItem]] = {p.pk: [] for p in people}
    grouped[None] = []
    order = {p.pk: n for n, p in enumerate(people)}
    each_once: list[DisclosedItem] = []
    for decision in current:
        for item in decision.items.all():
            entry = DisclosedItem(
                item=item,
                agency_name=decision.agency.name,
                people=sorted(
                    (p for p in item.people.all() if p.pk in order), key=lambda p: order[p.pk]
                ),
            )
            each_once.append(entry)
            about: list[uuid.UUID | None] = [p.pk for p in item.people.all() if p.pk in grouped]
            for pk in about or [None]:
                grouped[pk].append(entry)
    by_person: list[tuple[Person | None, list[DisclosedItem]]] = [
        (p, grouped[p.pk]) for p in people if grouped[p.pk]
    ]
    if grouped[None]:
        by_person.append((None, grouped[None]))
    prefetch_keys_for([enquiry, *requests, *people, *accuracy])
    return Answers(requests=summaries, by_person=by_person, decisions=current, items=each_once)


def outstanding_requests(enquiry: Enquiry) -> list[InformationRequest]:
    return list(
        InformationRequest.objects.filter(enquiry=enquiry, status=RequestStatus.OPEN)
        .select_related("agency")
        .order_by("agency__name")
    )
