"""Enquiry operations: the only code that writes enquiries and the people in them.

Each public function is one operation: keyword-only typed arguments, one transaction,
and a record entry (``mash.records.services.record``) written in that same transaction,
so a change and its entry commit together or not at all (Guidance, 7 Golden Rules,
rule 7: "Keep a Record").

Rules every write follows:

- A closed enquiry cannot be changed: every write refuses with ``EnquiryClosed``.
- Bad input raises ``django.core.exceptions.ValidationError`` keyed by field name, and
  nothing is saved.
- Record entry details hold ids, codes and field names only, never free text.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from mash.agencies.models import Agency, User
from mash.records.models import Action
from mash.records.services import record

from .models import (
    ConsentToRefer,
    Enquiry,
    EnquiryStatus,
    GlassBreak,
    Outcome,
    Person,
    PersonKind,
    Rag,
    Restriction,
    Source,
)


class EnquiryError(Exception):
    """An operation the enquiry's state does not allow. ``str()`` is a message fit to
    show the user."""


class EnquiryClosed(EnquiryError):
    def __init__(self, enquiry: Enquiry) -> None:
        super().__init__(f"Enquiry {enquiry.reference} is closed and cannot be changed.")


class EnquiryIncomplete(EnquiryError):
    """Submitting a draft that still has questions unanswered. ``missing`` holds
    ``(page, message)`` pairs, ``page`` being the intake step that asks it."""

    def __init__(self, missing: list[tuple[str, str]]) -> None:
        super().__init__("You have not answered all the questions yet.")
        self.missing = missing


class RequestsOutstanding(EnquiryError):
    """Closing while agencies have still to answer. The hub waits for the answers or
    withdraws the requests (on the requests pages) before it closes."""

    def __init__(self, agencies: list[str]) -> None:
        names = ", ".join(agencies)
        super().__init__(
            f"You cannot close this enquiry while requests are still awaiting a decision "
            f"({names}). Wait for the answers or withdraw the requests first."
        )
        self.agencies = agencies


@dataclass(frozen=True, kw_only=True)
class PersonDetails:
    """What the intake asks about each person involved (a child, parent, carer or
    other adult). Guidance, Who?: "Who do we need information about in order to make
    the decision - child, parent, carer, others?"."""

    kind: str
    first_name: str
    last_name: str
    other_names: str = ""
    date_of_birth: date | None = None
    estimated_age: int | None = None
    address: str = ""
    school_or_setting: str = ""
    relationship: str = ""
    role_in_concern: str = ""
    date_of_death: date | None = None
    nhs_number: str = ""


# ---------------------------------------------------------------------------------------
# Helpers


def _locked(enquiry: Enquiry) -> Enquiry:
    """The enquiry's row, locked for this transaction, refusing if it is closed."""
    fresh = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if fresh.status == EnquiryStatus.CLOSED:
        raise EnquiryClosed(fresh)
    return fresh


def _refresh(target: Enquiry, source: Enquiry) -> None:
    """Copy the saved state back onto the caller's instance."""
    for field in Enquiry._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def hub_deadline(enquiry: Enquiry) -> datetime | None:
    """The hub's own response deadline: received, plus the rating's response time on
    the hub's configured clock (Guidance, Timely). ``None`` until both are known, or
    where the rating sets no target."""
    if enquiry.received_at is None or not enquiry.rag:
        return None
    from mash.timeliness.config import hub_clock

    return hub_clock(enquiry.hub_id).deadline(enquiry.received_at, enquiry.rag)


def _change(enquiry: Enquiry, actor: User, changes: dict[str, Any]) -> Enquiry:
    """Apply field changes to an open or draft enquiry and record the names of the
    fields that changed."""
    fresh = _locked(enquiry)
    changed = sorted(name for name, value in changes.items() if getattr(fresh, name) != value)
    if changed:
        for name in changed:
            setattr(fresh, name, changes[name])
        fresh.full_clean(exclude=["created_by", "hub", "closed_by", "owner"])
        saved = [*changed, "updated_at"]
        if {"received_at", "rag"} & set(changed):
            fresh.hub_due_at = hub_deadline(fresh)
            saved.append("hub_due_at")
        fresh.save(update_fields=saved)
        record(
            action=Action.ENQUIRY_CHANGED,
            actor=actor,
            obj=fresh,
            enquiry=fresh,
            details={"fields": changed, "status": fresh.status},
        )
    _refresh(enquiry, fresh)
    return enquiry


