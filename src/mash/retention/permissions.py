"""Who may see and use retention: the hub's data protection officer. Default deny.

Retention schedules are set in the admin (administrators); the preview of what will
be destroyed, holds, the approval of sweep batches (where the hub's settings ask for
it) and subject access requests are the hub's DPO's (UK GDPR
Articles 15 to 17 and 37 to 39: the DPO answers for the hub's personal data).
"""

from __future__ import annotations

from typing import Any


def is_hub_dpo(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    agency = getattr(user, "agency", None)
    return getattr(user, "role", "") == "dpo" and agency is not None and agency.is_hub


can_preview = is_hub_dpo
can_place_hold = is_hub_dpo
can_release_hold = is_hub_dpo
can_export_subject_access = is_hub_dpo
can_see_batches = is_hub_dpo


def can_decide_batch(user: Any, batch: Any) -> bool:
    """Approve or reject a sweep batch: the DPO of the batch's own hub."""
    return is_hub_dpo(user) and getattr(batch, "hub_id", None) == user.agency_id
