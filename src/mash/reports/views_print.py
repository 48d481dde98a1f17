"""Printable records (issue 18): the decision record and the enquiry summary as PDF
(``mash.lib.pdf.render_pdf``, ADR 0007), with the hub's name, the guidance version, the
hash of the record entry that logs the print and the date printed. Access is the page's
own: a decision as ``sharing:decision`` allows it (the deciding agency, the hub once it
is released, a restriction respected), an enquiry as ``enquiries:detail`` does. The
print is recorded first (``record.printed``, naming what is printed) in the same
transaction, and that entry's hash is printed on every page."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from mash.enquiries import permissions as enquiry_permissions
from mash.enquiries import selectors as enquiry_selectors
from mash.lib.pdf import PDF_CONTENT_TYPE, render_pdf
from mash.policy.versions import current_version
from mash.records.models import Action
from mash.records.services import record
from mash.sharing import permissions as sharing_permissions
from mash.sharing.views import BASIS_LABELS

OUTCOMES = {"share": "Share", "do_not_share": "Do not share", "seek_advice": "Seek advice"}


def _pdf(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def decision_pdf(http: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    """The decision record as PDF."""
    decision = get_object_or_404(
        sharing_permissions.visible_decisions(http.user).select_related(
            "request", "request__enquiry", "request__enquiry__hub", "agency", "decided_by"
        ),
        pk=decision_id,
    )
    enquiry = decision.request.enquiry
    enquiry_permissions.check_restriction(http.user, enquiry)
    items = list(decision.items.all())
    with transaction.atomic():
        entry = record(
            action=Action.RECORD_PRINTED,
            actor=http.user,
            obj=decision,
            enquiry=enquiry,
            details={"printed": "decision", "items": [str(i.pk) for i in items]},
        )
        body = render_pdf(
            "reports/print_decision.html",
            {
                "decision": decision,
                "enquiry": enquiry,
                "items": items,
                "outcome": OUTCOMES.get(decision.outcome, decision.outcome),
                "basis": BASIS_LABELS.get(decision.basis, decision.basis),
            },
            title=f"Decision record: {decision.agency.name} on {enquiry.reference}",
            hub_name=enquiry.hub.name,
            guidance_version=decision.guidance_version,
            record_hash=entry.hash,
        )
    return _pdf(body, f"decision-{enquiry.reference}-{decision.agency.code}.pdf")


@login_required
@require_GET
def enquiry_pdf(http: HttpRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    """The enquiry summary as PDF: the contact, the people, what was asked and answered."""
    if not enquiry_permissions.can_use_hub_pages(http.user):
        raise Http404
    enquiry = enquiry_selectors.enquiry_for(http.user, enquiry_id)
    answers = enquiry_selectors.answers(enquiry)
    people = list(enquiry.people.all())
    version = current_version()
    with transaction.atomic():
        entry = record(
            action=Action.RECORD_PRINTED,
            actor=http.user,
            obj=enquiry,
            enquiry=enquiry,
            details={
                "printed": "enquiry",
                "decisions": [str(d.pk) for d in answers.decisions],
                "disclosures": answers.disclosures_shown(),
            },
        )
        body = render_pdf(
            "reports/print_enquiry.html",
            {
                "enquiry": enquiry,
                "people": people,
                "answers": answers,
                "outcomes": OUTCOMES,
                "bases": BASIS_LABELS,
            },
            title=f"Enquiry summary: {enquiry.reference}",
            hub_name=enquiry.hub.name,
            guidance_version=version.id,
            record_hash=entry.hash,
        )
    return _pdf(body, f"enquiry-{enquiry.reference}.pdf")
