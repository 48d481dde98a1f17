"""The person index over HTTP: search, and a person's chronology (issue 14).

The same rules as the pages: the hub searches its whole index, a partner only among the
people named in requests sent to its agency; a chronology shows each caller only what
they may see. A search is posted (its words are personal data, never in a URL), kept
with its terms sealed and recorded; a chronology read is recorded as a view.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from mash.api.auth import session_auth
from mash.lib.paging import PER_PAGE
from mash.people import chronology, permissions, selectors, services
from mash.people import search as finding
from mash.people.views import indexed_person_for
from mash.records.models import Action
from mash.records.services import record_view

router = Router(tags=["people"], auth=session_auth)

MAX_PAGE = 10_000


class SearchIn(Schema):
    q: str = Field(
        min_length=1,
        max_length=200,
        description=(
            "What to search for, as in the search box: a name (allowing for short forms "
            "and spellings), with a date of birth (7/3/2015) or postcode; an enquiry "
            "reference (the hub only)."
        ),
    )
    page: int = Field(default=1, ge=1, le=MAX_PAGE, description="The page of people (25 a page).")


class PersonFound(Schema):
    indexed_person: uuid.UUID
    given_name: str
    family_name: str
    date_of_birth: dt.date | None = Field(
        description="the latest date of birth the person's records give (null if none does)"
    )
    estimated_age: int | None = Field(
        default=None,
        description="where no record gives a date of birth: the latest estimated age recorded",
    )
    estimated_on: dt.date | None = Field(
        default=None, description="the day that age was estimated (the enquiry's receipt)"
    )
    why: list[str] = Field(description="why this person matched, in words")


class EnquiryFound(Schema):
    enquiry: uuid.UUID
    reference: str


class SearchOut(Schema):
    search: uuid.UUID = Field(description="the search as recorded (its terms sealed)")
    total: int = Field(description="people found in all")
    page: int
    people: list[PersonFound]
    enquiries: list[EnquiryFound]
    message: str = Field(description="'No results' said plainly, or ''")


class Problem(Schema):
    loc: list[str | int] = Field(description="where, as path parts, e.g. body, q")
    msg: str = Field(description="what is wrong, in words")
    type: str = Field(description="a machine-readable kind of problem")


class Problems(Schema):
    detail: list[Problem]


@router.post(
    "/search",
    response={200: SearchOut, 422: Problems},
    summary="Search people and enquiries",
)
def search(request: HttpRequest, body: SearchIn) -> Any:
    """One page of the people (and, for the hub, enquiries) the words find, each person
    with why they matched. Recorded, with the words sealed."""
    if not permissions.can_search(request.user):
        raise Http404
    try:
        terms = finding.parse_terms(body.q)
    except finding.SearchError as error:
        return Status(
            422, {"detail": [{"loc": ["body", "q"], "msg": str(error), "type": "value_error"}]}
        )
    scope = selectors.search_scope(request.user)
    found = finding.people(terms, **scope)
    total = found.count()
    offset = (body.page - 1) * PER_PAGE
    rows: list[Any] = list(found[offset : offset + PER_PAGE])
    enquiries = (
        list(finding.enquiries(terms, hub_id=scope["hub_id"])[:1])
        if scope["agency_id"] is None
        else []
    )
    done = services.record_search(
        actor=request.user, terms=terms.as_dict(), results=total + len(enquiries)
    )
    nothing = not total and not enquiries
    return SearchOut(
        search=done.pk,
        total=total,
        page=body.page,
        people=[
            PersonFound(
                indexed_person=row.pk,
                given_name=row.first_name or "",
                family_name=row.last_name or "",
                date_of_birth=row.date_of_birth,
                estimated_age=None if row.date_of_birth else row.estimated_age,
                estimated_on=(
                    timezone.localdate(row.estimated_on)
                    if row.estimated_on and not row.date_of_birth
                    else None
                ),
                why=finding.why(terms, row),
            )
            for row in rows
        ],
        enquiries=[EnquiryFound(enquiry=e.pk, reference=e.reference) for e in enquiries],
        message="No results" if nothing else "",
    )


class EventOut(Schema):
    at: dt.datetime
    kind: str = Field(description="enquiry, outcome, threshold, request, decision, item, ...")
    kind_label: str
    agency: str
    reference: str = Field(description="the enquiry's reference")
    what: str
    source: str = Field(description="an item's source, else ''")


class ChronologyOut(Schema):
    indexed_person: uuid.UUID
    total: int
    page: int
    events: list[EventOut]


class ChronologyFilters(Schema):
    agency: str = Field(default="", max_length=40, description="an agency's code")
    kind: str = Field(default="", max_length=20, description="one kind of event")
    page: int = Field(default=1, ge=1, le=MAX_PAGE)


@router.get(
    "/{indexed_person_id}/chronology",
    response=ChronologyOut,
    summary="A person's chronology",
)
def person_chronology(
    request: HttpRequest, indexed_person_id: uuid.UUID, filters: Query[ChronologyFilters]
) -> ChronologyOut:
    """Newest first, filtered by agency code and kind; a partner sees its own requests,
    decisions and what was shared with it. Recorded as a view."""
    person, partner = indexed_person_for(request.user, indexed_person_id)
    scope = chronology.scope_for(request.user, person, partner=partner)
    kind = filters.kind if filters.kind in chronology.KINDS else ""
    found = chronology.events(scope, agency=filters.agency, kind=kind)
    total = found.count()
    offset = (filters.page - 1) * PER_PAGE
    events = [chronology.describe(row) for row in found[offset : offset + PER_PAGE]]
    record_view(
        request,
        action=Action.CHRONOLOGY_VIEWED,
        obj=person,
        details={
            "api": True,
            "page": filters.page,
            "agency": filters.agency,
            "kind": kind,
            "events": [f"{e.kind}:{e.target}" for e in events],
        },
    )
    return ChronologyOut(
        indexed_person=person.pk,
        total=total,
        page=filters.page,
        events=[
            EventOut(
                at=e.at,
                kind=e.kind,
                kind_label=e.kind_label,
                agency=e.agency,
                reference=e.reference,
                what=e.what,
                source=e.source,
            )
            for e in events
        ],
    )
