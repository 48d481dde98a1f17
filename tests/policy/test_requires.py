"""Every row of the contract's ``requires`` table (Record; Consent to Share Information;
Sharing without consent; Sharing information when consent has been refused; How?)."""

from __future__ import annotations

import pytest

from mash.policy import REQUIREMENT_TEXT, Requirement, decide

from .helpers import EXAMPLE, reaching_consent, without_consent

QUESTIONS = {
    "do_not_share": {"purpose": {"legitimate": False}},
    "share": {"purpose": {"legitimate": True}, "identifies_individual": False},
    "seek_advice": {},
    "without_consent": EXAMPLE,
}


@pytest.mark.parametrize("name", QUESTIONS)
def test_every_decision_requires_it_to_be_recorded(name: str) -> None:
    """Record: "Information sharing decisions should be recorded whether or not the
    decision is taken to share"."""
    assert decide(QUESTIONS[name]).requires[0] == "record_decision"


def test_do_not_share_requires_reasons_and_a_discussion_with_the_requester() -> None:
    """Record: "If the decision is not to share, it is good practice to record the reasons
    for this decision and discuss them with the requester"."""
    assert decide(QUESTIONS["do_not_share"]).requires == (
        "record_decision",
        "record_reasons",
        "discuss_with_requester",
    )


def test_share_requires_what_was_shared_with_whom_and_considering_how() -> None:
    """Record: "reasons should be cited including what information has been shared and with
    whom"; When?: "you can share but should consider how"."""
    assert decide(QUESTIONS["share"]).requires == (
        "record_decision",
        "record_what_shared_and_with_whom",
        "consider_how",
    )


def test_sharing_without_consent_requires_justification_and_informing_the_individual() -> None:
    """Sharing without consent: "should always be recorded together with the rationale";
    How?: "Inform the individual ... as long as this would not create or increase risk"."""
    decision = decide(without_consent(risk={"significant_harm": False, "urgent": True}))
    assert decision.without_consent is True
    assert "record_justification" in decision.requires
    assert "inform_individual_unless_risk" in decision.requires


@pytest.mark.parametrize("status", ["refused", "withdrawn"])
def test_overriding_a_refusal_or_withdrawal_requires_proportionality(status: str) -> None:
    """Sharing information when consent has been refused: "This decision must be
    proportionate to the harm that may be caused by proceeding without consent"."""
    decision = decide(reaching_consent(consent={"status": status}, risk={"significant_harm": True}))
    assert "proportionality_of_override" in decision.requires
    assert "record_reason_consent_not_obtained" not in decision.requires


@pytest.mark.parametrize("consent", [{"status": "given", "agencies": []}, None])
def test_consent_out_of_scope_or_absent_needs_no_override_proportionality(
    consent: dict[str, object] | None,
) -> None:
    decision = decide(reaching_consent(consent=consent, risk={"significant_harm": True}))
    assert decision.without_consent is True
    assert "proportionality_of_override" not in decision.requires


@pytest.mark.parametrize("status", ["not_sought", "unknown", None])
@pytest.mark.parametrize("harm", [True, False, None])
def test_reaching_consent_without_obtaining_it_requires_the_reason(
    status: str | None, harm: bool | None
) -> None:
    """Consent to Share Information: "Where consent has not been obtained, reasons for this
    will be documented on both the agency and MASH records" - whatever the outcome."""
    decision = decide(reaching_consent(consent={"status": status}, risk={"significant_harm": harm}))
    assert "record_reason_consent_not_obtained" in decision.requires


def test_the_reason_consent_was_not_obtained_is_not_required_before_consent_is_reached() -> None:
    decision = decide(
        {
            "purpose": {"legitimate": True},
            "identifies_individual": False,
            "consent": {"status": "not_sought"},
        }
    )
    assert "record_reason_consent_not_obtained" not in decision.requires
    unknown_purpose = decide({"consent": {"status": "unknown"}})
    assert "record_reason_consent_not_obtained" not in unknown_purpose.requires


def test_sharing_sensitive_information_on_consent_requires_the_explicit_consent_record() -> None:
    """Consent to Share Information: explicit consent "may be written e.g. consent form or a
    clear record of verbal consent obtained stating the date, time and what information"."""
    decision = decide(
        reaching_consent(sensitive=True, consent={"status": "given", "explicit": True})
    )
    assert decision.requires == (
        "record_decision",
        "record_what_shared_and_with_whom",
        "consider_how",
        "explicit_consent_record",
    )
    plain = decide(reaching_consent(consent={"status": "given"}))
    assert "explicit_consent_record" not in plain.requires


def test_seek_advice_requires_seeking_advice() -> None:
    """7 Golden Rules: Seek Advice; "if in doubt seek advice from a manager"."""
    assert decide(QUESTIONS["seek_advice"]).requires == ("record_decision", "seek_advice")


def test_every_requirement_has_a_plain_english_sentence_citing_the_guidance() -> None:
    assert set(REQUIREMENT_TEXT) == {r.value for r in Requirement}
    for sentence in REQUIREMENT_TEXT.values():
        assert sentence.endswith(").")
