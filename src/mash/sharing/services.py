"""The only writer of requests, decisions and disclosure items.

Each public function is one operation in one transaction, and writes its record entry
(``mash.records.services.record``) inside that same transaction, so a change and its
record commit together or not at all. Refusals raise ``django.core.exceptions.
ValidationError`` with a dict naming the field at fault; nothing is half-saved.

Guidance, Record: "Information sharing decisions should be recorded whether or not the
decision is taken to share. If the decision is to share, reasons should be cited
including what information has been shared and with whom ... If the decision is not to
share, it is good practice to record the reasons for this decision and discuss them
with the requester."
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mash.agencies.models import Agency
from mash.consent.selectors import ConsentPosition, category_held_by, consent_position
from mash.enquiries.models import Enquiry, EnquiryStatus, Person
from mash.policy import decide
from mash.records.models import Action
from mash.records.services import record

from . import permissions
from .models import (
    Currency,
    Decision,
    DecisionOutcome,
    DisclosureItem,
    InformationRequest,
    Informed,
    Nature,
    OnwardSharing,
    RequestStatus,
)

# What each entry of the engine's ``requires`` list asks of the record, as the field
# the practitioner fills in and the message when it is missing.
REQUIREMENT_MESSAGES: dict[str, tuple[str, str]] = {
    "record_justification": (
        "justification",
        "Enter your justification for sharing without consent",
    ),
    "record_reasons": ("not_sharing_reasons", "Enter your reasons for not sharing"),
    "proportionality_of_override": (
        "proportionality",
        "Explain why overriding the refusal or withdrawal of consent is proportionate",
    ),
    "record_reason_consent_not_obtained": (
        "reason_not_sought",
        "Enter the reason consent was not obtained",
    ),
    "explicit_consent_record": (
        "consent_details",
        "Enter how explicit consent was given and what information it covers",
    ),
    "record_what_shared_and_with_whom": (
        "items",
        "Add at least one item of information to share",
    ),
}


@dataclasses.dataclass(frozen=True)
class ItemInput:
    """One item of information to disclose, as the practitioner entered it.
    Guidance, Accurate: "clearly distinguish between fact and opinion. If the
    information is historical then this should be explained"."""

    text: str
    nature: str
    recorded_on: dt.date | None
    source: str
    currency: str
    people: Sequence[Any]  # Person ids (UUID or str) or Person objects
    historical_explanation: str = ""
    sensitive: bool = False
    onward_sharing: str = OnwardSharing.ASK_FIRST


def _as_dict(result: Any) -> dict[str, Any]:
    if isinstance(result, Mapping):
        return dict(result)
    for name in ("to_dict", "as_dict", "model_dump", "dict"):
        method = getattr(result, name, None)
        if callable(method):
            value = method()
            if isinstance(value, Mapping):
                return dict(value)
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return dataclasses.asdict(result)
    raise TypeError("mash.policy.decide returned something that is not a decision")


def evaluate(question: Mapping[str, Any]) -> dict[str, Any]:
    """The guidance's decision on a question (contract: sharing-decision.md), as a dict."""
    return _as_dict(decide(dict(question)))


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


# --- Requests -------------------------------------------------------------------


