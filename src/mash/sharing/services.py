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
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from mash.agencies.models import Agency
from mash.consent import services as consent_services
from mash.consent.selectors import ConsentPosition, agency_position, category_held_by
from mash.enquiries.models import Enquiry, EnquiryStatus, Person
from mash.policy import GivenBy, QuestionError, decide, validate, wording
from mash.policy.informing import InformAnswer, Told, inform_problems
from mash.policy.signoff import SignOff, sign_off_for
from mash.policy.who_consents import read_consent
from mash.policy.wording import CAPACITY, CAPACITY_NOT_ASSESSED, CAPACITY_NOT_IN_DOUBT
from mash.records.models import Action
from mash.records.services import record
from mash.timeliness import sharing_notices
from mash.timeliness.config import hub_clock

from . import permissions
from .models import (
    AdviceRequest,
    AdviserKind,
    Currency,
    Decision,
    DecisionOutcome,
    DisclosureItem,
    InformationRequest,
    Informed,
    Nature,
    OnwardSharing,
    PersonInformed,
    Release,
    RequestStatus,
    signoff_required,
    standing,
)
from .share_answers import ShareAnswers, needs_errors

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


# The answers the engine may report as not known (``missing``), in words.
MISSING_LABELS = {
    "purpose.legitimate": "whether there is a legitimate purpose",
    "identifies_individual": "whether the information identifies someone",
    "confidential": "whether the information is confidential",
    "risk.significant_harm": "whether the child is at risk of significant harm",
}


def missing_words(missing: Sequence[str]) -> list[str]:
    return [MISSING_LABELS.get(m, m.replace("_", " ").replace(".", ": ")) for m in missing]


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
    # Guidance, Necessary and proportionate: "the impact of disclosing information on the
    # information subject and any third parties".
    third_party: bool = False
    third_party_consideration: str = ""


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
    purpose_code: str = "",
) -> list[InformationRequest]:
    """Ask each agency, once per enquiry, what it holds about the chosen people.

    Guidance, Who?: "Which agencies need to be involved in the sharing? Who do we need
    information about in order to make the decision - child, parent, carer, others?"
    ``purpose_code`` (optional) names the purpose on the hub's purposes list, so the
    guidance can compare it with what a consent was given for (Consent: "for this
    purpose").
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
    purpose_code = (purpose_code or "").strip()
    if purpose_code:
        from mash.guidance.selectors import active_purposes

        if purpose_code not in {code for code, _ in active_purposes()}:
            raise _refuse("purpose_code", "Select a purpose from the hub's purposes list")
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
                    purpose_code=purpose_code,
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
                        "purpose_code": purpose_code,
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


def _check_people_answers(
    asked: Mapping[str, Person], answers: Mapping[str, PersonAnswer]
) -> dict[str, list[str]]:
    """Each person's answers: only for people asked about, a consent answer from the
    list and, where it differs from the consent page, why; who can consent."""
    errors: dict[str, list[str]] = {}
    for pid, answer in answers.items():
        if pid not in asked:
            errors.setdefault("people", []).append("Answer only for people the request asks about")
            continue
        if answer.consent_status and answer.consent_status not in PERSON_CONSENT_STATUSES:
            errors.setdefault(f"person-{pid}-consent", []).append(
                f"Choose {asked[pid].full_name}'s consent answer from the list"
            )
        elif answer.consent_status and _blank(answer.reason):
            errors.setdefault(f"person-{pid}-reason", []).append(
                f"Enter why your consent answer for {asked[pid].full_name} differs from your "
                "answer on the consent page"
            )
        for name, texts in _who_errors(asked[pid], answer).items():
            errors.setdefault(name, []).extend(texts)
    return errors


def _check_dates(
    *,
    request: InformationRequest,
    sharing: bool,
    discussed_at: dt.datetime | None,
    question: Mapping[str, Any],
) -> dict[str, list[str]]:
    """Dates of things that happened cannot be in the future; the discussion with the
    requester cannot be before the request was sent (Guidance, Accurate; Record)."""
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if discussed_at is not None and not sharing:
        if discussed_at > now:
            errors["discussed_at"] = [
                "The date and time you discussed the decision with the requester must be "
                "now or in the past"
            ]
        elif discussed_at < request.created_at.replace(second=0, microsecond=0):
            sent = timezone.localtime(request.created_at)
            errors["discussed_at"] = [
                "The date and time you discussed the decision with the requester cannot be "
                f"before the request was sent ({sent:%-d %B %Y, %H:%M})"
            ]
    given = str((question.get("consent") or {}).get("recorded_at") or "")
    if given:
        try:
            when = dt.datetime.fromisoformat(given)
        except ValueError:
            when = None
        if when is not None and timezone.is_naive(when):
            when = timezone.make_aware(when)
        if when is not None and when > now:
            errors["consent_recorded_at"] = [
                "The date and time explicit consent was given must be now or in the past"
            ]
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
        if item.third_party and _blank(item.third_party_consideration):
            bad(
                "third_party_consideration",
                "explain why it is still right to share the third party's information, "
                "or what you removed",
            )
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


# The page's answer to "has the person been told" when it applies to everyone, and each
# person's own answer: the parts of an ``InformAnswer`` as the record form names them.
INFORM_FIELDS = {
    "answer": "informed",
    "told_on": "told_on",
    "tell_by": "tell_by",
    "ground": "not_informed_ground",
    "reason": "not_informed_reason",
}


def to_be_told(
    outcome: Mapping[str, Any], per_person: Sequence[Mapping[str, Any]], asked: Sequence[Person]
) -> list[Person]:
    """The people the practitioner must say were told, will be told or will not be told:
    those whose information is shared without their consent (the engine requires
    ``inform_individual_unless_risk`` for them). Guidance, How?: "Inform the individual
    that the information has been shared if they were not aware of this"."""
    if "inform_individual_unless_risk" not in (outcome.get("requires") or []):
        return []
    wanted = {
        r["person"]
        for r in per_person
        if r.get("outcome") == DecisionOutcome.SHARE
        and "inform_individual_unless_risk" in (r.get("requires") or [])
    }
    return [p for p in asked if str(p.pk) in wanted] or list(asked)


