"""Rules kept "N years from the date of death": the arithmetic as tables, whose death
counts for an enquiry, and a sweep that destroys such a record only once the time from
the recorded death has passed (and never while no death is recorded)."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any

import pytest

from mash.enquiries import services as enquiries
from mash.enquiries.models import Person
from mash.retention import planning, services
from mash.retention.models import RetentionRule
from mash.retention.rules import Facts, Rule, destroy_from, expired, retention_ends
from tests.retention.dataset import TODAY, generate
from tests.retention.helpers import as_uuid, present_ids

D = date


@pytest.mark.parametrize(
    ("died", "amount", "unit", "ends", "first_day"),
    [
        (D(2020, 3, 14), 6, "years", D(2026, 3, 14), D(2026, 3, 15)),
        (D(2020, 2, 29), 3, "years", D(2023, 2, 28), D(2023, 3, 1)),  # no 29 Feb in 2023
        (D(2020, 2, 29), 4, "years", D(2024, 2, 29), D(2024, 3, 1)),
        (D(2023, 8, 31), 6, "months", D(2024, 2, 29), D(2024, 3, 1)),
        (D(2025, 12, 31), 0, "years", D(2025, 12, 31), D(2026, 1, 1)),
        (D(1990, 1, 1), 100, "years", D(2090, 1, 1), D(2090, 1, 2)),
    ],
)
def test_the_period_runs_from_the_date_of_death(
    died: date, amount: int, unit: str, ends: date, first_day: date
) -> None:
    rule = Rule(amount, unit, "death")  # type: ignore[arg-type]
    facts = Facts(created=D(1980, 1, 1), closed=D(1981, 1, 1), date_of_death=died)
    assert retention_ends(rule, facts) == ends
    assert destroy_from(rule, facts) == first_day
    assert not expired(rule, facts, ends)
    assert expired(rule, facts, first_day)


@pytest.mark.parametrize("today", [D(1990, 1, 1), D(2026, 11, 25), D(2999, 12, 31)])
def test_with_no_date_of_death_the_record_never_expires(today: date) -> None:
    rule = Rule(1, "years", "death")  # type: ignore[arg-type]
    facts = Facts(created=D(1980, 1, 1), closed=D(1981, 1, 1), date_of_birth=D(1979, 5, 5))
    assert retention_ends(rule, facts) is None
    assert not expired(rule, facts, today)


def _person(kind: str, died: date | None) -> dict[str, Any]:
    return {"kind": kind, "date_of_death": died}


@pytest.mark.parametrize(
    ("people", "counts"),
    [
        ([], None),  # no child: no date to start from
        ([_person("child", None)], None),
        ([_person("child", D(2024, 1, 2))], D(2024, 1, 2)),
        # The last of the children's deaths; none while any child has none recorded.
        ([_person("child", D(2024, 1, 2)), _person("child", D(2025, 6, 1))], D(2025, 6, 1)),
        ([_person("child", D(2024, 1, 2)), _person("child", None)], None),
        # Adults' deaths do not start a rule about the child's records.
        ([_person("child", None), _person("parent", D(2020, 1, 1))], None),
        ([_person("child", D(2024, 1, 2)), _person("parent", D(2025, 1, 1))], D(2024, 1, 2)),
    ],
)
def test_an_enquirys_date_of_death_is_its_childrens_last(
    people: list[dict[str, Any]], counts: date | None
) -> None:
    assert planning._children_died(people) == counts


def _record_deaths(enquiry_id: str, died: date, actor: Any) -> None:
    for child in Person.objects.filter(enquiry_id=enquiry_id, kind="child"):
        enquiries.record_date_of_death(person=child, actor=actor, date_of_death=died)


def test_a_sweep_destroys_a_record_kept_from_a_death_only_after_the_time_has_passed(
    db: Any, agencies: dict[str, Any], cast: dict[str, Any]
) -> None:
    old = [g for g in generate(40) if g.fate == "old"]
    recent_death, long_ago, alive = old[0], old[1], old[2]
    RetentionRule.objects.filter(kind="enquiry_nfa").update(amount=2, unit="years", trigger="death")
    _record_deaths(
        recent_death.enquiry_id, TODAY - dt.timedelta(days=365), cast["hub_practitioner"]
    )
    _record_deaths(long_ago.enquiry_id, D(2023, 1, 10), cast["hub_practitioner"])
    last_day = retention_ends(
        Rule(2, "years", "death"),  # type: ignore[arg-type]
        Facts(date_of_death=TODAY - dt.timedelta(days=365)),
    )
    assert last_day is not None

    services.sweep(today=TODAY)
    after_first = present_ids()["enquiry"]
    services.sweep(today=last_day)
    on_the_last_day = present_ids()["enquiry"]
    services.sweep(today=last_day + dt.timedelta(days=1))
    after_it = present_ids()["enquiry"]

    assert long_ago.enquiry_id not in after_first
    assert recent_death.enquiry_id in after_first
    assert recent_death.enquiry_id in on_the_last_day
    assert recent_death.enquiry_id not in after_it
    # No date of death recorded: kept however long the sweep waits.
    assert alive.enquiry_id in after_it
    assert not Person.objects.filter(enquiry_id=as_uuid(recent_death.enquiry_id)).exists()
