"""Every hub page that shows personal data leaves an entry in the record naming who
looked, at what, and on which page; details never hold free text about a person."""

from __future__ import annotations

from typing import Any

import pytest

from mash.enquiries.models import Enquiry
from mash.records.models import RecordEntry


@pytest.mark.parametrize(
    ("page", "action"),
    [
        ("received", "enquiry.viewed"),
        ("source", "enquiry.viewed"),
        ("referrer", "enquiry.viewed"),
        ("concern", "enquiry.viewed"),
        ("danger", "enquiry.viewed"),
        ("people", "enquiry.viewed"),
        ("consent", "enquiry.viewed"),
        ("urgency", "enquiry.viewed"),
        ("check", "enquiry.viewed"),
        ("person", "person.viewed"),
        ("remove", "person.viewed"),
    ],
)
def test_each_intake_page_records_the_view(
    client_for: Any, draft: Enquiry, page: str, action: str
) -> None:
    person = draft.people.get()
    path = {
        "person": f"/enquiries/{draft.pk}/people/{person.pk}/change",
        "remove": f"/enquiries/{draft.pk}/people/{person.pk}/remove",
        "check": f"/enquiries/{draft.pk}/check",
        "people": f"/enquiries/{draft.pk}/people",
    }.get(page, f"/enquiries/{draft.pk}/{page}")
    client = client_for("hub_practitioner")  # signing in is recorded too: count after it
    before = RecordEntry.objects.count()
    assert client.get(path).status_code == 200
    entry = RecordEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert RecordEntry.objects.count() == before + 1
    assert entry.action == action
    assert entry.actor_username == "hana"
    assert entry.enquiry_id == draft.pk
    assert entry.details["page"] == page


@pytest.mark.parametrize("page", ["detail", "close"])
def test_the_enquiry_and_closing_pages_record_the_view(
    client_for: Any, enquiry: Enquiry, page: str
) -> None:
    path = f"/enquiries/{enquiry.pk}/" + ("" if page == "detail" else "close")
    client_for("hub_manager").get(path)
    entry = RecordEntry.objects.filter(action="enquiry.viewed").order_by("-seq").first()
    assert entry is not None
    assert entry.details["page"] == page
    assert entry.actor_role == "manager"


def test_a_refused_submit_still_records_what_was_shown(client_for: Any, draft: Enquiry) -> None:
    draft.people.all().delete()
    response = client_for("hub_practitioner").post(f"/enquiries/{draft.pk}/check")
    assert response.status_code == 400
    entry = RecordEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.action, entry.details) == ("enquiry.viewed", {"page": "check"})


def test_a_refused_page_records_no_view_only_the_refusal(client_for: Any, draft: Enquiry) -> None:
    client = client_for("police_practitioner")  # signing in is recorded too: count after it
    before = RecordEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    assert client.get(f"/enquiries/{draft.pk}/check").status_code == 404
    new = list(RecordEntry.objects.filter(seq__gt=before).values_list("action", flat=True))
    assert new == ["access.denied"]