def _informing(
    *,
    request: InformationRequest,
    people: Sequence[Person],
    page: InformAnswer,
    own: Mapping[str, InformAnswer],
) -> tuple[dict[str, InformAnswer], dict[str, list[str]]]:
    """Each person's answer (their own where given, else the page's answer for everyone)
    and what is wrong with them: the page's answer is checked once, each person's own
    answer under ``person-<id>-<field>``, each message naming the person."""
    today = timezone.localdate()
    asked_on = timezone.localtime(request.created_at).date()
    chosen: dict[str, InformAnswer] = {}
    errors: dict[str, list[str]] = {}
    page_users: list[Person] = []
    for person in people:
        answer = own.get(str(person.pk))
        if answer is not None and answer.answer:
            chosen[str(person.pk)] = answer
            problems = inform_problems(
                answer, name=person.full_name, today=today, asked_on=asked_on
            )
            for part, text in problems.items():
                errors.setdefault(f"person-{person.pk}-{INFORM_FIELDS[part]}", []).append(text)
        else:
            chosen[str(person.pk)] = page
            page_users.append(person)
    if page_users:
        name = page_users[0].full_name if len(page_users) == 1 else "each person"
        for part, text in inform_problems(page, name=name, today=today, asked_on=asked_on).items():
            errors.setdefault(INFORM_FIELDS[part], []).append(text)
    return chosen, errors


@dataclasses.dataclass(frozen=True)
class DecisionDraft:
    """One decision as the practitioner answers it: the guidance's answers
    (``question``), each person's consent answers (``people_answers``), and the record's
    fields. The decision page builds it from its form (``forms.decision_draft``),
    ``run_engine`` runs the guidance on it, and ``record_decision`` records it: one object
    for the three, in place of a long list of keyword arguments."""

    question: Mapping[str, Any]
    justification: str = ""
    not_sharing_reasons: str = ""
    discussed_at: dt.datetime | None = None
    discussed_with: str = ""
    discussion_notes: str = ""
    informed: InformAnswer = dataclasses.field(default_factory=InformAnswer)
    people_informed: Mapping[str, InformAnswer] = dataclasses.field(default_factory=dict)
    proportionality: str = ""
    consent_details: str = ""
    items: Sequence[ItemInput] = ()
    supersedes: Decision | None = None
    correction_reason: str = ""
    people_answers: Mapping[str, PersonAnswer] | None = None
    advice_needed: bool = False
    share: ShareAnswers | None = None
    adequacy_confirmed: bool = False

    @classmethod
    def of(cls, **fields: Any) -> DecisionDraft:
        """A draft from ``record_decision``'s keyword arguments (``informed`` may be an
        answer's value alone, with ``not_informed_reason``)."""
        informed = fields.pop("informed", "")
        reason = fields.pop("not_informed_reason", "")
        if not isinstance(informed, InformAnswer):
            informed = InformAnswer(answer=informed or "", reason=reason or "")
        return cls(informed=informed, **fields)


@dataclasses.dataclass(frozen=True)
class EngineRun:
    """The guidance run on a draft: the question as decided on (with the share's
    answers), each person's decision, the overall outcome, and the people asked about."""

    question: dict[str, Any]
    per_person: list[dict[str, Any]]
    outcome: dict[str, Any]
    asked: dict[str, Person]
    share_errors: dict[str, list[str]]

    @property
    def sharing(self) -> bool:
        return self.outcome["outcome"] == DecisionOutcome.SHARE


def run_engine(request: InformationRequest, draft: DecisionDraft) -> EngineRun:
    """The guidance engine on the draft, once for each person the request asks about
    (``people_decisions``) and overall (``overall_outcome``); for a share, again with
    the share's answers (v2: how, necessity, the lawful basis), whose ``record_needs``
    and lawful basis ``warnings`` not yet met are ``share_errors``. Per-person answers
    outside their lists, and a lawful basis the policy refuses, raise at once."""
    question = dict(draft.question)
    question["recipient_agency"] = request.enquiry.hub.code
    justification = (draft.justification or "").strip()
    if justification:
        question["justification"] = justification
    else:
        question.pop("justification", None)
    answers = dict(draft.people_answers or {})
    asked = {str(p.pk): p for p in request.people.all()}
    errors_people = _check_people_answers(asked, answers)
    if errors_people:
        raise ValidationError(errors_people)
    per_person = people_decisions(request=request, question=question, answers=answers)
    outcome = overall_outcome(per_person, evaluate(question))
    share_errors: dict[str, list[str]] = {}
    if draft.share is not None and outcome["outcome"] == DecisionOutcome.SHARE:
        question = draft.share.apply(question)
        try:
            validate(question)
        except QuestionError as problem:
            raise ValidationError(
                {e.path.split(".")[-1] or "lawful_basis": [e.message] for e in problem.errors}
            ) from None
        per_person = people_decisions(request=request, question=question, answers=answers)
        outcome = overall_outcome(per_person, evaluate(question))
        lawful = outcome.get("lawful_basis") or {}
        share_errors = needs_errors(outcome.get("record_needs") or [], lawful.get("warnings") or [])
    return EngineRun(question, per_person, outcome, asked, share_errors)


def _merge(errors: dict[str, list[str]], more: Mapping[str, Sequence[str]]) -> None:
    for name, texts in more.items():
        errors.setdefault(name, []).extend(texts)


def _item_errors(
    request: InformationRequest, draft: DecisionDraft, run: EngineRun
) -> tuple[dict[str, list[str]], list[list[Person]]]:
    """The items: none for a decision not to share; each checked (``_check_items``),
    each about only people whose decision is share, and none sensitive where the
    answers say nothing is (Guidance, Consent to Share Information: "Where sensitive
    personal information is being shared explicit consent is expected")."""
    items = draft.items
    errors: dict[str, list[str]] = {}
    if not run.sharing and items:
        errors["items"] = [
            "Remove the items: the decision is not to share, so nothing is disclosed"
        ]
    item_errors, item_people = _check_items(request, items if run.sharing else ())
    errors.update(item_errors)
    by_person = {r["person"]: r for r in run.per_person}
    for n, people_of_item in enumerate(item_people, start=1):
        for person in people_of_item:
            result = by_person.get(str(person.pk))
            if result is not None and result["outcome"] != DecisionOutcome.SHARE:
                errors.setdefault(f"item-{n}-people", []).append(
                    f"Item {n} is about {person.full_name}: {why_blocked(person, result)}"
                )
    if run.sharing and not run.question.get("sensitive"):
        for n, item in enumerate(items, start=1):
            if item.sensitive:
                errors.setdefault(f"item-{n}-sensitive", []).append(
                    f"Item {n}: you answered that none of the information is sensitive. "
                    "Change that answer, or mark this item as not sensitive"
                )
    return errors, item_people


