"""Feedback to the referrer on time (the dashboard) and the reviews of urgent shares
after release (how the guidance was followed), against data made in the test and
worked out by hand (issue 18)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from mash.reports import dashboard, guidance
from mash.reports.dashboard import Scope

from . import builders as b
from .builders import at
from .world import END, QUERY, START

pytestmark = pytest.mark.django_db


def counts(table: Any) -> dict[str, Any]:
    return {r.cells[0]: r.cells[1] for r in table.rows}


@pytest.fixture
def told(cast: Any) -> None:
    hub, manager = cast["hub_practitioner"], cast["hub_manager"]

    def decided(day: int, **kw: Any) -> Any:
        return b.threshold(b.contact(hub, received=at(day)), manager, after_hours=1, **kw)

    # Authorised at noon; feedback due a working day later.
    b.authorise(decided(6), at_=at(6, 12), due=at(7, 12), sent=at(6, 15))  # 3 hours: on time
    b.authorise(decided(7), at_=at(7, 10), due=at(8, 10), sent=at(9, 10))  # 48 hours: late
    b.authorise(decided(8), at_=at(8, 10), due=at(9, 10))  # not sent, overdue
    b.authorise(decided(9), at_=at(9, 10), due=at(10, 10))  # not sent, not yet due
    b.authorise(decided(12), at_=at(12, 10), due=None, sent=at(12, 11))  # the public, told
    # Waiting for a manager: nothing is owed yet.
    decided(13, status="awaiting_authorisation")
    # A contact before the period, told late: not counted.
    b.authorise(
        b.threshold(b.contact(hub, received=at(20, month=12, year=2025)), manager, after_hours=1),
        at_=at(20, 12, month=12, year=2025),
        due=at(21, 12, month=12, year=2025),
        sent=at(29, 12, month=12, year=2025),
    )


def test_feedback_to_the_referrer_on_time(told: None, agencies: Any) -> None:
    scope = Scope(hub=agencies["hub"], start=START, end=END, now=at(10, hour=0))
    found = counts(dashboard.feedback_on_time(scope))
    assert found["Feedback owed to professional referrers"] == 4
    assert found["Sent by the due time"] == 1
    assert found["Sent after the due time"] == 1
    assert found["Not sent, overdue"] == 1
    assert found["Not sent, not yet due"] == 1
    assert found["Median hours from authorisation to feedback"] == pytest.approx(25.5)
    assert found["90th percentile hours from authorisation to feedback"] == pytest.approx(43.5)
    assert found["On time % (of the sent and the overdue: 3)"] == pytest.approx(100 / 3)
    assert found["Members of the public told (not owed on the clock)"] == 1


def test_feedback_is_on_the_dashboard_and_exports(told: None, client_for: Any) -> None:
    client = client_for("hub_manager")
    body = client.get(reverse("reports:dashboard"), QUERY).content.decode()
    assert "Feedback to the referrer on time" in body
    assert "Not shown yet" not in body
    url = reverse("reports:export", kwargs={"table": "feedback-on-time", "fmt": "csv"})
    text = client.get(url, QUERY).content.decode()
    assert "Sent by the due time,1" in text
    assert "Median hours from authorisation to feedback,25.5" in text


@pytest.fixture
def reviewed(cast: Any, agencies: Any) -> list[Any]:
    hub, police = cast["hub_practitioner"], agencies["police"]
    priya = cast["police_practitioner"]
    made = []
    for day in (6, 7, 8, 9, 13):
        req = b.ask(b.contact(hub, received=at(day), rag="red"), police, hub)
        made.append(
            b.decide(
                req,
                priya,
                after_hours=1,
                basis="urgent",
                without_consent=True,
                requires=("proportionality_of_override",),
            )
        )
    later = timezone.now() + dt.timedelta(days=2)
    b.review(made[0], due=at(7, 12), reviewed=at(7, 9), agreed=True)  # on time
    b.review(made[1], due=at(8, 12), reviewed=at(9, 9), agreed=False)  # late, disagreed
    b.review(made[2], due=at(9, 12))  # not reviewed, overdue
    b.review(made[3], due=later)  # not reviewed, not yet due
    # made[4]: a share held for sign-off instead, signed off after its deadline.
    from mash.sharing.models import Decision

    Decision.objects.filter(pk=made[4].pk).update(
        signoff_at=made[4].request.deadline + dt.timedelta(hours=2), signoff_by=priya
    )
    return made


def test_reviews_after_release_by_their_due_time(reviewed: list[Any], agencies: Any) -> None:
    scope = Scope(hub=agencies["hub"], start=START, end=END)
    assert counts(guidance.reviews_after_release(scope)) == {
        "Reviewed by the due time": 1,
        "Reviewed after the due time": 1,
        "Not reviewed, overdue": 1,
        "Not reviewed, not yet due": 1,
        "Reviewed: the manager disagreed with the share": 1,
    }
    # The held sign-offs no longer count the reviews after release.
    assert counts(guidance.signoffs(scope)) == {
        "Signed off by the request's deadline": 0,
        "Signed off after the request's deadline": 1,
        "Returned to the practitioner": 0,
        "Waiting for sign-off": 0,
    }


def test_each_review_figure_links_to_the_decisions_behind_it(
    reviewed: list[Any], client_for: Any
) -> None:
    client = client_for("hub_manager")
    body = client.get(reverse("reports:guidance"), QUERY).content.decode()
    assert "Reviews of urgent shares after release" in body
    assert "figure=review&amp;value=late" in body
    listed = client.get(
        reverse("reports:decisions"), {**QUERY, "figure": "review", "value": "late"}
    )
    assert listed.status_code == 200
    page = listed.content.decode()
    assert reviewed[1].request.enquiry.reference in page
    assert reviewed[0].request.enquiry.reference not in page
    url = reverse("reports:export", kwargs={"table": "reviews-after-release", "fmt": "csv"})
    assert '"Not reviewed, overdue",1' in client.get(url, QUERY).content.decode()


def test_each_feedback_figure_links_to_the_threshold_decisions_behind_it(
    told: None, client_for: Any
) -> None:
    from django.db.models import F

    from mash.enquiries.models import ThresholdDecision

    late = ThresholdDecision.objects.get(
        feedback__sent_at__gt=F("feedback_due_at"), enquiry__received_at__gte=at(1)
    )
    on_time = ThresholdDecision.objects.get(feedback__sent_at__lte=F("feedback_due_at"))
    public = ThresholdDecision.objects.get(feedback_due_at__isnull=True, feedback__isnull=False)
    client = client_for("hub_manager")
    body = client.get(reverse("reports:dashboard"), QUERY).content.decode()
    for value in ("owed", "on_time", "late", "overdue", "waiting", "not_owed"):
        assert f"{reverse('reports:feedback')}?value={value}&amp;" in body
    listed = client.get(reverse("reports:feedback"), {**QUERY, "value": "late"})
    assert listed.status_code == 200
    page = listed.content.decode()
    assert late.enquiry.reference in page
    assert on_time.enquiry.reference not in page
    page = client.get(reverse("reports:feedback"), {**QUERY, "value": "not_owed"}).content
    assert public.enquiry.reference in page.decode()
    assert late.enquiry.reference not in page.decode()
    # Every owed one, whatever the clock: the four owed in the period.
    page = client.get(reverse("reports:feedback"), {**QUERY, "value": "owed"}).content.decode()
    assert late.enquiry.reference in page and on_time.enquiry.reference in page
    assert public.enquiry.reference not in page
    # The contact before the period is not behind any figure of the period.
    before = ThresholdDecision.objects.get(enquiry__received_at__lt=at(1))
    assert before.enquiry.reference not in page


def test_a_feedback_figure_not_listed_is_a_400_naming_it(client_for: Any) -> None:
    client = client_for("hub_manager")
    response = client.get(reverse("reports:feedback"), {**QUERY, "value": "nonsense"})
    assert response.status_code == 400
    assert "Figure: choose a figure on the dashboard" in response.content.decode()
    bad = client.get(reverse("reports:feedback"), {**QUERY, "value": "owed", "from_month": "13"})
    assert bad.status_code == 400
