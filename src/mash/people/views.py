"""The person index's pages: confirm or reject a possible match; search. Thin: parse,
check access (``permissions``), call a service or selector, render."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from mash.enquiries import selectors as enquiry_selectors
from mash.lib import paging
from mash.records.models import Action
from mash.records.services import record_view

from . import permissions, selectors, services
from . import search as finding
from .models import MatchSuggestion, Search
from .sealing import open_terms


def _next(request: HttpRequest, default: str) -> str:
    value = request.POST.get("next", "")
    if value.startswith("/") and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default


def _suggestion_for_change(request: HttpRequest, suggestion_id: uuid.UUID) -> MatchSuggestion:
    """The suggestion, if the user may change its person's enquiry; 404 otherwise."""
    if not permissions.is_hub_reader(request.user):
        raise Http404
    suggestion = MatchSuggestion.objects.select_related("person").filter(pk=suggestion_id).first()
    if suggestion is None:
        raise Http404
    enquiry_selectors.enquiry_for(request.user, suggestion.person.enquiry_id, change=True)
    return suggestion


def _decide(request: HttpRequest, suggestion_id: uuid.UUID, *, confirm: bool) -> HttpResponse:
    suggestion = _suggestion_for_change(request, suggestion_id)
    default = reverse("enquiries:detail", kwargs={"enquiry_id": suggestion.person.enquiry_id})
    name = suggestion.person.full_name
    try:
        if confirm:
            services.confirm_suggestion(suggestion=suggestion, actor=request.user)
            messages.success(request, f"Match confirmed: {name} is linked to the person known")
        else:
            services.reject_suggestion(suggestion=suggestion, actor=request.user)
            messages.success(request, f"Not the same person: {name} is kept apart")
    except services.IndexError_ as error:
        messages.info(request, str(error))
    return redirect(_next(request, default))


@login_required
@require_POST
def confirm(request: HttpRequest, suggestion_id: uuid.UUID) -> HttpResponse:
    return _decide(request, suggestion_id, confirm=True)


@login_required
@require_POST
def reject(request: HttpRequest, suggestion_id: uuid.UUID) -> HttpResponse:
    return _decide(request, suggestion_id, confirm=False)


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """The search box. Terms are posted (nothing personal in a URL), kept sealed, and
    the results shown at the search's own address."""
    if not permissions.can_search(request.user):
        raise Http404
    error = ""
    text = ""
    if request.method == "POST":
        text = request.POST.get("q", "")
        try:
            terms = finding.parse_terms(text)
        except finding.SearchError as problem:
            error = str(problem)
        else:
            scope = selectors.search_scope(request.user)
            count = finding.people(terms, **scope).count()
            if scope["agency_id"] is None:
                count += finding.enquiries(terms, hub_id=scope["hub_id"]).count()
            done = services.record_search(actor=request.user, terms=terms.as_dict(), results=count)
            return redirect("people:results", search_id=done.pk)
    return render(
        request,
        "people/search.html",
        {"error": error, "text": text, "hub": permissions.is_hub_reader(request.user)},
        status=400 if error else 200,
    )


def _terms_of(search: Search) -> finding.Terms:
    raw = open_terms(search.sealed_terms, search_id=search.pk)
    import datetime as dt

    born = raw.get("date_of_birth")
    return finding.Terms(
        reference=raw.get("reference"),
        nhs_number=raw.get("nhs_number"),
        postcode=raw.get("postcode"),
        date_of_birth=dt.date.fromisoformat(born) if born else None,
        names=tuple(raw.get("names") or ()),
    )


