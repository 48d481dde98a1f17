"""Rule 5: the grounds to share without consent (Sharing without consent; Sharing information
when consent has been refused; When? Q5; Public Interest)."""

from __future__ import annotations

import pytest

from mash.policy import decide

from .helpers import public_interest, reaching_consent, without_consent


@pytest.mark.parametrize("status", ["refused", "withdrawn", "not_sought", "unknown", None])
def test_rule_5_significant_harm_is_a_ground_whatever_the_consent(status: str | None) -> None:
    """Introduction: "There are no barriers to sharing information where there is a
    safeguarding concern and a child is believed to be at risk of significant harm"."""
    decision = decide(reaching_consent(consent={"status": status}, risk={"significant_harm": True}))
    assert decision.outcome == "share"
    assert decision.basis == "significant_harm"
    assert decision.without_consent is True


def test_rule_5_urgency_is_a_ground() -> None:
    """Sharing without consent: "If the need to share is urgent ... share the information
    without consent"."""
    decision = decide(without_consent(risk={"significant_harm": False, "urgent": True}))
    assert decision.basis == "urgent"
    assert decision.steps[-1].section == "Sharing without consent"


def test_urgency_applies_while_significant_harm_is_still_an_allegation() -> None:
    decision = decide(without_consent(risk={"urgent": True}))
    assert decision.outcome == "share"
    assert decision.basis == "urgent"


def test_rule_5_vital_interests_is_a_ground() -> None:
    """When? Q5: "to protect the vital interests of the individual"."""
    decision = decide(without_consent(other_basis={"vital_interests": True}))
    assert decision.basis == "vital_interests"
    assert decision.steps[-1].section == "When? Q5"


def test_rule_5_a_public_function_is_a_ground() -> None:
    """When? Q5: "to fulfil a public function"."""
    decision = decide(without_consent(other_basis={"public_function": True}))
    assert decision.basis == "public_function"


def test_rule_5_the_public_interest_is_a_ground_when_the_test_holds() -> None:
    """Public Interest: criteria given; proportionate, no alternative, necessary."""
    decision = decide(
        public_interest(
            ["protection_of_vulnerable"],
            proportionate=True,
            alternative_means=False,
            necessary_to_protect_others=True,
        )
    )
    assert decision.basis == "public_interest"
    assert decision.steps[-1].section == "Public Interest"


def test_necessary_to_prevent_or_detect_crime_also_satisfies_the_test() -> None:
    decision = decide(
        public_interest(
            ["detection_of_crime"],
            proportionate=True,
            alternative_means=False,
            necessary_to_prevent_or_detect_crime=True,
            necessary_to_protect_others=False,
        )
    )
    assert decision.basis == "public_interest"


def test_the_public_interest_needs_at_least_one_criterion() -> None:
    for criteria in ([], None):
        decision = decide(
            public_interest(
                criteria,
                proportionate=True,
                alternative_means=False,
                necessary_to_protect_others=True,
            )
        )
        assert decision.outcome == "do_not_share"


@pytest.mark.parametrize(
    "test",
    [
        {"proportionate": False, "alternative_means": False, "necessary_to_protect_others": True},
        {"proportionate": True, "alternative_means": True, "necessary_to_protect_others": True},
        {
            "proportionate": True,
            "alternative_means": False,
            "necessary_to_prevent_or_detect_crime": False,
            "necessary_to_protect_others": False,
        },
    ],
)
def test_a_public_interest_test_that_fails_on_a_known_answer_means_do_not_share(
    test: dict[str, bool],
) -> None:
    decision = decide(public_interest(["public_safety"], **test))
    assert decision.outcome == "do_not_share"
    assert any("does not hold" in reason for reason in decision.reasons)


def test_the_first_ground_in_the_contract_order_is_the_basis_and_all_are_grounds() -> None:
    decision = decide(
        reaching_consent(
            consent={"status": "refused"},
            risk={"significant_harm": True, "urgent": True},
            other_basis={
                "vital_interests": True,
                "public_function": True,
                "public_interest": {
                    "criteria": ["public_safety"],
                    "test": {
                        "proportionate": True,
                        "alternative_means": False,
                        "necessary_to_protect_others": True,
                    },
                },
            },
        )
    )
    assert decision.basis == "significant_harm"
    assert decision.grounds == (
        "significant_harm",
        "urgent",
        "vital_interests",
        "public_function",
        "public_interest",
    )
    assert decision.grounds[0] == decision.basis
