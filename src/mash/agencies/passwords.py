"""Password rules after the NCSC's password guidance: a long passphrase, checked against a
deny list, with no forced complexity (no required digits or symbols, no expiry).

Django's validators check the length (12 characters or more), the common-password list
(20,000 passwords seen in breaches) and closeness to the username; this one refuses
passwords built from the hub's own words, which an attacker would try first.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError

# Words an attacker guesses first for this service. A password that is one of these,
# perhaps with digits or symbols around it or repeated, is refused.
HUB_WORDS = frozenset(
    {
        "mash",
        "mashhub",
        "safeguarding",
        "safeguard",
        "children",
        "childrenssocialcare",
        "socialcare",
        "socialworker",
        "council",
        "police",
        "health",
        "nhs",
        "education",
        "school",
        "probation",
        "housing",
        "password",
        "passphrase",
        "welcome",
        "letmein",
        "qwerty",
    }
)


def _core(password: str) -> str:
    """The letters of the password, lower case, without digits, symbols and spaces."""
    return re.sub(r"[^a-z]", "", password.lower())


class HubWordsValidator:
    """Refuse a password that is nothing but the hub's words (``HUB_WORDS``), whatever
    digits, symbols or repetition surround them."""

    message = (
        "Choose a password that is not built from the service's own words (like 'MASH', "
        "'safeguarding' or an agency's name): these are the first an attacker tries."
    )

    def validate(self, password: str, user: Any = None) -> None:
        core = _core(password)
        if not core:
            return
        pattern = "(?:" + "|".join(sorted(HUB_WORDS, key=len, reverse=True)) + ")+"
        if re.fullmatch(pattern, core):
            raise ValidationError(self.message, code="password_hub_word")

    def get_help_text(self) -> str:
        return (
            "Use a long passphrase: three or more random words is a good choice. It does "
            "not need digits, symbols or capitals. It cannot be a common password or "
            "the service's own words."
        )
