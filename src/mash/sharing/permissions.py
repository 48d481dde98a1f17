"""Who may see and do what with requests, decisions and disclosures. Default deny.

- A partner agency's users see the requests to their own agency, the part of the
  enquiry those requests need (the people asked about and the purpose), and their own
  agency's decisions and disclosures. Never another agency's. Its practitioners and
  managers answer the requests.
- Hub staff (users of the hub agency) see the requests, decisions and disclosures of
  their own hub's enquiries; its practitioners and managers send requests. Nobody in
  the hub answers on an agency's behalf.
- An agency's administrators look after its users, not its cases: they see no requests,
  decisions or disclosures (tests/access/matrix.py).
- Everyone else: nothing. An object a user may not see answers 404 as if it did not exist.

Guidance, Secure: "Information should be shared in the most secure way available";
Guidance, How?: "Ensure you are giving the right information to the right person".
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mash.agencies.models import Role
from mash.enquiries.models import Enquiry, EnquiryStatus

from .models import Decision, InformationRequest

# Roles that send and answer requests. Every role of an agency but its administrator may
# read its own.
_WORKING_ROLES = {Role.PRACTITIONER.value, Role.MANAGER.value}
_READING_ROLES = _WORKING_ROLES | {Role.DPO.value}


def _agency(user: Any) -> Any:
    """The user's agency if they are an active reader of cases in it, else ``None``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not getattr(user, "is_active", False):
        return None
    if getattr(user, "role", None) not in _READING_ROLES:
        return None
    agency = getattr(user, "agency", None)
    if agency is None or not agency.active:
        return None
    return agency


def is_hub_staff(user: Any) -> bool:
    agency = _agency(user)
    return agency is not None and agency.is_hub


def can_send_requests(user: Any, enquiry: Enquiry) -> bool:
    """Hub practitioners and managers of the enquiry's own hub."""
    agency = _agency(user)
    return (
        agency is not None
        and agency.is_hub
        and user.role in _WORKING_ROLES
        and enquiry.hub_id == agency.pk
    )


def visible_requests(user: Any) -> QuerySet[InformationRequest]:
    """The requests a user may see: their agency's, or (hub staff) their hub's."""
    agency = _agency(user)
    none = InformationRequest.objects.none()
    if agency is None:
        return none
    if agency.is_hub:
        return InformationRequest.objects.filter(enquiry__hub=agency)
    return InformationRequest.objects.filter(agency=agency).exclude(
        enquiry__status=EnquiryStatus.DRAFT
    )


def can_view_request(user: Any, request: InformationRequest) -> bool:
    return visible_requests(user).filter(pk=request.pk).exists()


def can_answer_request(user: Any, request: InformationRequest) -> bool:
    """Only the asked agency's own practitioners and managers answer its requests.
    Whether the request can still be answered (enquiry open) is the service's check."""
    agency = _agency(user)
    return (
        agency is not None
        and not agency.is_hub
        and user.role in _WORKING_ROLES
        and request.agency_id == agency.pk
    )


def visible_decisions(user: Any) -> QuerySet[Decision]:
    """The deciding agency's users, and the hub staff of the enquiry's hub."""
    agency = _agency(user)
    none = Decision.objects.none()
    if agency is None:
        return none
    if agency.is_hub:
        return Decision.objects.filter(request__enquiry__hub=agency)
    return Decision.objects.filter(agency=agency, request__agency=agency)


def can_view_decision(user: Any, decision: Decision) -> bool:
    return visible_decisions(user).filter(pk=decision.pk).exists()
