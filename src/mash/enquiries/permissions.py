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

Restricted enquiries (a staff member's child, a high-profile family): a hub manager
names the users who may open the enquiry. Anyone else who could otherwise open it (hub
staff, and partner agency staff answering a request about it) meets a "restricted"
page and must break the glass, giving a reason, for time-limited access; the data
protection officer reviews every break. Lists show a restricted enquiry redacted
(reference only) to them. People who could not open the enquiry anyway still get 404:
they never learn that it is restricted, or that it exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from mash.agencies.models import Role

from .models import Enquiry, EnquiryStatus, GlassBreak, Restriction

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


# ---------------------------------------------------------------------------------------
# Restricted enquiries and breaking the glass


class EnquiryRestricted(PermissionDenied):
    """Raised by any app when a user who may otherwise open an enquiry (or a request
    about it) is not named on its restriction and has not broken the glass. The 403
    handler (``mash.views.forbidden``) answers with the "restricted" page."""

    def __init__(self, enquiry: Enquiry) -> None:
        super().__init__("This enquiry is restricted")
        self.enquiry = enquiry


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_restricted(enquiry: Enquiry) -> bool:
    return Restriction.objects.filter(enquiry_id=enquiry.pk).exists()


def is_named(user: Any, enquiry: Enquiry) -> bool:
    """Named on the enquiry's restriction."""
    return _active(user) and Restriction.objects.filter(enquiry_id=enquiry.pk, users=user).exists()


def has_broken_glass(user: Any, enquiry: Enquiry) -> bool:
    """Broke the glass on this enquiry and the access has not yet expired."""
    return (
        _active(user)
        and GlassBreak.objects.filter(
            enquiry_id=enquiry.pk, user_id=user.pk, expires_at__gt=timezone.now()
        ).exists()
    )


def restriction_allows(user: Any, enquiry: Enquiry) -> bool:
    """Whether the restriction (if any) lets the user in: named, or glass broken."""
    if not is_restricted(enquiry):
        return True
    return is_named(user, enquiry) or has_broken_glass(user, enquiry)


def check_restriction(user: Any, enquiry: Enquiry) -> None:
    """Call after the app's own permission check passed: raises ``EnquiryRestricted``
    if the enquiry is restricted and the user is neither named nor has broken the glass."""
    if not restriction_allows(user, enquiry):
        raise EnquiryRestricted(enquiry)


def redacted_for(user: Any) -> Q:
    """A filter on ``Enquiry`` matching the restricted enquiries ``user`` sees only
    redacted in lists (reference only): restricted, not named, no live glass break."""
    if not _active(user):
        return Q(pk__isnull=False)
    live = GlassBreak.objects.filter(user_id=user.pk, expires_at__gt=timezone.now()).values(
        "enquiry_id"
    )
    named = Restriction.objects.filter(users=user).values("enquiry_id")
    restricted = Restriction.objects.values("enquiry_id")
    return Q(pk__in=restricted) & ~Q(pk__in=named) & ~Q(pk__in=live)


def restricted_for(user: Any, enquiry_ids: Iterable[Any]) -> set[Any]:
    """Of these enquiries, the ones whose restriction keeps ``user`` out (not named, no
    live break of the glass; everyone, for no user at all), in one query. Every path that
    reaches several enquiries' data at once (lists, the subject access search and
    export) asks this; a path to one enquiry calls ``check_restriction``. Both apply
    ``redacted_for``, the one rule."""
    ids = list(enquiry_ids)
    if not ids:
        return set()
    restricted = Restriction.objects.values("enquiry_id")
    return set(
        Enquiry.objects.filter(redacted_for(user), pk__in=restricted)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )


def can_reach(user: Any, enquiry: Enquiry) -> bool:
    """Whether the user could open the enquiry, or a request about it, were it not
    restricted: its hub's staff, partner staff with a request about it, and partner
    staff the hub passed information from it on to."""
    if can_view_enquiry(user, enquiry):
        return True
    from mash.sharing.permissions import received_onward_shares, visible_requests

    return (
        visible_requests(user).filter(enquiry_id=enquiry.pk).exists()
        or received_onward_shares(user).filter(enquiry_id=enquiry.pk).exists()
    )


def can_break_glass(user: Any, enquiry: Enquiry) -> bool:
    return can_reach(user, enquiry) and not is_named(user, enquiry)


def can_restrict(user: Any, enquiry: Enquiry) -> bool:
    """Restrict the enquiry, change who is named, or lift the restriction: a manager of
    the enquiry's hub whom the restriction (if any) lets in."""
    return (
        _hub_role(user) == Role.MANAGER
        and enquiry.hub_id == user.agency_id
        and restriction_allows(user, enquiry)
    )


def can_review_glass_breaks(user: Any) -> bool:
    """The hub's data protection officer reviews the breaks on the hub's enquiries."""
    return _hub_role(user) == Role.DPO


def reviewable_glass_breaks(user: Any) -> QuerySet[GlassBreak]:
    if not can_review_glass_breaks(user):
        return GlassBreak.objects.none()
    return GlassBreak.objects.filter(enquiry__hub_id=user.agency_id)


# ---------------------------------------------------------------------------------------
# Allocation: who owns an enquiry (``mash.enquiries.allocation``)


def can_own_enquiry(user: Any, enquiry: Enquiry) -> bool:
    """Whether ``user`` may be made the enquiry's owner: an active practitioner or
    manager of its hub whom the restriction (if any) names. Owning means working the
    case, so a user who would have to break the glass to open it cannot be given it."""
    return can_change_enquiry(user, enquiry) and (
        not is_restricted(enquiry) or is_named(user, enquiry)
    )


def can_take_enquiry(user: Any, enquiry: Enquiry) -> bool:
    """Take an open enquiry from the team queue: any hub practitioner or manager who may
    own it. (An owned enquiry is reassigned, not taken.)"""
    return (
        enquiry.status == EnquiryStatus.OPEN
        and enquiry.owner_id is None
        and can_own_enquiry(user, enquiry)
    )


def can_allocate_enquiry(user: Any, enquiry: Enquiry) -> bool:
    """Assign an open enquiry from the queue, or reassign it: a manager of its hub; and
    its owner, who may hand their own work to a colleague or back to the queue."""
    if enquiry.status != EnquiryStatus.OPEN or not can_change_enquiry(user, enquiry):
        return False
    if not restriction_allows(user, enquiry):
        return False
    return _hub_role(user) == Role.MANAGER or (
        enquiry.owner_id is not None and enquiry.owner_id == user.pk
    )


def can_see_my_work(user: Any) -> bool:
    """The "My work" page: the hub's staff (the data protection officer's work is the
    reviews waiting for them)."""
    return _hub_role(user) in _VIEWERS


def can_authorise_threshold(user: Any, decision: Any) -> bool:
    """Authorise or send back a threshold decision: a manager of the enquiry's hub whom
    its restriction lets in, and not the person who made the decision (four eyes)."""
    enquiry = decision.enquiry
    return (
        _hub_role(user) == Role.MANAGER
        and enquiry.hub_id == user.agency_id
        and decision.decided_by_id != user.pk
        and restriction_allows(user, enquiry)
    )


def can_send_feedback(user: Any, enquiry: Enquiry) -> bool:
    """Tell the referrer the outcome of an authorised threshold decision: a practitioner
    or manager of the enquiry's hub whom its restriction (if any) lets in. Allowed on
    the closed enquiry: feedback follows the authorisation that closes it."""
    return can_change_enquiry(user, enquiry) and restriction_allows(user, enquiry)


# ---------------------------------------------------------------------------------------
# Partners raise concerns (``mash.enquiries.concerns``)


def _partner_role(user: Any) -> str | None:
    """The user's role if they are active staff of an active partner agency (not the hub)."""
    if not _active(user):
        return None
    agency = getattr(user, "agency", None)
    if agency is None or agency.is_hub or not agency.active:
        return None
    return str(user.role)


def can_raise_concern(user: Any) -> bool:
    """Raise a concern about a child with the hub: a partner agency's practitioner or
    manager. (The hub's own staff record contacts through the intake.)"""
    return _partner_role(user) in _CHANGERS


def visible_concerns(user: Any) -> QuerySet[Any]:
    """The concerns the user's agency raised: its practitioners and managers see them
    all (a school's safeguarding lead follows up a colleague's), nobody else any."""
    from .models import Concern

    if not can_raise_concern(user):
        return Concern.objects.none()
    # A concern whose enquiry the hub restricted (a staff member's child, say: perhaps
    # one of this agency's own) is seen only by whoever raised it and anyone named on
    # the restriction; the rest of the agency no longer sees it at all.
    from django.db.models import Exists, OuterRef, Q

    from .models import Restriction

    restricted = Restriction.objects.filter(enquiry_id=OuterRef("enquiry_id"))
    named = restricted.filter(users=user)
    return Concern.objects.filter(agency_id=user.agency_id).filter(
        ~Exists(restricted) | Q(raised_by=user) | Exists(named)
    )


# ---------------------------------------------------------------------------------------
# The strategy discussion (``mash.enquiries.strategy``)


def can_record_strategy(user: Any, enquiry: Enquiry) -> bool:
    """Record the strategy discussion: the hub's practitioners and managers whom the
    restriction (if any) lets in; on the closed enquiry (it follows the authorisation)."""
    return can_change_enquiry(user, enquiry) and restriction_allows(user, enquiry)


def attended_discussions(user: Any) -> QuerySet[Any]:
    """The strategy discussions a partner agency attended, for its practitioners and
    managers (each sees the agency's part only; the hub reads them on the enquiry)."""
    from .models import StrategyDiscussion

    if not can_raise_concern(user):
        return StrategyDiscussion.objects.none()
    return StrategyDiscussion.objects.filter(attendances__agency_id=user.agency_id)


def can_complete_action(user: Any, action: Any) -> bool:
    """Mark a strategy discussion's action done: its owner, while still active staff."""
    return _active(user) and action.owner_id == user.pk and action.done_at is None
