"""The dashboard's stored figures (``mash.reports.days``, ``services.count_figures``):
the worker's count of the settled days gives the page exactly what counting every day
live gives, wherever the stored days end; a recount replaces the count whole; the
worker claims the count once a night; ``mash reports count-figures`` runs it by hand."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from mash.reports import dashboard, guidance
from mash.reports.dashboard import Scope
from mash.reports.days import SETTLED_DAYS, Figures
from mash.reports.models import DayFigures, FiguresCounted
from mash.reports.services import count_figures

from . import builders as b
from .builders import at
from .test_dashboard_queries import grow
from .world import END, START, make

pytestmark = pytest.mark.django_db


def _now(through: dt.date) -> dt.datetime:
    """The count's clock that stores every day up to ``through``."""
    day = through + dt.timedelta(days=SETTLED_DAYS)
    return dt.datetime.combine(day, dt.time(2, 30), tzinfo=timezone.get_current_timezone())


def _tables(scope: Scope) -> list[Any]:
    """Every table of the dashboard and of the guidance page."""
    tables = [*dashboard.dashboard(scope), *guidance.guidance(scope)]
    return [(t.key, [r.cells for r in t.rows]) for t in tables]


@pytest.fixture
def world(cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    made = make(cast, agencies)
    grow(cast, agencies, 12)
    return made


@pytest.mark.parametrize("through", [dt.date(2026, 1, 4), dt.date(2026, 1, 12), END])
@pytest.mark.parametrize("agency", [None, "police"])
def test_stored_days_give_what_counting_every_day_live_gives(
    world: Any, agencies: Any, through: dt.date, agency: str | None
) -> None:
    now = _now(through)
    scope = Scope(
        hub=agencies["hub"],
        start=START,
        end=END,
        agency=agencies[agency] if agency else None,
        now=now,
    )
    live = _tables(scope)
    assert FiguresCounted.objects.count() == 0
    counted = count_figures(now)
    assert [c.through for c in counted] == [through]
    assert DayFigures.objects.filter(day__gt=through).count() == 0
    assert (Figures(scope).counted is not None) == (through >= START)
    assert _tables(scope) == live
    # The figures really came from the stored rows: the tables change with them.
    for part in ("contacts", "decisions", "items"):
        DayFigures.objects.filter(part=part).delete()
    changed = [t[0] for t, was in zip(_tables(scope), live, strict=True) if t != was]
    if through >= START:
        assert {"contacts-per-week", "decisions-by-basis", "items-by-kind"} <= set(changed)


def test_a_change_to_a_stored_day_shows_after_the_next_count(
    world: Any, cast: Any, agencies: Any
) -> None:
    now = _now(END)
    scope = Scope(hub=agencies["hub"], start=START, end=END, now=now)
    count_figures(now)
    before = dict(r.cells[:2] for r in dashboard.rag_mix(scope).rows)["Red"]
    b.contact(cast["hub_practitioner"], received=at(14), rag="red")
    assert dict(r.cells[:2] for r in dashboard.rag_mix(scope).rows)["Red"] == before
    count_figures(now)
    assert dict(r.cells[:2] for r in dashboard.rag_mix(scope).rows)["Red"] == before + 1
    assert FiguresCounted.objects.get().counted_at == now


def test_nothing_stored_for_a_period_after_the_stored_days(world: Any, agencies: Any) -> None:
    count_figures(_now(dt.date(2025, 12, 1)))
    scope = Scope(hub=agencies["hub"], start=START, end=END)
    assert Figures(scope).counted is None


def test_the_worker_claims_the_count_once_a_night(agencies: Any, settings: Any) -> None:
    from mash.timeliness.scheduler import enqueue_due

    settings.REPORT_FIGURES_AT = "02:30"
    zone = timezone.get_current_timezone()
    early = dt.datetime(2026, 3, 2, 2, 0, tzinfo=zone)
    assert not [s for s in enqueue_due(early) if s.startswith("figures:")]
    late = dt.datetime(2026, 3, 2, 2, 45, tzinfo=zone)
    assert [s for s in enqueue_due(late) if s.startswith("figures:")] == ["figures:2026-03-02"]
    assert not [s for s in enqueue_due(late) if s.startswith("figures:")]


def test_the_count_figures_command(world: Any, agencies: Any) -> None:
    out = StringIO()
    call_command("reports", "count-figures", stdout=out)
    text = out.getvalue()
    through = timezone.localdate() - dt.timedelta(days=SETTLED_DAYS)
    assert f"{agencies['hub'].code}: figures counted through {through:%Y-%m-%d}" in text
    assert FiguresCounted.objects.get().through == through
    assert DayFigures.objects.filter(part="threshold").exists()


def test_the_page_says_when_the_stored_figures_were_counted_and_costs_the_same_queries(
    client_for: Any, cast: Any, agencies: Any
) -> None:
    from django.urls import reverse

    from .test_dashboard_queries import count
    from .world import QUERY

    client = client_for("hub_manager")
    url = reverse("reports:dashboard")
    grow(cast, agencies, 3)
    count_figures(_now(dt.date(2026, 1, 15)))
    page = client.get(url, QUERY).content.decode()
    assert 'id="figures-counted"' in page
    assert "Figures for the days up to 15 January 2026 were counted at 02:30" in page
    few = count(client, url)
    grow(cast, agencies, 27)
    count_figures(_now(dt.date(2026, 1, 15)))
    assert count(client, url) == few
    # Before any count, the page says nothing of stored figures.
    FiguresCounted.objects.all().delete()
    assert 'id="figures-counted"' not in client.get(url, QUERY).content.decode()


@pytest.mark.parametrize("name", ["REPORT_FIGURES_AT", "RETENTION_SWEEP_AT"])
def test_a_daily_time_that_is_not_one_stops_the_hub_naming_the_setting(name: str) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, name: "25:00", "DJANGO_SETTINGS_MODULE": "mash.settings"}
    run = subprocess.run(  # nosec B603: our own interpreter and module
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0
    assert f"{name} must be a time of day" in run.stderr and "'25:00'" in run.stderr


def test_a_count_switches_generation_whole_and_one_that_died_leaves_no_trace(
    world: Any, agencies: Any
) -> None:
    now = _now(END)
    scope = Scope(hub=agencies["hub"], start=START, end=END, now=now)
    live = _tables(scope)
    count_figures(now)
    first = FiguresCounted.objects.get().generation
    # A count killed half-way: rows of the next generation, never switched to.
    DayFigures.objects.bulk_create(
        DayFigures(
            hub=agencies["hub"],
            generation=first + 1,
            part="contacts",
            day=START,
            figures={"n": 999},
        )
        for _ in range(1)
    )
    assert _tables(scope) == live  # the page reads only the generation counted
    count_figures(now)
    counted = FiguresCounted.objects.get()
    assert counted.generation == first + 1
    assert set(DayFigures.objects.values_list("generation", flat=True)) == {first + 1}
    assert not DayFigures.objects.filter(figures__n=999).exists()
    assert _tables(scope) == live
