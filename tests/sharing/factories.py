"""Generated enquiries, people and requests for the sharing tests (Faker, fixed seed).

Enquiries are built through the model here while the enquiries services are written
in parallel; requests go through ``mash.sharing.services`` like the pages do.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone
from faker import Faker

from mash.enquiries.models import Enquiry, EnquiryStatus, Person
from mash.policy.informing import InformAnswer
from mash.sharing import services
from mash.sharing.models import InformationRequest

fake = Faker("en_GB")
Faker.seed(20261125)
_numbers = itertools.count(1)


def will_tell(days: int = 7) -> InformAnswer:
    """Everyone whose information is shared without consent will be told, by a date
    ``days`` from today (Guidance, How?: "Inform the individual")."""
    return InformAnswer("will_tell", tell_by=timezone.localdate() + dt.timedelta(days=days))


def told_today() -> InformAnswer:
    """Everyone whose information is shared without consent was told today."""
    return InformAnswer("told", told_on=timezone.localdate())


# A question that the guidance answers "share, without consent, significant harm".
SIGNIFICANT_HARM = {
    "purpose": {"legitimate": True, "description": "MASH enquiry"},
    "identifies_individual": True,
    "confidential": True,
    "sensitive": False,
    "consent": {"status": "refused"},
    "risk": {"significant_harm": True},
}
# A question the guidance answers "share, without consent, to fulfil a public function":
# an override of a refusal that is not urgent, so (with the hub's setting on) it waits
# for a manager's sign-off before the hub sees it (mash.policy.signoff).
PUBLIC_FUNCTION_OVERRIDE = {
    "purpose": {"legitimate": True, "description": "MASH enquiry"},
    "identifies_individual": True,
    "confidential": True,
    "sensitive": False,
    "consent": {"status": "refused"},
    "risk": {"significant_harm": False, "urgent": False},
    "other_basis": {"vital_interests": False, "public_function": True},
}
# A question the guidance answers "do not share" (no ground applies, all known).
NO_GROUND = {
    "purpose": {"legitimate": True},
    "identifies_individual": True,
    "confidential": True,
    "consent": {"status": "refused"},
    "risk": {"significant_harm": False, "urgent": False},
    "other_basis": {"vital_interests": False, "public_function": False},
}
# A question the guidance answers "share" on consent.
CONSENTED = {
    "purpose": {"legitimate": True},
    "identifies_individual": True,
    "confidential": True,
    "sensitive": False,
    "consent": {"status": "given", "agencies": None},
}


def make_enquiry(
    *, hub: Any, created_by: Any, status: str = EnquiryStatus.OPEN, rag: str = "amber"
) -> Enquiry:
    n = next(_numbers)
    return Enquiry.objects.create(
        reference=f"TEST-{n:05d}",
        hub=hub,
        status=status,
        received_at=timezone.now(),
        source="professional",
        referrer_name=fake.name(),
        concern=f"CONCERN-SECRET-{n}: {fake.sentence()}",
        rag=rag,
        created_by=created_by,
    )


def make_person(enquiry: Enquiry, *, kind: str = "child") -> Person:
    return Person.objects.create(
        enquiry=enquiry,
        kind=kind,
        first_name=fake.first_name(),
        last_name=fake.last_name(),
        date_of_birth=(
            fake.date_of_birth(minimum_age=1, maximum_age=16)
            if kind == "child"
            else fake.date_of_birth(minimum_age=20, maximum_age=60)
        ),
    )


def make_request(
    *,
    cast: dict[str, Any],
    agency: Any,
    enquiry: Enquiry | None = None,
    people: list[Person] | None = None,
    purpose: str = "To understand what is known about the child's home",
) -> InformationRequest:
    hub_user = cast["hub_practitioner"]
    if enquiry is None:
        enquiry = make_enquiry(hub=hub_user.agency, created_by=hub_user)
    if people is None:
        people = [make_person(enquiry), make_person(enquiry, kind="parent")]
    [req] = services.send_requests(
        actor=hub_user,
        enquiry=enquiry,
        agencies=[agency],
        people=people,
        purpose=purpose,
        deadline=timezone.now() + dt.timedelta(hours=24),
    )
    return req


def an_item(people: list[Any], **overrides: Any) -> services.ItemInput:
    values: dict[str, Any] = {
        "text": "Attended A&E with a bruised arm",
        "nature": "fact",
        "recorded_on": timezone.localdate() - dt.timedelta(days=3),
        "source": "A&E attendance record",
        "currency": "current",
        "people": people,
        "sensitive": False,
        "onward_sharing": "ask_first",
    }
    values.update(overrides)
    return services.ItemInput(**values)


def share_over_refusal(
    actor: Any,
    request: InformationRequest,
    *,
    text: str = "Two call-outs for domestic incidents",
    people: list[Any] | None = None,
    source: str = "Command and control log",
    justification: str = "The child is at risk of significant harm.",
    proportionality: str = "The risk to the child outweighs the refusal.",
    supersedes: Any = None,
    correction_reason: str = "",
    question: dict[str, Any] | None = None,
) -> Any:
    """``actor``'s decision to share one item (``text``) about ``people`` (by default
    everyone the request names) over a refusal of consent, to fulfil a public function
    (not urgent). With the hub's sign-off setting on (the default) it waits for a manager
    of the actor's agency (``services.sign_off``); ``supersedes`` makes it a correction
    of that decision. With ``question=SIGNIFICANT_HARM`` it is urgent: released at once,
    reviewed after (Guidance, Consent to Share Information: "If the need to share is
    urgent ... take immediate action and share the information without consent, but
    remember to record the reason")."""
    return services.record_decision(
        actor=actor,
        request=request,
        question=PUBLIC_FUNCTION_OVERRIDE if question is None else question,
        justification=justification,
        informed=will_tell(),
        adequacy_confirmed=True,
        proportionality=proportionality,
        items=[
            an_item(
                list(request.people.all()) if people is None else people,
                text=text,
                source=source,
                recorded_on=timezone.localdate(),
            )
        ],
        supersedes=supersedes,
        correction_reason=correction_reason,
    )
