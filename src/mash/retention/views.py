"""The DPO's retention pages: what will be destroyed and when, holds, the sweep's
batches awaiting approval, and subject access requests. Thin: check who is asking,
parse, call a service, record the view, render. Personal data never goes in a URL:
people are searched for by a posted form, and the results kept in the session (ids
only)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mash.enquiries import permissions as enquiry_permissions
from mash.enquiries.models import Enquiry, Person
from mash.lib import paging
from mash.records.models import Action
from mash.records.services import record, record_view
from mash.sharing.models import DisclosureItem

from . import forms, permissions, planning, sar, services
from .models import (
    BatchStatus,
    Dispute,
    DisputeStatus,
    Hold,
    HoldScope,
    ProposalDecision,
    RecordKind,
    RetentionSettings,
    ReviewStatus,
    SubjectAccessReview,
    SweepBatch,
)

PREVIEW_DAYS = (30, 90)
SEARCH_SESSION_KEY = "retention_sar_people"


def _dpo(request: HttpRequest) -> Any:
    if not permissions.is_hub_dpo(request.user):
        raise PermissionDenied  # recorded by the record middleware
    return request.user


@login_required
def preview(request: HttpRequest) -> HttpResponse:
    """What will be destroyed in the next 30 (or 90) days, grouped by rule."""
    user = _dpo(request)
    try:
        days = int(request.GET.get("days", "30"))
    except ValueError:
        days = 30
    if days not in PREVIEW_DAYS:
        days = 30
    found = planning.preview(today=timezone.localdate(), days=days)
    record_view(
        request,
        action=Action.RETENTION_VIEWED,
        details={"page": "preview", "days": days, "enquiries": found.examined},
    )
    holds = Hold.objects.filter(released_at__isnull=True).select_related("placed_by", "hub")
    return render(
        request,
        "retention/preview.html",
        {
            "user": user,
            "days": days,
            "choices": PREVIEW_DAYS,
            "preview": found,
            "kinds": dict(RecordKind.choices),
            "holds": holds,
            "today": timezone.localdate(),
            "approval_required": _approval_required(user),
            "pending": SweepBatch.objects.filter(
                hub=user.agency, status=BatchStatus.PENDING
            ).count(),
        },
    )


def _approval_required(user: Any) -> bool:
    return RetentionSettings.objects.filter(hub=user.agency, approval_required=True).exists()


# The most enquiries the batch page lists under one rule (the counts cover them all).
BATCH_PAGE_ENQUIRIES = 500


@login_required
def batches(request: HttpRequest) -> HttpResponse:
    """The sweep's batches in the DPO's hub: those awaiting approval first, then the
    latest decided ones."""
    user = _dpo(request)
    rows = SweepBatch.objects.filter(hub=user.agency).annotate(
        records=Count("items"), enquiries=Count("items__enquiry_id", distinct=True)
    )
    pending = list(rows.filter(status=BatchStatus.PENDING).order_by("created_at"))
    decided = list(
        rows.exclude(status=BatchStatus.PENDING)
        .select_related("decided_by")
        .order_by("-created_at")[:50]
    )
    record_view(
        request,
        action=Action.RETENTION_VIEWED,
        details={"page": "batches", "pending": [str(b.pk) for b in pending]},
    )
    return render(
        request,
        "retention/batches.html",
        {
            "pending": pending,
            "decided": decided,
            "approval_required": _approval_required(user),
        },
    )


@login_required
def batch(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    """One batch grouped by rule, with the enquiries it touches; the DPO approves it or
    rejects it (with the reason) while it awaits approval."""
    user = _dpo(request)
    found = SweepBatch.objects.filter(pk=str(batch_id), hub=user.agency).first()
    if found is None:
        raise Http404
    status = 200
    form = forms.BatchDecisionForm()
    if request.method == "POST":
        if found.status != BatchStatus.PENDING:
            messages.info(request, "This batch is no longer awaiting approval")
            return redirect("retention:batch", batch_id=found.pk)
        form = forms.BatchDecisionForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "approve":
                    services.approve_batch(actor=user, batch=found)
                    done = "Batch approved: the next sweep destroys what in it is still due"
                else:
                    services.reject_batch(
                        actor=user, batch=found, reason=form.cleaned_data["reason"]
                    )
                    done = "Batch rejected: nothing in it is destroyed"
            except ValidationError as error:
                if "decision" in error.message_dict:
                    messages.info(request, "This batch is no longer awaiting approval")
                    return redirect("retention:batch", batch_id=found.pk)
                form.add_service_errors(error)
            else:
                messages.success(request, done)
                return redirect("retention:batches")
        status = 400
    groups = planning.batch_groups(found)
    record_view(
        request,
        action=Action.RETENTION_VIEWED,
        obj=found,
        details={"page": "batch", "batch": str(found.pk)},
    )
    return render(
        request,
        "retention/batch.html",
        {
            "batch": found,
            "groups": groups,
            "kinds": {
                **dict(RecordKind.choices),
                planning.PERSON_IN_BATCH: "People in the enquiry",
            },
            "form": form,
            "pending": found.status == BatchStatus.PENDING,
            "limit": BATCH_PAGE_ENQUIRIES,
            "enquiries": len({e for g in groups for e in g.enquiries}),
            "records": sum(g.total for g in groups),
        },
        status=status,
    )


def _hold_target(scope: str, target_id: uuid.UUID | None, user: Any) -> dict[str, Any]:
    if scope != HoldScope.HUB and target_id is None:
        raise Http404
    if scope == HoldScope.ENQUIRY:
        enquiry = Enquiry.objects.filter(pk=str(target_id), hub=user.agency).first()
        if enquiry is None:
            raise Http404
        return {"enquiry": enquiry, "label": f"enquiry {enquiry.reference}"}
    if scope == HoldScope.PERSON:
        person = Person.objects.select_related("enquiry").filter(pk=str(target_id)).first()
        if person is None or person.enquiry.hub_id != user.agency_id:
            raise Http404
        return {
            "person": person,
            "label": f"a {person.get_kind_display().lower()} in enquiry {person.enquiry.reference}",
        }
    return {"hub": user.agency, "label": f"the whole hub ({user.agency.name})"}


@login_required
def place_hold(
    request: HttpRequest, scope: str, target_id: uuid.UUID | None = None
) -> HttpResponse:
    user = _dpo(request)
    if scope not in HoldScope.values:
        raise Http404
    target = _hold_target(scope, target_id, user)
    status = 200
    if request.method == "POST":
        form = forms.HoldForm(request.POST)
        if form.accepted(
            lambda data: services.place_hold(
                actor=user,
                scope=scope,
                reason=data["reason"],
                review_on=data["review_on"],
                person=target.get("person"),
                enquiry=target.get("enquiry"),
                hub=target.get("hub"),
            )
        ):
            messages.success(request, f"Hold placed on {target['label']}")
            return redirect("retention:preview")
        status = 400
    else:
        form = forms.HoldForm()
        if "person" in target:
            record_view(
                request,
                action=Action.PERSON_VIEWED,
                obj=target["person"],
                enquiry=target["person"].enquiry_id,
                details={"page": "retention hold"},
            )
    return render(
        request,
        "retention/hold.html",
        {"form": form, "target": target, "scope": scope},
        status=status,
    )


@login_required
def holds(request: HttpRequest) -> HttpResponse:
    """Every hold, in force and released, with its reason and review date: those in
    force first (the one to review soonest at the top), a page at a time."""
    _dpo(request)
    rows = Hold.objects.select_related("placed_by", "released_by", "hub").order_by(
        F("released_at").desc(nulls_first=True), "review_on", "pk"
    )
    page = paging.page_of(request, rows, noun="holds", noun_one="hold", count=Hold.objects.all())
    record_view(request, action=Action.RETENTION_VIEWED, details={"page": "holds"})
    return render(
        request,
        "retention/holds.html",
        {"holds": page.rows, "page": page, "today": timezone.localdate()},
    )


@login_required
@require_POST
def release_hold(request: HttpRequest, hold_id: uuid.UUID) -> HttpResponse:
    user = _dpo(request)
    hold = get_object_or_404(Hold, pk=hold_id)
    try:
        services.release_hold(actor=user, hold=hold)
    except ValidationError:
        messages.info(request, "That hold had already been released")
    else:
        messages.success(request, "Hold released")
    return redirect("retention:holds")


@login_required
def sar_search(request: HttpRequest) -> HttpResponse:
    """Find the records about a person by name and date of birth (posted)."""
    user = _dpo(request)
    status = 200
    if request.method == "POST":
        form = forms.SearchForm(request.POST)
        if form.is_valid():
            found = list(
                sar.find_people(
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    date_of_birth=form.cleaned_data["date_of_birth"],
                ).filter(enquiry__hub=user.agency)[: sar.MAX_PEOPLE]
            )
            request.session[SEARCH_SESSION_KEY] = [str(p.pk) for p in found]
            record(
                action=Action.SUBJECT_ACCESS_SEARCHED,
                actor=user,
                object_type="enquiries.person",
                details={
                    "found": len(found),
                    "with_date_of_birth": bool(form.cleaned_data["date_of_birth"]),
                },
            )
            return redirect("retention:sar-results")
        status = 400
    else:
        form = forms.SearchForm()
    in_review = SubjectAccessReview.objects.filter(hub=user.agency, status=ReviewStatus.IN_REVIEW)
    reviews = paging.page_of(
        request,
        in_review.select_related("prepared_by").order_by("-prepared_at", "pk"),
        param="reviews",
        noun="exports in review",
        noun_one="export in review",
        fragment="reviews-in-progress",
        count=in_review,
    )
    return render(
        request,
        "retention/sar_search.html",
        {"form": form, "reviews": reviews},
        status=status,
    )


def _found(request: HttpRequest) -> list[Person]:
    ids = request.session.get(SEARCH_SESSION_KEY) or []
    people = Person.objects.filter(pk__in=ids, enquiry__hub=request.user.agency)  # type: ignore[union-attr]
    return list(people.select_related("enquiry").order_by("enquiry__reference", "created_at"))


@login_required
def sar_results(request: HttpRequest) -> HttpResponse:
    """The records the search found; the DPO ticks those about the person and exports."""
    user = _dpo(request)
    found = _found(request)
    # A record in a restricted enquiry the DPO is not named on (and has not broken the
    # glass on) is listed as restricted, by reference only, and cannot be exported.
    blocked = sar.restricted_people(user, found)
    people = [p for p in found if p.pk not in blocked]
    restricted = sorted(
        {p.enquiry.reference: p.enquiry_id for p in found if p.pk in blocked}.items()
    )
    choices = [(str(p.pk), p.full_name) for p in people]
    status = 200
    if request.method == "POST":
        form = forms.ExportForm(request.POST, choices=choices)
        if form.is_valid():
            chosen = [p for p in people if p.pk in set(form.person_ids())]
            try:
                review = services.prepare_subject_access_review(actor=user, people=chosen)
            except sar.RestrictedRecords as error:  # the glass break expired meanwhile
                form.add_error("person", f"The export holds records in {error}")
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return redirect("retention:sar-review", review_id=review.pk)
        status = 400
    else:
        form = forms.ExportForm(choices=choices)
    if people:
        record(
            action=Action.PERSON_VIEWED,
            actor=user,
            object_type="enquiries.person",
            details={"page": "subject access results", "people": [str(p.pk) for p in people]},
        )
    return render(
        request,
        "retention/sar_results.html",
        {"form": form, "people": people, "restricted": restricted, "found": bool(found)},
        status=status,
    )


def _review_for(request: HttpRequest, review_id: uuid.UUID) -> tuple[Any, Any, list[Person]]:
    """The DPO, one of their hub's reviews (404 otherwise: a guessed id too) and its
    people. A restricted enquiry keeps its rule here as everywhere: unless the DPO is
    named on it or has broken the glass (and the break has not expired), the answer is
    the restricted page, as on the enquiry itself."""
    user = _dpo(request)
    review = SubjectAccessReview.objects.filter(pk=str(review_id), hub=user.agency).first()
    if review is None:
        raise Http404
    people = list(
        Person.objects.filter(pk__in=review.people, enquiry__hub=user.agency)
        .select_related("enquiry")
        .order_by("enquiry__reference", "created_at")
    )
    blocked = sar.restricted_people(user, people)
    if blocked:
        enquiry = next(p.enquiry for p in people if p.pk in blocked)
        raise enquiry_permissions.EnquiryRestricted(enquiry)
    return user, review, people


def _download(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def sar_review(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    """The DPO's review of the redactions proposed for a subject access export: each in
    context, with its reason; redact or release it as written (or accept them all), then
    download the export with the accepted ones applied. The decisions are stored, so the
    DPO can come back. Works without JavaScript: radios and buttons in one form."""
    user, review, people = _review_for(request, review_id)
    status = 200
    errors: list[tuple[str, str]] = []
    stored = list(review.proposals.all())
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "refresh":
            if not people:
                messages.error(request, "These records no longer exist: search again")
                return redirect("retention:sar-search")
            review = services.prepare_subject_access_review(actor=user, people=people)
            messages.info(request, "The proposals are up to date with the records")
            return redirect("retention:sar-review", review_id=review.pk)
        allowed = {ProposalDecision.ACCEPTED.value, ProposalDecision.REJECTED.value}
        decisions: dict[uuid.UUID, str] = {}
        if action == "accept_all":
            decisions = {p.pk: ProposalDecision.ACCEPTED.value for p in stored}
        else:
            for number, p in enumerate(stored, start=1):
                value = request.POST.get(f"decision-{p.pk}", "")
                if value in allowed:
                    decisions[p.pk] = value
                elif value:
                    errors.append(
                        (
                            f"#decision-{p.pk}",
                            f"Proposal {number}: select redact or release as written",
                        )
                    )
        if not errors:
            try:
                services.decide_redactions(actor=user, review=review, decisions=decisions)
            except ValidationError as problem:
                errors.extend(("#proposals", m) for ms in problem.message_dict.values() for m in ms)
            else:
                messages.success(
                    request,
                    "All proposed redactions accepted"
                    if action == "accept_all"
                    else "Your decisions are saved",
                )
                return redirect("retention:sar-review", review_id=review.pk)
        status = 400
        stored = list(review.proposals.all())
    page = sar.review_page(stored, people, request.POST if status == 400 else None)
    record_view(
        request,
        action=Action.PERSON_VIEWED,
        obj=review,
        enquiry=people[0].enquiry_id if len({p.enquiry_id for p in people}) == 1 else None,
        details={
            "page": "subject access review",
            "people": [str(p.pk) for p in people],
            "proposals": [str(p.pk) for p in stored],
        },
    )
    decided = [p for p in stored if p.decision]
    return render(
        request,
        "retention/sar_review.html",
        {
            "review": review,
            "people": people,
            "page": page,
            "extra_errors": errors,
            "invalid": {anchor[len("#decision-") :] for anchor, _ in errors},
            "accepted": sum(1 for p in decided if p.decision == ProposalDecision.ACCEPTED),
            "rejected": sum(1 for p in decided if p.decision == ProposalDecision.REJECTED),
            "undecided": len(stored) - len(decided),
            "choices": [
                (ProposalDecision.ACCEPTED.value, "Redact"),
                (ProposalDecision.REJECTED.value, "Release as written"),
            ],
        },
        status=status,
    )


@login_required
@require_POST
def sar_review_export(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    """Download the export with the accepted redactions applied (once each proposal is
    decided and the proposals still match the records)."""
    user, review, _people = _review_for(request, review_id)
    try:
        content = services.release_subject_access(actor=user, review=review)
    except services.ReviewOutOfDate as changed:
        messages.error(
            request,
            "The records changed since the redactions were proposed: review the proposals "
            "again before the export is released",
        )
        return redirect("retention:sar-review", review_id=changed.review.pk)
    except ValidationError as problem:
        for texts in problem.message_dict.values():
            for text in texts:
                messages.error(request, text)
        return redirect("retention:sar-review", review_id=review.pk)
    return _download(content)


def _item_for(user: Any, item_id: uuid.UUID) -> DisclosureItem:
    """An item of one of the DPO's hub's enquiries; 404 otherwise (a guessed id too)."""
    item = (
        DisclosureItem.objects.select_related("decision__agency", "decision__request__enquiry")
        .filter(pk=str(item_id), decision__request__enquiry__hub=user.agency)
        .first()
    )
    if item is None:
        raise Http404
    # The DPO meets a restricted enquiry's items as anyone else does: break the glass.
    enquiry_permissions.check_restriction(user, item.decision.request.enquiry)
    return item


@login_required
def item(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    """A disclosure item's accuracy: its challenges and corrections; record a challenge."""
    user = _dpo(request)
    found = _item_for(user, item_id)
    enquiry = found.decision.request.enquiry
    people = list(found.people.all())
    choices = [(str(p.pk), f"{p.full_name} ({p.get_kind_display().lower()})") for p in people]
    status = 200
    if request.method == "POST":
        form = forms.DisputeForm(request.POST, people=choices)
        if form.accepted(
            lambda data: services.record_dispute(
                actor=user,
                item=found,
                person=next(p for p in people if str(p.pk) == data["person"]),
                statement=data["statement"],
                received_on=data["received_on"],
            )
        ):
            messages.success(request, "Challenge recorded: the item is shown as disputed")
            return redirect("retention:item", item_id=found.pk)
        status = 400
    else:
        form = forms.DisputeForm(people=choices)
    record_view(
        request,
        action=Action.DISCLOSURE_VIEWED,
        obj=found,
        enquiry=enquiry,
        details={"page": "accuracy"},
    )
    disputes = Dispute.objects.filter(item=found).select_related("person")
    return render(
        request,
        "retention/item.html",
        {"item": found, "enquiry": enquiry, "form": form, "disputes": disputes},
        status=status,
    )


