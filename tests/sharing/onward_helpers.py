"""A case for the onward sharing tests: an open enquiry whose police request is answered
with a released decision sharing two items about the child, one the hub may pass on
(``FREE``) and one it must ask the police about first (``ASK_FIRST``). Made through the
services, as the pages do. Also used by the access matrix and the browser test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import reverse

from mash.sharing import onward, services
from mash.sharing.models import Decision, DisclosureItem, OnwardAsk, OnwardShare, SharingSettings
from tests.sharing.factories import will_tell

from .factories import SIGNIFICANT_HARM, an_item, make_request

FREE = "Three call-outs to the address in January, the last on 28 January"
ASK_FIRST = "An informant says the partner of the mother is violent towards her"
PURPOSE = "The health visitor needs to know before the next home visit on Friday"


@dataclass
class Case:
    enquiry: Any
    request: Any
    decision: Decision
    free: DisclosureItem
    ask_first: DisclosureItem

    @property
    def child(self) -> Any:
        return self.free.people.get()


def released_share(
    actor: Any, request: Any, items: list[tuple[str, str]], *, people: list[Any] | None = None
) -> Decision:
    """``actor``'s decision to share ``items`` ((text, onward_sharing) pairs) over a
    refusal, on significant harm, released to the hub (the hub's sign-off is off)."""
    SharingSettings.objects.update_or_create(
        hub=request.enquiry.hub, defaults={"signoff_for_consent_overrides": False}
    )
    about = people if people is not None else list(request.people.filter(kind="child"))
    return services.record_decision(
        actor=actor,
        request=request,
        question=SIGNIFICANT_HARM,
        justification="The child is at risk of significant harm.",
        informed=will_tell(),
        adequacy_confirmed=True,
        proportionality="The risk to the child outweighs the refusal.",
        items=[
            an_item(about, text=text, onward_sharing=marking, source="Command and control log")
            for text, marking in items
        ],
    )


def make_case(cast: dict[str, Any], agencies: dict[str, Any]) -> Case:
    request = make_request(cast=cast, agency=agencies["police"])
    decision = released_share(
        cast["police_practitioner"],
        request,
        [(FREE, "may_pass_on"), (ASK_FIRST, "ask_first")],
    )
    free = decision.items.get(onward_sharing="may_pass_on")
    ask_first = decision.items.get(onward_sharing="ask_first")
    return Case(request.enquiry, request, decision, free, ask_first)


def pass_on_form(items: list[Any], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "items": [str(getattr(i, "pk", i)) for i in items],
        "recipient": "health",
        "purpose": PURPOSE,
        "article_6": "6(1)(e)",
        "article_9": "none",
    }
    data.update(overrides)
    return data


def post_pass_on(client: Client, case: Case, data: dict[str, Any]) -> Any:
    return client.post(reverse("sharing:onward-new", kwargs={"enquiry_id": case.enquiry.pk}), data)


def ask(hub_user: Any, case: Case, recipient: Any, reason: str = "The GP needs it") -> OnwardAsk:
    return onward.ask_to_pass_on(
        actor=hub_user,
        enquiry=case.enquiry,
        item=case.ask_first,
        recipient=recipient,
        reason=reason,
    )


def pass_free_item(hub_user: Any, case: Case, recipient: Any) -> OnwardShare:
    return onward.pass_on(
        actor=hub_user,
        enquiry=case.enquiry,
        items=[case.free],
        recipient=recipient,
        purpose=PURPOSE,
        article_6="6(1)(e)",
    )
