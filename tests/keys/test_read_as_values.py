"""A sealed field read as values (``values_list``), not as a model, opens as the model's
attribute would (``EncryptedTextField.read``): the plain text, the destroyed marker once
the key is gone, and a blank left blank; a value bound to another row does not open."""

from __future__ import annotations

from typing import Any

import pytest

from mash.enquiries.models import Person
from mash.keys.crypto import DecryptionRefused
from mash.keys.fields import Destroyed
from mash.keys.services import destroy_enquiry_key

from .helpers import open_enquiry

pytestmark = pytest.mark.django_db


def _rows(enquiry: Any) -> list[tuple[Any, Any]]:
    return list(Person.objects.filter(enquiry=enquiry, kind="child").values_list("pk", "address"))


def test_a_value_read_without_its_model_opens_as_the_attribute_does(cast: dict[str, Any]) -> None:
    enquiry = open_enquiry(
        cast["hub_practitioner"], concern="A concern", address="9 Elm Road, Hereford HR1 1AA"
    )
    field = Person._meta.get_field("address")
    [(pk, sealed)] = _rows(enquiry)
    assert "Elm Road" not in sealed  # stored sealed
    assert field.read(pk, sealed) == Person.objects.get(pk=pk).address
    assert field.read(pk, sealed) == "9 Elm Road, Hereford HR1 1AA"
    assert field.read(pk, "") == ""
    other = open_enquiry(cast["hub_practitioner"], concern="Another", address="1 Oak Way")
    [(other_pk, _)] = _rows(other)
    with pytest.raises(DecryptionRefused):
        field.read(other_pk, sealed)  # bound to its own row: not another's
    destroy_enquiry_key(enquiry_id=enquiry.pk, actor=cast["dpo"])
    [(pk, sealed)] = _rows(enquiry)
    opened = field.read(pk, sealed)
    assert isinstance(opened, Destroyed)
    assert opened == Person.objects.get(pk=pk).address
