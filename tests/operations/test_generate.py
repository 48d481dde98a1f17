"""``mash generate``: a hub's years of generated data that the real pages open, with an
intact record, the same for the same seed."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from mash.operations import dataset

COUNT = 50


@pytest.fixture
def generated(cast: dict[str, Any]) -> dict[str, Any]:
    out, err = io.StringIO(), io.StringIO()
    call_command("generate", enquiries=COUNT, stdout=out, stderr=err)
    return {"stdout": out.getvalue(), "stderr": err.getvalue()}


def test_it_generates_enquiries_the_pages_open_with_an_intact_record(
    generated: dict[str, Any], client_for: Any, cast: dict[str, Any]
) -> None:
    from mash.enquiries.models import Enquiry
    from mash.records.verify import walk_database
    from mash.sharing.models import Decision, InformationRequest

    assert f"Generated {COUNT} enquiries" in generated["stdout"]
    assert f"{COUNT}/{COUNT} enquiries" in generated["stderr"]  # the progress bar
    # The dashboard's settled days were counted, as the worker would at night (none
    # has settled in a hub's first two days: nothing stored yet).
    from mash.reports.models import DayFigures, FiguresCounted

    assert "Counted the dashboard's figures" in generated["stdout"]
    assert FiguresCounted.objects.exists() and not DayFigures.objects.exists()
    enquiries = Enquiry.objects.filter(reference__startswith="GEN")
    assert enquiries.count() == COUNT
    assert enquiries.filter(status="open").exists() and enquiries.filter(status="closed").exists()
    # Received at a large hub's rate: 50 enquiries are its last day or two.
    days = {e.received_at.date() for e in enquiries}
    assert (max(days) - min(days)).days <= dataset.span_days(COUNT) <= 2

    hub = client_for("hub_practitioner")
    for status in ("open", "closed"):
        enquiry = enquiries.filter(status=status).first()
        page = hub.get(f"/enquiries/{enquiry.pk}/")
        assert page.status_code == 200, status
        # Sealed under the enquiry's own data key: the page reads it back.
        assert (
            enquiry.concern[:40].encode() in page.content
            or enquiry.reference.encode() in page.content
        )
    for outcome in ("share", "do_not_share"):
        decision = Decision.objects.filter(outcome=outcome, request__enquiry__in=enquiries).first()
        assert decision is not None, outcome
        assert hub.get(f"/requests/decisions/{decision.pk}").status_code == 200
    assert hub.get("/enquiries/").status_code == 200
    # Whether each person was told is one answer each, as a recorded decision keeps it.
    without = Decision.objects.filter(
        without_consent=True, outcome="share", request__enquiry__in=enquiries
    )
    assert without.exists()
    for decision in without:
        told = list(decision.informing.all())
        assert told and {t.answer for t in told} == {"not_told"}
        assert told[0].reason == "Telling the family could place the child at risk"
        assert decision.informed == ""

    request = InformationRequest.objects.filter(agency=cast["police_practitioner"].agency).first()
    police = client_for("police_practitioner")
    assert police.get("/requests/").status_code == 200
    assert police.get(f"/requests/{request.pk}").status_code == 200

    result = walk_database()
    assert result.intact, result


def test_the_same_seed_gives_the_same_enquiries(cast: dict[str, Any]) -> None:
    from mash.enquiries.models import Enquiry

    dataset.generate(enquiries=3, seed=11)
    first = list(Enquiry.objects.order_by("reference").values_list("id", "referrer_name"))
    Enquiry.objects.all().delete()
    dataset.generate(enquiries=3, seed=11)
    again = list(Enquiry.objects.order_by("reference").values_list("id", "referrer_name"))
    assert first == again and len(first) == 3


def test_it_refuses_fewer_than_one_enquiry(db: Any) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--enquiries must be at least 1"):
        call_command("generate", enquiries=0)


def test_a_hub_s_rate_makes_150000_enquiries_its_ten_years_and_1000_a_few_weeks() -> None:
    assert dataset.span_days(150_000) == 3650
    assert dataset.span_days(1_000_000) == 3650  # never more than ten years
    assert dataset.span_days(1_000) == 25
    assert dataset.span_days(1) == 1
