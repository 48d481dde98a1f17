"""What the decision page asks of every share (contract version 2), as one value.

Guidance, How?: "Ensure you are giving the right information to the right person, and
that it is shared securely"; Necessary and proportionate: "Any information shared must be
proportionate to the need and level of risk"; Consent to Share Information: where consent
is not the basis, "the disclosing Partner must consider other lawful basis". So every
share records how it is shared, why it is necessary and why what is shared is
proportionate, and its lawful basis: the engine proposes it and the practitioner confirms
or changes it, among the bases their agency's administrator allows.

``ShareAnswers`` is built and checked once from the page (``from_raw``), then handed to
the engine (``apply`` puts it in the question as the contract's ``how``, ``necessity`` and
``lawful_basis`` keys) and to ``services.record_decision`` (``share=``) alike. The policy's
own models (``Necessity``, ``LawfulBasisChoice``) carry the values, so the contract is the
one truth about their shape and the agency's list is checked by the policy.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from mash.policy import (
    LAWFUL_BASIS_WORDS,
    Article6,
    Article9,
    HowShared,
    LawfulBasisChoice,
    Necessity,
    QuestionError,
    Schedule1,
    validate,
)

# The record form's fields for these answers (``forms.RECORD_FIELDS``) and the contract
# path each stands for.
FIELD_PATHS: dict[str, str] = {
    "how": "how",
    "necessary": "necessity.necessary",
    "proportionate": "necessity.proportionate",
    "article_6": "lawful_basis.article_6",
    "article_9": "lawful_basis.article_9",
    "schedule_1": "lawful_basis.schedule_1",
}
PATH_FIELDS = {path: name for name, path in FIELD_PATHS.items()}

# What the record still needs (the engine's ``record_needs``), as the message naming it.
NEEDS_MESSAGES: dict[str, str] = {
    "how": "Select how the information will be shared",
    "necessity.necessary": "Enter why sharing this information is necessary",
    "necessity.proportionate": "Enter why what you share is proportionate",
    "lawful_basis.article_6": "Confirm or choose the lawful basis (UK GDPR Article 6)",
    "lawful_basis.article_9": (
        "Confirm or choose the condition for special category information (UK GDPR Article 9)"
    ),
    "lawful_basis.schedule_1": (
        "Confirm or choose the Data Protection Act 2018 Schedule 1 condition"
    ),
}
NONE = "none"
"""The radio value for "no Article 9 condition" or "no Schedule 1 condition"."""

_ENUMS: dict[str, type[Article6] | type[Article9] | type[Schedule1]] = {
    "article_6": Article6,
    "article_9": Article9,
    "schedule_1": Schedule1,
}


@dataclasses.dataclass(frozen=True, slots=True)
class ShareAnswers:
    """How a share is made, why it is necessary and proportionate, and its lawful basis."""

    how: HowShared | None = None
    necessity: Necessity = dataclasses.field(default_factory=lambda: Necessity.model_validate({}))
    lawful_basis: LawfulBasisChoice = dataclasses.field(
        default_factory=lambda: LawfulBasisChoice.model_validate({})
    )

    @classmethod
    def from_raw(
        cls,
        raw: Mapping[str, Any],
        *,
        allowed: Sequence[str] | None,
        agency_name: str = "your agency",
    ) -> tuple[ShareAnswers, dict[str, list[str]]]:
        """The page's answers (strings), checked: a value not in the list, or a basis
        outside the agency's list (``allowed``; None = any), is an error naming its field.
        Blank answers are left for the engine's ``record_needs`` to ask for."""
        errors: dict[str, list[str]] = {}
        how_text = str(raw.get("how") or "").strip()
        how: HowShared | None = None
        if how_text:
            try:
                how = HowShared(how_text)
            except ValueError:
                errors["how"] = ["Select how the information will be shared from the list"]
        parts: dict[str, Any] = {}
        for name, enum in _ENUMS.items():
            text = str(raw.get(name) or "").strip()
            if not text or text == NONE:
                continue
            try:
                parts[name] = enum(text)
            except ValueError:
                errors[name] = ["Select the lawful basis from the list"]
        choice = LawfulBasisChoice(**parts, allowed=list(allowed) if allowed is not None else None)
        answers = cls(
            how=how,
            necessity=Necessity(
                necessary=str(raw.get("necessary") or "").strip() or None,
                proportionate=str(raw.get("proportionate") or "").strip() or None,
            ),
            lawful_basis=choice,
        )
        try:  # the policy checks the choice against the agency's list
            validate(answers.apply({}))
        except QuestionError as problem:
            for error in problem.errors:
                name = PATH_FIELDS.get(error.path, error.path)
                code = parts.get(name)
                if error.type == "not_allowed" and code is not None:
                    message = (
                        f"{LAWFUL_BASIS_WORDS[code.value]} is not one of the lawful bases "
                        f"{agency_name} may rely on: choose one from the list, or ask your "
                        "agency's administrator"
                    )
                else:
                    message = f"{name.replace('_', ' ').capitalize()}: {error.message}"
                errors.setdefault(name, []).append(message)
        return answers, errors

    @classmethod
    def from_question(cls, question: Mapping[str, Any]) -> ShareAnswers:
        """The answers a recorded question holds (for a correction); lenient, since the
        question was checked when it was recorded."""
        lawful = question.get("lawful_basis") or {}
        necessity = question.get("necessity") or {}
        how = question.get("how")
        return cls(
            how=HowShared(how) if isinstance(how, str) and how in set(HowShared) else None,
            necessity=Necessity(
                necessary=necessity.get("necessary"), proportionate=necessity.get("proportionate")
            ),
            lawful_basis=LawfulBasisChoice.model_validate(
                {
                    name: lawful[name]
                    for name, enum in _ENUMS.items()
                    if lawful.get(name) in {member.value for member in enum}
                }
            ),
        )

    def apply(self, question: Mapping[str, Any]) -> dict[str, Any]:
        """The question with these answers as the contract's version 2 keys."""
        out = dict(question)
        out["how"] = self.how.value if self.how is not None else None
        out["necessity"] = self.necessity.model_dump()
        out["lawful_basis"] = self.lawful_basis.model_dump(mode="json")
        return out

    def to_raw(self) -> dict[str, str]:
        """The answers as the page's fields (to fill the form again)."""
        choice = self.lawful_basis
        return {
            "how": self.how.value if self.how is not None else "",
            "necessary": self.necessity.necessary or "",
            "proportionate": self.necessity.proportionate or "",
            "article_6": choice.article_6.value if choice.article_6 else "",
            "article_9": choice.article_9.value if choice.article_9 else "",
            "schedule_1": choice.schedule_1.value if choice.schedule_1 else "",
        }


def proposed_raw(lawful_basis: Mapping[str, Any] | None) -> dict[str, str]:
    """The engine's proposal as the page's lawful basis fields, to pre-select it: the
    practitioner confirms it or changes it."""
    proposed = (lawful_basis or {}).get("proposed") or {}
    return {
        "article_6": str(proposed.get("article_6") or ""),
        "article_9": str(proposed.get("article_9") or NONE),
        "schedule_1": str(proposed.get("schedule_1") or NONE),
    }


def needs_errors(record_needs: Sequence[str], warnings: Sequence[str]) -> dict[str, list[str]]:
    """What the record of a share still needs (the engine's ``record_needs``), and what is
    wrong with the chosen lawful basis (its ``warnings``), as errors naming the field."""
    errors: dict[str, list[str]] = {}
    for path in record_needs:
        name = PATH_FIELDS.get(path)
        if name is not None:
            errors.setdefault(name, []).append(NEEDS_MESSAGES[path])
    for warning in warnings:
        errors.setdefault("lawful_basis", []).append(warning)
    return errors
