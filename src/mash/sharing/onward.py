"""Onward sharing by the hub: the only writer of ``OnwardShare`` and ``OnwardAsk``, and
the reads their pages need.

An agency that discloses an item to the hub marks whether the hub may pass it on
(``OnwardSharing``). The hub may pass an item marked "the hub may pass it on" to another
agency; an item marked "ask the agency first" only once the agency that gave it has
agreed, in the product, to that agency having it. Each write is one transaction with its
record entry (ids and codes only); a refusal raises ``ValidationError`` naming the field,
and nothing is saved.

Guidance, How?: "Ensure you are giving the right information to the right person";
Record: "If the decision is to share, reasons should be cited including what information
has been shared and with whom"; Secure: "Information should be shared in the most secure
way available". Consent to Share Information: the disclosing partner considers "other
lawful basis for processing the information", so each onward share names its UK GDPR
Article 6 basis, and for special category (sensitive) items its Article 9 condition,
from the codes the product knows (``mash.policy.lawful_basis``), limited to the ones the
hub may rely on where its administrator set them (``AgencyLawfulBases``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from mash.agencies.models import Agency
from mash.enquiries.models import Enquiry, EnquiryStatus
from mash.policy.lawful_basis import ARTICLE_6_WORDS, ARTICLE_9_WORDS
from mash.records.models import Action
from mash.records.services import record

from . import permissions
from .models import (
    Decision,
    DecisionOutcome,
    DisclosureItem,
    OnwardAsk,
    OnwardAskStatus,
    OnwardShare,
    OnwardSharing,
    Release,
)

MAX_TEXT = 5000


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


# --- Reads ------------------------------------------------------------------------------


def passable_items(enquiry: Enquiry) -> QuerySet[DisclosureItem]:
    """The items the hub holds on the enquiry: those disclosed under each agency's
    current decision (released to the hub, not corrected by a later released one), as
    the enquiry page shows them."""
    superseded = Decision.objects.filter(
        request__enquiry=enquiry, supersedes__isnull=False, release=Release.RELEASED
    ).values("supersedes_id")
    return (
        DisclosureItem.objects.filter(
            decision__request__enquiry=enquiry,
            decision__release=Release.RELEASED,
            decision__outcome=DecisionOutcome.SHARE,
        )
        .exclude(decision_id__in=superseded)
        .select_related("decision", "decision__agency")
        .prefetch_related("people")
        .order_by("decision__agency__name", "created_at")
    )


def passable_of(current: Iterable[Decision]) -> list[DisclosureItem]:
    """``passable_items`` from the enquiry's current decisions as a page has already
    loaded them (each released and not corrected by a later released one, with its
    items: ``mash.enquiries.selectors.answers``), without asking the database again."""
    return [
        item
        for decision in current
        if decision.release == Release.RELEASED and decision.outcome == DecisionOutcome.SHARE
        for item in decision.items.all()
    ]


def recipients() -> QuerySet[Agency]:
    """Who the hub may pass information to: the active partner agencies (children's
    social care among them where it is set up as an agency of its own), never a hub."""
    return Agency.objects.filter(active=True, is_hub=False).order_by("name")


def _allowed(words: dict[str, str], hub: Agency) -> list[tuple[str, str]]:
    from mash.guidance.selectors import allowed_lawful_bases

    allowed = allowed_lawful_bases(hub.pk)
    chosen = [(c, w) for c, w in words.items() if allowed is None or c in allowed]
    # A hub whose list names none of these still needs one to choose from.
    return chosen or list(words.items())


def article_6_choices(hub: Agency) -> list[tuple[str, str]]:
    """The UK GDPR Article 6(1) bases the hub may rely on, in words."""
    return _allowed(ARTICLE_6_WORDS, hub)


def article_9_choices(hub: Agency) -> list[tuple[str, str]]:
    """The UK GDPR Article 9(2) conditions the hub may rely on, in words."""
    return _allowed(ARTICLE_9_WORDS, hub)


def basis_words(code: str) -> str:
    return ARTICLE_6_WORDS.get(code) or ARTICLE_9_WORDS.get(code) or code


def agreed_recipients(items: Iterable[DisclosureItem]) -> dict[Any, set[Any]]:
    """For each item (by id), the agencies (ids) its giver agreed it may go to."""
    found: dict[Any, set[Any]] = {}
    for item_id, recipient_id in OnwardAsk.objects.filter(
        item__in=list(items), status=OnwardAskStatus.AGREED
    ).values_list("item_id", "recipient_id"):
        found.setdefault(item_id, set()).add(recipient_id)
    return found


def asks_about(items: Iterable[DisclosureItem]) -> QuerySet[OnwardAsk]:
    return (
        OnwardAsk.objects.filter(item__in=list(items))
        .select_related("recipient", "asked_by", "answered_by", "item")
        .order_by("-asked_at")
    )


def shares_of_enquiry(enquiry: Enquiry) -> QuerySet[OnwardShare]:
    return (
        OnwardShare.objects.filter(enquiry=enquiry)
        .select_related("recipient", "shared_by")
        .prefetch_related(
            Prefetch("items", queryset=DisclosureItem.objects.select_related("decision__agency"))
        )
    )


@dataclasses.dataclass(frozen=True)
class GivenOnward:
    """One onward share as the agency that gave (some of) its items sees it: only its
    own items, to whom, why, on what basis, when and by whom."""

    share: OnwardShare
    items: list[DisclosureItem]

    @property
    def basis(self) -> list[str]:
        words = [basis_words(self.share.article_6)]
        if self.share.article_9:
            words.append(basis_words(self.share.article_9))
        return words


def given_onward(decisions: Sequence[Decision]) -> dict[str, Any]:
    """For the giving agency's decision record and request page: each onward share of
    the items of ``decisions`` (only those items), and the hub's asks about them."""
    ids = [d.pk for d in decisions]
    if not ids:
        return {"onward_given": [], "onward_asks": []}
    shares = (
        OnwardShare.objects.filter(items__decision_id__in=ids)
        .distinct()
        .select_related("recipient", "shared_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=DisclosureItem.objects.filter(decision_id__in=ids),
                to_attr="given_items",
            )
        )
        .order_by("-shared_at")
    )
    asks = (
        OnwardAsk.objects.filter(item__decision_id__in=ids)
        .select_related("recipient", "asked_by", "answered_by", "item")
        .order_by("-asked_at")
    )
    return {
        "onward_given": [GivenOnward(share=s, items=list(s.given_items)) for s in shares],
        "onward_asks": list(asks),
    }


