"""Consent pages: a person's consent history and position, recording consent given,
refused or withdrawn, the evidence, and the FHIR export. Thin: check access (404 when
refused), parse, call a service or selector, render, and record the view."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from mash.agencies.models import Agency
from mash.enquiries import permissions as enquiry_permissions
from mash.enquiries.models import Enquiry, Person
from mash.keys.crypto import DecryptionRefused
from mash.keys.services import KeyDestroyed
from mash.records.models import Action
from mash.records.services import record_view

from . import evidence as evidence_store
from . import permissions, selectors, services
from .fhir import to_fhir
from .forms import ConsentForm, WithdrawalForm
from .models import ConsentRecord, ConsentStatus, with_purpose_names

logger = logging.getLogger(__name__)

DATE_PARTS = [("day", "Day", "2"), ("month", "Month", "2"), ("year", "Year", "4")]


def _form_context() -> dict[str, Any]:
    limit = evidence_store.max_bytes()
    return {
        "date_parts": DATE_PARTS,
        "evidence_hint": f"A PDF, PNG or JPEG, smaller than {limit // (1024 * 1024) or 1} MB",
    }


def _person_or_404(request: HttpRequest, person_id: uuid.UUID) -> Person:
    person = get_object_or_404(Person.objects.select_related("enquiry"), pk=person_id)
    if not permissions.can_view_consent(request.user, person):
        raise Http404
    enquiry_permissions.check_restriction(request.user, person.enquiry)
    return person


def _record_or_404(request: HttpRequest, record_id: uuid.UUID) -> ConsentRecord:
    consent = get_object_or_404(
        ConsentRecord.objects.select_related(
            "person__enquiry", "recorded_by", "recorded_by_agency"
        ).prefetch_related("agencies", "withdrawals"),
        pk=record_id,
    )
    if not permissions.can_view_record(request.user, consent):
        raise Http404
    enquiry_permissions.check_restriction(request.user, consent.person.enquiry)
    return consent


def _agencies_for(user: Any, person: Person) -> list[Agency]:
    """Whose position the user sees: the hub and every partner for hub staff; for a
    partner, the hub (which they share with) and their own agency."""
    recipients = selectors.recipients_for(person.enquiry)
    agency = getattr(user, "agency", None)
    if agency is not None and not agency.is_hub:
        return [a for a in recipients if a.is_hub or a.pk == agency.pk]
    return recipients


@login_required
@require_GET
def person_consent(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """A person's consent position for each agency, and their history, newest first."""
    person = _person_or_404(request, person_id)
    history = with_purpose_names(
        list(
            permissions.visible_records(request.user, person)
            .select_related("recorded_by", "recorded_by_agency", "withdraws")
            .prefetch_related(
                "agencies", Prefetch("withdrawals", queryset=ConsentRecord.objects.only("id"))
            )
            .order_by("-given_on", "-given_time", "-recorded_at")
        )
    )
    cells = selectors.person_cells(
        person=person, records=history, agencies=_agencies_for(request.user, person)
    )
    record_view(
        request,
        action=Action.CONSENT_VIEWED,
        obj=person,
        enquiry=person.enquiry_id,
        details={"view": "history", "records": [str(r.pk) for r in history]},
    )
    return render(
        request,
        "consent/person.html",
        {
            "person": person,
            "cells": cells,
            "history": history,
            "can_record": permissions.can_record_consent(request.user, person),
        },
    )


