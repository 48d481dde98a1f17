"""The guidance's sharing decision as code (contract version 2, rules 1 to 6).

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

Version 2 (each addition answers only to version 2 keys, so a version 1 question is
decided exactly as before; tests/policy/data/v1_scenarios.jsonl holds 400 of them):

- Rule 4 also asks who gave the consent and whether they can consent
  (:mod:`mash.policy.who_consents`: Gillick competence, Mental Capacity Act 2005), whether
  the consent covers this purpose (``purpose.code`` in ``consent.purposes``, Consent: "for
  this purpose") and, for a privacy notice relied on as implied consent, whether it says
  the information would be shared (Consent). A consent failing any of these is treated as
  not given, like one that does not include the recipient (Partial Consent).
- The public interest balance (Public Interest: "a fair balance ... between the public
  interest and the rights of the individual") weighs the vulnerability of those at risk
  against the severity of the impact on the individual (:func:`public_interest_balance`):
  against disclosure, the public interest ground does not hold; finely balanced, seek
  advice. Vulnerability alone is given in the reasons but does not change the outcome.
- A legal obligation to share (``other_basis.legal_obligation``) is a ground, tested last.
- The decision proposes the lawful basis (:mod:`mash.policy.lawful_basis`), checks the
  practitioner's choice, and lists what the record of a share still needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mash.policy import lawful_basis
from mash.policy.decision import Balance, Basis, Decision, DecisionV2, Outcome, Requirement, Step
from mash.policy.question import (
    ConsentStatus,
    Impact,
    OtherBasis,
    PublicInterestTest,
    Question,
    Vulnerability,
    validate,
)
from mash.policy.versions import CURRENT, current_version
from mash.policy.who_consents import ConsentReading, read_consent

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

SCOPE = _answers("Does the consent cover the purpose of this request?", "Consent")
NOTICE = _answers(
    "Does the privacy notice say the information would be shared like this?", "Consent"
)
_LEGAL_TEXT = "Is the agency under a legal obligation to share the information?"
LEGAL = {
    True: Step(_LEGAL_TEXT, _YES, "Consent to Share Information"),
    False: Step(_LEGAL_TEXT, _NO, "Consent to Share Information"),
    None: Step(_LEGAL_TEXT, _NOT_ANSWERED, "Consent to Share Information"),
}
_BALANCE_TEXT = (
    "Weighing the vulnerability of those at risk against the impact of disclosure on the "
    "individual, how does the balance fall?"
)
BALANCE_WORDS = {
    Balance.FAVOURS_DISCLOSURE: "in favour of disclosure",
    Balance.FINELY_BALANCED: "finely balanced",
    Balance.AGAINST_DISCLOSURE: "against disclosure",
    Balance.NOT_WEIGHED: "not weighed (vulnerability or impact not known)",
}

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
R_SCOPE_NOT_COVERED = (
    "The consent does not cover the purpose of this request (its purposes do not include "
    "it, or the request's purpose is not given), so there is no consent for this share "
    "(Consent: 'Do you have consent to share this information for this purpose?')."
)
R_NOTICE_NOT_COVERED = (
    "The consent relied on is the privacy notice, and it does not say the information would "
    "be shared like this (or that is not known), so it is not consent for this share: "
    "obtain consent wherever possible before sharing (Consent)."
)
R_NOTICE_COVERS = (
    "The privacy notice says the information would be shared like this, so it is relied on "
    "as implied consent (Consent)."
)
R_WHO_CANNOT_RELY = (
    "The consent recorded cannot be relied on for this share, because of who gave it or "
    "their competence or capacity, so there is no valid consent (Who?)."
)
R_WHO_UNKNOWN = (
    "Whether the consent recorded can be relied on depends on answers not yet known (the "
    "person's age, a child's competence, or an assessment of capacity): find them out "
    "before deciding (Who?; Mental Capacity Act 2005)."
)
R_LEGAL = (
    "The agency is under a legal obligation to share the information, a lawful basis other "
    "than consent, so it can be shared without consent (Consent to Share Information)."
)
R_BALANCE = {
    Balance.FAVOURS_DISCLOSURE: (
        "Weighing the vulnerability of those at risk ({vulnerability}) against the likely "
        "impact of disclosure on the individual ({impact}), the balance favours disclosure "
        "(Public Interest)."
    ),
    Balance.FINELY_BALANCED: (
        "Weighing the vulnerability of those at risk ({vulnerability}) against the likely "
        "impact of disclosure on the individual ({impact}), the balance is fine: seek "
        "advice before relying on the public interest (Public Interest; Seek Advice)."
    ),
    Balance.AGAINST_DISCLOSURE: (
        "Weighing the vulnerability of those at risk ({vulnerability}) against the likely "
        "impact of disclosure on the individual ({impact}), a fair balance between the "
        "public interest and the rights of the individual is not achieved, so the public "
        "interest does not justify disclosure (Public Interest)."
    ),
}
R_VULNERABILITY_ONLY = (
    "The vulnerability of those at risk is {vulnerability}; how severe the impact of "
    "disclosure on the individual would be is not given, so the balance is not weighed and "
    "the test answers decide (Public Interest)."
)
R_IMPACT_ONLY = (
    "The likely impact of disclosure on the individual is {impact}; the vulnerability of "
    "those at risk is not given, so the balance is not weighed and the test answers decide "
    "(Public Interest)."
)
R_FINELY_BALANCED_ADVICE = (
    "The public interest test answers hold but the balance is fine, so seek advice from a "
    "manager, your safeguarding lead or the MASH helpline before deciding (Seek Advice; "
    "Public Interest)."
)
R_LAWFUL_BASIS = "The lawful basis proposed for this share: {words} (UK GDPR; DPA 2018)."
R_NOT_PERSONAL_DATA = (
    "The information does not identify anyone, so it is not personal data and no lawful "
    "basis under UK GDPR is needed (UK GDPR Recital 26)."
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


def consent_is_valid(question: Question, reading: ConsentReading | None = None) -> bool:
    """Rule 4 (When? Q4; Consent; Partial Consent; Consent to Share Information).

    Consent is valid for this recipient when ``consent.status`` is ``given``, the
    recipient is covered (``consent.agencies`` null, or it lists ``recipient_agency``)
    and, where ``sensitive`` is true, ``consent.explicit`` is true.

    Version 2: the consent that governs (:func:`read_consent`) must be one that can be
    relied on, cover this purpose (``consent.purposes``) and, for a privacy notice, say the
    information would be shared. ``reading`` is :func:`read_consent`'s answer where the
    caller has it already (the same for the same question).
    """
    if reading is None:
        reading = read_consent(question)
    consent = reading.consent
    if consent is None or consent.status is not _GIVEN or not reading.can_rely:
        return False
    if not _purpose_covered(question, consent) or _notice_covers(consent) is False:
        return False
    agencies = consent.agencies
    if agencies is not None and (
        question.recipient_agency is None or question.recipient_agency not in agencies
    ):
        return False
    return not question.sensitive or consent.explicit is True


def _purpose_covered(question: Question, consent: Any) -> bool:
    """Consent: "for this purpose". A consent limited to purposes covers a request whose
    purpose code it lists; a request with no purpose code cannot be shown to be covered."""
    purposes = consent.purposes
    if purposes is None:
        return True
    code = question.purpose.code if question.purpose is not None else None
    return code is not None and code in purposes


def _notice_covers(consent: Any) -> bool | None:
    """Consent: "The Privacy Notice ... should identify the purposes for which the
    information was collected. Does this say it would be shared?" None when no privacy
    notice is relied on; an unknown answer counts as not covering (obtain consent)."""
    if consent.privacy_notice is not True:
        return None
    return consent.privacy_notice_covers is True


def public_interest_balance(test: PublicInterestTest | None) -> Balance:
    """Public Interest: "What is the vulnerability of those who are at risk? What is the
    impact of disclosure likely to be on the individual ...? The rule of proportionality
    should be applied to ensure that a fair balance is achieved between the public
    interest and the rights of the individual's information."

    ==============  ==============  ==============  ==============
    vulnerability   impact low      impact medium   impact high
    ==============  ==============  ==============  ==============
    high            favours         favours         favours
    medium          favours         favours         finely balanced
    low             favours         finely balanced against
    ==============  ==============  ==============  ==============

    Either unknown: ``not_weighed`` (the test answers alone decide, as in version 1).
    """
    if test is None or test.vulnerability is None or test.impact_severity is None:
        return Balance.NOT_WEIGHED
    vulnerability, impact = test.vulnerability, test.impact_severity
    if vulnerability is Vulnerability.HIGH or impact is Impact.LOW:
        return Balance.FAVOURS_DISCLOSURE
    if vulnerability is Vulnerability.MEDIUM:
        return Balance.FINELY_BALANCED if impact is Impact.HIGH else Balance.FAVOURS_DISCLOSURE
    return Balance.AGAINST_DISCLOSURE if impact is Impact.HIGH else Balance.FINELY_BALANCED


def public_interest_test(other_basis: OtherBasis | None) -> bool | None:
    """Rule 5, public interest (Public Interest): True when at least one criterion is
    given and the test holds (proportionate, no equally effective alternative means, and
    necessary to prevent or detect crime or to protect others); False when no criterion is
    given or a known answer fails the test; None when criteria are given and the answers
    known so far could still make the test hold (an answer that would decide it is unknown).

    Version 2: when the test holds, the balance (:func:`public_interest_balance`) must not
    fall against disclosure (then False) or be finely balanced (then None: seek advice).
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
        balance = public_interest_balance(test)
        if balance is Balance.AGAINST_DISCLOSURE:
            return False
        if balance is Balance.FINELY_BALANCED:
            return None
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