def send_requests(
    *,
    actor: Any,
    enquiry: Enquiry,
    agencies: Sequence[Agency],
    people: Sequence[Person],
    purpose: str,
    deadline: dt.datetime,
) -> list[InformationRequest]:
    """Ask each agency, once per enquiry, what it holds about the chosen people.

    Guidance, Who?: "Which agencies need to be involved in the sharing? Who do we need
    information about in order to make the decision - child, parent, carer, others?"
    """
    if not permissions.can_send_requests(actor, enquiry):
        raise PermissionError("only the enquiry's hub staff send requests")
    if enquiry.status == EnquiryStatus.DRAFT:
        raise _refuse("agencies", "Submit the enquiry before asking agencies for information")
    if enquiry.status == EnquiryStatus.CLOSED:
        raise _refuse("agencies", "This enquiry is closed, so no more requests can be sent")
    if not agencies:
        raise _refuse("agencies", "Select at least one agency to ask")
    for agency in agencies:
        if agency.is_hub:
            raise _refuse("agencies", f"{agency.name} is the hub: ask partner agencies only")
        if not agency.active:
            raise _refuse("agencies", f"{agency.name} is no longer an active partner agency")
    if len({a.pk for a in agencies}) != len(agencies):
        raise _refuse("agencies", "Select each agency once")
    if not people:
        raise _refuse("people", "Select at least one person to ask about")
    if any(person.enquiry_id != enquiry.pk for person in people):
        raise _refuse("people", "Select people from this enquiry")
    purpose = (purpose or "").strip()
    if not purpose:
        raise _refuse("purpose", "Enter the purpose of the request")
    if deadline < timezone.now():
        raise _refuse("deadline", "The response deadline must be in the future")
    already = set(
        InformationRequest.objects.filter(enquiry=enquiry, agency__in=agencies).values_list(
            "agency__name", flat=True
        )
    )
    if already:
        names = ", ".join(sorted(already))
        raise _refuse("agencies", f"{names} already asked on this enquiry")

    created: list[InformationRequest] = []
    try:
        with transaction.atomic():
            for agency in agencies:
                req = InformationRequest.objects.create(
                    enquiry=enquiry,
                    agency=agency,
                    purpose=purpose,
                    deadline=deadline,
                    created_by=actor,
                )
                req.people.set(people)
                record(
                    action=Action.REQUEST_SENT,
                    actor=actor,
                    obj=req,
                    enquiry=enquiry,
                    details={
                        "agency": agency.code,
                        "people": sorted(str(p.pk) for p in people),
                        "deadline": deadline.isoformat(),
                    },
                )
                created.append(req)
    except IntegrityError as exc:  # a request sent in parallel for the same agency
        raise _refuse("agencies", "One of these agencies was already asked") from exc
    return created


# --- Decisions ------------------------------------------------------------------


def _blank(value: str | None) -> bool:
    return not (value or "").strip()


