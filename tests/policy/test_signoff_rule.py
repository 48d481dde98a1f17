"""The sign-off rule (Guidance, Consent to Share Information: "If the need to share is
urgent ... take immediate action and share the information without consent, but
remember to record the reason"; Sharing information when consent has been refused)."""

from __future__ import annotations

import pytest

from mash.policy import decide
from mash.policy.signoff import SignOff, overrides_consent, releases_before_review, sign_off_for

OVERRIDE = ["record_justification", "proportionality_of_override"]


@pytest.mark.parametrize("basis", ["urgent", "significant_harm"])
def test_an_urgent_basis_releases_before_review(basis: str) -> None:
    assert releases_before_review(basis=basis, rag="green")


def test_a_red_enquiry_releases_before_review_whatever_the_basis() -> None:
    assert releases_before_review(basis="public_function", rag="red")
    assert releases_before_review(basis="public_interest", rag="RED")


@pytest.mark.parametrize("basis", ["public_function", "vital_interests", "public_interest", ""])
def test_other_bases_on_a_non_red_enquiry_wait(basis: str) -> None:
    assert not releases_before_review(basis=basis, rag="amber")
    assert not releases_before_review(basis=basis, rag=None)


def test_an_urgent_override_is_reviewed_after_release() -> None:
    path = sign_off_for(sharing=True, requires=OVERRIDE, basis="urgent", rag="amber", hub_asks=True)
    assert path is SignOff.REVIEW_AFTER_RELEASE


def test_a_non_urgent_override_is_held_where_the_hub_asks() -> None:
    path = sign_off_for(
        sharing=True, requires=OVERRIDE, basis="public_function", rag="amber", hub_asks=True
    )
    assert path is SignOff.HOLD


def test_nothing_is_signed_off_where_the_hub_does_not_ask_or_nothing_is_overridden() -> None:
    assert (
        sign_off_for(sharing=True, requires=OVERRIDE, basis="urgent", rag="red", hub_asks=False)
        is SignOff.NONE
    )
    assert (
        sign_off_for(
            sharing=True,
            requires=["record_justification"],
            basis="urgent",
            rag="red",
            hub_asks=True,
        )
        is SignOff.NONE
    )
    assert (
        sign_off_for(sharing=False, requires=OVERRIDE, basis="", rag="red", hub_asks=True)
        is SignOff.NONE
    )


def test_the_engine_s_override_of_a_refusal_on_significant_harm_is_urgent() -> None:
    result = decide(
        {
            "purpose": {"legitimate": True},
            "identifies_individual": True,
            "confidential": True,
            "consent": {"status": "refused"},
            "risk": {"significant_harm": True},
        }
    )
    requires = [str(r) for r in result.requires]
    assert overrides_consent(requires)
    assert releases_before_review(basis=str(result.basis), rag="amber")