def _correction_errors(request: InformationRequest, draft: DecisionDraft) -> dict[str, list[str]]:
    """A decision is never edited: only the latest one is corrected, with a reason."""
    errors: dict[str, list[str]] = {}
    supersedes = draft.supersedes
    latest = request.decisions.filter(superseded_by__isnull=True).first()
    if supersedes is None and latest is not None:
        errors["request"] = ["This request has already been answered: record a correction instead"]
    if supersedes is not None:
        if supersedes.request_id != request.pk or latest is None or supersedes.pk != latest.pk:
            errors["supersedes"] = ["Only the latest decision on this request can be corrected"]
        if _blank(draft.correction_reason):
            errors["correction_reason"] = ["Enter the reason for the correction"]
    return errors


def _record_errors(
    request: InformationRequest, draft: DecisionDraft, run: EngineRun
) -> tuple[dict[str, list[str]], dict[str, InformAnswer], list[list[Person]]]:
    """Everything the record lacks for the engine's outcome, by field: its ``requires``
    list, the share's needs, each person's telling, the adequacy confirmation, the
    items, the dates, each person's questions, and the correction. Also each person's
    telling answer and each item's people, for recording."""
    outcome, asked = run.outcome, run.asked
    errors = _check_requirements(
        outcome=outcome,
        question=run.question,
        justification=(draft.justification or "").strip(),
        not_sharing_reasons=draft.not_sharing_reasons,
        discussed_at=draft.discussed_at,
        discussed_with=draft.discussed_with,
        discussion_notes=draft.discussion_notes,
        proportionality=draft.proportionality,
        consent_details=draft.consent_details,
        items=draft.items,
        people=[
            (asked[r["person"]], r)
            for r in run.per_person
            if r["outcome"] == outcome["outcome"] and r["person"] in asked
        ],
    )
    _merge(errors, run.share_errors)
    told, told_errors = _informing(
        request=request,
        people=to_be_told(outcome, run.per_person, list(asked.values())),
        page=draft.informed,
        own=draft.people_informed,
    )
    _merge(errors, told_errors)
    if run.sharing and not draft.adequacy_confirmed:
        errors.setdefault("adequacy_confirmed", []).append(wording.ADEQUACY_MISSING)
    item_errors, item_people = _item_errors(request, draft, run)
    _merge(errors, item_errors)
    _merge(
        errors,
        _check_dates(
            request=request,
            sharing=run.sharing,
            discussed_at=draft.discussed_at,
            question=run.question,
        ),
    )
    if draft.people_answers is not None:
        # A caller that answers per person (the decision page) must answer every
        # question it is asked for each person.
        _merge(
            errors,
            unanswered_people_questions(
                run.question, list(asked.values()), dict(draft.people_answers)
            ),
        )
    _merge(errors, _correction_errors(request, draft))
    return errors, told, item_people


def record_decision(
    *,
    actor: Any,
    request: InformationRequest,
    draft: DecisionDraft | None = None,
    **fields: Any,
) -> Decision:
    """Record one agency's decision on a request (``draft``, or a draft made of
    ``fields``: ``DecisionDraft.of``), with its disclosure items.

    Seeking advice (Guidance, 7 Golden Rules, rule 3): when the guidance's outcome is
    ``seek_advice``, or was while answering (``advice_needed``), the decision is refused
    until a manager or the hub's safeguarding lead has answered a question asked on this
    request (``ask_advice``), no question is still waiting for its answer, and the
    answers the guidance did not know are given. The advice of this round is linked to
    the decision, so the record shows it.

    Sign-off (``mash.policy.signoff.sign_off_for``): a share that overrides a refusal or
    withdrawal of consent (the engine requires ``proportionality_of_override``) is, where
    the hub's ``SharingSettings`` ask for sign-off, either held until a manager of this
    agency signs it off (``sign_off``: the hub does not see it before then), or, when the
    basis is urgency or significant harm or the enquiry is Red
    (``releases_before_review``), released at once with a review by a manager due on the
    hub's clock (``review_release``). Guidance, Consent to Share Information: "If the
    need to share is urgent ... take immediate action and share the information without
    consent, but remember to record the reason for the decision."

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

    Version 2 (``share``, one value built once from the page): for a share, how it is
    shared, why it is necessary and proportionate, and the lawful basis the practitioner
    confirmed or chose (Necessary and proportionate; Secure; Consent to Share
    Information: "other lawful basis") go into the question, and the record is refused
    until the engine's ``record_needs`` are met and its lawful basis ``warnings`` are
    answered; a basis outside the agency's list is refused by the policy. The engine's
    lawful basis (proposed, chosen, words) is stored on the decision. Without ``share``
    a decision is recorded as under version 1. Who can consent (each ``PersonAnswer``'s
    ``given_by``, competence, capacity and another person's answer) goes into that
    person's question, and the engine's explanation of whose answer governs is kept in
    ``people_decisions``.

    Informing the individual (Guidance, How?): each person whose information is shared
    without their consent (``to_be_told``) was told (on a date), will be told by a date,
    or will not be told (a ground in the guidance's words and why): their own answer in
    ``people_informed`` or else ``informed`` (an ``InformAnswer``, or its answer alone
    with ``not_informed_reason``) for everyone. One ``PersonInformed`` row each.
    """
    if not permissions.can_answer_request(actor, request):
        raise PermissionError("only the asked agency answers its request")
    enquiry = request.enquiry
    if enquiry.status != EnquiryStatus.OPEN:
        raise _refuse("request", "This enquiry is closed, so its request can no longer be answered")
    if request.status == RequestStatus.WITHDRAWN:
        raise _refuse("request", "This request was withdrawn by the hub")
    draft = draft if draft is not None else DecisionDraft.of(**fields)
    run = run_engine(request, draft)
    round_advice = list(current_advice(request))
    advice_errors = _check_advice(
        outcome=run.outcome, advice_needed=draft.advice_needed, round_advice=round_advice
    )
    if advice_errors:
        raise ValidationError(advice_errors)
    errors, told, item_people = _record_errors(request, draft, run)
    if errors:
        raise ValidationError(errors)
    return _save_decision(
        actor=actor,
        request=request,
        draft=draft,
        run=run,
        told=told,
        item_people=item_people,
        round_advice=round_advice,
    )