def _check_requirements(
    *,
    outcome: dict[str, Any],
    question: Mapping[str, Any],
    justification: str,
    not_sharing_reasons: str,
    discussed_at: dt.datetime | None,
    discussed_with: str,
    discussion_notes: str,
    informed: str,
    not_informed_reason: str,
    proportionality: str,
    consent_details: str,
    items: Sequence[ItemInput],
    people: Sequence[tuple[Person, Mapping[str, Any]]] | None = None,
) -> dict[str, list[str]]:
    """Every entry of the engine's ``requires`` list that the submission lacks."""
    errors: dict[str, list[str]] = {}

    def missing(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    requires = set(outcome.get("requires") or [])
    consent = question.get("consent") or {}
    if "record_justification" in requires and _blank(justification):
        missing(*REQUIREMENT_MESSAGES["record_justification"])
    if "record_reasons" in requires and _blank(not_sharing_reasons):
        missing(*REQUIREMENT_MESSAGES["record_reasons"])
    if "discuss_with_requester" in requires:
        if discussed_at is None:
            missing("discussed_at", "Enter when you discussed the decision with the requester")
        if _blank(discussed_with):
            missing("discussed_with", "Enter who you discussed the decision with")
        if _blank(discussion_notes):
            missing("discussion_notes", "Enter what was said in the discussion")
    if "inform_individual_unless_risk" in requires:
        if informed not in Informed.values:
            missing("informed", "Select whether the person has been or will be told")
        elif informed == Informed.NOT_TOLD and _blank(not_informed_reason):
            missing(
                "not_informed_reason",
                "Enter why telling the person would create or increase risk of harm",
            )
    if "proportionality_of_override" in requires and _blank(proportionality):
        missing(*REQUIREMENT_MESSAGES["proportionality_of_override"])
    if (
        "record_reason_consent_not_obtained" in requires
        and people is None
        and _blank(consent.get("reason_not_sought"))
    ):
        missing(*REQUIREMENT_MESSAGES["record_reason_consent_not_obtained"])
    for person, result in people or ():
        person_consent = result.get("consent") or {}
        if "record_reason_consent_not_obtained" in (result.get("requires") or []) and _blank(
            person_consent.get("reason_not_sought")
        ):
            field = (
                "reason_not_sought"
                if result.get("consent_source") == "answer"
                else f"person-{person.pk}-reason"
            )
            missing(field, f"Enter the reason consent was not obtained from {person.full_name}")
    explicit_from_page = people is None or any(
        "explicit_consent_record" in (r.get("requires") or [])
        and r.get("consent_source") == "answer"
        for _, r in people
    )
    for person, result in people or ():
        person_consent = result.get("consent") or {}
        if (
            "explicit_consent_record" in (result.get("requires") or [])
            and result.get("consent_source") != "answer"
        ) and (not person_consent.get("explicit") or not person_consent.get("recorded_at")):
            missing(
                f"person-{person.pk}-consent",
                f"Sensitive information needs explicit consent from {person.full_name}, "
                "recorded with its date and time in the consent register",
            )
    if "explicit_consent_record" in requires and explicit_from_page:
        if not consent.get("explicit"):
            missing("consent_explicit", "Sensitive information needs explicit consent")
        if not consent.get("recorded_at"):
            missing("consent_recorded_at", "Enter the date and time explicit consent was given")
        if _blank(consent_details):
            missing(*REQUIREMENT_MESSAGES["explicit_consent_record"])
    if "record_what_shared_and_with_whom" in requires and not items:
        missing(*REQUIREMENT_MESSAGES["record_what_shared_and_with_whom"])
    return errors


def _check_items(
    request: InformationRequest, items: Sequence[ItemInput]
) -> tuple[dict[str, list[str]], list[list[Person]]]:
    errors: dict[str, list[str]] = {}
    asked = {str(p.pk): p for p in request.people.all()}
    resolved: list[list[Person]] = []
    today = timezone.localdate()
    for n, item in enumerate(items, start=1):
        prefix = f"item-{n}"

        def bad(field: str, message: str, prefix: str = prefix, n: int = n) -> None:
            errors.setdefault(f"{prefix}-{field}", []).append(f"Item {n}: {message}")

        if _blank(item.text):
            bad("text", "enter the information to share")
        if item.nature not in Nature.values:
            bad("nature", "select whether it is fact or opinion")
        if item.recorded_on is None:
            bad("recorded_on", "enter the date it was recorded")
        elif item.recorded_on > today:
            bad("recorded_on", "the date recorded must be today or in the past")
        if _blank(item.source):
            bad("source", "enter the source of the information")
        if item.currency not in Currency.values:
            bad("currency", "select whether it is current or historical")
        elif item.currency == Currency.HISTORICAL and _blank(item.historical_explanation):
            bad("historical_explanation", "explain why historical information is relevant")
        if item.onward_sharing not in OnwardSharing.values:
            bad("onward_sharing", "select whether the hub may pass it on")
        people: list[Person] = []
        ids = [str(getattr(p, "pk", p)) for p in item.people]
        if not ids:
            bad("people", "select who the information is about")
        elif any(i not in asked for i in ids):
            bad("people", "select only people the request asks about")
        else:
            people = [asked[i] for i in dict.fromkeys(ids)]
        resolved.append(people)
    return errors, resolved


def record_decision(
    *,
    actor: Any,
    request: InformationRequest,
    question: Mapping[str, Any],
    justification: str = "",
    not_sharing_reasons: str = "",
    discussed_at: dt.datetime | None = None,
    discussed_with: str = "",
    discussion_notes: str = "",
    informed: str = "",
    not_informed_reason: str = "",
    proportionality: str = "",
    consent_details: str = "",
    items: Sequence[ItemInput] = (),
    supersedes: Decision | None = None,
    correction_reason: str = "",
    people_answers: Mapping[str, PersonAnswer] | None = None,
) -> Decision:
    """Record one agency's decision on a request, with its disclosure items.

    The guidance engine decides on ``question``; the record must then hold everything
    its ``requires`` list names, or the decision is refused naming what is missing.
    ``seek_advice`` is not a decision: "if in doubt seek advice from a manager"
    (Guidance, Consider the following before sharing information). Decisions are
    never edited: a correction is a new decision that ``supersedes`` the latest one.

    The engine runs once for each person the request asks about (``people_decisions``):
    the same answers, with that person's consent from the consent register, or the
    practitioner's answer for that person (``people_answers``: an override needs a
    reason), or where neither says anything the consent page's answer. The overall
    outcome follows ``overall_outcome``: share if any person's decision is share,
    otherwise the worst. Guidance, Consent to Share Information: "Check you have
    consent from all people whose information is to be shared unless the safeguarding
    concerns put the child at risk of significant harm." So an item may be disclosed
    only if the decision for every person it is about is share; an item about anyone
    else is refused, naming the person and why. Where consent was not obtained the
    reason is required for each person concerned ("reasons for this will be
    documented on both the agency and MASH records").
    """
    if not permissions.can_answer_request(actor, request):
        raise PermissionError("only the asked agency answers its request")
    enquiry = request.enquiry
    if enquiry.status != EnquiryStatus.OPEN:
        raise _refuse("request", "This enquiry is closed, so its request can no longer be answered")
    if request.status == RequestStatus.WITHDRAWN:
        raise _refuse("request", "This request was withdrawn by the hub")

    question = dict(question)
    question["recipient_agency"] = enquiry.hub.code
    justification = (justification or "").strip()
    if justification:
        question["justification"] = justification
    else:
        question.pop("justification", None)
    # A caller that answers per person (the decision page) must answer every question
    # it is asked for each person; without per-person answers at all, the question's
    # own answers apply to everyone.
    answered_per_person = people_answers is not None
    people_answers = dict(people_answers or {})
    errors_people: dict[str, list[str]] = {}
    asked = {str(p.pk): p for p in request.people.all()}
    for pid, answer in people_answers.items():
        if pid not in asked:
            errors_people.setdefault("people", []).append(
                "Answer only for people the request asks about"
            )
            continue
        if answer.consent_status and answer.consent_status not in PERSON_CONSENT_STATUSES:
            errors_people.setdefault(f"person-{pid}-consent", []).append(
                f"Choose {asked[pid].full_name}'s consent answer from the list"
            )
        elif answer.consent_status and _blank(answer.reason):
            errors_people.setdefault(f"person-{pid}-reason", []).append(
                f"Enter why your consent answer for {asked[pid].full_name} differs from the "
                "consent register"
            )
    if errors_people:
        raise ValidationError(errors_people)
    per_person = people_decisions(request=request, question=question, answers=people_answers)
    outcome = overall_outcome(per_person, evaluate(question))

    if outcome["outcome"] == DecisionOutcome.SEEK_ADVICE:
        raise _refuse(
            "outcome",
            "The guidance cannot decide on these answers: seek advice from a manager or "
            "your safeguarding lead before recording a decision",
        )
    errors = _check_requirements(
        outcome=outcome,
        question=question,
        justification=justification,
        not_sharing_reasons=not_sharing_reasons,
        discussed_at=discussed_at,
        discussed_with=discussed_with,
        discussion_notes=discussion_notes,
        informed=informed,
        not_informed_reason=not_informed_reason,
        proportionality=proportionality,
        consent_details=consent_details,
        items=items,
        people=[
            (asked[r["person"]], r)
            for r in per_person
            if r["outcome"] == outcome["outcome"] and r["person"] in asked
        ],
    )
    sharing = outcome["outcome"] == DecisionOutcome.SHARE
    if not sharing and items:
        errors.setdefault("items", []).append(
            "Remove the items: the decision is not to share, so nothing is disclosed"
        )
    item_errors, item_people = _check_items(request, items if sharing else ())
    errors.update(item_errors)
    by_person = {r["person"]: r for r in per_person}
    for n, people_of_item in enumerate(item_people, start=1):
        for person in people_of_item:
            result = by_person.get(str(person.pk))
            if result is not None and result["outcome"] != DecisionOutcome.SHARE:
                errors.setdefault(f"item-{n}-people", []).append(
                    f"Item {n} is about {person.full_name}: {why_blocked(person, result)}"
                )
    if sharing and not question.get("sensitive"):
        # Guidance, Consent to Share Information: "Where sensitive personal information
        # is being shared explicit consent is expected", so the answer must match.
        for n, item in enumerate(items, start=1):
            if item.sensitive:
                errors.setdefault(f"item-{n}-sensitive", []).append(
                    f"Item {n}: you answered that none of the information is sensitive. "
                    "Change that answer, or mark this item as not sensitive"
                )

    if answered_per_person:
        unanswered = unanswered_people_questions(question, list(asked.values()), people_answers)
        for name, texts in unanswered.items():
            errors.setdefault(name, []).extend(texts)

    latest = request.decisions.filter(superseded_by__isnull=True).first()
    if supersedes is None and latest is not None:
        errors.setdefault("request", []).append(
            "This request has already been answered: record a correction instead"
        )
    if supersedes is not None:
        if supersedes.request_id != request.pk or latest is None or supersedes.pk != latest.pk:
            errors.setdefault("supersedes", []).append(
                "Only the latest decision on this request can be corrected"
            )
        if _blank(correction_reason):
            errors.setdefault("correction_reason", []).append("Enter the reason for the correction")
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        locked = InformationRequest.objects.select_for_update().get(pk=request.pk)
        current = locked.decisions.filter(superseded_by__isnull=True)
        if supersedes is not None:
            current = current.exclude(pk=supersedes.pk)
        if current.exists():
            raise _refuse("request", "Another decision was recorded on this request meanwhile")
        decision = Decision.objects.create(
            request=request,
            agency=request.agency,
            decided_by=actor,
            decided_at=timezone.now(),
            guidance_version=str(outcome.get("guidance_version") or ""),
            question=question,
            outcome=outcome["outcome"],
            basis=outcome.get("basis") or "",
            grounds=list(outcome.get("grounds") or []),
            without_consent=bool(outcome.get("without_consent")),
            requires=list(outcome.get("requires") or []),
            reasons=list(outcome.get("reasons") or []),
            steps=list(outcome.get("steps") or []),
            justification=justification,
            not_sharing_reasons=(not_sharing_reasons or "").strip() if not sharing else "",
            discussed_at=discussed_at if not sharing else None,
            discussed_with=(discussed_with or "").strip() if not sharing else "",
            discussion_notes=(discussion_notes or "").strip() if not sharing else "",
            informed=informed if sharing else "",
            not_informed_reason=(
                (not_informed_reason or "").strip() if informed == Informed.NOT_TOLD else ""
            ),
            proportionality=(proportionality or "").strip() if sharing else "",
            consent_details=(consent_details or "").strip(),
            supersedes=supersedes,
            correction_reason=(correction_reason or "").strip() if supersedes else "",
            people_decisions=per_person,
        )
        record(
            action=Action.DECISION_RECORDED,
            actor=actor,
            obj=decision,
            enquiry=enquiry,
            details={
                "request": str(request.pk),
                "agency": request.agency.code,
                "outcome": decision.outcome,
                "basis": decision.basis,
                "without_consent": decision.without_consent,
                "guidance_version": decision.guidance_version,
                "supersedes": str(supersedes.pk) if supersedes else None,
                "people": {r["person"]: r["outcome"] for r in per_person},
                "consent_records": sorted(
                    r["consent_record"] for r in per_person if r["consent_record"]
                ),
            },
        )
        if supersedes is not None:
            record(
                action=Action.DECISION_SUPERSEDED,
                actor=actor,
                obj=supersedes,
                enquiry=enquiry,
                details={"superseded_by": str(decision.pk), "request": str(request.pk)},
            )
        for item, people in zip(items if sharing else (), item_people, strict=True):
            if item.recorded_on is None:  # refused by _check_items before this point
                raise ValueError("a disclosure item needs the date it was recorded")
            saved = DisclosureItem.objects.create(
                decision=decision,
                text=item.text.strip(),
                nature=item.nature,
                recorded_on=item.recorded_on,
                source=item.source.strip(),
                currency=item.currency,
                historical_explanation=(
                    item.historical_explanation.strip()
                    if item.currency == Currency.HISTORICAL
                    else ""
                ),
                sensitive=item.sensitive,
                onward_sharing=item.onward_sharing,
            )
            saved.people.set(people)
            record(
                action=Action.DISCLOSURE_MADE,
                actor=actor,
                obj=saved,
                enquiry=enquiry,
                details={
                    "decision": str(decision.pk),
                    "recipient": enquiry.hub.code,
                    "people": sorted(str(p.pk) for p in people),
                    "nature": saved.nature,
                    "currency": saved.currency,
                    "sensitive": saved.sensitive,
                    "onward_sharing": saved.onward_sharing,
                },
            )
        if locked.status != RequestStatus.ANSWERED:
            locked.status = RequestStatus.ANSWERED
            locked.save(update_fields=["status"])
            request.status = RequestStatus.ANSWERED
    return decision


# --- Withdrawing a request --------------------------------------------------------


def withdraw_request(*, actor: Any, request: InformationRequest, reason: str) -> None:
    """The hub withdraws a request the agency has not answered, so the enquiry need not
    wait for it (for example the concern was resolved, or the information came from
    elsewhere). The reason is required and kept with the request; the record entry holds
    ids only. Guidance, Record: the MASH record shows what was asked and why it ended.
    Only hub staff of the enquiry's hub, only an open request of an open enquiry."""
    if not permissions.can_send_requests(actor, request.enquiry):
        raise PermissionError("only the enquiry's hub staff withdraw its requests")
    reason = (reason or "").strip()
    if not reason:
        raise _refuse("withdrawal_reason", "Enter the reason for withdrawing the request")
    with transaction.atomic():
        locked = (
            InformationRequest.objects.select_for_update()
            .select_related("enquiry")
            .get(pk=request.pk)
        )
        if locked.enquiry.status != EnquiryStatus.OPEN:
            raise _refuse("request", "This enquiry is closed, so its requests cannot change")
        if locked.status != RequestStatus.OPEN:
            raise _refuse(
                "request",
                "Only a request awaiting a decision can be withdrawn: this one is "
                f"{locked.get_status_display().lower()}",
            )
        locked.status = RequestStatus.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = actor
        locked.withdrawal_reason = reason
        locked.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        record(
            action=Action.REQUEST_WITHDRAWN,
            actor=actor,
            obj=locked,
            enquiry=locked.enquiry,
            details={"agency": request.agency.code, "fields": ["withdrawal_reason"]},
        )
    request.status = locked.status
    request.withdrawn_at = locked.withdrawn_at
    request.withdrawn_by = actor
    request.withdrawal_reason = reason


# --- Each person's decision ------------------------------------------------------

# The consent statuses a practitioner may answer for one person over the register.
PERSON_CONSENT_STATUSES: dict[str, str] = {
    "given": "Consent was given",
    "refused": "Consent was refused",
    "withdrawn": "Consent was given but has been withdrawn",
    "not_sought": "Consent was not sought",
}


@dataclasses.dataclass(frozen=True)
class PersonAnswer:
    """The practitioner's answers for one person, over what the register says.

    ``consent_status`` empty keeps the register's position (or, where the register has
    none, the answer on the consent page); a status overrides it and needs ``reason``
    (for "not sought", the reason consent was not obtained); ``None`` means the
    practitioner has not answered, which ``record_decision`` refuses. ``harm_applies``
    False says the child's risk of significant harm does not make sharing this person's
    own information necessary, so that ground is not used for them; ``None`` means not
    answered, refused by ``record_decision`` wherever the question is asked
    (``asks_harm``)."""

    consent_status: str | None = ""
    reason: str = ""
    harm_applies: bool | None = None


def asks_harm(question: Mapping[str, Any], person: Person) -> bool:
    """Whether the practitioner is asked, for ``person``, if the child's risk of
    significant harm makes sharing their own information necessary: for each adult,
    when the answers say the child is at risk (or the matter is urgent)."""
    risk = question.get("risk") or {}
    return bool(risk.get("significant_harm") or risk.get("urgent")) and person.kind != "child"


def unanswered_people_questions(
    question: Mapping[str, Any],
    people: Sequence[Person],
    answers: Mapping[str, PersonAnswer],
) -> dict[str, list[str]]:
    """The per-person questions left unanswered, each with a message naming the person:
    the consent answer (when consent is asked at all) and, for adults when the child is
    at risk, whether the significant-harm ground covers their own information."""
    errors: dict[str, list[str]] = {}
    for person in people:
        answer = answers.get(str(person.pk))
        if "consent" in question and (answer is None or answer.consent_status is None):
            errors[f"person-{person.pk}-consent"] = [
                f"Select the consent answer for {person.full_name}"
            ]
        if asks_harm(question, person) and (answer is None or answer.harm_applies is None):
            errors[f"person-{person.pk}-harm"] = [
                f"Select whether sharing {person.full_name}'s own information is necessary "
                "because the child is at risk of significant harm"
            ]
    return errors


def _position(request: InformationRequest, person: Person) -> ConsentPosition:
    """The register's position for sharing this agency's kind of information about
    ``person`` with the enquiry's hub (a partner answering a request shares with the
    hub)."""
    return consent_position(
        person=person,
        recipient_agency=request.enquiry.hub,
        purpose=request.purpose,
        category=category_held_by(request.agency),
    )


def register_positions(request: InformationRequest) -> list[tuple[Person, ConsentPosition]]:
    """Each person the request asks about, with their position in the consent register."""
    return [(person, _position(request, person)) for person in request.people.all()]


def _with_consent_from(
    question: Mapping[str, Any],
    position: ConsentPosition,
    answer: PersonAnswer,
) -> tuple[dict[str, Any], str]:
    """The question for one person, and where its consent came from: "practitioner"
    (overridden with a reason), "register" (the register decided), or "answer" (the
    consent page, the register knowing nothing)."""
    q = copy.deepcopy(dict(question))
    if answer.harm_applies is False and isinstance(q.get("risk"), dict):
        q["risk"] = {**q["risk"], "significant_harm": False, "urgent": False}
    if "consent" not in q:
        return q, "answer"  # consent is not asked: not identifying, or not confidential
    # An answer outside the list is refused by record_decision, naming the field; until
    # then the preview goes on the register, so a tampered form never reaches the engine.
    if answer.consent_status in PERSON_CONSENT_STATUSES:
        consent: dict[str, Any] = {
            "status": answer.consent_status,
            "agencies": None,
            "explicit": False,
        }
        if answer.consent_status == "not_sought":
            consent["reason_not_sought"] = answer.reason.strip()
        q["consent"] = consent
        return q, "practitioner"
    if position.status != "unknown":
        q["consent"] = position.consent
        return q, "register"
    return q, "answer"


def people_decisions(
    *,
    request: InformationRequest,
    question: Mapping[str, Any],
    answers: Mapping[str, PersonAnswer] | None = None,
    positions: Sequence[tuple[Person, ConsentPosition]] | None = None,
) -> list[dict[str, Any]]:
    """The guidance engine run once for each person the request asks about: the same
    answers, that person's consent object. ``answers`` maps person ids (str) to the
    practitioner's ``PersonAnswer``. Each result is a dict: person (id), consent (the
    contract object used), consent_source, consent_record (id or None), override_reason,
    harm_applies, and the engine's outcome, basis, grounds, without_consent, requires,
    reasons, missing."""
    answers = answers or {}
    question = dict(question)
    question["recipient_agency"] = request.enquiry.hub.code
    out = []
    for person, position in positions if positions is not None else register_positions(request):
        answer = answers.get(str(person.pk)) or PersonAnswer()
        q, source = _with_consent_from(question, position, answer)
        result = evaluate(q)
        out.append(
            {
                "person": str(person.pk),
                "consent": q.get("consent"),
                "consent_source": source,
                "consent_record": (
                    str(position.record.pk)
                    if source == "register" and position.record is not None
                    else None
                ),
                "consent_decided_on": (
                    position.record.given_on.isoformat()
                    if source == "register" and position.record is not None
                    else None
                ),
                "override_reason": answer.reason.strip() if source == "practitioner" else "",
                "harm_applies": answer.harm_applies is not False,
                "outcome": result["outcome"],
                "basis": result.get("basis") or "",
                "grounds": list(result.get("grounds") or []),
                "without_consent": bool(result.get("without_consent")),
                "requires": list(result.get("requires") or []),
                "reasons": list(result.get("reasons") or []),
                "steps": list(result.get("steps") or []),
                "missing": list(result.get("missing") or []),
            }
        )
    return out


def overall_outcome(
    per_person: Sequence[Mapping[str, Any]], fallback: Mapping[str, Any]
) -> dict[str, Any]:
    """One decision from each person's: share if the guidance allows sharing for any
    person (items are then limited to those about people it allows), otherwise the
    worst: seek advice if any person's needs advice, otherwise do not share.

    Guidance, Consent to Share Information: "Check you have consent from all people
    whose information is to be shared unless the safeguarding concerns put the child
    at risk of significant harm." Each person's information is decided on its own
    consent; one person's refusal blocks only what is about them, and the child's risk
    of significant harm lets the child's information go without consent.

    The overall basis is the first sharing person's; grounds, requirements, reasons and
    steps are the union over the people whose outcome it is (in order)."""
    if not per_person:
        return dict(fallback)
    outcomes = {p["outcome"] for p in per_person}
    if DecisionOutcome.SHARE in outcomes:
        chosen = DecisionOutcome.SHARE
    elif DecisionOutcome.SEEK_ADVICE in outcomes:
        chosen = DecisionOutcome.SEEK_ADVICE
    else:
        chosen = DecisionOutcome.DO_NOT_SHARE
    those = [p for p in per_person if p["outcome"] == chosen]

    def union(key: str) -> list[Any]:
        seen: dict[str, Any] = {}
        for p in those:
            for v in p.get(key) or []:
                seen.setdefault(json.dumps(v, sort_keys=True, default=str), v)
        return list(seen.values())

    return {
        **dict(fallback),
        "outcome": str(chosen),
        "basis": those[0].get("basis") or "",
        "grounds": union("grounds"),
        "without_consent": any(p.get("without_consent") for p in those),
        "requires": union("requires"),
        "reasons": union("reasons"),
        "steps": union("steps"),
        "missing": union("missing"),
    }


def _date_words(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = (
                dt.date.fromisoformat(value)
                if len(value) == 10
                else dt.datetime.fromisoformat(value)
            )
        except ValueError:
            return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return ""


_STATUS_WORDS = {
    "refused": "refused consent",
    "withdrawn": "withdrew consent",
    "not_sought": "was not asked for consent",
    "unknown": "has no consent recorded",
    "given": "gave consent",
}


def why_blocked(person: Person, result: Mapping[str, Any]) -> str:
    """Why the guidance does not let this person's information be shared, in words:
    "Jane Doe refused consent on 3 March 2026 and no ground to share without consent
    applies"."""
    consent = result.get("consent") or {}
    status = str(consent.get("status") or "unknown")
    when = _date_words(result.get("consent_decided_on") or consent.get("recorded_at"))
    said = f"{person.full_name} {_STATUS_WORDS.get(status, 'has no valid consent')}"
    if when and status in ("refused", "withdrawn", "given"):
        said += f" on {when}"
    if result.get("consent_source") == "register":
        said += " (consent register)"
    elif result.get("consent_source") == "practitioner":
        said += " (your answer for this person)"
    if status == "given":
        said += ", but that consent does not cover sharing this with the hub"
    if result.get("outcome") == DecisionOutcome.SEEK_ADVICE:
        return said + ", and the answers do not show a ground to share without consent: seek advice"
    return said + " and no ground to share without consent applies"
