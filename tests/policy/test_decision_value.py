"""The decision as a value: immutable, the contract's JSON, versioned rules."""

from __future__ import annotations

import json

import pytest

from mash.policy import CURRENT, REQUIREMENT_TEXT, SharingDecision, decide
from mash.policy.versions import VERSIONS

from .helpers import EXAMPLE


def test_a_decision_cannot_be_changed() -> None:
    decision = decide(EXAMPLE)
    with pytest.raises(AttributeError):
        decision.outcome = "do_not_share"  # type: ignore[misc,assignment]
    assert isinstance(decision.requires, tuple)


def test_its_json_is_the_dict_and_validates_against_the_schema() -> None:
    decision = decide(EXAMPLE)
    compact = decision.to_json()
    assert "\n" not in compact
    assert json.loads(compact) == decision.to_dict() == json.loads(decision.to_json(indent=2))
    SharingDecision.model_validate_json(compact)


def test_the_same_question_gets_an_equal_decision() -> None:
    assert decide(EXAMPLE) == decide(dict(EXAMPLE))
    assert decide(EXAMPLE) != decide({"purpose": {"legitimate": False}})


def test_requirements_read_as_sentences_in_order() -> None:
    decision = decide(EXAMPLE)
    assert decision.requirement_sentences() == [REQUIREMENT_TEXT[r] for r in decision.requires]


def test_the_rules_name_the_guidance_version_they_implement() -> None:
    """Version Log: version 4, May 2023 ("Reviewed and Published"); review date February
    2024 (Approval Log)."""
    assert CURRENT.version == 4
    assert CURRENT.issued == "May 2023"
    assert CURRENT.review_date == "February 2024"
    assert VERSIONS[decide(EXAMPLE).guidance_version] is CURRENT
