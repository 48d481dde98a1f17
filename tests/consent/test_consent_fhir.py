"""Any consent record exports as an HL7 FHIR R4 Consent resource, validated with the
``fhir.resources`` models (R4B, which leaves Consent as it was in R4)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from fhir.resources.R4B.consent import Consent

from mash.consent.fhir import to_fhir
from mash.consent.models import ConsentRecord
from mash.records.models import RecordEntry

from .test_consent_evidence import PDF
from .test_recording_consent import _form


def _validated(data: dict[str, Any]) -> Consent:
    return Consent.model_validate(data)


def test_partial_explicit_consent_exports_as_an_active_permit_for_the_named_agencies(
    make_record: Any, child: Any
) -> None:
    consent = make_record(
        child,
        agencies_=["police", "health"],
        categories=["health"],
        valid_until=dt.date(2099, 1, 1),
    )
    resource = _validated(to_fhir(consent))
    assert resource.status == "active"
    assert resource.scope.coding[0].code == "patient-privacy"
    assert resource.patient.identifier.value == f"urn:uuid:{child.pk}"
    assert resource.provision.type == "permit"
    assert [a.reference.identifier.value for a in resource.provision.actor] == ["health", "police"]
    assert [a.role.coding[0].code for a in resource.provision.actor] == ["IRCP", "IRCP"]
    assert [c.code for c in resource.provision.class_fhir] == ["health"]
    assert str(resource.provision.period.end) == "2099-01-01"
    assert resource.policyRule.coding[0].code == "OPTIN"
    assert resource.contained[0].relationship[0].text == "mother"
    assert resource.performer[0].reference == "#giver"
    assert resource.organization[0].identifier.value == "hub"


def test_a_refusal_exports_as_an_active_consent_with_a_deny_provision(
    make_record: Any, child: Any
) -> None:
    """The person's "do not share" is in force: an active Consent whose provision denies
    disclosure (R4 ``rejected`` would say the consent record itself was rejected)."""
    resource = _validated(to_fhir(make_record(child, status="refused", giver="self")))
    assert resource.status == "active"
    assert resource.provision.type == "deny"
    assert [c.code for c in resource.provision.action[0].coding] == ["disclose"]
    assert "consent-explicit" not in {e.url.rsplit("/", 1)[1] for e in resource.extension}
    assert resource.policyRule.coding[0].code == "OPTOUT"
    assert resource.performer[0].identifier.value == f"urn:uuid:{child.pk}"
    assert resource.provision.actor is None


def test_withdrawn_and_expired_consent_export_as_inactive(make_record: Any, child: Any) -> None:
    given = make_record(child)
    expired = make_record(child, valid_until=dt.date(2026, 1, 2))
    withdrawal = make_record(child, status="withdrawn", day=3)
    withdrawal_of_given = ConsentRecord.objects.get(pk=withdrawal.pk)
    assert _validated(to_fhir(withdrawal_of_given)).status == "inactive"
    assert _validated(to_fhir(expired)).status == "inactive"
    assert _validated(to_fhir(given)).status == "active"


def test_consent_with_only_a_date_exports_a_date(make_record: Any, child: Any) -> None:
    resource = to_fhir(make_record(child, day=4, time=None))
    assert resource["dateTime"] == "2026-01-04"
    _validated(resource)


def test_the_export_never_holds_the_persons_name(make_record: Any, child: Any) -> None:
    text = json.dumps(to_fhir(make_record(child)))
    assert child.first_name not in text
    assert child.last_name not in text


def test_the_download_is_access_checked_recorded_and_points_at_the_evidence(
    client_for: Any, child: Any
) -> None:
    client = client_for("hub_practitioner")
    upload = SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf")
    client.post(f"/consent/people/{child.pk}/record", {**_form(), "evidence": upload})
    consent = ConsentRecord.objects.get()
    response = client.get(f"/consent/records/{consent.pk}/fhir")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response["Content-Disposition"].startswith("attachment;")
    resource = _validated(json.loads(response.content))
    assert resource.sourceAttachment.contentType == "application/pdf"
    assert resource.sourceAttachment.url.endswith(f"/consent/records/{consent.pk}/evidence")
    assert resource.sourceAttachment.size == len(PDF)
    entry = RecordEntry.objects.get(action="export.downloaded")
    assert entry.object_id == str(consent.pk)
    assert entry.details == {"format": "fhir-r4-consent"}


@pytest.mark.parametrize("method", ["written", "verbal", "privacy_notice"])
def test_every_method_exports_a_valid_resource(make_record: Any, child: Any, method: str) -> None:
    resource = _validated(to_fhir(make_record(child, method=method)))
    explicit = {e.url.rsplit("/", 1)[1]: e for e in resource.extension}["consent-explicit"]
    assert explicit.valueBoolean is (method != "privacy_notice")


def test_a_withdrawal_is_inactive_and_never_claims_explicit_consent(
    make_record: Any, child: Any
) -> None:
    make_record(child)
    withdrawal = make_record(child, status="withdrawn", day=3)
    data = to_fhir(withdrawal)
    resource = _validated(data)
    assert resource.status == "inactive"
    assert resource.provision.type == "deny"
    assert resource.policyRule.coding[0].code == "OPTOUT"
    urls = {e["url"].rsplit("/", 1)[1]: e for e in data["extension"]}
    assert "consent-explicit" not in urls
    assert '"valueBoolean": true' not in json.dumps(
        [e for e in data["extension"] if e["url"].endswith("consent-explicit")]
    )


def test_an_expired_refusal_is_inactive(make_record: Any, child: Any) -> None:
    refusal = make_record(child, status="refused", valid_until=dt.date(2026, 1, 2))
    assert _validated(to_fhir(refusal)).status == "inactive"


def test_the_purpose_is_a_v3_purpose_of_use_code_with_the_words(
    make_record: Any, child: Any
) -> None:
    resource = _validated(to_fhir(make_record(child)))
    codings = [(c.system, c.code, c.display) for c in resource.provision.purpose]
    assert codings == [
        ("http://terminology.hl7.org/CodeSystem/v3-ActReason", "THREAT", "threat"),
        ("urn:mash:purpose", "mash-enquiry", "MASH enquiry"),
    ]


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("mother", "MTH"),
        ("Father", "FTH"),
        ("the child's mother", "MTH"),
        ("parent", "PRN"),
        ("Special guardian", "GUARD"),
        ("stepfather", "STPFTH"),
        ("adoptive mother", "ADOPTM"),
        ("grandmother", "GRMTH"),
        ("Aunt, under a child arrangements order", None),
    ],
)
def test_the_parent_s_relationship_is_a_v3_role_code_where_one_exists(
    make_record: Any, child: Any, words: str, code: str | None
) -> None:
    consent = make_record(child)
    ConsentRecord.objects.filter(pk=consent.pk).update(giver_relationship=words)
    consent = ConsentRecord.objects.get(pk=consent.pk)
    relationship = _validated(to_fhir(consent)).contained[0].relationship[0]
    assert relationship.text == words
    if code is None:
        assert relationship.coding is None
    else:
        assert relationship.coding[0].system == "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
        assert relationship.coding[0].code == code