@login_required
def results(request: HttpRequest, search_id: uuid.UUID) -> HttpResponse:
    """One page of a search's results (the searcher's own searches only)."""
    if not permissions.can_search(request.user):
        raise Http404
    done = Search.objects.filter(pk=search_id, by_id=request.user.pk).first()
    if done is None:
        raise Http404
    terms = _terms_of(done)
    scope = selectors.search_scope(request.user)
    hub = scope["agency_id"] is None
    page = paging.page_of(request, finding.people(terms, **scope), noun="people")
    rows = [{"row": row, "why": finding.why(terms, row)} for row in page.rows]
    found_enquiries = list(finding.enquiries(terms, hub_id=scope["hub_id"])[:1]) if hub else []
    record_view(
        request,
        action=Action.PEOPLE_SEARCHED,
        obj=done,
        details={
            "page": page.number,
            "indexed_people": [str(r["row"].pk) for r in rows],
            "enquiries": [str(e.pk) for e in found_enquiries],
        },
    )
    return render(
        request,
        "people/results.html",
        {
            "page": page,
            "rows": rows,
            "enquiries": found_enquiries,
            "hub": hub,
            "nhs_number": bool(terms.nhs_number),
            "nothing": not rows and not found_enquiries,
        },
    )


def known_context(request: HttpRequest, enquiry: Any) -> dict[str, Any]:
    """The "already known" panel for an enquiry's pages (intake's people and the enquiry
    page): its context, with its record entry when it shows anyone's history."""
    from . import repeats

    known = selectors.already_known(enquiry)
    repeat = repeats.repeat_referrals(enquiry)
    if repeat or any(k.anything for k in known):
        record_view(
            request,
            action=Action.ALREADY_KNOWN_VIEWED,
            obj=enquiry,
            enquiry=enquiry,
            details={
                **selectors.viewed_details(known),
                "repeat_referral": {str(r.indexed_person_id): r.earlier for r in repeat},
            },
        )
    from mash.enquiries import permissions as enquiry_permissions

    return {
        "known_people": [k for k in known if k.anything],
        "repeat_referrals": repeat,
        "can_decide_matches": enquiry_permissions.can_change_enquiry(request.user, enquiry)
        and enquiry.status != "closed",
    }


# ---------------------------------------------------------------------------------------
# The chronology


def indexed_person_for(user: Any, indexed_person_id: uuid.UUID) -> tuple[Any, bool]:
    """The indexed person (followed through merges) if the user may read their
    chronology, and whether the user reads as a partner; 404 otherwise, as if there were
    nobody. The hub reads its own index; a partner only someone named in a request sent
    to its agency."""
    from mash.sharing.models import InformationRequest

    from .models import IndexedPerson

    person = IndexedPerson.objects.filter(pk=indexed_person_id).first()
    seen = 0
    while person is not None and person.merged_into_id is not None and seen < 20:
        person = IndexedPerson.objects.filter(pk=person.merged_into_id).first()
        seen += 1
    if person is None:
        raise Http404
    if permissions.is_hub_reader(user) and person.hub_id == user.agency_id:
        return person, False
    if (
        permissions.is_partner(user)
        and InformationRequest.objects.filter(
            agency_id=user.agency_id, people__index_link__indexed_person=person
        ).exists()
    ):
        return person, True
    raise Http404


def _chronology(request: HttpRequest, indexed_person_id: uuid.UUID) -> dict[str, Any]:
    from mash.agencies.models import Agency
    from mash.enquiries.models import Person, ThresholdDecision

    from . import chronology

    person, partner = indexed_person_for(request.user, indexed_person_id)
    scope = chronology.scope_for(request.user, person, partner=partner)
    agency = request.GET.get("agency", "")
    kind = request.GET.get("kind", "")
    agencies = list(Agency.objects.filter(active=True).order_by("name").values_list("code", "name"))
    if agency not in {code for code, _ in agencies}:
        agency = ""
    if kind not in chronology.KINDS:
        kind = ""
    names = (
        Person.objects.filter(pk__in=scope.people)
        .order_by("-created_at")
        .values("first_name", "last_name")
        .first()
    )
    return {
        "indexed_person": person,
        "partner": partner,
        "scope": scope,
        "events": chronology.events(scope, agency=agency, kind=kind),
        "agency": agency,
        "kind": kind,
        "agencies": agencies,
        "kinds": list(chronology.KINDS.items()),
        "name": f"{names['first_name']} {names['last_name']}" if names else "",
        # The best date of birth the records seen know (a merge may have made the
        # latest record one with an estimated age only).
        "born": selectors.born_of(Person.objects.filter(pk__in=scope.people)),
        "threshold_model": ThresholdDecision,
    }


