"""Walking the DPO's subject access pages as the DPO does: the chosen records are
prepared for review, each proposed redaction is decided, and the export downloaded."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from typing import Any

from django.utils import timezone
from faker import Faker

from mash.enquiries.models import Enquiry, Person
from mash.retention.models import RedactionProposal, SubjectAccessReview
from mash.sharing.models import Decision, DisclosureItem, InformationRequest

REVIEW_URL = re.compile(r"^/retention/subject-access/reviews/([0-9a-f-]{36})$")


def prepare(client: Any, people: list[Any]) -> SubjectAccessReview:
    """Post the chosen records from the results page: the hub prepares the review."""
    response = client.post(
        "/retention/subject-access/results", {"person": [str(p.pk) for p in people]}
    )
    assert response.status_code == 302, response.status_code
    found = REVIEW_URL.match(response["Location"])
    assert found, response["Location"]
    return SubjectAccessReview.objects.get(pk=found.group(1))


def decide_all(client: Any, review: SubjectAccessReview, decision: str) -> Any:
    """Post the same decision for every proposal, as the radios would."""
    data = {f"decision-{p.pk}": decision for p in review.proposals.all()}
    response = client.post(
        f"/retention/subject-access/reviews/{review.pk}", {**data, "action": "save"}
    )
    assert response.status_code == 302, response.status_code
    return response


def download(client: Any, review: SubjectAccessReview) -> tuple[Any, dict[str, Any], str]:
    response = client.post(f"/retention/subject-access/reviews/{review.pk}/export")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["subject-access.html", "subject-access.json"]
    data = json.loads(archive.read("subject-access.json"))
    return response, data, archive.read("subject-access.html").decode()


def proposals(review: SubjectAccessReview) -> list[RedactionProposal]:
    return list(RedactionProposal.objects.filter(review=review).order_by("position"))


def make_case(cast: dict[str, Any], agencies: dict[str, Any]) -> dict[str, Any]:
    """A child (generated names) in an enquiry with her mother, referred by a neighbour
    who is named in the concern with the mother; the police share a fact naming the
    mother; health share a class teacher's opinion (the teacher named as its source)
    that names the teacher and the mother."""
    fake = Faker("en_GB")
    fake.seed_instance(16)
    family = fake.last_name()
    child = (fake.first_name_female(), family)
    mother = (fake.first_name_female(), family)
    referrer = (fake.first_name(), fake.last_name())
    teacher = (fake.first_name(), fake.last_name())
    hub = agencies["hub"]
    practitioner = cast["hub_practitioner"]
    enquiry = Enquiry.objects.create(
        reference="MASH-RED-1",
        hub=hub,
        status="open",
        referrer_name=f"Mrs {referrer[0]} {referrer[1]}",
        referrer_contact="07700 900123",
        concern=(
            f"{referrer[0]} {referrer[1]} heard {mother[0]} {mother[1]} shouting at "
            f"{child[0]} late at night. {mother[0]} later told {referrer[0]} it was nothing."
        ),
        created_by=practitioner,
    )
    subject = Person.objects.create(
        enquiry=enquiry,
        kind="child",
        first_name=child[0],
        last_name=child[1],
        date_of_birth=dt.date(2015, 6, 1),
    )
    parent = Person.objects.create(
        enquiry=enquiry, kind="parent", first_name=mother[0], last_name=mother[1]
    )

    def share(agency: Any, who: Any, text: str, nature: str, source: str) -> DisclosureItem:
        request = InformationRequest.objects.create(
            enquiry=enquiry,
            agency=agency,
            purpose="What is known about the child's home",
            deadline=timezone.now(),
            created_by=practitioner,
        )
        request.people.set([subject])
        decision = Decision.objects.create(
            request=request,
            agency=agency,
            decided_by=who,
            decided_at=timezone.now(),
            guidance_version="2026-01",
            question={},
            outcome="share",
            justification="Significant harm is suspected.",
        )
        item = DisclosureItem.objects.create(
            decision=decision,
            text=text,
            nature=nature,
            recorded_on=dt.date(2026, 3, 1),
            source=source,
            currency="current",
        )
        item.people.set([subject])
        return item

    police = share(
        agencies["police"],
        cast["police_practitioner"],
        f"Officers attended after a call about {mother[0]} {mother[1]}.",
        "fact",
        "Police incident log",
    )
    health = share(
        agencies["health"],
        cast["health_practitioner"],
        f"{teacher[0]} thinks {child[0]} is withdrawn since {mother[0]} moved out.",
        "opinion",
        f"Mr {teacher[0]} {teacher[1]}, class teacher",
    )
    return {
        "enquiry": enquiry,
        "subject": subject,
        "parent": parent,
        "child": child,
        "mother": mother,
        "referrer": referrer,
        "teacher": teacher,
        "police": police,
        "health": health,
    }
