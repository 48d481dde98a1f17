"""The consent register over the API: a person's consent position, recording a consent
event, and a record's FHIR export. Session authentication; the same permissions as the
pages (``mash.consent.permissions``): 401 signed out, 404 not visible, 422 bad input
naming the field. Logic lives in ``mash.consent``."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import ConfigDict, Field, PlainValidator, StrictBool, WithJsonSchema

from mash.api.auth import session_auth
from mash.consent import permissions, selectors, services
from mash.consent.fhir import to_fhir
from mash.consent.models import ConsentRecord
from mash.consent.services import TIME_WITH_OFFSET
from mash.enquiries import permissions as enquiry_permissions
from mash.enquiries.models import Person
from mash.records.models import Action
from mash.records.services import record_view

router = Router(tags=["consent"], auth=session_auth)

CategoryCode = Literal["health", "education", "police", "social_care", "housing", "probation"]
StatusCode = Literal["given", "refused", "withdrawn", "not_sought", "unknown"]


class ConsentOut(Schema):
    """The decision contract's ``consent`` object (sharing-decision.md)."""

    status: StatusCode
    agencies: list[str] | None
    explicit: bool
    recorded_at: dt.datetime | None = None
    reason_not_sought: str | None = None
    purposes: list[str] | None = Field(
        None, description="The hub purposes the consent is limited to; absent: not limited."
    )


class PositionOut(Schema):
    person: uuid.UUID
    recipient_agency: str
    category: CategoryCode | None
    at: dt.datetime
    consent: ConsentOut
    record: uuid.UUID | None = Field(description="The register record that decided it.")
    purpose: str = Field(description="The deciding record's purpose, to compare with yours.")
    explanation: str


_LOCAL_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"
_SAYS_SOMETHING = {"type": "string", "minLength": 1, "pattern": "\\S"}


def _local_time(value: object) -> dt.time:
    """A time of day as the hub's local time: ``10:00`` or ``10:00:00``. A time with an
    offset (``10:00:00Z``, ``+01:00``) is refused, naming the field (see
    ``mash.consent.services``, which refuses it from every caller)."""
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    if isinstance(value, str) and re.fullmatch(_LOCAL_TIME, value, re.ASCII):
        return dt.time.fromisoformat(value)
    if isinstance(value, dt.time) or (
        isinstance(value, str) and re.search(r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)$", value)
    ):
        raise ValueError(TIME_WITH_OFFSET)
    raise ValueError("Enter a real time of day, for example 10:00 or 14:30:00")


_LOCAL_TIME_SCHEMA = WithJsonSchema(
    {
        "type": "string",
        "pattern": _LOCAL_TIME,
        "description": "The hub's local time of day, without a time zone: 10:00 or "
        "10:00:00 (10:00Z and 10:00+01:00 are refused).",
    }
)
# JSON Schema's "time" format is RFC 3339's, which requires an offset: the register
# keeps local times, so both ways the schema says the pattern instead.
LocalTime = Annotated[dt.time, PlainValidator(_local_time), _LOCAL_TIME_SCHEMA]
LocalTimeOut = Annotated[dt.time, _LOCAL_TIME_SCHEMA]

# What the register's rules need beyond each field's own type (mash.consent.services),
# said in the schema so a client knows before it asks: consent given or refused names
# its purpose; a withdrawal names the record it withdraws; someone with parental
# responsibility gives their relationship to the child.
_RULES: dict[str, Any] = {
    "allOf": [
        {
            "if": {
                "properties": {"status": {"enum": ["given", "refused"]}},
                "required": ["status"],
            },
            "then": {"required": ["purpose"], "properties": {"purpose": _SAYS_SOMETHING}},
        },
        {
            "if": {"properties": {"status": {"const": "withdrawn"}}, "required": ["status"]},
            "then": {
                "required": ["withdraws"],
                "properties": {"withdraws": {"type": "string", "format": "uuid"}},
            },
        },
        {
            "if": {
                "properties": {"giver": {"const": "parental_responsibility"}},
                "required": ["giver"],
            },
            "then": {
                "required": ["giver_relationship"],
                "properties": {"giver_relationship": _SAYS_SOMETHING},
            },
        },
    ]
}


