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
  enquiry, the referrer, the author of an opinion): review it for redaction;
- ``agency_review``: the information came from a partner agency (its decision or
  disclosure): that agency sees it before release.

Before the export is released the hub proposes redactions (``proposals``: the names of
the third parties it knows, found in the text, by ``redaction``); the DPO accepts or
rejects each (``services.decide_redactions``) and the export applies the accepted
ones (``export(redactions=...)``), replacing each with ``[redacted: third party]``.

The export itself is recorded (``export.downloaded``, with the people's ids only, and
where and why each redaction was made: never the text redacted).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from mash.consent.models import ConsentRecord
from mash.enquiries import permissions as enquiry_permissions
from mash.enquiries.models import (
    Enquiry,
    Feedback,
    Person,
    StrategyAction,
    StrategyAttendance,
    StrategyDiscussion,
    ThresholdDecision,
)
from mash.records.models import Action, RecordEntry
from mash.records.services import record
from mash.sharing.models import (
    Decision,
    DisclosureItem,
    InformationRequest,
    OnwardShare,
    PersonInformed,
)

from . import redaction
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
THRESHOLD_FIELDS = (
    "id",
    "enquiry_id",
    "decided_at",
    "referral_service",
    "rationale",
    "status",
    "reviewed_at",
    "return_reason",
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
    "adequacy_confirmed",
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
    "third_party",
    "third_party_consideration",
    "created_at",
)
# The hub passing items on (UK GDPR Article 15(1)(c): the recipients to whom the personal
# data have been disclosed).
ONWARD_FIELDS = ("id", "enquiry_id", "purpose", "article_6", "article_9", "shared_at")
CONSENT_FIELDS = (
    "id",
    "person_id",
    "status",
    "giver",
    "giver_relationship",
    "gillick_competent",
    "all_agencies",
    "purpose",
    "purposes",
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
        "threshold_decisions": [],
        "disclosures": [],
        "onward_shares": [],
        "feedback": [],
        "strategy_discussions": [],
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
            Decision.objects.filter(request=req)
            .select_related("agency")
            .prefetch_related(
                Prefetch(
                    "informing",
                    queryset=PersonInformed.objects.filter(person_id__in=ids),
                    to_attr="their_informing",
                )
            )
            .order_by("decided_at")
        ):
            out["decisions"].append(
                {
                    **_fields(decision, DECISION_FIELDS),
                    # Whether they (not anyone else) were told of a share without consent.
                    "informing": [
                        _fields(
                            told,
                            ("id", "person_id", "answer", "told_on", "tell_by", "ground", "reason"),
                        )
                        for told in decision.their_informing
                    ],
                    # v2: why the share was necessary and proportionate, as recorded.
                    "necessity": (decision.question or {}).get("necessity"),
                    "agency": decision.agency.code,
                    "review": _review(
                        others=len(others),
                        agency=None if decision.agency.is_hub else decision.agency.code,
                    ),
                }
            )
    for threshold in (
        ThresholdDecision.objects.filter(enquiry_id__in=enquiry_ids)
        .select_related("level")
        .order_by("decided_at")
    ):
        out["threshold_decisions"].append(
            {
                **_fields(threshold, THRESHOLD_FIELDS),
                "level_of_need": threshold.level.name,
                "outcomes": threshold.outcome_labels,
                "review": _review(others=0),
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
        # An opinion's author is a third party too (the guidance keeps each opinion
        # with whose it is; DPA 2018 Sch. 2 para. 16: the source of information).
        author = 1 if item.nature == "opinion" and item.source.strip() else 0
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
                    others=len(others) + author, agency=None if agency.is_hub else agency.code
                ),
            }
        )
    item_ids = [entry["id"] for entry in out["disclosures"]]
    onward = (
        OnwardShare.objects.filter(items__id__in=item_ids)
        .distinct()
        .select_related("recipient", "enquiry")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=DisclosureItem.objects.filter(pk__in=item_ids).select_related(
                    "decision__agency"
                ),
                to_attr="their_items",
            )
        )
        .order_by("shared_at")
    )
    for share in onward:
        out["onward_shares"].append(
            {
                **_fields(share, ONWARD_FIELDS),
                "recipient": share.recipient.code,
                "recipient_name": share.recipient.name,
                "enquiry_reference": share.enquiry.reference,
                "items": sorted(str(item.pk) for item in share.their_items),
                "givers": sorted({item.decision.agency.code for item in share.their_items}),
                "review": _review(others=0),
            }
        )
    _hub_day(out, enquiry_ids)
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


