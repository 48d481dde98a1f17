"""The sharing decision: what the guidance says to do, why, and what must follow.

``Decision`` is a small immutable value (a slotted class, cheap to build: ``decide`` is on
the hot path of the CLI's ``--jsonl`` mode and the API). ``SharingDecision`` is the same
shape as a pydantic model, for the OpenAPI document and for anyone who wants to validate
a decision they received. Field names and values are fixed by contract version 1.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field


class Outcome(StrEnum):
    SHARE = "share"
    DO_NOT_SHARE = "do_not_share"
    SEEK_ADVICE = "seek_advice"


class Basis(StrEnum):
    """The ground a share rests on, in the order the guidance reaches them."""

    NOT_IDENTIFYING = "not_identifying"  # When? Q2
    NOT_CONFIDENTIAL = "not_confidential"  # When? Q3
    CONSENT = "consent"  # When? Q4; Consent; Partial Consent
    SIGNIFICANT_HARM = "significant_harm"  # Introduction; Consent to Share Information
    URGENT = "urgent"  # Sharing without consent
    VITAL_INTERESTS = "vital_interests"  # When? Q5
    PUBLIC_FUNCTION = "public_function"  # When? Q5
    PUBLIC_INTEREST = "public_interest"  # Public Interest
    LEGAL_OBLIGATION = "legal_obligation"  # v2: Consent to Share Information ("other lawful basis")


class Requirement(StrEnum):
    """What the record of a decision must contain, or what must follow it."""

    RECORD_DECISION = "record_decision"
    RECORD_REASONS = "record_reasons"
    DISCUSS_WITH_REQUESTER = "discuss_with_requester"
    RECORD_WHAT_SHARED_AND_WITH_WHOM = "record_what_shared_and_with_whom"
    CONSIDER_HOW = "consider_how"
    RECORD_JUSTIFICATION = "record_justification"
    INFORM_INDIVIDUAL_UNLESS_RISK = "inform_individual_unless_risk"
    PROPORTIONALITY_OF_OVERRIDE = "proportionality_of_override"
    RECORD_REASON_CONSENT_NOT_OBTAINED = "record_reason_consent_not_obtained"
    EXPLICIT_CONSENT_RECORD = "explicit_consent_record"
    SEEK_ADVICE = "seek_advice"
    ASSESS_CAPACITY = "assess_capacity"  # v2


class Balance(StrEnum):
    """v2: how the public interest balance falls (Public Interest: "a fair balance is
    achieved between the public interest and the rights of the individual")."""

    FAVOURS_DISCLOSURE = "favours_disclosure"
    FINELY_BALANCED = "finely_balanced"
    AGAINST_DISCLOSURE = "against_disclosure"
    NOT_WEIGHED = "not_weighed"


# Plain English for each requirement, citing the guidance section it comes from.
REQUIREMENT_TEXT: dict[str, str] = {
    "record_decision": (
        "Record the decision, whether or not the information is shared "
        "(Record; Consent to Share Information)."
    ),
    "record_reasons": "Record the reasons for not sharing (Record).",
    "discuss_with_requester": (
        "Discuss the reasons for not sharing with the person who asked (Record)."
    ),
    "record_what_shared_and_with_whom": (
        "Record what information was shared and with whom (Record)."
    ),
    "consider_how": (
        "Consider how to share: the right information to the right person, only as much "
        "as is needed, fact distinguished from opinion, and shared securely (How?)."
    ),
    "record_justification": (
        "Record why sharing without consent is reasonable, necessary and proportionate "
        "(Sharing without consent)."
    ),
    "inform_individual_unless_risk": (
        "Tell the person that the information has been shared, unless that would create "
        "or increase the risk of harm (How?)."
    ),
    "proportionality_of_override": (
        "Record why overriding the refusal or withdrawal of consent is proportionate to the "
        "harm that proceeding without consent may cause "
        "(Sharing information when consent has been refused)."
    ),
    "record_reason_consent_not_obtained": (
        "Record why consent was not obtained, on both the agency's and the MASH record "
        "(Consent to Share Information)."
    ),
    "explicit_consent_record": (
        "Keep the record of explicit consent: the consent form, or the date, time and what "
        "information the verbal consent covered (Consent to Share Information)."
    ),
    "seek_advice": (
        "Seek advice from a manager, your safeguarding lead or the MASH helpline before "
        "deciding (7 Golden Rules: Seek Advice; Public Interest)."
    ),
    "assess_capacity": (
        "The person's capacity to consent is in doubt: assess it before relying on their "
        "consent, and record the assessment (Mental Capacity Act 2005 ss. 2-3)."
    ),
}


class Step(NamedTuple):
    """One question passed on the way through the guidance, and its answer."""

    question: str
    answer: str
    section: str

    def to_dict(self) -> dict[str, str]:
        return {"question": self.question, "answer": self.answer, "section": self.section}


class Decision:
    """The answer to a sharing question (contract version 1).

    Immutable by convention and by ``__slots__`` plus ``__setattr__``; its sequences are
    tuples. ``to_dict()`` gives the contract's JSON shape, ``to_json()`` its text.
    """

    __slots__ = (
        "basis",
        "extension",
        "grounds",
        "guidance_version",
        "missing",
        "outcome",
        "reasons",
        "requires",
        "steps",
        "without_consent",
    )

    outcome: Outcome
    basis: Basis | None
    grounds: tuple[Basis, ...]
    without_consent: bool
    requires: tuple[Requirement, ...]
    missing: tuple[str, ...]
    steps: tuple[Step, ...]
    reasons: tuple[str, ...]
    guidance_version: str
    extension: DecisionV2 | None

    def __init__(
        self,
        outcome: Outcome,
        basis: Basis | None,
        grounds: tuple[Basis, ...],
        without_consent: bool,
        requires: tuple[Requirement, ...],
        missing: tuple[str, ...],
        steps: tuple[Step, ...],
        reasons: tuple[str, ...],
        guidance_version: str,
        extension: DecisionV2 | None = None,
    ) -> None:
        setter = object.__setattr__
        setter(self, "outcome", outcome)
        setter(self, "basis", basis)
        setter(self, "grounds", grounds)
        setter(self, "without_consent", without_consent)
        setter(self, "requires", requires)
        setter(self, "missing", missing)
        setter(self, "steps", steps)
        setter(self, "reasons", reasons)
        setter(self, "guidance_version", guidance_version)
        setter(self, "extension", extension)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Decision cannot be changed")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((self.outcome, self.basis, self.grounds, self.requires, self.steps))

    def __repr__(self) -> str:
        return (
            f"Decision(outcome={self.outcome.value!r}, basis="
            f"{self.basis.value if self.basis else None!r}, requires={list(self.requires)!r})"
        )

    def to_dict(self) -> dict[str, Any]:
        """The decision in the contract's JSON shape (plain str, bool, list and dict).

        A version 1 question gets the version 1 shape exactly; a question that uses (or
        asks for) version 2 gets the version 2 keys as well.
        """
        data = {
            "outcome": self.outcome.value,
            "basis": self.basis.value if self.basis is not None else None,
            "grounds": [g.value for g in self.grounds],
            "without_consent": self.without_consent,
            "requires": [r.value for r in self.requires],
            "missing": list(self.missing),
            "steps": [s.to_dict() for s in self.steps],
            "reasons": list(self.reasons),
            "guidance_version": self.guidance_version,
        }
        if self.extension is not None:
            data.update(self.extension.to_dict())
        return data

    def to_json(self, *, indent: int | None = None) -> str:
        """The decision as JSON text: compact on one line, or indented."""
        if indent is None:
            return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def requirement_sentences(self) -> list[str]:
        """``requires`` in plain English, for people."""
        return [REQUIREMENT_TEXT[r.value] for r in self.requires]


class DecisionV2:
    """The version 2 part of a decision: the lawful basis, the consent relied on, the public
    interest balance, how it is shared, and what the record of the share still needs."""

    __slots__ = ("balance", "consent_used", "how", "lawful_basis", "record_needs")

    lawful_basis: dict[str, Any] | None
    consent_used: dict[str, Any] | None
    balance: Balance | None
    how: str | None
    record_needs: tuple[str, ...]

    def __init__(
        self,
        *,
        lawful_basis: dict[str, Any] | None,
        consent_used: dict[str, Any] | None,
        balance: Balance | None,
        how: str | None,
        record_needs: tuple[str, ...],
    ) -> None:
        setter = object.__setattr__
        setter(self, "lawful_basis", lawful_basis)
        setter(self, "consent_used", consent_used)
        setter(self, "balance", balance)
        setter(self, "how", how)
        setter(self, "record_needs", record_needs)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Decision cannot be changed")

    def to_dict(self) -> dict[str, Any]:
        return {
            "contract_version": 2,
            "lawful_basis": self.lawful_basis,
            "consent_used": self.consent_used,
            "public_interest_balance": self.balance.value if self.balance else None,
            "how": self.how,
            "record_needs": list(self.record_needs),
        }


class DecisionStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="the guidance's question")
    answer: str = Field(description="the answer given: yes, no, not known, or a value")
    section: str = Field(description="the guidance section it comes from, e.g. When? Q1")


