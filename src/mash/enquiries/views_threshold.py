"""The threshold decision pages: the hub records the level of need, the outcomes and
the rationale; a manager authorises it (closing the enquiry) or sends it back. Views
parse, call a service, render."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from mash.agencies.models import User
from mash.records.models import Action
from mash.records.services import record_view

from . import forms, permissions, selectors, services, threshold
from .deadlines import Rating, due_in_words
from .models import EnquiryStatus, ThresholdDecision, ThresholdStatus


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _closed(request: HttpRequest, enquiry: Any) -> HttpResponse:
    messages.error(request, str(services.EnquiryClosed(enquiry)))
    return redirect("enquiries:detail", enquiry_id=enquiry.pk)


def _due_words(enquiry: Any) -> str:
    """ "due by 10:15 tomorrow (in 23 hours)": the decision's clock, in elapsed time."""
    from mash.timeliness.config import hub_clock

    due = threshold.decision_due(enquiry)
    if due is None:
        return ""
    elapsed = Rating(
        code="red",
        label="Decision",
        colour="red",
        hours=threshold.DECISION_HOURS,
        working_hours=False,
    )
    return due_in_words(timezone.now(), due, elapsed, hub_clock(enquiry.hub_id).clock)


@login_required
@require_http_methods(["GET", "POST"])
def record_decision(request: HttpRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    """Record the threshold decision, for a manager to authorise."""
    if not permissions.can_use_hub_pages(request.user):
        raise Http404
    enquiry = selectors.enquiry_for(request.user, enquiry_id)
    if not permissions.can_close_enquiry(request.user, enquiry):
        raise PermissionDenied
    if enquiry.status == EnquiryStatus.CLOSED:
        return _closed(request, enquiry)
    if enquiry.status == EnquiryStatus.DRAFT:
        return redirect("enquiries:check", enquiry_id=enquiry.pk)
    levels = threshold.levels_for(enquiry.hub_id)
    previous = threshold.current_decision(enquiry)
    if previous is not None and previous.status == ThresholdStatus.AWAITING:
        messages.error(request, "A threshold decision is already waiting for a manager.")
        return redirect("enquiries:detail", enquiry_id=enquiry.pk)
    outstanding = selectors.outstanding_requests(enquiry)
    status = 200
    if request.method == "POST":
        form = forms.ThresholdForm(request.POST, levels=levels)
        try:
            accepted = form.accepted(
                lambda data: threshold.record_threshold_decision(
                    enquiry=enquiry,
                    actor=_actor(request),
                    level_id=data["level"],
                    outcomes=data["outcomes"],
                    referral_service=data["referral_service"],
                    rationale=data["rationale"],
                )
            )
        except services.EnquiryClosed:
            return _closed(request, enquiry)
        except services.EnquiryError as refusal:
            form.add_error(None, str(refusal))
            accepted = False
        if accepted:
            messages.success(
                request,
                f"The threshold decision on {enquiry.reference} is waiting for a manager "
                "to authorise it",
            )
            return redirect("enquiries:detail", enquiry_id=enquiry.pk)
        status = 400
    else:
        initial: dict[str, Any] = {}
        if previous is not None and previous.status == ThresholdStatus.RETURNED:
            initial = {
                "level": str(previous.level_id),
                "outcomes": list(previous.outcomes),
                "referral_service": previous.referral_service,
                "rationale": previous.rationale,
            }
        form = forms.ThresholdForm(initial=initial, levels=levels)
        record_view(
            request,
            action=Action.ENQUIRY_VIEWED,
            obj=enquiry,
            enquiry=enquiry,
            details={"page": "close"},
        )
    return render(
        request,
        "enquiries/threshold.html",
        {
            "enquiry": enquiry,
            "form": form,
            "levels": levels,
            "outstanding": outstanding,
            "returned": previous
            if previous and previous.status == ThresholdStatus.RETURNED
            else None,
            "due_words": _due_words(enquiry),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, enquiry_id: uuid.UUID, decision_id: uuid.UUID) -> HttpResponse:
    """A manager reads the threshold decision and authorises it or sends it back."""
    if not permissions.can_use_hub_pages(request.user):
        raise Http404
    enquiry = selectors.enquiry_for(request.user, enquiry_id)
    decision = (
        ThresholdDecision.objects.select_related("level", "decided_by", "reviewed_by", "enquiry")
        .filter(pk=decision_id, enquiry_id=enquiry.pk)
        .first()
    )
    if decision is None:
        raise Http404
    can_review = (
        decision.status == ThresholdStatus.AWAITING
        and enquiry.status == EnquiryStatus.OPEN
        and permissions.can_authorise_threshold(request.user, decision)
    )
    status = 200
    form = forms.ThresholdReviewForm()
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied
        form = forms.ThresholdReviewForm(request.POST)

        def act(data: dict[str, Any]) -> None:
            if data["verdict"] == "authorise":
                threshold.authorise_threshold_decision(decision=decision, actor=_actor(request))
            else:
                threshold.return_threshold_decision(
                    decision=decision, actor=_actor(request), reason=data["reason"]
                )

        try:
            accepted = form.accepted(act)
        except services.EnquiryError as refusal:
            form.add_error(None, str(refusal))
            accepted = False
        if accepted:
            if decision.status == ThresholdStatus.AUTHORISED:
                messages.success(
                    request, f"Decision authorised: enquiry {enquiry.reference} is closed"
                )
            else:
                messages.success(request, f"The decision on {enquiry.reference} was sent back")
            return redirect("enquiries:detail", enquiry_id=enquiry.pk)
        status = 400
    else:
        record_view(
            request,
            action=Action.THRESHOLD_VIEWED,
            obj=decision,
            enquiry=enquiry,
            details={"page": "threshold-review"},
        )
    return render(
        request,
        "enquiries/threshold_review.html",
        {"enquiry": enquiry, "decision": decision, "form": form, "can_review": can_review},
        status=status,
    )
