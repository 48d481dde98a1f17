"""``mash demo`` gives the hub and each partner agency a retention schedule, each rule
with its reason in words; running it again adds nothing and keeps an administrator's
change; and the DPO's preview runs over the demo's enquiries."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from mash.agencies.management.commands.demo import RETENTION_SCHEDULES
from mash.enquiries.models import Enquiry
from mash.records.models import RecordEntry
from mash.retention import planning
from mash.retention.models import RecordKind, RetentionRule


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_demo_seeds_a_schedule_for_the_hub_and_each_agency(db: Any) -> None:
    output = run_demo()

    hub_kinds = set(
        RetentionRule.objects.filter(agency__code="csc-hub").values_list("kind", flat=True)
    )
    assert hub_kinds == set(RecordKind.values)  # the hub has a rule for every kind
    for code in ["police", "health", "education", "probation", "housing"]:
        assert RetentionRule.objects.filter(agency__code=code, kind="disclosure").exists(), code
    assert all(rule.reason.strip() for rule in RetentionRule.objects.all())
    # The examples, exactly as the model can say them.
    hub = {r.kind: r for r in RetentionRule.objects.filter(agency__code="csc-hub")}
    assert hub["enquiry_action"].describe() == "3 years from the child's 18th birthday"
    assert hub["enquiry_nfa"].describe() == "6 years from closure"
    assert hub["decision"].describe() == "6 years from the last activity"
    assert "Limitation Act 1980" in hub["decision"].reason
    total = sum(len(rows) for rows in RETENTION_SCHEDULES.values())
    assert RetentionRule.objects.count() == total
    assert RecordEntry.objects.filter(action="retention.rule_set").count() == total
    assert f"Retention schedules: {total} rules added" in output


def test_running_it_again_adds_nothing_and_keeps_an_administrators_change(db: Any) -> None:
    run_demo()
    RetentionRule.objects.filter(agency__code="police", kind="disclosure").update(amount=7)
    before = RecordEntry.objects.filter(action="retention.rule_set").count()

    output = run_demo()

    assert "Retention schedules: 0 rules added" in output
    assert RetentionRule.objects.count() == sum(len(r) for r in RETENTION_SCHEDULES.values())
    assert RetentionRule.objects.get(agency__code="police", kind="disclosure").amount == 7
    assert RecordEntry.objects.filter(action="retention.rule_set").count() == before


def test_the_preview_runs_over_the_demo_data(db: Any, client: Any) -> None:
    from mash.agencies.models import User

    run_demo()
    today = timezone.localdate()

    soon = planning.preview(today=today, days=90)
    # Forty years on, the closed enquiries and what was shared have all passed their
    # rules; the open ones keep their enquiry but not what their own rules let go.
    later = planning.preview(today=today + dt.timedelta(days=365 * 40), days=90)

    assert soon.examined == later.examined == 20
    assert soon.groups == []  # nothing in the demo is old enough yet
    assert later.groups
    # Each partner's disclosures go by its own rule; the closed enquiries go whole.
    by_rule = {(g.rule.agency.code, g.rule.kind) for g in later.groups}
    assert {
        ("csc-hub", "request"),
        ("csc-hub", "decision"),
        ("police", "disclosure"),
        ("health", "disclosure"),
        ("education", "disclosure"),
        ("probation", "disclosure"),
        ("housing", "disclosure"),
    } <= by_rule
    whole = {
        enquiry
        for g in later.groups
        if g.rule.kind.startswith("enquiry_")
        for enquiry, (_, _, is_whole) in g.enquiries.items()
        if is_whole
    }
    assert whole == set(Enquiry.objects.filter(status="closed").values_list("pk", flat=True))
    client.force_login(User.objects.get(username="hub-dpo"))
    page = client.get("/retention/?days=90")
    assert page.status_code == 200
