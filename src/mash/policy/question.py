"""The sharing question: what a practitioner knows when asked to share (contract version 2).

The field names and values are fixed by ``contracts/sharing-decision.md`` (version 1) and
``contracts/sharing-decision-v2.md`` (its extension). Every key is
optional; ``null`` or absent means "not known". Validation is strict: nothing is guessed,
so ``"yes"`` or ``1`` where a boolean belongs is an error, an unknown enum value is an
error, and an unknown key (at any level) is an error. Errors carry dotted field paths
(``consent.status``, ``consent.agencies.1``) so the CLI, the API and the form can all say
which answer is wrong.

Enums are validated by value (``"given"``) in Python and JSON input alike; dates must be
ISO 8601 strings (a bare number is not a date).

Version 2 adds optional keys only (every version 1 question is still valid and decided
the same way): who gave consent and the person's competence or capacity (``consent.given_by``,
``subject``, ``other_consents``), the consent's purposes and privacy notice, criminal
offence data, the severity of the impact for the public interest balance, a legal
obligation, how the information is shared (``how``), why it is necessary and
proportionate (``necessity``) and the practitioner's lawful basis (``lawful_basis``).
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


class GivenBy(StrEnum):
    """Who gave (or refused) the consent (Who?: "Do we have their consent?")."""

    CHILD = "child"  # the child or young person the information is about
    PARENT = "parent"  # a parent with parental responsibility
    PARENTAL_RESPONSIBILITY = "parental_responsibility"  # another person with it
    PERSON = "person"  # an adult the information is about
    OTHER = "other"  # anyone else (cannot consent for someone else)


class CapacityAssessment(StrEnum):
    """The outcome of a Mental Capacity Act 2005 assessment (ss. 2-3)."""

    HAS_CAPACITY = "has_capacity"
    LACKS_CAPACITY = "lacks_capacity"


class Impact(StrEnum):
    """What is the impact of disclosure likely to be on the individual? (Public Interest)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class HowShared(StrEnum):
    """How the information is shared (How?; Secure: "in the most secure way available")."""

    HUB = "hub"  # through the hub (this system)
    STRATEGY_DISCUSSION = "strategy_discussion"  # verbally in a strategy discussion
    SECURE_EMAIL = "secure_email"
    TELEPHONE = "telephone"
    MEETING = "meeting"  # in person at a meeting
    SECURE_POST = "secure_post"


class Article6(StrEnum):
    """UK GDPR Article 6(1): the lawful basis of the processing."""

    CONSENT = "6(1)(a)"
    LEGAL_OBLIGATION = "6(1)(c)"
    VITAL_INTERESTS = "6(1)(d)"
    PUBLIC_TASK = "6(1)(e)"


class Article9(StrEnum):
    """UK GDPR Article 9(2): the condition for special category (sensitive) data."""

    EXPLICIT_CONSENT = "9(2)(a)"
    SOCIAL_PROTECTION = "9(2)(b)"
    VITAL_INTERESTS = "9(2)(c)"
    SUBSTANTIAL_PUBLIC_INTEREST = "9(2)(g)"
    HEALTH_OR_SOCIAL_CARE = "9(2)(h)"


class Schedule1(StrEnum):
    """Data Protection Act 2018 Schedule 1: the condition that goes with Article 9(2)(b),
    (g) or (h), and with Article 10 for criminal offence data (s. 10(5))."""

    HEALTH_OR_SOCIAL_CARE = "para_2"
    STATUTORY_PURPOSES = "para_6"
    UNLAWFUL_ACTS = "para_10"
    SAFEGUARDING = "para_18"
    CONSENT = "para_29"
    VITAL_INTERESTS = "para_30"


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
_GivenBy = Annotated[GivenBy, Field(strict=False)]
_Capacity = Annotated[CapacityAssessment, Field(strict=False)]
_Impact = Annotated[Impact, Field(strict=False)]
_HowShared = Annotated[HowShared, Field(strict=False)]
_Article6 = Annotated[Article6, Field(strict=False)]
_Article9 = Annotated[Article9, Field(strict=False)]
_Schedule1 = Annotated[Schedule1, Field(strict=False)]
_IsoDateTime = Annotated[datetime, Field(strict=False), BeforeValidator(_iso_datetime)]

_STRICT = ConfigDict(strict=True, extra="forbid", frozen=True)


