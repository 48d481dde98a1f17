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

from . import permissions, services
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


def _scope(user: Any) -> dict[str, Any]:
    """The hub whose index the user searches, and for a partner their agency."""
    if permissions.is_hub_reader(user):
        return {"hub_id": user.agency_id, "agency_id": None}
    from mash.agencies.models import Agency

    hub = Agency.objects.filter(is_hub=True, active=True).order_by("code").first()
    if hub is None:
        raise Http404
    return {"hub_id": hub.pk, "agency_id": user.agency_id}


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
            scope = _scope(request.user)
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
    scope = _scope(request.user)
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
    from . import selectors

    known = selectors.already_known(enquiry)
    if any(k.anything or k.repeat for k in known):
        record_view(
            request,
            action=Action.ALREADY_KNOWN_VIEWED,
            obj=enquiry,
            enquiry=enquiry,
            details=selectors.viewed_details(known),
        )
    from mash.enquiries import permissions as enquiry_permissions

    return {
        "known_people": [k for k in known if k.anything or k.repeat],
        "can_decide_matches": enquiry_permissions.can_change_enquiry(request.user, enquiry)
        and enquiry.status != "closed",
    }
