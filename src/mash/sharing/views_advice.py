"""Pages for seeking advice on a decision and for a manager's sign-off of a share that
overrides a refusal of consent. Thin: check access (``permissions``), call a service,
render. Every page that shows personal data records the view.

Guidance, 7 Golden Rules, rule 3 "Seek Advice"; Consider the following before sharing
information: "if in doubt seek advice from a manager"; Sharing information when consent
has been refused: the override "must be proportionate".
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from mash.records.models import Action
from mash.records.services import record_view

from . import permissions, services, views
from .guide import Field
from .models import Decision, DisclosureItem

QUESTION_HINT = (
    "Say what you are unsure about. Do not repeat the people's details: your adviser "
    "sees the request."
)


def _ask_fields(choices: list[tuple[str, str]]) -> list[Field]:
    return [
        Field("adviser", "radios", "Who do you want to ask?", options=choices),
        Field("question", "textarea", "Your question", hint=QUESTION_HINT),
    ]


def _outcome_so_far(http: HttpRequest, req: Any) -> tuple[dict[str, Any] | None, Any]:
    """The guidance's view on the answers in the session, and the progress."""
    answers = views._draft(http, req).get("answers") or {}
    if not answers:
        return None, None
    progress = views._progress(req, answers)
    return services.evaluate(progress.question), progress


