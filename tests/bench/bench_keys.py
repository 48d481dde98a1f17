"""What encryption at rest costs: saving and reading an enquiry's narrative text sealed
(``EncryptedTextField``, a data key per enquiry) against the same text in plain
``TextField`` columns, as ratios measured in one run on a throwaway test database.

Two twin tables are made for the run: four narrative columns (the enquiry's concern,
reason consent was not obtained, RAG rationale, outcome rationale), about 1,200
characters of generated text per row (Faker, fixed seed), 50 enquiries x 4 rows.

- **first save**: ``Model.save()`` of every row in one transaction, no data keys yet:
  the first save of each enquiry creates its data key (a row), as in the hub;
- **save**: the same with the keys already made (every later save of an enquiry);
- **read (fresh request)**: one query for every row, then every narrative field read,
  with the cache of unwrapped keys cleared first, as at the start of a request (so it
  includes fetching and unwrapping the 50 data keys in one batched query).

Targets: sealed save <= 4 x plain; sealed read <= 25 x plain. They were set from
what this design costs, not what a plain column costs: the plain read baseline is four
strings handed over by an in-memory SQLite (about 2 µs a field), while each sealed
field pays base64, AES-GCM, the key lookup and the attribute hook in Python (about
15-40 µs a field on the shared development machine, unwrapping each enquiry's key once
per request included): 2-4 ms for a page showing a hundred narrative fields, which is
small beside rendering it. The first save has no target: it is paid once per enquiry
and is dominated by inserting the key's row. A run on the development machine (2 shared
cores, noisy): save 1.3-3.4 x, read 9-19 x.

``python -m tests.bench keys``; ``BENCH_KEYS_ENQUIRIES`` changes the size.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from typing import Any

ENQUIRIES = int(os.environ.get("BENCH_KEYS_ENQUIRIES", "50"))
ROWS_PER_ENQUIRY = 4
ROUNDS = 5
SAVE_TARGET = 4.0
READ_TARGET = 25.0
FIELDS = ["concern", "consent_not_obtained_reason", "rag_rationale", "outcome_rationale"]


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mash.settings")
    import django

    django.setup()


def _models() -> tuple[Any, Any]:
    from django.db import models

    from mash.keys.fields import EncryptedTextField

    def fields(kind: Callable[[], Any]) -> dict[str, Any]:
        return {name: kind() for name in FIELDS}

    common = {
        "__module__": __name__,
        "id": models.UUIDField(primary_key=True, default=uuid.uuid4),
        "enquiry_id": models.UUIDField(),
    }
    plain = type(
        "BenchPlainNarrative",
        (models.Model,),
        {
            **common,
            **fields(lambda: models.TextField(blank=True)),
            "Meta": type("Meta", (), {"app_label": "keys", "db_table": "bench_plain"}),
        },
    )
    sealed = type(
        "BenchSealedNarrative",
        (models.Model,),
        {
            **common,
            "id": models.UUIDField(primary_key=True, default=uuid.uuid4),
            "enquiry_id": models.UUIDField(),
            **fields(lambda: EncryptedTextField(enquiry="enquiry_id", blank=True)),
            "Meta": type("Meta", (), {"app_label": "keys", "db_table": "bench_sealed"}),
        },
    )
    return plain, sealed


def _texts() -> list[dict[str, str]]:
    from faker import Faker

    fake = Faker("en_GB")
    fake.seed_instance(20261125)
    return [
        {name: fake.text(max_nb_chars=300) for name in FIELDS}
        for _ in range(ENQUIRIES * ROWS_PER_ENQUIRY)
    ]


def _work() -> bool:
    from django.db import connection, transaction

    from mash.keys import cache
    from mash.keys.models import DataKey

    plain_model, sealed_model = _models()
    with connection.schema_editor() as editor:
        editor.create_model(plain_model)
        editor.create_model(sealed_model)
    texts = _texts()
    enquiry_ids = [uuid.uuid4() for _ in range(ENQUIRIES)]

    def save(model: Any, *, fresh_keys: bool) -> float:
        model.objects.all().delete()
        if fresh_keys:
            DataKey.objects.all().delete()
            cache.clear_cache()
        rows = [
            model(enquiry_id=enquiry_ids[n // ROWS_PER_ENQUIRY], **text)
            for n, text in enumerate(texts)
        ]
        started = time.perf_counter()
        with transaction.atomic():
            for row in rows:
                row.save(force_insert=True)
        return time.perf_counter() - started

    def read(model: Any) -> float:
        cache.clear_cache()
        started = time.perf_counter()
        total = 0
        for row in model.objects.all():
            for name in FIELDS:
                total += len(getattr(row, name))
        took = time.perf_counter() - started
        assert total > 0
        return took

    best: dict[str, float] = {}
    for _ in range(ROUNDS):  # interleaved, best round of each
        for name, model in (("plain", plain_model), ("sealed", sealed_model)):
            for label, took in (
                (f"first save {name}", save(model, fresh_keys=True)),
                (f"save {name}", save(model, fresh_keys=False)),
                (f"read {name}", read(model)),
            ):
                best[label] = min(best.get(label, 1e9), took)
    rows = len(texts)
    for label, seconds in best.items():
        print(
            f"{label:>12}: {rows / seconds:10,.0f} rows/s  ({seconds * 1e6 / rows:7.1f} µs a row)"
        )
    first = best["first save sealed"] / best["first save plain"]
    print(f"sealed / plain first save (creates each enquiry's data key): {first:.2f} (no target)")
    met = True
    for label, ratio, target in (
        ("save", best["save sealed"] / best["save plain"], SAVE_TARGET),
        ("read (fresh request)", best["read sealed"] / best["read plain"], READ_TARGET),
    ):
        ok = ratio <= target
        met = met and ok
        print(
            f"sealed / plain {label}: {ratio:.2f} (target <= {target}: {'met' if ok else 'MISSED'})"
        )
    return met


def run() -> bool:
    _django()
    from django.test.utils import setup_databases, teardown_databases

    old = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        return _work()
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    run()