def _hub_day(out: dict[str, Any], enquiry_ids: set[Any]) -> None:
    """What the hub told the referrer of its decision, and the strategy discussions
    held about the enquiries (what each agency contributed, the decisions and the
    actions): both are about the child and the family of those enquiries."""
    for feedback in Feedback.objects.filter(enquiry_id__in=enquiry_ids).order_by("sent_at"):
        out["feedback"].append(
            {
                # Not ``sent_to``: the referrer's own address is theirs, not the subject's.
                **_fields(feedback, ("id", "enquiry_id", "method", "text", "sent_at")),
                "review": _review(others=1),
            }
        )
    discussions = (
        StrategyDiscussion.objects.filter(enquiry_id__in=enquiry_ids)
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=StrategyAttendance.objects.select_related("agency").order_by(
                    "agency__name"
                ),
            ),
            Prefetch(
                "actions",
                queryset=StrategyAction.objects.select_related("agency").order_by("due_on"),
            ),
        )
        .order_by("held_at")
    )
    for discussion in discussions:
        out["strategy_discussions"].append(
            {
                **_fields(discussion, ("id", "enquiry_id", "held_at", "decisions")),
                "attendances": [
                    {"id": str(a.pk), "agency": a.agency.code, "contribution": a.contribution}
                    for a in discussion.attendances.all()
                ],
                "actions": [
                    {
                        "id": str(a.pk),
                        "agency": a.agency.code,
                        "description": a.description,
                        "due_on": _value(a.due_on),
                        "done_at": _value(a.done_at),
                    }
                    for a in discussion.actions.all()
                ],
                "review": _review(others=0),
            }
        )


SECTIONS = (
    ("people", "How you are recorded"),
    ("enquiries", "Enquiries"),
    ("requests", "Requests to agencies"),
    ("decisions", "Sharing decisions"),
    ("threshold_decisions", "The hub's decisions on what happens next"),
    ("disclosures", "Information shared by agencies"),
    ("onward_shares", "Information the hub passed on to other agencies"),
    ("feedback", "What the hub told the person who raised the concern"),
    ("strategy_discussions", "Strategy discussions"),
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


# Proposed redactions -------------------------------------------------------------

# The free text of each section searched for third parties' names. A field path with
# dots names a field inside a list: ``corrections.<version>.text``,
# ``disputes.<id>.statement``.
SCANNED: dict[str, tuple[str, ...]] = {
    "people": ("other_names", "relationship", "role_in_concern"),
    "enquiries": (
        "concern",
        "referrer_role",
        "referrer_organisation",
        "consent_obtained_from",
        "consent_not_obtained_reason",
        "rag_rationale",
        "outcome_rationale",
    ),
    "requests": ("purpose",),
    "decisions": (
        "justification",
        "not_sharing_reasons",
        "not_informed_reason",
        "proportionality",
        "consent_details",
        "correction_reason",
    ),
    "threshold_decisions": ("referral_service", "rationale", "return_reason"),
    "disclosures": ("text", "historical_explanation", "source", "third_party_consideration"),
    "onward_shares": ("purpose",),
    "feedback": ("text",),
    "strategy_discussions": ("decisions",),
    "consent_records": ("purpose", "information_covered"),
}
# Lists inside a section's items, by the key that names each element, and their text.
NESTED: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "decisions": {"informing": ("id", ("reason",))},
    "disclosures": {
        "corrections": ("version", ("text", "reason")),
        "disputes": ("id", ("statement", "resolution")),
    },
    "strategy_discussions": {
        "attendances": ("id", ("contribution",)),
        "actions": ("id", ("description",)),
    },
}