def _public_interest_steps(
    other_basis: OtherBasis | None, steps: list[Step], reasons: list[str]
) -> None:
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
    vulnerability, impact = test.vulnerability, test.impact_severity
    if vulnerability is None and impact is None:
        return
    balance = public_interest_balance(test)
    if impact is not None:  # version 2: the balance is a step of its own
        steps.append(Step(_BALANCE_TEXT, BALANCE_WORDS[balance], "Public Interest"))
    if balance is Balance.NOT_WEIGHED:
        if vulnerability is not None:
            reasons.append(R_VULNERABILITY_ONLY.format(vulnerability=vulnerability.value))
        elif impact is not None:
            reasons.append(R_IMPACT_ONLY.format(impact=impact.value))
        return
    if vulnerability is None or impact is None:  # a weighed balance has both answers
        raise ValueError("the public interest balance was weighed without both answers")
    reasons.append(
        R_BALANCE[balance].format(vulnerability=vulnerability.value, impact=impact.value)
    )


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
        if other.legal_obligation is True:
            grounds.append(Basis.LEGAL_OBLIGATION)
    return grounds


def _all_grounds(question: Question, reading: ConsentReading | None) -> tuple[Basis, ...]:
    """Every ground that applies, once the purpose is legitimate (see module docstring)."""
    grounds = []
    if question.identifies_individual is False:
        grounds.append(Basis.NOT_IDENTIFYING)
    if question.confidential is False:
        grounds.append(Basis.NOT_CONFIDENTIAL)
    if consent_is_valid(question, reading):
        grounds.append(Basis.CONSENT)
    grounds.extend(_without_consent_grounds(question))
    return tuple(grounds)


