"""Dates, times and numbers are typed with the ASCII digits 0 to 9.

Python reads other scripts' digits as numbers (``int()`` of Arabic-Indic twelve is 12,
and ``\\d`` in a regular expression matches full-width and Arabic-Indic digits), so a date typed
with them would be stored as a date nobody in the hub typed that way, and shown back
differently. The hub's date, time and number fields refuse them with a clear message
instead (issue 16)."""

from __future__ import annotations


def has_other_digits(text: object) -> bool:
    """Whether ``text`` holds a digit that is not one of ASCII's 0 to 9."""
    return any(c.isdigit() and not c.isascii() for c in str(text or ""))


def digits_message(what: str) -> str:
    """``"Date of birth must be written with the digits 0 to 9"``."""
    return f"{what[:1].upper()}{what[1:]} must be written with the digits 0 to 9"
