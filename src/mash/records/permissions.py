"""Who may read the record, and how much of it. Default deny.

Guidance, Secure and Record: the record shows who has seen or changed a child's
information, so it is itself personal data about children and about staff. Two
roles read it:

- the hub's data protection officer (role ``dpo`` in the hub agency) answers for the
  whole hub (subject access requests, complaints, inspections): sees every entry;
- a manager of any agency (and a partner agency's own DPO) answers for their own
  staff: sees only entries made by users of their agency. They do not see what other
  agencies' staff did, even on the same enquiry (that is the hub DPO's to share), nor
  system entries or failed sign-ins by unknown people.

Everyone else (practitioners, administrators, people outside) gets 403: the record's
pages are not secret, what is in them is. The health of the chain (entry count, head
hash, verification and checkpoints) holds no personal data, so both roles see it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import RecordEntry

READER_ROLES = frozenset({"dpo", "manager"})


def can_read_record(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return getattr(user, "role", "") in READER_ROLES and getattr(user, "agency", None) is not None


def sees_whole_record(user: Any) -> bool:
    """The hub's DPO."""
    return can_read_record(user) and user.role == "dpo" and user.agency.is_hub


def visible_entries(
    user: Any, entries: QuerySet[RecordEntry] | None = None
) -> QuerySet[RecordEntry]:
    """The entries ``user`` may read, out of ``entries`` (default: all)."""
    entries = RecordEntry.objects.all() if entries is None else entries
    if sees_whole_record(user):
        return entries
    if can_read_record(user):
        return entries.filter(actor_agency=user.agency.code)
    return entries.none()


def visible_agency_codes(user: Any) -> list[str] | None:
    """The agencies whose users' entries ``user`` sees; None means all of them."""
    if sees_whole_record(user):
        return None
    if can_read_record(user):
        return [user.agency.code]
    return []
