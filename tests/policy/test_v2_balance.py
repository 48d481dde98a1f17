"""Contract v2: the public interest balance (Public Interest: "What is the vulnerability of
those who are at risk? What is the impact of disclosure likely to be on the individual?
... a fair balance is achieved between the public interest and the rights of the
individual"). Each way the balance can fall, and what it does to the decision."""

from __future__ import annotations

from typing import Any

import pytest

from mash.policy import Balance, PublicInterestTest, decide, public_interest_balance

from .helpers import public_interest

HOLDS = {"proportionate": True, "alternative_means": False, "necessary_to_protect_others": True}


def weighed(vulnerability: str | None, impact: str | None) -> dict[str, Any]:
    test: dict[str, Any] = dict(HOLDS, vulnerability=vulnerability, impact_severity=impact)
    return decide(public_interest(["protection_of_vulnerable"], **test)).to_dict()


@pytest.mark.parametrize(
    ("vulnerability", "impact", "balance"),
    [
        ("high", "low", Balance.FAVOURS_DISCLOSURE),
        ("high", "medium", Balance.FAVOURS_DISCLOSURE),
        ("high", "high", Balance.FAVOURS_DISCLOSURE),
        ("medium", "low", Balance.FAVOURS_DISCLOSURE),
        ("medium", "medium", Balance.FAVOURS_DISCLOSURE),
        ("medium", "high", Balance.FINELY_BALANCED),
        ("low", "low", Balance.FAVOURS_DISCLOSURE),
        ("low", "medium", Balance.FINELY_BALANCED),
        ("low", "high", Balance.AGAINST_DISCLOSURE),
        (None, "high", Balance.NOT_WEIGHED),
        ("low", None, Balance.NOT_WEIGHED),
    ],
)
def test_the_balance_table(vulnerability: str | None, impact: str | None, balance: Balance) -> None:
    test = PublicInterestTest.model_validate(
        {"vulnerability": vulnerability, "impact_severity": impact}
    )
    assert public_interest_balance(test) is balance


def test_a_balance_in_favour_shares_on_the_public_interest() -> None:
    data = weighed("high", "high")
    assert data["basis"] == "public_interest"
    assert data["public_interest_balance"] == "favours_disclosure"
    assert any("the balance favours disclosure" in r for r in data["reasons"])


def test_a_balance_against_disclosure_means_the_public_interest_does_not_hold() -> None:
    data = weighed("low", "high")
    assert data["outcome"] == "do_not_share"
    assert data["public_interest_balance"] == "against_disclosure"
    assert any("fair balance" in r and "is not achieved" in r for r in data["reasons"])


def test_a_finely_balanced_case_is_a_reason_to_seek_advice() -> None:
    data = weighed("medium", "high")
    assert data["outcome"] == "seek_advice"
    assert data["missing"] == []
    assert any("the balance is fine" in r for r in data["reasons"])


def test_the_balance_never_holds_a_share_on_significant_harm() -> None:
    """Introduction: no barriers where a child is at risk of significant harm."""
    question = public_interest(
        ["protection_of_vulnerable"], **dict(HOLDS, vulnerability="low", impact_severity="high")
    )
    question["risk"] = {"significant_harm": True}
    data = decide(question).to_dict()
    assert data["basis"] == "significant_harm"
    assert "public_interest" not in data["grounds"]


def test_vulnerability_alone_is_in_the_reasons_but_the_test_answers_decide() -> None:
    data = decide(public_interest(["public_safety"], **dict(HOLDS, vulnerability="low"))).to_dict()
    assert data["basis"] == "public_interest"
    assert "public_interest_balance" not in data  # a version 1 question: version 1 shape
    assert any("vulnerability of those at risk is low" in r for r in data["reasons"])


def test_the_balance_is_not_weighed_when_the_test_fails_anyway() -> None:
    test = dict(HOLDS, proportionate=False, vulnerability="high", impact_severity="low")
    data = decide(public_interest(["public_safety"], **test)).to_dict()
    assert data["outcome"] == "do_not_share"