def _stop(
    question: Question,
    outcome: Outcome,
    steps: list[Step],
    reasons: list[str],
    missing: tuple[str, ...] = (),
) -> Decision:
    requires = REQUIRES_DO_NOT_SHARE if outcome is Outcome.DO_NOT_SHARE else REQUIRES_SEEK_ADVICE
    return Decision(
        outcome,
        None,
        (),
        False,
        requires,
        missing,
        tuple(steps),
        tuple(reasons),
        GUIDANCE_VERSION,
        _extension(question, None, None, reasons),
    )


def decide(question: Question | Mapping[str, Any]) -> Decision:
    """Decide a sharing question by the guidance (contract version 2, rules 1-6 in order).

    A mapping is validated first (``QuestionError`` on bad input); a ``Question`` is used
    as it is, without validating it again. ``guidance_version`` names the version the hub
    works under (:func:`mash.policy.versions.current_version`: a version the hub loaded,
    else the built-in one), so a decision keeps the version it was made under.
    """
    decision = _decide(question)
    version_id = current_version().id
    if version_id == decision.guidance_version:
        return decision
    return Decision(
        decision.outcome,
        decision.basis,
        decision.grounds,
        decision.without_consent,
        decision.requires,
        decision.missing,
        decision.steps,
        decision.reasons,
        version_id,
        decision.extension,
    )


