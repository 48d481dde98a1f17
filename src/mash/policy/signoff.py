"""When a manager signs off a share that overrides a refusal of consent: before the hub
sees it, or after, as a review.

Guidance, Sharing information when consent has been refused: overriding a refusal or a
withdrawal "must be proportionate to the harm that may be caused by proceeding without
consent", so where the hub asks for it a manager of the disclosing agency checks the
override (a second person). Guidance, Consent to Share Information: "If the need to
share is urgent, and seeking consent will lead to unjustified delay in making enquiries
about allegations of significant harm to a child, or if safeguarding is paramount, take
immediate action and share the information without consent, but remember to record the
reason for the decision." So an urgent override is never held back: it reaches the hub
at once and the manager reviews it after the event. Principles, Timely: "Timeliness is
key in emergency situations", and a Red enquiry is the hub's emergency.

Pure Python: no Django import.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from mash.policy.decision import Basis, Requirement

__all__ = ["URGENT_BASES", "SignOff", "overrides_consent", "releases_before_review", "sign_off_for"]

# The grounds on which the guidance says "take immediate action": the need is urgent
# (seeking consent would lead to unjustified delay), or the child is at risk of
# significant harm ("if safeguarding is paramount").
URGENT_BASES = frozenset({Basis.URGENT.value, Basis.SIGNIFICANT_HARM.value})

# The enquiry's rating (BRAG) for the hub's emergencies.
RED = "red"


class SignOff(StrEnum):
    """What follows a decision: nothing, a hold until a manager signs it off, or a
    review by a manager after it has reached the hub."""

    NONE = "none"
    HOLD = "hold"
    REVIEW_AFTER_RELEASE = "review_after_release"


def overrides_consent(requires: Iterable[str]) -> bool:
    """The share overrides a refusal or withdrawal of consent (the engine requires the
    proportionality of the override to be recorded)."""
    return Requirement.PROPORTIONALITY_OF_OVERRIDE.value in set(requires)


def releases_before_review(*, basis: str | None, rag: str | None) -> bool:
    """True when a share over a refusal goes to the hub at once and the manager's
    sign-off becomes a review after the event: the guidance's basis is urgency or
    significant harm (Consent to Share Information: "take immediate action and share the
    information without consent"), or the enquiry is rated Red."""
    return (basis or "") in URGENT_BASES or (rag or "").lower() == RED


def sign_off_for(
    *, sharing: bool, requires: Iterable[str], basis: str | None, rag: str | None, hub_asks: bool
) -> SignOff:
    """The sign-off a recorded decision needs. Only a share that overrides a refusal
    or withdrawal, and only where the hub asks for sign-off (``hub_asks``); then a hold
    unless :func:`releases_before_review`, when it is a review after release."""
    if not (sharing and hub_asks and overrides_consent(requires)):
        return SignOff.NONE
    if releases_before_review(basis=basis, rag=rag):
        return SignOff.REVIEW_AFTER_RELEASE
    return SignOff.HOLD
