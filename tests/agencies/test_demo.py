"""``mash demo`` seeds six agencies, a user of every role and twenty enquiries at every
stage, prints the sign-in details, and running it twice adds nothing."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from mash.agencies.models import Agency, User
from mash.enquiries.models import Enquiry
from mash.records.models import RecordEntry
from mash.sharing.models import Decision, DisclosureItem, InformationRequest


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "users": User.objects.count(),
        "enquiries": Enquiry.objects.count(),
        "requests": InformationRequest.objects.count(),
        "decisions": Decision.objects.count(),
        "items": DisclosureItem.objects.count(),
    }


def test_it_seeds_agencies_users_and_enquiries_at_every_stage(db: Any) -> None:
    output = run_demo()
    assert set(Agency.objects.values_list("code", flat=True)) == {
        "csc-hub",
        "police",
        "health",
        "education",
        "probation",
        "housing",
    }
    hub = Agency.objects.get(is_hub=True)
    assert hub.code == "csc-hub"
    assert hub.kind == "childrens_social_care"
    roles = set(User.objects.filter(agency=hub).values_list("role", flat=True))
    assert roles == {"practitioner", "manager", "dpo"}
    for code in ["police", "health", "education", "probation", "housing"]:
        assert set(User.objects.filter(agency__code=code).values_list("role", flat=True)) == {
            "practitioner",
            "manager",
        }
    assert User.objects.get(username="admin").is_superuser
    statuses = {s: Enquiry.objects.filter(status=s).count() for s in ["draft", "open", "closed"]}
    assert statuses == {"draft": 3, "open": 13, "closed": 4}
    assert InformationRequest.objects.filter(status="open").exists()
    assert InformationRequest.objects.filter(status="answered").exists()
    assert Decision.objects.filter(outcome="share").exists()
    assert DisclosureItem.objects.exists()
    assert Enquiry.objects.filter(status="open", requests__isnull=True).exists()
    assert "Created 20 enquiries" in output


def test_every_enquiry_has_its_record_entries(db: Any) -> None:
    run_demo()
    for enquiry in Enquiry.objects.all():
        actions = set(
            RecordEntry.objects.filter(enquiry_id=enquiry.pk).values_list("action", flat=True)
        )
        assert "enquiry.created" in actions
        if enquiry.status != "draft":
            assert "enquiry.submitted" in actions
        if enquiry.requests.exists():
            assert "request.sent" in actions
        if enquiry.status == "closed":
            assert "enquiry.closed" in actions


def test_running_it_twice_adds_nothing(db: Any) -> None:
    run_demo()
    first = counts()
    entries = RecordEntry.objects.count()
    output = run_demo()
    assert counts() == first
    assert RecordEntry.objects.count() == entries
    assert "none added" in output


def test_it_prints_the_sign_in_details(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MASH_DEMO_PASSWORD", "a long demo passphrase")
    output = run_demo()
    for username in ["hub-practitioner", "hub-manager", "hub-dpo", "admin", "police-practitioner"]:
        assert username in output
    assert "a long demo passphrase" in output
    assert authenticate(username="hub-practitioner", password="a long demo passphrase")


def test_the_default_passphrase_works_without_the_environment(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mash.agencies.management.commands.demo import DEFAULT_PASSWORD

    monkeypatch.delenv("MASH_DEMO_PASSWORD", raising=False)
    assert DEFAULT_PASSWORD in run_demo()
    assert authenticate(username="police-practitioner", password=DEFAULT_PASSWORD)


def test_the_demo_is_the_same_every_time(db: Any) -> None:
    run_demo()
    first = sorted(Enquiry.objects.values_list("status", "rag", "source"))
    people = sorted(
        (p.first_name, p.last_name) for e in Enquiry.objects.all() for p in e.people.all()
    )
    Enquiry.objects.all().delete()
    run_demo()
    assert sorted(Enquiry.objects.values_list("status", "rag", "source")) == first
    assert (
        sorted((p.first_name, p.last_name) for e in Enquiry.objects.all() for p in e.people.all())
        == people
    )


def test_the_hubs_pages_show_the_demo(db: Any) -> None:
    from django.test import Client

    run_demo()
    c = Client()
    c.force_login(User.objects.get(username="hub-practitioner"))
    assert c.get("/enquiries/").status_code == 200
    assert c.get("/enquiries/?show=closed").status_code == 200
    for enquiry in Enquiry.objects.exclude(status="draft"):
        assert c.get(f"/enquiries/{enquiry.pk}/").status_code == 200
    police = Client()
    police.force_login(User.objects.get(username="police-practitioner"))
    assert police.get(f"/enquiries/{Enquiry.objects.first().pk}/").status_code == 404
