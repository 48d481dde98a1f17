"""``{% item_accuracy item %}``: on every page that shows a disclosure item, whether a
person disputes it (or challenged it and the item stands, with the reason) and its
corrected versions (the item as shared is kept above).

A page that shows many items loads what this tag shows for all of them at once first
(``mash.retention.selectors.prefetch_accuracy``: two queries, whatever the number of
items); the tag asks the database itself only for an item that was not.
"""

from __future__ import annotations

from typing import Any

from django import template

from mash.retention import permissions
from mash.retention.models import Dispute, DisputeStatus, ItemCorrection
from mash.retention.selectors import ACCURACY_ATTR

register = template.Library()


def _accuracy(item: Any) -> dict[str, Any]:
    loaded = item.__dict__.get(ACCURACY_ATTR)
    if loaded is not None:
        return dict(loaded)
    return {
        "disputed": Dispute.objects.filter(item=item, status=DisputeStatus.OPEN).exists(),
        # Challenges closed with the decision that the item stands, each with its reason.
        "stands": list(
            Dispute.objects.filter(item=item, status=DisputeStatus.STANDS).order_by("resolved_at")
        ),
        "corrections": list(ItemCorrection.objects.filter(item=item).order_by("-version")),
    }


@register.inclusion_tag("retention/_item_accuracy.html", takes_context=True)
def item_accuracy(context: Any, item: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"item": item, **_accuracy(item), "dpo": permissions.is_hub_dpo(user)}
