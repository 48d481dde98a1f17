"""Allocation and "My work": take an enquiry from the team queue, assign or reassign it,
and the page of what the signed-in hub user owns, what waits in the queue, and what is
waiting for them. Views parse, call a service, render."""

from __future__ import annotations

import uuid
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mash.agencies.models import User
from mash.records.models import Action
from mash.records.services import record_view

from . import allocation, forms, permissions, selectors, work
from .services import EnquiryError


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """What I own, what waits in the team queue, the requests sent on my enquiries,
    and the questions and reviews waiting for me: each most urgent first."""
    if not permissions.can_see_my_work(request.user):
        raise Http404
    found = work.my_work(request, request.user)
    shown = found.shown()
    if any(shown.values()):
        record_view(request, action=Action.WORK_LISTED, details=shown)
    from django.utils import timezone

    return render(request, "enquiries/my_work.html", {"work": found, "today": timezone.localdate()})


@login_required
@require_POST
def take(request: HttpRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    """Take an enquiry from the team queue: it is mine now."""
    enquiry = selectors.enquiry_for(request.user, enquiry_id)
    if not permissions.can_change_enquiry(request.user, enquiry):
        raise PermissionDenied
    try:
        allocation.take_enquiry(enquiry=enquiry, actor=_actor(request))
    except EnquiryError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"You own enquiry {enquiry.reference} now")
    return redirect("enquiries:detail", enquiry_id=enquiry.pk)


@login_required
@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    """A manager (or the owner) gives the enquiry to a practitioner, or back to the
    team queue."""
    enquiry = selectors.enquiry_for(request.user, enquiry_id)
    if not permissions.can_allocate_enquiry(request.user, enquiry):
        raise PermissionDenied
    candidates = allocation.owner_candidates(enquiry)
    current = enquiry.owner
    status = 200
    if request.method == "POST":
        form = forms.AllocateForm(request.POST, candidates=candidates, current=current)

        def act(data: dict[str, str]) -> None:
            chosen = next((u for u in candidates if str(u.pk) == data["owner"]), None)
            if current is None:
                if chosen is None:
                    raise PermissionDenied
                allocation.assign_enquiry(enquiry=enquiry, actor=_actor(request), owner=chosen)
            else:
                allocation.reassign_enquiry(enquiry=enquiry, actor=_actor(request), owner=chosen)

        try:
            accepted = form.accepted(act)
        except EnquiryError as refusal:
            form.add_error(None, str(refusal))
            accepted = False
        if accepted:
            who = enquiry.owner.display_name if enquiry.owner else "the team queue"
            messages.success(request, f"Enquiry {enquiry.reference} is with {who} now")
            return redirect("enquiries:detail", enquiry_id=enquiry.pk)
        status = 400
    else:
        form = forms.AllocateForm(candidates=candidates, current=current)
    return render(
        request,
        "enquiries/allocate.html",
        {"enquiry": enquiry, "form": form, "current": current},
        status=status,
    )
