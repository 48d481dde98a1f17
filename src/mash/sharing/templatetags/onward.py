"""``{% onward_section enquiry %}``: on the hub's enquiry page, what the hub passed on
(to whom, why, on what basis, when, by whom), its asks to agencies that said "ask the
agency first" with their answers (a decline with its reason), and the way to pass
information on. The enquiry page records the view of the enquiry and its disclosures."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from mash.enquiries.models import EnquiryStatus
from mash.sharing import onward, permissions

register = template.Library()


@register.inclusion_tag("sharing/includes/onward_hub.html", takes_context=True)
def onward_section(context: Any, enquiry: Any, current: Any = None) -> dict[str, Any]:
    """``current``: the enquiry's current decisions with their items, where the page has
    them already (the enquiry page's ``answers.decisions``); otherwise asked for."""
    request = context.get("request")
    user = getattr(request, "user", None)
    shares = list(onward.shares_of_enquiry(enquiry))
    items = list(onward.passable_items(enquiry)) if current is None else onward.passable_of(current)
    asks = list(
        onward.asks_about(items).select_related("item__decision__agency")
    )  # on current items
    can_pass = (
        permissions.can_pass_on(user, enquiry)
        and enquiry.status == EnquiryStatus.OPEN
        and bool(items)
    )
    return {
        "shares": [
            {"share": s, "basis": onward.GivenOnward(share=s, items=[]).basis} for s in shares
        ],
        "asks": asks,
        "pass_on_url": (
            reverse("sharing:onward-new", kwargs={"enquiry_id": enquiry.pk}) if can_pass else ""
        ),
    }