# --- Checks ------------------------------------------------------------------------------


def _check_recipient(recipient: Agency | None, items: Sequence[DisclosureItem]) -> str:
    """What is wrong with passing ``items`` to ``recipient``, or "" if nothing."""
    if recipient is None:
        return "Select the agency to pass the information on to"
    if recipient.is_hub or not recipient.active:
        return f"{recipient.name} is not an active partner agency: select another"
    for item in items:
        if item.decision.agency_id == recipient.pk:
            return f"{recipient.name} gave this information to the hub: select another agency"
    return ""


def _text(value: str, field: str, missing: str, label: str) -> tuple[str, dict[str, list[str]]]:
    value = (value or "").strip()
    if not value:
        return value, {field: [missing]}
    if len(value) > MAX_TEXT:
        return value, {field: [f"{label} must be 5,000 characters or fewer"]}
    return value, {}


def _writable(actor: Any, enquiry: Enquiry, field: str) -> None:
    if not permissions.can_pass_on(actor, enquiry):
        raise PermissionError("only the enquiry's hub practitioners and managers pass items on")
    if enquiry.status != EnquiryStatus.OPEN:
        raise _refuse(field, "This enquiry is closed, so nothing more can be passed on")


# --- Passing items on ----------------------------------------------------------------------


def pass_on(
    *,
    actor: Any,
    enquiry: Enquiry,
    items: Sequence[Any],
    recipient: Agency | None,
    purpose: str,
    article_6: str,
    article_9: str = "",
) -> OnwardShare:
    """The hub passes items it holds on the enquiry to another agency.

    Refused, naming the field, unless every item is one the hub holds on this enquiry
    (``passable_items``) and either marked "the hub may pass it on" or agreed by its
    giver for this recipient (``answer_ask``); the recipient is an active partner agency
    that did not give the item; the purpose is given; the Article 6 basis is one the hub
    may rely on; and where an item is sensitive, an Article 9 condition is given too."""
    _writable(actor, enquiry, "items")
    errors: dict[str, list[str]] = {}
    held = {str(i.pk): i for i in passable_items(enquiry)}
    ids = list(dict.fromkeys(str(getattr(i, "pk", i)) for i in items))
    chosen: list[DisclosureItem] = []
    if not ids:
        errors["items"] = ["Select at least one item to pass on"]
    elif any(i not in held for i in ids):
        errors["items"] = ["Select only items agencies have shared with the hub on this enquiry"]
    else:
        chosen = [held[i] for i in ids]
    problem = _check_recipient(recipient, chosen)
    if problem:
        errors["recipient"] = [problem]
    elif recipient is not None and chosen:
        agreed = agreed_recipients(chosen)
        for item in chosen:
            if item.onward_sharing == OnwardSharing.MAY_PASS_ON:
                continue
            if recipient.pk not in agreed.get(item.pk, set()):
                errors.setdefault("items", []).append(
                    f"{item.decision.agency.name} asked to be asked first about its item of "
                    f"{item.recorded_on:%d %B %Y}: ask {item.decision.agency.name} and wait "
                    f"for it to agree to {recipient.name} having it"
                )
    purpose, bad = _text(
        purpose, "purpose", "Enter why you are passing the information on", "The purpose"
    )
    errors.update(bad)
    if article_6 not in dict(article_6_choices(enquiry.hub)):
        errors["article_6"] = ["Select the lawful basis for passing the information on"]
    article_9 = article_9 or ""
    if any(item.sensitive for item in chosen):
        if article_9 not in dict(article_9_choices(enquiry.hub)):
            errors["article_9"] = [
                "Select the condition for passing on sensitive (special category) information"
            ]
    elif article_9 and article_9 not in dict(article_9_choices(enquiry.hub)):
        errors["article_9"] = ["Select a condition from the list, or none"]
    if errors:
        raise ValidationError(errors)
    if recipient is None:  # refused above; keeps the type checker and the reader sure
        raise _refuse("recipient", "Select the agency to pass the information on to")
    with transaction.atomic():
        share = OnwardShare.objects.create(
            enquiry=enquiry,
            recipient=recipient,
            purpose=purpose,
            article_6=article_6,
            article_9=article_9,
            shared_by=actor,
            shared_at=timezone.now(),
        )
        share.items.set(chosen)
        record(
            action=Action.ONWARD_SHARED,
            actor=actor,
            obj=share,
            enquiry=enquiry,
            details={
                "recipient": recipient.code,
                "items": sorted(str(i.pk) for i in chosen),
                "givers": sorted({i.decision.agency.code for i in chosen}),
                "article_6": article_6,
                "article_9": article_9 or None,
                "fields": ["purpose"],
            },
        )
    return share


