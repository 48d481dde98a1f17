"""Writing the consent register: the only place that does.

Each operation checks its input, stores the evidence (if any), writes the new record
and its ``consent.recorded`` record entry in one transaction; if anything fails, no row
and no file are left behind. Records are never edited: a withdrawal is a new record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mash.agencies.models import Agency
from mash.enquiries.models import Person, PersonKind
from mash.records.models import Action
from mash.records.services import record

from . import evidence as evidence_store
from .models import CATEGORY_CODES, ConsentRecord, ConsentStatus, Giver, Method
from .selectors import recipients_for


def _agencies_from(person: Person, agencies: Iterable[Agency | str]) -> list[Agency]:
    """The agencies named, each the enquiry's hub or a partner agency."""
    allowed = {a.code: a for a in recipients_for(person.enquiry)}
    codes = [a if isinstance(a, str) else a.code for a in agencies]
    missing = sorted({code for code in codes if code not in allowed})
    if missing:
        raise ValidationError({"agencies": f"Unknown agency: {', '.join(missing)}"})
    return list({code: allowed[code] for code in codes}.values())


def _check_giver(
    *, person: Person, giver: str, giver_relationship: str, gillick_competent: bool | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if giver not in Giver.values:
        errors["giver"] = "Select who gave, refused or withdrew consent"
    elif giver == Giver.PARENTAL_RESPONSIBILITY:
        if person.kind != PersonKind.CHILD:
            errors["giver"] = (
                "Only a child's consent can be given by someone with parental responsibility"
            )
        elif not giver_relationship.strip():
            errors["giver_relationship"] = (
                "Enter the relationship to the child of the person with parental responsibility"
            )
    elif person.kind == PersonKind.CHILD and gillick_competent is None:
        errors["gillick_competent"] = (
            "Select whether the child was judged competent to decide for themselves"
        )
    return errors


TIME_WITH_OFFSET = (
    "Enter the time of day as the hub's local time, without a time zone "
    "(for example 10:00, not 10:00Z or 10:00+01:00)"
)


def _check_when(
    *,
    given_on: dt.date | None,
    valid_from: dt.date | None,
    valid_until: dt.date | None,
    given_time: dt.time | None = None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if given_time is not None and given_time.tzinfo is not None:
        # A time of day is kept as the hub's local time (as the pages take it); an
        # offset without a date of its own cannot be turned into one reliably, and the
        # database would store it differently on SQLite and PostgreSQL.
        errors["given_time"] = TIME_WITH_OFFSET
    if given_on is None:
        errors["given_on"] = "Enter the date"
    elif given_on > timezone.localdate():
        errors["given_on"] = "The date must be today or in the past"
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = "Valid until must be the same as or after valid from"
    return errors


def _save(
    *,
    actor: Any,
    person: Person,
    fields: dict[str, Any],
    agencies: Sequence[Agency],
    evidence: Any,
) -> ConsentRecord:
    checked = evidence_store.check_upload(evidence) if evidence is not None else None
    stored_name = (
        evidence_store.store(checked, enquiry_id=person.enquiry_id) if checked is not None else ""
    )
    try:
        with transaction.atomic():
            consent = ConsentRecord(
                person=person,
                recorded_by=actor,
                recorded_by_agency=getattr(actor, "agency", None),
                recorded_at=timezone.now(),
                evidence_name=stored_name,
                evidence_content_type=checked.content_type if checked else "",
                evidence_size=checked.size if checked else None,
                evidence_sha256=checked.sha256 if checked else "",
                **fields,
            )
            consent.full_clean(exclude=["person", "recorded_by", "withdraws"])
            consent.save()
            if stored_name:
                # The file becomes final only once the row naming it has committed.
                transaction.on_commit(lambda: evidence_store.promote(stored_name))
            if not consent.all_agencies:
                consent.agencies.set(agencies)
            record(
                action=Action.CONSENT_RECORDED,
                actor=actor,
                obj=consent,
                enquiry=person.enquiry_id,
                details={
                    "person": str(person.pk),
                    "status": consent.status,
                    "agencies": consent.agency_codes() or "all",
                    "categories": consent.category_codes() or "all",
                    "purposes": consent.purpose_codes() or "all",
                    "method": consent.method,
                    "explicit": consent.explicit,
                    "evidence": bool(stored_name),
                    "withdraws": str(consent.withdraws_id) if consent.withdraws_id else None,
                },
            )
    except BaseException:
        if stored_name:
            evidence_store.discard(stored_name)
        raise
    return consent


def record_consent(
    *,
    actor: Any,
    person: Person,
    status: str,
    giver: str,
    giver_relationship: str = "",
    gillick_competent: bool | None = None,
    agencies: Iterable[Agency | str] | None = None,
    purpose: str,
    purposes: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    information_covered: str = "",
    method: str,
    given_on: dt.date | None,
    given_time: dt.time | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    evidence: Any = None,
) -> ConsentRecord:
    """Record that a person gave or refused consent.

    ``agencies`` None means every partner agency; ``categories`` None means every kind
    of information (Guidance, Partial Consent). ``purposes`` (codes from the hub's
    purposes list) limits it to those purposes (Consent: "for this purpose"); None means
    not limited to any of them, and ``purpose`` says in words what it is for either way.
    For a child deciding for themselves, ``gillick_competent`` says whether they were
    judged competent to decide; a child judged not competent cannot give consent
    themselves (someone with parental responsibility gives it), though their refusal is
    still recorded.
    """
    errors: dict[str, str] = {}
    if status not in (ConsentStatus.GIVEN, ConsentStatus.REFUSED):
        errors["status"] = "Select whether consent was given or refused"
    errors.update(
        _check_giver(
            person=person,
            giver=giver,
            giver_relationship=giver_relationship,
            gillick_competent=gillick_competent,
        )
    )
    if (
        status == ConsentStatus.GIVEN
        and giver == Giver.SELF
        and person.kind == PersonKind.CHILD
        and gillick_competent is False
    ):
        errors["gillick_competent"] = (
            "A child judged not competent to decide cannot give consent themselves: "
            "record consent from someone with parental responsibility"
        )
    if not purpose.strip():
        errors["purpose"] = "Enter the purpose the consent is for"
    purpose_list: list[str] = []
    if purposes is not None:
        from mash.guidance.selectors import active_purposes

        purpose_list = sorted(set(purposes))
        if not purpose_list:
            errors["purposes"] = "Select the purposes the consent covers"
        elif set(purpose_list) - {code for code, _ in active_purposes()}:
            errors["purposes"] = "Select purposes from the hub's purposes list"
    if method not in Method.values:
        errors["method"] = "Select how consent was given or refused"
    errors.update(
        _check_when(
            given_on=given_on,
            valid_from=valid_from,
            valid_until=valid_until,
            given_time=given_time,
        )
    )
    agency_list: list[Agency] = []
    if agencies is not None:
        try:
            agency_list = _agencies_from(person, agencies)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
        else:
            if not agency_list:
                errors["agencies"] = "Select the agencies the consent covers"
    category_list: list[str] | None = None
    if categories is not None:
        category_list = sorted(set(categories))
        if not category_list:
            errors["categories"] = "Select the kinds of information the consent covers"
        elif set(category_list) - CATEGORY_CODES:
            errors["categories"] = "Select kinds of information from the list"
    if errors:
        raise ValidationError(errors)
    return _save(
        actor=actor,
        person=person,
        agencies=agency_list,
        evidence=evidence,
        fields={
            "status": status,
            "giver": giver,
            "giver_relationship": giver_relationship.strip()
            if giver == Giver.PARENTAL_RESPONSIBILITY
            else "",
            "gillick_competent": gillick_competent
            if giver == Giver.SELF and person.kind == PersonKind.CHILD
            else None,
            "all_agencies": agencies is None,
            "purpose": purpose.strip(),
            "purposes": purpose_list,
            "all_categories": category_list is None,
            "categories": category_list or [],
            "information_covered": information_covered.strip(),
            "method": method,
            "given_on": given_on,
            "given_time": given_time,
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
    )


# The answers of a decision the register can hold (a "not sought" answer and its reason
# stay on the decision: the register records consent events, not their absence).
DECISION_STATUSES = frozenset({ConsentStatus.GIVEN, ConsentStatus.REFUSED, ConsentStatus.WITHDRAWN})


def record_decision_answers(
    *,
    actor: Any,
    decision: Any,
    answers: Sequence[tuple[Person, dict[str, Any]]],
    recipient: Agency,
    category: str | None,
    purpose: str,
    purposes: Sequence[str] = (),
    information_covered: str = "",
) -> list[ConsentRecord]:
    """Write each person's consent answer given in an information sharing decision into
    the register, as an event of the deciding agency (``recorded_by_agency``), its
    source the decision, who and when: so the hub's consent table and the person's
    consent page show it at once. Call inside the decision's transaction. ``answers``
    holds each person with the decision contract's ``consent`` object and who answered
    (``given_by``, ``subject``). Guidance, Consent to Share Information: "Where consent
    has not been obtained, reasons for this will be documented on both the agency and
    MASH records"; a refusal is recorded as carefully as consent. An answer is for the
    request's purpose: where the request names one from the hub's list (``purposes``),
    the entry is limited to it (Consent: "for this purpose")."""
    saved: list[ConsentRecord] = []
    now = timezone.now()
    for person, consent in answers:
        status = str(consent.get("status") or "")
        if status not in DECISION_STATUSES:
            continue
        given_at = _given_at(consent.get("recorded_at"), now)
        explicit = bool(consent.get("explicit")) and status == ConsentStatus.GIVEN
        giver, relationship, competent = _decision_giver(person, consent)
        record_ = ConsentRecord(
            person=person,
            status=status,
            giver=giver,
            giver_relationship=relationship,
            gillick_competent=competent,
            all_agencies=False,
            purpose=purpose.strip() or "Information sharing decision",
            purposes=sorted(set(purposes)),
            all_categories=category is None,
            categories=[category] if category else [],
            information_covered=information_covered.strip() if explicit else "",
            method=Method.VERBAL,
            given_on=timezone.localtime(given_at).date(),
            given_time=timezone.localtime(given_at).time().replace(microsecond=0)
            if explicit
            else None,
            recorded_by=actor,
            recorded_by_agency=getattr(actor, "agency", None),
            recorded_at=now,
            decision=decision,
        )
        record_.full_clean(exclude=["person", "recorded_by", "withdraws", "decision"])
        record_.save()
        record_.agencies.set([recipient])
        record(
            action=Action.CONSENT_RECORDED,
            actor=actor,
            obj=record_,
            enquiry=person.enquiry_id,
            details={
                "person": str(person.pk),
                "status": record_.status,
                "agencies": record_.agency_codes() or "all",
                "categories": record_.category_codes() or "all",
                "purposes": record_.purpose_codes() or "all",
                "method": record_.method,
                "explicit": record_.explicit,
                "evidence": False,
                "withdraws": None,
                "decision": str(decision.pk),
            },
        )
        saved.append(record_)
    return saved


def _given_at(value: Any, now: dt.datetime) -> dt.datetime:
    """When the answer was given: the explicit consent's date and time, else now."""
    if isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return now
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        return min(parsed, now)
    return now


def _decision_giver(person: Person, consent: dict[str, Any]) -> tuple[str, str, bool | None]:
    """Who gave the answer, as the register records it (giver, relationship, Gillick)."""
    given_by = str(consent.get("given_by") or "")
    if person.kind == PersonKind.CHILD and given_by in ("parent", "parental_responsibility"):
        relationship = "Parent" if given_by == "parent" else "Parental responsibility"
        return Giver.PARENTAL_RESPONSIBILITY, relationship, None
    competent = consent.get("competent")
    if person.kind == PersonKind.CHILD:
        return Giver.SELF, "", competent if isinstance(competent, bool) else None
    return Giver.SELF, "", None


def withdraw_consent(
    *,
    actor: Any,
    withdraws: ConsentRecord,
    giver: str,
    giver_relationship: str = "",
    gillick_competent: bool | None = None,
    method: str,
    given_on: dt.date | None,
    given_time: dt.time | None = None,
    evidence: Any = None,
) -> ConsentRecord:
    """Record that consent given earlier has been withdrawn: a new, dated record with
    the same scope (agencies, purpose, kinds of information) as the consent it
    withdraws. The consent record itself is left as it was."""
    person = withdraws.person
    errors: dict[str, str] = {}
    if withdraws.status != ConsentStatus.GIVEN:
        errors["withdraws"] = "Only consent that was given can be withdrawn"
    errors.update(
        _check_giver(
            person=person,
            giver=giver,
            giver_relationship=giver_relationship,
            gillick_competent=gillick_competent,
        )
    )
    if method not in Method.values:
        errors["method"] = "Select how consent was withdrawn"
    errors.update(
        _check_when(given_on=given_on, valid_from=None, valid_until=None, given_time=given_time)
    )
    if given_on is not None and given_on < withdraws.given_on and "given_on" not in errors:
        errors["given_on"] = "The date of withdrawal must be on or after the date consent was given"
    if errors:
        raise ValidationError(errors)
    return _save(
        actor=actor,
        person=person,
        agencies=list(withdraws.agencies.all()),
        evidence=evidence,
        fields={
            "status": ConsentStatus.WITHDRAWN,
            "withdraws": withdraws,
            "giver": giver,
            "giver_relationship": giver_relationship.strip()
            if giver == Giver.PARENTAL_RESPONSIBILITY
            else "",
            "gillick_competent": gillick_competent
            if giver == Giver.SELF and person.kind == PersonKind.CHILD
            else None,
            "all_agencies": withdraws.all_agencies,
            "purpose": withdraws.purpose,
            "purposes": list(withdraws.purposes),
            "all_categories": withdraws.all_categories,
            "categories": list(withdraws.categories),
            "information_covered": withdraws.information_covered,
            "method": method,
            "given_on": given_on,
            "given_time": given_time,
        },
    )


def sweep_evidence(
    *, grace: dt.timedelta = evidence_store.DEFAULT_GRACE
) -> evidence_store.SweepResult:
    """The daily tidy of the consent forms' directory (``mash worker``): removes files no
    consent record names (a writer killed before its commit), and makes final a pending
    file whose record committed just before a crash. Counted in the record (the counts
    only: names of files say nothing about anyone, but are not needed either)."""
    referenced = set(
        ConsentRecord.objects.exclude(evidence_name="").values_list("evidence_name", flat=True)
    )
    result = evidence_store.sweep(referenced, grace=grace)
    record(
        action=Action.EVIDENCE_SWEPT,
        object_type="consent.evidence",
        details={
            "removed": result.removed,
            "pending_removed": result.pending_removed,
            "promoted": result.promoted,
            "referenced": len(referenced),
        },
    )
    return result
