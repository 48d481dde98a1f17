"""Passwords after the NCSC guidance: argon2, a long passphrase, a deny list (common
passwords and the hub's own words), and no forced complexity."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError

from mash import settings as hub_settings


def test_argon2_is_the_hasher_for_new_passwords() -> None:
    assert hub_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.parametrize(
    "password",
    [
        "short pass",  # fewer than 12 characters
        "password1234",  # a common password
        "Safeguarding2026!",  # the hub's own word, dressed up
        "mashmashmash",
        "Police-Health-123",
    ],
)
def test_it_refuses(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "kettle orchard lantern", "purple tractor wednesday"],
)
def test_a_long_passphrase_of_plain_words_needs_no_digits_or_symbols(password: str) -> None:
    validate_password(password)


def test_the_help_text_says_so(db: Any) -> None:
    help_text = " ".join(password_validators_help_texts())
    assert "at least 12 characters" in help_text
    assert "long passphrase" in help_text
    assert "does not need digits, symbols or capitals" in help_text
