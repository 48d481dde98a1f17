"""A consent record as an HL7 FHIR R4 ``Consent`` resource (JSON).

The mapping, field by field, is in ``docs/consent.md``. In short: status given/refused/
withdrawn becomes ``active`` (or ``inactive`` once expired or withdrawn) with a
``permit`` provision, ``rejected`` with a ``deny`` provision, and ``inactive`` with a
``deny`` provision; the agencies become the provision's information-recipient actors;
the kinds of information its data classes; the evidence a ``sourceAttachment``. The
person is referred to by identifier only: no name leaves in the export.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from .models import ConsentRecord, ConsentStatus, Giver

URN = "urn:ietf:rfc:3986"
AGENCY_SYSTEM = "urn:mash:agency"
CATEGORY_SYSTEM = "urn:mash:information-category"
PURPOSE_SYSTEM = "urn:mash:purpose"
EXTENSION_BASE = "urn:mash:fhir:StructureDefinition"
SCOPE = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/consentscope",
            "code": "patient-privacy",
            "display": "Privacy Consent",
        }
    ]
}
CATEGORY = [
    {"coding": [{"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}]},
    {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                "code": "IDSCL",
                "display": "information disclosure",
            }
        ]
    },
]
RECIPIENT_ROLE = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
            "code": "IRCP",
            "display": "information recipient",
        }
    ]
}
DISCLOSE = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/consentaction",
            "code": "disclose",
            "display": "Disclose",
        }
    ]
}


def _policy_rule(code: str, display: str) -> dict[str, Any]:
    return {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                "code": code,
                "display": display,
            }
        ]
    }


def _uuid_identifier(value: Any) -> dict[str, str]:
    return {"system": URN, "value": f"urn:uuid:{value}"}


def fhir_status(consent: ConsentRecord, *, today: dt.date | None = None) -> str:
    """R4 ``Consent.status``: given and in force and not withdrawn -> ``active``;
    refused -> ``rejected``; withdrawn, expired or withdrawn since -> ``inactive``."""
    today = today or timezone.localdate()
    if consent.status == ConsentStatus.REFUSED:
        return "rejected"
    if consent.status == ConsentStatus.WITHDRAWN:
        return "inactive"
    if consent.withdrawals.exists() or not consent.in_force_on(today):
        return "inactive"
    return "active"


def to_fhir(consent: ConsentRecord, *, evidence_url: str | None = None) -> dict[str, Any]:
    """The record as a FHIR R4 Consent resource (a dict ready for ``json.dumps``)."""
    patient = {"type": "Patient", "identifier": _uuid_identifier(consent.person_id)}
    resource: dict[str, Any] = {
        "resourceType": "Consent",
        "id": str(consent.pk),
        "identifier": [_uuid_identifier(consent.pk)],
        "status": fhir_status(consent),
        "scope": SCOPE,
        "category": CATEGORY,
        "patient": patient,
        "dateTime": consent.given_at.isoformat(),
        "extension": [
            {"url": f"{EXTENSION_BASE}/consent-method", "valueCode": consent.method},
            {"url": f"{EXTENSION_BASE}/consent-explicit", "valueBoolean": consent.explicit},
            {
                "url": f"{EXTENSION_BASE}/consent-recorded",
                "valueDateTime": consent.recorded_at.isoformat(),
            },
        ],
    }
    if consent.given_time is None:
        # Only the day is known: a FHIR date-only dateTime says so.
        resource["dateTime"] = consent.given_on.isoformat()
    if consent.gillick_competent is not None:
        resource["extension"].append(
            {
                "url": f"{EXTENSION_BASE}/gillick-competent",
                "valueBoolean": consent.gillick_competent,
            }
        )
    if consent.information_covered:
        resource["extension"].append(
            {
                "url": f"{EXTENSION_BASE}/information-covered",
                "valueString": consent.information_covered,
            }
        )
    if consent.withdraws_id:
        resource["extension"].append(
            {
                "url": f"{EXTENSION_BASE}/withdraws",
                "valueIdentifier": _uuid_identifier(consent.withdraws_id),
            }
        )
    if consent.giver == Giver.PARENTAL_RESPONSIBILITY:
        resource["contained"] = [
            {
                "resourceType": "RelatedPerson",
                "id": "giver",
                "patient": patient,
                "relationship": [{"text": consent.giver_relationship}],
            }
        ]
        resource["performer"] = [{"reference": "#giver"}]
    else:
        resource["performer"] = [patient]
    if consent.recorded_by_agency is not None:
        resource["organization"] = [
            {
                "type": "Organization",
                "identifier": {"system": AGENCY_SYSTEM, "value": consent.recorded_by_agency.code},
                "display": consent.recorded_by_agency.name,
            }
        ]
    if consent.has_evidence:
        attachment: dict[str, Any] = {
            "contentType": consent.evidence_content_type,
            "size": consent.evidence_size,
            "title": "Consent form",
            "creation": consent.recorded_at.isoformat(),
        }
        if evidence_url:
            attachment["url"] = evidence_url
        resource["sourceAttachment"] = attachment
    given = consent.status == ConsentStatus.GIVEN
    resource["policyRule"] = (
        _policy_rule("OPTIN", "opt-in") if given else _policy_rule("OPTOUT", "opt-out")
    )
    provision: dict[str, Any] = {
        "type": "permit" if given else "deny",
        "action": [DISCLOSE],
        "purpose": [{"system": PURPOSE_SYSTEM, "code": "mash-enquiry", "display": consent.purpose}],
    }
    period = {}
    if consent.valid_from:
        period["start"] = consent.valid_from.isoformat()
    if consent.valid_until:
        period["end"] = consent.valid_until.isoformat()
    if period:
        provision["period"] = period
    if not consent.all_agencies:
        provision["actor"] = [
            {
                "role": RECIPIENT_ROLE,
                "reference": {
                    "type": "Organization",
                    "identifier": {"system": AGENCY_SYSTEM, "value": agency.code},
                    "display": agency.name,
                },
            }
            for agency in sorted(consent.agencies.all(), key=lambda a: a.code)
        ]
    if not consent.all_categories:
        provision["class"] = [
            {"system": CATEGORY_SYSTEM, "code": code, "display": label}
            for code, label in zip(
                consent.category_codes() or [], consent.category_labels(), strict=True
            )
        ]
    resource["provision"] = provision
    return resource
