"""A partner agency offering information without being asked (``mash.sharing.offer``).
Views parse, call the service, redirect."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from mash.enquiries import permissions as enquiry_permissions

from . import offer


@login_required
@require_POST
def offer_information(http: HttpRequest, concern_id: uuid.UUID) -> HttpResponse:
    """Open the offer and show it, ready to answer; where the agency already has a
    request on the enquiry, show that request instead."""
    concern = get_object_or_404(
        enquiry_permissions.visible_concerns(http.user).select_related("enquiry", "agency"),
        pk=concern_id,
    )
    existing = offer.existing_request(concern)
    if existing is not None:
        messages.info(http, "Your agency already has a request on this enquiry: answer it here")
        return redirect("sharing:request", request_id=existing.pk)
    try:
        offered = offer.offer_information(actor=http.user, concern=concern)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        for texts in error.message_dict.values():
            for text in texts:
                messages.error(http, text)
        return redirect("concerns:detail", concern_id=concern.pk)
    messages.success(
        http, "Your offer is open: answer the guidance's questions, then record what you share"
    )
    return redirect("sharing:request", request_id=offered.pk)