def _save_decision(
    *,
    actor: Any,
    request: InformationRequest,
    draft: DecisionDraft,
    run: EngineRun,
    told: Mapping[str, InformAnswer],
    item_people: Sequence[Sequence[Person]],
    round_advice: Sequence[AdviceRequest],
) -> Decision:
    """Write the decision, each person's telling, its items and record entries in one
    transaction, then hold or release it (``_hold_or_release``)."""
    enquiry = request.enquiry
    outcome, sharing, asked = run.outcome, run.sharing, run.asked
    supersedes = draft.supersedes
    path = sign_off_for(
        sharing=sharing,
        requires=outcome.get("requires") or [],
        basis=outcome.get("basis"),
        rag=enquiry.rag,
        hub_asks=signoff_required(enquiry.hub),
    )
    held = path is SignOff.HOLD
    now = timezone.now()
    review_due = review_deadline(enquiry, now=now) if path is SignOff.REVIEW_AFTER_RELEASE else None
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
            decided_at=now,
            guidance_version=str(outcome.get("guidance_version") or ""),
            question=run.question,
            outcome=outcome["outcome"],
            basis=outcome.get("basis") or "",
            grounds=list(outcome.get("grounds") or []),
            without_consent=bool(outcome.get("without_consent")),
            requires=list(outcome.get("requires") or []),
            reasons=list(outcome.get("reasons") or []),
            steps=list(outcome.get("steps") or []),
            justification=(draft.justification or "").strip(),
            not_sharing_reasons=(draft.not_sharing_reasons or "").strip() if not sharing else "",
            discussed_at=draft.discussed_at if not sharing else None,
            discussed_with=(draft.discussed_with or "").strip() if not sharing else "",
            discussion_notes=(draft.discussion_notes or "").strip() if not sharing else "",
            proportionality=(draft.proportionality or "").strip() if sharing else "",
            consent_details=(draft.consent_details or "").strip(),
            supersedes=supersedes,
            correction_reason=(draft.correction_reason or "").strip() if supersedes else "",
            people_decisions=run.per_person,
            lawful_basis=dict(outcome.get("lawful_basis") or {}) if sharing else {},
            how=(
                draft.share.how.value
                if sharing and draft.share is not None and draft.share.how
                else ""
            ),
            adequacy_confirmed=True if sharing else None,
            release=Release.AWAITING_SIGNOFF if held else Release.RELEASED,
            released_at=None if held else now,
            review_due=review_due,
        )
        if round_advice:
            AdviceRequest.objects.filter(pk__in=[a.pk for a in round_advice]).update(
                decision=decision
            )
        _register_consent_answers(actor=actor, decision=decision, people=asked)
        PersonInformed.objects.bulk_create(
            PersonInformed(
                decision=decision,
                person=asked[pid],
                answer=a.answer,
                told_on=a.told_on if a.answer == Informed.TOLD else None,
                tell_by=a.tell_by if a.answer == Informed.WILL_TELL else None,
                ground=a.ground if a.answer == Informed.NOT_TOLD else "",
                reason=a.reason.strip() if a.answer == Informed.NOT_TOLD else "",
            )
            for pid, a in told.items()
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
                "people": {r["person"]: r["outcome"] for r in run.per_person},
                "consent_records": sorted(
                    r["consent_record"] for r in run.per_person if r["consent_record"]
                ),
                "release": decision.release,
                "review_due": review_due.isoformat() if review_due else None,
                "advice": sorted(str(a.pk) for a in round_advice),
                "lawful_basis": (decision.lawful_basis or {}).get("chosen"),
                "how": decision.how,
                "informed": {pid: a.answer for pid, a in told.items()},
                "adequacy_confirmed": decision.adequacy_confirmed,
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
        for item, people in zip(draft.items if sharing else (), item_people, strict=True):
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
                third_party=item.third_party,
                third_party_consideration=(
                    item.third_party_consideration.strip() if item.third_party else ""
                ),
            )
            saved.people.set(people)
        _hold_or_release(actor=actor, decision=decision, locked=locked, path=path, now=now)
        request.status = locked.status
    return decision


def _hold_or_release(
    *,
    actor: Any,
    decision: Decision,
    locked: InformationRequest,
    path: SignOff,
    now: dt.datetime,
) -> None:
    """After recording (inside its transaction): hold the decision for a manager's
    sign-off, or release it to the hub (disclosures recorded, request answered, the hub
    told), with a review after release due where ``path`` says so
    (``mash.policy.signoff``)."""
    request = decision.request
    if path is SignOff.HOLD:
        record(
            action=Action.DECISION_HELD,
            actor=actor,
            obj=decision,
            enquiry=request.enquiry,
            details={
                "request": str(request.pk),
                "agency": request.agency.code,
                "items": sorted(str(i.pk) for i in decision.items.all()),
            },
        )
        sharing_notices.signoff_awaited(decision, now=now)
        return
    _record_disclosures(actor=actor, decision=decision)
    if locked.status != RequestStatus.ANSWERED:
        locked.status = RequestStatus.ANSWERED
        locked.save(update_fields=["status"])
    sharing_notices.decision_released(decision, now=now)
    if path is SignOff.REVIEW_AFTER_RELEASE:
        sharing_notices.review_awaited(decision, now=now)


def review_deadline(enquiry: Enquiry, *, now: dt.datetime) -> dt.datetime:
    """When a manager must review a share released before review: on the hub's clock,
    the enquiry's rating counted from the release (a rating without a target, such as
    Blue, is counted as Green is)."""
    clock = hub_clock(enquiry.hub_id)
    return (
        clock.deadline(now, enquiry.rag)
        or clock.deadline(now, "green")
        or now + dt.timedelta(days=3)
    )


