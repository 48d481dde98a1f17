"""Pages for requests, the guided decision, and the decision record. Thin: parse,
check access (``permissions``), call a service, render. Every page that shows personal
data calls ``record_view`` once.

The guided decision keeps its answers in the session, keyed by the request's id, so
nothing personal goes in a URL and the pages work without JavaScript.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from mash.agencies.models import Agency
from mash.enquiries import permissions as enquiry_permissions
from mash.enquiries.models import Enquiry, EnquiryStatus
from mash.guidance.selectors import active_purposes, allowed_lawful_bases
from mash.keys.services import prefetch_keys_for
from mash.policy import LAWFUL_BASIS_WORDS, REQUIREMENT_TEXT, GivenBy, HowShared, wording
from mash.policy.lawful_basis import ARTICLE_10
from mash.records.models import Action
from mash.records.services import record_view
from mash.retention.selectors import prefetch_accuracy
from mash.timeliness.config import hub_clock

from . import forms, guide, onward, permissions, selectors, services
from .guide import Field
from .models import Decision, DisclosureItem, InformationRequest, RequestStatus
from .share_answers import NONE, ShareAnswers, proposed_raw

OUTCOME_LABELS = {
    "share": "Share",
    "do_not_share": "Do not share",
    "seek_advice": "Seek advice",
}
BASIS_LABELS = {
    "not_identifying": "The information does not identify anyone",
    "not_confidential": "The information is not confidential",
    "consent": "Consent",
    "significant_harm": "Risk of significant harm to a child",
    "urgent": "Urgent: seeking consent would cause harmful delay",
    "vital_interests": "Vital interests of the individual",
    "public_function": "To fulfil a public function",
    "public_interest": "Public interest",
}
# A consent status as a person reads it ("Not sought", never "not_sought").
CONSENT_LABELS = {
    "given": "Given",
    "refused": "Refused",
    "withdrawn": "Withdrawn",
    "not_sought": "Not sought",
    "unknown": "Not known",
}
MISSING_LABELS = {**services.MISSING_LABELS, **wording.MISSING}


# --- Helpers ----------------------------------------------------------------------


def _parse_uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def _visible_request(user: Any, request_id: Any) -> InformationRequest:
    qs = permissions.visible_requests(user).select_related("enquiry", "enquiry__hub", "agency")
    req = get_object_or_404(qs, pk=_parse_uuid(request_id))
    enquiry_permissions.check_restriction(user, req.enquiry)
    return req


def _answerable_request(user: Any, request_id: Any) -> InformationRequest:
    """404 for a request the user may not see; 403 for hub staff who may see it but
    never answer on an agency's behalf."""
    req = _visible_request(user, request_id)
    if not permissions.can_answer_request(user, req):
        raise PermissionDenied
    return req


def _draft_key(req: InformationRequest) -> str:
    return f"sharing.draft.{req.pk}"


def _draft(http: HttpRequest, req: InformationRequest) -> dict[str, Any]:
    draft = http.session.get(_draft_key(req))
    if not isinstance(draft, dict):
        draft = {"answers": {}, "record": {}, "supersedes": None}
    return draft


def _save_draft(http: HttpRequest, req: InformationRequest, draft: Mapping[str, Any]) -> None:
    http.session[_draft_key(req)] = dict(draft)


def _bind(
    fields: Iterable[Field],
    raw: Mapping[str, Any],
    errors: Mapping[str, Any],
    options: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    legend_as_heading: str = "",
) -> list[dict[str, Any]]:
    """Field specs with their values, options and errors, ready for the templates.
    Fields revealed under a radio option are nested in it (conditional reveal)."""
    fields = list(fields)
    by_name = {f.name: f for f in fields}
    nested = {name for f in fields for names in f.reveals.values() for name in names}
    options = options or {}

    def message(name: str) -> str:
        value = errors.get(name)
        if isinstance(value, list | tuple):
            return str(value[0]) if value else ""
        return str(value or "")

    def one(field: Field) -> dict[str, Any]:
        value = raw.get(field.name, [] if field.kind == "checkboxes" else "")
        values = value if isinstance(value, list) else [value]
        opts = []
        for opt_value, opt_label in options.get(field.name, field.options):
            revealed = [one(by_name[n]) for n in field.reveals.get(opt_value, ()) if n in by_name]
            opts.append(
                {
                    "value": opt_value,
                    "label": opt_label,
                    "checked": opt_value in values,
                    "reveals": revealed,
                }
            )
        return {
            "name": field.name,
            "id": f"id_{field.name}",
            "kind": field.kind,
            "label": field.label,
            "hint": field.hint,
            "value": "" if isinstance(value, list) else value,
            "options": opts,
            "error": message(field.name),
            "errors": [message(field.name)] if message(field.name) else [],
            "boxes": guide.date_boxes(value) if field.kind == "date" else {},
            "heading": legend_as_heading if not field.label else "",
        }

    return [one(f) for f in fields if f.name not in nested]


def _error_list(errors: Mapping[str, Any]) -> list[dict[str, str]]:
    out = []
    for name, value in errors.items():
        for text in value if isinstance(value, list | tuple) else [value]:
            out.append({"href": f"#id_{name}", "text": str(text)})
    return out


def _outcome_context(outcome: Mapping[str, Any] | None) -> dict[str, Any]:
    if outcome is None:
        return {}
    return {
        "outcome": outcome,
        "outcome_label": OUTCOME_LABELS.get(str(outcome.get("outcome")), ""),
        "basis_label": BASIS_LABELS.get(str(outcome.get("basis") or ""), ""),
        "grounds_labels": [BASIS_LABELS.get(g, g) for g in outcome.get("grounds") or []],
        "missing_labels": [MISSING_LABELS.get(m, m) for m in outcome.get("missing") or []],
        "requirement_texts": [
            REQUIREMENT_TEXT[r] for r in outcome.get("requires") or [] if r in REQUIREMENT_TEXT
        ],
    }


def _back_from_advice(req: InformationRequest, progress: guide.Progress | None) -> str:
    """Where asking for advice goes back to: the page the practitioner was on."""
    if progress is None:
        return reverse("sharing:request", kwargs={"request_id": req.pk})
    if progress.unanswered:
        return reverse(
            "sharing:answer", kwargs={"request_id": req.pk, "step": progress.unanswered[0]}
        )
    return reverse("sharing:answer-decision", kwargs={"request_id": req.pk})


def _decision_outcome_context(decision: Decision) -> dict[str, Any]:
    return _outcome_context(
        {
            "outcome": decision.outcome,
            "basis": decision.basis,
            "grounds": decision.grounds,
            "reasons": decision.reasons,
            "steps": decision.steps,
            "requires": decision.requires,
            "without_consent": decision.without_consent,
        }
    )


def _progress(req: InformationRequest, answers: Mapping[str, Any]) -> guide.Progress:
    return guide.progress(
        answers,
        purpose=req.purpose,
        recipient=req.enquiry.hub.code,
        evaluate=services.evaluate,
        purpose_code=req.purpose_code,
    )


def _agency_options() -> list[tuple[str, str]]:
    return [(a.code, a.name) for a in Agency.objects.filter(active=True)]


