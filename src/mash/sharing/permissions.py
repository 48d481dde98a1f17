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

from django.db.models import Q, QuerySet

from mash.agencies.models import Role
from mash.enquiries.models import Enquiry, EnquiryStatus

from .models import AdviceRequest, AdviserKind, Decision, InformationRequest, Release

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


def can_offer_information(user: Any, concern: Any) -> bool:
    """The practitioners and managers of the partner agency that raised the concern
    (7 Golden Rules, "be proactive": share without waiting to be asked)."""
    agency = _agency(user)
    return (
        agency is not None
        and not agency.is_hub
        and user.role in _WORKING_ROLES
        and concern.agency_id == agency.pk
    )


def visible_requests(user: Any) -> QuerySet[InformationRequest]:
    """The requests a user may see: their agency's, or (hub staff) their hub's."""
    agency = _agency(user)
    none = InformationRequest.objects.none()
    if agency is None:
        return none
    if agency.is_hub:
        return InformationRequest.objects.filter(enquiry__hub=agency)
    # Drafts left out as an uncorrelated set (``NOT IN``, a hashed look-up of the few
    # drafts): as a join to every request's enquiry, counting the police's answered
    # requests looked each of them up in the enquiries (47 ms for a bounded count of
    # 10,000 at ten years' size).
    drafts = Enquiry.objects.filter(status=EnquiryStatus.DRAFT).values("pk")
    return InformationRequest.objects.filter(agency=agency).exclude(enquiry_id__in=drafts)


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


def can_answer_any_request(user: Any) -> bool:
    """A practitioner or manager of a partner agency (who answers its requests)."""
    agency = _agency(user)
    return agency is not None and not agency.is_hub and user.role in _WORKING_ROLES


def visible_decisions(user: Any) -> QuerySet[Decision]:
    """The deciding agency's users, and the hub staff of the enquiry's hub."""
    agency = _agency(user)
    none = Decision.objects.none()
    if agency is None:
        return none
    if agency.is_hub:
        # The hub sees a decision once it is released: one held for a manager's sign-off
        # (or returned) has not been disclosed to it.
        return Decision.objects.filter(request__enquiry__hub=agency, release=Release.RELEASED)
    return Decision.objects.filter(agency=agency, request__agency=agency)


def can_view_decision(user: Any, decision: Decision) -> bool:
    return visible_decisions(user).filter(pk=decision.pk).exists()


# --- Advice (Guidance, 7 Golden Rules, rule 3 "Seek Advice") -------------------------


def is_manager(user: Any) -> bool:
    return _agency(user) is not None and user.role == Role.MANAGER.value


def can_ask_advice(user: Any, request: InformationRequest) -> bool:
    """Whoever may answer the request may ask for advice on it."""
    return can_answer_request(user, request)


def adviser_agency(request: InformationRequest, kind: str) -> Any:
    """Whose managers answer: the asking agency's own, or the hub's safeguarding lead
    (a manager of the enquiry's hub)."""
    if kind == AdviserKind.HUB_LEAD:
        return request.enquiry.hub
    return request.agency


def questions_for(user: Any) -> QuerySet[AdviceRequest]:
    """The questions a manager may answer: those addressed to managers of their agency,
    or to them by name. Never their own questions; nobody else's."""
    if not is_manager(user):
        return AdviceRequest.objects.none()
    return (
        AdviceRequest.objects.filter(adviser_agency=user.agency)
        .filter(Q(addressed_to__isnull=True) | Q(addressed_to=user))
        .exclude(asked_by=user)
    )


def visible_advice(user: Any) -> QuerySet[AdviceRequest]:
    """Questions a user may read: those they asked, and those addressed to them."""
    if _agency(user) is None:
        return AdviceRequest.objects.none()
    mine = AdviceRequest.objects.filter(asked_by=user, agency=user.agency)
    return (mine | questions_for(user)).distinct()


def can_answer_advice(user: Any, advice: AdviceRequest) -> bool:
    return questions_for(user).filter(pk=advice.pk).exists()


# --- Sign-off of a share overriding a refusal of consent ------------------------------


def decisions_to_sign_off(user: Any) -> QuerySet[Decision]:
    """Decisions of the manager's own agency waiting for sign-off, or released before
    review and waiting for the review (``mash.policy.signoff``), except their own: the
    agency that owns the information answers for disclosing it, and a second person
    checks the override (four eyes)."""
    if not is_manager(user) or user.agency.is_hub:
        return Decision.objects.none()
    waiting = Q(release=Release.AWAITING_SIGNOFF) | Q(
        release=Release.RELEASED, review_due__isnull=False, signoff_at__isnull=True
    )
    return (
        Decision.objects.filter(
            waiting,
            agency=user.agency,
            request__agency=user.agency,
            superseded_by__isnull=True,
        )
        .exclude(decided_by=user)
        .exclude(request__enquiry__status=EnquiryStatus.CLOSED)
        .exclude(request__status="withdrawn")
    )


def can_sign_off(user: Any, decision: Decision) -> bool:
    return decisions_to_sign_off(user).filter(pk=decision.pk).exists()


# --- Onward sharing by the hub --------------------------------------------------------
# Guidance, How?: "Ensure you are giving the right information to the right person".
# The hub passes on (and asks to pass on) what agencies disclosed to it; the agency it
# passes to reads only what was passed to it; the agency that gave an item answers the
# hub's ask and sees where its items went (on its own decision record).


def can_pass_on(user: Any, enquiry: Enquiry) -> bool:
    """The enquiry's hub practitioners and managers, as for sending requests. Whether
    the enquiry is still open is the service's check."""
    return can_send_requests(user, enquiry)


def visible_onward_shares(user: Any) -> QuerySet[Any]:
    """Hub staff: their hub's onward shares. A partner agency: only the shares passed
    to it. Nobody else; never another agency's."""
    from .models import OnwardShare

    agency = _agency(user)
    if agency is None:
        return OnwardShare.objects.none()
    if agency.is_hub:
        return OnwardShare.objects.filter(enquiry__hub=agency)
    return OnwardShare.objects.filter(recipient=agency)


def received_onward_shares(user: Any) -> QuerySet[Any]:
    """What was passed on to the user's own (partner) agency: their "received" list."""
    from .models import OnwardShare

    agency = _agency(user)
    if agency is None or agency.is_hub:
        return OnwardShare.objects.none()
    return OnwardShare.objects.filter(recipient=agency)


def visible_onward_asks(user: Any) -> QuerySet[Any]:
    """The hub's asks about items the user's agency gave (its readers see them), never
    another agency's."""
    from .models import OnwardAsk

    agency = _agency(user)
    if agency is None or agency.is_hub:
        return OnwardAsk.objects.none()
    return OnwardAsk.objects.filter(item__decision__agency=agency)


def can_answer_onward_ask(user: Any, ask: Any) -> bool:
    """The practitioners and managers of the agency that gave the item."""
    agency = _agency(user)
    return (
        agency is not None
        and not agency.is_hub
        and user.role in _WORKING_ROLES
        and ask.item.decision.agency_id == agency.pk
    )