def _register_consent_answers(
    *, actor: Any, decision: Decision, people: Mapping[str, Person]
) -> None:
    """Each person's consent answer on the decision, into the consent register as an
    event of the deciding agency (source: this decision), unless it came from the
    register already. One truth: the hub's consent table and the person's consent page
    show what the practitioner answered (Guidance, Consent to Share Information)."""
    answers = []
    for result in decision.people_decisions or []:
        person = people.get(str(result.get("person")))
        consent = result.get("consent")
        if person is None or not consent or result.get("consent_source") == "register":
            continue
        subject = result.get("subject") or {}
        answers.append(
            (
                person,
                {
                    **consent,
                    "given_by": result.get("given_by"),
                    "competent": subject.get("competent"),
                },
            )
        )
    request = decision.request
    consent_services.record_decision_answers(
        actor=actor,
        decision=decision,
        answers=answers,
        recipient=request.enquiry.hub,
        category=category_held_by(request.agency),
        purpose=request.purpose,
        purposes=[request.purpose_code] if request.purpose_code else [],
        information_covered=decision.consent_details,
    )


def _record_disclosures(*, actor: Any, decision: Decision) -> None:
    """The record of each item reaching the hub (when the decision is released)."""
    enquiry = decision.request.enquiry
    for saved in decision.items.prefetch_related("people"):
        record(
            action=Action.DISCLOSURE_MADE,
            actor=actor,
            obj=saved,
            enquiry=enquiry,
            details={
                "decision": str(decision.pk),
                "recipient": enquiry.hub.code,
                "people": sorted(str(p.pk) for p in saved.people.all()),
                "nature": saved.nature,
                "currency": saved.currency,
                "sensitive": saved.sensitive,
                "third_party": saved.third_party,
                "onward_sharing": saved.onward_sharing,
            },
        )


# --- Telling a person after the decision ----------------------------------------


def record_told(*, actor: Any, informing: PersonInformed, told_on: dt.date | None) -> None:
    """Record that a person the decision said "will be told" has been told, on
    ``told_on`` (Guidance, How?: "Inform the individual that the information has been
    shared"). Only the deciding agency's practitioners and managers; once; the date can
    be neither in the future nor before the decision. The record entry holds ids and the
    date only."""
    decision = informing.decision
    if not permissions.can_answer_request(actor, decision.request):
        raise PermissionError("only the deciding agency records who it told")
    name = informing.person.full_name
    if told_on is None:
        raise _refuse("told_on", f"Enter the date {name} was told")
    if told_on > timezone.localdate():
        raise _refuse("told_on", f"The date {name} was told must be today or in the past")
    decided_on = timezone.localtime(decision.decided_at).date()
    if told_on < decided_on:
        raise _refuse(
            "told_on",
            f"The date {name} was told cannot be before the decision ({decided_on:%-d %B %Y})",
        )
    with transaction.atomic():
        locked = PersonInformed.objects.select_for_update().get(pk=informing.pk)
        if not locked.waiting:
            raise _refuse("told_on", f"That {name} was told is already recorded")
        locked.told_on = told_on
        locked.told_recorded_at = timezone.now()
        locked.told_recorded_by = actor
        locked.save(update_fields=["told_on", "told_recorded_at", "told_recorded_by"])
        record(
            action=Action.PERSON_TOLD,
            actor=actor,
            obj=locked,
            enquiry=decision.request.enquiry,
            details={
                "decision": str(decision.pk),
                "person": str(locked.person_id),
                "told_on": told_on.isoformat(),
            },
        )
    informing.told_on = locked.told_on
    informing.told_recorded_at = locked.told_recorded_at
    informing.told_recorded_by = actor


def tellings_overdue(user: Any) -> QuerySet[PersonInformed]:
    """The people ``user`` decided would be told by a date now past, with the telling
    not recorded: on current decisions only, the soonest promised first (SQL)."""
    return (
        PersonInformed.objects.filter(
            standing(Told.WILL_TELL),
            decision__decided_by_id=user.pk,
            decision__superseded_by__isnull=True,
            tell_by__lt=timezone.localdate(),
        )
        .select_related("person", "decision__request__enquiry")
        .order_by("tell_by", "pk")
    )


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
    "given_explicit": "Explicit consent was given (written, or verbal with the date, time "
    "and what it covers)",
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
    # v2, who can consent (Who?; Gillick; Mental Capacity Act 2005). All optional: left
    # unanswered, the person's consent reads as it did under version 1.
    given_by: str = ""  # a GivenBy value: who gave or refused the consent answer
    competent: bool | None = None  # under 16: judged competent (Gillick)
    capacity: str = ""  # 16 or over: a key of mash.policy.wording.CAPACITY
    other_status: str = ""  # another person's answer for the same information ...
    other_given_by: str = ""  # ... and who gave it (a GivenBy value)

    @property
    def says_who(self) -> bool:
        """Whether any who-can-consent answer was given."""
        return bool(
            self.given_by or self.competent is not None or self.capacity or self.other_status
        )


# The statuses of another person's answer about the same information (v2 other_consents).
OTHER_CONSENT_STATUSES = ("given", "refused", "withdrawn")


def person_age(person: Person, today: dt.date | None = None) -> int | None:
    """The person's age in whole years: from the date of birth, else the estimate."""
    born = person.date_of_birth
    if born is None:
        return person.estimated_age
    today = today or timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def asks_competence(person: Person) -> bool:
    """Gillick: asked for a child under 16 (or a child whose age is not known)."""
    age = person_age(person)
    return person.kind == "child" and (age is None or age < 16)


def asks_capacity(person: Person) -> bool:
    """Mental Capacity Act 2005: asked for every adult (parent, carer, other adult) and
    for a child known to be 16 or over; each person is asked exactly one of competence
    and capacity."""
    return not asks_competence(person)


GIVEN_BY_SELF = "self"
"""The page's answer for the person themself (``child`` or ``person`` by their kind)."""


def given_by_options() -> tuple[str, ...]:
    """Who may have answered for a person: the person themself, a parent or someone else
    with parental responsibility, or someone else. The same for everyone (a parent's
    answer about an adult is recorded, and the guidance says it does not govern)."""
    return (
        GIVEN_BY_SELF,
        GivenBy.PARENT.value,
        GivenBy.PARENTAL_RESPONSIBILITY.value,
        GivenBy.OTHER.value,
    )


def given_by_for(person: Person, value: str) -> GivenBy | None:
    """The contract's ``given_by`` for a page answer (None when not one of them)."""
    if value == GIVEN_BY_SELF:
        return GivenBy.CHILD if person.kind == "child" else GivenBy.PERSON
    try:
        return GivenBy(value)
    except ValueError:
        return None