# Labels of text in the hub's-day sections, where the plain field name would mislead.
NESTED_LABELS = {
    "informing": "Why they were not told",
    "attendances": "An agency's contribution",
    "actions": "An agreed action",
}
SECTION_FIELD_LABELS = {
    ("feedback", "text"): "What the referrer was told",
    ("strategy_discussions", "decisions"): "The discussion's decisions",
}

FIELD_LABELS = {
    "referrer_name": "The referrer's name",
    "referrer_contact": "The referrer's contact details",
    "referrer_role": "The referrer's role",
    "referrer_organisation": "The referrer's organisation",
    "concern": "The concern",
    "consent_obtained_from": "Who consent was obtained from",
    "consent_not_obtained_reason": "Why consent was not obtained",
    "rag_rationale": "The reason for the urgency",
    "outcome_rationale": "The reason for the outcome",
    "purpose": "The purpose",
    "justification": "The justification",
    "not_sharing_reasons": "The reasons for not sharing",
    "not_informed_reason": "Why the person was not told",
    "proportionality": "Proportionality",
    "consent_details": "Consent",
    "correction_reason": "The reason for the correction",
    "referral_service": "The service referred to",
    "rationale": "The reason for the decision",
    "return_reason": "Why a manager sent it back",
    "text": "The information shared",
    "historical_explanation": "Why historical information is relevant",
    "source": "The source",
    "information_covered": "The information covered",
    "third_party_consideration": "Why information about a third party was shared",
    "other_names": "Other names",
    "relationship": "Relationship",
    "role_in_concern": "Role in the concern",
}


@dataclass(frozen=True)
class Proposal:
    """A proposed redaction: ``text`` at ``start:end`` of ``field`` of the item with
    ``object_id`` in ``section`` of the bundle, for a third party (``kind``)."""

    section: str
    object_id: str
    field: str
    start: int
    end: int
    text: str
    kind: redaction.ThirdParty
    detail: str
    enquiry_id: str

    @property
    def key(self) -> tuple[str, str, str, int, int, str]:
        return (self.section, self.object_id, self.field, self.start, self.end, self.kind)

    @property
    def reason(self) -> str:
        words = redaction.REASONS[self.kind]
        return f"{words} ({self.detail})" if self.detail else words

    @property
    def field_label(self) -> str:
        parts = self.field.split(".")
        if len(parts) == 3 and parts[0] in NESTED_LABELS:
            return NESTED_LABELS[parts[0]]
        if (self.section, self.field) in SECTION_FIELD_LABELS:
            return SECTION_FIELD_LABELS[(self.section, self.field)]
        if len(parts) == 3:
            what = "Correction" if parts[0] == "corrections" else "Challenge"
            suffix = "" if parts[2] in ("text", "statement") else f": {parts[2]}"
            number = f" {parts[1]}" if parts[0] == "corrections" else ""
            return f"{what}{number}{suffix}"
        return FIELD_LABELS.get(self.field, self.field.replace("_", " ").capitalize())


def field_value(item: dict[str, Any], path: str) -> Any:
    """The value at ``path`` in a bundle item (see ``SCANNED``/``NESTED``)."""
    parts = path.split(".")
    if len(parts) == 1:
        return item.get(path)
    name, key, inner = parts
    key_field = NESTED_KEYS.get(name, "id")
    for element in item.get(name) or []:
        if str(element.get(key_field)) == key:
            return element.get(inner)
    return None


NESTED_KEYS = {name: key for lists in NESTED.values() for name, (key, _) in lists.items()}


def _set_value(item: dict[str, Any], path: str, value: str) -> None:
    parts = path.split(".")
    if len(parts) == 1:
        item[path] = value
        return
    name, key, inner = parts
    for element in item.get(name) or []:
        if str(element.get(NESTED_KEYS.get(name, "id"))) == key:
            element[inner] = value


