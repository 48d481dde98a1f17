"""Question builders shared by the policy tests (generated, nothing real)."""

from __future__ import annotations

from typing import Any

EXAMPLE: dict[str, Any] = {
    "purpose": {"legitimate": True, "description": "MASH enquiry: bruising seen at school"},
    "identifies_individual": True,
    "confidential": True,
    "recipient_agency": "police",
    "consent": {"status": "refused"},
    "risk": {"significant_harm": True},
}


def reaching_consent(**overrides: Any) -> dict[str, Any]:
    """A question that passes When? Q1-Q3 (legitimate, identifying, confidential)."""
    question: dict[str, Any] = {
        "purpose": {"legitimate": True},
        "identifies_individual": True,
        "confidential": True,
        "recipient_agency": "police",
    }
    question.update(overrides)
    return question


def without_consent(**overrides: Any) -> dict[str, Any]:
    """Reaches rule 5 with consent refused and no significant harm, unless overridden."""
    question = reaching_consent(consent={"status": "refused"}, risk={"significant_harm": False})
    question.update(overrides)
    return question


def public_interest(criteria: list[str] | None, **test: Any) -> dict[str, Any]:
    return without_consent(
        other_basis={"public_interest": {"criteria": criteria, "test": test}},
    )
