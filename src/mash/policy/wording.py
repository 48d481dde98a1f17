"""The words for the version 2 answers: each question as the pages ask it and each answer
as people read it, declared once beside the contract's values so the pages, the record
and the API say the same thing (no page keeps its own table of labels).

The questions are the guidance's own where it has them (Necessary and proportionate;
Secure; Consent: "Does this say it would be shared?"; Who?), with the law the contract
cites where it does not (Gillick competence; Mental Capacity Act 2005).
"""

from __future__ import annotations

from mash.policy.question import CapacityAssessment, GivenBy, HowShared

HOW_SHARED: dict[HowShared, str] = {
    HowShared.HUB: "Through the hub (this system)",
    HowShared.STRATEGY_DISCUSSION: "Verbally, in a strategy discussion",
    HowShared.SECURE_EMAIL: "By secure e-mail",
    HowShared.TELEPHONE: "By telephone",
    HowShared.MEETING: "In person, at a meeting",
    HowShared.SECURE_POST: "By secure post",
}

GIVEN_BY: dict[GivenBy, str] = {
    GivenBy.CHILD: "The child or young person themself",
    GivenBy.PERSON: "The person themself (an adult)",
    GivenBy.PARENT: "A parent with parental responsibility",
    GivenBy.PARENTAL_RESPONSIBILITY: "Someone else with parental responsibility",
    GivenBy.OTHER: "Someone else (who cannot consent for them)",
}
"""Who gave or refused a consent (Who?: "Do we have their consent?")."""

GIVEN_BY_SELF = "The person themself (the child or young person, or the adult)"
"""The page's answer for "the person the information is about": ``child`` for a child,
``person`` for an adult."""

GIVEN_BY_SHORT: dict[GivenBy, str] = {
    GivenBy.CHILD: "the child's",
    GivenBy.PERSON: "the person's own",
    GivenBy.PARENT: "the parent's",
    GivenBy.PARENTAL_RESPONSIBILITY: "the answer of the person with parental responsibility",
    GivenBy.OTHER: "someone else's",
}
"""Whose answer, in a sentence: "the child's answer governs"."""

CAPACITY_NOT_IN_DOUBT = "not_in_doubt"
CAPACITY_NOT_ASSESSED = "not_assessed"
CAPACITY: dict[str, str] = {
    CAPACITY_NOT_IN_DOUBT: "No, their capacity is not in doubt",
    CAPACITY_NOT_ASSESSED: "Yes, and it has not been assessed yet",
    CapacityAssessment.HAS_CAPACITY.value: "Yes: assessed, and they have capacity",
    CapacityAssessment.LACKS_CAPACITY.value: "Yes: assessed, and they lack capacity",
}
"""The capacity answer for a person of 16 or over (MCA 2005 s. 1(2), ss. 2-3)."""

# --- the questions, each with its hint in the guidance's words ------------------------

