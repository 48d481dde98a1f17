"""Rule 6: no ground applies (When? Q5 "No - do not share"; 7 Golden Rules: Seek Advice)."""

from __future__ import annotations

from mash.policy import decide

from .helpers import public_interest, reaching_consent, without_consent

TEST = "other_basis.public_interest.test."


def test_rule_6_no_ground_with_every_answer_known_means_do_not_share() -> None:
    decision = decide(without_consent())
    assert decision.outcome == "do_not_share"
    assert decision.missing == ()
    assert decision.basis is None


def test_rule_6_absent_urgent_vital_interests_and_public_function_count_as_false() -> None:
    decision = decide(
        without_consent(
            risk={"significant_harm": False, "urgent": None},
            other_basis={"vital_interests": None, "public_function": None},
        )
    )
    assert decision.outcome == "do_not_share"
    assert "not answered (counts as no)" in {step.answer for step in decision.steps}


def test_rule_6_unknown_significant_harm_means_seek_advice() -> None:
    for risk in (None, {}, {"significant_harm": None}):
        decision = decide(reaching_consent(consent={"status": "refused"}, risk=risk))
        assert decision.outcome == "seek_advice"
        assert decision.missing == ("risk.significant_harm",)


def test_rule_6_criteria_with_an_unknown_deciding_test_answer_means_seek_advice() -> None:
    decision = decide(public_interest(["public_safety"], alternative_means=False))
    assert decision.outcome == "seek_advice"
    assert decision.missing == (
        TEST + "proportionate",
        TEST + "necessary_to_prevent_or_detect_crime",
        TEST + "necessary_to_protect_others",
    )


def test_criteria_with_no_test_at_all_miss_every_deciding_answer() -> None:
    question = without_consent(other_basis={"public_interest": {"criteria": ["public_safety"]}})
    decision = decide(question)
    assert decision.outcome == "seek_advice"
    assert len(decision.missing) == 4


def test_an_unknown_necessity_answer_is_not_missing_when_the_other_is_true() -> None:
    decision = decide(
        public_interest(
            ["public_safety"], alternative_means=False, necessary_to_protect_others=True
        )
    )
    assert decision.outcome == "seek_advice"
    assert decision.missing == (TEST + "proportionate",)


def test_a_test_already_failed_on_a_known_answer_needs_no_advice() -> None:
    decision = decide(public_interest(["public_safety"], proportionate=False))
    assert decision.outcome == "do_not_share"


def test_unknown_harm_and_an_undecided_test_are_both_missing() -> None:
    question = public_interest(["public_safety"], proportionate=True, alternative_means=False)
    question["risk"] = {"significant_harm": None}
    decision = decide(question)
    assert decision.missing[0] == "risk.significant_harm"
    assert TEST + "necessary_to_protect_others" in decision.missing


def test_without_criteria_an_unknown_test_answer_does_not_ask_for_advice() -> None:
    decision = decide(public_interest(None, proportionate=None))
    assert decision.outcome == "do_not_share"
