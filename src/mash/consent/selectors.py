"""Reading the consent register: the consent position of a person, and of an enquiry.

``consent_position(person=..., recipient_agency=..., category=..., at=...)`` answers
"what is the consent position of this person, for this recipient agency, this purpose
and this kind of information, at this moment", as the decision contract's ``consent``
object (``docs/consent.md`` and ``contracts/sharing-decision.md``) plus
the record that decided it. The rules, in the guidance's order:

1. Only records that exist at that moment count: given (refused, withdrawn) on or
   before it, and entered in the register on or before it.
2. A record outside its validity (``valid_until`` passed or ``valid_from`` still to
   come) counts as no consent at all (Guidance, Consent: "Do you have consent to share
   this information for this purpose?").
3. A record decides for the question only when it covers it: its agencies include the
   recipient (or are all agencies) and its kinds of information include the kind asked
   about (Guidance, Partial Consent: "does this include the agency you want to share it
   with?"). When the question does not name a kind of information, consent must cover
   every kind, while a refusal or withdrawal of any kind counts (the careful reading).
4. Of the covering records, the latest event decides: latest by date and time given,
   then by when it was entered. So a later refusal or withdrawal ends an earlier
   consent, and a later consent replaces an earlier refusal, each only for what it
   covers: a later consent for health alone leaves an earlier refusal standing for
   police.
5. No covering record, but consent is held for other agencies: the position is
   ``given`` with those agencies listed, so the decision sees partial consent that does
   not include the recipient.
6. Otherwise: ``not_sought`` when the enquiry records that consent was not obtained and
   why (Guidance, Consent to Share Information: "Where consent has not been obtained,
   reasons for this will be documented"); ``unknown`` in every other case, including
   when the only records have expired.

Purpose: a record may be limited to purposes chosen from the hub's purposes list; the
position's ``consent`` object then carries them (``purposes``) and the guidance treats a
consent that does not list the request's purpose as not given, saying why (Consent:
"for this purpose"). The register never matches purposes in words: the deciding record's
words are returned for the practitioner to read beside theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from mash.agencies.models import Agency
from mash.enquiries.models import ConsentToRefer, Enquiry, Person

from .models import Category, ConsentRecord, ConsentStatus

# The contract's consent statuses, worst first (used when combining several people).
_WORST_FIRST = ("refused", "withdrawn", "not_sought", "unknown", "given")


@dataclass(frozen=True)
class ConsentPosition:
    """The consent position of one person for one recipient, kind of information and
    moment. ``consent`` is the decision contract's ``consent`` object, ready to put in
    a sharing question; ``record`` is the register record that decided it (None when
    no record did)."""

    status: str
    agencies: list[str] | None
    explicit: bool
    recorded_at: dt.datetime | None
    record: ConsentRecord | None
    explanation: str
    reason_not_sought: str = ""
    purpose: str = ""
    expired: list[ConsentRecord] = field(default_factory=list)
    # The hub purposes the deciding record is limited to (None: not limited).
    purposes: list[str] | None = None

    @property
    def consent(self) -> dict[str, Any]:
        """The contract's ``consent`` object (sharing-decision.md, version 1)."""
        value: dict[str, Any] = {
            "status": self.status,
            "agencies": list(self.agencies) if self.agencies is not None else None,
            "explicit": self.explicit,
        }
        if self.recorded_at is not None:
            value["recorded_at"] = self.recorded_at.isoformat()
        if self.status == "not_sought" and self.reason_not_sought:
            value["reason_not_sought"] = self.reason_not_sought
        if self.purposes is not None:
            # Only when limited: the guidance then checks the request's purpose is one
            # of them (Consent: "for this purpose"; contract version 2).
            value["purposes"] = list(self.purposes)
        return value

    def covers(self, agency_code: str) -> bool:
        """Valid consent for sharing with this agency (ignoring sensitivity)."""
        return self.status == "given" and (self.agencies is None or agency_code in self.agencies)


_CATEGORY_OF_KIND = {
    "police": "police",
    "health": "health",
    "education": "education",
    "childrens_social_care": "social_care",
    "adult_social_care": "social_care",
    "housing": "housing",
    "probation": "probation",
}


def recipients_for(enquiry: Enquiry) -> list[Agency]:
    """The agencies a consent in this enquiry can name, hub first: the enquiry's hub
    (partners share with the hub) and every active partner agency (the hub shares with
    them)."""
    hub = Agency.objects.filter(pk=enquiry.hub_id)
    partners = Agency.objects.filter(is_hub=False, active=True)
    return list((hub | partners).order_by("-is_hub", "name"))