def _paths(section: str, item: dict[str, Any]) -> Iterator[str]:
    yield from SCANNED.get(section, ())
    for name, (key, fields) in NESTED.get(section, {}).items():
        for element in item.get(name) or []:
            for inner in fields:
                yield f"{name}.{element.get(key)}.{inner}"


def _enquiry_of(data: dict[str, Any], people: list[Person]) -> dict[tuple[str, str], str]:
    """The enquiry each item of the bundle belongs to (its data key seals a proposal)."""
    out: dict[tuple[str, str], str] = {}
    by_person = {str(p.pk): str(p.enquiry_id) for p in people}
    for person in data["people"]:
        out[("people", person["id"])] = by_person[person["id"]]
    for enquiry in data["enquiries"]:
        out[("enquiries", enquiry["id"])] = enquiry["id"]
    request_enquiry = {r["id"]: r["enquiry_id"] for r in data["requests"]}
    for request_id, enquiry_id in request_enquiry.items():
        out[("requests", request_id)] = enquiry_id
    decisions = {d["id"]: request_enquiry.get(d["request_id"], "") for d in data["decisions"]}
    for decision_id, enquiry_id in decisions.items():
        out[("decisions", decision_id)] = enquiry_id
    for threshold in data["threshold_decisions"]:
        out[("threshold_decisions", threshold["id"])] = threshold["enquiry_id"]
    for item in data["disclosures"]:
        enquiry_id = decisions.get(item["decision_id"]) or ""
        if not enquiry_id:
            enquiry_id = str(
                DisclosureItem.objects.filter(pk=item["id"])
                .values_list("decision__request__enquiry_id", flat=True)
                .first()
                or ""
            )
        out[("disclosures", item["id"])] = enquiry_id
    for consent in data["consent_records"]:
        out[("consent_records", consent["id"])] = by_person.get(consent["person_id"], "")
    for share in data.get("onward_shares", []):
        out[("onward_shares", share["id"])] = share["enquiry_id"]
    for section in ("feedback", "strategy_discussions"):
        for entry in data.get(section, []):
            out[(section, entry["id"])] = entry["enquiry_id"]
    return out


def third_parties(
    data: dict[str, Any], people: list[Person]
) -> tuple[redaction.Subject, list[redaction.KnownName]]:
    """The data subject's own names, and every third party the hub knows by name in the
    bundle: the other people of the subject's enquiries, the referrers, and the people
    named as the source of an opinion."""
    ids = {p.pk for p in people}
    subject = redaction.Subject(
        names=tuple((p.first_name, p.last_name) for p in people),
        other=tuple(p.other_names for p in people if p.other_names),
    )
    known: list[redaction.KnownName] = []
    others = (
        Person.objects.filter(enquiry_id__in={p.enquiry_id for p in people})
        .exclude(pk__in=ids)
        .order_by("enquiry__reference", "created_at")
    )
    for other in others:
        known.append(
            redaction.KnownName(
                given=other.first_name,
                family=other.last_name,
                other=(other.other_names,) if other.other_names else (),
                kind=redaction.ThirdParty.OTHER_PERSON,
                detail=other.get_kind_display().lower(),
            )
        )
    for enquiry in data["enquiries"]:
        referrer = redaction.person_name(
            enquiry.get("referrer_name") or "", redaction.ThirdParty.REFERRER
        )
        if referrer is not None:
            known.append(referrer)
    for item in data["disclosures"]:
        if item.get("nature") == "opinion":
            author = redaction.author_name(item.get("source") or "")
            if author is not None:
                known.append(author)
    return subject, known


