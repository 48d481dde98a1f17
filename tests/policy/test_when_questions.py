"""Rules 1-3: the When? questions (guidance: When and how to share information, When?)."""

from __future__ import annotations

from mash.policy import decide

from .helpers import reaching_consent


def test_rule_1_no_legitimate_purpose_means_do_not_share() -> None:
    """When? Q1: "Is there a clear and legitimate purpose? No - do not share information"."""
    decision = decide({"purpose": {"legitimate": False}, "risk": {"significant_harm": True}})
    assert decision.outcome == "do_not_share"
    assert decision.basis is None
    assert decision.grounds == ()
    assert [s.section for s in decision.steps] == ["When? Q1"]
    assert "When? Q1" in decision.reasons[-1]


def test_rule_1_an_unknown_purpose_means_seek_advice() -> None:
    """When? Q1, unknown: seek advice, naming purpose.legitimate as missing."""
    for question in ({}, {"purpose": None}, {"purpose": {"legitimate": None}}):
        decision = decide(question)
        assert decision.outcome == "seek_advice"
        assert decision.missing == ("purpose.legitimate",)


def test_rule_2_information_that_identifies_no_one_can_be_shared() -> None:
    """When? Q2: "Does the information enable an individual to be identified? No - you can
    share but should consider how"."""
    decision = decide({"purpose": {"legitimate": True}, "identifies_individual": False})
    assert decision.outcome == "share"
    assert decision.basis == "not_identifying"
    assert decision.without_consent is False
    assert [s.section for s in decision.steps] == ["When? Q1", "When? Q2"]


def test_rule_2_unknown_identification_means_seek_advice() -> None:
    decision = decide({"purpose": {"legitimate": True}})
    assert decision.outcome == "seek_advice"
    assert decision.missing == ("identifies_individual",)


def test_rule_3_information_that_is_not_confidential_can_be_shared() -> None:
    """When? Q3: "Is the information confidential? No - you can share but should consider
    how"."""
    decision = decide(reaching_consent(confidential=False, consent={"status": "refused"}))
    assert decision.outcome == "share"
    assert decision.basis == "not_confidential"
    assert decision.without_consent is False
    assert "record_reason_consent_not_obtained" not in decision.requires


def test_rule_3_unknown_confidentiality_means_seek_advice() -> None:
    decision = decide(reaching_consent(confidential=None))
    assert decision.outcome == "seek_advice"
    assert decision.missing == ("confidential",)


def test_the_rules_are_applied_in_order() -> None:
    """An unknown earlier answer decides before a known later one (rules in order)."""
    decision = decide(
        {"purpose": {"legitimate": True}, "confidential": False, "risk": {"significant_harm": True}}
    )
    assert decision.outcome == "seek_advice"
    assert decision.missing == ("identifies_individual",)
