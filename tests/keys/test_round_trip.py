"""Narrative fields are stored sealed and read back as they were written."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import FieldError
from django.db import transaction

from mash.enquiries.models import Enquiry, Person
from mash.keys.fields import Ciphertext, EncryptedFieldMisuse
from mash.keys.models import DataKey

from .helpers import open_enquiry

CONCERN = "Bruising on both arms; says a parent's partner grabbed her. ROUNDTRIP-1"


def test_text_reads_back_as_written_and_is_stored_sealed(cast: dict[str, Any]) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern=CONCERN)
    fresh = Enquiry.objects.get(pk=enquiry.pk)
    assert fresh.concern == CONCERN
    assert fresh.rag_rationale == "Injury seen, no disclosure yet."
    stored = Enquiry.objects.filter(pk=enquiry.pk).values_list("concern", flat=True).get()
    assert isinstance(stored, Ciphertext)
    assert stored.startswith(f"mash:1:{enquiry.pk.hex}:")
    assert "ROUNDTRIP" not in stored
    assert DataKey.objects.filter(enquiry_id=enquiry.pk).count() == 1


def test_people_share_their_enquirys_key(cast: dict[str, Any]) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern=CONCERN, address="1 Secret Row")
    child = Person.objects.get(enquiry=enquiry, kind="child")
    assert child.address == "1 Secret Row"
    assert child.role_in_concern == "Subject of the concern"
    assert DataKey.objects.count() == 1


def test_the_same_text_seals_differently_each_time(cast: dict[str, Any]) -> None:
    first = open_enquiry(cast["hub_practitioner"], concern=CONCERN)
    second = open_enquiry(cast["hub_practitioner"], concern=CONCERN)
    stored = dict(Enquiry.objects.values_list("pk", "concern"))
    assert stored[first.pk] != stored[second.pk]


def test_saving_unchanged_text_keeps_its_ciphertext(cast: dict[str, Any]) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern=CONCERN)
    before = Enquiry.objects.filter(pk=enquiry.pk).values_list("concern", flat=True).get()
    fresh = Enquiry.objects.get(pk=enquiry.pk)
    assert fresh.concern == CONCERN  # read, not changed
    fresh.save()
    untouched = Enquiry.objects.get(pk=enquiry.pk)
    untouched.save()  # never read
    after = Enquiry.objects.filter(pk=enquiry.pk).values_list("concern", flat=True).get()
    assert after == before
    changed = Enquiry.objects.get(pk=enquiry.pk)
    changed.concern = "Something else"
    changed.save()
    assert Enquiry.objects.get(pk=enquiry.pk).concern == "Something else"


def test_empty_text_stays_empty_and_blank_checks_work(cast: dict[str, Any]) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern=CONCERN)
    assert Enquiry.objects.get(pk=enquiry.pk).outcome_rationale == ""
    assert Enquiry.objects.filter(pk=enquiry.pk, outcome_rationale="").exists()


def test_searching_or_bulk_writing_plain_text_is_refused(cast: dict[str, Any]) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern=CONCERN)
    with pytest.raises(EncryptedFieldMisuse):
        list(Enquiry.objects.filter(concern=CONCERN))
    with pytest.raises(FieldError):
        list(Enquiry.objects.filter(concern__icontains="ROUNDTRIP"))
    with pytest.raises(EncryptedFieldMisuse), transaction.atomic():
        Enquiry.objects.filter(pk=enquiry.pk).update(concern="plain text")
    enquiry.concern = "plain text"
    with pytest.raises(EncryptedFieldMisuse), transaction.atomic():
        Enquiry.objects.bulk_update([enquiry], ["concern"])
    assert Enquiry.objects.get(pk=enquiry.pk).concern == CONCERN


def test_deferred_text_loads_and_decrypts(cast: dict[str, Any]) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern=CONCERN)
    assert Enquiry.objects.only("reference").get(pk=enquiry.pk).concern == CONCERN
