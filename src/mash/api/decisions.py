"""``POST /api/v1/decisions/evaluate``: the guidance's sharing decision over HTTP.

Contract version 2 (``contracts/sharing-decision-v2.md``, Entry points): the body is a
sharing question as JSON, the answer is the decision (200). It stores nothing, holds no
personal data and is the same pure function as ``mash decide``, so it needs no sign-in;
with no session authentication there is no CSRF to check (django-ninja exempts its
views and only enforces CSRF for cookie-based auth). Recording a decision on a case is a
separate, authenticated action in the sharing app.

Bad input (not JSON, wrong type, unknown enum value, unknown key) answers 422 with every
offending field path, read exactly as the CLI reads it (``"yes"`` for a boolean is an
error). The body is read here rather than by django-ninja so that text that is not JSON
is a 422 naming the question, like every other bad input, and not a bare 400.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from mash.api.auth import session_auth
from mash.enquiries import permissions as enquiry_permissions
from mash.policy import Question, QuestionError, SharingDecision, decide, validate_json
from mash.policy.decision import ConsentUsed, LawfulBasisOut
from mash.records.models import Action
from mash.records.services import record_view
from mash.sharing import permissions as sharing_permissions

router = Router(tags=["decisions"])


class FieldProblem(Schema):
    loc: list[str | int] = Field(description="where in the question, as path parts")
    field: str = Field(
        description="the dotted field path, e.g. consent.status ('' for the whole question)"
    )
    msg: str = Field(description="what is wrong, in words")
    type: str = Field(description="a machine-readable kind of problem")


class QuestionProblems(Schema):
    detail: list[FieldProblem]


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """The question's JSON schema with its ``$defs`` inlined, so it can stand in the
    operation's request body (no components to register it under)."""
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(dict(definitions[ref.removeprefix("#/$defs/")]))
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


QUESTION_SCHEMA = _inline(Question.model_json_schema())


@router.post(
    "/evaluate",
    auth=None,
    response={200: SharingDecision, 422: QuestionProblems},
    exclude_unset=True,  # a version 1 question gets the version 1 shape, not v2 nulls
    summary="Decide a sharing question by the guidance",
    description=(
        "Applies the Herefordshire MASH Information Sharing Guidance (When? questions, "
        "Consent, Partial Consent, Sharing without consent, Public Interest) to the question "
        "and returns the decision: outcome, basis, grounds, what the record must contain "
        "(requires), the steps taken and the reasons. Contract version 2: who can consent "
        "(Gillick competence, Mental Capacity Act 2005), consent for this purpose, the "
        "public interest balance, how it is shared and why it is necessary and "
        "proportionate, and the lawful basis (UK GDPR Articles 6, 9 and 10, DPA 2018 "
        "Schedule 1) proposed and as chosen. A version 1 question gets the version 1 "
        "answer. Stores nothing."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": QUESTION_SCHEMA}},
        }
    },
)
def evaluate(request: HttpRequest) -> Status[dict[str, Any]]:
    try:
        question = validate_json(request.body)
    except QuestionError as error:
        return Status(422, {"detail": [problem.to_dict() for problem in error.errors]})
    return Status(200, decide(question).to_dict())


# --- A recorded decision -------------------------------------------------------------


class NecessityOut(Schema):
    necessary: str | None = Field(description="why sharing was necessary, in the words recorded")
    proportionate: str | None = Field(
        description="why what was shared was proportionate, in the words recorded"
    )


class PersonDecisionOut(Schema):
    person: uuid.UUID
    outcome: str = Field(description="the guidance's outcome for this person's information")
    basis: str = Field(description="its ground ('' when not sharing)")
    consent_used: ConsentUsed | None = Field(
        None, description="v2: the consent answer that governs and whether it is relied on"
    )
    who_governs: list[str] = Field(
        default_factory=list,
        description="v2: the guidance's explanation of whose consent answer governs, and why",
    )


class RecordedDecisionOut(Schema):
    id: uuid.UUID
    request: uuid.UUID
    agency: str = Field(description="the deciding agency's code")
    decided_at: dt.datetime
    guidance_version: str
    outcome: str
    basis: str
    grounds: list[str]
    without_consent: bool
    requires: list[str]
    reasons: list[str]
    release: str = Field(description="released, awaiting_signoff or returned")
    supersedes: uuid.UUID | None
    lawful_basis: LawfulBasisOut | None = Field(
        description=(
            "v2: the share's lawful basis, proposed by the guidance and confirmed or changed "
            "by the practitioner (UK GDPR Articles 6, 9, 10; DPA 2018 Schedule 1); null for "
            "a decision not to share or one recorded before version 2"
        )
    )
    how: str | None = Field(description="v2: how the information is shared")
    necessity: NecessityOut | None = Field(
        description="v2: why the share is necessary and proportionate"
    )
    people: list[PersonDecisionOut]


@router.get(
    "/{decision_id}",
    auth=session_auth,
    response=RecordedDecisionOut,
    summary="A recorded sharing decision",
    description=(
        "One agency's recorded decision on a request, as its decision record page shows it: "
        "the outcome and its grounds, the lawful basis (proposed and as recorded), how the "
        "information is shared and why it is necessary and proportionate, and for each "
        "person whose consent answer governs. Session authentication; visible to the same "
        "people as the decision record page (404 otherwise); the view is recorded."
    ),
)
def recorded_decision(request: HttpRequest, decision_id: uuid.UUID) -> RecordedDecisionOut:
    decision = (
        sharing_permissions.visible_decisions(request.user)
        .select_related("request__enquiry", "agency")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        raise Http404
    enquiry_permissions.check_restriction(request.user, decision.request.enquiry)
    record_view(
        request,
        action=Action.DECISION_VIEWED,
        obj=decision,
        enquiry=decision.request.enquiry_id,
        details={"view": "api"},
    )
    necessity = (decision.question or {}).get("necessity")
    return RecordedDecisionOut(
        id=decision.pk,
        request=decision.request_id,
        agency=decision.agency.code,
        decided_at=decision.decided_at,
        guidance_version=decision.guidance_version,
        outcome=decision.outcome,
        basis=decision.basis,
        grounds=list(decision.grounds or []),
        without_consent=decision.without_consent,
        requires=list(decision.requires or []),
        reasons=list(decision.reasons or []),
        release=decision.release,
        supersedes=decision.supersedes_id,
        lawful_basis=LawfulBasisOut(**decision.lawful_basis) if decision.lawful_basis else None,
        how=decision.how or None,
        necessity=NecessityOut(**necessity) if necessity else None,
        people=[
            PersonDecisionOut(
                person=uuid.UUID(str(r["person"])),
                outcome=str(r.get("outcome") or ""),
                basis=str(r.get("basis") or ""),
                consent_used=ConsentUsed(**r["consent_used"]) if r.get("consent_used") else None,
                who_governs=list(r.get("who_governs") or []),
            )
            for r in decision.people_decisions or []
        ],
    )
