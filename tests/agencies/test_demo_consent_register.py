"""``mash demo`` seeds the consent register (issue 12), so a new user sees it at work:
consent given, partial consent with its scope, a refusal, a withdrawal, and a
Gillick-competent child deciding for themselves; the same every run, each entry with
its record entry, shown on the hub's pages."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from mash.agencies.models import User
from mash.consent.models import ConsentRecord
from mash.enquiries.models import Enquiry
from mash.records.models import RecordEntry


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _run() -> None:
    call_command("demo", stdout=StringIO())


def _seeded() -> Any:
    """The entries the demo seeds in the register itself (the demo's decisions write
    their own consent answers too, sourced to the decision: not these)."""
    return ConsentRecord.objects.filter(decision__isnull=True)


def _shape() -> list[tuple[Any, ...]]:
    return sorted(
        (
            r.person.first_name,
            r.status,
            r.giver,
            r.gillick_competent,
            r.all_agencies,
            tuple(sorted(a.code for a in r.agencies.all())),
            tuple(r.categories),
            r.method,
        )
        for r in _seeded().select_related("person")
    )


def test_the_demo_seeds_each_kind_of_consent_entry(db: Any) -> None:
    _run()
    records = list(_seeded())
    statuses = [r.status for r in records]
    assert "given" in statuses and "refused" in statuses and "withdrawn" in statuses
    partial = [r for r in records if r.status == "given" and not r.all_agencies]
    assert any(r.categories and r.agencies.exists() for r in partial)
    gillick = [r for r in records if r.gillick_competent]
    assert len(gillick) == 1 and gillick[0].giver == "self"
    assert gillick[0].person.kind == "child"
    withdrawal = next(r for r in records if r.status == "withdrawn")
    assert withdrawal.withdraws is not None and withdrawal.withdraws.status == "given"
    seeded_entries = [
        e
        for e in RecordEntry.objects.filter(action="consent.recorded")
        if "decision" not in (e.details or {})
    ]
    assert len(seeded_entries) == len(records)


def test_the_register_is_the_same_every_run(db: Any) -> None:
    _run()
    first = _shape()
    assert first
    ConsentRecord.objects.all().delete()
    Enquiry.objects.all().delete()
    _run()
    assert _shape() == first


def test_the_hub_sees_the_register_on_the_enquiry_and_the_person_s_page(db: Any) -> None:
    _run()
    client = Client()
    client.force_login(User.objects.get(username="hub-practitioner"))
    refusal = _seeded().get(status="refused")
    page = client.get(f"/enquiries/{refusal.person.enquiry_id}/").content.decode()
    assert "Refused" in page
    person_page = client.get(f"/consent/people/{refusal.person_id}/")
    assert person_page.status_code == 200


def test_the_entries_are_on_open_enquiries(db: Any) -> None:
    _run()
    assert {r.person.enquiry.status for r in _seeded().select_related("person__enquiry")} == {
        "open"
    }