class LawfulBasisParts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    article_6: str | None = Field(description="UK GDPR Article 6(1) basis, e.g. 6(1)(e)")
    article_9: str | None = Field(description="UK GDPR Article 9(2) condition, e.g. 9(2)(g)")
    article_10: bool = Field(description="criminal offence data (UK GDPR Article 10)")
    schedule_1: str | None = Field(description="DPA 2018 Schedule 1 condition, e.g. para_18")


class LawfulBasisOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    proposed: LawfulBasisParts = Field(description="proposed by the engine from the answers")
    chosen: LawfulBasisParts | None = Field(description="confirmed or changed by the practitioner")
    confirmed: bool = Field(description="the practitioner chose exactly what was proposed")
    words: list[str] = Field(description="the recorded basis (chosen, else proposed) in words")
    warnings: list[str] = Field(description="what is wrong with the chosen basis")


class ConsentUsed(BaseModel):
    model_config = ConfigDict(extra="forbid")

    given_by: str | None = Field(description="who gave the answer that governs")
    status: str | None = Field(description="that answer's consent.status")
    relied_on: bool = Field(description="whether that consent can be relied on for this share")


class SharingDecision(BaseModel):
    """The decision's JSON shape (contract version 2: every version 1 key, then the
    version 2 keys, present when the question uses version 2), for OpenAPI and validators."""

    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    basis: Basis | None = Field(
        description="the ground the share rests on; null unless outcome is share"
    )
    grounds: list[Basis] = Field(description="every ground that applies (basis is the first)")
    without_consent: bool = Field(
        description=(
            "true when the share rests on a ground other than consent while the information "
            "is identifying and confidential"
        )
    )
    requires: list[Requirement] = Field(
        description="what the record of this decision must contain or what must follow"
    )
    missing: list[str] = Field(
        description="for seek_advice: the unknown answers (field paths) that would decide it"
    )
    steps: list[DecisionStep] = Field(description="the path taken through the guidance, in order")
    reasons: list[str] = Field(description="plain-English explanation, citing the guidance")
    guidance_version: str = Field(description="the version of the rules applied")
    contract_version: int | None = Field(
        None, description="v2: 2 when the version 2 keys below are given"
    )
    lawful_basis: LawfulBasisOut | None = Field(
        None, description="v2: the lawful basis proposed and chosen; null unless share"
    )
    consent_used: ConsentUsed | None = Field(
        None, description="v2: the consent answer that governs and whether it can be relied on"
    )
    public_interest_balance: Balance | None = Field(
        None,
        description="v2: how the public interest balance falls; null when not reached",
    )
    how: str | None = Field(None, description="v2: how the information is shared")
    record_needs: list[str] | None = Field(
        None,
        description=(
            "v2: for share, the answers (field paths) the record still needs: how, "
            "necessity.necessary, necessity.proportionate, lawful_basis.*"
        ),
    )