def _with_threshold_outcomes(events: list[Any], model: Any) -> list[Any]:
    """A threshold decision's outcomes in words (one query for the page)."""
    ids = [e.target for e in events if e.kind == "threshold"]
    if not ids:
        return events
    words = {str(d.pk): ", ".join(d.outcome_labels) for d in model.objects.filter(pk__in=ids)}
    from dataclasses import replace

    return [
        replace(e, what=f"{e.what}: {words.get(e.target, '')}") if e.kind == "threshold" else e
        for e in events
    ]


@login_required
def chronology_page(request: HttpRequest, indexed_person_id: uuid.UUID) -> HttpResponse:
    """The child's chronology, newest first, filterable by agency and kind, paged."""
    from . import chronology

    context = _chronology(request, indexed_person_id)
    page = paging.page_of(request, context["events"], noun="events")
    events = _with_threshold_outcomes(
        [chronology.describe(row) for row in page.rows], context["threshold_model"]
    )
    record_view(
        request,
        action=Action.CHRONOLOGY_VIEWED,
        obj=context["indexed_person"],
        details={
            "page": page.number,
            "agency": context["agency"],
            "kind": context["kind"],
            "events": [f"{e.kind}:{e.target}" for e in events],
        },
    )
    can_merge = not context["partner"] and permissions.is_hub_worker(request.user)
    return render(
        request,
        "people/chronology.html",
        {**context, "page": page, "rows": events, "can_merge": can_merge},
    )


#: Events printed at most (a longer history is printed filtered by agency or kind).
PRINT_LIMIT = 500


@login_required
def chronology_pdf(request: HttpRequest, indexed_person_id: uuid.UUID) -> HttpResponse:
    """The chronology as PDF (the hub only), with the print recorded first so its
    record entry's hash is on every page."""
    from django.db import transaction

    from mash.lib.pdf import PDF_CONTENT_TYPE, render_pdf
    from mash.records.services import record

    from . import chronology

    context = _chronology(request, indexed_person_id)
    if context["partner"]:
        raise Http404
    rows = list(context["events"][: PRINT_LIMIT + 1])
    events = _with_threshold_outcomes(
        [chronology.describe(row) for row in rows[:PRINT_LIMIT]], context["threshold_model"]
    )
    with transaction.atomic():
        entry = record(
            action=Action.CHRONOLOGY_PRINTED,
            actor=request.user,
            obj=context["indexed_person"],
            details={
                "agency": context["agency"],
                "kind": context["kind"],
                "events": len(events),
                "truncated": len(rows) > PRINT_LIMIT,
            },
        )
    pdf = render_pdf(
        "people/chronology_pdf.html",
        {**context, "rows": events, "truncated": len(rows) > PRINT_LIMIT, "limit": PRINT_LIMIT},
        title=f"Chronology: {context['name']}",
        hub_name=context["indexed_person"].hub.name,
        record_hash=entry.hash,
    )
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="chronology.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# Merging and unmerging (hub practitioners and managers)


def _for_merging(request: HttpRequest, indexed_person_id: uuid.UUID) -> Any:
    """The indexed person (not merged into another), if the user may merge in the
    index of their hub; 404 otherwise, as if there were nobody."""
    from .models import IndexedPerson

    if not permissions.is_hub_worker(request.user):
        raise Http404
    person = IndexedPerson.objects.filter(
        pk=indexed_person_id, hub_id=getattr(request.user, "agency_id", None)
    ).first()
    if person is None:
        raise Http404
    return person


