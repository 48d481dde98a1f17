"""Recording consent given or refused through the page: the register gains one record
and the record gains one ``consent.recorded`` entry, or, on bad input, the page names
the field and nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest

from mash.consent.models import ConsentRecord
from mash.records.models import RecordEntry


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "status": "given",
        "giver": "parental_responsibility",
        "giver_relationship": "mother",
        "scope": "some",
        "agencies": ["police", "health"],
        "purpose": "MASH enquiry about bruising seen at school",
        "category_scope": "all",
        "information_covered": "Health visitor notes and school attendance",
        "method": "verbal",
        "given_on-day": "3",
        "given_on-month": "1",
        "given_on-year": "2026",
        "given_time": "2:30pm",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_it_records_verbal_consent_with_its_time_as_explicit_partial_consent(
    client_for: Any, child: Any, cast: dict[str, Any]
) -> None:
    response = client_for("hub_practitioner").post(f"/consent/people/{child.pk}/record", _form())
    assert response.status_code == 302
    assert response["Location"] == f"/consent/people/{child.pk}/"
    consent = ConsentRecord.objects.get(person=child)
    assert consent.status == "given"
    assert consent.agency_codes() == ["health", "police"]
    assert consent.given_time is not None and consent.given_time.hour == 14
    assert consent.explicit is True
    assert consent.recorded_by == cast["hub_practitioner"]
    entry = RecordEntry.objects.get(action="consent.recorded")
    assert entry.object_id == str(consent.pk)
    assert entry.enquiry_id == child.enquiry_id
    assert entry.details["agencies"] == ["health", "police"]
    assert "bruising" not in str(entry.details)


def test_a_partner_agency_records_the_consent_it_obtained(
    client_for: Any, child: Any, open_request: Any
) -> None:
    response = client_for("police_practitioner").post(
        f"/consent/people/{child.pk}/record", _form(status="refused", scope="all", agencies=None)
    )
    assert response.status_code == 302
    consent = ConsentRecord.objects.get(person=child)
    assert consent.status == "refused"
    assert consent.recorded_by_agency is not None
    assert consent.recorded_by_agency.code == "police"


def test_the_history_shows_who_recorded_what_newest_first(
    client_for: Any, child: Any, make_record: Any
) -> None:
    older = make_record(child, day=1)
    newer = make_record(child, status="refused", day=5)
    page = client_for("hub_practitioner").get(f"/consent/people/{child.pk}/")
    content = page.content.decode()
    assert content.index(f"record-{newer.pk}") < content.index(f"record-{older.pk}")
    assert "Hana Tester" in content
    assert "Consent refused, 5 January 2026" in content


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"status": None}, "status", "Select whether consent was given or refused"),
        ({"giver_relationship": ""}, "giver_relationship", "Enter the relationship to the child"),
        ({"agencies": None}, "agencies", "Select the agencies the consent covers"),
        ({"purpose": ""}, "purpose", "Enter the purpose the consent is for"),
        (
            {"category_scope": "some"},
            "categories",
            "Select the kinds of information the consent covers",
        ),
        ({"method": None}, "method", "Select how consent was given or refused"),
        ({"given_on-day": ""}, "given_on-day", "must include a day"),
        ({"given_on-month": "13"}, "given_on-day", "must be a real date"),
        ({"given_on-year": "2999"}, "given_on-day", "must be today or in the past"),
        ({"given_time": "teatime"}, "given_time", "Enter the time like 14:30"),
        ({"agencies": ["nowhere"]}, "agencies", "Select agencies from the list"),
        (
            {
                "valid_from-day": "5",
                "valid_from-month": "1",
                "valid_from-year": "2026",
                "valid_until-day": "4",
                "valid_until-month": "1",
                "valid_until-year": "2026",
            },
            "valid_until-day",
            "Valid until must be the same as or after valid from",
        ),
        (
            {"giver": "self", "gillick_competent": None},
            "gillick_competent",
            "Select whether the child was judged competent",
        ),
        (
            {"giver": "self", "gillick_competent": "no"},
            "gillick_competent",
            "A child judged not competent to decide cannot give consent themselves",
        ),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    client_for: Any, child: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = client_for("hub_practitioner").post(
        f"/consent/people/{child.pk}/record", _form(**overrides)
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content
    assert f'href="#{field}"' in content
    assert message in content
    assert not ConsentRecord.objects.exists()
    assert not RecordEntry.objects.filter(action="consent.recorded").exists()


def test_a_parent_cannot_be_recorded_as_giving_consent_through_parental_responsibility(
    client_for: Any, people: dict[str, Any]
) -> None:
    response = client_for("hub_practitioner").post(
        f"/consent/people/{people['mother'].pk}/record", _form()
    )
    assert response.status_code == 400
    assert "Only a child&#x27;s consent can be given by someone with parental" in (
        response.content.decode()
    )


def test_the_form_keeps_what_was_typed_after_an_error(client_for: Any, child: Any) -> None:
    response = client_for("hub_practitioner").post(
        f"/consent/people/{child.pk}/record", _form(method=None)
    )
    content = response.content.decode()
    assert 'value="3"' in content
    assert "MASH enquiry about bruising seen at school" in content


def test_consent_can_name_the_hub_a_partner_shares_with(client_for: Any, child: Any) -> None:
    response = client_for("hub_practitioner").post(
        f"/consent/people/{child.pk}/record", _form(agencies=["hub", "health"])
    )
    assert response.status_code == 302
    assert ConsentRecord.objects.get().agency_codes() == ["health", "hub"]


def test_consent_cannot_name_another_hub(client_for: Any, child: Any) -> None:
    from mash.agencies.models import Agency

    Agency.objects.create(code="other-hub", name="Other MASH", kind="other", is_hub=True)
    response = client_for("hub_practitioner").post(
        f"/consent/people/{child.pk}/record", _form(agencies=["other-hub"])
    )
    assert response.status_code == 400
    assert not ConsentRecord.objects.exists()
