"""Properties over generated questions: the decision is total and consistent with the
contract whatever the answers (hypothesis)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mash.policy import Basis, QuestionError, SharingDecision, decide, validate, validate_json

BOOL = st.one_of(st.none(), st.booleans())
AGENCIES = st.sampled_from(["police", "health", "education", "housing", "hub"])


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def sparse(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """An object in which every key may be absent."""
    return st.fixed_dictionaries({}, optional={k: v for k, v in fields.items()})


TEST = sparse(
    proportionate=BOOL,
    alternative_means=BOOL,
    necessary_to_prevent_or_detect_crime=BOOL,
    necessary_to_protect_others=BOOL,
    vulnerability=optional(st.sampled_from(["low", "medium", "high"])),
    impact_on_individual=optional(st.text(max_size=20)),
)
CRITERIA = st.lists(
    st.sampled_from(
        [
            "protection_of_vulnerable",
            "administration_of_justice",
            "public_safety",
            "apprehension_of_offenders",
            "prevention_of_crime_and_disorder",
            "detection_of_crime",
        ]
    ),
    max_size=3,
)
QUESTIONS = sparse(
    purpose=optional(sparse(legitimate=BOOL, description=optional(st.text(max_size=20)))),
    identifies_individual=BOOL,
    confidential=BOOL,
    sensitive=BOOL,
    recipient_agency=optional(AGENCIES),
    consent=optional(
        sparse(
            status=optional(
                st.sampled_from(["given", "refused", "withdrawn", "not_sought", "unknown"])
            ),
            agencies=optional(st.lists(AGENCIES, max_size=3)),
            explicit=BOOL,
            reason_not_sought=optional(st.text(max_size=20)),
        )
    ),
    risk=optional(sparse(significant_harm=BOOL, urgent=BOOL)),
    other_basis=optional(
        sparse(
            vital_interests=BOOL,
            public_function=BOOL,
            public_interest=optional(sparse(criteria=optional(CRITERIA), test=optional(TEST))),
        )
    ),
    justification=optional(st.text(max_size=20)),
)

MANY = settings(max_examples=300, deadline=None)


@MANY
@given(QUESTIONS)
def test_every_question_gets_a_decision_in_the_contract_shape(question: dict[str, Any]) -> None:
    decision = decide(question)
    SharingDecision.model_validate(decision.to_dict())
    assert decision.steps and decision.reasons


@MANY
@given(QUESTIONS)
def test_a_share_always_has_a_basis_and_nothing_else_ever_does(question: dict[str, Any]) -> None:
    decision = decide(question)
    if decision.outcome == "share":
        assert decision.basis is not None
        assert decision.grounds[0] == decision.basis
        assert decision.missing == ()
    else:
        assert decision.basis is None
        assert decision.grounds == ()
        assert decision.without_consent is False
    if decision.outcome == "seek_advice":
        assert decision.missing


@MANY
@given(QUESTIONS)
def test_every_decision_requires_a_record(question: dict[str, Any]) -> None:
    decision = decide(question)
    assert decision.requires[0] == "record_decision"
    assert len(set(decision.requires)) == len(decision.requires)


@MANY
@given(QUESTIONS)
def test_without_consent_means_a_ground_other_than_consent_on_identifying_confidential_information(
    question: dict[str, Any],
) -> None:
    decision = decide(question)
    expected = decision.outcome == "share" and decision.basis not in {
        Basis.NOT_IDENTIFYING,
        Basis.NOT_CONFIDENTIAL,
        Basis.CONSENT,
    }
    assert decision.without_consent is expected


@MANY
@given(QUESTIONS)
def test_learning_of_significant_harm_never_turns_a_share_into_do_not_share(
    question: dict[str, Any],
) -> None:
    risk = dict(question.get("risk") or {})
    risk["significant_harm"] = False
    before = decide({**question, "risk": risk})
    risk["significant_harm"] = True
    after = decide({**question, "risk": risk})
    if before.outcome == "share":
        assert after.outcome == "share"
    assert after.outcome != "do_not_share" or before.outcome == "do_not_share"


@MANY
@given(QUESTIONS)
def test_deciding_a_validated_question_equals_deciding_its_mapping(
    question: dict[str, Any],
) -> None:
    assert decide(validate(question)) == decide(question)


@MANY
@given(QUESTIONS)
def test_json_text_reads_exactly_like_parsed_json(question: dict[str, Any]) -> None:
    """The CLI and the API read text; the form passes a mapping: the same question."""
    assert validate_json(json.dumps(question)) == validate(question)


BOOLEAN_PATHS = [
    ("identifies_individual",),
    ("confidential",),
    ("sensitive",),
    ("purpose", "legitimate"),
    ("consent", "explicit"),
    ("risk", "significant_harm"),
    ("risk", "urgent"),
    ("other_basis", "vital_interests"),
    ("other_basis", "public_function"),
    ("other_basis", "public_interest", "test", "proportionate"),
]


@MANY
@given(
    QUESTIONS,
    st.sampled_from(BOOLEAN_PATHS),
    st.sampled_from(["yes", "no", "1", "0", "true", 1, 0, 1.0]),
)
def test_nothing_that_only_looks_like_a_boolean_is_taken_for_one(
    question: dict[str, Any], path: tuple[str, ...], value: Any
) -> None:
    target = question
    for key in path[:-1]:
        child = target.get(key)
        if not isinstance(child, dict):
            child = {}
            target[key] = child
        target = child
    target[path[-1]] = value
    with pytest.raises(QuestionError) as caught:
        validate(question)
    assert ".".join(path) in caught.value.paths
