"""Subject access requests: everything the hub holds about a person, as a ZIP of a
readable HTML bundle and the same as JSON.

UK GDPR Article 15 gives a person the right to a copy of their personal data; the
guidance (Record) keeps what was shared and why. The hub records each person per
enquiry (``enquiries.Person``), so "a person" here is one or more of those rows: the
DPO finds them by name and date of birth (a search posted from a page, never in a URL)
or names them by id (``mash sar PERSON_ID --same-person``, which adds every row with
the same name and date of birth).

Every item is flagged for the DPO's review before release:

- ``concerns_others``: the item is also about someone else (another person in the
  enquiry, the referrer): review it for redaction;
- ``agency_review``: the information came from a partner agency (its decision or
  disclosure): that agency sees it before release.

The export itself is recorded (``export.downloaded``, with the people's ids only).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from mash.consent.models import ConsentRecord
from mash.enquiries import permissions as enquiry_permissions
from mash.enquiries.models import Enquiry, Person
from mash.records.models import Action, RecordEntry
from mash.records.services import record
from mash.sharing.models import Decision, DisclosureItem, InformationRequest

from .models import Dispute, ItemCorrection, Tombstone

MAX_PEOPLE = 50


def find_people(
    *, first_name: str, last_name: str, date_of_birth: dt.date | None
) -> QuerySet[Person]:
    """Rows for people with this name (case-insensitive) and, if given, date of birth."""
    query = Person.objects.filter(
        first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip()
    )
    if date_of_birth is not None:
        query = query.filter(date_of_birth=date_of_birth)
    return query.select_related("enquiry").order_by("enquiry__reference", "created_at")


def same_person(person: Person) -> QuerySet[Person]:
    """Every row with the same name and date of birth as ``person`` (including it)."""
    query = Person.objects.filter(
        first_name__iexact=person.first_name, last_name__iexact=person.last_name
    )
    if person.date_of_birth is not None:
        query = query.filter(date_of_birth=person.date_of_birth)
    else:
        query = query.filter(pk=person.pk)
    return query.order_by("enquiry__reference", "created_at")


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _fields(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: _value(getattr(obj, name)) for name in names}


def _review(*, others: int, agency: str | None = None) -> dict[str, Any]:
    return {
        "concerns_others": others > 0,
        "other_people": others,
        "agency_review": agency,
    }


PERSON_FIELDS = (
    "id",
    "kind",
    "first_name",
    "last_name",
    "other_names",
    "date_of_birth",
    "estimated_age",
    "date_of_death",
    "address",
    "school_or_setting",
    "relationship",
    "role_in_concern",
    "created_at",
)
ENQUIRY_FIELDS = (
    "id",
    "reference",
    "status",
    "received_at",
    "source",
    "referrer_name",
    "referrer_role",
    "referrer_organisation",
    "referrer_contact",
    "concern",
    "immediate_danger",
    "consent_to_refer",
    "consent_obtained_from",
    "consent_not_obtained_reason",
    "rag",
    "rag_rationale",
    "outcome",
    "outcome_rationale",
    "closed_at",
    "created_at",
)
REQUEST_FIELDS = (
    "id",
    "enquiry_id",
    "purpose",
    "purpose_code",
    "deadline",
    "status",
    "created_at",
    "withdrawn_at",
)
DECISION_FIELDS = (
    "id",
    "request_id",
    "decided_at",
    "outcome",
    "basis",
    "grounds",
    "without_consent",
    "reasons",
    "justification",
    "not_sharing_reasons",
    "informed",
    "not_informed_reason",
    "proportionality",
    "consent_details",
    "lawful_basis",
    "how",
    "supersedes_id",
    "correction_reason",
)
ITEM_FIELDS = (
    "id",
    "decision_id",
    "text",
    "nature",
    "recorded_on",
    "source",
    "currency",
    "historical_explanation",
    "sensitive",
    "created_at",
)
CONSENT_FIELDS = (
    "id",
    "person_id",
    "status",
    "giver",
    "giver_relationship",
    "gillick_competent",
    "all_agencies",
    "purpose",
    "all_categories",
    "categories",
    "information_covered",
    "method",
    "given_on",
    "given_time",
    "valid_from",
    "valid_until",
    "withdraws_id",
    "evidence_name",
    "recorded_at",
)


def bundle(people: Iterable[Person]) -> dict[str, Any]:
    """Everything held about these people (one person, recorded in several enquiries)."""
    chosen = list(people)
    ids = {p.pk for p in chosen}
    enquiry_ids = {p.enquiry_id for p in chosen}
    enquiries = Enquiry.objects.filter(pk__in=enquiry_ids).prefetch_related("people")
    out: dict[str, Any] = {
        "generated_at": _value(timezone.now()),
        "about": sorted(str(pk) for pk in ids),
        "people": [],
        "enquiries": [],
        "requests": [],
        "decisions": [],
        "disclosures": [],
        "consent_records": [],
        "record_entries": [],
        "destroyed": [],
    }
    for person in sorted(chosen, key=lambda p: (p.enquiry.reference, p.created_at)):
        out["people"].append(
            {**_fields(person, PERSON_FIELDS), "enquiry_reference": person.enquiry.reference}
        )
    for enquiry in enquiries.order_by("reference"):
        others = [p for p in enquiry.people.all() if p.pk not in ids]
        referrer = 1 if enquiry.referrer_name.strip() else 0
        out["enquiries"].append(
            {
                **_fields(enquiry, ENQUIRY_FIELDS),
                "hub": enquiry.hub.code,
                "review": _review(others=len(others) + referrer),
            }
        )
    requests = (
        InformationRequest.objects.filter(people__in=ids)
        .distinct()
        .select_related("agency", "enquiry")
        .prefetch_related("people")
        .order_by("enquiry__reference", "created_at")
    )
    request_ids = []
    for req in requests:
        request_ids.append(req.pk)
        others = [p for p in req.people.all() if p.pk not in ids]
        out["requests"].append(
            {
                **_fields(req, REQUEST_FIELDS),
                "enquiry_reference": req.enquiry.reference,
                "agency": req.agency.code,
                "review": _review(others=len(others)),
            }
        )
        for decision in (
            Decision.objects.filter(request=req).select_related("agency").order_by("decided_at")
        ):
            out["decisions"].append(
                {
                    **_fields(decision, DECISION_FIELDS),
                    # v2: why the share was necessary and proportionate, as recorded.
                    "necessity": (decision.question or {}).get("necessity"),
                    "agency": decision.agency.code,
                    "review": _review(
                        others=len(others),
                        agency=None if decision.agency.is_hub else decision.agency.code,
                    ),
                }
            )
    items = (
        DisclosureItem.objects.filter(people__in=ids)
        .distinct()
        .select_related("decision__agency", "decision__request__enquiry")
        .prefetch_related("people")
        .order_by("decision__request__enquiry__reference", "created_at")
    )
    for item in items:
        others = [p for p in item.people.all() if p.pk not in ids]
        agency = item.decision.agency
        out["disclosures"].append(
            {
                **_fields(item, ITEM_FIELDS),
                "disputes": [
                    _fields(
                        d,
                        (
                            "id",
                            "person_id",
                            "statement",
                            "received_on",
                            "status",
                            "resolution",
                            "resolved_at",
                        ),
                    )
                    for d in Dispute.objects.filter(item=item).order_by("recorded_at")
                ],
                "corrections": [
                    _fields(c, ("version", "text", "reason", "recorded_at"))
                    for c in ItemCorrection.objects.filter(item=item).order_by("version")
                ],
                "agency": agency.code,
                "enquiry_reference": item.decision.request.enquiry.reference,
                "review": _review(
                    others=len(others), agency=None if agency.is_hub else agency.code
                ),
            }
        )
    for consent in ConsentRecord.objects.filter(person__in=ids).order_by("given_on", "recorded_at"):
        out["consent_records"].append(
            {
                **_fields(consent, CONSENT_FIELDS),
                "agencies": consent.agency_codes(),
                "review": _review(others=0),
            }
        )
    entries = RecordEntry.objects.filter(
        Q(object_id__in=[str(pk) for pk in ids]) | Q(enquiry_id__in=enquiry_ids)
    ).order_by("seq")
    for entry in entries:
        out["record_entries"].append(
            {
                "seq": entry.seq,
                "at": _value(entry.at),
                "action": entry.action,
                "action_label": entry.action_label,
                "actor_agency": entry.actor_agency,
                "actor_role": entry.actor_role,
                "object_type": entry.object_type,
                "object_id": entry.object_id,
                "enquiry_id": _value(entry.enquiry_id),
                "review": _review(others=0),
            }
        )
    for stone in Tombstone.objects.filter(enquiry_id__in=enquiry_ids).order_by("destroyed_at"):
        out["destroyed"].append(
            {
                "kind": stone.kind,
                "object_id": str(stone.object_id),
                "rule_applied": stone.rule_applied,
                "destroyed_at": _value(stone.destroyed_at),
            }
        )
    return out


SECTIONS = (
    ("people", "How you are recorded"),
    ("enquiries", "Enquiries"),
    ("requests", "Requests to agencies"),
    ("decisions", "Sharing decisions"),
    ("disclosures", "Information shared by agencies"),
    ("consent_records", "Consent records"),
    ("record_entries", "Who viewed or changed your information"),
    ("destroyed", "Information destroyed under retention schedules"),
)


def zip_bytes(data: dict[str, Any]) -> bytes:
    html = render_to_string(
        "retention/sar_bundle.html",
        {
            "data": data,
            "sections": [
                (key, title, [_rows(item) for item in data[key]]) for key, title in SECTIONS
            ],
        },
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject-access.json", json.dumps(data, indent=2, sort_keys=True))
        archive.writestr("subject-access.html", html)
    return buffer.getvalue()


def _rows(item: dict[str, Any]) -> dict[str, Any]:
    review = item.get("review") or {}
    return {
        "fields": [
            (key.replace("_", " ").capitalize(), "" if value is None else value)
            for key, value in item.items()
            if key != "review"
        ],
        "review": review,
    }


class RestrictedRecords(ValueError):
    """The export names people in restricted enquiries the actor is not named on and
    has not broken the glass on: the DPO breaks the glass (a reason, recorded, for a
    limited time) like anyone else before their content goes into an export."""

    def __init__(self, references: list[str]) -> None:
        self.references = references
        super().__init__(
            "restricted "
            + ("enquiry " if len(references) == 1 else "enquiries ")
            + ", ".join(references)
            + ": break the glass on each in the hub's pages first"
        )


def restricted_people(actor: Any, people: Iterable[Person]) -> set[uuid.UUID]:
    """The ids of the people whose enquiry's restriction keeps ``actor`` out (the same
    rule as the enquiry page: ``mash.enquiries.permissions.restricted_for``)."""
    chosen = list(people)
    blocked = enquiry_permissions.restricted_for(actor, {p.enquiry_id for p in chosen})
    return {p.pk for p in chosen if p.enquiry_id in blocked}


def export(*, actor: Any, people: Iterable[Person], via: str) -> bytes:
    """Build the ZIP and record the export (ids only), in one transaction. Refuses
    (``RestrictedRecords``) if any person is in an enquiry restricted from the actor."""
    chosen = list(people)
    if not chosen:
        raise ValueError("a subject access export names at least one person")
    if len(chosen) > MAX_PEOPLE:
        raise ValueError(f"a subject access export names at most {MAX_PEOPLE} records")
    blocked = restricted_people(actor, chosen)
    if blocked:
        raise RestrictedRecords(sorted({p.enquiry.reference for p in chosen if p.pk in blocked}))
    with transaction.atomic():
        data = bundle(chosen)
        content = zip_bytes(data)
        record(
            action=Action.EXPORT_DOWNLOADED,
            actor=actor,
            object_type="enquiries.person",
            object_id=str(chosen[0].pk),
            enquiry=chosen[0].enquiry_id if len({p.enquiry_id for p in chosen}) == 1 else None,
            details={
                "export": "subject_access",
                "via": via,
                "people": sorted(str(p.pk) for p in chosen),
                "enquiries": sorted({str(p.enquiry_id) for p in chosen}),
                "items": {key: len(data[key]) for key, _ in SECTIONS},
            },
        )
    return content
