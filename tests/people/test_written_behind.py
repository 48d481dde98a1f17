"""``mash people index`` on PostgreSQL writes each batch on a connection of its own while
the next is matched (``services.WrittenBehind``): the index it makes is the one indexing
each person in turn makes, each batch counting the links of the batch before it, still
being written, from memory. And the candidates' records are read by one statement of
index probes (``_records_of``), the same rows as the ORM's query."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from mash.enquiries.models import Person
from mash.people import services
from mash.people.models import PersonLink
from mash.records.models import RecordEntry
from mash.records.verify import walk_database

from .test_index_batch import _forget_the_index, _people, _snapshot, generated_with_repeats


def _cast_of_repeats(cast: Any) -> None:
    generated_with_repeats(cast, enquiries=40, repeats=(300, 250, 200, 150, 100))


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: the command writes behind only there (SQLite one batch after "
    "another, which test_index_batch covers)",
)
@pytest.mark.django_db(transaction=True)
def test_writing_behind_gives_the_index_one_at_a_time_gives(cast: Any) -> None:
    _cast_of_repeats(cast)
    _forget_the_index()
    people = _people()
    for person in people:
        services.index_people(people=[person])
    one_at_a_time = _snapshot()
    automatic = [p for p, how, _, _ in one_at_a_time["links"] if how == "automatic"]
    assert len(automatic) >= 8
    assert one_at_a_time["suggestions"]
    assert one_at_a_time["relationships"]

    for size in ("1", "4", "7"):
        _forget_the_index()
        entries = RecordEntry.objects.count()
        out = StringIO()
        call_command("people", "index", "--batch", size, stdout=out, stderr=StringIO())
        assert f"{len(people)} people indexed" in out.getvalue()
        assert _snapshot() == one_at_a_time, f"batches of {size}"
        # Each person's record entry, written with their batch, the chain unbroken.
        assert RecordEntry.objects.count() == entries + len(people)
        assert walk_database().broken is None
    assert connection.in_atomic_block is False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_a_batch_that_fails_to_be_written_stops_the_run_and_nothing_after_it_is_written(
    cast: Any, monkeypatch: Any
) -> None:
    _cast_of_repeats(cast)
    _forget_the_index()
    people = _people()
    written = []
    real = services.write_batch

    def fails_on_the_second(planned: Any, actor: Any = None) -> None:
        if written:
            raise RuntimeError("the database went away")
        written.append(len(planned.links))
        real(planned, actor)

    monkeypatch.setattr(services, "write_batch", fails_on_the_second)
    with pytest.raises(RuntimeError, match="went away"):
        call_command("people", "index", "--batch", "5", stdout=StringIO(), stderr=StringIO())
    # The first batch whole; the failed one and the one matched meanwhile, nothing.
    assert written == [5]
    assert PersonLink.objects.count() == 5
    monkeypatch.setattr(services, "write_batch", real)
    call_command("people", "index", stdout=StringIO(), stderr=StringIO())
    assert PersonLink.objects.count() == len(people)


@pytest.mark.django_db
def test_candidates_records_are_the_rows_the_orm_reads(cast: Any) -> None:
    _cast_of_repeats(cast)
    services.index_people(people=Person.objects.select_related("enquiry"))
    ip_ids = sorted(set(PersonLink.objects.values_list("indexed_person_id", flat=True)), key=str)
    assert len(ip_ids) > 50
    orm = list(
        PersonLink.objects.filter(indexed_person_id__in=ip_ids)
        .annotate(estimated_on=services._ESTIMATED_ON)
        .order_by("indexed_person_id", "-linked_at", "pk")
        .values_list(*services._RECORD)
    )
    read = [(ip_id, row[1:]) for ip_id, rows in services._records_of(ip_ids) for row in rows]
    assert read == [(row[0], row[1:]) for row in orm]
    # Times as Django gives them: aware, the same instants.
    assert all(row[-1].utcoffset() == dt.timedelta(0) for _ip, row in read)
    # Estimated ages (the enquiry's date looked up) and several records an indexed person.
    assert any(row[8] is not None for row in orm)
    assert len({row[0] for row in orm}) < len(orm)
