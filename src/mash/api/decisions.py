"""``POST /api/v1/decisions/evaluate``: the guidance's sharing decision over HTTP.

Contract version 2 (``contracts/sharing-decision.md``, Entry points): the body is a
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

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from mash.policy import Question, QuestionError, SharingDecision, decide, validate_json

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
