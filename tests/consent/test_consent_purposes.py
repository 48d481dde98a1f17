"""Consent for this purpose (issue 15; Guidance, Consent to Share Information: "Do you
have consent to share this information for this purpose?"). A register record can be
limited to purposes chosen from the hub's purposes list; the guidance then treats a
request for another purpose as not covered by it, saying why, and a request for one of
them as covered. The purpose in words is kept as well, and never matched."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from mash.consent import services
from mash.consent.models import ConsentRecord
from mash.consent.selectors import consent_position, consent_position_for_people
from mash.guidance.models import SharingPurpose
from mash.policy import decide
from mash.records.models import RecordEntry


@pytest.fixture
def purposes(db: Any) -> dict[str, Any]:
    return {
        code: SharingPurpose.objects.update_or_create(code=code, defaults={"name": name})[0]
        for code, name in [
            ("early_help_assessment", "Early help assessment"),
            ("section_47_enquiry", "Child protection enquiry (section 47)"),
        ]
    }


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "status": "given",
        "giver": "parental_responsibility",
        "giver_relationship": "mother",
        "scope": "all",
        "purpose": "An early help assessment for the family",
        "purpose_scope": "some",
        "purposes": ["early_help_assessment"],
        "category_scope": "all",
        "information_covered": "School attendance",
        "method": "written",
        "given_on-day": "3",
        "given_on-month": "1",
        "given_on-year": "2026",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _question(consent: dict[str, Any], purpose_code: str) -> dict[str, Any]:
    return {
        "purpose": {"legitimate": True, "description": "MASH enquiry", "code": purpose_code},
        "identifies_individual": True,
        "confidential": True,
        "recipient_agency": "police",
        "consent": consent,
        "risk": {"significant_harm": False},
    }


def _record(actor: Any, person: Any, **overrides: Any) -> ConsentRecord:
    import datetime as dt

    fields: dict[str, Any] = {
        "actor": actor,
        "person": person,
        "status": "given",
        "giver": "parental_responsibility",
        "giver_relationship": "mother",
        "purpose": "An early help assessment",
        "purposes": ["early_help_assessment"],
        "method": "written",
        "given_on": dt.date(2026, 1, 3),
    }
    fields.update(overrides)
    return services.record_consent(**fields)


def test_the_page_records_the_purposes_a_consent_is_limited_to(
    client_for: Any, child: Any, purposes: Any
) -> None:
    page = client_for("hub_practitioner").get(f"/consent/people/{child.pk}/record")
    assert b"Early help assessment" in page.content
    response = client_for("hub_practitioner").post(f"/consent/people/{child.pk}/record", _form())
    assert response.status_code == 302
    consent = ConsentRecord.objects.get(person=child)
    assert consent.purposes == ["early_help_assessment"]
    entry = RecordEntry.objects.get(action="consent.recorded")
    assert entry.details["purposes"] == ["early_help_assessment"]
    shown = client_for("hub_practitioner").get(f"/consent/people/{child.pk}/")
    assert b"Limited to: Early help assessment" in shown.content


def test_not_limited_is_the_default_and_says_so(client_for: Any, child: Any, purposes: Any) -> None:
    response = client_for("hub_practitioner").post(
        f"/consent/people/{child.pk}/record", _form(purpose_scope="all", purposes=None)
    )
    assert response.status_code == 302
    consent = ConsentRecord.objects.get(person=child)
    assert consent.purposes == []
    assert consent.purpose_codes() is None
    assert RecordEntry.objects.get(action="consent.recorded").details["purposes"] == "all"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"purposes": None}, b"Select the purposes the consent covers"),
        ({"purposes": ["not_a_purpose"]}, b"Select purposes from the hub"),
    ],
    ids=["limited but none chosen", "a purpose not on the list"],
)
def test_bad_purposes_are_named_and_nothing_is_saved(
    client_for: Any, child: Any, purposes: Any, overrides: dict[str, Any], message: bytes
) -> None:
    response = client_for("hub_practitioner").post(
        f"/consent/people/{child.pk}/record", _form(**overrides)
    )
    assert response.status_code == 400
    assert message in response.content
    assert not ConsentRecord.objects.filter(person=child).exists()


def test_the_service_refuses_a_purpose_the_hub_does_not_keep(
    cast: dict[str, Any], child: Any, purposes: Any
) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(cast["hub_practitioner"], child, purposes=["made_up"])
    assert "purposes" in refused.value.message_dict
    with pytest.raises(ValidationError) as empty:
        _record(cast["hub_practitioner"], child, purposes=[])
    assert "purposes" in empty.value.message_dict
    assert not ConsentRecord.objects.exists()


def test_a_consent_covers_a_request_for_its_purpose_and_not_another(
    cast: dict[str, Any], child: Any, purposes: Any
) -> None:
    _record(cast["hub_practitioner"], child)
    position = consent_position(person=child, recipient_agency="police")
    assert position.consent["purposes"] == ["early_help_assessment"]

    covered = decide(_question(position.consent, "early_help_assessment"))
    assert covered.outcome.value == "share"
    assert covered.basis is not None and covered.basis.value == "consent"

    other = decide(_question(position.consent, "section_47_enquiry"))
    assert other.basis is None or other.basis.value != "consent"
    assert any("does not cover the purpose" in reason for reason in other.reasons)


def test_a_consent_not_limited_carries_no_purposes(
    cast: dict[str, Any], child: Any, purposes: Any
) -> None:
    _record(cast["hub_practitioner"], child, purposes=None)
    position = consent_position(person=child, recipient_agency="police")
    assert "purposes" not in position.consent
    decision = decide(_question(position.consent, "section_47_enquiry"))
    assert decision.basis is not None and decision.basis.value == "consent"


def test_a_withdrawal_keeps_the_purposes_of_the_consent_it_withdraws(
    cast: dict[str, Any], child: Any, purposes: Any
) -> None:
    import datetime as dt

    given = _record(cast["hub_practitioner"], child)
    withdrawn = services.withdraw_consent(
        actor=cast["hub_practitioner"],
        withdraws=given,
        giver="parental_responsibility",
        giver_relationship="mother",
        method="verbal",
        given_on=dt.date(2026, 1, 5),
    )
    assert withdrawn.purposes == ["early_help_assessment"]


def test_everyone_together_is_covered_only_for_the_purposes_all_consents_share(
    cast: dict[str, Any], people: dict[str, Any], purposes: Any
) -> None:
    _record(cast["hub_practitioner"], people["child"])
    _record(
        cast["hub_practitioner"],
        people["mother"],
        giver="self",
        giver_relationship="",
        purposes=["early_help_assessment", "section_47_enquiry"],
    )
    combined = consent_position_for_people(
        people=[people["child"], people["mother"]], recipient_agency="police"
    )
    assert combined.consent["purposes"] == ["early_help_assessment"]


def test_the_api_takes_and_gives_the_purposes(client_for: Any, child: Any, purposes: Any) -> None:
    client = client_for("hub_practitioner")
    body = {
        "status": "given",
        "giver": "parental_responsibility",
        "giver_relationship": "mother",
        "purpose": "Early help",
        "purposes": ["early_help_assessment"],
        "method": "written",
        "given_on": "2026-01-03",
    }
    created = client.post(
        f"/api/v1/consent/people/{child.pk}/records", body, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["purposes"] == ["early_help_assessment"]
    bad = client.post(
        f"/api/v1/consent/people/{child.pk}/records",
        {**body, "purposes": ["nope"]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "purposes" in bad.content.decode()
    position = client.get(f"/api/v1/consent/people/{child.pk}/position", {"agency": "police"})
    assert position.status_code == 200
    assert position.json()["consent"]["purposes"] == ["early_help_assessment"]


def test_the_fhir_export_carries_the_hub_purposes_it_is_limited_to(
    cast: dict[str, Any], child: Any, purposes: Any
) -> None:
    from mash.consent.fhir import PURPOSE_SYSTEM, to_fhir

    consent = _record(cast["hub_practitioner"], child)
    exported = to_fhir(consent)
    codes = [(c["system"], c["code"]) for c in exported["provision"]["purpose"]]
    assert (PURPOSE_SYSTEM, "early_help_assessment") in codes
    assert (PURPOSE_SYSTEM, "section_47_enquiry") not in codes


def test_the_history_page_looks_up_purpose_names_once_however_many_records(
    client_for: Any, cast: dict[str, Any], child: Any, purposes: Any
) -> None:
    """The person's consent page names each record's purposes; the names come in one
    query for the page, not one (or two) a record."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("hub_practitioner")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(f"/consent/people/{child.pk}/")
        assert page.status_code == 200
        assert page.content.count(b"Limited to: Early help assessment") == (
            ConsentRecord.objects.filter(person=child).count()
        )
        return len(captured)

    _record(cast["hub_practitioner"], child)
    one = queries()
    for day in range(4, 10):
        _record(cast["hub_practitioner"], child, given_on=dt.date(2026, 1, day))
    assert queries() == one
