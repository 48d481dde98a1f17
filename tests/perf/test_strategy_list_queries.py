"""A partner's strategy discussions page (the discussions its agency attended, and the
user's own actions) and the hub owner's My work with actions and feedback owed cost the
same queries with N discussions as with 10N."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mash.enquiries import strategy, threshold
from mash.enquiries.models import StrategyDiscussion
from tests.enquiries.conftest import open_enquiry

N = 3


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def grow(cast: dict[str, Any], agencies: dict[str, Any], to: int) -> None:
    """Strategy discussions the police attended, each with an action for the police
    practitioner and one for the hub practitioner, until there are ``to``."""
    from faker import Faker

    fake = Faker("en_GB")
    hana = cast["hub_practitioner"]
    while StrategyDiscussion.objects.count() < to:
        enquiry = open_enquiry(hana, fake)
        decision = threshold.record_threshold_decision(
            enquiry=enquiry,
            actor=hana,
            level_id=str(threshold.levels_for(enquiry.hub_id)[3].pk),
            outcomes=["strategy_discussion"],
            referral_service="",
            rationale="Significant harm suspected.",
        )
        threshold.authorise_threshold_decision(decision=decision, actor=cast["hub_manager"])
        due = timezone.localdate() + timedelta(days=2)
        strategy.record_strategy_discussion(
            decision=decision,
            actor=hana,
            meeting=strategy.Meeting(
                held_at=timezone.now() - timedelta(hours=1),
                chair_id=str(cast["hub_manager"].pk),
                decisions="Section 47 enquiries start",
                attendances=[
                    strategy.Attendance(
                        agency_id=str(agencies["police"].pk), attendees="DS", contribution="x"
                    )
                ],
                actions=[
                    strategy.ActionInput(
                        description="Police check",
                        owner_id=str(cast["police_practitioner"].pk),
                        due_on=due,
                    ),
                    strategy.ActionInput(
                        description="Home visit", owner_id=str(hana.pk), due_on=due
                    ),
                ],
            ),
        )


@pytest.mark.parametrize(
    ("who", "url", "text"),
    [
        ("police_practitioner", "/strategy-discussions/", "Police check"),
        ("hub_practitioner", "/my-work", "Home visit"),
    ],
)
def test_the_page_costs_the_same_queries_at_n_and_10n(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any], who: str, url: str, text: str
) -> None:
    client = client_for(who)
    grow(cast, agencies, N)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        small = client.get(url).content.decode()
    grow(cast, agencies, 10 * N)
    with CaptureQueriesContext(connection) as many:
        large = client.get(url).content.decode()
    assert len(many) == len(few), (len(few), len(many))
    # Each action shows twice: its words, and its "Mark as done" button's hidden label.
    assert small.count(text) == 2 * N and large.count(text) == 2 * 25  # one page
    assert "govuk-pagination" in large
