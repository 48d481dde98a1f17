"""Who may see and change the hub's enquiries. Default deny.

- Hub staff (practitioners and managers of the agency with ``is_hub``) see and change
  their hub's enquiries, record new ones, and close them.
- The hub's data protection officer sees them (read only).
- Partner agency staff never reach the hub's enquiry pages: they see only the requests
  sent to their agency (the sharing app), and every hub page answers 404 for them, as
  if it did not exist. Guidance, Principles: "Only information that is relevant to the
  purposes should be shared with those who need it."
- Anyone else (no agency, an administrator without a hub role, an inactive user) is
  refused.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mash.agencies.models import Role

from .models import Enquiry, EnquiryStatus

_CHANGERS = frozenset({Role.PRACTITIONER, Role.MANAGER})
_VIEWERS = _CHANGERS | {Role.DPO}


def _hub_role(user: Any) -> str | None:
    """The user's role if they are active staff of a hub, else ``None``."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    agency = getattr(user, "agency", None)
    if agency is None or not agency.is_hub or not agency.active:
        return None
    return str(user.role)


def can_use_hub_pages(user: Any) -> bool:
    """Whether the user may open the hub's enquiry pages at all (the list)."""
    return _hub_role(user) in _VIEWERS


def can_record_enquiry(user: Any) -> bool:
    """Start a new enquiry (the intake)."""
    return _hub_role(user) in _CHANGERS


def can_view_enquiry(user: Any, enquiry: Enquiry) -> bool:
    return _hub_role(user) in _VIEWERS and enquiry.hub_id == user.agency_id


def can_change_enquiry(user: Any, enquiry: Enquiry) -> bool:
    """Answer the intake questions, add people, submit. Whether the enquiry's state
    allows the change is the service's rule (a closed enquiry refuses every change)."""
    return _hub_role(user) in _CHANGERS and enquiry.hub_id == user.agency_id


def can_close_enquiry(user: Any, enquiry: Enquiry) -> bool:
    """Record the hub's outcome and close. Practitioners and managers both may."""
    return can_change_enquiry(user, enquiry)


def visible_enquiries(user: Any) -> QuerySet[Enquiry]:
    """The enquiries the user may see. Another user's drafts are not listed (they are
    still work in progress) but a colleague may open one by its link to finish it."""
    if _hub_role(user) not in _VIEWERS:
        return Enquiry.objects.none()
    return Enquiry.objects.filter(hub_id=user.agency_id)


def listed_enquiries(user: Any) -> QuerySet[Enquiry]:
    """What the list shows: submitted enquiries, and the user's own drafts."""
    return visible_enquiries(user).exclude(status=EnquiryStatus.DRAFT)