class ConsentIn(Schema):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_RULES)

    status: Literal["given", "refused", "withdrawn"]
    giver: Literal["self", "parental_responsibility"]
    giver_relationship: str = Field("", max_length=100)
    gillick_competent: StrictBool | None = None
    agencies: list[str] | None = Field(None, description="Agency codes; null for all.")
    purpose: str = Field("", max_length=2000)
    purposes: list[Annotated[str, Field(max_length=40)]] | None = Field(
        None,
        max_length=50,
        description=(
            "Codes from the hub's purposes list the consent is limited to (Consent: 'for "
            "this purpose'); null: not limited. Ignored for a withdrawal, which keeps the "
            "scope of the consent it withdraws."
        ),
    )
    categories: list[CategoryCode] | None = Field(None, description="Null for all kinds.")
    information_covered: str = Field("", max_length=2000)
    method: Literal["written", "verbal", "privacy_notice"]
    given_on: dt.date
    given_time: LocalTime | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    withdraws: uuid.UUID | None = Field(
        None, description="For status withdrawn: the consent record it withdraws."
    )


class RecordOut(Schema):
    id: uuid.UUID
    person: uuid.UUID
    status: str
    giver: str
    agencies: list[str] | None
    purposes: list[str] | None
    categories: list[str] | None
    method: str
    explicit: bool
    given_on: dt.date
    given_time: LocalTimeOut | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    withdraws: uuid.UUID | None
    evidence: bool
    recorded_at: dt.datetime


def _record_out(consent: ConsentRecord) -> RecordOut:
    return RecordOut(
        id=consent.pk,
        person=consent.person_id,
        status=consent.status,
        giver=consent.giver,
        agencies=consent.agency_codes(),
        purposes=consent.purpose_codes(),
        categories=consent.category_codes(),
        method=consent.method,
        explicit=consent.explicit,
        given_on=consent.given_on,
        given_time=consent.given_time,
        valid_from=consent.valid_from,
        valid_until=consent.valid_until,
        withdraws=consent.withdraws_id,
        evidence=consent.has_evidence,
        recorded_at=consent.recorded_at,
    )


def _person(request: HttpRequest, person_id: uuid.UUID) -> Person:
    person = get_object_or_404(Person.objects.select_related("enquiry"), pk=person_id)
    if not permissions.can_view_consent(request.user, person):
        raise Http404
    enquiry_permissions.check_restriction(request.user, person.enquiry)
    return person


def _unprocessable(location: str, errors: dict[str, list[str]]) -> ValidationError:
    return ValidationError(
        [
            {"type": "value_error", "loc": [location, field], "msg": message}
            for field, messages in errors.items()
            for message in messages
        ]
    )


@router.get("/people/{person_id}/position", response=PositionOut)
def consent_position(
    request: HttpRequest,
    person_id: uuid.UUID,
    agency: Annotated[str, Query(min_length=1, description="The agency's code.")],
    category: CategoryCode | None = None,
) -> PositionOut:
    """The person's consent position for sharing ``category`` information (any kind
    when absent) with ``agency`` now. ``consent`` is ready to use as the ``consent``
    of a sharing question: where the deciding record is limited to purposes from the
    hub's list it carries them (``consent.purposes``) and the guidance compares them with
    the question's ``purpose.code``. (The purpose in words is not a query parameter:
    words do not belong in URLs; compare the returned ``purpose``.)"""
    person = _person(request, person_id)
    if agency not in {a.code for a in selectors.recipients_for(person.enquiry)}:
        raise _unprocessable("query", {"agency": ["Unknown agency"]})
    at = dt.datetime.now(tz=dt.UTC)
    # The hub's consent to refer (and its reason) is the hub's: a partner agency sees
    # the register's entries only (docs/security.md).
    user_agency = getattr(request.user, "agency", None)
    position = selectors.consent_position(
        person=person,
        recipient_agency=agency,
        category=category,
        at=at,
        consent_to_refer=bool(user_agency is not None and user_agency.is_hub),
    )
    record_view(
        request,
        action=Action.CONSENT_VIEWED,
        obj=person,
        enquiry=person.enquiry_id,
        details={"view": "position", "agency": agency, "category": category},
    )
    return PositionOut(
        person=person.pk,
        recipient_agency=agency,
        category=category,
        at=at,
        consent=ConsentOut(**position.consent),
        record=position.record.pk if position.record else None,
        purpose=position.purpose,
        explanation=position.explanation,
    )


