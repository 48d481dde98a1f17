"""Who sees the performance report. Default deny: the hub's managers and its data
protection officer, for their own hub's requests only."""

from __future__ import annotations

from typing import Any

REPORT_ROLES = frozenset({"manager", "dpo"})


def can_view_performance(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    agency = getattr(user, "agency", None)
    return (
        agency is not None
        and agency.active
        and agency.is_hub
        and getattr(user, "role", "") in REPORT_ROLES
    )
