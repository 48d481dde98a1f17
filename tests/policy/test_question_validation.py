"""Strict reading of the question: nothing is guessed (contract: Entry points, bad input)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pytest

from mash.policy import Question, QuestionError, decide, validate, validate_json

from .helpers import EXAMPLE


@pytest.mark.parametrize(
    ("question", "path"),
    [
        ({"identifies_individual": "yes"}, "identifies_individual"),
        ({"confidential": "1"}, "confidential"),
        ({"sensitive": 1}, "sensitive"),
        ({"purpose": {"legitimate": "true"}}, "purpose.legitimate"),
        ({"risk": {"significant_harm": 0}}, "risk.significant_harm"),
        ({"consent": {"status": "maybe"}}, "consent.status"),
        ({"consent": {"agencies": "police"}}, "consent.agencies"),
        ({"consent": {"agencies": ["police", 7]}}, "consent.agencies.1"),
        ({"consent": {"recorded_at": 1700000000}}, "consent.recorded_at"),
        ({"consent": {"recorded_at": "yesterday"}}, "consent.recorded_at"),
        ({"recipient_agency": 3}, "recipient_agency"),
        ({"colour": "blue"}, "colour"),
        ({"consent": {"status": "given", "scope": "all"}}, "consent.scope"),
        ({"purpose": True}, "purpose"),
        (
            {"other_basis": {"public_interest": {"criteria": ["gossip"]}}},
            "other_basis.public_interest.criteria.0",
        ),
        (
            {"other_basis": {"public_interest": {"test": {"vulnerability": "extreme"}}}},
            "other_basis.public_interest.test.vulnerability",
        ),
        (
            {"other_basis": {"public_interest": {"test": {"proportionate": "yes"}}}},
            "other_basis.public_interest.test.proportionate",
        ),
    ],
)
def test_it_refuses_bad_answers_naming_the_field_path(question: dict[str, Any], path: str) -> None:
    with pytest.raises(QuestionError) as caught:
        validate(question)
    assert path in caught.value.paths
    with pytest.raises(QuestionError):
        decide(question)


def test_a_question_that_is_not_an_object_is_refused_as_a_whole() -> None:
    for data in ([], "share", 3, None):
        with pytest.raises(QuestionError) as caught:
            validate(data)
        assert caught.value.paths == [""]


def test_text_that_is_not_json_is_refused() -> None:
    with pytest.raises(QuestionError) as caught:
        validate_json("{not json")
    assert caught.value.errors[0].type == "json_invalid"


def test_every_bad_answer_is_named_at_once() -> None:
    with pytest.raises(QuestionError) as caught:
        validate({"confidential": "yes", "consent": {"status": "maybe"}})
    assert set(caught.value.paths) == {"confidential", "consent.status"}


def test_json_text_and_parsed_json_read_the_same() -> None:
    import json

    assert validate_json(json.dumps(EXAMPLE)) == validate(EXAMPLE)


def test_any_mapping_is_read_and_a_question_is_not_read_again() -> None:
    question = validate(MappingProxyType(EXAMPLE))
    assert validate(question) is question
    assert isinstance(question, Question)


def test_iso_dates_are_read() -> None:
    question = validate({"consent": {"recorded_at": "2024-05-01T10:30:00Z"}})
    assert question.consent is not None
    assert question.consent.recorded_at is not None
    assert question.consent.recorded_at.year == 2024