def _required(value: str, field: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _new_reference(year: int) -> str:
    """``MASH-<year>-<5 digits>``. The number is random, so a reference says nothing
    about the person and cannot be guessed from a neighbour's; uniqueness is the
    database's constraint (the caller retries on a clash)."""
    return f"MASH-{year}-{secrets.randbelow(90000) + 10000:05d}"


# ---------------------------------------------------------------------------------------
# Intake (the Multi-Agency Referral Form)


def start_enquiry(*, actor: User) -> Enquiry:
    """Create a draft enquiry in the actor's hub, with a fresh reference number."""
    hub: Agency | None = actor.agency
    if hub is None or not hub.is_hub:
        raise EnquiryError("Only hub staff can record an enquiry.")
    year = timezone.localdate().year
    for _attempt in range(10):
        try:
            with transaction.atomic():
                enquiry = Enquiry.objects.create(
                    reference=_new_reference(year),
                    hub=hub,
                    status=EnquiryStatus.DRAFT,
                    created_by=actor,
                )
                record(
                    action=Action.ENQUIRY_CREATED,
                    actor=actor,
                    obj=enquiry,
                    enquiry=enquiry,
                    details={"reference": enquiry.reference, "hub": hub.code},
                )
                return enquiry
        except IntegrityError:
            if Enquiry.objects.filter(reference__startswith=f"MASH-{year}-").count() >= 90000:
                raise
    raise EnquiryError("Could not give the enquiry a reference number. Try again.")


def update_received(*, enquiry: Enquiry, actor: User, received_at: datetime) -> Enquiry:
    """When the hub received the enquiry. Never in the future: the deadlines run from it."""
    if timezone.is_naive(received_at):
        raise ValidationError({"received_at": "Enter the time with its time zone"})
    if received_at > timezone.now():
        raise ValidationError({"received_at": "Date received must be today or in the past"})
    with transaction.atomic():
        return _change(enquiry, actor, {"received_at": received_at})


def update_source(*, enquiry: Enquiry, actor: User, source: str) -> Enquiry:
    """Who made the enquiry: a professional, a member of the public, or anonymous.
    Guidance, Introduction: "following an enquiry by any professional or member of the
    public". An anonymous enquiry keeps no referrer details."""
    if source not in Source.values:
        raise ValidationError({"source": "Select who made the enquiry"})
    changes: dict[str, Any] = {"source": source}
    if source == Source.ANONYMOUS:
        changes |= {
            "referrer_name": "",
            "referrer_role": "",
            "referrer_organisation": "",
            "referrer_contact": "",
        }
    with transaction.atomic():
        return _change(enquiry, actor, changes)


def update_referrer(
    *,
    enquiry: Enquiry,
    actor: User,
    name: str,
    role: str,
    organisation: str,
    contact: str,
) -> Enquiry:
    """The referrer's details. A professional gives name, role, organisation and
    contact; a member of the public may give what they choose; an anonymous enquiry
    has none."""
    values = {
        "referrer_name": name.strip(),
        "referrer_role": role.strip(),
        "referrer_organisation": organisation.strip(),
        "referrer_contact": contact.strip(),
    }
    with transaction.atomic():
        fresh = _locked(enquiry)
        if fresh.source == Source.ANONYMOUS:
            raise EnquiryError("An anonymous enquiry has no referrer details.")
        if fresh.source == Source.PROFESSIONAL:
            errors = {
                field: message
                for field, message in [
                    ("referrer_name", "Enter the referrer's name"),
                    ("referrer_role", "Enter the referrer's role"),
                    ("referrer_organisation", "Enter the referrer's organisation"),
                    ("referrer_contact", "Enter how to contact the referrer"),
                ]
                if not values[field]
            }
            if errors:
                raise ValidationError(errors)
        return _change(enquiry, actor, values)


def update_concern(*, enquiry: Enquiry, actor: User, concern: str) -> Enquiry:
    """The concern in the referrer's words."""
    concern = _required(concern, "concern", "Enter the concern in the referrer's words")
    with transaction.atomic():
        return _change(enquiry, actor, {"concern": concern})


def update_immediate_danger(*, enquiry: Enquiry, actor: User, immediate_danger: bool) -> Enquiry:
    """Whether the child is in immediate danger. Guidance, Timely: "Timeliness is key
    in emergency situations"."""
    with transaction.atomic():
        return _change(enquiry, actor, {"immediate_danger": bool(immediate_danger)})


def update_consent_to_refer(
    *,
    enquiry: Enquiry,
    actor: User,
    consent: str,
    obtained_from: str = "",
    reason_not_obtained: str = "",
) -> Enquiry:
    """Whether consent to refer was obtained, from whom, or why not.

    Guidance, Consent to Share Information: "Where consent has not been obtained,
    reasons for this will be documented on both the agency and MASH records", so the
    reason is required when consent was not obtained."""
    if consent == ConsentToRefer.OBTAINED:
        changes = {
            "consent_to_refer": consent,
            "consent_obtained_from": _required(
                obtained_from, "consent_obtained_from", "Enter who gave consent"
            ),
            "consent_not_obtained_reason": "",
        }
    elif consent == ConsentToRefer.NOT_OBTAINED:
        changes = {
            "consent_to_refer": consent,
            "consent_obtained_from": "",
            "consent_not_obtained_reason": _required(
                reason_not_obtained,
                "consent_not_obtained_reason",
                "Enter why consent was not obtained",
            ),
        }
    else:
        raise ValidationError({"consent_to_refer": "Select whether consent to refer was obtained"})
    with transaction.atomic():
        return _change(enquiry, actor, changes)


def update_urgency(*, enquiry: Enquiry, actor: User, rag: str, rationale: str) -> Enquiry:
    """The RAG urgency and why. It sets the response deadline of every request
    (Guidance, Timely); changed on an open enquiry, the open requests' deadlines are
    recomputed from the hub's ratings (``mash.timeliness.services.rerate_requests``)."""
    if rag not in Rag.values:
        raise ValidationError({"rag": "Select how urgent the enquiry is"})
    rationale = _required(rationale, "rag_rationale", "Enter why you chose this urgency")
    from mash.timeliness.services import rerate_requests

    with transaction.atomic():
        previous = Enquiry.objects.filter(pk=enquiry.pk).values_list("rag", flat=True).first()
        _change(enquiry, actor, {"rag": rag, "rag_rationale": rationale})
        # Re-rated while agencies are working on it: their deadlines follow the new
        # rating, each change recorded with the rationale just given (mash.timeliness).
        rerate_requests(
            enquiry=enquiry, actor=actor, previous_rating=previous or "", now=timezone.now()
        )
        return enquiry


def _validate_person(details: PersonDetails) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if details.kind not in PersonKind.values:
        errors["kind"] = "Select who the person is"
    if not details.first_name.strip():
        errors["first_name"] = "Enter their first name"
    if not details.last_name.strip():
        errors["last_name"] = "Enter their last name"
    if details.date_of_birth is not None and details.date_of_birth > timezone.localdate():
        errors["date_of_birth"] = "Date of birth must be today or in the past"
    death_error = _date_of_death_error(details.date_of_death, details.date_of_birth)
    if death_error:
        errors["date_of_death"] = death_error
    if details.estimated_age is not None and not 0 <= details.estimated_age <= 120:
        errors["estimated_age"] = "Estimated age must be between 0 and 120"
    if (
        details.kind == PersonKind.CHILD
        and details.date_of_birth is None
        and details.estimated_age is None
    ):
        errors["date_of_birth"] = "Enter the child's date of birth or an estimated age"
    nhs_error = nhs_number_error(details.nhs_number)
    if nhs_error:
        errors["nhs_number"] = nhs_error
    if errors:
        raise ValidationError(errors)
    values = {f.name: getattr(details, f.name) for f in fields(details)}
    values["nhs_number"] = "".join(details.nhs_number.split())
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
    if values["date_of_birth"] is not None:
        values["estimated_age"] = None
    return values


def nhs_number_error(text: str) -> str:
    """Why an NHS number cannot be right, or "" when it can (or none is given): ten
    digits (spaces allowed) whose last is the modulus 11 check digit of the others."""
    from mash.people.matching import nhs_number_digits, nhs_number_is_valid

    digits = nhs_number_digits(text or "")
    if not digits:
        return ""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return "NHS number must be 10 digits, like 943 476 5919"
    if not nhs_number_is_valid(digits):
        return "NHS number is not valid: check each digit (it fails the NHS number check)"
    return ""


def _date_of_death_error(date_of_death: date | None, date_of_birth: date | None) -> str:
    """Why a date of death cannot be right, or "" when it can (or none is given)."""
    if date_of_death is None:
        return ""
    if date_of_death > timezone.localdate():
        return "Date of death must be today or in the past"
    if date_of_birth is not None and date_of_death < date_of_birth:
        return "Date of death must be the same as or after the date of birth"
    return ""


def record_date_of_death(*, person: Person, actor: User, date_of_death: date | None) -> Person:
    """Record (or correct, or clear) the date someone involved died. Unlike the rest of
    what the hub holds about a person, allowed on a closed enquiry too: the hub often
    learns of a death years after closing, and retention kept "from the date of death"
    (mash.retention) starts from it. Recorded (the field's name, never the date)."""
    with transaction.atomic():
        fresh = Person.objects.select_for_update().get(pk=person.pk)
        error = _date_of_death_error(date_of_death, fresh.date_of_birth)
        if error:
            raise ValidationError({"date_of_death": error})
        if fresh.date_of_death != date_of_death:
            fresh.date_of_death = date_of_death
            fresh.save(update_fields=["date_of_death"])
            record(
                action=Action.PERSON_CHANGED,
                actor=actor,
                obj=fresh,
                enquiry=fresh.enquiry_id,
                details={"fields": ["date_of_death"]},
            )
        person.date_of_death = date_of_death
        return person


def add_person(*, enquiry: Enquiry, actor: User, details: PersonDetails) -> Person:
    """Add someone involved: a child, parent, carer or other adult."""
    values = _validate_person(details)
    with transaction.atomic():
        fresh = _locked(enquiry)
        person = Person(enquiry=fresh, **values)
        person.full_clean(exclude=["enquiry"])
        person.save()
        record(
            action=Action.PERSON_ADDED,
            actor=actor,
            obj=person,
            enquiry=fresh,
            details={"kind": person.kind},
        )
        # Issue 14: is this person already known? Linked or suggested in the same
        # transaction, so a person is never recorded without being indexed.
        from mash.people.services import index_person

        index_person(person=person, actor=actor)
        return person


def change_person(*, person: Person, actor: User, details: PersonDetails) -> Person:
    """Correct what the hub holds about someone involved. The record keeps which
    fields changed, and when, and by whom."""
    values = _validate_person(details)
    with transaction.atomic():
        fresh_enquiry = _locked(person.enquiry)
        fresh = Person.objects.select_for_update().get(pk=person.pk)
        changed = sorted(name for name, value in values.items() if getattr(fresh, name) != value)
        if changed:
            for name in changed:
                setattr(fresh, name, values[name])
            fresh.full_clean(exclude=["enquiry"])
            fresh.save(update_fields=changed)
            record(
                action=Action.PERSON_CHANGED,
                actor=actor,
                obj=fresh,
                enquiry=fresh_enquiry,
                details={"fields": changed},
            )
            # Issue 14: the index's keys and matches follow the person's details, in
            # this transaction (mash.people.services.reindex_person says what moves).
            from mash.people.services import MATCHED_FIELDS, reindex_person

            if MATCHED_FIELDS.intersection(changed):
                reindex_person(person=fresh, actor=actor)
        for name in changed:
            setattr(person, name, values[name])
        return person


def remove_person(*, person: Person, actor: User) -> None:
    """Remove someone added in error. Refused once an agency has been asked about
    them: what was asked, and answered, stays on the record."""
    with transaction.atomic():
        fresh_enquiry = _locked(person.enquiry)
        if person.requests.exists() or person.disclosure_items.exists():
            raise EnquiryError(
                "You cannot remove this person: agencies have been asked about them."
            )
        person_id, kind = person.pk, person.kind
        record(
            action=Action.PERSON_REMOVED,
            actor=actor,
            object_type="enquiries.person",
            object_id=person_id,
            enquiry=fresh_enquiry,
            details={"kind": kind},
        )
        from mash.people.models import PersonLink
        from mash.people.services import keep_latest

        indexed = list(
            PersonLink.objects.filter(person_id=person_id).values_list(
                "indexed_person_id", flat=True
            )
        )
        Person.objects.filter(pk=person_id).delete()
        keep_latest(indexed_person_ids=indexed)


def submit_enquiry(*, enquiry: Enquiry, actor: User) -> Enquiry:
    """Submit a completed draft: it becomes open, and the hub can ask agencies."""
    from .selectors import missing_answers

    with transaction.atomic():
        fresh = _locked(enquiry)
        if fresh.status != EnquiryStatus.DRAFT:
            raise EnquiryError(f"Enquiry {fresh.reference} has already been submitted.")
        missing = missing_answers(fresh)
        if missing:
            raise EnquiryIncomplete(missing)
        fresh.status = EnquiryStatus.OPEN
        fresh.hub_due_at = hub_deadline(fresh)
        fresh.save(update_fields=["status", "hub_due_at", "updated_at"])
        record(
            action=Action.ENQUIRY_SUBMITTED,
            actor=actor,
            obj=fresh,
            enquiry=fresh,
            details={
                "reference": fresh.reference,
                "rag": fresh.rag,
                "source": fresh.source,
                "people": fresh.people.count(),
            },
        )
        _refresh(enquiry, fresh)
        return enquiry


def close_enquiry(*, enquiry: Enquiry, actor: User, outcome: str, rationale: str) -> Enquiry:
    """Record the hub's outcome with its rationale, and close the enquiry.

    Refused while any request is still awaiting a decision: an agency still working
    on an answer should not find the enquiry gone (Guidance, Record: decisions are
    recorded "whether or not the decision is taken to share"). The hub waits or
    withdraws the request first. A draft is never closed: it has not been submitted."""
    from mash.sharing.models import RequestStatus

    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "Select the hub's outcome"
    if not rationale.strip():
        errors["outcome_rationale"] = "Enter the rationale for the outcome"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = _locked(enquiry)
        if fresh.status != EnquiryStatus.OPEN:
            raise EnquiryError("Submit the enquiry before you close it.")
        outstanding = sorted(
            {r.agency.name for r in fresh.requests.filter(status=RequestStatus.OPEN)}
        )
        if outstanding:
            raise RequestsOutstanding(outstanding)
        fresh.status = EnquiryStatus.CLOSED
        fresh.outcome = outcome
        fresh.outcome_rationale = rationale.strip()
        fresh.closed_at = timezone.now()
        fresh.closed_by = actor
        fresh.save(
            update_fields=[
                "status",
                "outcome",
                "outcome_rationale",
                "closed_at",
                "closed_by",
                "updated_at",
            ]
        )
        record(
            action=Action.ENQUIRY_CLOSED,
            actor=actor,
            obj=fresh,
            enquiry=fresh,
            details={"reference": fresh.reference, "outcome": outcome},
        )
        _refresh(enquiry, fresh)
        return enquiry


# ---------------------------------------------------------------------------------------
# Restricted enquiries and breaking the glass (see ``permissions`` for who may)

REASON_MAX_LENGTH = 2000


def _reason(value: str, field: str, message: str) -> str:
    value = _required(value, field, message)
    if len(value) > REASON_MAX_LENGTH:
        raise ValidationError(
            {field: f"The reason must be {REASON_MAX_LENGTH} characters or fewer"}
        )
    if "\x00" in value:
        raise ValidationError({field: "The reason must not contain a null character"})
    return value


BREAK_GLASS_REASON_MIN_LENGTH = 10
_WORD = re.compile(r"\w+")


def break_glass_reason(value: str) -> str:
    """A reason for breaking the glass that says something: at least
    ``BREAK_GLASS_REASON_MIN_LENGTH`` characters, and more than one word or letter
    repeated ("x", "xxxxxxxxxx", "test test test" are refused). The data protection
    officer reviews every break against its reason, so an empty one defeats the review."""
    field, needed = "reason", "Enter why you need to open this enquiry"
    value = _reason(value, field, needed)
    if len(value) < BREAK_GLASS_REASON_MIN_LENGTH:
        raise ValidationError(
            {
                field: f"The reason must be at least {BREAK_GLASS_REASON_MIN_LENGTH} "
                "characters: say why you need to open this enquiry"
            }
        )
    words = {w for w in _WORD.findall(value.casefold()) if w.strip("_")}
    letters = {c for c in value.casefold() if c.isalnum()}
    if len(words) < 2 or len(letters) < 2:
        raise ValidationError(
            {
                field: "Say why you need to open this enquiry in words, for example the "
                "request you are answering, not one word or letter repeated"
            }
        )
    return value


def break_glass_minutes() -> int:
    """How long a break of the glass lets the user in (``BREAK_GLASS_MINUTES``)."""
    return int(getattr(settings, "BREAK_GLASS_MINUTES", 60))


def restriction_candidates(enquiry: Enquiry) -> list[User]:
    """Who a restriction may name: active practitioners, managers and data protection
    officers of the enquiry's hub and of the agencies asked about it."""
    from mash.sharing.models import InformationRequest

    asked = InformationRequest.objects.filter(enquiry=enquiry).values("agency_id")
    return list(
        User.objects.filter(is_active=True, role__in=["practitioner", "manager", "dpo"])
        .filter(Q(agency_id=enquiry.hub_id) | Q(agency_id__in=asked))
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name", "username")
    )


def restrict_enquiry(
    *, enquiry: Enquiry, actor: User, users: list[User], reason: str
) -> Restriction:
    """Restrict the enquiry to the named users (the actor is always named), or change
    who is named. The reason stays with the restriction; the record names the users by
    id. A closed enquiry may be restricted too: it is still read."""
    reason = _reason(reason, "reason", "Enter why the enquiry is restricted")
    allowed = {u.pk for u in restriction_candidates(enquiry)}
    if any(u.pk not in allowed for u in users):
        raise ValidationError({"users": "Select people from the hub or the agencies asked"})
    named = {u.pk: u for u in [*users, actor]}
    with transaction.atomic():
        fresh = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
        restriction, created = Restriction.objects.update_or_create(
            enquiry=fresh,
            defaults={"reason": reason, "restricted_by": actor, "restricted_at": timezone.now()},
        )
        restriction.users.set(list(named.values()))
        record(
            action=Action.ENQUIRY_RESTRICTED,
            actor=actor,
            obj=fresh,
            enquiry=fresh,
            details={
                "restriction": str(restriction.pk),
                "users": sorted(str(pk) for pk in named),
                "changed": not created,
            },
        )
    return restriction


def lift_restriction(*, enquiry: Enquiry, actor: User) -> None:
    """Remove the restriction: the enquiry is open to its hub's staff again."""
    with transaction.atomic():
        fresh = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
        deleted, _ = Restriction.objects.filter(enquiry=fresh).delete()
        if not deleted:
            raise EnquiryError("The enquiry is not restricted.")
        record(action=Action.ENQUIRY_UNRESTRICTED, actor=actor, obj=fresh, enquiry=fresh)


def break_glass(*, enquiry: Enquiry, actor: User, reason: str) -> GlassBreak:
    """Open a restricted enquiry the actor is not named on, giving a reason: access for
    ``break_glass_minutes()``, recorded, and listed for the data protection officer."""
    reason = break_glass_reason(reason)
    with transaction.atomic():
        if not Restriction.objects.filter(enquiry_id=enquiry.pk).exists():
            raise EnquiryError("The enquiry is not restricted.")
        now = timezone.now()
        glass = GlassBreak.objects.create(
            enquiry_id=enquiry.pk,
            user=actor,
            reason=reason,
            broken_at=now,
            expires_at=now + timedelta(minutes=break_glass_minutes()),
        )
        record(
            action=Action.GLASS_BROKEN,
            actor=actor,
            obj=glass,
            enquiry=enquiry.pk,
            details={"glass_break": str(glass.pk), "expires_at": glass.expires_at.isoformat()},
        )
    return glass


def review_glass_break(*, glass_break: GlassBreak, actor: User) -> GlassBreak:
    """The data protection officer marks a break of the glass as reviewed."""
    with transaction.atomic():
        fresh = GlassBreak.objects.select_for_update().get(pk=glass_break.pk)
        if fresh.reviewed_at is not None:
            raise EnquiryError("This break of the glass has already been reviewed.")
        fresh.reviewed_at = timezone.now()
        fresh.reviewed_by = actor
        fresh.save(update_fields=["reviewed_at", "reviewed_by"])
        record(
            action=Action.GLASS_BREAK_REVIEWED,
            actor=actor,
            obj=fresh,
            enquiry=fresh.enquiry_id,
            details={"glass_break": str(fresh.pk), "user": str(fresh.user_id)},
        )
    glass_break.reviewed_at = fresh.reviewed_at
    glass_break.reviewed_by = actor
    return glass_break
