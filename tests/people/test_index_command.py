"""``mash people index`` links people recorded before the index, in batches, and is
safe to run again."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from mash.people.models import BlockingKey, PersonLink
from mash.records.models import RecordEntry

from .conftest import child, enquiry_about

pytestmark = pytest.mark.django_db


def test_it_indexes_people_recorded_before_the_index_and_is_idempotent(cast: Any) -> None:
    hana = cast["hub_practitioner"]
    enquiry_about(hana, child("Olivia", "Hughes"), days_ago=60)
    enquiry_about(hana, child("Olivia", "Hughes"))
    # As if recorded before the index existed.
    BlockingKey.objects.all().delete()
    PersonLink.objects.all().delete()
    out, err = StringIO(), StringIO()
    call_command("people", "index", "--batch", "1", stdout=out, stderr=err)
    assert "2 people indexed" in out.getvalue()
    assert "2/2 people" in err.getvalue()
    links = list(PersonLink.objects.order_by("linked_at"))
    assert [link.how for link in links] == ["new", "automatic"]
    assert links[0].indexed_person_id == links[1].indexed_person_id
    entries = RecordEntry.objects.filter(action="people.indexed").count()
    out = StringIO()
    call_command("people", "index", stdout=out, stderr=StringIO())
    assert "0 people indexed" in out.getvalue()
    assert PersonLink.objects.count() == 2
    assert RecordEntry.objects.filter(action="people.indexed").count() == entries


def test_it_refuses_a_batch_size_out_of_range(cast: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--batch"):
        call_command("people", "index", "--batch", "0", stdout=StringIO(), stderr=StringIO())


def test_batches_walk_people_recorded_at_the_same_moment_once_each(cast: Any) -> None:
    """A household recorded in one go shares one ``created_at`` (the generator writes
    them so): the walk from batch to batch goes by (created_at, id), so a batch ending
    among them neither skips nor repeats anyone, and each batch asks for its people by
    a range, not by sorting everyone not yet indexed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mash.enquiries.models import Person

    hana = cast["hub_practitioner"]
    enquiry_about(hana, child("Olivia", "Hughes"), child("Amir", "Khan"), child("Zoe", "Lee"))
    enquiry_about(hana, child("Noah", "Price"), child("Ella", "Shaw"), days_ago=30)
    moment = Person.objects.order_by("created_at").first().created_at  # type: ignore[union-attr]
    Person.objects.update(created_at=moment)
    BlockingKey.objects.all().delete()
    PersonLink.objects.all().delete()
    out = StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("people", "index", "--batch", "2", stdout=out, stderr=StringIO())
    assert "5 people indexed" in out.getvalue()
    assert PersonLink.objects.count() == 5
    assert sorted(PersonLink.objects.values_list("person_id", flat=True)) == sorted(
        Person.objects.values_list("id", flat=True)
    )
    walks = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "enquiries_person"."created_at" AS "created_at"')
    ]
    assert len(walks) == 4  # the first batch, two more, and the last one empty
    assert all("people_personlink" not in sql for sql in walks)
    assert all('"enquiries_person"."created_at" >=' in sql for sql in walks[1:])
    # The only query joining people to the index to find those not in it is the count.
    anti = [
        q["sql"] for q in queries.captured_queries if '"people_personlink"."id" IS NULL' in q["sql"]
    ]
    assert len(anti) == 1 and anti[0].startswith("SELECT COUNT(*)")


def test_the_index_tables_are_analysed_as_they_grow(cast: Any, monkeypatch: Any) -> None:
    """On PostgreSQL the planner's statistics are refreshed whenever the index has grown
    by half since they were last taken (and at the end), so a bulk load is never planned
    for the empty index it began with. (Counted here through the command's own helper,
    as if on PostgreSQL: the threshold is the point, on any database.)"""
    from mash.people.management.commands import people as command

    hana = cast["hub_practitioner"]
    for day in range(8):
        enquiry_about(hana, child("Olivia", f"Hughes{'x' * day}"), days_ago=100 - day)
    BlockingKey.objects.all().delete()
    PersonLink.objects.all().delete()
    taken: list[int] = []

    def analyse() -> int:
        taken.append(PersonLink.objects.count())
        return taken[-1]

    monkeypatch.setattr(command, "_analyse", analyse)
    monkeypatch.setattr(command, "_ANALYSE_AFTER", 2)
    call_command("people", "index", "--batch", "1", stdout=StringIO(), stderr=StringIO())
    # At the start (0), after 2 (at least 2, however small), after 2 more (half of 2 is
    # 1: the floor of 2 holds), after 2 more (half of 4), then after 3 (half of 6) would
    # be 9: not reached, so at the end.
    assert taken == [0, 2, 4, 6, 8]


def test_it_leaves_the_cycle_collector_as_it_found_it(
    cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While indexing, the collector runs less often, with a full collection (then what
    is alive frozen) every ``_COLLECT_EVERY`` batches; afterwards, as it was, nothing
    left frozen (a frozen object is never collected)."""
    import gc

    from mash.people.management.commands import people as command

    hana = cast["hub_practitioner"]
    for n in range(3):
        enquiry_about(hana, child("Olivia", f"Hughes{n}"))
    BlockingKey.objects.all().delete()
    PersonLink.objects.all().delete()
    monkeypatch.setattr(command, "_COLLECT_EVERY", 2)
    seen: list[tuple[int, int, int]] = []
    frozen: list[int] = []
    real = command.services.index_people

    def index_people(**kwargs: Any) -> int:
        seen.append(gc.get_threshold())
        frozen.append(gc.get_freeze_count())
        return real(**kwargs)

    monkeypatch.setattr(command.services, "index_people", index_people)
    before = gc.get_threshold()
    call_command("people", "index", "--batch", "1", stdout=StringIO(), stderr=StringIO())
    assert PersonLink.objects.count() == 3
    assert seen == [command._COLLECT_AFTER] * 3
    assert frozen[0] == 0 and frozen[2] > 0  # frozen after the second batch
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