# --- Asking the giving agency first ---------------------------------------------------------


def ask_to_pass_on(
    *, actor: Any, enquiry: Enquiry, item: Any, recipient: Agency | None, reason: str
) -> OnwardAsk:
    """The hub asks the agency that gave an item marked "ask the agency first" whether it
    may pass the item to ``recipient``, saying why. The agency answers in the product
    (``answer_ask``)."""
    _writable(actor, enquiry, "recipient")
    held = {str(i.pk): i for i in passable_items(enquiry)}
    found = held.get(str(getattr(item, "pk", item)))
    if found is None:
        raise _refuse("item", "Select an item agencies have shared with the hub on this enquiry")
    errors: dict[str, list[str]] = {}
    if found.onward_sharing == OnwardSharing.MAY_PASS_ON:
        errors["item"] = [
            f"{found.decision.agency.name} said the hub may pass this item on: no need to ask"
        ]
    problem = _check_recipient(recipient, [found])
    if problem:
        errors["recipient"] = [problem]
    elif recipient is not None:
        earlier = OnwardAsk.objects.filter(
            item=found,
            recipient=recipient,
            status__in=[OnwardAskStatus.ASKED, OnwardAskStatus.AGREED],
        ).first()
        if earlier is not None:
            errors["recipient"] = [
                f"{found.decision.agency.name} has already agreed to {recipient.name} having it"
                if earlier.status == OnwardAskStatus.AGREED
                else f"You have already asked {found.decision.agency.name} about "
                f"{recipient.name}: wait for its answer"
            ]
    reason, bad = _text(
        reason, "reason", "Enter why the hub needs to pass the information on", "The reason"
    )
    errors.update(bad)
    if errors:
        raise ValidationError(errors)
    if recipient is None:  # refused above
        raise _refuse("recipient", "Select the agency to pass the information on to")
    with transaction.atomic():
        ask = OnwardAsk.objects.create(
            item=found,
            recipient=recipient,
            reason=reason,
            asked_by=actor,
            asked_at=timezone.now(),
        )
        record(
            action=Action.ONWARD_ASKED,
            actor=actor,
            obj=ask,
            enquiry=enquiry,
            details={
                "item": str(found.pk),
                "giver": found.decision.agency.code,
                "recipient": recipient.code,
                "fields": ["reason"],
            },
        )
    return ask


def answer_ask(*, actor: Any, ask: OnwardAsk, agree: bool | None, reason: str) -> OnwardAsk:
    """The agency that gave the item agrees, or declines, with its reason. Only an
    agreement lets the hub pass the item to the agency asked about."""
    if not permissions.can_answer_onward_ask(actor, ask):
        raise PermissionError("only the agency that gave the item answers")
    errors: dict[str, list[str]] = {}
    if agree is None:
        errors["agree"] = ["Select whether you agree to the hub passing it on"]
    reason, bad = _text(reason, "answer_reason", "Enter the reason for your answer", "Your reason")
    errors.update(bad)
    if errors:
        raise ValidationError(errors)
    enquiry_id = ask.item.decision.request.enquiry_id
    with transaction.atomic():
        locked = OnwardAsk.objects.select_for_update().get(pk=ask.pk)
        if locked.status != OnwardAskStatus.ASKED:
            raise _refuse("agree", "This has already been answered")
        locked.status = OnwardAskStatus.AGREED if agree else OnwardAskStatus.DECLINED
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.answer_reason = reason
        locked.save(update_fields=["status", "answered_by", "answered_at", "answer_reason"])
        record(
            action=Action.ONWARD_AGREED if agree else Action.ONWARD_DECLINED,
            actor=actor,
            obj=locked,
            enquiry=enquiry_id,
            details={
                "item": str(locked.item_id),
                "recipient": ask.recipient.code,
                "fields": ["answer_reason"],
            },
        )
    for name in ("status", "answered_by", "answered_at", "answer_reason"):
        setattr(ask, name, getattr(locked, name))
    return ask
