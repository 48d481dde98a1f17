"""The guidance as code: the sharing decision (contract version 2).

Pure Python with pydantic, no Django: the web form, the REST API and the ``mash decide``
command all call :func:`decide`. See ``contracts/sharing-decision.md`` and the Herefordshire
MASH Information Sharing Guidance (version 4, May 2023).

>>> decide({"purpose": {"legitimate": False}}).outcome.value
'do_not_share'
"""

from __future__ import annotations

from mash.policy.decision import (
    REQUIREMENT_TEXT,
    Balance,
    Basis,
    Decision,
    DecisionV2,
    Outcome,
    Requirement,
    SharingDecision,
    Step,
)
from mash.policy.lawful_basis import WORDS as LAWFUL_BASIS_WORDS
from mash.policy.lawful_basis import LawfulBasis
from mash.policy.question import (
    Article6,
    Article9,
    CapacityAssessment,
    Consent,
    ConsentStatus,
    Criterion,
    FieldError,
    GivenBy,
    HowShared,
    Impact,
    LawfulBasisChoice,
    Necessity,
    OtherBasis,
    PublicInterest,
    PublicInterestTest,
    Purpose,
    Question,
    QuestionError,
    Risk,
    Schedule1,
    Subject,
    Vulnerability,
    validate,
    validate_json,
)
from mash.policy.rules import (
    GUIDANCE_VERSION,
    consent_is_valid,
    decide,
    public_interest_balance,
    public_interest_test,
)
from mash.policy.versions import CURRENT, GuidanceVersion, current_version, is_past_review

__all__ = [
    "CURRENT",
    "GUIDANCE_VERSION",
    "LAWFUL_BASIS_WORDS",
    "REQUIREMENT_TEXT",
    "Article6",
    "Article9",
    "Balance",
    "Basis",
    "CapacityAssessment",
    "Consent",
    "ConsentStatus",
    "Criterion",
    "Decision",
    "DecisionV2",
    "FieldError",
    "GivenBy",
    "GuidanceVersion",
    "HowShared",
    "Impact",
    "LawfulBasis",
    "LawfulBasisChoice",
    "Necessity",
    "OtherBasis",
    "Outcome",
    "PublicInterest",
    "PublicInterestTest",
    "Purpose",
    "Question",
    "QuestionError",
    "Requirement",
    "Risk",
    "Schedule1",
    "SharingDecision",
    "Step",
    "Subject",
    "Vulnerability",
    "consent_is_valid",
    "current_version",
    "decide",
    "is_past_review",
    "public_interest_balance",
    "public_interest_test",
    "validate",
    "validate_json",
]