def _decide(question: Question | Mapping[str, Any]) -> Decision:
    """Decide a sharing question by the guidance (contract version 2, rules 1-6 in order).

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
            return _stop(question, Outcome.DO_NOT_SHARE, steps, reasons)
        reasons.append(R_PURPOSE_UNKNOWN)
        return _stop(question, Outcome.SEEK_ADVICE, steps, reasons, ("purpose.legitimate",))
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
        return _stop(question, Outcome.SEEK_ADVICE, steps, reasons, ("identifies_individual",))

    # Rule 3. When? Q3: "Is the information confidential? No - you can share but should
    # consider how."
    confidential = question.confidential
    steps.append(Q3[confidential])
    if confidential is not True:
        if confidential is False:
            reasons.append(R_NOT_CONFIDENTIAL)
            return _share(question, Basis.NOT_CONFIDENTIAL, steps, reasons, False, REQUIRES_SHARE)
        reasons.append(R_CONFIDENTIAL_UNKNOWN)
        return _stop(question, Outcome.SEEK_ADVICE, steps, reasons, ("confidential",))
    reasons.append(R_IDENTIFYING_CONFIDENTIAL)

    # Rule 4. When? Q4 "Do you have consent?"; Consent; Partial Consent ("does this include
    # the agency you want to share it with?"); Consent to Share Information ("Where
    # sensitive personal information is being shared explicit consent is expected").
    reading = read_consent(question)
    consent = reading.consent
    status = consent.status if consent is not None else None
    steps.append(Q4[status])
    steps.extend(reading.steps)
    reasons.extend(reading.reasons)
    if consent is not None and status is _GIVEN:
        # Version 2: who gave it (Who?), this purpose and the privacy notice (Consent).
        covered = reading.can_rely
        if not covered:
            reasons.append(R_WHO_CANNOT_RELY)
        if covered and consent.purposes is not None:
            covered = _purpose_covered(question, consent)
            steps.append(SCOPE[covered])
            if not covered:
                reasons.append(R_SCOPE_NOT_COVERED)
        notice = _notice_covers(consent) if covered else None
        if notice is not None:
            steps.append(NOTICE[notice])
            covered = notice
            reasons.append(R_NOTICE_COVERS if notice else R_NOTICE_NOT_COVERED)
        agencies = consent.agencies
        if covered and agencies is not None:
            recipient = question.recipient_agency
            covered = recipient is not None and recipient in agencies
            steps.append(PARTIAL[covered])
            if not covered:
                reasons.append(R_CONSENT_NOT_COVERED)
        if covered:
            if question.sensitive:
                explicit = consent.explicit is True
                steps.append(EXPLICIT[explicit])
                if explicit:
                    reasons.append(R_CONSENT_EXPLICIT)
                    reasons.append(R_CONSENT)
                    return _share(
                        question,
                        Basis.CONSENT,
                        steps,
                        reasons,
                        False,
                        REQUIRES_CONSENT_SENSITIVE + reading.requires,
                        reading,
                    )
                reasons.append(R_CONSENT_NOT_EXPLICIT)
            else:
                reasons.append(R_CONSENT)
                return _share(
                    question,
                    Basis.CONSENT,
                    steps,
                    reasons,
                    False,
                    REQUIRES_CONSENT + reading.requires,
                    reading,
                )
        not_obtained: tuple[Requirement, ...] = reading.requires
    else:
        reasons.append(_CONSENT_REASON[status])
        not_obtained = _NOT_OBTAINED if status in _NOT_OBTAINED_STATUSES else _EMPTY
        not_obtained += reading.requires

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
            question,
            Basis.SIGNIFICANT_HARM,
            steps,
            reasons,
            True,
            requires_share + not_obtained,
            reading,
        )
    urgent = risk.urgent if risk is not None else None
    steps.append(URGENT[urgent])
    if urgent is True:
        reasons.append(R_URGENT)
        return _share(
            question, Basis.URGENT, steps, reasons, True, requires_share + not_obtained, reading
        )
    other = question.other_basis
    vital = other.vital_interests if other is not None else None
    steps.append(VITAL[vital])
    if vital is True:
        reasons.append(R_VITAL)
        return _share(
            question,
            Basis.VITAL_INTERESTS,
            steps,
            reasons,
            True,
            requires_share + not_obtained,
            reading,
        )
    function = other.public_function if other is not None else None
    steps.append(FUNCTION[function])
    if function is True:
        reasons.append(R_FUNCTION)
        return _share(
            question,
            Basis.PUBLIC_FUNCTION,
            steps,
            reasons,
            True,
            requires_share + not_obtained,
            reading,
        )
    _public_interest_steps(other, steps, reasons)
    public_interest = public_interest_test(other)
    if public_interest is True:
        reasons.append(R_PUBLIC_INTEREST)
        return _share(
            question,
            Basis.PUBLIC_INTEREST,
            steps,
            reasons,
            True,
            requires_share + not_obtained,
            reading,
        )

    # Version 2. Consent to Share Information: "the disclosing Partner must consider other
    # lawful basis for processing the information": a legal obligation to share.
    legal = other.legal_obligation if other is not None else None
    if other is not None and "legal_obligation" in other.model_fields_set:
        steps.append(LEGAL[legal])
    if legal is True:
        reasons.append(R_LEGAL)
        return _share(
            question,
            Basis.LEGAL_OBLIGATION,
            steps,
            reasons,
            True,
            requires_share + not_obtained,
            reading,
        )

    # Rule 6. No ground applies: do not share when every deciding answer is known; seek
    # advice when significant harm is unknown, or public interest criteria are given but
    # an answer that would decide the test is unknown (7 Golden Rules: Seek Advice).
    pi = other.public_interest if other is not None else None
    if public_interest is False and pi is not None and pi.criteria:
        reasons.append(R_PUBLIC_INTEREST_FAILS)
    if harm is None or public_interest is None or reading.missing:
        missing: list[str] = []
        if reading.missing:  # version 2: who can consent is not yet known (Who?)
            reasons.append(R_WHO_UNKNOWN)
            missing.extend(reading.missing)
        if harm is None:
            reasons.append(R_HARM_UNKNOWN)
            missing.append("risk.significant_harm")
        if public_interest is None:
            test = pi.test if pi is not None else None
            if public_interest_balance(test) is Balance.FINELY_BALANCED and not (
                _public_interest_missing(other)
            ):
                reasons.append(R_FINELY_BALANCED_ADVICE)
            else:
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
            _extension(question, None, reading, reasons),
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
        _extension(question, None, reading, reasons),
    )


def _share(
    question: Question,
    basis: Basis,
    steps: list[Step],
    reasons: list[str],
    without_consent: bool,
    requires: tuple[Requirement, ...],
    reading: ConsentReading | None = None,
) -> Decision:
    extension = _extension(question, basis, reading, reasons)
    return Decision(
        Outcome.SHARE,
        basis,
        _all_grounds(question, reading),
        without_consent,
        requires,
        (),
        tuple(steps),
        tuple(reasons),
        GUIDANCE_VERSION,
        extension,
    )


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _extension(
    question: Question,
    basis: Basis | None,
    reading: ConsentReading | None,
    reasons: list[str],
) -> DecisionV2 | None:
    """The version 2 keys of the decision, for a question that uses version 2 (else None).

    ``basis`` is the share's basis (None when not sharing); ``reading`` the consent read at
    rule 4 (None when the decision stopped before it). Adds the lawful basis to ``reasons``.
    """
    if not question.uses_version_2():
        return None
    consent_used = None
    if reading is not None:
        consent = reading.consent
        consent_used = {
            "given_by": consent.given_by.value if consent and consent.given_by else None,
            "status": consent.status.value if consent and consent.status else None,
            "relied_on": consent_is_valid(question, reading),
        }
    other = question.other_basis
    pi = other.public_interest if other is not None else None
    balance = public_interest_balance(pi.test) if pi is not None and pi.criteria else None
    how = question.how.value if question.how is not None else None
    if basis is None:
        return DecisionV2(
            lawful_basis=None,
            consent_used=consent_used,
            balance=balance,
            how=how,
            record_needs=(),
        )
    proposed = lawful_basis.propose(question, basis)
    chosen = lawful_basis.chosen(question)
    recorded = chosen or proposed
    words = recorded.words()
    if basis is Basis.NOT_IDENTIFYING:
        reasons.append(R_NOT_PERSONAL_DATA)
    else:
        reasons.append(R_LAWFUL_BASIS.format(words="; ".join(proposed.words())))
    needs = []
    if question.how is None:
        needs.append("how")
    necessity = question.necessity
    if necessity is None or _blank(necessity.necessary):
        needs.append("necessity.necessary")
    if necessity is None or _blank(necessity.proportionate):
        needs.append("necessity.proportionate")
    for key in ("article_6", "article_9", "schedule_1"):
        if getattr(proposed, key) is not None and (chosen is None or getattr(chosen, key) is None):
            needs.append(f"lawful_basis.{key}")
    return DecisionV2(
        lawful_basis={
            "proposed": proposed.to_dict(),
            "chosen": chosen.to_dict() if chosen is not None else None,
            "confirmed": chosen is not None and chosen == proposed,
            "words": words,
            "warnings": lawful_basis.warnings(
                question, basis, basis is Basis.CONSENT or consent_is_valid(question, reading)
            ),
        },
        consent_used=consent_used,
        balance=balance,
        how=how,
        record_needs=tuple(needs),
    )
