"""The guidance as code: the sharing decision (contract version 1).

Pure Python with pydantic, no Django: the web form, the REST API and the ``mash decide``
command all call :func:`decide`. See ``contracts/sharing-decision.md`` and the Herefordshire
MASH Information Sharing Guidance (version 4, May 2023).

>>> decide({"purpose": {"legitimate": False}}).outcome.value
'do_not_share'
"""

from __future__ import annotations

from mash.policy.decision import (
    REQUIREMENT_TEXT,
    Basis,
    Decision,
    Outcome,
    Requirement,
    SharingDecision,
    Step,
)
from mash.policy.question import (
    Consent,
    ConsentStatus,
    Criterion,
    FieldError,
    OtherBasis,
    PublicInterest,
    PublicInterestTest,
    Purpose,
    Question,
    QuestionError,
    Risk,
    Vulnerability,
    validate,
    validate_json,
)
from mash.policy.rules import GUIDANCE_VERSION, consent_is_valid, decide, public_interest_test
from mash.policy.versions import CURRENT, GuidanceVersion

__all__ = [
    "CURRENT",
    "GUIDANCE_VERSION",
    "REQUIREMENT_TEXT",
    "Basis",
    "Consent",
    "ConsentStatus",
    "Criterion",
    "Decision",
    "FieldError",
    "GuidanceVersion",
    "OtherBasis",
    "Outcome",
    "PublicInterest",
    "PublicInterestTest",
    "Purpose",
    "Question",
    "QuestionError",
    "Requirement",
    "Risk",
    "SharingDecision",
    "Step",
    "Vulnerability",
    "consent_is_valid",
    "decide",
    "public_interest_test",
    "validate",
    "validate_json",
]
