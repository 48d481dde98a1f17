"""Contract v2: who can consent (Who?; Gillick competence; Mental Capacity Act 2005) and,
when a child and a parent answer differently, which answer governs and why."""

from __future__ import annotations

from typing import Any

from mash.policy import decide

from .helpers import reaching_consent


def decided(**fields: Any) -> dict[str, Any]:
    return decide(reaching_consent(risk={"significant_harm": False}, **fields)).to_dict()


def test_a_competent_childs_refusal_governs_over_a_parents_consent() -> None:
    data = decided(
        subject={"age": 14, "competent": True},
        consent={"status": "refused", "given_by": "child"},
        other_consents=[{"status": "given", "given_by": "parent"}],
    )
    assert data["outcome"] == "do_not_share"
    assert data["consent_used"] == {"given_by": "child", "status": "refused", "relied_on": False}
    assert any("judged competent" in r and "Gillick" in r for r in data["reasons"])
    assert any("does not govern" in r for r in data["reasons"])


def test_the_order_of_the_answers_does_not_change_which_governs() -> None:
    data = decided(
        subject={"age": 14, "competent": True},
        consent={"status": "given", "given_by": "parent"},
        other_consents=[{"status": "refused", "given_by": "child"}],
    )
    assert data["consent_used"]["given_by"] == "child"
    assert data["outcome"] == "do_not_share"


def test_a_competent_childs_refusal_is_overridden_only_on_a_ground_and_says_so() -> None:
    question = reaching_consent(
        risk={"significant_harm": True},
        subject={"age": 14, "competent": True},
        consent={"status": "refused", "given_by": "child"},
        other_consents=[{"status": "given", "given_by": "parent"}],
    )
    data = decide(question).to_dict()
    assert data["basis"] == "significant_harm"
    assert "proportionality_of_override" in data["requires"]


def test_for_a_child_not_judged_competent_the_parent_decides() -> None:
    data = decided(
        subject={"age": 9, "competent": False},
        consent={"status": "refused", "given_by": "child"},
        other_consents=[{"status": "given", "given_by": "parent"}],
    )
    assert data["outcome"] == "share"
    assert data["basis"] == "consent"
    assert data["consent_used"] == {"given_by": "parent", "status": "given", "relied_on": True}
    assert any("taken into account" in r for r in data["reasons"])


def test_a_young_childs_own_consent_cannot_be_relied_on() -> None:
    data = decided(
        subject={"age": 8, "competent": False}, consent={"status": "given", "given_by": "child"}
    )
    assert data["outcome"] == "do_not_share"
    assert data["consent_used"]["relied_on"] is False


def test_a_childs_consent_with_competence_not_judged_is_a_reason_to_seek_advice() -> None:
    data = decided(subject={"age": 13}, consent={"status": "given", "given_by": "child"})
    assert data["outcome"] == "seek_advice"
    assert data["missing"] == ["subject.competent"]


def test_a_parents_consent_cannot_stand_in_for_a_competent_childs_own() -> None:
    data = decided(
        subject={"age": 15, "competent": True}, consent={"status": "given", "given_by": "parent"}
    )
    assert data["outcome"] == "do_not_share"
    assert any("cannot be relied on in place of theirs" in r for r in data["reasons"])


def test_a_sixteen_year_old_is_presumed_to_have_capacity() -> None:
    data = decided(subject={"age": 16}, consent={"status": "given", "given_by": "child"})
    assert data["basis"] == "consent"
    assert any("s. 1(2)" in r for r in data["reasons"])


def test_capacity_in_doubt_needs_an_assessment_before_consent_is_relied_on() -> None:
    data = decided(
        subject={"age": 17, "capacity_in_doubt": True},
        consent={"status": "given", "given_by": "child"},
    )
    assert data["outcome"] == "seek_advice"
    assert data["missing"] == ["subject.capacity_assessment"]
    assert "assess_capacity" in data["requires"]
    assert any("cannot be relied on without an assessment" in r for r in data["reasons"])


def test_capacity_assessed_as_present_lets_consent_stand() -> None:
    data = decided(
        subject={"age": 30, "capacity_in_doubt": True, "capacity_assessment": "has_capacity"},
        consent={"status": "given", "given_by": "person"},
    )
    assert data["basis"] == "consent"


def test_an_adult_who_lacks_capacity_cannot_consent_and_nobody_can_for_them() -> None:
    data = decided(
        subject={"age": 40, "capacity_in_doubt": True, "capacity_assessment": "lacks_capacity"},
        consent={"status": "given", "given_by": "person"},
    )
    assert data["outcome"] == "do_not_share"
    assert any("best interests" in r for r in data["reasons"])


def test_a_sixteen_year_old_lacking_capacity_a_parent_decides() -> None:
    data = decided(
        subject={"age": 16, "capacity_in_doubt": True, "capacity_assessment": "lacks_capacity"},
        consent={"status": "given", "given_by": "parental_responsibility"},
    )
    assert data["basis"] == "consent"


def test_someone_else_cannot_consent_for_the_person() -> None:
    data = decided(consent={"status": "given", "given_by": "other"})
    assert data["outcome"] == "do_not_share"
    assert data["consent_used"]["relied_on"] is False


def test_answers_that_disagree_with_competence_unknown_cannot_be_relied_on() -> None:
    data = decided(
        consent={"status": "given", "given_by": "parent"},
        other_consents=[{"status": "refused", "given_by": "child"}],
    )
    assert data["consent_used"]["relied_on"] is False
    assert data["outcome"] == "seek_advice"
    assert data["missing"] == ["subject.age"]
    assert any("disagree" in r for r in data["reasons"])