@login_required
@require_http_methods(["GET", "POST"])
def merge_page(request: HttpRequest, indexed_person_id: uuid.UUID) -> HttpResponse:
    """Merge another indexed person into this one: choose them (GET), see both side by
    side (POST without ``confirm``), then merge (POST with it). The other's records and
    relationships move here; the merge can be undone from the merge history."""
    from .models import IndexedPerson

    person = _for_merging(request, indexed_person_id)
    here = reverse("people:merges", kwargs={"indexed_person_id": person.pk})
    if person.merged_into_id is not None:
        messages.info(request, "This person has been merged into someone else")
        return redirect(here)
    choices = selectors.merge_choices(person)
    error = ""
    other = None
    if request.method == "POST":
        try:
            other_id = uuid.UUID(request.POST.get("other", ""))
        except ValueError:
            other_id = None
        other = (
            IndexedPerson.objects.filter(
                pk=other_id, hub_id=person.hub_id, merged_into__isnull=True
            )
            .exclude(pk=person.pk)
            .first()
            if other_id
            else None
        )
        if other is None:
            error = "Select the person to merge with"
        elif (shared := services.shared_enquiry(kept=person, merged=other)) is not None:
            error = services.refuse_shared_enquiry(shared)
        elif request.POST.get("confirm") == "yes":
            try:
                services.merge(kept=person, merged=other, actor=request.user)
            except services.IndexError_ as refused:
                error = str(refused)
            else:
                messages.success(request, "Merged: their records are now one person's")
                return redirect(here)
    both = selectors.describe([person.pk, *([other.pk] if other else [])])
    confirming = other is not None and not error
    record_view(
        request,
        action=Action.PERSON_VIEWED,
        obj=person,
        details={
            "page": "merge",
            "indexed_people": sorted(str(i) for i in both)
            + ([] if confirming else [str(c.indexed_person_id) for c in choices]),
        },
    )
    response = render(
        request,
        "people/merge.html",
        {
            "indexed_person": person,
            "kept": both.get(person.pk),
            "other": both.get(other.pk) if other else None,
            "choices": choices,
            "confirming": confirming,
            "error": error,
        },
    )
    if error:
        response.status_code = 400
    return response


@login_required
def merges(request: HttpRequest, indexed_person_id: uuid.UUID) -> HttpResponse:
    """The merge history of an indexed person, each merge with a button to undo it."""
    person = _for_merging(request, indexed_person_id)
    done = selectors.merges_of(person)
    described = selectors.describe(
        sorted({m.kept_id for m in done} | {m.merged_id for m in done} | {person.pk}, key=str)
    )
    as_merged = selectors.describe_merged(done)
    record_view(
        request,
        action=Action.PERSON_VIEWED,
        obj=person,
        details={"page": "merges", "merges": [str(m.pk) for m in done]},
    )
    return render(
        request,
        "people/merges.html",
        {
            "indexed_person": person,
            "kept": described.get(person.pk),
            "rows": [
                {
                    "merge": m,
                    "kept": described.get(m.kept_id),
                    "merged": as_merged.get(m.pk) or described.get(m.merged_id),
                }
                for m in done
            ],
        },
    )


@login_required
@require_POST
def unmerge_page(request: HttpRequest, merge_id: uuid.UUID) -> HttpResponse:
    """Undo a merge (POST only): the records it moved go back to the person merged."""
    from .models import Merge

    if not permissions.is_hub_worker(request.user):
        raise Http404
    merge = Merge.objects.filter(
        pk=merge_id, kept__hub_id=getattr(request.user, "agency_id", None)
    ).first()
    if merge is None:
        raise Http404
    try:
        services.unmerge(merge=merge, actor=request.user)
        messages.success(request, "Merge undone: they are two people again")
    except services.IndexError_ as refused:
        messages.info(request, str(refused))
    return redirect(reverse("people:merges", kwargs={"indexed_person_id": merge.kept_id}))