@login_required
@require_http_methods(["GET", "POST"])
def advice_ask(http: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """Ask a manager of your agency, or the hub's safeguarding lead, a question about a
    decision in progress."""
    req = views._answerable_request(http.user, request_id)
    if (refused := views._refuse_if_closed(http, req)) is not None:
        return refused
    outcome, progress = _outcome_so_far(http, req)
    choices = services.adviser_choices(http.user, req)
    raw: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if http.method == "POST":
        raw = {
            "adviser": str(http.POST.get("adviser", "")),
            "question": str(http.POST.get("question", "")),
        }
        try:
            advice = services.ask_advice(
                actor=http.user,
                request=req,
                adviser=raw["adviser"],
                question=raw["question"],
                outcome=outcome,
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(
                http,
                f"Your question has been sent to {services.adviser_label(advice)}. "
                "You can record the decision once they have answered.",
            )
            if progress is not None:
                return views._next_page(req, progress)
            return redirect("sharing:request", request_id=req.pk)
    record_view(
        http,
        action=Action.REQUEST_VIEWED,
        obj=req,
        enquiry=req.enquiry_id,
        details={"page": "advice:ask"},
    )
    return render(
        http,
        "sharing/advice_ask.html",
        {
            "req": req,
            "people": views._people(req),
            "fields": views._bind(_ask_fields(choices), raw, errors),
            "error_summary": views._error_list(errors),
            "asked": services.labelled(services.current_advice(req)),
            "back_url": views._back_from_advice(req, progress),
            **views._outcome_context(outcome),
        },
        status=400 if errors else 200,
    )


@login_required
def advice_list(http: HttpRequest) -> HttpResponse:
    """Questions waiting for the signed-in manager's advice, and the questions they
    asked themselves."""
    related = ("request", "request__enquiry", "request__agency", "asked_by", "answered_by")
    for_me = list(
        permissions.questions_for(http.user).select_related(*related).order_by("asked_at")
    )
    mine = list(
        permissions.visible_advice(http.user)
        .filter(asked_by_id=http.user.pk)
        .select_related(*related)
        .order_by("-asked_at")
    )
    waiting = [a for a in for_me if not a.answered]
    answered = [a for a in for_me if a.answered]
    shown = waiting + answered + mine
    if shown:
        record_view(
            http,
            action=Action.ADVICE_LISTED,
            details={"advice": sorted({str(a.pk) for a in shown})},
        )
    return render(
        http,
        "sharing/advice_list.html",
        {
            "waiting": services.labelled(waiting),
            "answered": services.labelled(answered),
            "mine": services.labelled(mine),
            "is_manager": permissions.is_manager(http.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def advice_detail(http: HttpRequest, advice_id: uuid.UUID) -> HttpResponse:
    """One question: the request it is about, what the guidance did not know, and the
    answer (or, for its adviser, the form to answer it)."""
    advice = get_object_or_404(
        permissions.visible_advice(http.user).select_related(
            "request",
            "request__enquiry",
            "request__agency",
            "asked_by",
            "answered_by",
            "adviser_agency",
            "addressed_to",
        ),
        pk=advice_id,
    )
    can_answer = not advice.answered and permissions.can_answer_advice(http.user, advice)
    answer = ""
    errors: dict[str, Any] = {}
    if http.method == "POST":
        if not can_answer:
            raise Http404
        answer = str(http.POST.get("answer", ""))
        try:
            services.answer_advice(actor=http.user, advice=advice, answer=answer)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(http, f"Your advice has been sent to {advice.asked_by.display_name}")
            return redirect("sharing:advice-list")
    req = advice.request
    record_view(
        http,
        action=Action.ADVICE_VIEWED,
        obj=advice,
        enquiry=req.enquiry_id,
        details={"request": str(req.pk)},
    )
    field = Field("answer", "textarea", "Your advice")
    return render(
        http,
        "sharing/advice_detail.html",
        {
            "advice": advice,
            "req": req,
            "people": views._people(req),
            "adviser": services.adviser_label(advice),
            "missing_labels": services.missing_words(advice.missing or []),
            "can_answer": can_answer,
            "fields": views._bind([field], {"answer": answer}, errors),
            "error_summary": views._error_list(errors),
        },
        status=400 if errors else 200,
    )


# --- Sign-off -----------------------------------------------------------------------


SIGNOFF_FIELDS = [
    Field(
        "signoff",
        "radios",
        "Do you approve sharing this without consent?",
        options=(
            ("approve", "Yes, release it to the hub"),
            ("return", "No, return it to the practitioner"),
        ),
        reveals={"return": ("signoff_note",)},
    ),
    Field(
        "signoff_note",
        "textarea",
        "Why are you returning it?",
        hint="The practitioner sees this and corrects the decision.",
    ),
]


REVIEW_FIELDS = [
    Field(
        "review",
        "radios",
        "Do you agree with sharing this without consent?",
        hint="It was urgent, so it has already been released to the hub.",
        options=(
            ("agree", "Yes, I agree with the share"),
            ("disagree", "No, I disagree"),
        ),
        reveals={"disagree": ("review_note",)},
    ),
    Field(
        "review_note",
        "textarea",
        "Why do you disagree?",
        hint="The practitioner and the hub see this on the decision record.",
    ),
]


def _sign_off_or_review(http: HttpRequest, decision: Decision) -> tuple[dict[str, str], str]:
    """Record the manager's answer (a sign-off, or a review after release); the success
    message, or a ValidationError naming the field."""
    req = decision.request
    if decision.review_waiting:
        raw = {
            "review": str(http.POST.get("review", "")),
            "review_note": str(http.POST.get("review_note", "")),
        }
        agree = {"agree": True, "disagree": False}.get(raw["review"])
        services.review_release(
            actor=http.user, decision=decision, agree=agree, note=raw["review_note"]
        )
        verb = "agreed" if agree else "disagreed"
        return raw, f"Review recorded: you {verb} ({req.enquiry.reference})"
    raw = {
        "signoff": str(http.POST.get("signoff", "")),
        "signoff_note": str(http.POST.get("signoff_note", "")),
    }
    approve = {"approve": True, "return": False}.get(raw["signoff"])
    services.sign_off(actor=http.user, decision=decision, approve=approve, note=raw["signoff_note"])
    if approve:
        return raw, f"Approved: released to the hub ({req.enquiry.reference})"
    return raw, f"Returned to {decision.decided_by.display_name} ({req.enquiry.reference})"


@login_required
def signoff_list(http: HttpRequest) -> HttpResponse:
    """Shares overriding a refusal of consent waiting for the manager's sign-off."""
    waiting = list(
        permissions.decisions_to_sign_off(http.user)
        .select_related("request", "request__enquiry", "decided_by")
        .order_by("decided_at")
    )
    if waiting:
        record_view(
            http,
            action=Action.SIGNOFF_LISTED,
            details={"decisions": [str(d.pk) for d in waiting]},
        )
    return render(http, "sharing/signoff_list.html", {"waiting": waiting})


@login_required
@require_http_methods(["GET", "POST"])
def signoff_detail(http: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    """The justification, the proportionality of the override and what would be shared;
    the manager approves it or returns it with the reason."""
    decision: Decision = get_object_or_404(
        permissions.decisions_to_sign_off(http.user)
        .select_related("request", "request__enquiry", "request__agency", "decided_by")
        .prefetch_related(
            Prefetch("items", queryset=DisclosureItem.objects.prefetch_related("people"))
        ),
        pk=decision_id,
    )
    req = decision.request
    raw: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if http.method == "POST":
        try:
            raw, done = _sign_off_or_review(http, decision)
        except ValidationError as exc:
            errors = exc.message_dict
            raw = {k: str(v) for k, v in http.POST.items() if k != "csrfmiddlewaretoken"}
        else:
            messages.success(http, done)
            return redirect("sharing:signoff-list")
    items = list(decision.items.all())
    record_view(
        http,
        action=Action.DECISION_VIEWED,
        obj=decision,
        enquiry=req.enquiry_id,
        details={"page": "sign-off", "items": [str(i.pk) for i in items]},
    )
    return render(
        http,
        "sharing/signoff_detail.html",
        {
            "decision": decision,
            "req": req,
            "people": views._people(req),
            "items": items,
            "informing": list(decision.informing.select_related("person")),
            "today": timezone.localdate(),
            "advice": services.labelled(
                decision.advice_requests.select_related(
                    "asked_by", "answered_by", "addressed_to", "adviser_agency"
                )
            ),
            "fields": views._bind(
                REVIEW_FIELDS if decision.review_waiting else SIGNOFF_FIELDS, raw, errors
            ),
            "error_summary": views._error_list(errors),
            **views._decision_outcome_context(decision),
            # v2: the lawful basis, how and why necessary and proportionate, to sign off.
            **views._share_record_context(decision),
        },
        status=400 if errors else 200,
    )
