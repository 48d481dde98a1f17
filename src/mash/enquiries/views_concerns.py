"""Partners raise concerns: the form a partner agency's practitioner sends to the hub,
the list of the concerns their agency raised and what happened to each, and one
concern. Nothing of the hub's enquiry beyond that. Views parse, call a service, render.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from mash.agencies.models import User
from mash.records.models import Action
from mash.records.services import record_view
from mash.sharing import offer

from . import concerns, forms, permissions, services
from .models import Feedback, PersonKind


def _partner_only(user: Any) -> None:
    if not permissions.can_raise_concern(user):
        raise Http404


@login_required
def concern_list(request: HttpRequest) -> HttpResponse:
    """The concerns the user's agency raised, newest first, with what became of each."""
    _partner_only(request.user)
    page = concerns.concern_page(request, request.user)
    if page.rows:
        record_view(
            request,
            action=Action.CONCERN_LISTED,
            details={"concerns": [str(r.concern.pk) for r in page.rows]},
        )
    return render(request, "enquiries/concerns/list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def raise_concern(request: HttpRequest) -> HttpResponse:
    """Raise a concern about a child with the hub."""
    _partner_only(request.user)
    hubs = concerns.hubs()
    if not hubs:
        raise Http404
    user = cast(User, request.user)
    status = 200
    if request.method == "POST":
        form = forms.RaiseConcernForm(request.POST, hubs=hubs)

        def act(data: dict[str, Any]) -> None:
            form.raised = concerns.raise_concern(  # type: ignore[attr-defined]
                actor=user,
                hub=form.chosen_hub(),
                details=concerns.ConcernDetails(
                    role=data["referrer_role"],
                    contact=data["referrer_contact"],
                    concern=data["concern"],
                    immediate_danger=data["immediate_danger"] == "yes",
                    child=services.PersonDetails(
                        kind=PersonKind.CHILD,
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                        other_names=data["other_names"],
                        date_of_birth=data.get("date_of_birth"),
                        estimated_age=data["estimated_age"],
                        address=data["address"],
                        school_or_setting=data["school_or_setting"],
                        relationship=data["relationship"],
                        role_in_concern=data["role_in_concern"],
                    ),
                    consent=data["consent_to_refer"],
                    obtained_from=data["consent_obtained_from"],
                    reason_not_obtained=data["consent_not_obtained_reason"],
                ),
            )

        try:
            accepted = form.accepted(act)
        except services.EnquiryError as refusal:
            form.add_error(None, str(refusal))
            accepted = False
        if accepted:
            raised = form.raised  # type: ignore[attr-defined]
            messages.success(
                request,
                f"Your concern is with the hub: reference {raised.enquiry.reference}",
            )
            return redirect("concerns:detail", concern_id=raised.pk)
        status = 400
    else:
        form = forms.RaiseConcernForm(initial={"referrer_contact": user.email}, hubs=hubs)
    return render(request, "enquiries/concerns/new.html", {"form": form}, status=status)


@login_required
def concern_detail(request: HttpRequest, concern_id: uuid.UUID) -> HttpResponse:
    """One concern the user's agency raised: what it said, and what became of it."""
    _partner_only(request.user)
    concern = get_object_or_404(
        permissions.visible_concerns(request.user).select_related("enquiry", "raised_by"),
        pk=concern_id,
    )
    enquiry = concern.enquiry
    told = Feedback.objects.filter(enquiry_id=enquiry.pk).order_by("-sent_at").first()
    record_view(request, action=Action.CONCERN_VIEWED, obj=concern, enquiry=enquiry)
    return render(
        request,
        "enquiries/concerns/detail.html",
        {
            "concern": concern,
            "enquiry": enquiry,
            "children": list(enquiry.people.filter(kind=PersonKind.CHILD)),
            "progress": concerns.progress(concern, told),
            **offer.offer_state(request.user, concern),
        },
    )
