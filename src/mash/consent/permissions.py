"""Who may see and record consent. Default deny: anything not allowed here is refused,
and the views answer 404 so a refusal looks exactly like a missing page.

- Hub staff (practitioners, managers and the DPO of the hub agency; not its
  administrators, who look after users, not cases) of the person's enquiry's hub may view a
  person's whole consent history, its evidence and exports, and record consent.
- A partner agency's user (not an administrator) may, while a request to their agency
  naming the person is open, view the person's consent position for the hub and for
  their agency, the records that cover either (or that their agency recorded), and
  record consent: partners often obtain consent themselves (Guidance, Consent to Share
  Information: "Agencies should be advised where possible to obtain consent before
  referring a case").
- Nobody else may do anything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from mash.enquiries.models import Person
from mash.sharing.models import InformationRequest, RequestStatus

from .models import ConsentRecord

# The roles that work on or oversee cases; an administrator looks after users only.
_CASE_ROLES = frozenset({"practitioner", "manager", "dpo"})


def _agency(user: Any) -> Any:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not getattr(user, "is_active", False):
        return None
    if getattr(user, "role", None) not in _CASE_ROLES:
        return None
    return getattr(user, "agency", None)


def is_hub_staff_for(user: Any, person: Person) -> bool:
    agency = _agency(user)
    return bool(agency is not None and agency.is_hub and person.enquiry.hub_id == agency.pk)


def has_open_request_for(user: Any, person: Person) -> bool:
    agency = _agency(user)
    if agency is None or agency.is_hub:
        return False
    return InformationRequest.objects.filter(
        agency=agency, status=RequestStatus.OPEN, people=person
    ).exists()


def can_view_consent(user: Any, person: Person) -> bool:
    """May see the person's consent position (and the records listed by
    ``visible_records``)."""
    return is_hub_staff_for(user, person) or has_open_request_for(user, person)


def can_record_consent(user: Any, person: Person) -> bool:
    """May record consent given, refused or withdrawn for the person."""
    return can_view_consent(user, person)


def visible_records(user: Any, person: Person) -> QuerySet[ConsentRecord]:
    """The person's records this user may see (none if they may not see the person)."""
    records = ConsentRecord.objects.filter(person=person)
    if is_hub_staff_for(user, person):
        return records
    if has_open_request_for(user, person):
        agency = _agency(user)
        return records.filter(
            Q(all_agencies=True)
            | Q(agencies=agency)
            | Q(agencies=person.enquiry.hub_id)
            | Q(recorded_by_agency=agency)
        ).distinct()
    return records.none()


def can_view_record(user: Any, consent: ConsentRecord) -> bool:
    """May see this record, its evidence and its FHIR export."""
    return visible_records(user, consent.person).filter(pk=consent.pk).exists()


def can_withdraw(user: Any, consent: ConsentRecord) -> bool:
    return can_record_consent(user, consent.person) and can_view_record(user, consent)
