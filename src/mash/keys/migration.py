"""Helpers for the data migrations that encrypt existing plain text in place (and,
reversed, decrypt it again). Idempotent: sealed values are left as they are."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .crypto import PREFIX, associated_data, open_sealed, seal, sealed_enquiry
from .fields import Ciphertext
from .services import data_key, data_key_for_writing

BATCH = 500


def _rows(model: Any, fields: Iterable[str], enquiry_lookup: str) -> Iterable[tuple[Any, ...]]:
    from django.db.models import F
    from django.db.models.functions import Coalesce

    if enquiry_lookup.endswith("|pk"):
        # "enquiry_id|pk": the row's enquiry, or the row's own id where it has none (a
        # hold on a whole hub is sealed under a data key of its own).
        lookup = Coalesce(F(enquiry_lookup.removesuffix("|pk")), F("pk"))
        query = model.objects.order_by("pk").annotate(_sealing_key=lookup)
        return query.values_list("pk", "_sealing_key", *fields).iterator(BATCH)
    return model.objects.order_by("pk").values_list("pk", enquiry_lookup, *fields).iterator(BATCH)


def _convert(
    apps: Any,
    label: str,
    fields: list[str],
    enquiry_lookup: str,
    change: Callable[[Any, str, Any, Any, str], str | None],
) -> None:
    model = apps.get_model(label)
    columns = {name: model._meta.get_field(name).column for name in fields}
    table = model._meta.db_table
    for pk, enquiry_id, *values in list(_rows(model, fields, enquiry_lookup)):
        updates = {}
        for name, value in zip(fields, values, strict=True):
            if not value:
                continue
            new = change(table, columns[name], pk, enquiry_id, str(value))
            if new is not None:
                updates[name] = Ciphertext(new)
        if updates:
            model.objects.filter(pk=pk).update(**updates)


def _seal(table: str, column: str, pk: Any, enquiry_id: Any, value: str) -> str | None:
    if value.startswith(PREFIX):
        return None
    key = data_key_for_writing(enquiry_id)
    return seal(key, enquiry_id, value, associated_data(table, column, pk, enquiry_id))


def _open(table: str, column: str, pk: Any, enquiry_id: Any, value: str) -> str | None:
    if not value.startswith(PREFIX):
        return None
    sealed_for = sealed_enquiry(value)
    return open_sealed(data_key(sealed_for), value, associated_data(table, column, pk, sealed_for))


def encrypt_fields(label: str, fields: list[str], enquiry_lookup: str) -> Any:
    """A ``RunPython`` pair that encrypts ``fields`` of model ``label`` in place, each
    row under the data key named by ``enquiry_lookup`` (``"enquiry_id|pk"``: the row's
    enquiry, or the row's own id where that is empty)."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        _convert(apps, label, fields, enquiry_lookup, _seal)

    def backwards(apps: Any, schema_editor: Any) -> None:
        _convert(apps, label, fields, enquiry_lookup, _open)

    return migrations.RunPython(forwards, backwards, elidable=False)
