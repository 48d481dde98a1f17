"""A hold on a person, an enquiry or the whole hub stops any destruction under it, is
recorded, and stays (released, with who released it) when it ends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from mash.records.models import RecordEntry
from mash.retention import services
from mash.retention.models import Hold
from tests.retention.dataset import TODAY, generate
from tests.retention.helpers import present_ids

REVIEW = dt.date.today() + dt.timedelta(days=60)


@pytest.fixture
def old(db: Any, agencies: dict[str, Any]) -> Any:
    """Generated enquiries that have all passed their retention (fate "old")."""
    return [g for g in generate(40) if g.fate == "old"][:3]


def _enquiry(gen: Any) -> Any:
    from mash.enquiries.models import Enquiry

    return Enquiry.objects.get(pk=gen.enquiry_id)


@pytest.mark.parametrize("scope", ["enquiry", "person", "hub"])
def test_a_hold_keeps_everything_under_it(old: Any, cast: dict[str, Any], scope: str) -> None:
    held, free = old[0], old[1]
    enquiry = _enquiry(held)
    target = {
        "enquiry": {"enquiry": enquiry},
        "person": {"person": enquiry.people.last()},
        "hub": {"hub": enquiry.hub},
    }[scope]
    services.place_hold(
        actor=cast["dpo"], scope=scope, reason="Public inquiry", review_on=REVIEW, **target
    )

    services.sweep(today=TODAY)

    present = present_ids()
    assert all(row.id in present[row.kind] for row in held.rows)
    if scope == "hub":  # the hub hold keeps every enquiry of the hub
        assert all(row.id in present[row.kind] for row in free.rows)
    else:
        assert not any(row.id in present[row.kind] for row in free.rows)


def test_once_released_the_next_sweep_destroys_what_it_kept(old: Any, cast: dict[str, Any]) -> None:
    enquiry = _enquiry(old[0])
    hold = services.place_hold(
        actor=cast["dpo"], scope="enquiry", enquiry=enquiry, reason="Claim", review_on=REVIEW
    )
    services.sweep(today=TODAY)
    assert present_ids()["enquiry"] >= {old[0].enquiry_id}

    released = services.release_hold(actor=cast["dpo"], hold=hold)

    assert released.released_by == cast["dpo"] and released.released_at is not None
    services.sweep(today=TODAY)
    assert old[0].enquiry_id not in present_ids()["enquiry"]
    assert Hold.objects.filter(pk=hold.pk).exists()  # the hold itself stays


def test_placing_and_releasing_are_recorded_without_the_reason(
    old: Any, cast: dict[str, Any]
) -> None:
    enquiry = _enquiry(old[0])
    hold = services.place_hold(
        actor=cast["dpo"],
        scope="enquiry",
        enquiry=enquiry,
        reason="Inquiry into the care of a named child",
        review_on=REVIEW,
    )
    services.release_hold(actor=cast["dpo"], hold=hold)

    placed = RecordEntry.objects.get(action="retention.hold_placed")
    released = RecordEntry.objects.get(action="retention.hold_released")
    assert placed.object_id == released.object_id == str(hold.pk)
    assert placed.enquiry_id == enquiry.pk and placed.actor_username == "dara"
    assert "named child" not in repr(placed.details)
    assert placed.details["review_on"] == REVIEW.isoformat()


@pytest.mark.parametrize(
    ("reason", "review_on", "field"),
    [
        ("", REVIEW, "reason"),
        ("   ", REVIEW, "reason"),
        ("Inquiry", dt.date.today() - dt.timedelta(days=1), "review_on"),
        ("x" * 2001, REVIEW, "reason"),
    ],
)
def test_a_hold_needs_a_reason_and_a_future_review_date(
    old: Any, cast: dict[str, Any], reason: str, review_on: dt.date, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.place_hold(
            actor=cast["dpo"],
            scope="enquiry",
            enquiry=_enquiry(old[0]),
            reason=reason,
            review_on=review_on,
        )
    assert field in refused.value.message_dict
    assert not Hold.objects.filter(placed_by=cast["dpo"]).exists()


def test_a_hold_placed_while_a_sweep_runs_still_counts(
    old: Any, cast: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sweep plans a batch, then plans each enquiry again inside its transaction:
    a hold placed between the two keeps the enquiry."""
    from mash.retention import planning

    enquiry = _enquiry(old[0])
    real = planning.plan_enquiries
    placed = []

    def plan_then_hold(ids: Any, **kwargs: Any) -> Any:
        plans = real(ids, **kwargs)
        if len(ids) > 1 and not placed:
            placed.append(
                services.place_hold(
                    actor=cast["dpo"],
                    scope="enquiry",
                    enquiry=enquiry,
                    reason="Late hold",
                    review_on=REVIEW,
                )
            )
        return plans

    monkeypatch.setattr(planning, "plan_enquiries", plan_then_hold)
    services.sweep(today=TODAY)
    assert placed
    assert old[0].enquiry_id in present_ids()["enquiry"]
    assert old[1].enquiry_id not in present_ids()["enquiry"]
