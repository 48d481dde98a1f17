"""``EncryptedTextField``: a text column that holds only ciphertext.

Writing: ``pre_save`` (called by ``Model.save`` and ``bulk_create`` with the instance)
seals the value under the data key of the row's enquiry, found through the dotted path
given as ``enquiry=`` (``"pk"`` on the enquiry itself, ``"enquiry_id"`` on a person,
``"request.enquiry_id"`` on a decision...), with associated data naming the table,
column, row and enquiry. Anything that would bypass ``pre_save`` with plain text
(``QuerySet.update``, ``bulk_update``, filtering on the column) is refused with
``EncryptedFieldMisuse`` instead of writing or comparing plain text.

Reading: the database gives back a ``Ciphertext``; the model attribute decrypts it on
first access (the sealed value names its enquiry, so no query finds the key) and keeps
the plain text on the instance. A value whose data key was destroyed reads as
``DESTROYED_TEXT`` (a ``Destroyed`` string), never an error; a value that was altered
or moved from another row raises ``DecryptionRefused``.

Empty values are stored empty (nothing to hide, and ``blank`` checks keep working).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from .crypto import PREFIX, DecryptionRefused, associated_data, open_sealed, seal

DESTROYED_TEXT = "[Destroyed under retention: this information can no longer be read]"
_PLAIN = "_mash_keys_plain"  # instance.__dict__ key: {attname: (pk, ciphertext, plain)}


class EncryptedFieldMisuse(TypeError):
    """Plain text was about to reach an encrypted column (or be compared with one)."""


class Ciphertext(str):
    """A sealed value, as stored."""


class Destroyed(str):
    """What a field reads as once its enquiry's data key was destroyed. Keeps the
    ciphertext so saving the row again leaves it as it was."""

    ciphertext: str

    def __new__(cls, ciphertext: str) -> Destroyed:
        value = super().__new__(cls, DESTROYED_TEXT)
        value.ciphertext = ciphertext
        return value


_HEX_START, _HEX_END = len(PREFIX), len(PREFIX) + 32


_services_module: Any = None


def _services() -> Any:
    """``mash.keys.services``, imported on first use (it imports the models)."""
    global _services_module
    if _services_module is None:
        from . import services

        _services_module = services
    return _services_module


def resolve_enquiry_id(instance: models.Model, path: str) -> Any:
    value: Any = instance
    for part in path.split("."):
        value = getattr(value, part)
        if value is None:
            return None
    return value


class _Row:
    """A row read as values: all ``EncryptedTextField.open`` asks of its instance is
    its primary key (bound into each value's associated data)."""

    __slots__ = ("pk",)

    def __init__(self, pk: Any) -> None:
        self.pk = pk


class EncryptedAttribute(DeferredAttribute):
    """Decrypts on first access; a data descriptor so it sees values already loaded."""

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        attname = self.field.attname
        value = super().__get__(instance, cls)
        if isinstance(value, Ciphertext):
            field: EncryptedTextField = self.field  # type: ignore[assignment]
            text = field.open(instance, value)
            if text is None:
                plain = field.destroyed_value(value)
            else:
                plain = field.decode(text)
                instance.__dict__.setdefault(_PLAIN, {})[attname] = (instance.pk, value, text)
            instance.__dict__[attname] = plain
            return plain
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    descriptor_class = EncryptedAttribute

    def __init__(self, *args: Any, enquiry: str = "enquiry_id", **kwargs: Any) -> None:
        self.enquiry_path = enquiry
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["enquiry"] = self.enquiry_path
        return name, path, args, kwargs

    # Reading ----------------------------------------------------------------------

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        _services().note_sealed(value[_HEX_START:_HEX_END])
        return Ciphertext(value)

    def associated_data(self, instance: models.Model, enquiry_id: Any) -> bytes:
        return associated_data(self.model._meta.db_table, self.column, instance.pk, enquiry_id)

    def open(self, instance: models.Model, value: Ciphertext) -> str | None:
        """The plain text, or None when the enquiry's data key was destroyed."""
        services = _services()
        if not value.startswith(PREFIX):
            raise DecryptionRefused("the stored value is not encrypted text")
        enquiry_hex = value[_HEX_START:_HEX_END]
        try:
            key = services.data_key(enquiry_hex)
        except services.KeyDestroyed:
            return None
        ad = associated_data(self.model._meta.db_table, self.column, instance.pk, enquiry_hex)
        return open_sealed(key, value, ad)

    def read(self, pk: Any, value: Any) -> Any:
        """A value of this field read without its model (``values_list``), for code that
        reads many rows and needs no model for each: opened as the attribute opens it,
        the plain value or, once the enquiry's key is destroyed, ``destroyed_value``."""
        if not isinstance(value, Ciphertext):
            return value
        text = self.open(_Row(pk), value)  # type: ignore[arg-type]
        return self.destroyed_value(value) if text is None else self.decode(text)

    def decode(self, text: str) -> Any:
        return text

    def encode(self, value: Any) -> str:
        return str(value)

    def destroyed_value(self, ciphertext: Ciphertext) -> Any:
        return Destroyed(ciphertext)

    # Writing ----------------------------------------------------------------------

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None or (value == "" and not isinstance(value, Ciphertext)):
            return value
        if isinstance(value, Ciphertext):
            return value  # never read, so unchanged: keep the stored ciphertext
        kept = getattr(value, "ciphertext", None)
        if isinstance(kept, str):  # destroyed under retention: leave it as it was
            return Ciphertext(kept)
        text = self.encode(value)
        opened = model_instance.__dict__.get(_PLAIN, {}).get(self.attname)
        if opened is not None and opened[0] == model_instance.pk and opened[2] == text:
            return opened[1]  # read but not changed
        return self.seal(model_instance, text)

    def seal(self, instance: models.Model, plain: str) -> Ciphertext:
        data_key_for_writing = _services().data_key_for_writing
        enquiry_id = resolve_enquiry_id(instance, self.enquiry_path)
        if enquiry_id is None or instance.pk is None:
            raise EncryptedFieldMisuse(
                f"{self.model.__name__}.{self.name} needs its row id and enquiry to encrypt"
            )
        key = data_key_for_writing(enquiry_id)
        enquiry = key_enquiry(enquiry_id)
        return Ciphertext(seal(key, enquiry, plain, self.associated_data(instance, enquiry)))

    _LOOKUPS = frozenset({"exact", "isnull", "in"})

    def get_lookup(self, lookup_name: str) -> Any:
        """Only ``exact`` (on ciphertext or ""), ``in`` and ``isnull``: anything else
        (``icontains``, ``startswith``...) would compare ciphertext, so Django refuses it
        with a ``FieldError`` naming the lookup."""
        if lookup_name not in self._LOOKUPS:
            return None
        return super().get_lookup(lookup_name)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or isinstance(value, Ciphertext):
            return value
        raise EncryptedFieldMisuse(
            f"{self.model.__name__}.{self.name} is encrypted: it cannot be searched, and is "
            "written only through Model.save() (not QuerySet.update or bulk_update)"
        )


def key_enquiry(value: Any) -> Any:
    import uuid

    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


class DestroyedDict(dict):
    """A JSON object field's value once its enquiry's data key was destroyed."""

    def __init__(self, ciphertext: str) -> None:
        super().__init__()
        self.ciphertext = ciphertext


class DestroyedList(list):
    """A JSON list field's value once its enquiry's data key was destroyed."""

    def __init__(self, ciphertext: str) -> None:
        super().__init__()
        self.ciphertext = ciphertext


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (``json.dumps`` with Django's encoder), sealed as text like
    ``EncryptedTextField``. Reads as the decoded value; once destroyed, as an empty
    ``DestroyedDict`` (or ``DestroyedList`` when the default is ``list``). Keys inside
    it cannot be queried."""

    empty_strings_allowed = False
    # What django-stubs reads for the attribute's type (as on Django's JSONField).
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def decode(self, text: str) -> Any:
        return json.loads(text)

    def encode(self, value: Any) -> str:
        return json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True)

    def destroyed_value(self, ciphertext: Ciphertext) -> Any:
        return DestroyedList(ciphertext) if self.default is list else DestroyedDict(ciphertext)

    def to_python(self, value: Any) -> Any:
        return value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None:
            return value
        return super().pre_save(model_instance, add)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, Ciphertext):
            return value
        raise EncryptedFieldMisuse(
            f"{self.model.__name__}.{self.name} is encrypted: it cannot be searched, and is "
            "written only through Model.save() (not QuerySet.update or bulk_update)"
        )

    def value_to_string(self, obj: models.Model) -> Any:
        return self.value_from_object(obj)

    def formfield(
        self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any
    ) -> Any:
        from django import forms

        return super(models.TextField, self).formfield(
            form_class=form_class or forms.JSONField,
            choices_form_class=choices_form_class,
            **{"encoder": DjangoJSONEncoder, **kwargs},
        )


__all__ = [
    "DESTROYED_TEXT",
    "Ciphertext",
    "DecryptionRefused",
    "Destroyed",
    "EncryptedFieldMisuse",
    "EncryptedJSONField",
    "EncryptedTextField",
]
