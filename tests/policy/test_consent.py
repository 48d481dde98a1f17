"""Rule 4: valid consent (When? Q4; Consent; Partial Consent; Consent to Share Information)."""

from __future__ import annotations

from mash.policy import decide

from .helpers import reaching_consent


def test_rule_4_given_consent_means_share_on_consent() -> None:
    """When? Q4: "Do you have consent? Yes - you can share but should consider how"."""
    decision = decide(reaching_consent(consent={"status": "given"}))
    assert decision.outcome == "share"
    assert decision.basis == "consent"
    assert decision.without_consent is False
    assert decision.steps[-1].section == "Consent"


def test_partial_consent_that_lists_the_recipient_is_valid() -> None:
    """Partial Consent: "does this include the agency you want to share it with?" Yes."""
    decision = decide(
        reaching_consent(consent={"status": "given", "agencies": ["health", "police"]})
    )
    assert decision.basis == "consent"
    assert decision.steps[-1].section == "Partial Consent"
    assert decision.steps[-1].answer == "yes"


def test_partial_consent_that_leaves_out_the_recipient_is_not_consent() -> None:
    """Partial Consent: "If you do not have consent, then the paragraph below applies"."""
    decision = decide(
        reaching_consent(
            consent={"status": "given", "agencies": ["health"]}, risk={"significant_harm": False}
        )
    )
    assert decision.outcome == "do_not_share"
    assert any("Partial Consent" in reason for reason in decision.reasons)


def test_an_empty_agency_list_covers_no_agency() -> None:
    """Contract rule 6: an empty consent.agencies list covers no agency."""
    decision = decide(
        reaching_consent(
            consent={"status": "given", "agencies": []}, risk={"significant_harm": True}
        )
    )
    assert decision.basis == "significant_harm"
    assert decision.without_consent is True
    assert "consent" not in decision.grounds


def test_null_agencies_covers_every_agency_even_an_unnamed_recipient() -> None:
    question = reaching_consent(consent={"status": "given", "agencies": None})
    del question["recipient_agency"]
    assert decide(question).basis == "consent"


def test_a_list_of_agencies_cannot_cover_an_unnamed_recipient() -> None:
    question = reaching_consent(
        consent={"status": "given", "agencies": ["police"]}, risk={"significant_harm": False}
    )
    question["recipient_agency"] = None
    assert decide(question).outcome == "do_not_share"


def test_sensitive_information_needs_explicit_consent() -> None:
    """Consent to Share Information: "Where sensitive personal information is being shared
    explicit consent is expected"."""
    decision = decide(
        reaching_consent(
            sensitive=True,
            consent={"status": "given", "explicit": False},
            risk={"significant_harm": False},
        )
    )
    assert decision.outcome == "do_not_share"
    assert decision.steps[-1].section != "Consent to Share Information"  # went on to rule 5
    assert any(step.section == "Consent to Share Information" for step in decision.steps)


def test_sensitive_information_with_explicit_consent_is_shared_on_consent() -> None:
    decision = decide(
        reaching_consent(
            sensitive=True,
            consent={
                "status": "given",
                "explicit": True,
                "recorded_at": "2024-05-01T10:30:00+01:00",
            },
        )
    )
    assert decision.basis == "consent"
    assert "explicit_consent_record" in decision.requires


def test_explicit_null_counts_as_not_explicit_and_sensitive_null_as_not_sensitive() -> None:
    not_explicit = decide(
        reaching_consent(
            sensitive=True,
            consent={"status": "given", "explicit": None},
            risk={"significant_harm": False},
        )
    )
    assert not_explicit.outcome == "do_not_share"
    not_sensitive = decide(reaching_consent(sensitive=None, consent={"status": "given"}))
    assert not_sensitive.basis == "consent"


def test_recipient_codes_are_compared_exactly() -> None:
    decision = decide(
        reaching_consent(
            consent={"status": "given", "agencies": ["Police"]}, risk={"significant_harm": False}
        )
    )
    assert decision.outcome == "do_not_share"
