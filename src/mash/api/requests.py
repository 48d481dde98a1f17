"""``GET /api/v1/requests/{id}``: a request for information as the asked agency sees it.

What an agency needs to find its own records and to answer in time (issue 12): the
purpose, the enquiry's urgency (its RAG rating) and the response deadline (with the time
left on the hub's clock, in words), and for each person asked about their name, date of
birth (or estimated age), other names and address as the hub recorded them. Nothing
else of the enquiry: not the hub's narrative, not the other people in it, not the
rating's rationale. Session authentication; visible to the same people as the request's
page (the asked agency and the hub; 404 otherwise); the view is recorded.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from mash.api.auth import session_auth
from mash.enquiries import permissions as enquiry_permissions
from mash.records.models import Action
from mash.records.services import record_view
from mash.sharing import permissions as sharing_permissions
from mash.sharing.models import RequestStatus
from mash.timeliness.config import hub_clock

router = Router(tags=["requests"], auth=session_auth)


class PersonToMatchOut(Schema):
    id: uuid.UUID
    kind: str = Field(description="child, parent, carer or other adult (the hub's words' code)")
    first_name: str
    last_name: str
    other_names: str = Field(description="other names the hub recorded ('' if none)")
    date_of_birth: dt.date | None
    estimated_age: int | None = Field(description="when the date of birth is not known")
    address: str = Field(description="the address the hub recorded ('' if none)")
    nhs_number: str = Field(
        default="",
        description=(
            "the NHS number the hub recorded, ten digits without spaces, passing the "
            "modulus 11 check ('' if none)"
        ),
    )


class RequestOut(Schema):
    id: uuid.UUID
    reference: str = Field(description="the enquiry's reference")
    agency: str = Field(description="the asked agency's code")
    purpose: str
    purpose_code: str = Field(description="the purpose on the hub's list ('' if none)")
    status: str = Field(description="open, answered or withdrawn")
    rag: str = Field(description="the enquiry's urgency: red, amber, green, blue ('' unrated)")
    deadline: dt.datetime
    due: str = Field(
        description="the deadline in words on the hub's clock while open, e.g. 'due by 18:24 "
        "today (in 4 hours)' or 'overdue by 2 hours (was due by 14:00 today)'; '' once answered"
    )
    overdue: bool
    people: list[PersonToMatchOut]


@router.get(
    "/{request_id}",
    response=RequestOut,
    summary="A request for information",
    description=(
        "A request as the asked agency sees it: purpose, urgency (RAG), deadline, and each "
        "person asked about with what the hub recorded to match them (date of birth or "
        "estimated age, other names, address, NHS number). Nothing else of the enquiry. "
        "Visible to the asked agency and the hub (404 otherwise); the view is recorded."
    ),
)
def request_for_information(request: HttpRequest, request_id: uuid.UUID) -> RequestOut:
    req = (
        sharing_permissions.visible_requests(request.user)
        .select_related("enquiry", "agency")
        .filter(pk=request_id)
        .first()
    )
    if req is None:
        raise Http404
    enquiry_permissions.check_restriction(request.user, req.enquiry)
    record_view(
        request,
        action=Action.REQUEST_VIEWED,
        obj=req,
        enquiry=req.enquiry_id,
        details={"view": "api"},
    )
    now = timezone.now()
    is_open = req.status == RequestStatus.OPEN
    return RequestOut(
        id=req.pk,
        reference=req.enquiry.reference,
        agency=req.agency.code,
        purpose=req.purpose,
        purpose_code=req.purpose_code,
        status=req.status,
        rag=req.enquiry.rag,
        deadline=req.deadline,
        due=hub_clock(req.enquiry.hub_id).words(now, req.deadline, req.enquiry.rag)
        if is_open
        else "",
        overdue=is_open and req.deadline < now,
        people=[
            PersonToMatchOut(
                id=p.pk,
                kind=p.kind,
                first_name=p.first_name,
                last_name=p.last_name,
                other_names=p.other_names,
                date_of_birth=p.date_of_birth,
                estimated_age=p.estimated_age,
                address=str(p.address or ""),
                nhs_number="".join(str(p.nhs_number or "").split()),
            )
            for p in req.people.order_by("created_at", "pk")
        ],
    )
