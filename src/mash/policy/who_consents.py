"""Who can consent, and whose answer governs (contract version 2).

Who?: "Who do we need information about in order to make the decision - child, parent,
carer, others? ... Do we have their consent?" The guidance leaves to the law who may give
that consent; the engine applies it:

- A child under 16 may decide for themselves when judged competent to do so (Gillick v
  West Norfolk and Wisbech AHA [1986]; HM Government, Information sharing advice, 2018).
  Then their own answer governs: a parent's consent cannot override a competent child's
  refusal, and cannot stand in for the child's own consent. A child not judged competent
  cannot consent; a person with parental responsibility decides (Children Act 1989 s. 3).
- A person of 16 or over is presumed to have capacity (Mental Capacity Act 2005 s. 1(2))
  and decides for themselves. Where that capacity is in doubt, their consent cannot be
  relied on until capacity is assessed (MCA 2005 ss. 2-3). A person assessed as lacking
  capacity cannot consent: for a 16 or 17 year old a person with parental responsibility
  may decide; for an adult nobody can consent for them, and any share rests on another
  ground (a best-interests decision, MCA 2005 s. 4).
- Anyone else ("other") cannot consent for the person the information is about.

When the competence or capacity that would say whose answer governs is not known and the
answers disagree, no answer can be relied on and the engine says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from mash.policy.decision import Requirement, Step
from mash.policy.question import CapacityAssessment, Consent, ConsentStatus, GivenBy, Question

_SECTION = "Who?"
WHO_TEXT = "Can the person who answered consent for the person the information is about?"

_OWN = frozenset({GivenBy.CHILD, GivenBy.PERSON})
_PARENTAL = frozenset({GivenBy.PARENT, GivenBy.PARENTAL_RESPONSIBILITY})


class Decides(Enum):
    """Who the law says decides for the person the information is about."""

    THE_PERSON = "the person"
    PARENTAL_RESPONSIBILITY = "a person with parental responsibility"
    NOBODY = "nobody (a best-interests decision)"
    NOT_KNOWN = "not known"


@dataclass(frozen=True, slots=True)
class ConsentReading:
    """The consent answer that governs, whether it can be relied on, and why."""

    consent: Consent | None
    can_rely: bool
    steps: tuple[Step, ...] = ()
    reasons: tuple[str, ...] = ()
    requires: tuple[Requirement, ...] = ()
    missing: tuple[str, ...] = ()
    """The unknown answers (field paths) that would let a given consent be relied on."""

    @property
    def given_by(self) -> GivenBy | None:
        return self.consent.given_by if self.consent is not None else None


def who_decides(question: Question) -> tuple[Decides, str]:
    """Who decides for the subject, and the reason in words (citing the law)."""
    subject = question.subject
    age = subject.age if subject is not None else None
    if age is None:
        if subject is not None and subject.competent is True:
            return Decides.THE_PERSON, (
                "The child has been judged competent to decide for themselves (Gillick), "
                "so their own answer governs (Who?)."
            )
        return Decides.NOT_KNOWN, ""
    if age < 16:
        competent = subject.competent if subject is not None else None
        if competent is True:
            return Decides.THE_PERSON, (
                f"The child is {age} and has been judged competent to decide for themselves "
                "(Gillick competence), so their own answer governs: a parent's consent does "
                "not override a competent child's refusal (Who?)."
            )
        if competent is False:
            return Decides.PARENTAL_RESPONSIBILITY, (
                f"The child is {age} and has not been judged competent to decide for "
                "themselves (Gillick), so a person with parental responsibility decides; the "
                "child's wishes are still taken into account (Who?)."
            )
        return Decides.NOT_KNOWN, (
            f"The child is {age}: whether they are competent to decide for themselves "
            "(Gillick) has not been judged, so it is not known whose answer governs (Who?)."
        )
    in_doubt = subject.capacity_in_doubt if subject is not None else None
    assessment = subject.capacity_assessment if subject is not None else None
    if assessment is CapacityAssessment.LACKS_CAPACITY:
        if age < 18:
            return Decides.PARENTAL_RESPONSIBILITY, (
                f"The young person is {age} and has been assessed as lacking capacity to "
                "consent (Mental Capacity Act 2005 ss. 2-3), so a person with parental "
                "responsibility decides (Who?)."
            )
        return Decides.NOBODY, (
            f"The person is {age} and has been assessed as lacking capacity to consent "
            "(Mental Capacity Act 2005 ss. 2-3); nobody can consent for them, so any share "
            "rests on another ground, in their best interests (MCA 2005 s. 4)."
        )
    if in_doubt is True and assessment is None:
        return Decides.NOT_KNOWN, (
            f"The person is {age} and their capacity to consent is in doubt: their consent "
            "cannot be relied on without an assessment of capacity (Mental Capacity Act "
            "2005 ss. 2-3)."
        )
    return Decides.THE_PERSON, (
        f"The person is {age}, so they are presumed to have capacity to decide for "
        "themselves (Mental Capacity Act 2005 s. 1(2)) and their own answer governs (Who?)."
    )


def _capacity_unassessed(question: Question) -> bool:
    subject = question.subject
    return (
        subject is not None
        and subject.age is not None
        and subject.age >= 16
        and subject.capacity_in_doubt is True
        and subject.capacity_assessment is None
    )


def _unknown_authority(question: Question) -> tuple[str, ...]:
    """The unknown answers that stop a given consent from being relied on."""
    subject = question.subject
    if subject is None or subject.age is None:
        return ("subject.age",) if not (subject and subject.competent is True) else ()
    if subject.age < 16:
        return ("subject.competent",) if subject.competent is None else ()
    if _capacity_unassessed(question):
        return ("subject.capacity_assessment",)
    return ()


def read_consent(question: Question) -> ConsentReading:
    """Which consent answer governs and whether it can be relied on (module docstring).

    A version 1 question (no ``given_by``, no ``other_consents``, no ``subject``) reads as
    it always did: its one answer, relied on as given.
    """
    answers = [c for c in (question.consent, *(question.other_consents or ())) if c is not None]
    if (
        question.subject is None
        and not question.other_consents
        and all(a.given_by is None for a in answers)
    ):
        return ConsentReading(question.consent, True)
    decides, why = who_decides(question)
    requires: tuple[Requirement, ...] = ()
    if _capacity_unassessed(question):
        requires = (Requirement.ASSESS_CAPACITY,)
    reasons = [why] if why else []
    own = [a for a in answers if a.given_by in _OWN]
    parental = [a for a in answers if a.given_by in _PARENTAL]
    others = [a for a in answers if a.given_by is GivenBy.OTHER]
    unnamed = [a for a in answers if a.given_by is None]

    def reading(
        consent: Consent | None, can_rely: bool, *more: str, disputed: bool = False
    ) -> ConsentReading:
        answer = "yes" if can_rely else "no"
        if consent is None:
            answer = "no answer from the person who decides"
        step = Step(WHO_TEXT, answer, _SECTION)
        missing: tuple[str, ...] = ()
        given = consent is not None and consent.status is ConsentStatus.GIVEN
        named = consent is not None and consent.given_by is not GivenBy.OTHER
        if not can_rely and consent is not None and (disputed or (given and named)):
            missing = _unknown_authority(question)
        return ConsentReading(
            consent, can_rely, (step,), tuple([*reasons, *more]), requires, missing
        )

    if not answers:
        return ConsentReading(None, True, (), tuple(reasons), requires)
    if decides is Decides.THE_PERSON:
        if own:
            extra = (
                [
                    "The answer of a parent or person with parental responsibility was also "
                    "recorded; it does not govern, because the person can decide for "
                    "themselves (Who?)."
                ]
                if parental
                else []
            )
            return reading(own[0], True, *extra)
        if unnamed:
            return reading(unnamed[0], True)
        first = (parental or others)[0]
        return reading(
            first,
            first.status is not ConsentStatus.GIVEN,
            "The only answer recorded is not the person's own; since they can decide for "
            "themselves, someone else's consent cannot be relied on in place of theirs: ask "
            "them (Who?).",
        )
    if decides is Decides.PARENTAL_RESPONSIBILITY:
        if parental:
            extra = (
                [
                    "The child's own answer was also recorded: it is taken into account, but "
                    "a person with parental responsibility decides (Who?)."
                ]
                if own
                else []
            )
            return reading(parental[0], True, *extra)
        if unnamed:
            return reading(unnamed[0], True)
        first = (own or others)[0]
        return reading(
            first,
            first.status is not ConsentStatus.GIVEN,
            "There is no answer from a person with parental responsibility, and the answer "
            "recorded cannot be relied on as consent (Who?).",
        )
    if decides is Decides.NOBODY:
        first = answers[0]
        return reading(
            first,
            first.status is not ConsentStatus.GIVEN,
            "No consent can be relied on for a person who lacks capacity; consider the "
            "grounds to share without consent (Mental Capacity Act 2005 s. 4).",
        )
    # Not known who decides (age, competence or capacity unknown).
    if _capacity_unassessed(question):
        first = (own or parental or unnamed or others)[0]
        return reading(first, first.status is not ConsentStatus.GIVEN)
    if not (own or parental or unnamed):
        first = others[0]
        return reading(
            first,
            first.status is not ConsentStatus.GIVEN,
            "Someone other than the person or a person with parental responsibility cannot "
            "consent for them (Who?).",
        )
    statuses = {a.status for a in answers if a.given_by is not GivenBy.OTHER}
    if len(statuses) <= 1:
        first = (own or parental or unnamed)[0]
        if first.given_by is GivenBy.CHILD and first.status is ConsentStatus.GIVEN:
            return reading(
                first,
                False,
                "Consent was given by the child, but it is not recorded that they are 16 or "
                "over or judged competent (Gillick), so it cannot be relied on (Who?).",
            )
        return reading(first, True)
    first = (own or parental or unnamed or others)[0]
    return reading(
        first,
        False,
        "The answers recorded disagree and it is not known whose governs: record the "
        "person's age and, for a child under 16, whether they are judged competent "
        "(Gillick); until then no consent can be relied on (Who?).",
        disputed=True,
    )