def proposals(data: dict[str, Any], people: Iterable[Person]) -> list[Proposal]:
    """The redactions the hub proposes for this bundle (``bundle``), in the bundle's
    order: the referrer's name and contact details and an opinion's source whole, and
    every third party's name found in the free text."""
    chosen = list(people)
    subject, known = third_parties(data, chosen)
    enquiry_of = _enquiry_of(data, chosen)
    out: list[Proposal] = []

    def whole(section: str, item: dict[str, Any], path: str, kind: redaction.ThirdParty) -> bool:
        value = field_value(item, path)
        if not isinstance(value, str) or not value.strip():
            return False
        name = redaction.person_name(value, kind)
        if name is not None and subject.is_subject(name):
            return False
        start = len(value) - len(value.lstrip())
        end = len(value.rstrip())
        out.append(
            Proposal(
                section,
                item["id"],
                path,
                start,
                end,
                value[start:end],
                kind,
                "",
                enquiry_of[(section, item["id"])],
            )
        )
        return True

    for section, _title in SECTIONS:
        if section not in SCANNED:
            continue
        for item in data[section]:
            first = len(out)
            done: set[str] = set()
            if section == "enquiries":
                for path in ("referrer_name", "referrer_contact"):
                    if whole(section, item, path, redaction.ThirdParty.REFERRER):
                        done.add(path)
            if (
                section == "disclosures"
                and item.get("nature") == "opinion"
                and whole(section, item, "source", redaction.ThirdParty.OPINION_AUTHOR)
            ):
                done.add("source")
            for path in _paths(section, item):
                value = field_value(item, path)
                if path in done or not isinstance(value, str):
                    continue
                for span in redaction.names_in(value, third_parties=known, subject=subject):
                    out.append(
                        Proposal(
                            section,
                            item["id"],
                            path,
                            span.start,
                            span.end,
                            span.text,
                            span.kind,
                            span.detail,
                            enquiry_of[(section, item["id"])],
                        )
                    )
            # In the order the item's fields are shown: the referrer first, then the text.
            order = ["referrer_name", "referrer_contact", *_paths(section, item)]
            out[first:] = sorted(out[first:], key=lambda p: (order.index(p.field), p.start))
    return out


def redacted(data: dict[str, Any], accepted: Iterable[Proposal]) -> dict[str, Any]:
    """A copy of the bundle with the accepted proposals replaced by ``[redacted: third
    party]``, each item's ``review`` saying how many were made in it, and the whole
    bundle how many for each reason. A proposal whose text is no longer where it was
    found raises ``ValueError`` (the caller checks the review is current first)."""
    out = copy.deepcopy(data)
    spans: dict[tuple[str, str, str], list[Proposal]] = {}
    for proposal in accepted:
        spans.setdefault((proposal.section, proposal.object_id, proposal.field), []).append(
            proposal
        )
    by_id = {
        (section, item["id"]): item
        for section, _ in SECTIONS
        for item in out[section]
        if isinstance(item, dict) and "id" in item
    }
    reasons: dict[str, int] = {}
    for (section, object_id, path), found in spans.items():
        item = by_id.get((section, object_id))
        value = field_value(item, path) if item is not None else None
        if item is None or not isinstance(value, str):
            raise ValueError("a proposed redaction no longer matches the records")
        for proposal in found:
            if value[proposal.start : proposal.end] != proposal.text:
                raise ValueError("a proposed redaction no longer matches the records")
            reasons[redaction.REASONS[proposal.kind]] = (
                reasons.get(redaction.REASONS[proposal.kind], 0) + 1
            )
        _set_value(item, path, redaction.apply(value, [(p.start, p.end) for p in found]))
        review = item.setdefault("review", {})
        review["redactions"] = review.get("redactions", 0) + len(found)
    out["redactions"] = dict(sorted(reasons.items()))
    return out


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