def category_held_by(agency: Agency) -> str | None:
    """The kind of information an agency holds, for asking about what it would share:
    police hold police information, a school education information, and so on. None
    (any kind) for an agency of another kind."""
    return _CATEGORY_OF_KIND.get(agency.kind)


def _code(agency: Agency | str) -> str:
    return agency if isinstance(agency, str) else agency.code


def _agency_set(consent: ConsentRecord) -> frozenset[str]:
    """The codes of the agencies a loaded record lists, worked out once per record
    (records are never changed, so the answer cannot go stale)."""
    cached: frozenset[str] | None = consent.__dict__.get("_agency_code_set")
    if cached is None:
        cached = frozenset(agency.code for agency in consent.agencies.all())
        consent.__dict__["_agency_code_set"] = cached
    return cached


def _covers_agency(consent: ConsentRecord, code: str) -> bool:
    return consent.all_agencies or code in _agency_set(consent)


def _covers_category(consent: ConsentRecord, category: str | None) -> bool:
    if consent.all_categories:
        return True
    if category is None:
        # Every kind asked about: consent must cover all of them; a refusal or
        # withdrawal of any kind counts.
        return consent.status != ConsentStatus.GIVEN
    return category in consent.categories


def _moment(consent: ConsentRecord) -> tuple[dt.datetime, dt.datetime, str]:
    """Event order: when given, then when entered; the id only breaks exact ties so the
    answer never depends on the order records were loaded in."""
    return (consent.given_at, consent.recorded_at, str(consent.pk))


def _recorded_at(consent: ConsentRecord) -> dt.datetime:
    """When it was given, when a time was recorded; otherwise when it was entered."""
    return consent.given_at if consent.given_time is not None else consent.recorded_at


def _existing(records: Iterable[ConsentRecord], at: dt.datetime) -> list[ConsentRecord]:
    return [r for r in records if r.given_at <= at and r.recorded_at <= at]


def resolve(
    records: Iterable[ConsentRecord],
    *,
    recipient_agency: Agency | str,
    category: str | None = None,
    at: dt.datetime | None = None,
    enquiry: Enquiry | None = None,
) -> ConsentPosition:
    """The resolution rules (module docstring) over records already loaded (with
    ``agencies`` prefetched). ``consent_position`` is the usual way in."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    code = _code(recipient_agency)
    existing = _existing(records, at)
    in_force = [r for r in existing if r.in_force_on(day)]
    expired = [r for r in existing if not r.in_force_on(day)]
    about = [r for r in in_force if _covers_category(r, category)]
    covering = [r for r in about if _covers_agency(r, code)]
    what = f"{Category(category).label.lower()} information" if category else "information"
    if covering:
        decided = max(covering, key=_moment)
        return ConsentPosition(
            status=decided.status,
            agencies=decided.agency_codes(),
            explicit=decided.explicit if decided.status == ConsentStatus.GIVEN else False,
            recorded_at=_recorded_at(decided),
            record=decided,
            explanation=(
                f"Consent {decided.get_status_display().lower()} on "
                f"{decided.given_on:%d %B %Y} covers {code} for {what}."
            ),
            purpose=decided.purpose,
            expired=expired,
            purposes=decided.purpose_codes(),
        )
    # Partial consent: held for other agencies, not for this one.
    others = sorted({c for r in about for c in _agency_set(r)} - {code})
    held = []
    for other in others:
        latest = max((r for r in about if _covers_agency(r, other)), key=_moment)
        if latest.status == ConsentStatus.GIVEN:
            held.append((other, latest))
    if held:
        decided = max((r for _, r in held), key=_moment)
        return ConsentPosition(
            status="given",
            agencies=sorted(other for other, _ in held),
            explicit=decided.explicit,
            recorded_at=_recorded_at(decided),
            record=decided,
            explanation=(
                f"Consent covers {', '.join(sorted(o for o, _ in held))} only, not {code}."
            ),
            purpose=decided.purpose,
            expired=expired,
            purposes=decided.purpose_codes(),
        )
    if enquiry is not None and enquiry.consent_to_refer == ConsentToRefer.NOT_OBTAINED:
        reason = enquiry.consent_not_obtained_reason.strip()
        if reason:
            return ConsentPosition(
                status="not_sought",
                agencies=None,
                explicit=False,
                recorded_at=None,
                record=None,
                explanation="Consent was not obtained; the enquiry records why.",
                reason_not_sought=reason,
                expired=expired,
            )
    explanation = (
        "The only consent records for this have expired or are not yet valid."
        if expired
        else f"No consent record covers {code} for {what}."
    )
    return ConsentPosition(
        status="unknown",
        agencies=None,
        explicit=False,
        recorded_at=None,
        record=None,
        explanation=explanation,
        expired=expired,
    )


def records_for(person: Person) -> QuerySet[ConsentRecord]:
    """A person's consent records, newest first, with their agencies."""
    return (
        ConsentRecord.objects.filter(person=person)
        .select_related("recorded_by", "recorded_by_agency", "withdraws")
        .prefetch_related("agencies")
        .order_by("-given_on", "-given_time", "-recorded_at")
    )