def _apply_errors(form: Any, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages_:
            form.add_error(target, message)


def _limit_uploads(request: HttpRequest) -> None:
    """Put the evidence size limit first in the upload chain. It must happen before
    anything reads the body, so these views are CSRF-checked inside (``csrf_protect``)
    rather than by the middleware."""
    request.upload_handlers = [
        evidence_store.SizeLimitedUpload(request),
        *request.upload_handlers,
    ]


def _too_large(request: HttpRequest) -> bool:
    return bool(getattr(request, evidence_store.SizeLimitedUpload.too_large_attribute, False))


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def record_consent(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Record consent given or refused."""
    _limit_uploads(request)
    return _record_consent(request, person_id)


@csrf_protect
def _record_consent(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = _person_or_404(request, person_id)
    if not permissions.can_record_consent(request.user, person):
        raise Http404
    status = 200
    if request.method == "POST":
        form = ConsentForm(
            request.POST, request.FILES, person=person, evidence_too_large=_too_large(request)
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                consent = services.record_consent(
                    actor=request.user,
                    person=person,
                    status=data["status"],
                    giver=data["giver"],
                    giver_relationship=data["giver_relationship"],
                    gillick_competent=data["gillick_competent"],
                    agencies=list(data["agencies"]) if data["scope"] == "some" else None,
                    purpose=data["purpose"],
                    purposes=form.limited_purposes(),
                    categories=data["categories"] if data["category_scope"] == "some" else None,
                    information_covered=data["information_covered"],
                    method=data["method"],
                    given_on=data["given_on"],
                    given_time=data["given_time"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    evidence=data["evidence"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request, f"Consent {consent.get_status_display().lower()} recorded"
                )
                return redirect("consent:person", person_id=person.pk)
        status = 400
    else:
        form = ConsentForm(person=person)
    record_view(
        request,
        action=Action.CONSENT_VIEWED,
        obj=person,
        enquiry=person.enquiry_id,
        details={"view": "record_form"},
    )
    return render(
        request,
        "consent/record.html",
        {"person": person, "form": form, **_form_context()},
        status=status,
    )


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def withdraw_consent(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    """Record that consent given earlier has been withdrawn (a new, dated record)."""
    _limit_uploads(request)
    return _withdraw_consent(request, record_id)


@csrf_protect
def _withdraw_consent(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    consent = _record_or_404(request, record_id)
    person = consent.person
    if (
        not permissions.can_withdraw(request.user, consent)
        or consent.status != ConsentStatus.GIVEN
        or consent.withdrawals.exists()
    ):
        raise Http404
    status = 200
    if request.method == "POST":
        form = WithdrawalForm(
            request.POST, request.FILES, person=person, evidence_too_large=_too_large(request)
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.withdraw_consent(
                    actor=request.user,
                    withdraws=consent,
                    giver=data["giver"],
                    giver_relationship=data["giver_relationship"],
                    gillick_competent=data["gillick_competent"],
                    method=data["method"],
                    given_on=data["given_on"],
                    given_time=data["given_time"],
                    evidence=data["evidence"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, "Withdrawal of consent recorded")
                return redirect("consent:person", person_id=person.pk)
        status = 400
    else:
        form = WithdrawalForm(person=person)
    record_view(
        request,
        action=Action.CONSENT_VIEWED,
        obj=consent,
        enquiry=person.enquiry_id,
        details={"view": "withdraw_form"},
    )
    return render(
        request,
        "consent/withdraw.html",
        {"person": person, "consent": consent, "form": form, **_form_context()},
        status=status,
    )


@login_required
@require_GET
def evidence(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    """The uploaded consent form, as an attachment of its checked type."""
    consent = _record_or_404(request, record_id)
    if not consent.has_evidence:
        raise Http404
    try:
        content = evidence_store.load(consent.evidence_name)
    except FileNotFoundError:
        raise Http404 from None
    except KeyDestroyed:
        return render(request, "consent/evidence_destroyed.html", {"consent": consent}, status=410)
    except (DecryptionRefused, ValueError):
        # The file was altered or moved: say so in the log (ids only).
        logger.error("Consent evidence for record %s could not be decrypted", consent.pk)
        raise Http404 from None
    record_view(
        request,
        action=Action.CONSENT_VIEWED,
        obj=consent,
        enquiry=consent.person.enquiry_id,
        details={"view": "evidence"},
    )
    extension = evidence_store.EXTENSIONS.get(consent.evidence_content_type, "bin")
    response = HttpResponse(content, content_type=consent.evidence_content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="consent-evidence-{consent.pk}.{extension}"'
    )
    return response


@login_required
@require_GET
def fhir_export(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    """The record as an HL7 FHIR R4 Consent resource, downloaded as JSON."""
    consent = _record_or_404(request, record_id)
    evidence_url = (
        request.build_absolute_uri(reverse("consent:evidence", args=[consent.pk]))
        if consent.has_evidence
        else None
    )
    resource = to_fhir(consent, evidence_url=evidence_url)
    record_view(
        request,
        action=Action.EXPORT_DOWNLOADED,
        obj=consent,
        enquiry=consent.person.enquiry_id,
        details={"format": "fhir-r4-consent"},
    )
    response = HttpResponse(
        json.dumps(resource, indent=2), content_type="application/fhir+json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="consent-{consent.pk}.fhir.json"'
    return response


def consent_table_context(
    request: HttpRequest, enquiry: Enquiry, *, views: list[dict[str, Any]]
) -> dict[str, Any]:
    """For the enquiry page: ``{"consent_table": ...}`` to render with
    ``{% include "consent/_position_table.html" %}``, or an empty dict when the user
    may not see it. Adds its view of the register (``consent.viewed``, view ``table``)
    to ``views``, which the page records with its own view
    (``mash.records.services.record_views``: one append for both)."""
    agency = getattr(request.user, "agency", None)
    if agency is None or not agency.is_hub or enquiry.hub_id != agency.pk:
        return {}
    table = selectors.enquiry_consent_table(enquiry=enquiry)
    views.append(
        {
            "action": Action.CONSENT_VIEWED,
            "obj": enquiry,
            "enquiry": enquiry.pk,
            "details": {"view": "table", "people": [str(row.person.pk) for row in table.rows]},
        }
    )
    return {"consent_table": table}