def export(
    *,
    actor: Any,
    people: Iterable[Person],
    via: str,
    redactions: Iterable[Proposal] | None = None,
    review: Any = None,
) -> bytes:
    """Build the ZIP and record the export (ids only), in one transaction. Refuses
    (``RestrictedRecords``) if any person is in an enquiry restricted from the actor.
    With ``redactions`` (the accepted proposals of the DPO's ``review``), the ZIP has
    each replaced by ``[redacted: third party]`` and the record says where and why."""
    chosen = list(people)
    if not chosen:
        raise ValueError("a subject access export names at least one person")
    if len(chosen) > MAX_PEOPLE:
        raise ValueError(f"a subject access export names at most {MAX_PEOPLE} records")
    blocked = restricted_people(actor, chosen)
    if blocked:
        raise RestrictedRecords(sorted({p.enquiry.reference for p in chosen if p.pk in blocked}))
    applied = list(redactions or [])
    with transaction.atomic():
        data = bundle(chosen)
        if redactions is not None:
            data = redacted(data, applied)
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
                **(
                    {
                        "review": str(review.pk),
                        "redactions": [
                            {
                                "section": p.section,
                                "object_id": p.object_id,
                                "field": p.field,
                                "reason": str(p.kind),
                            }
                            for p in applied
                        ],
                    }
                    if review is not None
                    else {}
                ),
            },
        )
    return content


# The DPO's review page -----------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    """One stored proposal as the review page shows it: in context."""

    proposal: Any  # models.RedactionProposal
    field_label: str
    reason: str
    before: str
    text: str
    after: str
    number: int = 0
    chosen: str = ""  # the decision shown selected: stored, or as just posted


@dataclass(frozen=True)
class ReviewGroup:
    label: str
    rows: list[ReviewRow]


@dataclass(frozen=True)
class ReviewPage:
    groups: list[ReviewGroup]
    current: bool  # the stored proposals are those the records give now
    total: int


def _label(section: str, item: dict[str, Any]) -> str:
    reference = item.get("enquiry_reference") or item.get("reference") or ""
    agency = str(item.get("agency") or "").capitalize()
    labels = {
        "people": f"Their record in enquiry {reference}",
        "enquiries": f"Enquiry {reference}",
        "requests": f"Request to {agency} in enquiry {reference}",
        "decisions": f"{agency}'s sharing decision",
        "disclosures": f"Information shared by {agency} in enquiry {reference}",
        "consent_records": f"Consent record of {item.get('given_on') or ''}".strip(),
        "feedback": f"What the referrer was told in enquiry {reference}",
        "strategy_discussions": f"Strategy discussion of {item.get('held_at') or ''}".strip(),
        "onward_shares": (
            f"Passed on by the hub to {item.get('recipient_name') or ''} in enquiry {reference}"
        ),
    }
    return labels.get(section, section)


def review_page(stored: list[Any], people: list[Person], posted: Any = None) -> ReviewPage:
    """The stored proposals (``RedactionProposal`` rows, in order) grouped by the item
    of the export they are in, each with a short excerpt of the text around it as it
    is now; and whether they are still the proposals the records give."""
    data = bundle(people)
    found = {p.key: p for p in proposals(data, people)}
    items = {
        (section, item["id"]): item
        for section, _ in SECTIONS
        for item in data[section]
        if "id" in item
    }
    current = len(found) == len(stored) and all(
        row.key in found and found[row.key].text == row.text for row in stored
    )
    groups: dict[tuple[str, str], ReviewGroup] = {}
    for number, row in enumerate(stored, start=1):
        item = items.get((row.section, row.object_id))
        value = field_value(item, row.field) if item is not None else None
        text = str(row.text)
        before, after = "", ""
        if isinstance(value, str) and value[row.start : row.end] == text:
            before, text, after = redaction.excerpt(value, row.start, row.end)
        proposal = Proposal(
            row.section,
            row.object_id,
            row.field,
            row.start,
            row.end,
            text,
            redaction.ThirdParty(row.kind),
            row.detail,
            str(row.enquiry_id),
        )
        group = groups.setdefault(
            (row.section, row.object_id),
            ReviewGroup(label=_label(row.section, item or {}), rows=[]),
        )
        group.rows.append(
            ReviewRow(
                proposal=row,
                field_label=proposal.field_label,
                reason=proposal.reason,
                before=before,
                text=text,
                after=after,
                number=number,
                chosen=(posted or {}).get(f"decision-{row.pk}", "") or row.decision,
            )
        )
    return ReviewPage(groups=list(groups.values()), current=current, total=len(stored))