def consent_position(
    *,
    person: Person,
    recipient_agency: Agency | str,
    purpose: str = "",
    category: str | None = None,
    at: dt.datetime | None = None,
    consent_to_refer: bool = True,
) -> ConsentPosition:
    """The consent position of ``person`` for sharing ``category`` information (None:
    any kind) with ``recipient_agency`` for ``purpose`` at ``at`` (default now).

    ``position.consent`` is the decision contract's ``consent`` object; ``position.record``
    the record that decided it. ``purpose`` is not matched against the register (it is
    recorded in words): compare it with ``position.purpose``.

    ``consent_to_refer`` False leaves out the enquiry's consent to refer (the hub's
    answer at intake, and its reason): a partner agency never sees that reason, and its
    decision is not pre-filled from it (Guidance, Consent to Share Information: consent
    to share is asked by the agency that shares)."""
    return resolve(
        records_for(person),
        recipient_agency=recipient_agency,
        category=category,
        at=at,
        enquiry=person.enquiry if consent_to_refer else None,
    )


def agency_position(
    *,
    person: Person,
    agency: Agency,
    recipient_agency: Agency | str,
    category: str | None = None,
    at: dt.datetime | None = None,
) -> ConsentPosition:
    """The consent position of ``person`` from ``agency``'s own register entries only
    (those it recorded, on the consent pages or in its decisions), for sharing
    ``category`` information with ``recipient_agency``: what pre-fills that agency's
    decision. Never the hub's consent to refer, nor another agency's answers."""
    return resolve(
        records_for(person).filter(recorded_by_agency=agency),
        recipient_agency=recipient_agency,
        category=category,
        at=at,
        enquiry=None,
    )


@dataclass(frozen=True)
class CombinedPosition:
    """The consent position of everyone whose information would be shared
    (Guidance, Consent to Share Information: "Check you have consent from all people
    whose information is to be shared"). ``consent`` is valid only if it is valid for
    every person: the worst status wins, agencies are those every person's consent
    covers, and it is explicit only if every consent is explicit."""

    positions: list[tuple[Person, ConsentPosition]]

    @property
    def consent(self) -> dict[str, Any]:
        if not self.positions:
            return {"status": "unknown", "agencies": None, "explicit": False}
        worst = min((p for _, p in self.positions), key=lambda p: _WORST_FIRST.index(p.status))
        if worst.status != "given":
            value = dict(worst.consent)
            reasons = sorted(
                {p.reason_not_sought for _, p in self.positions if p.status == "not_sought"} - {""}
            )
            if worst.status == "not_sought" and reasons:
                value["reason_not_sought"] = "; ".join(reasons)
            return value
        agencies: set[str] | None = None
        purposes: set[str] | None = None
        for _, position in self.positions:
            if position.agencies is not None:
                covered = set(position.agencies)
                agencies = covered if agencies is None else agencies & covered
            if position.purposes is not None:
                limited = set(position.purposes)
                purposes = limited if purposes is None else purposes & limited
        times = [p.recorded_at for _, p in self.positions if p.recorded_at is not None]
        value = {
            "status": "given",
            "agencies": sorted(agencies) if agencies is not None else None,
            "explicit": all(p.explicit for _, p in self.positions),
        }
        if times:
            value["recorded_at"] = max(times).isoformat()
        if purposes is not None:
            value["purposes"] = sorted(purposes)
        return value


def consent_position_for_people(
    *,
    people: Sequence[Person],
    recipient_agency: Agency | str,
    purpose: str = "",
    category: str | None = None,
    at: dt.datetime | None = None,
) -> CombinedPosition:
    """``consent_position`` for several people at once (e.g. everyone named in a
    request), combined into one contract ``consent`` object."""
    at = at or timezone.now()
    loaded = _load_records([p.pk for p in people])
    enquiries = Enquiry.objects.in_bulk({p.enquiry_id for p in people})
    return CombinedPosition(
        positions=[
            (
                person,
                resolve(
                    loaded.get(person.pk, []),
                    recipient_agency=recipient_agency,
                    category=category,
                    at=at,
                    enquiry=enquiries.get(person.enquiry_id),
                ),
            )
            for person in people
        ]
    )


