"""Who may use the person index. Default deny.

- Hub practitioners and managers see who is already known, confirm or reject a
  possible match, search the whole index and read a child's whole chronology.
- The hub's data protection officer reads (no confirming).
- Partner agency staff search only among the people named in requests sent to their
  agency; every other index page answers 404 for them, as the hub's pages do.
"""

from __future__ import annotations

from typing import Any

from mash.enquiries import permissions as enquiry_permissions


def is_hub_reader(user: Any) -> bool:
    return enquiry_permissions.can_use_hub_pages(user)


def is_hub_worker(user: Any) -> bool:
    return enquiry_permissions.can_record_enquiry(user)


def is_partner(user: Any) -> bool:
    """Active staff of an active partner agency (not the hub), in a case role."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    agency = getattr(user, "agency", None)
    if agency is None or agency.is_hub or not agency.active:
        return False
    return str(user.role) in {"practitioner", "manager", "dpo"}


def can_search(user: Any) -> bool:
    return is_hub_reader(user) or is_partner(user)
