"""A subject access export for a person recorded in three enquiries, checked field by
field against what was entered: the HTML and JSON in the ZIP, the flags for redaction
and agency review, and the export recorded."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from typing import Any

import pytest
from django.utils import timezone
from faker import Faker

from mash.consent.models import ConsentRecord
from mash.enquiries.models import Enquiry, Person
from mash.records.models import RecordEntry
from mash.sharing.models import Decision, DisclosureItem, InformationRequest
from tests.retention import subject_access

DOB = dt.date(2014, 2, 28)


@pytest.fixture
def entered(db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> dict[str, Any]:
    """Ada (generated name) in three enquiries: with her mother in the first, alone in
    the others; police shared an item about her and her mother in the first; health
    an item about her alone in the second; consent recorded in the third. Another child
    with another name in a fourth enquiry, which must not appear."""
    fake = Faker("en_GB")
    fake.seed_instance(3)
    first, last = fake.first_name(), fake.last_name()
    hub = agencies["hub"]
    practitioner = cast["hub_practitioner"]
    out: dict[str, Any] = {"first": first, "last": last, "people": [], "enquiries": []}
    for n in range(4):
        enquiry = Enquiry.objects.create(
            reference=f"MASH-SAR-{n}",
            hub=hub,
            status="open",
            referrer_name=fake.name() if n == 0 else "",
            concern=fake.paragraph(),
            created_by=practitioner,
        )
        out["enquiries"].append(enquiry)
        child = Person.objects.create(
            enquiry=enquiry,
            kind="child",
            first_name=first if n < 3 else fake.first_name(),
            last_name=last.upper() if n == 1 else last,  # the search ignores case
            date_of_birth=DOB,
            date_of_death=dt.date(2025, 1, 9) if n == 2 else None,
            address=fake.address(),
            school_or_setting=fake.company(),
        )
        out["people"].append(child)
    mother = Person.objects.create(
        enquiry=out["enquiries"][0], kind="parent", first_name=fake.first_name(), last_name=last
    )
    out["mother"] = mother

    def share(enquiry: Any, agency: Any, who: Any, people: list[Any], text: str) -> Any:
        request = InformationRequest.objects.create(
            enquiry=enquiry,
            agency=agency,
            purpose=fake.sentence(),
            deadline=timezone.now(),
            created_by=practitioner,
        )
        request.people.set(people)
        decision = Decision.objects.create(
            request=request,
            agency=agency,
            decided_by=who,
            decided_at=timezone.now(),
            guidance_version="2026-01",
            question={},
            outcome="share",
            justification=fake.sentence(),
        )
        item = DisclosureItem.objects.create(
            decision=decision,
            text=text,
            nature="fact",
            recorded_on=dt.date(2026, 3, 1),
            source=fake.company(),
            currency="current",
        )
        item.people.set(people)
        return request, decision, item

    out["police"] = share(
        out["enquiries"][0],
        agencies["police"],
        cast["police_practitioner"],
        [out["people"][0], mother],
        fake.sentence(),
    )
    out["health"] = share(
        out["enquiries"][1],
        agencies["health"],
        cast["health_practitioner"],
        [out["people"][1]],
        fake.sentence(),
    )
    out["consent"] = ConsentRecord.objects.create(
        person=out["people"][2],
        status="given",
        giver="parental_responsibility",
        giver_relationship="mother",
        purpose=fake.sentence(),
        method="verbal",
        given_on=dt.date(2026, 2, 1),
        recorded_by=practitioner,
    )
    return out


def _export(client: Any, entered: dict[str, Any]) -> tuple[Any, dict[str, Any], str]:
    found = client.post(
        "/retention/subject-access",
        {
            "first_name": entered["first"].lower(),
            "last_name": entered["last"],
            "date_of_birth_day": "28",
            "date_of_birth_month": "2",
            "date_of_birth_year": "2014",
        },
    )
    assert found.status_code == 302
    results = client.get(found["Location"])
    ids = [str(p.pk) for p in entered["people"][:3]]
    for pk in ids:
        assert pk in results.content.decode()
    assert str(entered["people"][3].pk) not in results.content.decode()
    review = subject_access.prepare(client, entered["people"][:3])
    # Every proposed redaction released as written: the export is as entered.
    subject_access.decide_all(client, review, "rejected")
    return subject_access.download(client, review)


def test_the_export_holds_each_enquiry_person_item_and_consent_as_entered(
    client_for: Any, entered: dict[str, Any]
) -> None:
    _, data, html = _export(client_for("dpo"), entered)

    people = entered["people"][:3]
    assert data["about"] == sorted(str(p.pk) for p in people)
    assert [p["enquiry_reference"] for p in data["people"]] == [
        "MASH-SAR-0",
        "MASH-SAR-1",
        "MASH-SAR-2",
    ]
    for got, person in zip(data["people"], people, strict=True):
        assert got["id"] == str(person.pk)
        assert got["first_name"] == person.first_name
        assert got["last_name"] == person.last_name
        assert got["date_of_birth"] == "2014-02-28"
        assert got["date_of_death"] == (None if person.date_of_death is None else "2025-01-09")
        assert got["address"] == person.address
        assert got["school_or_setting"] == person.school_or_setting
        assert got["kind"] == "child"

    assert '<th scope="row">Date of death</th><td>2025-01-09</td>' in html
    assert [e["reference"] for e in data["enquiries"]] == ["MASH-SAR-0", "MASH-SAR-1", "MASH-SAR-2"]
    for got, enquiry in zip(data["enquiries"], entered["enquiries"][:3], strict=True):
        assert got["concern"] == enquiry.concern
        assert got["referrer_name"] == enquiry.referrer_name
        assert got["status"] == "open"
    # The first enquiry is also about the mother and names a referrer: review it.
    assert data["enquiries"][0]["review"] == {
        "concerns_others": True,
        "other_people": 2,
        "agency_review": None,
    }
    assert data["enquiries"][1]["review"]["concerns_others"] is False

    police_request, police_decision, police_item = entered["police"]
    health_request, health_decision, health_item = entered["health"]
    assert [r["id"] for r in data["requests"]] == [str(police_request.pk), str(health_request.pk)]
    assert data["requests"][0]["purpose"] == police_request.purpose
    assert data["requests"][0]["agency"] == "police"
    assert [d["id"] for d in data["decisions"]] == [
        str(police_decision.pk),
        str(health_decision.pk),
    ]
    assert data["decisions"][0]["justification"] == police_decision.justification
    assert data["decisions"][0]["review"]["agency_review"] == "police"

    items = {i["id"]: i for i in data["disclosures"]}
    assert set(items) == {str(police_item.pk), str(health_item.pk)}
    police = items[str(police_item.pk)]
    assert police["text"] == police_item.text
    assert police["source"] == police_item.source
    assert police["recorded_on"] == "2026-03-01"
    assert police["nature"] == "fact" and police["currency"] == "current"
    assert police["review"] == {
        "concerns_others": True,
        "other_people": 1,
        "agency_review": "police",
    }
    assert items[str(health_item.pk)]["review"] == {
        "concerns_others": False,
        "other_people": 0,
        "agency_review": "health",
    }

    [consent] = data["consent_records"]
    stored = entered["consent"]
    assert consent["id"] == str(stored.pk)
    assert consent["person_id"] == str(people[2].pk)
    assert consent["purpose"] == stored.purpose
    assert consent["given_on"] == "2026-02-01"
    assert consent["method"] == "verbal" and consent["giver_relationship"] == "mother"

    # The readable bundle shows the same things, escaped.
    for text in [
        police_item.text,
        health_item.text,
        stored.purpose,
        entered["enquiries"][0].concern,
    ]:
        assert text.replace("'", "&#x27;") in html
    assert "Review before release" in html and "from police" in html
    # Nothing about the other child in the fourth enquiry.
    assert entered["enquiries"][3].concern not in html
    assert "MASH-SAR-3" not in json.dumps(data)


def test_the_export_is_recorded_with_ids_only(client_for: Any, entered: dict[str, Any]) -> None:
    _export(client_for("dpo"), entered)

    entry = RecordEntry.objects.get(action="export.downloaded")
    assert entry.actor_username == "dara"
    assert entry.details["export"] == "subject_access"
    assert entry.details["people"] == sorted(str(p.pk) for p in entered["people"][:3])
    assert entered["first"] not in repr(entry.details)
    search = RecordEntry.objects.get(action="sar.listed")
    assert search.details == {"found": 3, "with_date_of_birth": True}


def test_the_record_entries_about_their_information_are_in_the_export(
    client_for: Any, entered: dict[str, Any]
) -> None:
    from mash.records.services import record

    record(
        action="person.viewed",
        actor=entered["people"][0].enquiry.created_by,
        obj=entered["people"][0],
        enquiry=entered["enquiries"][0],
    )
    _, data, _ = _export(client_for("dpo"), entered)
    actions = [e["action"] for e in data["record_entries"]]
    assert "person.viewed" in actions
    viewed = next(e for e in data["record_entries"] if e["action"] == "person.viewed")
    assert viewed["actor_agency"] == "hub" and viewed["object_id"] == str(entered["people"][0].pk)


def test_mash_sar_waits_for_the_review_then_writes_the_same_export_from_an_id(
    entered: dict[str, Any], tmp_path: Any, cast: dict[str, Any]
) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from mash.retention import services
    from mash.retention.models import SubjectAccessReview

    out = tmp_path / "sar.zip"
    with pytest.raises(CommandError, match="to review before release") as waiting:
        call_command(
            "sar", str(entered["people"][0].pk), "--same-person", "--by", "dara", "--out", str(out)
        )
    assert waiting.value.returncode == 3
    assert not out.exists()
    review = SubjectAccessReview.objects.get()
    # The message names the review page and the command, never the person.
    assert f"/retention/subject-access/reviews/{review.pk}" in str(waiting.value)
    assert f"mash sar --review {review.pk}" in str(waiting.value)
    assert entered["first"] not in str(waiting.value)
    # Case differs in the second enquiry's last name: same person all the same.
    assert review.people == sorted(str(p.pk) for p in entered["people"][:3])

    services.decide_redactions(
        actor=cast["dpo"],
        review=review,
        decisions={p.pk: "accepted" for p in review.proposals.all()},
    )
    call_command("sar", "--review", str(review.pk), "--by", "dara", "--out", str(out))
    data = json.loads(zipfile.ZipFile(out).read("subject-access.json"))
    assert data["about"] == sorted(str(p.pk) for p in entered["people"][:3])
    assert data["enquiries"][0]["referrer_name"] == "[redacted: third party]"
    assert (out.stat().st_mode & 0o777) == 0o600
    entry = RecordEntry.objects.get(action="export.downloaded")
    assert entry.details["via"] == "command line"
    assert entry.actor_username == "dara" and entry.details["review"] == str(review.pk)


def test_mash_sar_writes_at_once_when_nothing_is_proposed(
    entered: dict[str, Any], tmp_path: Any
) -> None:
    from django.core.management import call_command

    out = tmp_path / "sar.zip"
    # The second enquiry names nobody else: nothing to review.
    call_command("sar", str(entered["people"][1].pk), "--by", "dara", "--out", str(out))
    data = json.loads(zipfile.ZipFile(out).read("subject-access.json"))
    assert data["about"] == [str(entered["people"][1].pk)]
    assert data["redactions"] == {}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--out", "x.zip", "--by", "dara"], "name the person's records, or --review"),
        (["--review", "not-a-uuid", "--out", "x.zip", "--by", "dara"], "not a review id"),
        (
            ["--review", "00000000-0000-4000-8000-000000000000", "--out", "x.zip", "--by", "dara"],
            "no review",
        ),
        (["--review", "00000000-0000-4000-8000-000000000000", "--out", "x.zip"], "--by"),
        (
            ["--review", "00000000-0000-4000-8000-000000000000", "--out", "x.zip", "--by", "hana"],
            "--by",
        ),
    ],
)
def test_mash_sar_refuses_what_it_cannot_do_with_exit_2(
    entered: dict[str, Any], tmp_path: Any, arguments: list[str], message: str, monkeypatch: Any
) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message) as refused:
        call_command("sar", *arguments)
    assert refused.value.returncode == 2
    assert not (tmp_path / "x.zip").exists()


@pytest.mark.parametrize("who", ["hub_practitioner", "hub_manager", "police_manager", "outsider"])
def test_only_the_hubs_dpo_may_search_or_export(
    client_for: Any, entered: dict[str, Any], who: str
) -> None:
    client = client_for(who)
    assert client.get("/retention/subject-access").status_code == 403
    posted = client.post(
        "/retention/subject-access", {"first_name": entered["first"], "last_name": entered["last"]}
    )
    assert posted.status_code == 403
    assert (
        client.post(
            "/retention/subject-access/results", {"person": [str(entered["people"][0].pk)]}
        ).status_code
        == 403
    )
    assert not RecordEntry.objects.filter(action="export.downloaded").exists()


def test_a_person_not_in_the_search_results_cannot_be_exported(
    client_for: Any, entered: dict[str, Any]
) -> None:
    client = client_for("dpo")
    client.post(
        "/retention/subject-access",
        {
            "first_name": entered["first"],
            "last_name": entered["last"],
            "date_of_birth_day": "28",
            "date_of_birth_month": "2",
            "date_of_birth_year": "2014",
        },
    )
    other = entered["people"][3]
    response = client.post("/retention/subject-access/results", {"person": [str(other.pk)]})
    assert response.status_code == 400
    assert "Select the records that are about the person" in response.content.decode()


def test_the_export_holds_each_shares_lawful_basis_how_and_why_necessary(
    client_for: Any, entered: dict[str, Any]
) -> None:
    _request, decision, _item = entered["police"]
    decision.lawful_basis = {
        "chosen": {"article_6": "6(1)(e)", "article_9": None, "article_10": True},
        "words": ["UK GDPR Article 6(1)(e): public task"],
    }
    decision.how = "strategy_discussion"
    decision.question = {"necessity": {"necessary": "To protect her.", "proportionate": "Two."}}
    decision.save()
    _, data, _html = _export(client_for("dpo"), entered)
    got = data["decisions"][0]
    assert got["lawful_basis"]["chosen"]["article_6"] == "6(1)(e)"
    assert got["how"] == "strategy_discussion"
    assert got["necessity"] == {"necessary": "To protect her.", "proportionate": "Two."}
    assert data["requests"][0]["purpose_code"] == ""