def _who_errors(person: Person, answer: PersonAnswer) -> dict[str, list[str]]:
    """Who-can-consent answers outside their lists, each naming the person."""
    errors: dict[str, list[str]] = {}
    p, name = f"person-{person.pk}-", person.full_name
    if answer.given_by and given_by_for(person, answer.given_by) is None:
        errors[p + "given_by"] = [
            f"Choose who gave or refused {name}'s consent: one of the answers listed"
        ]
    if answer.capacity and answer.capacity not in CAPACITY:
        errors[p + "capacity"] = [
            f"Choose whether {name}'s capacity is in doubt: one of the answers listed"
        ]
    if answer.other_status:
        if answer.other_status not in OTHER_CONSENT_STATUSES:
            errors[p + "other_status"] = [
                f"Choose the other answer for {name}'s information: one of the answers listed"
            ]
        elif answer.other_given_by not in {g.value for g in GivenBy}:
            errors[p + "other_given_by"] = [
                f"Select who gave the other answer for {name}'s information"
            ]
    return errors


def _with_who(q: dict[str, Any], person: Person, answer: PersonAnswer) -> None:
    """Put the who-can-consent answers for ``person`` into their question (v2: the
    consent's ``given_by``, ``subject`` and ``other_consents``)."""
    if "consent" not in q or not answer.says_who:
        return
    # An answer outside its list is refused by record_decision, naming the field; until
    # then it is left out, so a tampered form never reaches the engine.
    givers = {g.value for g in GivenBy}
    consent = dict(q.get("consent") or {})
    given_by = given_by_for(person, answer.given_by)
    if given_by is not None:
        consent["given_by"] = given_by.value
    q["consent"] = consent
    subject: dict[str, Any] = {}
    age = person_age(person)
    if age is not None:
        subject["age"] = age
    if asks_competence(person) and answer.competent is not None:
        subject["competent"] = answer.competent
    if asks_capacity(person) and answer.capacity in CAPACITY:
        subject["capacity_in_doubt"] = answer.capacity != CAPACITY_NOT_IN_DOUBT
        if answer.capacity not in (CAPACITY_NOT_IN_DOUBT, CAPACITY_NOT_ASSESSED):
            subject["capacity_assessment"] = answer.capacity
    q["subject"] = subject
    if answer.other_status in OTHER_CONSENT_STATUSES and answer.other_given_by in givers:
        q["other_consents"] = [
            {"status": answer.other_status, "given_by": answer.other_given_by, "agencies": None}
        ]