def _consent_purpose_options() -> list[tuple[str, str]]:
    """The consent page's purposes: the hub's purposes list, or not limited to one."""
    return [(guide.CONSENT_PURPOSE_ANY, wording.CONSENT_PURPOSE_ANY), *active_purposes()]


def _people(req: InformationRequest) -> list[Any]:
    return list(req.people.all())


def _enquiry_page(enquiry: Enquiry) -> str | None:
    for name in ("enquiries:detail", "enquiries:enquiry"):
        try:
            return reverse(name, kwargs={"enquiry_id": enquiry.pk})
        except NoReverseMatch:
            continue
    return None


# --- Each person's consent and decision --------------------------------------------

_KEEP = "register"


def _person_fields(person: Any, *, ask_harm: bool) -> list[Field]:
    """The practitioner's answers for one person over the consent register."""
    p = f"person-{person.pk}-"
    fields = [
        Field(
            p + "consent",
            "radios",
            f"Consent answer for {person.full_name}",
            options=(
                (_KEEP, "The same as my answer on the consent page"),
                *services.PERSON_CONSENT_STATUSES.items(),
            ),
        ),
        Field(
            p + "reason",
            "textarea",
            "If your answer for this person differs, why?",
            hint="For example, consent given verbally just now: then record it in the "
            "consent register too. For consent not sought, the reason it was not obtained.",
        ),
    ]
    name = person.full_name
    fields.append(
        Field(
            p + "given_by",
            "radios",
            wording.GIVEN_BY_QUESTION,
            hint=wording.GIVEN_BY_HINT,
            options=tuple((value, _given_by_label(value)) for value in services.given_by_options()),
        )
    )
    if services.asks_competence(person):
        fields.append(
            Field(
                p + "competent",
                "radios",
                wording.COMPETENT_QUESTION.format(name=name),
                hint=wording.COMPETENT_HINT,
                options=guide.YES_NO,
            )
        )
    if services.asks_capacity(person):
        fields.append(
            Field(
                p + "capacity",
                "radios",
                wording.CAPACITY_QUESTION.format(name=name),
                hint=wording.CAPACITY_HINT,
                options=tuple(wording.CAPACITY.items()),
            )
        )
    fields += [
        Field(
            p + "other_status",
            "radios",
            wording.OTHER_CONSENT_QUESTION.format(name=name),
            hint=wording.OTHER_CONSENT_HINT,
            options=(
                ("", "No"),
                *(
                    (status, services.PERSON_CONSENT_STATUSES[status])
                    for status in services.OTHER_CONSENT_STATUSES
                ),
            ),
        ),
        Field(
            p + "other_given_by",
            "radios",
            wording.OTHER_GIVEN_BY_QUESTION.format(name=name),
            options=tuple((g.value, wording.GIVEN_BY[g]) for g in GivenBy),
        ),
    ]
    if ask_harm:
        fields.append(
            Field(
                p + "harm",
                "radios",
                f"Is sharing {person.full_name}'s own information necessary because the "
                "child is at risk of significant harm?",
                hint="Answer no if their information is not needed to protect the child.",
                options=(("yes", "Yes"), ("no", "No")),
            )
        )
    return fields


def _given_by_label(value: str) -> str:
    """Who answered, in the policy's words (the person themself, a parent, ...)."""
    if value == services.GIVEN_BY_SELF:
        return wording.GIVEN_BY_SELF
    return wording.GIVEN_BY[GivenBy(value)]


