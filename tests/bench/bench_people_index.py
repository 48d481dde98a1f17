"""The person index at scale (issue 14, "Scale and speed"): how fast ``mash people
index`` links a generated hub's people, and how long a search and the "already known"
panel take, each beside a raw indexed SQL look-up of one blocking key in the same run.

Targets: indexing at a rate that would index a million people in under an hour
(>= 278 people a second); search p95 < 50 ms; the panel p95 < 100 ms.

``BENCH_PEOPLE_ENQUIRIES`` (default 20000; ``--quick`` 100) enquiries from ``mash
generate``'s generator, on SQLite in a throwaway data directory, or with
``DATABASE_URL`` set, a throwaway test database on that server.

``BENCH_EXISTING=1`` measures the database ``DATABASE_URL`` names as it is
instead (the ten-year set, made once with ``mash generate``, which takes longer than a
benchmark should spend making it): nothing generated, nothing dropped; its people are
indexed (those not yet indexed), so run it on a copy made for measuring, never a hub's.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from io import StringIO
from typing import Any

COUNT = int(os.environ.get("BENCH_PEOPLE_ENQUIRIES", "20000"))
SAMPLES = int(os.environ.get("BENCH_PEOPLE_SAMPLES", "200"))
_PREFIX = "mash-bench-people-"
EXISTING = os.environ.get("BENCH_EXISTING") == "1"


def _setup() -> Any:
    if EXISTING:
        if not os.environ.get("DATABASE_URL"):
            raise SystemExit("BENCH_EXISTING=1 needs DATABASE_URL")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mash.settings")
        import django

        django.setup()
        return None
    if not os.environ.get("DATABASE_URL"):
        os.environ["MASH_DATA_DIR"] = tempfile.mkdtemp(prefix=_PREFIX)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mash.settings")
    import django

    django.setup()
    if os.environ.get("DATABASE_URL"):
        from django.test.utils import setup_databases

        return setup_databases(verbosity=0, interactive=False, aliases={"default"})
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return None


def _teardown(old: Any) -> None:
    if EXISTING:
        return
    data_dir = os.environ.get("MASH_DATA_DIR", "")
    if old is None and _PREFIX in data_dir:
        from django.db import connection

        connection.close()
        shutil.rmtree(data_dir, ignore_errors=True)
    if old is not None:
        from django.test.utils import teardown_databases

        from mash.records.triggers import let_test_flush_empty_the_record

        let_test_flush_empty_the_record()
        teardown_databases(old, verbosity=0)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _latency(label: str, work: Any, items: list[Any]) -> float:
    times = []
    for item in items:
        t0 = time.perf_counter()
        work(item)
        times.append((time.perf_counter() - t0) * 1000)
    p95 = _p(times, 0.95)
    print(
        f"{label:>22}: p50 {statistics.median(times):6.2f} ms  p95 {p95:6.2f} ms"
        f"  ({len(times)} samples)",
        flush=True,
    )
    return p95


def run() -> bool | None:
    old = _setup()
    try:
        from django.core.management import call_command
        from django.db import connection

        from mash.enquiries.models import Enquiry, Person
        from mash.operations.dataset import generate
        from mash.people import keys as blocking
        from mash.people import search as finding
        from mash.people import selectors
        from mash.people.models import MatchSuggestion, PersonLink

        if EXISTING:
            print(f"people index: {Enquiry.objects.count():,} enquiries as found", flush=True)
            people = Person.objects.filter(index_link__isnull=True).count()
        else:
            print(f"people index: generating {COUNT:,} enquiries ...", flush=True)
            generate(enquiries=COUNT, seed=14)
            people = Person.objects.count()
        t0, cpu0 = time.perf_counter(), time.process_time()
        call_command("people", "index", stdout=StringIO(), stderr=StringIO())
        took, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        rate = people / took
        linked = PersonLink.objects.exclude(how="new").count()
        print(
            f"{'index':>22}: {people:,} people in {took:.1f} s: {rate:,.0f} a second "
            f"(a million in {1_000_000 / rate / 60:.0f} min); {linked:,} linked to someone "
            f"earlier, {MatchSuggestion.objects.count():,} suggestions; {cpu:.1f} s of CPU in "
            f"this process (on a shared machine, wall time is the worse measure)"
        )
        sample = list(
            Person.objects.filter(kind="child").order_by("?")[:SAMPLES].select_related("enquiry")
        )
        hub_id = sample[0].enquiry.hub_id
        texts = [f"{p.first_name} {p.last_name}" for p in sample]

        def search(text: str) -> None:
            found = finding.people(finding.parse_terms(text), hub_id=hub_id)
            found.count()
            list(found[:25])

        def raw(person: Any) -> None:
            key = f"f:{next(iter(blocking.family_codes([person.last_name])))}"
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT indexed_person_id FROM people_blockingkey WHERE key = %s LIMIT 25",
                    [key],
                )
                cursor.fetchall()

        enquiries = list(Enquiry.objects.filter(pk__in=[p.enquiry_id for p in sample]))
        raw_p95 = _latency("raw indexed SQL", raw, sample)
        search_p95 = _latency("search (one page)", search, texts)
        panel_p95 = _latency("already known panel", selectors.already_known, enquiries)
        met = rate * 3600 >= 1_000_000 and search_p95 < 50 and panel_p95 < 100
        print(
            f"search / raw: {search_p95 / raw_p95:.1f}x; targets (rate >= 278/s, search p95 "
            f"< 50 ms, panel p95 < 100 ms): {'met' if met else 'MISSED'}"
        )
        # The targets are the issue's, for the ten-year data set (a million people in an
        # hour, search and panel p95 at that size): reported at every size, enforced only
        # at the full size (BENCH_PEOPLE_ENFORCE=1), not at the quick size CI runs to keep
        # the benchmark from rotting. They are missed today: see tests/bench/README.md.
        if os.environ.get("BENCH_PEOPLE_ENFORCE") == "1":
            return met
        return None
    finally:
        _teardown(old)
