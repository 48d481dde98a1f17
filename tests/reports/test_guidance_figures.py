"""How the guidance was followed: each figure against tests/reports/world.py, and the
list behind a figure with the viewer's access rules (the hub does not see a held share)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from mash.records.models import RecordEntry
from mash.reports import guidance
from mash.reports.dashboard import Scope
from mash.sharing import services
from mash.sharing.models import PersonInformed

from . import builders as b
from .builders import at
from .world import END, QUERY, START, make

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    return make(cast, agencies)


def counts(table: Any) -> dict[str, int]:
    return {r.cells[0]: r.cells[1] for r in table.rows}


def scope(agencies: Any) -> Scope:
    return Scope(hub=agencies["hub"], start=START, end=END)


def test_decisions_by_basis_count_current_decisions_only(world: Any, agencies: Any) -> None:
    found = counts(guidance.by_basis(scope(agencies)))
    assert found["Consent"] == 1  # the corrected decision counts once
    assert found["Risk of significant harm to a child"] == 2
    assert found["Urgent: seeking consent would cause harmful delay"] == 1
    assert found["Public interest"] == 0
    assert found["Not shared"] == 1


def test_shares_without_consent_by_whether_the_person_was_told(world: Any, agencies: Any) -> None:
    found = counts(guidance.without_consent_told(scope(agencies)))
    assert found["Told"] == 1
    assert found["Not told: telling them would create or increase risk of harm"] == 2
    assert found["Will be told"] == 0


def test_refusals_discussed_advice_and_signoffs(world: Any, agencies: Any) -> None:
    assert counts(guidance.refusals_discussed(scope(agencies))) == {
        "Discussed with the requester": 1,
        "Not discussed": 0,
    }
    assert counts(guidance.advice_sought(scope(agencies))) == {
        "Advice sought before deciding": 1,
        "No advice sought": 4,
    }
    assert counts(guidance.signoffs(scope(agencies))) == {
        "Signed off by the request's deadline": 0,
        "Signed off after the request's deadline": 1,
        "Returned to the practitioner": 0,
        "Waiting for sign-off": 1,
    }


def test_items_by_fact_or_opinion_and_current_or_historical(world: Any, agencies: Any) -> None:
    # The superseded decision's opinion, current item is not counted; the held share's
    # item is (the police recorded it).
    assert counts(guidance.items_by_kind(scope(agencies))) == {
        "Fact, current": 3,
        "Fact, historical": 1,
        "Opinion, current": 0,
        "Opinion, historical": 1,
    }


def test_each_figure_links_to_the_decisions_behind_it(client_for: Any, world: Any) -> None:
    response = client_for("hub_manager").get(reverse("reports:guidance"), QUERY)
    assert response.status_code == 200
    body = response.content.decode()
    assert "figure=basis&amp;value=significant_harm" in body


def test_the_list_behind_a_figure_shows_what_the_viewer_may_see(
    client_for: Any, world: Any, cast: Any
) -> None:
    url = reverse("reports:decisions")
    response = client_for("hub_manager").get(
        url, {**QUERY, "figure": "basis", "value": "significant_harm"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    # Two counted; the held share has not reached the hub, so one is listed.
    assert body.count('<tr class="govuk-table__row">') == 2  # header and one decision
    assert "1 more decision counted in this figure is not shown" in body
    assert world.contacts[1].reference in body
    assert world.contacts[4].reference not in body
    entry = RecordEntry.objects.filter(action="report.listed").latest("seq")
    assert entry.actor_user_id == cast["hub_manager"].pk
    assert entry.details["figure"] == "basis"


def test_a_figure_not_on_the_report_is_a_400_naming_it(client_for: Any, world: Any) -> None:
    response = client_for("dpo").get(
        reverse("reports:decisions"), {**QUERY, "figure": "basis", "value": "nonsense"}
    )
    assert response.status_code == 400
    assert "Figure: choose a figure on the report" in response.content.decode()


def _told_counts(agencies: Any) -> dict[str, int]:
    return {
        k: v
        for k, v in counts(guidance.without_consent_told(scope(agencies))).items()
        if k in {"Told", "Will be told", "Not recorded"}
    }


def test_a_share_counts_under_its_least_told_person_and_moves_once_the_telling_is_recorded(
    cast: Any, agencies: Any
) -> None:
    # Each person's telling is one row, the one truth: the report counts from those rows,
    # so recording a promised telling moves the share from "Will be told" to "Told".
    police, priya = agencies["police"], cast["police_practitioner"]
    e = b.contact(cast["hub_practitioner"], received=at(10))
    r = b.ask(e, police, cast["hub_practitioner"])
    decision = b.decide(
        r,
        priya,
        after_hours=2,
        basis="significant_harm",
        without_consent=True,
        informed=("told", "will_tell"),
    )
    assert _told_counts(agencies) == {"Told": 0, "Will be told": 1, "Not recorded": 0}
    promised = PersonInformed.objects.get(decision=decision, answer="will_tell")

    services.record_told(actor=priya, informing=promised, told_on=dt.date(2026, 1, 12))

    assert _told_counts(agencies) == {"Told": 1, "Will be told": 0, "Not recorded": 0}
    listed = guidance.behind(scope(agencies), "informed", "told")
    assert list(listed.values_list("pk", flat=True)) == [decision.pk]


def test_a_decision_recorded_before_each_person_had_an_answer_counts_by_its_one_answer(
    cast: Any, agencies: Any
) -> None:
    e = b.contact(cast["hub_practitioner"], received=at(10))
    r = b.ask(e, agencies["police"], cast["hub_practitioner"])
    b.decide(
        r,
        cast["police_practitioner"],
        after_hours=2,
        basis="urgent",
        without_consent=True,
        legacy_informed="told",
    )
    b.decide(
        b.ask(e, agencies["health"], cast["hub_practitioner"]),
        cast["health_practitioner"],
        after_hours=3,
        basis="urgent",
        without_consent=True,
    )
    assert _told_counts(agencies) == {"Told": 1, "Will be told": 0, "Not recorded": 1}
