"""Checks for contact details: a UK telephone number or an e-mail address.

Errors are ``ValidationError`` with a message a person can act on; the form or model
that uses them names the field.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

_SEPARATORS = re.compile(r"[\s\-().]")
_UK_NATIONAL = re.compile(r"^0[1-9]\d{8,9}$")
"""A UK number written nationally: 0, then 9 or 10 digits (01432 260000, 07700 900123)."""

UK_PHONE_MESSAGE = (
    "Enter a UK telephone number, like 01432 260800, 07700 900 982 or +44 1432 260800"
)
EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.org"
CONTACT_MESSAGE = (
    "Enter a telephone number, like 01432 260800, or an email address, like name@example.org"
)


def uk_phone_digits(value: str) -> str | None:
    """The number as national digits (``01432260800``), or None if it is not a UK number.

    Accepts spaces, hyphens, brackets and dots between digits, ``+44`` or ``0044`` for
    the country and the written-in ``(0)`` of ``+44 (0)1432 ...``.
    """
    text = value.strip().replace("(0)", "")
    if text.startswith("+44"):
        text = "0" + text[3:]
    elif text.startswith("0044"):
        text = "0" + text[4:]
    digits = _SEPARATORS.sub("", text)
    if digits.startswith("00"):
        return None
    return digits if _UK_NATIONAL.match(digits) else None


def validate_uk_phone(value: str) -> None:
    if uk_phone_digits(value) is None:
        raise ValidationError(UK_PHONE_MESSAGE, code="invalid_phone")


def validate_contact(value: str) -> None:
    """A UK telephone number or an e-mail address (a referrer's contact)."""
    text = value.strip()
    if uk_phone_digits(text) is not None:
        return
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(EMAIL_MESSAGE, code="invalid_email") from None
        return
    raise ValidationError(CONTACT_MESSAGE, code="invalid_contact")