def _raw_people(post: Mapping[str, Any], people: Sequence[Any]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for person in people:
        p = f"person-{person.pk}-"
        # An unticked radio stays unanswered: nothing is assumed for the practitioner.
        out[str(person.pk)] = {
            name: str(post.get(p + name, "") or "")
            for name in (
                "consent",
                "reason",
                "harm",
                "given_by",
                "competent",
                "capacity",
                "other_status",
                "other_given_by",
            )
        }
    return out


def _people_answers(raw: Mapping[str, Any]) -> dict[str, services.PersonAnswer]:
    answers = {}
    for pid, value in (raw or {}).items():
        if not isinstance(value, Mapping):
            continue
        status = str(value.get("consent") or "")
        harm = value.get("harm")
        other = str(value.get("other_status") or "")
        answers[str(pid)] = services.PersonAnswer(
            consent_status=None if not status else "" if status == _KEEP else status,
            reason=str(value.get("reason") or "") if status not in {"", _KEEP} else "",
            harm_applies={"yes": True, "no": False}.get(str(harm or "")),
            given_by=str(value.get("given_by") or ""),
            competent={"yes": True, "no": False}.get(str(value.get("competent") or "")),
            capacity=str(value.get("capacity") or ""),
            other_status=other,
            other_given_by=str(value.get("other_given_by") or "") if other else "",
        )
    return answers


def _people_rows(
    *,
    people_raw: Mapping[str, Any],
    positions: Sequence[tuple[Any, Any]],
    per_person: Sequence[Mapping[str, Any]],
    question: Mapping[str, Any],
    errors: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """For the page: each person's position in the register (and the record that
    decided it), the guidance's decision for them, and the practitioner's answers."""
    results = {r["person"]: r for r in per_person}
    rows = []
    for person, position in positions:
        result = results.get(str(person.pk), {})
        raw = people_raw.get(str(person.pk)) or {}
        p = f"person-{person.pk}-"
        bound_raw = {p + name: value for name, value in raw.items()}
        ask_harm = services.asks_harm(question, person)
        rows.append(
            {
                "person": person,
                "position": position,
                "record": position.record,
                "result": result,
                "source": result.get("consent_source", ""),
                "consent_label": CONSENT_LABELS.get(
                    str((result.get("consent") or {}).get("status") or ""), ""
                ),
                "outcome_label": OUTCOME_LABELS.get(str(result.get("outcome")), ""),
                "basis_label": BASIS_LABELS.get(str(result.get("basis") or ""), ""),
                "blocked": (
                    services.why_blocked(person, result)
                    if result and result.get("outcome") != "share"
                    else ""
                ),
                **_consent_line(
                    _bind(_person_fields(person, ask_harm=ask_harm), bound_raw, errors),
                    raw,
                    name=person.full_name,
                ),
                "who_governs": result.get("who_governs") or [],
                "consent_used": _consent_used_words(result),
            }
        )
    return rows


def _consent_line(
    fields: list[dict[str, Any]], raw: Mapping[str, Any], *, name: str
) -> dict[str, Any]:
    """One person's questions laid out as one line while they follow the consent page:
    the consent answer's first option ("the same as my answer on the consent page")
    shown, its other options and the questions about who consented behind "Answer
    differently", open once anything there is answered or wrong; the harm question, asked
    of every adult, always shown."""
    by_end = {f["name"].rsplit("-", 1)[-1]: f for f in fields}
    consent, harm = by_end["consent"], by_end.get("harm")
    more = [f for f in fields if f is not consent and f is not harm]
    differs = raw.get("consent") not in (None, "", _KEEP) or any(
        f["error"] or f["value"] for f in more
    )
    return {
        # One radio group in two fieldsets (one name, so one answer).
        "consent_same": {**consent, "options": consent["options"][:1]},
        "consent_other": {
            **consent,
            "id": consent["id"] + "-differently",
            "label": f"A different consent answer for {name}",
            "hint": "",
            "error": "",
            "errors": [],
            "options": consent["options"][1:],
        },
        "more_fields": more,
        "harm_field": harm,
        "differs": differs,
    }


def _consent_used_words(result: Mapping[str, Any]) -> str:
    """The consent answer that governs for a person, in words ("the child's answer
    (refused) governs, and is relied on"); "" when who can consent was not asked."""
    used = result.get("consent_used") or {}
    if not result.get("who_governs") or not used:
        return ""
    given_by = used.get("given_by")
    whose = (
        wording.GIVEN_BY_SHORT[GivenBy(given_by)]
        if given_by in {g.value for g in GivenBy}
        else "the recorded"
    )
    status = CONSENT_LABELS.get(str(used.get("status") or ""), "not known").lower()
    if used.get("status") != "given":
        return f"{whose.capitalize()} answer ({status}) governs."
    relied = "it is relied on" if used.get("relied_on") else "it cannot be relied on as consent"
    return f"{whose.capitalize()} answer ({status}) governs; {relied}."


# --- Requests ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_create(http: HttpRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    """Hub staff ask partner agencies for what they hold (Guidance, Who?)."""
    enquiry = get_object_or_404(Enquiry.objects.select_related("hub"), pk=enquiry_id)
    if not permissions.can_send_requests(http.user, enquiry):
        raise Http404
    enquiry_permissions.check_restriction(http.user, enquiry)
    errors: dict[str, Any] = {}
    if http.method == "POST":
        form = forms.RequestForm(http.POST, enquiry=enquiry)
        # The deadline's date and time are required fields, so a valid form has one.
        if form.is_valid() and (deadline := form.deadline) is not None:
            try:
                sent = services.send_requests(
                    actor=http.user,
                    enquiry=enquiry,
                    agencies=list(form.cleaned_data["agencies"]),
                    people=list(form.cleaned_data["people"]),
                    purpose=form.cleaned_data["purpose"],
                    deadline=deadline,
                    purpose_code=form.cleaned_data.get("purpose_code") or "",
                )
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                names = ", ".join(r.agency.name for r in sent)
                messages.success(http, f"Requests sent to {names}")
                return redirect(_enquiry_page(enquiry) or reverse("sharing:inbox"))
        errors = {**{k: list(v) for k, v in form.errors.items()}, **errors}
    else:
        start = timezone.now()
        # From the hub's configured ratings and working clock (mash.timeliness).
        due = hub_clock(enquiry.hub_id).deadline(start, enquiry.rag) if enquiry.rag else None
        initial: dict[str, Any] = {}
        if due is not None:
            local = timezone.localtime(due)
            initial = {"deadline_date": local.date(), "deadline_time": local.strftime("%H:%M")}
        form = forms.RequestForm(enquiry=enquiry, initial=initial)
    record_view(
        http,
        action=Action.ENQUIRY_VIEWED,
        obj=enquiry,
        enquiry=enquiry,
        details={"page": "sharing:request-create"},
    )
    error_ids = {
        "agencies": "id_agencies_0",
        "people": "id_people_0",
        "deadline": "id_deadline_date",
    }
    summary = [
        {"href": "#" + error_ids.get(name, f"id_{name}"), "text": str(text)}
        for name, texts in errors.items()
        for text in texts
    ]
    return render(
        http,
        "sharing/request_create.html",
        {
            "enquiry": enquiry,
            "form": form,
            "errors": errors,
            "error_summary": summary,
            "can_send": enquiry.status == EnquiryStatus.OPEN,
            "enquiry_url": _enquiry_page(enquiry),
            "existing": enquiry.requests.select_related("agency"),
        },
        status=400 if errors else 200,
    )


@login_required
def inbox(http: HttpRequest) -> HttpResponse:
    """An agency's requests: open first, most urgent first; answered ones below. Each
    tab one page (``selectors.inbox``)."""
    found = selectors.inbox(http, http.user)
    now = timezone.now()
    clocks: dict[Any, Any] = {}  # one hub's clock read once, whatever the number of rows
    if found.shown:
        record_view(
            http,
            action=Action.REQUEST_LISTED,
            details={"requests": [str(r.pk) for r in found.shown]},
        )
    return render(
        http,
        "sharing/inbox.html",
        {
            "open_page": found.open,
            "answered_page": found.answered,
            "open_requests": [_row(r, now, clocks) for r in found.open.rows],
            "answered_requests": [_row(r, now, clocks) for r in found.answered.rows],
            "is_hub": permissions.is_hub_staff(http.user),
            # Onward sharing by the hub (views_onward): the hub's asks waiting for this
            # agency's answer, on every page of its requests (counted in SQL).
            "onward_waiting": found.onward_waiting,
            **_tellings_overdue(http.user),
        },
    )


def _tellings_overdue(user: Any) -> dict[str, Any]:
    """The reminder on the deciding practitioner's work page (their Requests page: a
    partner's "My work"): the people they said would be told by a date now past, the
    telling not recorded. One page, soonest first, counted in SQL; a person on an
    enquiry now restricted from the user is not named."""
    if not permissions.can_answer_any_request(user):
        return {}
    overdue = services.tellings_overdue(user)
    total = overdue.count()
    rows = list(overdue[:25]) if total else []
    hidden = enquiry_permissions.restricted_for(user, {r.decision.request.enquiry_id for r in rows})
    return {
        "tellings_overdue": [
            {"row": r, "restricted": r.decision.request.enquiry_id in hidden} for r in rows
        ],
        "tellings_overdue_total": total,
    }


def _due_words(req: InformationRequest, now: Any, clocks: dict[Any, Any] | None = None) -> str:
    """ "due in 3 working hours", "overdue by 1 day" (Guidance, Timely), on the hub's
    configured ratings and clock. An enquiry without a rating is measured in elapsed
    time, as Red is."""
    clocks = {} if clocks is None else clocks
    hub_id = req.enquiry.hub_id
    if hub_id not in clocks:
        clocks[hub_id] = hub_clock(hub_id)
    return clocks[hub_id].words(now, req.deadline, req.enquiry.rag)


def _row(req: InformationRequest, now: Any, clocks: dict[Any, Any]) -> dict[str, Any]:
    is_open = req.status == RequestStatus.OPEN
    return {
        "request": req,
        "people": [] if getattr(req, "redacted", False) else list(req.people.all()),
        "restricted": getattr(req, "redacted", False),
        "overdue": is_open and req.deadline < now,
        "due_words": _due_words(req, now, clocks) if is_open else "",
    }


@login_required
def request_detail(http: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """The request as the agency sees it: the purpose and the people asked about,
    and nothing else of the enquiry."""
    req = _visible_request(http.user, request_id)
    decisions = list(
        permissions.visible_decisions(http.user)
        .filter(request=req)
        .select_related("decided_by", "supersedes", "signoff_by")
        .order_by("-decided_at")
    )
    current = next((d for d in decisions if not _is_superseded(d)), None)
    can_answer = permissions.can_answer_request(http.user, req)
    advice = services.labelled(services.current_advice(req)) if can_answer else []
    record_view(http, action=Action.REQUEST_VIEWED, obj=req, enquiry=req.enquiry_id)
    draft = http.session.get(_draft_key(req)) if can_answer else None
    return render(
        http,
        "sharing/request_detail.html",
        {
            "req": req,
            "people": _people(req),
            "decisions": decisions,
            "current": current,
            "can_answer": can_answer,
            "enquiry_open": req.enquiry.status == EnquiryStatus.OPEN,
            "has_draft": bool(draft and draft.get("answers")),
            "advice": advice,
            "overdue": req.status == RequestStatus.OPEN and req.deadline < timezone.now(),
            "due_words": (
                _due_words(req, timezone.now()) if req.status == RequestStatus.OPEN else ""
            ),
            **onward.given_onward(decisions),
            "onward_answerable": can_answer,
        },
    )


def _is_superseded(decision: Decision) -> bool:
    try:
        decision.superseded_by  # noqa: B018
    except Decision.DoesNotExist:
        return False
    return True


# --- The guided decision ----------------------------------------------------------


def _refuse_if_closed(http: HttpRequest, req: InformationRequest) -> HttpResponse | None:
    if req.enquiry.status != EnquiryStatus.OPEN:
        messages.error(http, "This enquiry is closed, so its request can no longer be answered")
        return redirect("sharing:request", request_id=req.pk)
    if req.status == RequestStatus.WITHDRAWN:
        messages.error(http, "This request was withdrawn by the hub")
        return redirect("sharing:request", request_id=req.pk)
    return None


@login_required
@require_POST
def answer_start(http: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """Start (or restart) answering: a fresh set of answers."""
    req = _answerable_request(http.user, request_id)
    if (refused := _refuse_if_closed(http, req)) is not None:
        return refused
    if req.decisions.filter(superseded_by__isnull=True).exists():
        messages.error(http, "This request has already been answered: correct the decision instead")
        return redirect("sharing:request", request_id=req.pk)
    if http.POST.get("restart") or not _draft(http, req).get("answers"):
        # Starting again does not forget that the guidance asked for advice.
        needed = bool(_draft(http, req).get("advice_needed"))
        _save_draft(
            http,
            req,
            {"answers": {}, "record": {}, "supersedes": None, "advice_needed": needed},
        )
    progress = _progress(req, _draft(http, req)["answers"])
    return _next_page(req, progress)


def _next_page(req: InformationRequest, progress: guide.Progress) -> HttpResponse:
    if progress.unanswered:
        return redirect("sharing:answer", request_id=req.pk, step=progress.unanswered[0])
    return redirect("sharing:answer-decision", request_id=req.pk)


@login_required
@require_http_methods(["GET", "POST"])
def answer_step(http: HttpRequest, request_id: uuid.UUID, step: str) -> HttpResponse:
    """One of the guidance's questions. After each answer the engine decides on the
    answers so far, and pages it no longer needs are skipped."""
    req = _answerable_request(http.user, request_id)
    page = guide.PAGE_BY_SLUG.get(step)
    if page is None:
        raise Http404
    if (refused := _refuse_if_closed(http, req)) is not None:
        return refused
    draft = _draft(http, req)
    if not draft.get("supersedes") and req.decisions.filter(superseded_by__isnull=True).exists():
        messages.error(http, "This request has already been answered: correct the decision instead")
        return redirect("sharing:request", request_id=req.pk)
    answers: dict[str, Any] = dict(draft.get("answers") or {})
    progress = _progress(req, answers)
    if step not in progress.path:
        return _next_page(req, progress)

    errors: dict[str, str] = {}
    raw: Mapping[str, Any] = answers.get(step) or {}
    if http.method == "POST":
        raw, errors = guide.clean_page(page, http.POST)
        if step == "consent":
            known = {code for code, _ in _agency_options()}
            if any(code not in known for code in raw.get("agencies") or []):
                errors["agencies"] = "Select agencies from the list"
            purposes = {code for code, _ in _consent_purpose_options()}
            if raw.get("consent_purpose") and raw["consent_purpose"] not in purposes:
                errors["consent_purpose"] = "Select a purpose from the hub's purposes list"
        if not errors:
            answers[step] = raw
            draft["answers"] = answers
            _save_draft(http, req, draft)
            return _next_page(req, _progress(req, answers))

    # The engine's view on the answers before this page.
    index = progress.path.index(step)
    before = {s: answers[s] for s in progress.path[:index] if s in answers}
    so_far = _progress(req, before)
    outcome = services.evaluate(so_far.question)
    # The panel waits (issue 12, item 8): it says nothing about the outcome until the
    # answers decide it (the engine knows everything it needs and no page on the path is
    # left), then exactly what the engine says.
    decided = not outcome.get("missing") and so_far.complete
    back = (
        reverse("sharing:answer", kwargs={"request_id": req.pk, "step": progress.path[index - 1]})
        if index > 0
        else reverse("sharing:request", kwargs={"request_id": req.pk})
    )
    options = (
        {"agencies": _agency_options(), "consent_purpose": _consent_purpose_options()}
        if step == "consent"
        else {}
    )
    positions: list[tuple[Any, Any]] = []
    prefilled = False
    if step == "consent":
        positions = services.register_positions(req)
        if http.method != "POST" and not raw:
            raw = _consent_prefill(positions)
            prefilled = bool(raw)
    record_view(
        http,
        action=Action.REQUEST_VIEWED,
        obj=req,
        enquiry=req.enquiry_id,
        details={"page": f"answer:{step}"},
    )
    return render(
        http,
        "sharing/question.html",
        {
            "req": req,
            "people": _people(req),
            "page": page,
            "fields": _bind(page.fields, raw, errors, options, legend_as_heading=page.title),
            "errors": errors,
            "error_summary": _error_list(errors),
            "back_url": back,
            "step_number": index + 1,
            "answered_before": index > 0,
            "correcting": bool(draft.get("supersedes")),
            "positions": positions,
            "prefilled": prefilled,
            "panel_waiting": not decided,
            **_outcome_context(outcome),
        },
        status=400 if errors else 200,
    )


def _consent_prefill(positions: Sequence[tuple[Any, Any]]) -> dict[str, Any]:
    """The consent page's answers filled from the register: everyone's positions taken
    together, the worst first (Guidance, Consent to Share Information: "Check you have
    consent from all people whose information is to be shared"). Nothing when the
    register knows nothing for anyone."""
    known = [pos for _, pos in positions if pos.status != "unknown"]
    if not known:
        return {}
    worst_first = ("refused", "withdrawn", "not_sought", "unknown", "given")
    statuses = [pos.status for _, pos in positions]
    worst = min(statuses, key=worst_first.index)
    if worst == "unknown":
        return {}
    raw: dict[str, Any] = {"status": worst}
    if worst == "given":
        agencies = [set(p.agencies) for p in known if p.agencies is not None]
        raw["coverage"] = "some" if agencies else "all"
        raw["agencies"] = sorted(set.intersection(*agencies)) if agencies else []
        explicit = all(p.explicit and p.recorded_at for p in known)
        raw["explicit"] = "yes" if explicit else "no"
        if explicit:
            first = min(p.recorded_at for p in known if p.recorded_at)
            local = timezone.localtime(first)
            raw["recorded_date"] = local.date().isoformat()
            raw["recorded_time"] = local.strftime("%H:%M")
            raw["details"] = "; ".join(
                sorted({str(p.record.information_covered) for p in known if p.record} - {""})
            )
    if worst == "not_sought":
        raw["reason_not_sought"] = "; ".join(
            sorted({p.reason_not_sought for p in known if p.reason_not_sought})
        )
    return raw


def _summary_rows(
    req: InformationRequest, answers: Mapping[str, Any], path: Sequence[str]
) -> list[dict[str, Any]]:
    """The answers on the path, for the check-your-answers list."""
    agency_names = dict(_agency_options())
    rows = []
    for slug in path:
        page = guide.PAGE_BY_SLUG[slug]
        raw = answers.get(slug) or {}
        for field in page.fields:
            value = raw.get(field.name)
            if value == [] and field.name == "criteria":
                value = "None apply"  # an answer too: the public interest was considered
            if value in (None, "", []):
                continue
            labels: dict[str, str] = dict(field.options)
            if field.name == "agencies":
                labels = agency_names
            if field.name == "consent_purpose":
                labels = dict(_consent_purpose_options())
            if isinstance(value, list):
                text = ", ".join(labels.get(str(v), str(v)) for v in value)
            else:
                text = labels.get(str(value), str(value))
            rows.append(
                {
                    "question": field.label or page.title,
                    "answer": text,
                    "url": reverse("sharing:answer", kwargs={"request_id": req.pk, "step": slug}),
                    "id": f"{slug}-{field.name}",
                }
            )
    return rows


@dataclasses.dataclass
class _DecisionPage:
    """The decision page's state on one request: the guided answers, each person's
    answers and the engine's outcome on them, the correction in hand, and the record's
    raw fields and errors."""

    req: InformationRequest
    session: dict[str, Any]
    progress: guide.Progress
    people: list[Any]
    positions: Any
    people_raw: dict[str, Any]
    per_person: list[dict[str, Any]]
    outcome: dict[str, Any]
    supersedes: Decision | None
    raw: dict[str, Any]
    errors: dict[str, Any] = dataclasses.field(default_factory=dict)

    def run(self, question: Mapping[str, Any]) -> None:
        """The engine on ``question`` with each person's answers, as the page stands."""
        self.per_person = services.people_decisions(
            request=self.req,
            question=question,
            answers=_people_answers(self.people_raw),
            positions=self.positions,
        )
        self.outcome = services.overall_outcome(self.per_person, services.evaluate(question))


@login_required
@require_http_methods(["GET", "POST"])
def answer_decision(http: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """The guidance's outcome on all the answers, and the record of the decision:
    items to share (add another), or reasons and the discussion with the requester."""
    req = _answerable_request(http.user, request_id)
    if (refused := _refuse_if_closed(http, req)) is not None:
        return refused
    page = _decision_page(http, req)
    if isinstance(page, HttpResponse):
        return page
    if http.method == "POST":
        action = http.POST.get("action", "record")
        count = forms.item_count(http.POST)
        page.raw = {
            **forms.raw_record(http.POST, count),
            **forms.raw_informing(http.POST, page.people),
        }
        if (moved := _round_trip(http, page, action, count)) is not None:
            return moved
        page.session["record"] = page.raw
        _save_draft(http, req, page.session)
        decision_draft, page.errors = _decision_draft(page)
        if not page.errors:
            try:
                decision = services.record_decision(
                    actor=http.user, request=req, draft=decision_draft
                )
            except ValidationError as exc:
                page.errors = exc.message_dict
            else:
                http.session.pop(_draft_key(req), None)
                messages.success(http, "Decision recorded")
                return redirect("sharing:decision", decision_id=decision.pk)
        if "discussed_at" in page.errors:
            page.errors["discussed_date"] = page.errors.pop("discussed_at")
    record_view(
        http,
        action=Action.REQUEST_VIEWED,
        obj=req,
        enquiry=req.enquiry_id,
        details={"page": "answer:decision"},
    )
    return render(
        http,
        "sharing/decision_form.html",
        _decision_page_context(page),
        status=400 if http.method == "POST" else 200,
    )


def _decision_page(http: HttpRequest, req: InformationRequest) -> _DecisionPage | HttpResponse:
    """The page's state from the session's draft (and each person's answers as posted),
    or where to go instead: the next unanswered question, or the request when it is
    answered already (a correction excepted)."""
    session = _draft(http, req)
    progress = _progress(req, dict(session.get("answers") or {}))
    if not progress.complete:
        return _next_page(req, progress)
    people = _people(req)
    people_raw: dict[str, Any] = dict(session.get("people") or {})
    if http.method == "POST":
        people_raw = _raw_people(http.POST, people)
        session["people"] = people_raw
    page = _DecisionPage(
        req=req,
        session=session,
        progress=progress,
        people=people,
        positions=services.register_positions(req),
        people_raw=people_raw,
        per_person=[],
        outcome={},
        supersedes=None,
        raw=dict(session.get("record") or {}),
    )
    page.run(progress.question)
    if page.outcome.get("outcome") == "seek_advice" and not session.get("advice_needed"):
        # Golden rule 3: once the guidance asks for advice, the decision waits for it,
        # even if the answers change before it is recorded.
        session["advice_needed"] = True
        _save_draft(http, req, session)
    if session.get("supersedes"):
        page.supersedes = Decision.objects.filter(pk=session["supersedes"], request=req).first()
        if page.supersedes is None:
            raise Http404
    elif req.decisions.filter(superseded_by__isnull=True).exists():
        messages.error(http, "This request has already been answered: correct the decision instead")
        return redirect("sharing:request", request_id=req.pk)
    if not page.raw:
        page.raw = {"item_count": 1}
        if page.supersedes is not None:
            page.raw["justification"] = ""
    return page


def _round_trip(
    http: HttpRequest, page: _DecisionPage, action: str, count: int
) -> HttpResponse | None:
    """The page's buttons other than "Record the decision" (apply each person's answers,
    add or remove an item, save to seek advice): keep the form in the session and come
    back. None for recording."""
    req, session, raw = page.req, page.session, page.raw
    here = reverse("sharing:answer-decision", kwargs={"request_id": req.pk})
    if action == "update_people":
        session["record"] = forms.raw_record(http.POST, count)
        _save_draft(http, req, session)
        return redirect(here + "#people")
    if action == "add_item":
        raw["item_count"] = count + 1
        session["record"] = raw
        _save_draft(http, req, session)
        return redirect(here + f"#item-{count + 1}")
    if action.startswith("remove_item_"):
        try:
            which = int(action.removeprefix("remove_item_"))
        except ValueError:
            which = 0
        session["record"] = forms.remove_item(raw, which)
        _save_draft(http, req, session)
        return redirect(here)
    if action == "save":
        session["record"] = raw
        _save_draft(http, req, session)
        messages.success(
            http,
            "Your answers are saved until you sign out or your session times out. Seek "
            "advice, then come back to this request to finish the decision.",
        )
        return redirect("sharing:request", request_id=req.pk)
    return None


def _decision_draft(page: _DecisionPage) -> tuple[services.DecisionDraft, dict[str, Any]]:
    """The decision the form describes, as one ``DecisionDraft`` for the service, and
    what the form itself cannot read (dates that are not dates, answers outside their
    lists); the service checks the rest."""
    raw, req = page.raw, page.req
    sharing = page.outcome.get("outcome") == "share"
    items, errors = forms.parse_items(raw) if sharing else ([], forms.discussion_errors(raw))
    share, share_errors = ShareAnswers.from_raw(
        raw, allowed=allowed_lawful_bases(req.agency_id), agency_name=req.agency.name
    )
    # Only the people the page asks about (those shared without consent): a person whose
    # answers are not on the page has none to read, nor errors to name; and no telling
    # question at all where the guidance does not ask it (the page does not show it).
    informed, people_informed, informed_errors = forms.parse_informing(
        raw, services.to_be_told(page.outcome, page.per_person, page.people)
    )
    if sharing:
        errors = {**errors, **share_errors, **informed_errors}
    consent_raw = (page.session.get("answers") or {}).get("consent") or {}
    draft = services.DecisionDraft(
        question=page.progress.question,
        justification=raw.get("justification", ""),
        not_sharing_reasons=raw.get("not_sharing_reasons", ""),
        discussed_at=forms.discussed_at(raw),
        discussed_with=raw.get("discussed_with", ""),
        discussion_notes=raw.get("discussion_notes", ""),
        informed=informed,
        people_informed=people_informed,
        adequacy_confirmed=raw.get("adequacy_confirmed") == "yes",
        proportionality=raw.get("proportionality", ""),
        consent_details=str(consent_raw.get("details", "")),
        items=items,
        supersedes=page.supersedes,
        correction_reason=raw.get("correction_reason", ""),
        people_answers=_people_answers(page.people_raw),
        advice_needed=bool(page.session.get("advice_needed")),
        share=share if sharing else None,
    )
    return draft, errors


def _decision_page_context(page: _DecisionPage) -> dict[str, Any]:
    """The decision page's template context: the answers, each person, the items, the
    record's fields (bound to their values and errors), the lawful basis and advice."""
    req, raw, errors, people = page.req, page.raw, page.errors, page.people
    lawful_ctx: dict[str, Any] = {}
    if page.outcome.get("outcome") == "share":
        # The engine's proposal (and what is wrong with the choice so far), on the
        # answers as they stand: the practitioner confirms the proposal or changes it.
        allowed = allowed_lawful_bases(req.agency_id)
        shown, shown_errors = ShareAnswers.from_raw(raw, allowed=allowed)
        if shown_errors:  # a value not in its list is shown as the error, not decided on
            shown = ShareAnswers()
        page.run(shown.apply(page.progress.question))
        lawful = page.outcome.get("lawful_basis") or {}
        if not raw.get("article_6") and not errors:
            raw.update(proposed_raw(lawful))
        lawful_ctx = _lawful_basis_context(
            question=page.progress.question,
            lawful=lawful,
            allowed=allowed,
            raw=raw,
            errors=errors,
            agency=req.agency.name,
        )
    count = int(raw.get("item_count", 1))
    record_fields = {f.name: f for f in forms.RECORD_FIELDS}

    def bound(*names: str) -> list[dict[str, Any]]:
        return _bind([record_fields[n] for n in names], raw, errors)

    return {
        "req": req,
        "people": people,
        "answers_rows": _summary_rows(
            req, dict(page.session.get("answers") or {}), page.progress.path
        ),
        "items": [
            {
                "n": n,
                "fields": _bind(
                    forms.item_fields(n),
                    raw,
                    errors,
                    {f"item-{n}-people": forms.person_options(people)},
                ),
            }
            for n in range(1, count + 1)
        ],
        "item_count": count,
        "requires": set(page.outcome.get("requires") or []),
        "justification_fields": bound("justification"),
        "informed_fields": bound(
            "informed", "told_on", "tell_by", "not_informed_ground", "not_informed_reason"
        ),
        "inform_people": [
            {
                "person": person,
                "differs": raw.get(f"person-{person.pk}-informed")
                not in (None, "", forms.SAME_AS_PAGE),
                "fields": _bind(forms.person_inform_fields(person), raw, errors),
            }
            for person in services.to_be_told(page.outcome, page.per_person, people)
        ],
        "proportionality_fields": bound("proportionality"),
        "not_sharing_fields": bound("not_sharing_reasons"),
        "discussion_fields": bound(
            "discussed_date", "discussed_time", "discussed_with", "discussion_notes"
        ),
        "correction_fields": bound("correction_reason"),
        "adequacy_fields": bound("adequacy_confirmed"),
        "how_fields": bound("how", "necessary", "proportionate"),
        **lawful_ctx,
        "supersedes": page.supersedes,
        "people_rows": _people_rows(
            people_raw=page.people_raw,
            positions=page.positions,
            per_person=page.per_person,
            question=page.progress.question,
            errors=errors,
        ),
        "errors": errors,
        "items_errors": errors.get("items", []),
        "request_errors": errors.get("request", []) + errors.get("supersedes", []),
        "advice_errors": errors.get("advice", []),
        "outcome_errors": errors.get("outcome", []),
        "advice": services.labelled(services.current_advice(req)),
        "advice_needed": bool(page.session.get("advice_needed"))
        or page.outcome.get("outcome") == "seek_advice",
        "error_summary": _decision_error_list(req, errors),
        **_outcome_context(page.outcome),
    }


def _lawful_basis_context(
    *,
    question: Mapping[str, Any],
    lawful: Mapping[str, Any],
    allowed: Sequence[str] | None,
    raw: Mapping[str, Any],
    errors: Mapping[str, Any],
    agency: str,
) -> dict[str, Any]:
    """The lawful basis section of the decision page: the engine's proposal in words,
    the questions (only the bases the agency may rely on), and its warnings. Article 9
    is asked for special category information and Schedule 1 also for criminal offence
    data, or wherever the engine proposes one."""
    proposed = lawful.get("proposed") or {}
    if not proposed.get("article_6"):
        # Not identifying: not personal data, so no lawful basis is needed (nor asked).
        return {"lawful_none_needed": True, "lawful_errors": list(errors.get("lawful_basis") or [])}
    asked = ["article_6"]
    if question.get("sensitive") or proposed.get("article_9"):
        asked.append("article_9")
    if question.get("sensitive") or question.get("criminal_offence") or proposed.get("schedule_1"):
        asked.append("schedule_1")
    codes = [proposed.get(k) for k in ("article_6", "article_9", "schedule_1")]
    words = [LAWFUL_BASIS_WORDS[c] for c in codes if c in LAWFUL_BASIS_WORDS]
    if proposed.get("article_10"):
        words.insert(len(words) - 1 if proposed.get("schedule_1") else len(words), ARTICLE_10)
    return {
        "lawful_proposed_words": words,
        "lawful_not_allowed": [
            LAWFUL_BASIS_WORDS[c]
            for c in codes
            if c in LAWFUL_BASIS_WORDS and allowed is not None and c not in allowed
        ],
        "lawful_agency": agency,
        "lawful_warnings": list(lawful.get("warnings") or []),
        "lawful_errors": list(errors.get("lawful_basis") or []),
        "lawful_hint": wording.LAWFUL_BASIS_HINT,
        "lawful_fields": _bind(
            [forms.LAWFUL_BASIS_FIELDS[name][0] for name in asked],
            raw,
            errors,
            forms.lawful_basis_options(allowed),
        ),
    }


# Requirements answered on the consent page: their errors link back to it.
_CONSENT_PAGE_FIELDS = {
    "reason_not_sought",
    "consent_details",
    "consent_explicit",
    "consent_recorded_at",
}


# The order of the record form, so the error summary reads as the page does.
_FORM_ORDER = [
    "advice",
    "outcome",
    "request",
    "supersedes",
    *sorted(_CONSENT_PAGE_FIELDS),
    "person-",
    "items",
    "item-",
    "how",
    "necessary",
    "proportionate",
    "lawful_basis",
    "article_6",
    "article_9",
    "schedule_1",
    "justification",
    "informed",
    "told_on",
    "tell_by",
    "not_informed_ground",
    "not_informed_reason",
    "proportionality",
    "adequacy_confirmed",
    "not_sharing_reasons",
    "discussed_date",
    "discussed_time",
    "discussed_with",
    "discussion_notes",
    "correction_reason",
]


def _form_position(name: str) -> tuple[int, int, int]:
    if name.startswith("person-"):
        return (_FORM_ORDER.index("person-"), 0, 0)
    if name.startswith("item-"):
        _, number, field = name.split("-", 2)
        fields = [f.name.split("-", 2)[2] for f in forms.item_fields(1)]
        n = int(number) if number.isdigit() else 0
        return (_FORM_ORDER.index("item-"), n, fields.index(field) if field in fields else 99)
    return (_FORM_ORDER.index(name) if name in _FORM_ORDER else len(_FORM_ORDER), 0, 0)


def _decision_error_list(
    req: InformationRequest, errors: Mapping[str, Any]
) -> list[dict[str, str]]:
    consent_url = reverse("sharing:answer", kwargs={"request_id": req.pk, "step": "consent"})
    pairs = sorted(
        zip(_flat_names(errors), _error_list(errors), strict=True),
        key=lambda pair: _form_position(pair[0]),
    )
    out = []
    for name, entry in pairs:
        if name in _CONSENT_PAGE_FIELDS:
            entry = {**entry, "href": consent_url}
        out.append(entry)
    return out


def _flat_names(errors: Mapping[str, Any]) -> list[str]:
    return [
        name
        for name, value in errors.items()
        for _ in (value if isinstance(value, list | tuple) else [value])
    ]


@login_required
@require_POST
def correction_start(http: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    """Correct a decision: a new decision that supersedes it, starting from its answers."""
    decision = get_object_or_404(
        permissions.visible_decisions(http.user).select_related("request"), pk=decision_id
    )
    req = _answerable_request(http.user, decision.request_id)
    if (refused := _refuse_if_closed(http, req)) is not None:
        return refused
    if _is_superseded(decision):
        messages.error(http, "This decision has already been corrected: correct the latest one")
        return redirect("sharing:decision", decision_id=decision.pk)
    answers = guide.answers_from_question(decision.question)
    if "consent" in answers:
        answers["consent"]["details"] = decision.consent_details
    _save_draft(
        http,
        req,
        {
            "answers": answers,
            "record": _record_from(decision),
            "supersedes": str(decision.pk),
            "people": _people_from(decision),
        },
    )
    return redirect("sharing:answer", request_id=req.pk, step="purpose")


def _people_from(decision: Decision) -> dict[str, dict[str, str]]:
    """The practitioner's answers for each person on a decision, for its correction."""
    out = {}
    for result in decision.people_decisions or []:
        overridden = result.get("consent_source") == "practitioner"
        consent = result.get("consent") or {}
        status = str(consent.get("status"))
        if status == "given" and consent.get("explicit"):
            status = "given_explicit"
        out[str(result.get("person"))] = {
            "consent": status if overridden else _KEEP,
            "reason": str(result.get("override_reason") or "") if overridden else "",
            "harm": "no" if result.get("harm_applies") is False else "yes",
            **_who_from(result),
        }
    return out


def _who_from(result: Mapping[str, Any]) -> dict[str, str]:
    """A person's recorded who-can-consent answers as the page's fields (a correction)."""
    subject = result.get("subject") or {}
    capacity = ""
    if subject.get("capacity_in_doubt") is not None:
        capacity = (
            str(subject.get("capacity_assessment") or wording.CAPACITY_NOT_ASSESSED)
            if subject["capacity_in_doubt"]
            else wording.CAPACITY_NOT_IN_DOUBT
        )
    other = (result.get("other_consents") or [{}])[0]
    return {
        "given_by": (
            services.GIVEN_BY_SELF
            if result.get("given_by") in (GivenBy.CHILD, GivenBy.PERSON)
            else str(result.get("given_by") or "")
        ),
        "competent": guide.yes_no_or_blank(subject.get("competent")),
        "capacity": capacity,
        "other_status": str(other.get("status") or ""),
        "other_given_by": str(other.get("given_by") or ""),
    }


def _informing_from(decision: Decision) -> dict[str, Any]:
    """A decision's "have they been told" answers as the record form's fields: each
    person's own answer, or (recorded before per-person answers) the one answer."""
    rows = list(decision.informing.all())
    if not rows:
        return {"informed": decision.informed, "not_informed_reason": decision.not_informed_reason}
    raw: dict[str, Any] = {}
    for row in rows:
        p = f"person-{row.person_id}-"
        raw.update(
            {
                p + "informed": row.answer,
                p + "told_on": row.told_on.isoformat() if row.told_on else "",
                p + "tell_by": row.tell_by.isoformat() if row.tell_by else "",
                p + "not_informed_ground": row.ground,
                p + "not_informed_reason": row.reason,
            }
        )
    return raw


def _record_from(decision: Decision) -> dict[str, Any]:
    """The record form filled from a decision, so a correction changes only what is wrong."""
    discussed = timezone.localtime(decision.discussed_at) if decision.discussed_at else None
    raw: dict[str, Any] = {
        "justification": decision.justification,
        **_informing_from(decision),
        "proportionality": decision.proportionality,
        "not_sharing_reasons": decision.not_sharing_reasons,
        "discussed_date": discussed.date().isoformat() if discussed else "",
        "discussed_time": discussed.strftime("%H:%M") if discussed else "",
        "discussed_with": decision.discussed_with,
        "discussion_notes": decision.discussion_notes,
        "correction_reason": "",
    }
    if decision.outcome == "share" and decision.lawful_basis:
        share = ShareAnswers.from_question(decision.question).to_raw()
        for name in ("article_9", "schedule_1"):
            share[name] = share[name] or NONE
        raw.update(share)
    items = list(decision.items.prefetch_related("people"))
    for n, item in enumerate(items, start=1):
        p = f"item-{n}-"
        raw.update(
            {
                p + "text": item.text,
                p + "nature": item.nature,
                p + "recorded_on": item.recorded_on.isoformat(),
                p + "source": item.source,
                p + "currency": item.currency,
                p + "historical_explanation": item.historical_explanation,
                p + "sensitive": "yes" if item.sensitive else "no",
                p + "people": [str(person.pk) for person in item.people.all()],
                p + "onward_sharing": item.onward_sharing,
                p + "third_party": "yes" if item.third_party else "no",
                p + "third_party_consideration": item.third_party_consideration,
            }
        )
    raw["item_count"] = max(1, len(items))
    return raw


# --- The decision record ----------------------------------------------------------


@login_required
def decision_detail(http: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    """The printable record of one decision: who, when, the guidance applied, the
    answers, the outcome and its reasons, and what was shared with whom or why not."""
    decision = get_object_or_404(
        permissions.visible_decisions(http.user)
        .select_related(
            "request",
            "request__enquiry",
            "request__enquiry__hub",
            "agency",
            "decided_by",
            "signoff_by",
        )
        .prefetch_related(
            Prefetch("items", queryset=DisclosureItem.objects.prefetch_related("people"))
        ),
        pk=decision_id,
    )
    req = decision.request
    enquiry_permissions.check_restriction(http.user, req.enquiry)
    chain: list[Decision] = list(
        permissions.visible_decisions(http.user)
        .filter(request=req)
        .select_related("decided_by", "supersedes")
        .order_by("decided_at")
    )
    superseded_by = None
    # A correction the user may not see yet (held for sign-off, for the hub) is not named.
    if _is_superseded(decision) and permissions.can_view_decision(
        http.user, decision.superseded_by
    ):
        superseded_by = decision.superseded_by
    answers = guide.answers_from_question(decision.question)
    path = [p.slug for p in guide.PAGES if p.slug in answers]
    items = list(decision.items.all())
    accuracy = prefetch_accuracy(items)
    people = _people(req)
    prefetch_keys_for([decision, *chain, *people, *accuracy])
    people_by_id = {str(p.pk): p for p in people}
    people_rows = [
        {
            "person": people_by_id.get(str(r.get("person"))),
            "result": r,
            "outcome_label": OUTCOME_LABELS.get(str(r.get("outcome")), ""),
            "basis_label": BASIS_LABELS.get(str(r.get("basis") or ""), ""),
            "status_label": dict(services.PERSON_CONSENT_STATUSES).get(
                str((r.get("consent") or {}).get("status")), "No consent recorded"
            ),
            "who": _who_words(r),
            "consent_used": _consent_used_words(r),
        }
        for r in decision.people_decisions or []
    ]
    informing = list(decision.informing.select_related("person", "told_recorded_by"))
    record_view(
        http,
        action=Action.DECISION_VIEWED,
        obj=decision,
        enquiry=req.enquiry_id,
        details={"items": [str(i.pk) for i in items]},
    )
    return render(
        http,
        "sharing/decision_detail.html",
        {
            "decision": decision,
            "req": req,
            "people": people,
            "items": items,
            "answers_rows": _summary_rows(req, answers, path),
            "people_rows": people_rows,
            "chain": chain,
            "superseded_by": superseded_by,
            "can_correct": permissions.can_answer_request(http.user, req)
            and superseded_by is None
            and req.enquiry.status == EnquiryStatus.OPEN,
            "advice": services.labelled(
                decision.advice_requests.select_related(
                    "asked_by", "answered_by", "addressed_to", "adviser_agency"
                )
            ),
            **onward.given_onward([decision]),
            "onward_answerable": permissions.can_answer_request(http.user, req),
            "informing": informing,
            "adequacy_words": wording.ADEQUACY_CONFIRMATION.removeprefix(
                "I confirm that what I share is "
            ),
            "can_record_told": permissions.can_answer_request(http.user, req),
            "today": timezone.localdate(),
            **_decision_outcome_context(decision),
            **_share_record_context(decision),
        },
    )


def _who_words(result: Mapping[str, Any]) -> list[str]:
    """The who-can-consent answers recorded for one person, in words (v2)."""
    out = []
    given_by = result.get("given_by")
    if given_by in {g.value for g in GivenBy}:
        out.append(f"{wording.GIVEN_BY_QUESTION} {wording.GIVEN_BY[GivenBy(given_by)]}")
    subject = result.get("subject") or {}
    if subject.get("age") is not None:
        out.append(f"Age: {subject['age']}")
    if subject.get("competent") is not None:
        out.append(
            "Judged competent to decide for themselves (Gillick): "
            + ("yes" if subject["competent"] else "no")
        )
    if subject.get("capacity_in_doubt") is not None:
        key = (
            subject.get("capacity_assessment") or wording.CAPACITY_NOT_ASSESSED
            if subject["capacity_in_doubt"]
            else wording.CAPACITY_NOT_IN_DOUBT
        )
        out.append(f"Capacity to consent in doubt: {wording.CAPACITY.get(key, key)}")
    for other in result.get("other_consents") or []:
        giver = other.get("given_by")
        who = wording.GIVEN_BY.get(GivenBy(giver), giver) if giver in set(GivenBy) else "someone"
        status = CONSENT_LABELS.get(str(other.get("status")), str(other.get("status")))
        out.append(f"Another answer: {status.lower()}, by {who[0].lower()}{who[1:]}")
    return out


def _share_record_context(decision: Decision) -> dict[str, Any]:
    """A share's v2 record: its lawful basis (as recorded, and the engine's proposal
    when the practitioner changed it), how it was shared, and why it was necessary and
    proportionate. Empty for decisions not to share and those recorded before v2."""
    lawful = decision.lawful_basis or {}
    necessity = (decision.question or {}).get("necessity") or {}
    proposed = lawful.get("proposed") or {}
    proposed_words = [
        LAWFUL_BASIS_WORDS[c]
        for c in (proposed.get(k) for k in ("article_6", "article_9", "schedule_1"))
        if c in LAWFUL_BASIS_WORDS
    ]
    how = decision.how
    return {
        "lawful_words": list(lawful.get("words") or []),
        "lawful_confirmed": bool(lawful.get("confirmed")),
        "lawful_proposed_words": proposed_words if not lawful.get("confirmed") else [],
        "how_label": wording.HOW_SHARED.get(HowShared(how), how) if how in set(HowShared) else "",
        "necessary": str(necessity.get("necessary") or ""),
        "proportionate": str(necessity.get("proportionate") or ""),
        "necessary_question": wording.NECESSARY_QUESTION,
        "proportionate_question": wording.PROPORTIONATE_QUESTION,
    }


# --- Withdrawing a request ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_withdraw(http: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """Hub staff withdraw a request the agency has not answered, giving the reason, so
    the enquiry can be closed without waiting for it."""
    req = _visible_request(http.user, request_id)
    if not permissions.can_send_requests(http.user, req.enquiry):
        raise Http404
    errors: dict[str, Any] = {}
    reason = ""
    if http.method == "POST":
        reason = http.POST.get("withdrawal_reason", "")
        try:
            services.withdraw_request(actor=http.user, request=req, reason=reason)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(http, f"Request to {req.agency.name} withdrawn")
            return redirect((_enquiry_page(req.enquiry) or reverse("sharing:inbox")) + "#requests")
    record_view(
        http,
        action=Action.REQUEST_VIEWED,
        obj=req,
        enquiry=req.enquiry_id,
        details={"page": "withdraw"},
    )
    return render(
        http,
        "sharing/request_withdraw.html",
        {
            "req": req,
            "people": _people(req),
            "reason": reason,
            "errors": errors,
            "error_summary": [
                {"href": "#id_withdrawal_reason", "text": str(text)}
                for name, texts in errors.items()
                for text in texts
            ],
            "can_withdraw": req.status == RequestStatus.OPEN
            and req.enquiry.status == EnquiryStatus.OPEN,
            "enquiry_url": _enquiry_page(req.enquiry),
        },
        status=400 if errors else 200,
    )