@login_required
def correct_item(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    """Record a corrected version of the item (the item as shared is kept)."""
    user = _dpo(request)
    found = _item_for(user, item_id)
    enquiry = found.decision.request.enquiry
    status = 200
    if request.method == "POST":
        form = forms.CorrectionForm(request.POST)
        if form.accepted(
            lambda data: services.correct_item(
                actor=user, item=found, text=data["text"], reason=data["reason"]
            )
        ):
            messages.success(request, "Correction recorded as a new version")
            return redirect("retention:item", item_id=found.pk)
        status = 400
    else:
        form = forms.CorrectionForm()
        record_view(
            request,
            action=Action.DISCLOSURE_VIEWED,
            obj=found,
            enquiry=enquiry,
            details={"page": "correct"},
        )
    return render(
        request,
        "retention/correct.html",
        {"item": found, "enquiry": enquiry, "form": form},
        status=status,
    )


@login_required
def dispute_stands(request: HttpRequest, item_id: uuid.UUID, dispute_id: uuid.UUID) -> HttpResponse:
    """Close a challenge with the decision that the item stands, and why."""
    user = _dpo(request)
    found = _item_for(user, item_id)
    dispute = (
        Dispute.objects.filter(pk=str(dispute_id), item=found).select_related("person").first()
    )
    if dispute is None:
        raise Http404
    if dispute.status != DisputeStatus.OPEN:
        messages.error(request, "This challenge has already been closed")
        return redirect("retention:item", item_id=found.pk)
    enquiry = found.decision.request.enquiry
    status = 200
    if request.method == "POST":
        form = forms.DisputeStandsForm(request.POST)
        if form.accepted(
            lambda data: services.close_dispute_item_stands(
                actor=user, dispute=dispute, reason=data["reason"]
            )
        ):
            messages.success(request, "Challenge closed: the item stands")
            return redirect("retention:item", item_id=found.pk)
        status = 400
    else:
        form = forms.DisputeStandsForm()
        record_view(
            request,
            action=Action.DISCLOSURE_VIEWED,
            obj=found,
            enquiry=enquiry,
            details={"page": "challenge stands", "dispute": str(dispute.pk)},
        )
    return render(
        request,
        "retention/dispute_stands.html",
        {"item": found, "enquiry": enquiry, "dispute": dispute, "form": form},
        status=status,
    )
