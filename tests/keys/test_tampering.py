"""A ciphertext altered, or moved to another row, column or enquiry, is refused: the
associated data binds each one to its table, column, row and enquiry."""

from __future__ import annotations

from typing import Any

import pytest

from mash.enquiries.models import Enquiry, Person
from mash.keys import cache
from mash.keys.crypto import DecryptionRefused
from mash.keys.fields import Ciphertext
from mash.keys.models import DataKey

from .helpers import open_enquiry


def _stored(model: Any, pk: Any, field: str) -> str:
    return model.objects.filter(pk=pk).values_list(field, flat=True).get()


def _put(model: Any, pk: Any, **values: str) -> None:
    model.objects.filter(pk=pk).update(**{k: Ciphertext(v) for k, v in values.items()})


def test_an_altered_ciphertext_is_refused(cast: dict[str, Any]) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern="TAMPER-1 the concern")
    sealed = _stored(Enquiry, enquiry.pk, "concern")
    flipped = sealed[:-3] + ("A" if sealed[-3] != "A" else "B") + sealed[-2:]
    _put(Enquiry, enquiry.pk, concern=flipped)
    with pytest.raises(DecryptionRefused):
        _ = Enquiry.objects.get(pk=enquiry.pk).concern


def test_plain_text_written_behind_the_hubs_back_is_refused(cast: dict[str, Any]) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern="TAMPER-2 the concern")
    _put(Enquiry, enquiry.pk, concern="Nothing to worry about")
    with pytest.raises(DecryptionRefused):
        _ = Enquiry.objects.get(pk=enquiry.pk).concern


def test_a_ciphertext_swapped_between_enquiries_is_refused(cast: dict[str, Any]) -> None:
    first = open_enquiry(cast["hub_practitioner"], concern="TAMPER-3 first")
    second = open_enquiry(cast["hub_practitioner"], concern="TAMPER-3 second")
    one, two = _stored(Enquiry, first.pk, "concern"), _stored(Enquiry, second.pk, "concern")
    _put(Enquiry, first.pk, concern=two)
    _put(Enquiry, second.pk, concern=one)
    for pk in (first.pk, second.pk):
        with pytest.raises(DecryptionRefused):
            _ = Enquiry.objects.get(pk=pk).concern


def test_a_ciphertext_moved_to_another_column_is_refused(cast: dict[str, Any]) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern="TAMPER-4 the concern")
    _put(Enquiry, enquiry.pk, rag_rationale=_stored(Enquiry, enquiry.pk, "concern"))
    with pytest.raises(DecryptionRefused):
        _ = Enquiry.objects.get(pk=enquiry.pk).rag_rationale


def test_a_ciphertext_swapped_between_rows_of_one_enquiry_is_refused(
    cast: dict[str, Any],
) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern="TAMPER-5")
    child, parent = Person.objects.filter(enquiry=enquiry).order_by("kind")
    _put(Person, child.pk, address=_stored(Person, parent.pk, "address"))
    with pytest.raises(DecryptionRefused):
        _ = Person.objects.get(pk=child.pk).address
    assert Person.objects.get(pk=parent.pk).address == parent.address


def test_an_altered_wrapped_data_key_is_refused(cast: dict[str, Any]) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern="TAMPER-6 the concern")
    row = DataKey.objects.get(enquiry_id=enquiry.pk)
    wrapped = bytearray(bytes(row.wrapped_key))
    wrapped[-1] ^= 1
    DataKey.objects.filter(pk=row.pk).update(wrapped_key=bytes(wrapped))
    cache.clear_cache()
    with pytest.raises(DecryptionRefused):
        _ = Enquiry.objects.get(pk=enquiry.pk).concern


def test_a_data_key_moved_to_another_enquiry_does_not_unwrap(cast: dict[str, Any]) -> None:
    first = open_enquiry(cast["hub_practitioner"], concern="TAMPER-7 first")
    second = open_enquiry(cast["hub_practitioner"], concern="TAMPER-7 second")
    one = DataKey.objects.get(enquiry_id=first.pk)
    DataKey.objects.filter(enquiry_id=second.pk).update(wrapped_key=bytes(one.wrapped_key))
    cache.clear_cache()
    with pytest.raises(DecryptionRefused):
        _ = Enquiry.objects.get(pk=second.pk).concern