HOW_QUESTION = "How will the information be shared?"
HOW_HINT = (
    "Information should be shared in the most secure way available. Follow your "
    "organisation's policy on security for handling personal information (Secure)."
)
NECESSARY_QUESTION = "Why is sharing this information necessary?"
NECESSARY_HINT = (
    "Share the information which is necessary for your purpose. It may not be necessary to "
    "give all agencies access to all the information you hold (Necessary and proportionate)."
)
PROPORTIONATE_QUESTION = "Why is what you share proportionate?"
PROPORTIONATE_HINT = (
    "Consider how much information you need to release and the impact of disclosing it on "
    "the person and any third parties. Any information shared must be proportionate to the "
    "need and level of risk (Necessary and proportionate)."
)
CRIMINAL_QUESTION = "Is any of it criminal offence data?"
CRIMINAL_HINT = (
    "Information about criminal allegations, proceedings, convictions or offences (UK GDPR "
    "Article 10): it needs a Data Protection Act 2018 Schedule 1 condition."
)
CONSENT_PURPOSE_QUESTION = "What purpose was the consent given for?"
CONSENT_PURPOSE_HINT = (
    "Do you have consent to share this information for this purpose? Choose from the hub's "
    "purposes list; the guidance compares it with the purpose of this request (Consent)."
)
CONSENT_PURPOSE_ANY = "Not limited to a purpose"
PRIVACY_NOTICE_QUESTION = "Is the consent you rely on a privacy notice (implied consent)?"
PRIVACY_NOTICE_HINT = (
    "The Privacy Notice relating to the collection of information should identify the "
    "purposes for which the information was collected (Consent)."
)
PRIVACY_NOTICE_COVERS_QUESTION = (
    "Does the privacy notice say the information would be shared like this?"
)
PRIVACY_NOTICE_COVERS_HINT = "Otherwise consent should be obtained wherever possible (Consent)."
GIVEN_BY_QUESTION = "Who gave or refused this consent?"
GIVEN_BY_HINT = (
    "Who? Do we have their consent? A child under 16 judged competent, and anyone 16 or "
    "over, decides for themselves; otherwise a person with parental responsibility does."
)
COMPETENT_QUESTION = "Has {name} been judged competent to decide for themselves?"
COMPETENT_HINT = (
    "A child under 16 who understands what sharing means for them can decide for "
    "themselves (Gillick competence): then a parent's consent does not override their refusal."
)
CAPACITY_QUESTION = "Is {name}'s capacity to consent in doubt?"
CAPACITY_HINT = (
    "A person of 16 or over is presumed to have capacity (Mental Capacity Act 2005 s. 1(2)). "
    "Where it is in doubt, their consent cannot be relied on until it is assessed."
)
OTHER_CONSENT_QUESTION = "Has anyone else given or refused consent for {name}'s information?"
OTHER_CONSENT_HINT = (
    "For example the mother consents while the child refuses: record both, and the "
    "guidance says which answer governs."
)
OTHER_GIVEN_BY_QUESTION = "If so, who gave that other answer for {name}'s information?"
LAWFUL_BASIS_HINT = (
    "The guidance proposes the basis from your answers. Confirm it, or change it to another "
    "basis your agency may rely on."
)
ARTICLE_6_QUESTION = "UK GDPR Article 6: the lawful basis"
ARTICLE_9_QUESTION = "UK GDPR Article 9: the condition for special category information"
SCHEDULE_1_QUESTION = "Data Protection Act 2018 Schedule 1: the condition"

MISSING: dict[str, str] = {
    "subject.age": "the age of the person the information is about",
    "subject.competent": "whether the child is judged competent to decide (Gillick)",
    "subject.capacity_assessment": "the outcome of an assessment of their capacity",
}
"""The version 2 answers the engine may report as not known (``missing``), in words."""


# Before recording a share: the guidance's principles of information sharing, confirmed
# (Principles of information Sharing and Consent; 7 Golden Rules, rule 6).
ADEQUACY_CONFIRMATION = (
    "I confirm that what I share is necessary, proportionate, relevant, adequate, accurate, "
    "timely and secure"
)
ADEQUACY_HINT = (
    "The guidance: share only information relevant to the purpose, proportionate to the need "
    "and level of risk, adequate for its purpose (of the right quality to be understood and "
    "relied upon), accurate and up to date, in a timely fashion, and in the most secure way "
    "available."
)
ADEQUACY_MISSING = (
    "Confirm that what you share is necessary, proportionate, relevant, adequate, accurate, "
    "timely and secure"
)
THIRD_PARTY_QUESTION = "Does it contain information about a third party?"
THIRD_PARTY_HINT = (
    "Someone other than the people it is about, for example a neighbour, a new partner or a "
    "sibling's father. The guidance asks you to consider the impact of disclosing on the "
    "information subject and any third parties (Necessary and proportionate)."
)
THIRD_PARTY_CONSIDERATION = (
    "Why is it still right to share the third party's information, or what did you remove?"
)
