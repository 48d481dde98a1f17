"""A consent record as an HL7 FHIR R4 ``Consent`` resource (JSON).

The mapping, field by field and with the reason for each choice, is in
``docs/consent.md``. In short: a consent given and in force is ``active`` with a
``permit`` provision; a refusal is also ``active``, with a ``deny`` provision (the
person's "do not share" is in force: R4 ``rejected`` would mean the consent record
itself was rejected, so a receiving system would read it as no instruction at all); a
withdrawal is ``inactive`` with a ``deny`` provision; a consent that has expired or was
since withdrawn is ``inactive``. The purpose is the v3 PurposeOfUse code ``THREAT``
beside the purpose in words; a parent's relationship is a v3 RoleCode where one matches
the words recorded. The agencies become the provision's information-recipient actors,
the kinds of information its data classes, the evidence a ``sourceAttachment``. The
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


PURPOSE_OF_USE = {
    # v3 ActReason, in the v3 PurposeOfUse value set (R4 Consent.provision.purpose's
    # extensible binding): operations on information to prevent or lessen a serious
    # threat to the health or safety of an individual or the public. The hub's
    # information sharing is for safeguarding a child (Introduction: "to safeguard and
    # promote the welfare of children at risk of abuse or neglect"); see docs/consent.md.
    "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
    "code": "THREAT",
    "display": "threat",
}
ROLE_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
ROLE_CODES: dict[str, tuple[str, str]] = {
    # The words a practitioner records for someone with parental responsibility, to the
    # v3 RoleCode (personal relationship) it means. Anything else stays text only.
    "mother": ("MTH", "mother"),
    "mum": ("MTH", "mother"),
    "birth mother": ("NMTH", "natural mother"),
    "natural mother": ("NMTH", "natural mother"),
    "father": ("FTH", "father"),
    "dad": ("FTH", "father"),
    "birth father": ("NFTH", "natural father"),
    "natural father": ("NFTH", "natural father"),
    "parent": ("PRN", "parent"),
    "step-mother": ("STPMTH", "stepmother"),
    "stepmother": ("STPMTH", "stepmother"),
    "step-father": ("STPFTH", "stepfather"),
    "stepfather": ("STPFTH", "stepfather"),
    "step-parent": ("STPPRN", "step parent"),
    "stepparent": ("STPPRN", "step parent"),
    "adoptive mother": ("ADOPTM", "adoptive mother"),
    "adoptive father": ("ADOPTF", "adoptive father"),
    "adoptive parent": ("ADOPTP", "adoptive parent"),
    "guardian": ("GUARD", "guardian"),
    "special guardian": ("GUARD", "guardian"),
    "legal guardian": ("GUARD", "guardian"),
    "grandmother": ("GRMTH", "grandmother"),
    "grandfather": ("GRFTH", "grandfather"),
    "grandparent": ("GRPRN", "grandparent"),
}


def relationship_concept(words: str) -> dict[str, Any]:
    """``RelatedPerson.relationship``: the words recorded as ``text`` and, where they
    name a relationship v3 RoleCode has, its coding."""
    concept: dict[str, Any] = {"text": words}
    key = " ".join(words.strip().lower().replace("\u2019", "'").split())
    key = key.removeprefix("the child's ").removeprefix("child's ")
    found = ROLE_CODES.get(key)
    if found is not None:
        concept["coding"] = [{"system": ROLE_CODE_SYSTEM, "code": found[0], "display": found[1]}]
    return concept


def fhir_status(consent: ConsentRecord, *, today: dt.date | None = None) -> str:
    """R4 ``Consent.status``: given and in force and not withdrawn -> ``active``;
    refused -> ``active`` (the refusal, a ``deny`` provision, is in force) unless
    outside its validity; withdrawn, expired or withdrawn since -> ``inactive``."""
    today = today or timezone.localdate()
    if consent.status == ConsentStatus.REFUSED:
        return "active" if consent.in_force_on(today) else "inactive"
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
            # Explicit is a property of consent given (docs/consent.md, "Explicit
            # consent"): a refusal or a withdrawal carries none.
            *(
                [{"url": f"{EXTENSION_BASE}/consent-explicit", "valueBoolean": consent.explicit}]
                if consent.status == ConsentStatus.GIVEN
                else []
            ),
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
                "relationship": [relationship_concept(consent.giver_relationship)],
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
        "purpose": [
            PURPOSE_OF_USE,
            {"system": PURPOSE_SYSTEM, "code": "mash-enquiry", "display": consent.purpose},
            # The hub purposes it is limited to (Consent: "for this purpose"), each a
            # code of the hub's purposes list.
            *(
                {"system": PURPOSE_SYSTEM, "code": code, "display": name}
                for code, name in zip(consent.purposes, consent.purpose_names, strict=True)
            ),
        ],
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