def _who_governs(q: Mapping[str, Any]) -> list[str]:
    """The engine's explanation of whose consent answer governs, and why (Who?)."""
    if not any(k in q for k in ("subject", "other_consents")) and not (
        (q.get("consent") or {}).get("given_by")
    ):
        return []
    try:
        return list(read_consent(validate(dict(q))).reasons)
    except QuestionError:  # refused, naming the field, before anything is recorded
        return []


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
    """This agency's own register position for sharing its kind of information about
    ``person`` with the enquiry's hub (a partner answering a request shares with the
    hub): only the entries this agency recorded, never the hub's consent to refer."""
    return agency_position(
        person=person,
        agency=request.agency,
        recipient_agency=request.enquiry.hub,
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
    (this person's own answer, differing from the consent page, with a reason),
    "answer" (the consent page's answer: it is each person's answer unless the
    practitioner differs for them), or "register" (the consent page left consent
    unknown, and this agency's own register entries decide). One answer per person:
    the register (this agency's own entries only, ``register_positions``) pre-fills the
    consent page, it never contradicts what the practitioner answered."""
    q = copy.deepcopy(dict(question))
    if answer.harm_applies is False and isinstance(q.get("risk"), dict):
        q["risk"] = {**q["risk"], "significant_harm": False, "urgent": False}
    if "consent" not in q:
        return q, "answer"  # consent is not asked: not identifying, or not confidential
    # An answer outside the list is refused by record_decision, naming the field; until
    # then the preview goes on the page's answer, so a tampered form never reaches the
    # engine.
    page = dict(q.get("consent") or {})
    if answer.consent_status in PERSON_CONSENT_STATUSES:
        explicit = answer.consent_status == "given_explicit"
        status = "given" if explicit else str(answer.consent_status)
        consent: dict[str, Any] = {"status": status, "agencies": None, "explicit": explicit}
        if explicit and page.get("recorded_at"):
            consent["recorded_at"] = page["recorded_at"]
        if status == "not_sought":
            consent["reason_not_sought"] = answer.reason.strip()
        q["consent"] = consent
        return q, "practitioner"
    if page.get("status") in (None, "", "unknown") and position.status != "unknown":
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
        _with_who(q, person, answer)
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
                # v2: who can consent, and the lawful basis for this person's share.
                "given_by": (q.get("consent") or {}).get("given_by"),
                "subject": q.get("subject"),
                "other_consents": q.get("other_consents"),
                "who_governs": _who_governs(q),
                "consent_used": result.get("consent_used"),
                "lawful_basis": result.get("lawful_basis"),
                "record_needs": list(result.get("record_needs") or []),
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

    v2: dict[str, Any] = {}
    if those[0].get("lawful_basis") is not None or "lawful_basis" in fallback:
        # The lawful basis reported is the first sharing person's (like the basis); the
        # record needs and warnings are everyone's whose information is shared.
        lawful = dict(those[0].get("lawful_basis") or {}) or None
        if lawful is not None:
            lawful["warnings"] = union_of(those, "lawful_basis", "warnings")
        v2 = {"lawful_basis": lawful, "record_needs": union("record_needs")}
    return {
        **dict(fallback),
        **v2,
        "outcome": str(chosen),
        "basis": those[0].get("basis") or "",
        "grounds": union("grounds"),
        "without_consent": any(p.get("without_consent") for p in those),
        "requires": union("requires"),
        "reasons": union("reasons"),
        "steps": union("steps"),
        "missing": union("missing"),
    }


def union_of(results: Sequence[Mapping[str, Any]], key: str, inner: str) -> list[Any]:
    """``result[key][inner]`` lists joined over ``results``, each value once, in order."""
    out: list[Any] = []
    for result in results:
        for value in (result.get(key) or {}).get(inner) or []:
            if value not in out:
                out.append(value)
    return out


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


# --- Seeking advice ----------------------------------------------------------------
# Guidance, 7 Golden Rules, rule 3 "Seek Advice"; Consider the following before sharing
# information: "if in doubt seek advice from a manager"; Public Interest: "contact your
# safeguarding lead or the MASH helpline".


def current_advice(request: InformationRequest) -> Any:
    """The questions the asked agency has put on this request since its last decision
    (not yet linked to a decision)."""
    return (
        AdviceRequest.objects.filter(request=request, agency_id=request.agency_id)
        .filter(decision__isnull=True)
        .select_related("asked_by", "answered_by", "addressed_to", "adviser_agency")
        .order_by("asked_at")
    )


def adviser_label(advice: AdviceRequest) -> str:
    if advice.addressed_to is not None:
        return advice.addressed_to.display_name
    if advice.adviser_kind == AdviserKind.HUB_LEAD:
        return "the hub's safeguarding lead"
    return f"a manager in {advice.adviser_agency.name}"


def labelled(advice: Iterable[AdviceRequest]) -> list[AdviceRequest]:
    """The questions, each with ``adviser_words`` (who it is for, in words) for pages."""
    out = list(advice)
    for one in out:
        one.adviser_words = adviser_label(one)  # type: ignore[attr-defined]
    return out


def _when(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def _check_advice(
    *,
    outcome: Mapping[str, Any],
    advice_needed: bool,
    round_advice: Sequence[AdviceRequest],
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    seek = outcome.get("outcome") == DecisionOutcome.SEEK_ADVICE
    if seek or advice_needed:
        waiting = [a for a in round_advice if not a.answered]
        if not round_advice:
            errors.setdefault("advice", []).append(
                "Ask a manager or the hub's safeguarding lead for advice, and have their "
                "answer, before recording this decision: the guidance could not decide on "
                "your answers"
            )
        for advice in waiting:
            errors.setdefault("advice", []).append(
                f"Wait for {adviser_label(advice)} to answer your question of "
                f"{_when(advice.asked_at)} before recording this decision"
            )
    if seek:
        open_questions = "; ".join(missing_words(outcome.get("missing") or []))
        errors.setdefault("outcome", []).append(
            "The guidance cannot decide on these answers: seek advice, then answer what it "
            f"does not know ({open_questions or 'the questions marked I do not know'}) "
            "before recording a decision"
        )
    return errors


def adviser_choices(actor: Any, request: InformationRequest) -> list[tuple[str, str]]:
    """Who the practitioner can ask: any manager of their agency, the hub's
    safeguarding lead (any manager of the hub), or one of those managers by name."""
    from mash.agencies.models import Role, User

    hub = request.enquiry.hub
    choices = [
        (AdviserKind.AGENCY_MANAGER.value, f"Any manager in {request.agency.name}"),
        (
            AdviserKind.HUB_LEAD.value,
            f"The hub's safeguarding lead (any manager in {hub.name})",
        ),
    ]
    managers = (
        User.objects.filter(agency__in=[request.agency, hub], role=Role.MANAGER, is_active=True)
        .exclude(pk=actor.pk)
        .select_related("agency")
        .order_by("agency__name", "first_name", "last_name", "username")
    )
    for manager in managers:
        choices.append(
            (
                f"manager:{manager.pk}",
                f"{manager.display_name}, manager in "
                f"{manager.agency.name if manager.agency else ''}",
            )
        )
    return choices


def ask_advice(
    *,
    actor: Any,
    request: InformationRequest,
    adviser: str,
    question: str,
    outcome: Mapping[str, Any] | None = None,
) -> AdviceRequest:
    """Ask for advice on a decision in progress. ``adviser`` is one of
    ``adviser_choices``: "agency_manager", "hub_lead", or "manager:<user id>"."""
    from mash.agencies.models import Role, User

    if not permissions.can_ask_advice(actor, request):
        raise PermissionError("only the asked agency's practitioners and managers ask here")
    if request.enquiry.status != EnquiryStatus.OPEN:
        raise _refuse(
            "question", "This enquiry is closed, so its request can no longer be answered"
        )
    if request.status == RequestStatus.WITHDRAWN:
        raise _refuse("question", "This request was withdrawn by the hub")
    errors: dict[str, list[str]] = {}
    question = (question or "").strip()
    if not question:
        errors["question"] = ["Enter your question"]
    elif len(question) > 5000:
        errors["question"] = ["Your question must be 5,000 characters or fewer"]
    offered = dict(adviser_choices(actor, request))
    addressed_to = None
    kind = ""
    if adviser not in offered:
        errors["adviser"] = ["Select who to ask for advice"]
    elif adviser.startswith("manager:"):
        addressed_to = User.objects.select_related("agency").get(pk=adviser.split(":", 1)[1])
        kind = (
            AdviserKind.HUB_LEAD
            if addressed_to.agency_id == request.enquiry.hub_id
            else AdviserKind.AGENCY_MANAGER
        )
    else:
        kind = adviser
        agency = permissions.adviser_agency(request, kind)
        others = User.objects.filter(agency=agency, role=Role.MANAGER, is_active=True).exclude(
            pk=actor.pk
        )
        if not others.exists():
            errors["adviser"] = [
                f"{agency.name} has no other manager to answer: ask the hub's safeguarding lead"
                if kind == AdviserKind.AGENCY_MANAGER
                else f"{agency.name} has no manager to answer: ask a manager in your agency"
            ]
    if errors:
        raise ValidationError(errors)
    outcome = outcome or {}
    with transaction.atomic():
        advice = AdviceRequest.objects.create(
            request=request,
            agency=request.agency,
            asked_by=actor,
            asked_at=timezone.now(),
            adviser_kind=kind,
            adviser_agency=permissions.adviser_agency(request, kind),
            addressed_to=addressed_to,
            question=question,
            outcome_when_asked=str(outcome.get("outcome") or ""),
            missing=list(outcome.get("missing") or []),
        )
        record(
            action=Action.ADVICE_ASKED,
            actor=actor,
            obj=advice,
            enquiry=request.enquiry,
            details={
                "request": str(request.pk),
                "adviser_kind": kind,
                "adviser_agency": advice.adviser_agency.code,
                "addressed_to": str(addressed_to.pk) if addressed_to else None,
                "missing": advice.missing,
            },
        )
        sharing_notices.advice_asked(advice, now=advice.asked_at)
    return advice


def answer_advice(*, actor: Any, advice: AdviceRequest, answer: str) -> AdviceRequest:
    """A manager (or the hub's safeguarding lead) answers a question addressed to them."""
    if not permissions.can_answer_advice(actor, advice):
        raise PermissionError("only the manager the question is addressed to answers it")
    answer = (answer or "").strip()
    if not answer:
        raise _refuse("answer", "Enter your advice")
    if len(answer) > 5000:
        raise _refuse("answer", "Your advice must be 5,000 characters or fewer")
    with transaction.atomic():
        locked = AdviceRequest.objects.select_for_update().get(pk=advice.pk)
        if locked.answered_at is not None:
            raise _refuse("answer", "This question has already been answered")
        locked.answer = answer
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answer", "answered_by", "answered_at"])
        record(
            action=Action.ADVICE_ANSWERED,
            actor=actor,
            obj=locked,
            enquiry=advice.request.enquiry_id,
            details={"request": str(advice.request_id), "fields": ["answer"]},
        )
        sharing_notices.advice_answered(locked, now=locked.answered_at)
    advice.answer, advice.answered_by, advice.answered_at = (
        locked.answer,
        locked.answered_by,
        locked.answered_at,
    )
    return advice


# --- Sign-off -------------------------------------------------------------------------


def sign_off(*, actor: Any, decision: Decision, approve: bool | None, note: str = "") -> Decision:
    """A manager of the disclosing agency approves a held share (the hub then sees it and
    its disclosure is made) or returns it to the practitioner with the reason (they
    correct it: a new decision). Guidance, Sharing information when consent has been
    refused: overriding a refusal "must be proportionate to the harm that may be caused
    by proceeding without consent"."""
    if not permissions.can_sign_off(actor, decision):
        raise PermissionError("only another manager of the disclosing agency signs off")
    note = (note or "").strip()
    if approve is None:
        raise _refuse("signoff", "Select whether you approve the share or return it")
    if not approve and not note:
        raise _refuse("signoff_note", "Enter why you are returning the decision")
    if len(note) > 5000:
        raise _refuse("signoff_note", "Your note must be 5,000 characters or fewer")
    with transaction.atomic():
        locked = Decision.objects.select_for_update().select_related("request").get(pk=decision.pk)
        if locked.release != Release.AWAITING_SIGNOFF or _is_superseded(locked):
            raise _refuse("signoff", "This decision is no longer waiting for sign-off")
        if locked.request.status == RequestStatus.WITHDRAWN:
            raise _refuse("signoff", "The hub withdrew this request, so nothing can be released")
        now = timezone.now()
        locked.signoff_by = actor
        locked.signoff_at = now
        locked.signoff_note = note
        locked.release = Release.RELEASED if approve else Release.RETURNED
        locked.released_at = now if approve else None
        locked.save(
            update_fields=["signoff_by", "signoff_at", "signoff_note", "release", "released_at"]
        )
        enquiry = locked.request.enquiry
        record(
            action=Action.DECISION_SIGNED_OFF if approve else Action.DECISION_RETURNED,
            actor=actor,
            obj=locked,
            enquiry=enquiry,
            details={
                "request": str(locked.request_id),
                "agency": locked.agency.code,
                "decided_by": str(locked.decided_by_id),
                "fields": ["signoff_note"] if note else [],
            },
        )
        if approve:
            _record_disclosures(actor=actor, decision=locked)
            req = InformationRequest.objects.select_for_update().get(pk=locked.request_id)
            if req.status == RequestStatus.OPEN:
                req.status = RequestStatus.ANSWERED
                req.save(update_fields=["status"])
        sharing_notices.signoff_given(locked, now=now, approved=approve)
        if approve:
            sharing_notices.decision_released(locked, now=now)
    for name in ("signoff_by", "signoff_at", "signoff_note", "release", "released_at"):
        setattr(decision, name, getattr(locked, name))
    return decision


def review_release(
    *, actor: Any, decision: Decision, agree: bool | None, note: str = ""
) -> Decision:
    """A manager of the disclosing agency reviews, after the event, a share released
    before review (``mash.policy.signoff.releases_before_review``): they agree with it,
    or disagree with the reason. The information has already reached the hub, so the
    review changes nothing shared; it is kept on the decision and in the record, and the
    practitioner (and, on a disagreement, the hub) is told. Guidance, Consent to Share
    Information: "take immediate action and share the information without consent, but
    remember to record the reason"; Sharing information when consent has been refused:
    the override "must be proportionate to the harm"."""
    if not permissions.can_sign_off(actor, decision):
        raise PermissionError("only another manager of the disclosing agency reviews")
    note = (note or "").strip()
    if agree is None:
        raise _refuse("review", "Select whether you agree with the share")
    if not agree and not note:
        raise _refuse("review_note", "Enter why you disagree with the share")
    if len(note) > 5000:
        raise _refuse("review_note", "Your note must be 5,000 characters or fewer")
    with transaction.atomic():
        locked = Decision.objects.select_for_update().select_related("request").get(pk=decision.pk)
        if not locked.review_waiting or _is_superseded(locked):
            raise _refuse("review", "This decision is no longer waiting for a review")
        now = timezone.now()
        locked.signoff_by = actor
        locked.signoff_at = now
        locked.signoff_note = note
        locked.review_agreed = agree
        locked.save(update_fields=["signoff_by", "signoff_at", "signoff_note", "review_agreed"])
        record(
            action=Action.DECISION_REVIEWED,
            actor=actor,
            obj=locked,
            enquiry=locked.request.enquiry,
            details={
                "request": str(locked.request_id),
                "agency": locked.agency.code,
                "decided_by": str(locked.decided_by_id),
                "agreed": agree,
                "due": locked.review_due.isoformat() if locked.review_due else None,
                "late": bool(locked.review_due and now > locked.review_due),
                "fields": ["signoff_note"] if note else [],
            },
        )
        sharing_notices.review_given(locked, now=now, agreed=agree)
    for name in ("signoff_by", "signoff_at", "signoff_note", "review_agreed"):
        setattr(decision, name, getattr(locked, name))
    return decision


def _is_superseded(decision: Decision) -> bool:
    try:
        decision.superseded_by  # noqa: B018
    except Decision.DoesNotExist:
        return False
    return True
