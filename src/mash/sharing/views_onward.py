"""Pages for onward sharing by the hub: passing items on, asking the agency that gave an
item first and its answer, and what the receiving agency reads. Thin: check access
(``permissions``), call a service (``onward``), render. Every page that shows personal
data records the view.

Guidance, How?: "Ensure you are giving the right information to the right person";
Record: "reasons should be cited including what information has been shared and with
whom".
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from mash.enquiries import permissions as enquiry_permissions
from mash.enquiries.models import Enquiry, EnquiryStatus
from mash.lib import paging
from mash.records.models import Action
from mash.records.services import record_view

from . import onward, permissions, views
from .guide import Field
from .models import DisclosureItem, OnwardAsk, OnwardAskStatus, OnwardSharing

NO_CONDITION = "none"
PURPOSE_HINT = (
    "Say what the agency needs it for. Pass on only what that purpose needs (Guidance, "
    "Principles: necessary, proportionate, relevant)."
)


def _enquiry_for_passing_on(user: Any, enquiry_id: Any) -> Enquiry:
    """404 for anyone but the enquiry's hub practitioners and managers (as if it did not
    exist); the restricted page for those the restriction keeps out."""
    enquiry = get_object_or_404(
        Enquiry.objects.select_related("hub"), pk=views._parse_uuid(enquiry_id)
    )
    if not permissions.can_pass_on(user, enquiry):
        raise Http404
    enquiry_permissions.check_restriction(user, enquiry)
    return enquiry


def _enquiry_url(enquiry: Enquiry, anchor: str = "onward") -> str:
    return reverse("enquiries:detail", kwargs={"enquiry_id": enquiry.pk}) + f"#{anchor}"


def _basis_fields(enquiry: Enquiry) -> list[Field]:
    return [
        Field(
            "article_6",
            "radios",
            "On what lawful basis?",
            hint="The UK GDPR Article 6 basis the hub relies on to pass it on.",
            options=onward.article_6_choices(enquiry.hub),
        ),
        Field(
            "article_9",
            "radios",
            "If any item is sensitive: the condition for special category data",
            hint="Needed when an item you pass on is marked sensitive (UK GDPR Article 9).",
            options=[
                (NO_CONDITION, "None: no item I am passing on is sensitive"),
                *onward.article_9_choices(enquiry.hub),
            ],
        ),
    ]


def _recipient_field(label: str = "Who are you passing it on to?") -> Field:
    return Field(
        "recipient",
        "radios",
        label,
        options=[(a.code, a.name) for a in onward.recipients()],
    )


def _recipient(code: str) -> Any:
    return onward.recipients().filter(code=code).first() if code else None


def _item_rows(
    items: list[DisclosureItem], chosen: set[str], enquiry: Enquiry
) -> list[dict[str, Any]]:
    agreed = onward.agreed_recipients(items)
    asks: dict[Any, list[OnwardAsk]] = {}
    for ask in onward.asks_about(items):
        asks.setdefault(ask.item_id, []).append(ask)
    names = dict(onward.recipients().values_list("pk", "name"))
    rows = []
    n = 0  # the first item that can be chosen carries the id the error summary links to
    for item in items:
        free = item.onward_sharing == OnwardSharing.MAY_PASS_ON
        selectable = free or bool(agreed.get(item.pk))
        n += selectable
        rows.append(
            {
                "id": "id_items" if n == 1 and selectable else f"id_items-{item.pk}",
                "item": item,
                "agency": item.decision.agency.name,
                "free": free,
                "agreed_to": sorted(names.get(pk, "") for pk in agreed.get(item.pk, set())),
                "asks": asks.get(item.pk, []),
                "selectable": selectable,
                "checked": str(item.pk) in chosen,
                "ask_url": reverse(
                    "sharing:onward-ask", kwargs={"enquiry_id": enquiry.pk, "item_id": item.pk}
                ),
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def onward_new(http: HttpRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    """The hub passes items it holds on an enquiry on to another agency."""
    enquiry = _enquiry_for_passing_on(http.user, enquiry_id)
    items = list(onward.passable_items(enquiry))
    raw: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    chosen: set[str] = set()
    if http.method == "POST":
        chosen = {str(v) for v in http.POST.getlist("items")}
        raw = {
            "recipient": str(http.POST.get("recipient", "")),
            "purpose": str(http.POST.get("purpose", "")),
            "article_6": str(http.POST.get("article_6", "")),
            "article_9": str(http.POST.get("article_9", "")),
        }
        try:
            share = onward.pass_on(
                actor=http.user,
                enquiry=enquiry,
                items=sorted(chosen),
                recipient=_recipient(raw["recipient"]),
                purpose=raw["purpose"],
                article_6=raw["article_6"],
                article_9="" if raw["article_9"] == NO_CONDITION else raw["article_9"],
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            count = share.items.count()
            messages.success(
                http,
                f"{count} item{'s' if count != 1 else ''} passed on to {share.recipient.name}",
            )
            return redirect(_enquiry_url(enquiry))
    rows = _item_rows(items, chosen, enquiry)
    record_view(
        http,
        action=Action.DISCLOSURE_VIEWED,
        obj=enquiry,
        enquiry=enquiry,
        details={"page": "onward:new", "items": [str(i.pk) for i in items]},
    )
    return render(
        http,
        "sharing/onward_new.html",
        {
            "enquiry": enquiry,
            "rows": rows,
            "ask_rows": [r for r in rows if not r.get("free")],
            "can_choose": any(r.get("selectable") for r in rows),
            "items_error": (errors.get("items") or [""])[0],
            "items_errors": errors.get("items", []),
            "recipient_fields": views._bind([_recipient_field()], raw, errors),
            "purpose_fields": views._bind(
                [
                    Field(
                        "purpose",
                        "textarea",
                        "Why are you passing it on?",
                        hint=PURPOSE_HINT,
                    )
                ],
                raw,
                errors,
            ),
            "basis_fields": views._bind(_basis_fields(enquiry), raw, errors),
            "error_summary": views._error_list(errors),
            "enquiry_open": enquiry.status == EnquiryStatus.OPEN,
            "back_url": _enquiry_url(enquiry, "disclosures"),
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def onward_ask(http: HttpRequest, enquiry_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    """The hub asks the agency that gave an item marked "ask the agency first" whether it
    may pass it on to one agency, and why."""
    enquiry = _enquiry_for_passing_on(http.user, enquiry_id)
    item = get_object_or_404(onward.passable_items(enquiry), pk=views._parse_uuid(item_id))
    raw: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if http.method == "POST":
        raw = {
            "recipient": str(http.POST.get("recipient", "")),
            "reason": str(http.POST.get("reason", "")),
        }
        try:
            ask = onward.ask_to_pass_on(
                actor=http.user,
                enquiry=enquiry,
                item=item,
                recipient=_recipient(raw["recipient"]),
                reason=raw["reason"],
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(
                http,
                f"{item.decision.agency.name} has been asked whether the hub may pass its "
                f"item on to {ask.recipient.name}. You can pass it on once they agree.",
            )
            return redirect("sharing:onward-new", enquiry_id=enquiry.pk)
    record_view(
        http,
        action=Action.DISCLOSURE_VIEWED,
        obj=item,
        enquiry=enquiry,
        details={"page": "onward:ask", "items": [str(item.pk)]},
    )
    fields = [
        _recipient_field("Who does the hub want to pass it on to?"),
        Field(
            "reason",
            "textarea",
            "Why does the hub need to pass it on?",
            hint=f"{item.decision.agency.name} reads this and answers with its own reason.",
        ),
    ]
    return render(
        http,
        "sharing/onward_ask.html",
        {
            "enquiry": enquiry,
            "item": item,
            "agency": item.decision.agency.name,
            "asks": list(onward.asks_about([item])),
            "fields": views._bind(fields, raw, errors),
            "error_summary": views._error_list(errors),
            "back_url": reverse("sharing:onward-new", kwargs={"enquiry_id": enquiry.pk}),
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def onward_answer(http: HttpRequest, ask_id: uuid.UUID) -> HttpResponse:
    """The agency that gave the item reads the hub's ask and agrees or declines, with
    its reason."""
    ask = get_object_or_404(
        permissions.visible_onward_asks(http.user).select_related(
            "item",
            "item__decision",
            "item__decision__agency",
            "item__decision__request",
            "item__decision__request__enquiry",
            "recipient",
            "asked_by",
            "answered_by",
        ),
        pk=views._parse_uuid(ask_id),
    )
    enquiry = ask.item.decision.request.enquiry
    enquiry_permissions.check_restriction(http.user, enquiry)
    can_answer = permissions.can_answer_onward_ask(http.user, ask)
    raw: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if http.method == "POST":
        if not can_answer:
            raise PermissionDenied
        raw = {
            "agree": str(http.POST.get("agree", "")),
            "answer_reason": str(http.POST.get("answer_reason", "")),
        }
        try:
            onward.answer_ask(
                actor=http.user,
                ask=ask,
                agree={"yes": True, "no": False}.get(raw["agree"]),
                reason=raw["answer_reason"],
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            agreed = ask.status == OnwardAskStatus.AGREED
            messages.success(
                http,
                f"You {'agreed' if agreed else 'declined'}: the hub has been told"
                + (f" it may pass the item on to {ask.recipient.name}" if agreed else ""),
            )
            return redirect("sharing:onward-answer", ask_id=ask.pk)
    record_view(
        http,
        action=Action.DISCLOSURE_VIEWED,
        obj=ask.item,
        enquiry=enquiry,
        details={"page": "onward:answer", "ask": str(ask.pk), "items": [str(ask.item_id)]},
    )
    fields = [
        Field(
            "agree",
            "radios",
            f"Do you agree to the hub passing this item on to {ask.recipient.name}?",
            options=(("yes", "Yes, I agree"), ("no", "No, I decline")),
        ),
        Field(
            "answer_reason",
            "textarea",
            "Your reason",
            hint="The hub sees your answer and your reason.",
        ),
    ]
    return render(
        http,
        "sharing/onward_answer.html",
        {
            "ask": ask,
            "item": ask.item,
            "enquiry": enquiry,
            "request": ask.item.decision.request,
            "can_answer": can_answer and ask.status == OnwardAskStatus.ASKED,
            "fields": views._bind(fields, raw, errors),
            "error_summary": views._error_list(errors),
        },
        status=400 if errors else 200,
    )


@login_required
def onward_received(http: HttpRequest) -> HttpResponse:
    """What the hub passed on to the user's agency, newest first, and the hub's asks
    waiting for its answer, oldest first: each a page of rows done in the database (the
    number of items counted there too); a restricted enquiry by reference only."""
    received = (
        permissions.received_onward_shares(http.user)
        .select_related("enquiry")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-shared_at", "pk")
    )
    page = paging.page_of(
        http,
        received,
        noun="shares",
        noun_one="share",
        fragment="received",
        count=permissions.received_onward_shares(http.user),
    )
    shares = page.rows
    restricted = enquiry_permissions.restricted_for(http.user, {s.enquiry_id for s in shares})
    rows = [{"share": s, "restricted": s.enquiry_id in restricted} for s in shares]
    waiting = permissions.visible_onward_asks(http.user).filter(status=OnwardAskStatus.ASKED)
    asks_page = paging.page_of(
        http,
        waiting.select_related("item__decision__request__enquiry", "recipient").order_by(
            "asked_at", "pk"
        ),
        param="asks",
        noun="asks",
        noun_one="ask",
        fragment="asks",
        count=waiting,
    )
    asks = asks_page.rows
    asks_restricted = enquiry_permissions.restricted_for(
        http.user, {a.item.decision.request.enquiry_id for a in asks}
    )
    if shares or asks:
        record_view(
            http,
            action=Action.ONWARD_LISTED,
            details={
                "onward_shares": [str(s.pk) for s in shares],
                "asks": [str(a.pk) for a in asks],
            },
        )
    return render(
        http,
        "sharing/onward_received.html",
        {
            "rows": rows,
            "page": page,
            "asks_page": asks_page,
            "asks": [
                {"ask": a, "restricted": a.item.decision.request.enquiry_id in asks_restricted}
                for a in asks
            ],
        },
    )


@login_required
def onward_share(http: HttpRequest, share_id: uuid.UUID) -> HttpResponse:
    """One onward share: the items passed on, to whom, why, on what basis, by whom and
    when. The receiving agency's staff and the hub's."""
    share = get_object_or_404(
        permissions.visible_onward_shares(http.user).select_related(
            "enquiry", "recipient", "shared_by"
        ),
        pk=views._parse_uuid(share_id),
    )
    enquiry_permissions.check_restriction(http.user, share.enquiry)
    items = list(share.items.select_related("decision__agency").prefetch_related("people"))
    record_view(
        http,
        action=Action.ONWARD_VIEWED,
        obj=share,
        enquiry=share.enquiry_id,
        details={"items": [str(i.pk) for i in items], "recipient": share.recipient.code},
    )
    return render(
        http,
        "sharing/onward_share.html",
        {
            "share": share,
            "items": items,
            "basis": onward.GivenOnward(share=share, items=items).basis,
            "is_hub": permissions.is_hub_staff(http.user),
        },
    )
