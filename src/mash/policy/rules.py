"""The guidance's sharing decision as code (contract version 1, rules 1 to 6).

Herefordshire MASH Information Sharing Guidance, version 4 (May 2023), "When and how to
share information": the When? questions, then Consent, Partial Consent, Sharing without
consent, Sharing information when consent has been refused, and Public Interest. Each
rule below names the section it comes from, so a practitioner and an engineer can check
one against the other line by line.

Readings of the contract that needed a decision (each is tested in tests/policy/):

- "null or absent means not known". ``sensitive`` and ``consent.explicit`` default to
  false, so null counts as false for them too. An absent or null ``risk.urgent``,
  ``other_basis.vital_interests`` or ``other_basis.public_function`` counts as false
  (rule 6). An absent ``consent.status`` is "not known", exactly like ``unknown``.
- Partial Consent: ``consent.agencies`` null covers every agency (even when
  ``recipient_agency`` is not given); a list covers exactly the agency codes it lists
  (compared exactly, case included); an empty list covers no agency; a list with no
  ``recipient_agency`` to check against covers nothing, since coverage cannot be shown.
- Explicit consent for sensitive information needs ``consent.explicit`` true;
  ``consent.recorded_at`` is kept for the record but does not decide validity.
- ``urgent`` is a ground of its own (Sharing without consent: "seeking consent will lead
  to unjustified delay in making enquiries about *allegations* of significant harm"), so it
  applies whatever the answer to ``risk.significant_harm``.
- Public Interest criteria are "given" when the list has at least one criterion. With no
  criteria (absent, null or empty) public interest does not apply and is never a reason
  to seek advice: the contract's two seek-advice conditions are the only ones.
- ``grounds`` lists every ground that applies once the decision shares: after a
  legitimate purpose (When? Q1), each of not_identifying, not_confidential, consent,
  significant_harm, urgent, vital_interests, public_function, public_interest that holds
  on its own, in that order, so ``basis`` is always ``grounds[0]``. A decision that does
  not share has no ground (``grounds`` is empty): nothing may be shared on it.
- ``missing`` names the unknown answers that would decide a ``seek_advice``: the one
  unknown When? answer that stopped the decision (rules 1-3), or at rule 6
  ``risk.significant_harm`` and the unknown public interest test answers that could still
  make the test hold (an unknown ``necessary_to_*`` answer is not missing when the other
  is already true).
- ``record_reason_consent_not_obtained`` is required whenever the decision reached the
  consent question (When? Q4: the purpose is legitimate and the information identifying
  and confidential) and consent was ``not_sought``, ``unknown`` or not given at all,
  whatever the outcome (Consent to Share Information: "Where consent has not been
  obtained, reasons for this will be documented on both the agency and MASH records").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mash.policy.decision import Basis, Decision, Outcome, Requirement, Step
from mash.policy.question import ConsentStatus, OtherBasis, Question, validate
from mash.policy.versions import CURRENT

GUIDANCE_VERSION = CURRENT.id

_YES, _NO, _UNKNOWN = "yes", "no", "not known"
_NOT_ANSWERED = "not answered (counts as no)"


def _answers(question: str, section: str) -> dict[bool | None, Step]:
    return {
        True: Step(question, _YES, section),
        False: Step(question, _NO, section),
        None: Step(question, _UNKNOWN, section),
    }


# The guidance's questions, each with its section. Steps are built once, here.
Q1 = _answers("Is there a clear and legitimate purpose for sharing information?", "When? Q1")
Q2 = _answers("Does the information enable an individual to be identified?", "When? Q2")
Q3 = _answers("Is the information confidential?", "When? Q3")
_Q4_TEXT = "Do you have consent to share this information for this purpose?"
Q4 = {
    ConsentStatus.GIVEN: Step(_Q4_TEXT, "given", "Consent"),
    ConsentStatus.REFUSED: Step(_Q4_TEXT, "refused", "Consent"),
    ConsentStatus.WITHDRAWN: Step(_Q4_TEXT, "withdrawn", "Consent"),
    ConsentStatus.NOT_SOUGHT: Step(_Q4_TEXT, "not sought", "Consent"),
    ConsentStatus.UNKNOWN: Step(_Q4_TEXT, _UNKNOWN, "Consent"),
    None: Step(_Q4_TEXT, _UNKNOWN, "Consent"),
}
PARTIAL = _answers(
    "Does the consent include the agency you want to share it with?", "Partial Consent"
)
EXPLICIT = _answers(
    "Is the consent explicit, as expected for sensitive personal information?",
    "Consent to Share Information",
)
HARM = _answers(
    "Is the child believed to be at risk of significant harm?", "Sharing without consent"
)
_URGENT_TEXT = (
    "Is the need to share urgent, so that seeking consent would lead to unjustified delay "
    "in making enquiries about allegations of significant harm?"
)
URGENT = {
    True: Step(_URGENT_TEXT, _YES, "Sharing without consent"),
    False: Step(_URGENT_TEXT, _NO, "Sharing without consent"),
    None: Step(_URGENT_TEXT, _NOT_ANSWERED, "Sharing without consent"),
}
_VITAL_TEXT = "Is sharing needed to protect the vital interests of the individual?"
VITAL = {
    True: Step(_VITAL_TEXT, _YES, "When? Q5"),
    False: Step(_VITAL_TEXT, _NO, "When? Q5"),
    None: Step(_VITAL_TEXT, _NOT_ANSWERED, "When? Q5"),
}
_FUNCTION_TEXT = "Is sharing needed to fulfil a public function?"
FUNCTION = {
    True: Step(_FUNCTION_TEXT, _YES, "When? Q5"),
    False: Step(_FUNCTION_TEXT, _NO, "When? Q5"),
    None: Step(_FUNCTION_TEXT, _NOT_ANSWERED, "When? Q5"),
}
_CRITERIA_TEXT = "Does the disclosure fall within the Public Interest criteria?"
CRITERIA_NONE = Step(_CRITERIA_TEXT, "no criteria given", "Public Interest")
PROPORTIONATE = _answers(
    "Is the intended disclosure proportionate to the intended aim?", "Public Interest"
)
ALTERNATIVE = _answers(
    "Is there another equally effective means of achieving the same aim?", "Public Interest"
)
CRIME = _answers(
    "Is the disclosure necessary to prevent or detect crime and uphold the rights and "
    "freedoms of the public?",
    "Public Interest",
)
PROTECT = _answers(
    "Is it necessary to disclose the information, to protect others?", "Public Interest"
)

CRITERION_WORDS = {
    "protection_of_vulnerable": "protection of vulnerable members of the community",
    "administration_of_justice": "administration of justice",
    "public_safety": "maintaining of public safety",
    "apprehension_of_offenders": "apprehension of offenders",
    "prevention_of_crime_and_disorder": "prevention of crime and disorder",
    "detection_of_crime": "detection of crime",
}

# Plain-English reasons, each citing its section.
R_PURPOSE_NO = (
    "There is no clear and legitimate purpose for sharing the information, so do not "
    "share it (When? Q1)."
)
R_PURPOSE_UNKNOWN = (
    "It is not known whether there is a clear and legitimate purpose for sharing the "
    "information, so seek advice before deciding (When? Q1)."
)
R_PURPOSE_YES = "There is a clear and legitimate purpose for sharing the information (When? Q1)."
R_NOT_IDENTIFYING = (
    "The information does not enable anyone to be identified, so it can be shared; "
    "consider how best to share it (When? Q2)."
)
R_IDENTIFYING_UNKNOWN = (
    "It is not known whether the information enables an individual to be identified, so "
    "seek advice before deciding (When? Q2)."
)
R_NOT_CONFIDENTIAL = (
    "The information is not confidential, so it can be shared; consider how best to share "
    "it (When? Q3)."
)
R_CONFIDENTIAL_UNKNOWN = (
    "It is not known whether the information is confidential, so seek advice before "
    "deciding (When? Q3)."
)
R_IDENTIFYING_CONFIDENTIAL = (
    "The information identifies an individual and is confidential, so consent is the next "
    "question (When? Q2, Q3)."
)
R_CONSENT = (
    "Consent has been given to share this information with the agency that would receive "
    "it, so it can be shared; consider how best to share it (Consent; When? Q4)."
)
R_CONSENT_EXPLICIT = (
    "The information is sensitive and the consent is explicit, as the guidance expects "
    "(Consent to Share Information)."
)
R_CONSENT_NOT_COVERED = (
    "Consent was given to share with some agencies, but it does not include the agency "
    "that would receive the information, so there is no consent for this share "
    "(Partial Consent)."
)
R_CONSENT_NOT_EXPLICIT = (
    "The information is sensitive and explicit consent is expected (written, or a clear "
    "record of verbal consent with the date, time and what information), but the consent "
    "is not explicit, so there is no valid consent for this share "
    "(Consent to Share Information)."
)
R_CONSENT_REFUSED = (
    "Consent was refused. This does not mean the information cannot be shared: the grounds "
    "to share without consent are considered, and overriding the refusal must be "
    "proportionate to the harm (Sharing information when consent has been refused)."
)
R_CONSENT_WITHDRAWN = (
    "Consent was withdrawn, so there is no consent. The grounds to share without consent "
    "are considered, and overriding the withdrawal must be proportionate to the harm "
    "(Sharing information when consent has been refused)."
)
R_CONSENT_NOT_SOUGHT = (
    "Consent has not been sought. The reason must be recorded, and the grounds to share "
    "without consent are considered (Consent to Share Information; Sharing without consent)."
)
R_CONSENT_UNKNOWN = (
    "It is not known whether there is consent. The reason consent was not obtained must be "
    "recorded, and the grounds to share without consent are considered "
    "(Consent to Share Information; Sharing without consent)."
)
R_HARM = (
    "The child is believed to be at risk of significant harm. There are no barriers to "
    "sharing information where there is a safeguarding concern and a child is believed to "
    "be at risk of significant harm, so the information can be shared without consent; "
    "record the reason (Introduction; Sharing without consent)."
)
R_HARM_UNKNOWN = (
    "It is not known whether the child is believed to be at risk of significant harm "
    "(Sharing without consent)."
)
R_URGENT = (
    "The need to share is urgent: seeking consent would lead to unjustified delay in making "
    "enquiries about allegations of significant harm, so share without consent and record "
    "the reason (Sharing without consent)."
)
R_VITAL = (
    "Sharing is needed to protect the vital interests of the individual, so the information "
    "can be shared without consent (When? Q5)."
)
R_FUNCTION = (
    "Sharing is needed to fulfil a public function, so the information can be shared "
    "without consent (When? Q5)."
)
R_PUBLIC_INTEREST = (
    "The disclosure falls within the Public Interest criteria and the public interest test "
    "holds: it is proportionate, there is no equally effective alternative, and it is "
    "necessary to prevent or detect crime or to protect others, so the information can be "
    "shared without consent (Public Interest)."
)
R_PUBLIC_INTEREST_FAILS = (
    "Public Interest criteria were given, but the public interest test does not hold: the "
    "disclosure must be proportionate, with no equally effective alternative, and "
    "necessary to prevent or detect crime or to protect others (Public Interest)."
)
R_PUBLIC_INTEREST_UNKNOWN = (
    "Public Interest criteria were given, but answers that would decide the public interest "
    "test are not known (Public Interest)."
)
R_NO_GROUND = (
    "There is no consent and no other reason to share, such as significant harm, urgency, "
    "vital interests, a public function or the public interest, so do not share; record "
    "the reasons and discuss them with the person who asked (When? Q5; Record)."
)
R_SEEK_ADVICE = (
    "No ground to share without consent is established and answers that would decide it "
    "are not known, so seek advice from a manager, your safeguarding lead or the MASH "
    "helpline before deciding (Seek Advice; Public Interest)."
)

# requires, precomputed: always record_decision first, then the contract's rows in order.
_R = Requirement
REQUIRES_DO_NOT_SHARE = (_R.RECORD_DECISION, _R.RECORD_REASONS, _R.DISCUSS_WITH_REQUESTER)
REQUIRES_SHARE = (_R.RECORD_DECISION, _R.RECORD_WHAT_SHARED_AND_WITH_WHOM, _R.CONSIDER_HOW)
REQUIRES_WITHOUT_CONSENT = (
    *REQUIRES_SHARE,
    _R.RECORD_JUSTIFICATION,
    _R.INFORM_INDIVIDUAL_UNLESS_RISK,
)
REQUIRES_OVERRIDE = (*REQUIRES_WITHOUT_CONSENT, _R.PROPORTIONALITY_OF_OVERRIDE)
REQUIRES_SEEK_ADVICE = (_R.RECORD_DECISION, _R.SEEK_ADVICE)
_NOT_OBTAINED = (_R.RECORD_REASON_CONSENT_NOT_OBTAINED,)
REQUIRES_CONSENT = REQUIRES_SHARE
REQUIRES_CONSENT_SENSITIVE = (*REQUIRES_SHARE, _R.EXPLICIT_CONSENT_RECORD)

_GIVEN = ConsentStatus.GIVEN
_OVERRIDDEN = frozenset({ConsentStatus.REFUSED, ConsentStatus.WITHDRAWN})
_NOT_OBTAINED_STATUSES = frozenset({ConsentStatus.NOT_SOUGHT, ConsentStatus.UNKNOWN, None})
_CONSENT_REASON = {
    ConsentStatus.REFUSED: R_CONSENT_REFUSED,
    ConsentStatus.WITHDRAWN: R_CONSENT_WITHDRAWN,
    ConsentStatus.NOT_SOUGHT: R_CONSENT_NOT_SOUGHT,
    ConsentStatus.UNKNOWN: R_CONSENT_UNKNOWN,
    None: R_CONSENT_UNKNOWN,
}
_PI_PROPORTIONATE = "other_basis.public_interest.test.proportionate"
_PI_ALTERNATIVE = "other_basis.public_interest.test.alternative_means"
_PI_CRIME = "other_basis.public_interest.test.necessary_to_prevent_or_detect_crime"
_PI_PROTECT = "other_basis.public_interest.test.necessary_to_protect_others"
_EMPTY: tuple[Any, ...] = ()


def consent_is_valid(question: Question) -> bool:
    """Rule 4 (When? Q4; Consent; Partial Consent; Consent to Share Information).

    Consent is valid for this recipient when ``consent.status`` is ``given``, the
    recipient is covered (``consent.agencies`` null, or it lists ``recipient_agency``)
    and, where ``sensitive`` is true, ``consent.explicit`` is true.
    """
    consent = question.consent
    if consent is None or consent.status is not _GIVEN:
        return False
    agencies = consent.agencies
    if agencies is not None and (
        question.recipient_agency is None or question.recipient_agency not in agencies
    ):
        return False
    return not question.sensitive or consent.explicit is True


def public_interest_test(other_basis: OtherBasis | None) -> bool | None:
    """Rule 5, public interest (Public Interest): True when at least one criterion is
    given and the test holds (proportionate, no equally effective alternative means, and
    necessary to prevent or detect crime or to protect others); False when no criterion is
    given or a known answer fails the test; None when criteria are given and the answers
    known so far could still make the test hold (an answer that would decide it is unknown).
    """
    if other_basis is None:
        return False
    pi = other_basis.public_interest
    if pi is None or not pi.criteria:
        return False
    test = pi.test
    if test is None:
        return None
    proportionate = test.proportionate
    alternative = test.alternative_means
    crime = test.necessary_to_prevent_or_detect_crime
    protect = test.necessary_to_protect_others
    if proportionate is False or alternative is True or (crime is False and protect is False):
        return False
    if proportionate is True and alternative is False and (crime is True or protect is True):
        return True
    return None


def _public_interest_missing(other_basis: OtherBasis | None) -> list[str]:
    """The unknown test answers that could still make the public interest test hold."""
    test = other_basis.public_interest.test if other_basis and other_basis.public_interest else None
    if test is None:
        return [_PI_PROPORTIONATE, _PI_ALTERNATIVE, _PI_CRIME, _PI_PROTECT]
    missing = []
    if test.proportionate is None:
        missing.append(_PI_PROPORTIONATE)
    if test.alternative_means is None:
        missing.append(_PI_ALTERNATIVE)
    if test.necessary_to_prevent_or_detect_crime is not True and (
        test.necessary_to_protect_others is not True
    ):
        if test.necessary_to_prevent_or_detect_crime is None:
            missing.append(_PI_CRIME)
        if test.necessary_to_protect_others is None:
            missing.append(_PI_PROTECT)
    return missing


def _public_interest_steps(other_basis: OtherBasis | None, steps: list[Step]) -> None:
    pi = other_basis.public_interest if other_basis is not None else None
    if pi is None or not pi.criteria:
        steps.append(CRITERIA_NONE)
        return
    words = "yes: " + ", ".join(CRITERION_WORDS[c.value] for c in pi.criteria)
    steps.append(Step(_CRITERIA_TEXT, words, "Public Interest"))
    test = pi.test
    if test is None:
        steps.extend((PROPORTIONATE[None], ALTERNATIVE[None], CRIME[None], PROTECT[None]))
        return
    steps.append(PROPORTIONATE[test.proportionate])
    steps.append(ALTERNATIVE[test.alternative_means])
    steps.append(CRIME[test.necessary_to_prevent_or_detect_crime])
    steps.append(PROTECT[test.necessary_to_protect_others])


def _without_consent_grounds(question: Question) -> list[Basis]:
    """Rule 5's grounds that hold, in the contract's order."""
    grounds = []
    risk = question.risk
    if risk is not None:
        if risk.significant_harm is True:
            grounds.append(Basis.SIGNIFICANT_HARM)
        if risk.urgent is True:
            grounds.append(Basis.URGENT)
    other = question.other_basis
    if other is not None:
        if other.vital_interests is True:
            grounds.append(Basis.VITAL_INTERESTS)
        if other.public_function is True:
            grounds.append(Basis.PUBLIC_FUNCTION)
        if public_interest_test(other) is True:
            grounds.append(Basis.PUBLIC_INTEREST)
    return grounds


def _all_grounds(question: Question) -> tuple[Basis, ...]:
    """Every ground that applies, once the purpose is legitimate (see module docstring)."""
    grounds = []
    if question.identifies_individual is False:
        grounds.append(Basis.NOT_IDENTIFYING)
    if question.confidential is False:
        grounds.append(Basis.NOT_CONFIDENTIAL)
    if consent_is_valid(question):
        grounds.append(Basis.CONSENT)
    grounds.extend(_without_consent_grounds(question))
    return tuple(grounds)


def _stop(
    outcome: Outcome,
    steps: list[Step],
    reasons: list[str],
    missing: tuple[str, ...] = (),
) -> Decision:
    requires = REQUIRES_DO_NOT_SHARE if outcome is Outcome.DO_NOT_SHARE else REQUIRES_SEEK_ADVICE
    return Decision(
        outcome, None, (), False, requires, missing, tuple(steps), tuple(reasons), GUIDANCE_VERSION
    )


def decide(question: Question | Mapping[str, Any]) -> Decision:
    """Decide a sharing question by the guidance (contract version 1, rules 1-6 in order).

    A mapping is validated first (``QuestionError`` on bad input); a ``Question`` is used
    as it is, without validating it again.
    """
    if not isinstance(question, Question):
        question = validate(question)
    steps: list[Step] = []
    reasons: list[str] = []

    # Rule 1. When? Q1: "Is there a clear and legitimate purpose for sharing information?
    # No - do not share information."
    purpose = question.purpose
    legitimate = purpose.legitimate if purpose is not None else None
    steps.append(Q1[legitimate])
    if legitimate is not True:
        if legitimate is False:
            reasons.append(R_PURPOSE_NO)
            return _stop(Outcome.DO_NOT_SHARE, steps, reasons)
        reasons.append(R_PURPOSE_UNKNOWN)
        return _stop(Outcome.SEEK_ADVICE, steps, reasons, ("purpose.legitimate",))
    reasons.append(R_PURPOSE_YES)

    # Rule 2. When? Q2: "Does the information enable an individual to be identified?
    # No - you can share but should consider how."
    identifies = question.identifies_individual
    steps.append(Q2[identifies])
    if identifies is not True:
        if identifies is False:
            reasons.append(R_NOT_IDENTIFYING)
            return _share(question, Basis.NOT_IDENTIFYING, steps, reasons, False, REQUIRES_SHARE)
        reasons.append(R_IDENTIFYING_UNKNOWN)
        return _stop(Outcome.SEEK_ADVICE, steps, reasons, ("identifies_individual",))

    # Rule 3. When? Q3: "Is the information confidential? No - you can share but should
    # consider how."
    confidential = question.confidential
    steps.append(Q3[confidential])
    if confidential is not True:
        if confidential is False:
            reasons.append(R_NOT_CONFIDENTIAL)
            return _share(question, Basis.NOT_CONFIDENTIAL, steps, reasons, False, REQUIRES_SHARE)
        reasons.append(R_CONFIDENTIAL_UNKNOWN)
        return _stop(Outcome.SEEK_ADVICE, steps, reasons, ("confidential",))
    reasons.append(R_IDENTIFYING_CONFIDENTIAL)

    # Rule 4. When? Q4 "Do you have consent?"; Consent; Partial Consent ("does this include
    # the agency you want to share it with?"); Consent to Share Information ("Where
    # sensitive personal information is being shared explicit consent is expected").
    consent = question.consent
    status = consent.status if consent is not None else None
    steps.append(Q4[status])
    if consent is not None and status is _GIVEN:
        agencies = consent.agencies
        if agencies is not None:
            recipient = question.recipient_agency
            covered = recipient is not None and recipient in agencies
            steps.append(PARTIAL[covered])
            if not covered:
                reasons.append(R_CONSENT_NOT_COVERED)
        else:
            covered = True
        if covered:
            if question.sensitive:
                explicit = consent.explicit is True
                steps.append(EXPLICIT[explicit])
                if explicit:
                    reasons.append(R_CONSENT_EXPLICIT)
                    reasons.append(R_CONSENT)
                    return _share(
                        question, Basis.CONSENT, steps, reasons, False, REQUIRES_CONSENT_SENSITIVE
                    )
                reasons.append(R_CONSENT_NOT_EXPLICIT)
            else:
                reasons.append(R_CONSENT)
                return _share(question, Basis.CONSENT, steps, reasons, False, REQUIRES_CONSENT)
        not_obtained: tuple[Requirement, ...] = _EMPTY
    else:
        reasons.append(_CONSENT_REASON[status])
        not_obtained = _NOT_OBTAINED if status in _NOT_OBTAINED_STATUSES else _EMPTY

    # Rule 5. Sharing without consent; Sharing information when consent has been refused;
    # When? Q5 ("another reason to share information such as to fulfil a public function or
    # to protect the vital interests of the individual"); Public Interest. The first ground
    # that applies is the basis.
    override = status in _OVERRIDDEN
    requires_share = REQUIRES_OVERRIDE if override else REQUIRES_WITHOUT_CONSENT
    risk = question.risk
    harm = risk.significant_harm if risk is not None else None
    steps.append(HARM[harm])
    if harm is True:
        reasons.append(R_HARM)
        return _share(
            question, Basis.SIGNIFICANT_HARM, steps, reasons, True, requires_share + not_obtained
        )
    urgent = risk.urgent if risk is not None else None
    steps.append(URGENT[urgent])
    if urgent is True:
        reasons.append(R_URGENT)
        return _share(question, Basis.URGENT, steps, reasons, True, requires_share + not_obtained)
    other = question.other_basis
    vital = other.vital_interests if other is not None else None
    steps.append(VITAL[vital])
    if vital is True:
        reasons.append(R_VITAL)
        return _share(
            question, Basis.VITAL_INTERESTS, steps, reasons, True, requires_share + not_obtained
        )
    function = other.public_function if other is not None else None
    steps.append(FUNCTION[function])
    if function is True:
        reasons.append(R_FUNCTION)
        return _share(
            question, Basis.PUBLIC_FUNCTION, steps, reasons, True, requires_share + not_obtained
        )
    _public_interest_steps(other, steps)
    public_interest = public_interest_test(other)
    if public_interest is True:
        reasons.append(R_PUBLIC_INTEREST)
        return _share(
            question, Basis.PUBLIC_INTEREST, steps, reasons, True, requires_share + not_obtained
        )

    # Rule 6. No ground applies: do not share when every deciding answer is known; seek
    # advice when significant harm is unknown, or public interest criteria are given but
    # an answer that would decide the test is unknown (7 Golden Rules: Seek Advice).
    pi = other.public_interest if other is not None else None
    if public_interest is False and pi is not None and pi.criteria:
        reasons.append(R_PUBLIC_INTEREST_FAILS)
    if harm is None or public_interest is None:
        missing: list[str] = []
        if harm is None:
            reasons.append(R_HARM_UNKNOWN)
            missing.append("risk.significant_harm")
        if public_interest is None:
            reasons.append(R_PUBLIC_INTEREST_UNKNOWN)
            missing.extend(_public_interest_missing(other))
        reasons.append(R_SEEK_ADVICE)
        return Decision(
            Outcome.SEEK_ADVICE,
            None,
            (),
            False,
            REQUIRES_SEEK_ADVICE + not_obtained,
            tuple(missing),
            tuple(steps),
            tuple(reasons),
            GUIDANCE_VERSION,
        )
    reasons.append(R_NO_GROUND)
    return Decision(
        Outcome.DO_NOT_SHARE,
        None,
        (),
        False,
        REQUIRES_DO_NOT_SHARE + not_obtained,
        (),
        tuple(steps),
        tuple(reasons),
        GUIDANCE_VERSION,
    )


def _share(
    question: Question,
    basis: Basis,
    steps: list[Step],
    reasons: list[str],
    without_consent: bool,
    requires: tuple[Requirement, ...],
) -> Decision:
    return Decision(
        Outcome.SHARE,
        basis,
        _all_grounds(question),
        without_consent,
        requires,
        (),
        tuple(steps),
        tuple(reasons),
        GUIDANCE_VERSION,
    )