def _load_records(person_ids: Sequence[Any]) -> dict[Any, list[ConsentRecord]]:
    by_person: dict[Any, list[ConsentRecord]] = {}
    queryset = ConsentRecord.objects.filter(person_id__in=person_ids).prefetch_related(
        Prefetch("agencies", queryset=Agency.objects.only("id", "code"))
    )
    for consent in queryset:
        by_person.setdefault(consent.person_id, []).append(consent)
    return by_person


# The enquiry at a glance ---------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    agency: Agency
    position: ConsentPosition

    @property
    def tag(self) -> str:
        return {
            "given": "govuk-tag--green",
            "refused": "govuk-tag--red",
            "withdrawn": "govuk-tag--orange",
            "not_sought": "govuk-tag--grey",
            "unknown": "govuk-tag--grey",
        }[self.status]

    @property
    def status(self) -> str:
        """``given`` here means given for this agency (partial consent for others
        shows as not covering it)."""
        if self.position.status == "given" and not self.position.covers(self.agency.code):
            return "unknown"
        return self.position.status

    @property
    def label(self) -> str:
        if self.status == "unknown" and self.position.expired:
            return "Expired"
        return {
            "given": "Given",
            "refused": "Refused",
            "withdrawn": "Withdrawn",
            "not_sought": "Not sought",
            "unknown": "Not recorded",
        }[self.status]

    @property
    def limits(self) -> list[str]:
        """The kinds of information it is limited to (empty: all kinds)."""
        record = self.position.record
        if record is None or self.status not in ("given", "refused", "withdrawn"):
            return []
        return record.category_labels()


@dataclass(frozen=True)
class Row:
    person: Person
    cells: list[Cell]


@dataclass(frozen=True)
class ConsentTable:
    enquiry: Enquiry
    agencies: list[Agency]
    rows: list[Row]


def enquiry_consent_table(
    *, enquiry: Enquiry, agencies: Sequence[Agency] | None = None, at: dt.datetime | None = None
) -> ConsentTable:
    """Each person's consent position for each agency (the hub and every partner), at
    a glance.

    A cell shows the latest in-force record covering that agency, whatever kinds of
    information it covers (its limits are shown with it), so a reader sees at once
    who has consented to, refused or withdrawn sharing with whom."""
    at = at or timezone.now()
    if agencies is None:
        agencies = recipients_for(enquiry)
    people = list(enquiry.people.all())
    loaded = _load_records([p.pk for p in people])
    rows = [
        Row(
            person=person,
            cells=person_cells(
                person=person, records=loaded.get(person.pk, []), agencies=agencies, at=at
            ),
        )
        for person in people
    ]
    return ConsentTable(enquiry=enquiry, agencies=list(agencies), rows=rows)


def person_cells(
    *,
    person: Person,
    records: Sequence[ConsentRecord],
    agencies: Sequence[Agency],
    at: dt.datetime | None = None,
) -> list[Cell]:
    """A person's position for each of ``agencies`` at a glance, from their records
    (loaded with ``agencies`` prefetched)."""
    at = at or timezone.now()
    return [
        Cell(agency=agency, position=_glance(list(records), agency, at, person.enquiry))
        for agency in agencies
    ]


def _own(consent: ConsentRecord, agency: Agency) -> bool:
    return not agency.is_hub and consent.recorded_by_agency_id == agency.pk


def _glance(
    records: list[ConsentRecord], agency: Agency, at: dt.datetime, enquiry: Enquiry
) -> ConsentPosition:
    day = timezone.localdate(at)
    # A partner's column also shows its own answers (recorded by it, on the consent pages
    # or in its decisions): consent for that agency to share what it holds.
    covering = [
        r
        for r in _existing(records, at)
        if r.in_force_on(day) and (_covers_agency(r, agency.code) or _own(r, agency))
    ]
    if covering:
        decided = max(covering, key=_moment)
        return ConsentPosition(
            status=decided.status,
            agencies=decided.agency_codes(),
            explicit=decided.explicit if decided.status == ConsentStatus.GIVEN else False,
            recorded_at=_recorded_at(decided),
            record=decided,
            explanation="",
            purpose=decided.purpose,
        )
    lapsed = [
        r
        for r in _existing(records, at)
        if not r.in_force_on(day) and _covers_agency(r, agency.code)
    ]
    return replace(resolve([], recipient_agency=agency, at=at, enquiry=enquiry), expired=lapsed)
