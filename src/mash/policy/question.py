"""The sharing question: what a practitioner knows when asked to share (contract version 1).

The field names and values are fixed by ``contracts/sharing-decision.md``. Every key is
optional; ``null`` or absent means "not known". Validation is strict: nothing is guessed,
so ``"yes"`` or ``1`` where a boolean belongs is an error, an unknown enum value is an
error, and an unknown key (at any level) is an error. Errors carry dotted field paths
(``consent.status``, ``consent.agencies.1``) so the CLI, the API and the form can all say
which answer is wrong.

Enums are validated by value (``"given"``) in Python and JSON input alike; dates must be
ISO 8601 strings (a bare number is not a date).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from mash.lib.jsonlimits import nesting_depth_exceeds, too_deep_message


class ConsentStatus(StrEnum):
    """Do you have consent? (When? Q4; Consent)."""

    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    NOT_SOUGHT = "not_sought"
    UNKNOWN = "unknown"


class Criterion(StrEnum):
    """The Public Interest Criteria (Public Interest)."""

    PROTECTION_OF_VULNERABLE = "protection_of_vulnerable"
    ADMINISTRATION_OF_JUSTICE = "administration_of_justice"
    PUBLIC_SAFETY = "public_safety"
    APPREHENSION_OF_OFFENDERS = "apprehension_of_offenders"
    PREVENTION_OF_CRIME_AND_DISORDER = "prevention_of_crime_and_disorder"
    DETECTION_OF_CRIME = "detection_of_crime"


class Vulnerability(StrEnum):
    """What is the vulnerability of those who are at risk? (Public Interest)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def _iso_datetime(value: object) -> object:
    """Accept a datetime or an ISO 8601 string only (not a number, not "1700000000")."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                "must be an ISO 8601 date and time, e.g. 2024-05-01T10:30:00+01:00"
            ) from None
    raise ValueError("must be an ISO 8601 date and time as a string")


# Strict models take enum members only from Python input; enums are therefore checked
# by value (lax for this one field), which still refuses anything that is not a member.
_ConsentStatus = Annotated[ConsentStatus, Field(strict=False)]
_Criterion = Annotated[Criterion, Field(strict=False)]
_Vulnerability = Annotated[Vulnerability, Field(strict=False)]
_IsoDateTime = Annotated[datetime, Field(strict=False), BeforeValidator(_iso_datetime)]

_STRICT = ConfigDict(strict=True, extra="forbid", frozen=True)


class Purpose(BaseModel):
    """Is there a clear and legitimate purpose for sharing information? (When? Q1)."""

    model_config = _STRICT

    legitimate: bool | None = Field(
        None, description="Is there a clear and legitimate purpose? (When? Q1)"
    )
    description: str | None = Field(None, description="the purpose in words")


class Consent(BaseModel):
    """Do you have consent? (When? Q4; Consent; Partial Consent)."""

    model_config = _STRICT

    status: _ConsentStatus | None = Field(None, description="Do you have consent? (Q4)")
    agencies: list[str] | None = Field(
        None,
        description=(
            "partial consent: the agency codes it covers; null = all agencies, "
            "an empty list covers no agency (Partial Consent)"
        ),
    )
    explicit: bool | None = Field(
        False,
        description=(
            "written, or verbal recorded with date, time and what information "
            "(Consent to Share Information); default false"
        ),
    )
    recorded_at: _IsoDateTime | None = Field(
        None, description="when explicit consent was given or recorded (ISO 8601)"
    )
    reason_not_sought: str | None = Field(None, description="why consent was not obtained")


class Risk(BaseModel):
    """Significant harm and urgency (Introduction; Sharing without consent)."""

    model_config = _STRICT

    significant_harm: bool | None = Field(
        None, description="child believed at risk of significant harm"
    )
    urgent: bool | None = Field(
        None,
        description=(
            "seeking consent would cause unjustified delay to enquiries about significant "
            "harm; absent counts as false"
        ),
    )


class PublicInterestTest(BaseModel):
    """When judging the public interest, it is necessary to consider ... (Public Interest)."""

    model_config = _STRICT

    proportionate: bool | None = Field(
        None, description="Is the disclosure proportionate to the intended aim?"
    )
    alternative_means: bool | None = Field(
        None,
        description="Is there another equally effective means of achieving the same aim?",
    )
    necessary_to_prevent_or_detect_crime: bool | None = Field(
        None,
        description=(
            "Is the disclosure necessary to prevent or detect crime and uphold the rights "
            "and freedoms of the public?"
        ),
    )
    necessary_to_protect_others: bool | None = Field(
        None, description="Is it necessary to disclose the information, to protect others?"
    )
    vulnerability: _Vulnerability | None = Field(
        None, description="What is the vulnerability of those who are at risk?"
    )
    impact_on_individual: str | None = Field(
        None, description="likely impact of disclosure on the person it is about"
    )


class PublicInterest(BaseModel):
    """Disclosure in the defined category of "Public Interest" (Public Interest)."""

    model_config = _STRICT

    criteria: list[_Criterion] | None = Field(None, description="Public Interest criteria")
    test: PublicInterestTest | None = None


class OtherBasis(BaseModel):
    """Is there another reason to share, such as a public function or vital interests? (Q5)."""

    model_config = _STRICT

    vital_interests: bool | None = Field(
        None,
        description="to protect the vital interests of the individual (Q5); absent = false",
    )
    public_function: bool | None = Field(
        None, description="to fulfil a public function (Q5); absent counts as false"
    )
    public_interest: PublicInterest | None = None


class Question(BaseModel):
    """A sharing question (contract version 1). All keys optional; null means not known."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "purpose": {
                        "legitimate": True,
                        "description": "MASH enquiry: bruising seen at school",
                    },
                    "identifies_individual": True,
                    "confidential": True,
                    "recipient_agency": "police",
                    "consent": {"status": "refused"},
                    "risk": {"significant_harm": True},
                }
            ]
        },
    )

    purpose: Purpose | None = None
    identifies_individual: bool | None = Field(
        None, description="Does the information enable an individual to be identified? (Q2)"
    )
    confidential: bool | None = Field(None, description="Is the information confidential? (Q3)")
    sensitive: bool | None = Field(
        False, description="sensitive (special category) personal information; default false"
    )
    recipient_agency: str | None = Field(
        None, description="code of the agency that would receive it, e.g. police"
    )
    consent: Consent | None = None
    risk: Risk | None = None
    other_basis: OtherBasis | None = None
    justification: str | None = Field(None, description="the practitioner's rationale in words")


