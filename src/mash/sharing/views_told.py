"""Recording that a person the decision said "will be told" has been told (Guidance,
How?: "Inform the individual that the information has been shared"). Views parse, call
``services.record_told``, render."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from mash.enquiries import permissions as enquiry_permissions
from mash.records.models import Action
from mash.records.services import record_view

from . import permissions, services
from .guide import check_date, date_boxes, date_from_boxes
from .models import PersonInformed


@login_required
@require_http_methods(["GET", "POST"])
def record_told(http: HttpRequest, decision_id: uuid.UUID, person_id: uuid.UUID) -> HttpResponse:
    """The date a person was told, for a decision of the user's agency that said they
    would be told."""
    informing = get_object_or_404(
        PersonInformed.objects.select_related(
            "person", "decision", "decision__request", "decision__request__enquiry"
        ).filter(decision__in=permissions.visible_decisions(http.user)),
        decision_id=decision_id,
        person_id=person_id,
    )
    decision = informing.decision
    if not permissions.can_answer_request(http.user, decision.request):
        raise Http404
    enquiry_permissions.check_restriction(http.user, decision.request.enquiry)
    errors: dict[str, list[str]] = {}
    value = ""
    if http.method == "POST":
        value = date_from_boxes(http.POST, "told_on")
        told_on, problem = check_date(value, what="the date they were told", required=False)
        if problem:
            errors = {"told_on": [problem]}
        else:
            try:
                services.record_told(actor=http.user, informing=informing, told_on=told_on)
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(http, f"Recorded that {informing.person.full_name} was told")
                return redirect("sharing:decision", decision_id=decision.pk)
    record_view(
        http,
        action=Action.DECISION_VIEWED,
        obj=decision,
        enquiry=decision.request.enquiry_id,
        details={"page": "told", "person": str(informing.person_id)},
    )
    return render(
        http,
        "sharing/told.html",
        {
            "informing": informing,
            "decision": decision,
            "errors": errors.get("told_on", []),
            "error_summary": [
                {"href": "#told_on", "text": str(t)} for t in errors.get("told_on", [])
            ],
            "boxes": date_boxes(value),
        },
        status=400 if errors else 200,
    )
