"""Feedback to the referrer: the page that tells them the outcome of the authorised
threshold decision (by e-mail, or recorded as told by telephone), and shows what was
sent once it is. Views parse, call a service, render."""

from __future__ import annotations

import uuid
from typing import cast

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

from . import feedback, forms, permissions, selectors, threshold
from .models import Feedback, ThresholdStatus
from .services import EnquiryError


@login_required
@require_http_methods(["GET", "POST"])
def send(request: HttpRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    """Tell the referrer the outcome, or see what they were told."""
    if not permissions.can_use_hub_pages(request.user):
        raise Http404
    enquiry = selectors.enquiry_for(request.user, enquiry_id)
    if not permissions.can_send_feedback(request.user, enquiry):
        raise PermissionDenied
    decision = threshold.current_decision(enquiry)
    if decision is None or decision.status != ThresholdStatus.AUTHORISED:
        messages.error(request, "Feedback is sent once a manager has authorised the decision.")
        return redirect("enquiries:detail", enquiry_id=enquiry.pk)
    sent = (
        Feedback.objects.filter(decision_id=decision.pk)
        .select_related("sent_by")
        .prefetch_related("items")
        .first()
    )
    if sent is not None:
        record_view(request, action=Action.FEEDBACK_VIEWED, obj=sent, enquiry=enquiry, details={})
        return render(
            request,
            "enquiries/feedback_sent.html",
            {"enquiry": enquiry, "decision": decision, "sent": sent},
        )
    if not feedback.can_be_told(enquiry):
        messages.error(request, "The referrer is anonymous: there is nobody to tell.")
        return redirect("enquiries:detail", enquiry_id=enquiry.pk)
    items = feedback.items_that_may_be_passed_on(enquiry)
    status = 200
    if request.method == "POST":
        form = forms.FeedbackForm(request.POST, items=items)
        try:
            accepted = form.accepted(
                lambda data: feedback.send_feedback(
                    decision=decision,
                    actor=cast(User, request.user),
                    method=data["method"],
                    email=data["email"],
                    text=data["text"],
                    item_ids=data["items"],
                )
            )
        except EnquiryError as refusal:
            form.add_error(None, str(refusal))
            accepted = False
        if accepted:
            how = "sent" if form.cleaned_data["method"] == "email" else "recorded"
            messages.success(request, f"Feedback to the referrer on {enquiry.reference} {how}")
            return redirect("enquiries:detail", enquiry_id=enquiry.pk)
        status = 400
    else:
        email = feedback.email_of(enquiry)
        form = forms.FeedbackForm(
            initial={
                "method": "email" if email else "phone",
                "email": email,
                "text": feedback.draft_text(decision, enquiry),
            },
            items=items,
        )
        record_view(
            request,
            action=Action.ENQUIRY_VIEWED,
            obj=enquiry,
            enquiry=enquiry,
            details={"page": "feedback", "items": [str(i.pk) for i in items]},
        )
    due = decision.feedback_due_at
    return render(
        request,
        "enquiries/feedback.html",
        {
            "enquiry": enquiry,
            "decision": decision,
            "form": form,
            "items": items,
            "due": due,
            "overdue": due is not None and due < timezone.now(),
        },
        status=status,
    )
