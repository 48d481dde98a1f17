"""The ``fg:`` blocking keys (a family name's code with a given name's) for the people
indexed before them: the block ``mash.people.keys.lookup_keys`` now looks up a person
recorded without a date of birth by. Names are not sealed, so this reads no data key.

It computes the keys with ``mash.people.keys.names_keys_of`` as this release has it,
from the same fields ``as_match_person`` gives the matcher (given, family and other
names), a few thousand links a query. Reversed, it removes them.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

_AT_ONCE = 2000


def add_names_keys(apps: Any, schema_editor: Any) -> None:
    from mash.people import keys as blocking
    from mash.people.matching import Person as Record

    PersonLink = apps.get_model("people", "PersonLink")
    BlockingKey = apps.get_model("people", "BlockingKey")
    rows = PersonLink.objects.order_by("pk").values_list(
        "pk", "indexed_person_id", "person__first_name", "person__last_name", "person__other_names"
    )
    made: list[Any] = []
    for link_id, indexed_person_id, first, last, other in rows.iterator(chunk_size=_AT_ONCE):
        record = Record(
            given_name=first,
            family_name=last,
            other_names=tuple(n.strip() for n in (other or "").split(",") if n.strip()),
        )
        made += [
            BlockingKey(link_id=link_id, indexed_person_id=indexed_person_id, key=key)
            for key in sorted(blocking.names_keys_of(record))
        ]
        if len(made) >= _AT_ONCE:
            BlockingKey.objects.bulk_create(made)
            made = []
    BlockingKey.objects.bulk_create(made)


def remove_names_keys(apps: Any, schema_editor: Any) -> None:
    apps.get_model("people", "BlockingKey").objects.filter(key__startswith="fg:").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_search_latest_and_trigrams"),
        ("enquiries", "0016_person_recorded_order"),
    ]

    operations = [migrations.RunPython(add_names_keys, remove_names_keys)]