class Purpose(BaseModel):
    """Is there a clear and legitimate purpose for sharing information? (When? Q1)."""

    model_config = _STRICT

    legitimate: bool | None = Field(
        None, description="Is there a clear and legitimate purpose? (When? Q1)"
    )
    description: str | None = Field(None, description="the purpose in words")
    code: str | None = Field(
        None,
        description=(
            "v2: the request's purpose, a code from the hub's purposes list, compared with "
            "consent.purposes (Consent: 'for this purpose')"
        ),
    )


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
    given_by: _GivenBy | None = Field(
        None,
        description=(
            "v2: who gave or refused it: child, parent, parental_responsibility, person "
            "(an adult it is about) or other (Who?)"
        ),
    )
    purposes: list[str] | None = Field(
        None,
        description=(
            "v2: the purpose codes (hub's list) the consent covers; null = not limited to "
            "purposes; a list must include purpose.code (Consent: 'for this purpose')"
        ),
    )
    purpose_text: str | None = Field(
        None, description="v2: the consent's purpose in the words it was given in"
    )
    privacy_notice: bool | None = Field(
        None,
        description=(
            "v2: the consent relied on is a privacy notice (implied consent), not consent "
            "asked for this sharing (Consent)"
        ),
    )
    privacy_notice_covers: bool | None = Field(
        None,
        description=(
            "v2: does the privacy notice say the information would be shared like this? "
            "(Consent: 'Does this say it would be shared?')"
        ),
    )


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
    impact_severity: _Impact | None = Field(
        None,
        description=(
            "v2: how severe that impact is likely to be (low, medium, high), weighed against "
            "vulnerability in the public interest balance"
        ),
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
    legal_obligation: bool | None = Field(
        None,
        description=(
            "v2: the agency is under a legal obligation to share (e.g. a court order or a "
            "statutory duty); absent counts as false"
        ),
    )


class Subject(BaseModel):
    """v2: the person the information is about, for who can consent (Who?; Gillick
    competence; Mental Capacity Act 2005)."""

    model_config = _STRICT

    age: int | None = Field(None, ge=0, le=130, description="age in whole years")
    competent: bool | None = Field(
        None,
        description=("for a child under 16: judged competent to decide for themselves (Gillick)"),
    )
    capacity_in_doubt: bool | None = Field(
        None,
        description="for a person 16 or over: is their capacity to consent in doubt? (MCA 2005)",
    )
    capacity_assessment: _Capacity | None = Field(
        None,
        description="the outcome of a capacity assessment, if one was made (MCA 2005 ss. 2-3)",
    )


class Necessity(BaseModel):
    """v2: why this share is necessary and proportionate (Necessary and proportionate;
    Record: "reasons should be cited"), asked of every share, with consent or without."""

    model_config = _STRICT

    necessary: str | None = Field(None, description="why sharing is necessary for the purpose")
    proportionate: str | None = Field(
        None,
        description="why what is shared is proportionate to the need and level of risk",
    )


class LawfulBasisChoice(BaseModel):
    """v2: the lawful basis the practitioner confirmed or chose, and the bases their
    agency may rely on (UK GDPR Articles 6, 9, 10; DPA 2018 Schedule 1)."""

    model_config = _STRICT

    article_6: _Article6 | None = Field(None, description="UK GDPR Article 6(1) basis")
    article_9: _Article9 | None = Field(
        None, description="UK GDPR Article 9(2) condition, for special category data"
    )
    schedule_1: _Schedule1 | None = Field(
        None, description="DPA 2018 Schedule 1 condition (with Article 9 or Article 10)"
    )
    allowed: list[str] | None = Field(
        None,
        description=(
            "the codes (Article 6, Article 9 and Schedule 1) the agency may rely on; when "
            "given, a chosen code outside it is an error"
        ),
    )


# The keys that make a question one of contract version 2 (``Question.uses_version_2``).
_V2_VALUED_KEYS = frozenset({"subject", "other_consents", "how", "necessity", "lawful_basis"})
_V2_TOP_KEYS = _V2_VALUED_KEYS | {"contract_version", "criminal_offence"}
_V2_CONSENT_KEYS = frozenset(
    {"given_by", "purposes", "purpose_text", "privacy_notice", "privacy_notice_covers"}
)


class Question(BaseModel):
    """A sharing question (contract version 2). All keys optional; null means not known."""

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
    contract_version: int | None = Field(
        None,
        ge=1,
        le=2,
        description=(
            "v2: 2 asks for the version 2 decision (lawful basis, consent used, balance, "
            "what the record still needs) even when no other version 2 key is given"
        ),
    )
    criminal_offence: bool | None = Field(
        False,
        description="v2: criminal offence data (UK GDPR Article 10); default false",
    )
    subject: Subject | None = None
    other_consents: list[Consent] | None = Field(
        None,
        description=(
            "v2: other people's answers about the same information (e.g. the mother "
            "consents while the child refuses); the engine says which governs"
        ),
    )
    how: _HowShared | None = Field(None, description="v2: how the information is shared (How?)")
    necessity: Necessity | None = None
    lawful_basis: LawfulBasisChoice | None = None

    def uses_version_2(self) -> bool:
        """Does the question ask for (or use any key of) contract version 2?"""
        # Set operations on the keys given, not a look at every key: this runs once per
        # decision, and a version 1 question gives none of them (tests/bench/bench_decide).
        top = self.model_fields_set & _V2_TOP_KEYS
        if top:
            if "criminal_offence" in top or self.contract_version == 2:
                return True
            if any(getattr(self, key) is not None for key in top & _V2_VALUED_KEYS):
                return True
        purpose = self.purpose
        if purpose is not None and purpose.code is not None:
            return True
        consent = self.consent
        if consent is not None and consent.model_fields_set & _V2_CONSENT_KEYS:
            return True
        other = self.other_basis
        if other is not None:
            if "legal_obligation" in other.model_fields_set:
                return True
            pi = other.public_interest
            if pi is not None and pi.test is not None and pi.test.impact_severity is not None:
                return True
        return False


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
        question = Question.model_validate(data)
    except ValidationError as exc:
        raise _from_pydantic(exc) from None
    _check_allowed(question)
    return question


def _check_allowed(question: Question) -> None:
    """v2: a chosen lawful basis must be one the agency may rely on, when its list is given."""
    choice = question.lawful_basis
    if choice is None or choice.allowed is None:
        return
    allowed = set(choice.allowed)
    errors = []
    for key in ("article_6", "article_9", "schedule_1"):
        code = getattr(choice, key)
        if code is not None and code.value not in allowed:
            errors.append(
                FieldError(
                    path=f"lawful_basis.{key}",
                    message=(
                        f"{code.value} is not one of the lawful bases your agency may rely "
                        f"on ({', '.join(sorted(allowed)) or 'none'})"
                    ),
                    type="not_allowed",
                    loc=("lawful_basis", key),
                )
            )
    if errors:
        raise QuestionError(errors)


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
