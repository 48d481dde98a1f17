"""Reading what the retention app owns for other apps' pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .models import Dispute, DisputeStatus, ItemCorrection

# item.__dict__ key: {"disputed": bool, "stands": [Dispute], "corrections": [ItemCorrection]}
ACCURACY_ATTR = "_mash_accuracy"


def prefetch_accuracy(items: Iterable[Any]) -> list[Any]:
    """Load the disputes and corrections of these disclosure items in two queries,
    whatever their number, kept on each item for ``{% item_accuracy %}``. Returns the
    rows loaded (for the page's data keys, ``mash.keys.services.prefetch_keys_for``)."""
    by_id = {item.pk: item for item in items}
    if not by_id:
        return []
    found: dict[Any, dict[str, Any]] = {
        pk: {"disputed": False, "stands": [], "corrections": []} for pk in by_id
    }
    disputes = list(
        Dispute.objects.filter(
            item_id__in=list(by_id), status__in=[DisputeStatus.OPEN, DisputeStatus.STANDS]
        ).order_by("resolved_at", "pk")
    )
    for dispute in disputes:
        if dispute.status == DisputeStatus.OPEN:
            found[dispute.item_id]["disputed"] = True
        else:
            found[dispute.item_id]["stands"].append(dispute)
    corrections = list(
        ItemCorrection.objects.filter(item_id__in=list(by_id)).order_by("-version", "pk")
    )
    for correction in corrections:
        found[correction.item_id]["corrections"].append(correction)
    for pk, item in by_id.items():
        item.__dict__[ACCURACY_ATTR] = found[pk]
    return [*disputes, *corrections]
