"""The hub's enquiry pages: the list, the intake (one question per page, then check
your answers), the enquiry page, and closing. Views parse, call a service, render.

Every page that shows personal data calls ``record_view``. Partner agency staff get
404 on every page here, as if it did not exist (see ``permissions``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from mash.agencies.models import User
from mash.consent.views import consent_table_context
from mash.records.models import Action
from mash.records.services import record_denied, record_view, record_views

from . import forms, models, permissions, selectors, services
from .models import ConsentToRefer, Enquiry, EnquiryStatus, Person, Source

# The intake's pages, in order. "people" is the add-another summary of the people.
STEPS = ["received", "source", "referrer", "concern", "danger", "people", "consent", "urgency"]


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _hub_only(user: Any) -> None:
    if not permissions.can_use_hub_pages(user):
        raise Http404


def _for_change(request: HttpRequest, enquiry_id: uuid.UUID) -> Enquiry:
    """The enquiry the user may change; 404 if they may not see it, 403 if they may
    see it but not change it (the hub's DPO)."""
    enquiry = selectors.enquiry_for(request.user, enquiry_id)
    if not permissions.can_change_enquiry(request.user, enquiry):
        raise PermissionDenied
    return enquiry


def _closed_redirect(request: HttpRequest, enquiry: Enquiry) -> HttpResponse:
    messages.error(request, str(services.EnquiryClosed(enquiry)))
    return redirect("enquiries:detail", enquiry_id=enquiry.pk)


def step_url(enquiry: Enquiry, step: str, *, back_to_check: bool = False) -> str:
    if step == "people":
        url = reverse("enquiries:people", kwargs={"enquiry_id": enquiry.pk})
    elif step == "check":
        return reverse("enquiries:check", kwargs={"enquiry_id": enquiry.pk})
    else:
        url = reverse("enquiries:step", kwargs={"enquiry_id": enquiry.pk, "step": step})
    return f"{url}?return=check" if back_to_check else url


def _steps_for(enquiry: Enquiry) -> list[str]:
    return [s for s in STEPS if not (s == "referrer" and enquiry.source == Source.ANONYMOUS)]


def _next_url(request: HttpRequest, enquiry: Enquiry, step: str) -> str:
    """Where a saved answer leads: the next question; the check page when changing an
    answer of a draft; the enquiry page when correcting an open enquiry."""
    if enquiry.status != EnquiryStatus.DRAFT:
        return reverse("enquiries:detail", kwargs={"enquiry_id": enquiry.pk})
    back_to_check = request.GET.get("return") == "check"
    if (
        step == "source"
        and enquiry.source != Source.ANONYMOUS
        and any(m[0] == "referrer" for m in selectors.missing_answers(enquiry))
    ):
        return step_url(enquiry, "referrer", back_to_check=back_to_check)
    if back_to_check:
        return step_url(enquiry, "check")
    steps = _steps_for(enquiry)
    following = [s for s in STEPS[STEPS.index(step) + 1 :] if s in steps]
    return step_url(enquiry, following[0]) if following else step_url(enquiry, "check")


def _back_url(request: HttpRequest, enquiry: Enquiry, step: str) -> str:
    if enquiry.status != EnquiryStatus.DRAFT:
        return reverse("enquiries:detail", kwargs={"enquiry_id": enquiry.pk})
    if request.GET.get("return") == "check":
        return step_url(enquiry, "check")
    steps = _steps_for(enquiry)
    before = [s for s in STEPS[: STEPS.index(step)] if s in steps]
    return step_url(enquiry, before[-1]) if before else reverse("enquiries:list")


def _viewed(
    request: HttpRequest, enquiry: Enquiry, page: str, action: Action = Action.ENQUIRY_VIEWED
) -> None:
    record_view(request, action=action, obj=enquiry, enquiry=enquiry, details={"page": page})


# ---------------------------------------------------------------------------------------
# The list


@login_required
def enquiry_list(request: HttpRequest) -> HttpResponse:
    """The hub's open enquiries, most urgent first, and the user's drafts; or the
    closed ones with ``?show=closed``."""
    _hub_only(request.user)
    closed = request.GET.get("show") == "closed"
    enquiries = selectors.hub_enquiries(request, request.user, closed=closed)
    drafts = None if closed else selectors.my_drafts(request, request.user)
    rows = [*enquiries.rows, *(drafts.rows if drafts is not None else [])]
    shown = [e.pk for e in rows]
    # Restricted enquiries the user is not named on are listed by reference only.
    redacted = permissions.restricted_for(request.user, shown)
    for e in rows:
        e.redacted = e.pk in redacted  # type: ignore[attr-defined]
    if shown:
        record_view(
            request,
            action=Action.ENQUIRY_LISTED,
            details={
                "enquiries": [str(pk) for pk in shown],
                "filter": "closed" if closed else "open",
            },
        )
    return render(
        request,
        "enquiries/list.html",
        {
            "enquiries": enquiries,
            "drafts": drafts,
            "closed": closed,
            "can_record": permissions.can_record_enquiry(request.user),
        },
    )


# ---------------------------------------------------------------------------------------
# The intake


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """The start page of the intake; its button creates the draft."""
    _hub_only(request.user)
    if not permissions.can_record_enquiry(request.user):
        raise PermissionDenied
    if request.method == "POST":
        enquiry = services.start_enquiry(actor=_actor(request))
        return redirect(step_url(enquiry, STEPS[0]))
    return render(request, "enquiries/start.html")


@dataclass(frozen=True)
class Step:
    form: type[forms.GovukForm]
    template: str
    title: str
    initial: Callable[[Enquiry], dict[str, Any]]
    save: Callable[[Enquiry, Any, dict[str, Any]], Any]


def _received_initial(e: Enquiry) -> dict[str, Any]:
    if e.received_at is None:
        return {}
    from django.utils import timezone

    local = timezone.localtime(e.received_at)
    return {
        "received_day": local.day,
        "received_month": local.month,
        "received_year": local.year,
        "received_time": local.strftime("%H:%M"),
    }


STEP_PAGES: dict[str, Step] = {
    "received": Step(
        forms.ReceivedForm,
        "enquiries/intake/received.html",
        "When was the enquiry received?",
        _received_initial,
        lambda e, a, d: services.update_received(enquiry=e, actor=a, received_at=d["received_at"]),
    ),
    "source": Step(
        forms.SourceForm,
        "enquiries/intake/source.html",
        "Who made the enquiry?",
        lambda e: {"source": e.source},
        lambda e, a, d: services.update_source(enquiry=e, actor=a, source=d["source"]),
    ),
    "referrer": Step(
        forms.ReferrerForm,
        "enquiries/intake/referrer.html",
        "The referrer's details",
        lambda e: {
            "referrer_name": e.referrer_name,
            "referrer_role": e.referrer_role,
            "referrer_organisation": e.referrer_organisation,
            "referrer_contact": e.referrer_contact,
        },
        lambda e, a, d: services.update_referrer(
            enquiry=e,
            actor=a,
            name=d["referrer_name"],
            role=d["referrer_role"],
            organisation=d["referrer_organisation"],
            contact=d["referrer_contact"],
        ),
    ),
    "concern": Step(
        forms.ConcernForm,
        "enquiries/intake/concern.html",
        "What is the concern, in the referrer's words?",
        lambda e: {"concern": e.concern},
        lambda e, a, d: services.update_concern(enquiry=e, actor=a, concern=d["concern"]),
    ),
    "danger": Step(
        forms.DangerForm,
        "enquiries/intake/danger.html",
        "Is the child in immediate danger?",
        lambda e: (
            {}
            if e.immediate_danger is None
            else {"immediate_danger": "yes" if e.immediate_danger else "no"}
        ),
        lambda e, a, d: services.update_immediate_danger(
            enquiry=e, actor=a, immediate_danger=d["immediate_danger"] == "yes"
        ),
    ),
    "consent": Step(
        forms.ConsentForm,
        "enquiries/intake/consent.html",
        "Was consent to refer obtained?",
        lambda e: {
            "consent_to_refer": e.consent_to_refer,
            "consent_obtained_from": e.consent_obtained_from,
            "consent_not_obtained_reason": e.consent_not_obtained_reason,
        },
        lambda e, a, d: services.update_consent_to_refer(
            enquiry=e,
            actor=a,
            consent=d["consent_to_refer"],
            obtained_from=d["consent_obtained_from"],
            reason_not_obtained=d["consent_not_obtained_reason"],
        ),
    ),
    "urgency": Step(
        forms.UrgencyForm,
        "enquiries/intake/urgency.html",
        "How urgent is the enquiry?",
        lambda e: {"rag": e.rag, "rag_rationale": e.rag_rationale},
        lambda e, a, d: services.update_urgency(
            enquiry=e, actor=a, rag=d["rag"], rationale=d["rag_rationale"]
        ),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, enquiry_id: uuid.UUID, step: str) -> HttpResponse:
    """One question page of the intake. Each answer is saved when the page is sent."""
    _hub_only(request.user)
    page = STEP_PAGES.get(step)
    if page is None:
        raise Http404
    enquiry = _for_change(request, enquiry_id)
    if enquiry.status == EnquiryStatus.CLOSED:
        return _closed_redirect(request, enquiry)
    if step == "referrer" and enquiry.source == Source.ANONYMOUS:
        return redirect(_next_url(request, enquiry, step))
    if request.method == "POST":
        form = page.form(request.POST)
        if form.is_valid():
            try:
                page.save(enquiry, _actor(request), form.cleaned_data)
            except services.EnquiryClosed:
                return _closed_redirect(request, enquiry)
            except ValidationError as error:
                form.add_service_errors(error)
            except services.EnquiryError as error:
                form.add_error(None, str(error))
            else:
                return redirect(_next_url(request, enquiry, step))
        status = 400
    else:
        form = page.form(initial=page.initial(enquiry))
        _viewed(request, enquiry, step)
        status = 200
    return render(
        request,
        page.template,
        {
            "enquiry": enquiry,
            "form": form,
            "title": page.title,
            "back_url": _back_url(request, enquiry, step),
            "returning": request.GET.get("return") == "check",
            "ratings": _rating_choices(enquiry) if step == "urgency" else [],
        },
        status=status,
    )


_RATING_MEANINGS = {
    "red": "Urgent: the child may be at risk of significant harm now.",
    "amber": "A concern that needs an answer soon.",
    "green": "No immediate risk.",
    "blue": "For information, or already in hand.",
}


def _rating_choices(enquiry: Enquiry) -> list[dict[str, str]]:
    """The urgency page's choices, with the response time the hub has configured for
    each (mash.timeliness), most urgent first."""
    from mash.timeliness.config import hub_clock

    ratings = hub_clock(enquiry.hub_id).ratings
    choices = []
    for code in ["red", "amber", "green", "blue"]:
        rating = ratings[code]
        if rating.hours is None:
            due = "No response target."
        else:
            hours = f"{rating.hours:g} {'working ' if rating.working_hours else ''}hour"
            hours += "" if rating.hours == 1 else "s"
            around = ", worked around the clock" if rating.runs_out_of_hours else ""
            due = f"Answers are due within {hours}{around}."
        choices.append(
            {"code": code, "label": rating.label, "hint": f"{_RATING_MEANINGS[code]} {due}"}
        )
    return choices


def _person_details(data: dict[str, Any]) -> services.PersonDetails:
    return services.PersonDetails(
        kind=data["kind"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        other_names=data.get("other_names", ""),
        date_of_birth=data.get("date_of_birth"),
        estimated_age=data.get("estimated_age"),
        address=data.get("address", ""),
        school_or_setting=data.get("school_or_setting", ""),
        relationship=data.get("relationship", ""),
        role_in_concern=data.get("role_in_concern", ""),
        date_of_death=data.get("date_of_death"),
        nhs_number=data.get("nhs_number", ""),
    )


def _person_initial(person: Person) -> dict[str, Any]:
    dob = person.date_of_birth
    return {
        "kind": person.kind,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "other_names": person.other_names,
        "dob_day": dob.day if dob else "",
        "dob_month": dob.month if dob else "",
        "dob_year": dob.year if dob else "",
        "estimated_age": person.estimated_age,
        "address": person.address,
        "school_or_setting": person.school_or_setting,
        "relationship": person.relationship,
        "role_in_concern": person.role_in_concern,
        "nhs_number": person.nhs_number_shown,
        **_death_initial(person),
    }


def _death_initial(person: Person) -> dict[str, Any]:
    dod = person.date_of_death
    return {
        "dod_day": dod.day if dod else "",
        "dod_month": dod.month if dod else "",
        "dod_year": dod.year if dod else "",
    }


@login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    """The people added so far, with change and remove; "Do you need to add another
    person?" (the GOV.UK add-another pattern). At least one child is needed."""
    _hub_only(request.user)
    enquiry = _for_change(request, enquiry_id)
    if enquiry.status == EnquiryStatus.CLOSED:
        return _closed_redirect(request, enquiry)
    involved = list(enquiry.people.all())
    if not involved and request.method == "GET":
        return redirect(_with_return(request, "enquiries:person-add", enquiry))
    status = 200
    form = forms.AddAnotherForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            if form.cleaned_data["add_another"] == "yes":
                return redirect(_with_return(request, "enquiries:person-add", enquiry))
            if any(p.kind == "child" for p in involved):
                return redirect(_next_url(request, enquiry, "people"))
            form.add_error("add_another", "Add at least one child")
        status = 400
    _viewed(request, enquiry, "people")
    from mash.people.views import known_context  # issue 14: "already known"

    return render(
        request,
        "enquiries/intake/people.html",
        {
            **known_context(request, enquiry),
            "enquiry": enquiry,
            "people": involved,
            "form": form,
            "back_url": _back_url(request, enquiry, "people"),
            "return_query": "?return=check" if request.GET.get("return") == "check" else "",
        },
        status=status,
    )


def _with_return(request: HttpRequest, name: str, enquiry: Enquiry, **kwargs: Any) -> str:
    url = reverse(name, kwargs={"enquiry_id": enquiry.pk, **kwargs})
    return f"{url}?return=check" if request.GET.get("return") == "check" else url


@login_required
@require_http_methods(["GET", "POST"])
def person(
    request: HttpRequest, enquiry_id: uuid.UUID, person_id: uuid.UUID | None = None
) -> HttpResponse:
    """Add a person involved, or change one."""
    _hub_only(request.user)
    enquiry = _for_change(request, enquiry_id)
    if enquiry.status == EnquiryStatus.CLOSED:
        return _closed_redirect(request, enquiry)
    existing = selectors.person_for(enquiry, person_id) if person_id else None
    people_url = _with_return(request, "enquiries:people", enquiry)
    if request.method == "POST":
        form = forms.PersonForm(request.POST)
        if form.is_valid():
            details = _person_details(form.cleaned_data)
            try:
                if existing is None:
                    services.add_person(enquiry=enquiry, actor=_actor(request), details=details)
                else:
                    services.change_person(person=existing, actor=_actor(request), details=details)
            except services.EnquiryClosed:
                return _closed_redirect(request, enquiry)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                if enquiry.status != EnquiryStatus.DRAFT:
                    return redirect("enquiries:detail", enquiry_id=enquiry.pk)
                return redirect(people_url)
        status = 400
    else:
        if existing is None:
            form = forms.PersonForm(initial={"kind": "" if enquiry.people.exists() else "child"})
        else:
            form = forms.PersonForm(initial=_person_initial(existing))
            record_view(
                request,
                action=Action.PERSON_VIEWED,
                obj=existing,
                enquiry=enquiry,
                details={"page": "person"},
            )
        status = 200
    back = (
        reverse("enquiries:detail", kwargs={"enquiry_id": enquiry.pk})
        if enquiry.status != EnquiryStatus.DRAFT
        else people_url
    )
    return render(
        request,
        "enquiries/intake/person.html",
        {"enquiry": enquiry, "form": form, "person": existing, "back_url": back},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def date_of_death(
    request: HttpRequest, enquiry_id: uuid.UUID, person_id: uuid.UUID
) -> HttpResponse:
    """Record, correct or clear the date someone involved died; on a closed enquiry
    too (the hub often learns of a death after closing, and retention kept "from the
    date of death" starts from it)."""
    _hub_only(request.user)
    enquiry = _for_change(request, enquiry_id)
    existing = selectors.person_for(enquiry, person_id)
    detail_url = reverse("enquiries:detail", kwargs={"enquiry_id": enquiry.pk})
    if request.method == "POST":
        form = forms.DateOfDeathForm(request.POST)
        if form.accepted(
            lambda data: services.record_date_of_death(
                person=existing, actor=_actor(request), date_of_death=data["date_of_death"]
            )
        ):
            messages.success(request, f"Date of death of {existing.full_name} saved")
            return redirect(detail_url)
        status = 400
    else:
        form = forms.DateOfDeathForm(initial=_death_initial(existing))
        record_view(
            request,
            action=Action.PERSON_VIEWED,
            obj=existing,
            enquiry=enquiry,
            details={"page": "date of death"},
        )
        status = 200
    return render(
        request,
        "enquiries/date_of_death.html",
        {"enquiry": enquiry, "form": form, "person": existing, "back_url": detail_url},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_remove(
    request: HttpRequest, enquiry_id: uuid.UUID, person_id: uuid.UUID
) -> HttpResponse:
    """Confirm, then remove someone added in error."""
    _hub_only(request.user)
    enquiry = _for_change(request, enquiry_id)
    if enquiry.status == EnquiryStatus.CLOSED:
        return _closed_redirect(request, enquiry)
    existing = selectors.person_for(enquiry, person_id)
    people_url = _with_return(request, "enquiries:people", enquiry)
    error = ""
    if request.method == "POST":
        try:
            services.remove_person(person=existing, actor=_actor(request))
        except services.EnquiryClosed:
            return _closed_redirect(request, enquiry)
        except services.EnquiryError as refusal:
            error = str(refusal)
        else:
            messages.success(request, "The person has been removed")
            if enquiry.status != EnquiryStatus.DRAFT:
                return redirect("enquiries:detail", enquiry_id=enquiry.pk)
            return redirect(people_url)
    else:
        record_view(
            request,
            action=Action.PERSON_VIEWED,
            obj=existing,
            enquiry=enquiry,
            details={"page": "remove"},
        )
    return render(
        request,
        "enquiries/intake/person_remove.html",
        {"enquiry": enquiry, "person": existing, "back_url": people_url, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    """Check your answers, then submit: the draft becomes an open enquiry."""
    _hub_only(request.user)
    enquiry = _for_change(request, enquiry_id)
    if enquiry.status != EnquiryStatus.DRAFT:
        return redirect("enquiries:detail", enquiry_id=enquiry.pk)
    missing: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST":
        try:
            services.submit_enquiry(enquiry=enquiry, actor=_actor(request))
        except services.EnquiryIncomplete as incomplete:
            missing = incomplete.missing
            status = 400
        except services.EnquiryError as refusal:
            messages.error(request, str(refusal))
            return redirect("enquiries:detail", enquiry_id=enquiry.pk)
        else:
            return redirect("enquiries:submitted", enquiry_id=enquiry.pk)
    _viewed(request, enquiry, "check")
    return render(
        request,
        "enquiries/intake/check.html",
        {
            "enquiry": enquiry,
            "people": list(enquiry.people.all()),
            "missing": [
                (step_url(enquiry, s, back_to_check=True), message) for s, message in missing
            ],
            "change": {s: step_url(enquiry, s, back_to_check=True) for s in STEPS},
            "anonymous": enquiry.source == Source.ANONYMOUS,
            "consent_obtained": enquiry.consent_to_refer == ConsentToRefer.OBTAINED,
            "back_url": step_url(enquiry, "urgency"),
        },
        status=status,
    )


@login_required
def submitted(request: HttpRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    """The confirmation page after submitting: the reference number and what next."""
    _hub_only(request.user)
    enquiry = selectors.enquiry_for(request.user, enquiry_id)
    if enquiry.status == EnquiryStatus.DRAFT:
        return redirect("enquiries:check", enquiry_id=enquiry.pk)
    return render(
        request,
        "enquiries/submitted.html",
        {
            "enquiry": enquiry,
            "ask_url": _request_create_url(enquiry)
            if permissions.can_change_enquiry(request.user, enquiry)
            and enquiry.status == EnquiryStatus.OPEN
            else None,
            "can_take": permissions.can_take_enquiry(request.user, enquiry),
        },
    )


# ---------------------------------------------------------------------------------------
# The enquiry page and closing


def _next_step(
    request: HttpRequest, enquiry: Enquiry, requests: list[Any], context: dict[str, Any]
) -> Any:
    """The state and the one next action shown at the top of the enquiry page."""
    from .next_step import next_step

    is_open = enquiry.status == EnquiryStatus.OPEN
    can_change = permissions.can_change_enquiry(request.user, enquiry) and is_open
    return next_step(
        enquiry=enquiry,
        requests=requests,
        can_take=permissions.can_take_enquiry(request.user, enquiry),
        can_ask=can_change,
        can_close=permissions.can_close_enquiry(request.user, enquiry) and is_open,
        take_url=reverse("enquiries:take", kwargs={"enquiry_id": enquiry.pk}),
        ask_url=_request_create_url(enquiry),
        close_url=reverse("enquiries:close", kwargs={"enquiry_id": enquiry.pk}),
        threshold=context.get("threshold"),
        can_authorise=bool(context.get("can_authorise")),
        review_url=reverse(
            "enquiries:threshold-review",
            kwargs={"enquiry_id": enquiry.pk, "decision_id": context["threshold"].pk},
        )
        if context.get("threshold") is not None
        else "#threshold",
        feedback_url=context.get("feedback_url", ""),
        rate_url=step_url(enquiry, "urgency") if can_change else "",
        strategy_url=context.get("strategy_url", ""),
        feedback_due=context.get("feedback_due", ""),
    )


def _request_create_url(enquiry: Enquiry) -> str | None:
    """The sharing app's "request information" page, if it is installed."""
    try:
        return reverse("sharing:request-create", kwargs={"enquiry_id": enquiry.pk})
    except NoReverseMatch:
        return None


def _feedback_context(
    request: HttpRequest, enquiry: Enquiry, context: dict[str, Any], now: Any
) -> None:
    """The feedback sent on the authorised decision, or the page to send it from."""
    from . import feedback

    decision = context.get("threshold")
    if decision is None or decision.status != models.ThresholdStatus.AUTHORISED:
        return
    sent = (
        models.Feedback.objects.filter(decision_id=decision.pk)
        .select_related("sent_by")
        .prefetch_related("items")
        .first()
    )
    context["feedback"] = sent
    from . import strategy

    if strategy.calls_for_discussion(decision):
        url = reverse("enquiries:strategy", kwargs={"enquiry_id": enquiry.pk})
        context["strategy_link"] = url
        held = models.StrategyDiscussion.objects.filter(decision_id=decision.pk).exists()
        if not held and permissions.can_record_strategy(request.user, enquiry):
            context["strategy_url"] = url
    if (
        sent is None
        and feedback.can_be_told(enquiry)
        and permissions.can_send_feedback(request.user, enquiry)
    ):
        context["feedback_url"] = reverse("enquiries:feedback", kwargs={"enquiry_id": enquiry.pk})
        if decision.feedback_due_at is not None:
            from mash.timeliness.config import hub_clock

            context["feedback_due"] = hub_clock(enquiry.hub_id).words(
                now, decision.feedback_due_at, "green"
            )


@login_required
def detail(request: HttpRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    """Everything the hub holds and has been told about one enquiry."""
    _hub_only(request.user)
    enquiry = selectors.enquiry_for(request.user, enquiry_id)
    can_change = permissions.can_change_enquiry(request.user, enquiry)
    if enquiry.status == EnquiryStatus.DRAFT and can_change:
        return redirect("enquiries:check", enquiry_id=enquiry.pk)
    answers = selectors.answers(enquiry)
    # One entry for the page view, naming everything it shows: the requests, the
    # decisions, and each decision's items shared (which an entry per decision named
    # before, at the cost of a write under the record's lock for each).
    views: list[dict[str, Any]] = [
        {
            "action": Action.ENQUIRY_VIEWED,
            "obj": enquiry,
            "enquiry": enquiry,
            "details": {
                "page": "detail",
                "requests": [str(s.request.pk) for s in answers.requests],
                "decisions": [str(d.pk) for d in answers.decisions],
                "disclosures": answers.disclosures_shown(),
            },
        }
    ]
    is_open = enquiry.status == EnquiryStatus.OPEN
    # Each person's consent position for each agency, at a glance. The consent app
    # names its own view of the register (``consent.viewed``), after the page's: both
    # appended at once, one lock and one commit (issue 13).
    context: dict[str, Any] = {}
    context.update(consent_table_context(request, enquiry, views=views))
    record_views(request, views)
    from mash.timeliness.selectors import enquiry_deadline, enquiry_gauge

    now = timezone.now()
    context["gauge"] = enquiry_gauge(enquiry, now=now)
    context["enquiry_deadline"] = enquiry_deadline(enquiry, now=now)
    from .threshold import current_decision

    context["threshold"] = current_decision(enquiry)
    context["can_authorise"] = (
        context["threshold"] is not None
        and context["threshold"].status == models.ThresholdStatus.AWAITING
        and is_open
        and permissions.can_authorise_threshold(request.user, context["threshold"])
    )
    _feedback_context(request, enquiry, context, now)
    context["next"] = _next_step(request, enquiry, answers.requests, context)
    from mash.people.views import known_context  # issue 14: "already known"

    context.update(known_context(request, enquiry))
    return render(
        request,
        "enquiries/detail.html",
        {
            **context,
            "enquiry": enquiry,
            "people": list(enquiry.people.all()),
            "answers": answers,
            "can_change": can_change and is_open,
            "can_record_death": can_change and enquiry.status != EnquiryStatus.DRAFT,
            "can_close": permissions.can_close_enquiry(request.user, enquiry) and is_open,
            "can_restrict": permissions.can_restrict(request.user, enquiry),
            "can_take": permissions.can_take_enquiry(request.user, enquiry),
            "can_allocate": permissions.can_allocate_enquiry(request.user, enquiry),
            "restriction": models.Restriction.objects.filter(enquiry=enquiry).first(),
            "request_create_url": _request_create_url(enquiry) if can_change and is_open else None,
            "change": {s: step_url(enquiry, s) for s in STEPS},
            "can_record_consent": is_open,
        },
    )


# ---------------------------------------------------------------------------------------
# Restricted enquiries and breaking the glass


def _safe_next(request: HttpRequest, value: str, default: str) -> str:
    """Where to go after breaking the glass: a path on this site, else ``default``."""
    if (
        value.startswith("/")
        and "\x00" not in value
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return default


def _default_next(user: Any, enquiry: Enquiry) -> str:
    if permissions.can_view_enquiry(user, enquiry):
        return reverse("enquiries:detail", kwargs={"enquiry_id": enquiry.pk})
    return reverse("sharing:inbox")


def restricted(request: HttpRequest, enquiry: Enquiry) -> HttpResponse:
    """The page anyone not named on a restricted enquiry meets (403), with the form to
    break the glass. Called by the 403 handler for ``permissions.EnquiryRestricted``;
    the attempt is recorded as a refusal."""
    record_denied(request, object_type="enquiries.enquiry", object_id=enquiry.pk, enquiry=enquiry)
    return render(
        request,
        "enquiries/restricted.html",
        {
            "enquiry": enquiry,
            "form": forms.BreakGlassForm(),
            "next": request.path,
            "minutes": services.break_glass_minutes(),
        },
        status=403,
    )


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    """Give a reason and open a restricted enquiry for a limited time."""
    enquiry = Enquiry.objects.filter(pk=enquiry_id).first()
    if enquiry is None or not permissions.can_reach(request.user, enquiry):
        raise Http404
    default = _default_next(request.user, enquiry)
    if not permissions.can_break_glass(request.user, enquiry) or not permissions.is_restricted(
        enquiry
    ):
        return redirect(default)
    status = 200
    # Where to go next: only a path on this site (anything else is ignored).
    # (A page outside the enquiry, such as the subject access results, links here
    # with ``?next=`` so the user comes back to it.)
    target = _safe_next(
        request, str(request.POST.get("next") or request.GET.get("next") or ""), default
    )
    if request.method == "POST":
        form = forms.BreakGlassForm(request.POST)
        if form.accepted(
            lambda data: services.break_glass(
                enquiry=enquiry, actor=_actor(request), reason=data["reason"]
            )
        ):
            return redirect(target)
        status = 400
    else:
        form = forms.BreakGlassForm()
    return render(
        request,
        "enquiries/restricted.html",
        {
            "enquiry": enquiry,
            "form": form,
            "next": target,
            "minutes": services.break_glass_minutes(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def restrict(request: HttpRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    """A hub manager restricts the enquiry to named users, or changes who is named."""
    _hub_only(request.user)
    enquiry = selectors.enquiry_for(request.user, enquiry_id)
    if not permissions.can_restrict(request.user, enquiry):
        raise PermissionDenied
    candidates = services.restriction_candidates(enquiry)
    current = models.Restriction.objects.filter(enquiry=enquiry).first()
    status = 200
    if request.method == "POST":
        form = forms.RestrictForm(request.POST, candidates=candidates)
        if form.accepted(
            lambda data: services.restrict_enquiry(
                enquiry=enquiry,
                actor=_actor(request),
                users=[u for u in candidates if str(u.pk) in {str(pk) for pk in data["users"]}],
                reason=data["reason"],
            )
        ):
            messages.success(request, f"Enquiry {enquiry.reference} is restricted")
            return redirect("enquiries:detail", enquiry_id=enquiry.pk)
        status = 400
    else:
        initial: dict[str, Any] = {}
        if current is not None:
            initial = {
                "users": [str(pk) for pk in current.users.values_list("pk", flat=True)],
                "reason": current.reason,
            }
        form = forms.RestrictForm(initial=initial, candidates=candidates)
        _viewed(request, enquiry, "restrict")
    return render(
        request,
        "enquiries/restrict.html",
        {"enquiry": enquiry, "form": form, "restriction": current},
        status=status,
    )


@login_required
@require_POST
def unrestrict(request: HttpRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    """Lift the restriction."""
    _hub_only(request.user)
    enquiry = selectors.enquiry_for(request.user, enquiry_id)
    if not permissions.can_restrict(request.user, enquiry):
        raise PermissionDenied
    try:
        services.lift_restriction(enquiry=enquiry, actor=_actor(request))
    except services.EnquiryError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"The restriction on {enquiry.reference} has been lifted")
    return redirect("enquiries:detail", enquiry_id=enquiry.pk)


@login_required
def glass_breaks(request: HttpRequest) -> HttpResponse:
    """The data protection officer's list of breaks of the glass: who, when, why, on
    which enquiry; those not yet reviewed first (``?show=all`` for every one)."""
    _hub_only(request.user)
    if not permissions.can_review_glass_breaks(request.user):
        raise PermissionDenied
    show_all = request.GET.get("show") == "all"
    breaks = permissions.reviewable_glass_breaks(request.user).select_related(
        "enquiry", "user", "user__agency", "reviewed_by"
    )
    if not show_all:
        breaks = breaks.filter(reviewed_at__isnull=True)
    shown = list(breaks.order_by("-broken_at")[:500])
    if shown:
        record_view(
            request,
            action=Action.GLASS_BREAKS_LISTED,
            details={"glass_breaks": [str(g.pk) for g in shown]},
        )
    return render(request, "enquiries/glass_breaks.html", {"breaks": shown, "show_all": show_all})


@login_required
@require_POST
def glass_break_review(request: HttpRequest, glass_break_id: uuid.UUID) -> HttpResponse:
    """Mark one break of the glass as reviewed."""
    _hub_only(request.user)
    glass = permissions.reviewable_glass_breaks(request.user).filter(pk=glass_break_id).first()
    if glass is None:
        raise Http404
    try:
        services.review_glass_break(glass_break=glass, actor=_actor(request))
    except services.EnquiryError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Marked as reviewed")
    return redirect("enquiries:glass-breaks")
