"""The strategy discussion: the hub records it (and reads it on the enquiry); partner
agencies that attended see their part only; an action's owner marks it done. Views
parse, call a service, render."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from mash.agencies.models import User
from mash.keys.services import prefetch_keys_for
from mash.lib.paging import page_of
from mash.records.models import Action
from mash.records.services import record_view

from . import forms, permissions, selectors, strategy, threshold
from .models import StrategyAction, StrategyAttendance, StrategyDiscussion
from .services import EnquiryError


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _meeting(data: dict[str, Any]) -> strategy.Meeting:
    return strategy.Meeting(
        held_at=data["held_at"],
        chair_id=data["chair"],
        decisions=data["decisions"],
        attendances=[
            strategy.Attendance(
                agency_id=pk,
                attendees=data.get(f"attendees_{pk}", ""),
                contribution=data.get(f"contribution_{pk}", ""),
            )
            for pk in data["attended"]
        ],
        actions=[
            strategy.ActionInput(description=text, owner_id=owner, due_on=due, row=n)
            for n, text, owner, due in data["actions"]
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_discussion(request: HttpRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    """Record the strategy discussion the authorised decision called for, or read it."""
    if not permissions.can_use_hub_pages(request.user):
        raise Http404
    enquiry = selectors.enquiry_for(request.user, enquiry_id)
    decision = threshold.current_decision(enquiry)
    if decision is None or not strategy.calls_for_discussion(decision):
        messages.error(request, "The authorised decision does not call for a strategy discussion.")
        return redirect("enquiries:detail", enquiry_id=enquiry.pk)
    held = (
        StrategyDiscussion.objects.filter(decision_id=decision.pk)
        .select_related("chair", "recorded_by")
        .first()
    )
    if held is not None:
        attendances = list(held.attendances.select_related("agency"))
        actions = list(held.actions.select_related("owner", "agency", "done_by"))
        record_view(
            request,
            action=Action.STRATEGY_VIEWED,
            obj=held,
            enquiry=enquiry,
            details={"actions": [str(a.pk) for a in actions]},
        )
        return render(
            request,
            "enquiries/strategy/record.html",
            {
                "enquiry": enquiry,
                "meeting": held,
                "attendances": attendances,
                "actions": actions,
                "user_id": request.user.pk,
            },
        )
    if not permissions.can_record_strategy(request.user, enquiry):
        raise PermissionDenied
    options: dict[str, Any] = {
        "chairs": strategy.chairs(enquiry.hub_id),
        "agencies": strategy.agencies(),
        "owners": strategy.action_owners(enquiry.hub_id),
    }
    status = 200
    if request.method == "POST":
        form = forms.StrategyForm(request.POST, **options)
        try:
            accepted = form.accepted(
                lambda data: strategy.record_strategy_discussion(
                    decision=decision, actor=_actor(request), meeting=_meeting(data)
                )
            )
        except EnquiryError as refusal:
            form.add_error(None, str(refusal))
            accepted = False
        if accepted:
            messages.success(request, f"The strategy discussion on {enquiry.reference} is recorded")
            return redirect("enquiries:strategy", enquiry_id=enquiry.pk)
        status = 400
    else:
        form = forms.StrategyForm(initial={"chair": str(request.user.pk)}, **options)
        record_view(
            request,
            action=Action.ENQUIRY_VIEWED,
            obj=enquiry,
            enquiry=enquiry,
            details={"page": "strategy"},
        )
    return render(
        request, "enquiries/strategy/new.html", {"enquiry": enquiry, "form": form}, status=status
    )


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    """A partner agency's strategy discussions (those it attended) and the user's own
    actions from them."""
    if not permissions.can_raise_concern(request.user):
        raise Http404
    attended = (
        StrategyAttendance.objects.filter(agency_id=_actor(request).agency_id or 0)
        .select_related("discussion", "discussion__chair", "enquiry")
        .order_by("-discussion__held_at", "pk")
    )
    page = page_of(request, attended, noun="strategy discussions", noun_one="strategy discussion")
    mine = page_of(
        request,
        strategy.open_actions_of(request.user),
        param="actions",
        fragment="actions",
        noun="actions",
        noun_one="action",
    )
    prefetch_keys_for(mine.rows)
    shown = [str(a.discussion_id) for a in page.rows]
    if shown or mine.rows:
        record_view(
            request,
            action=Action.STRATEGY_LISTED,
            details={"discussions": shown, "actions": [str(a.pk) for a in mine.rows]},
        )
    return render(request, "enquiries/strategy/partner_list.html", {"page": page, "mine": mine})


@login_required
def partner_record(request: HttpRequest, discussion_id: uuid.UUID) -> HttpResponse:
    """The agency's part of one strategy discussion: when, the chair, its attendance,
    its contribution and its actions. Nothing else of the meeting or the enquiry."""
    if not permissions.can_raise_concern(request.user):
        raise Http404
    agency_id = _actor(request).agency_id or 0
    attendance = get_object_or_404(
        StrategyAttendance.objects.select_related("discussion", "discussion__chair", "enquiry"),
        discussion_id=discussion_id,
        agency_id=agency_id,
    )
    meeting = attendance.discussion
    actions = list(
        StrategyAction.objects.filter(discussion_id=meeting.pk, agency_id=agency_id)
        .select_related("owner", "done_by")
        .order_by("due_on", "pk")
    )
    record_view(
        request,
        action=Action.STRATEGY_VIEWED,
        obj=meeting,
        enquiry=meeting.enquiry_id,
        details={"agency": str(agency_id), "actions": [str(a.pk) for a in actions]},
    )
    return render(
        request,
        "enquiries/strategy/partner_record.html",
        {
            "meeting": meeting,
            "attendance": attendance,
            "actions": actions,
            "user_id": request.user.pk,
        },
    )


@login_required
@require_POST
def action_done(request: HttpRequest, action_id: uuid.UUID) -> HttpResponse:
    """The owner marks an action done."""
    action = StrategyAction.objects.filter(pk=action_id, owner_id=request.user.pk).first()
    if action is None:
        raise Http404
    try:
        strategy.complete_action(action=action, actor=_actor(request))
    except EnquiryError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "The action is marked done")
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        return redirect(back)
    return redirect(reverse("my-work") if _actor(request).in_hub else reverse("strategy:list"))
