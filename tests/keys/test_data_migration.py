"""The data migrations encrypt text written before encryption at rest (and, reversed,
decrypt it); consent forms under the old hub-wide file key move onto data keys."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps

from mash.enquiries.models import Enquiry
from mash.keys.fields import Ciphertext
from mash.keys.migration import encrypt_fields

from .helpers import open_enquiry

FIELDS = ["concern", "consent_not_obtained_reason", "rag_rationale", "outcome_rationale"]


def _raw(pk: Any) -> str:
    return Enquiry.objects.filter(pk=pk).values_list("concern", flat=True).get()


def test_plain_text_from_before_is_encrypted_in_place_and_back(cast: dict[str, Any]) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern="ignored")
    # As an old release left it: plain text in the column.
    Enquiry.objects.filter(pk=enquiry.pk).update(concern=Ciphertext("LEGACY-plain concern"))
    assert _raw(enquiry.pk) == "LEGACY-plain concern"

    operation = encrypt_fields("enquiries.Enquiry", FIELDS, "pk")
    operation.code(apps, None)
    sealed = _raw(enquiry.pk)
    assert sealed.startswith("mash:1:") and "LEGACY" not in sealed
    assert Enquiry.objects.get(pk=enquiry.pk).concern == "LEGACY-plain concern"

    operation.code(apps, None)  # run again: already sealed, left alone
    assert _raw(enquiry.pk) == sealed

    operation.reverse_code(apps, None)
    assert _raw(enquiry.pk) == "LEGACY-plain concern"


def test_old_consent_forms_move_onto_the_enquirys_data_key(
    cast: dict[str, Any], monkeypatch: Any
) -> None:
    from mash.consent import evidence

    enquiry = open_enquiry(cast["hub_practitioner"], concern="evidence")
    file_key = secrets.token_bytes(32)
    monkeypatch.setenv("MASH_FILE_KEY", base64.urlsafe_b64encode(file_key).decode())
    name = secrets.token_hex(20)
    nonce = secrets.token_bytes(12)
    content = b"%PDF-1.4 LEGACY-FORM"
    evidence.evidence_dir().mkdir(parents=True, exist_ok=True)
    (evidence.evidence_dir() / name).write_bytes(
        b"MASHEV1\n" + nonce + AESGCM(file_key).encrypt(nonce, content, name.encode())
    )
    assert evidence.reencrypt_legacy(name, enquiry.pk) is True
    assert (evidence.evidence_dir() / name).read_bytes().startswith(b"MASHEV2\n")
    assert evidence.load(name) == content
    assert evidence.reencrypt_legacy(name, enquiry.pk) is False  # already moved