@router.post(
    "/people/{person_id}/records",
    response={201: RecordOut},
    # OpenAPI links: what a client (and the stateful fuzzing) can do next with the record
    # just made, by the ids the answer and the request hold.
    openapi_extra={
        "responses": {
            201: {
                "description": "Created",
                "links": {
                    "ConsentRecordAsFhir": {
                        "operationId": "mash_api_consent_consent_fhir",
                        "parameters": {"record_id": "$response.body#/id"},
                        "description": "The record just made, as an HL7 FHIR R4 Consent.",
                    },
                    "ConsentPositionOfThePerson": {
                        "operationId": "mash_api_consent_consent_position",
                        "parameters": {"person_id": "$response.body#/person"},
                        "description": "The person's consent position, now with this record.",
                    },
                    "MoreConsentForThePerson": {
                        "operationId": "mash_api_consent_record_consent",
                        "parameters": {"person_id": "$response.body#/person"},
                        "description": "Record more consent for the person.",
                    },
                    "WithdrawTheRecord": {
                        "operationId": "mash_api_consent_record_consent",
                        "parameters": {"person_id": "$response.body#/person"},
                        "requestBody": {"status": "withdrawn", "withdraws": "$response.body#/id"},
                        "description": "Withdraw the consent just recorded.",
                    },
                },
            }
        }
    },
)
def record_consent(
    request: HttpRequest, person_id: uuid.UUID, payload: ConsentIn
) -> Status[RecordOut]:
    """Record consent given, refused or withdrawn (withdrawn needs ``withdraws``)."""
    person = _person(request, person_id)
    if not permissions.can_record_consent(request.user, person):
        raise Http404
    try:
        if payload.status == "withdrawn":
            withdrawn = None
            if payload.withdraws is not None:
                withdrawn = (
                    permissions.visible_records(request.user, person)
                    .filter(pk=payload.withdraws)
                    .first()
                )
            if withdrawn is None:
                raise _unprocessable(
                    "body", {"withdraws": ["Give the id of the consent record withdrawn"]}
                )
            if withdrawn.withdrawals.exists():
                raise _unprocessable("body", {"withdraws": ["That consent is already withdrawn"]})
            consent = services.withdraw_consent(
                actor=request.user,
                withdraws=withdrawn,
                giver=payload.giver,
                giver_relationship=payload.giver_relationship,
                gillick_competent=payload.gillick_competent,
                method=payload.method,
                given_on=payload.given_on,
                given_time=payload.given_time,
            )
        else:
            consent = services.record_consent(
                actor=request.user,
                person=person,
                status=payload.status,
                giver=payload.giver,
                giver_relationship=payload.giver_relationship,
                gillick_competent=payload.gillick_competent,
                agencies=payload.agencies,
                purpose=payload.purpose,
                purposes=payload.purposes,
                categories=payload.categories,
                information_covered=payload.information_covered,
                method=payload.method,
                given_on=payload.given_on,
                given_time=payload.given_time,
                valid_from=payload.valid_from,
                valid_until=payload.valid_until,
            )
    except DjangoValidationError as error:
        raise _unprocessable("body", error.message_dict) from None
    return Status(201, _record_out(consent))


@router.get(
    "/records/{record_id}/fhir",
    # Served as FHIR's own media type, so documented as that (not application/json).
    openapi_extra={
        "responses": {
            200: {
                "description": "An HL7 FHIR R4 Consent resource.",
                "content": {"application/fhir+json": {"schema": {"type": "object"}}},
            }
        }
    },
)
def consent_fhir(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    """The record as an HL7 FHIR R4 Consent resource."""
    consent = get_object_or_404(
        ConsentRecord.objects.select_related("person", "recorded_by_agency"), pk=record_id
    )
    if not permissions.can_view_record(request.user, consent):
        raise Http404
    enquiry_permissions.check_restriction(request.user, consent.person.enquiry)
    evidence_url = (
        request.build_absolute_uri(reverse("consent:evidence", args=[consent.pk]))
        if consent.has_evidence
        else None
    )
    record_view(
        request,
        action=Action.EXPORT_DOWNLOADED,
        obj=consent,
        enquiry=consent.person.enquiry_id,
        details={"format": "fhir-r4-consent"},
    )
    return HttpResponse(
        json.dumps(to_fhir(consent, evidence_url=evidence_url)),
        content_type="application/fhir+json",
    )