# --- errors ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one answer. ``path`` is dotted (``consent.status``); the empty
    string means the question as a whole (e.g. it was a list, not an object)."""

    path: str
    message: str
    type: str
    loc: tuple[str | int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"loc": list(self.loc), "field": self.path, "msg": self.message, "type": self.type}


class QuestionError(ValueError):
    """The question could not be read. ``errors`` names every offending field path."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.path or '(question)'}: {e.message}" for e in errors))

    @property
    def paths(self) -> list[str]:
        return [e.path for e in self.errors]


def _message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind in {"bool_type", "bool_parsing"}:
        return "must be true, false or null (not a string or a number)"
    if kind == "extra_forbidden":
        return "is not a known key of the sharing question"
    if kind == "enum":
        return "must be one of " + str(error.get("ctx", {}).get("expected", "the listed values"))
    if kind in {"string_type"}:
        return "must be a string"
    if kind in {"list_type"}:
        return "must be a list"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return "must be an object"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return str(error["msg"])


def _from_pydantic(exc: ValidationError) -> QuestionError:
    errors = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        errors.append(
            FieldError(
                path=".".join(str(part) for part in loc),
                message=_message(error),
                type=error["type"],
                loc=loc,
            )
        )
    return QuestionError(errors)


def validate(data: Question | Mapping[str, Any] | Any) -> Question:
    """Read a question from parsed JSON (or any mapping). Raises ``QuestionError``."""
    if isinstance(data, Question):
        return data
    if isinstance(data, Mapping) and not isinstance(data, dict):
        data = dict(data)
    try:
        return Question.model_validate(data)
    except ValidationError as exc:
        raise _from_pydantic(exc) from None


def validate_json(text: str | bytes) -> Question:
    """Read a question from JSON text. Not JSON at all is an error on the whole question,
    and so is JSON nested deeper than any question is (checked before it is parsed, so a
    body of a thousand brackets is refused, not a crash)."""
    if nesting_depth_exceeds(text):
        raise QuestionError(
            [FieldError(path="", message=too_deep_message(), type="json_too_deep", loc=())]
        )
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise QuestionError(
            [FieldError(path="", message=f"is not valid JSON ({exc})", type="json_invalid", loc=())]
        ) from None
    return validate(data)
