"""The contract's worked example: consent refused, a child at risk of significant harm."""

from __future__ import annotations

import json

from mash.policy import GUIDANCE_VERSION, decide

from .helpers import EXAMPLE


def test_the_contract_example_shares_on_significant_harm_without_consent() -> None:
    decision = decide(EXAMPLE)
    assert decision.outcome == "share"
    assert decision.basis == "significant_harm"
    assert decision.without_consent is True
    assert set(decision.requires) >= {
        "record_decision",
        "record_what_shared_and_with_whom",
        "consider_how",
        "record_justification",
        "inform_individual_unless_risk",
        "proportionality_of_override",
    }


def test_the_decision_has_the_contract_json_shape() -> None:
    data = json.loads(decide(EXAMPLE).to_json())
    assert set(data) == {
        "outcome",
        "basis",
        "grounds",
        "without_consent",
        "requires",
        "missing",
        "steps",
        "reasons",
        "guidance_version",
    }
    assert data["grounds"] == ["significant_harm"]
    assert data["missing"] == []
    assert [step["section"] for step in data["steps"]] == [
        "When? Q1",
        "When? Q2",
        "When? Q3",
        "Consent",
        "Sharing without consent",
    ]
    assert set(data["steps"][0]) == {"question", "answer", "section"}
    assert data["guidance_version"] == GUIDANCE_VERSION == "herefordshire-mash-v4-2023-05"


def test_every_reason_cites_a_guidance_section() -> None:
    for reason in decide(EXAMPLE).reasons:
        assert reason.endswith(").")
        assert "(" in reason
