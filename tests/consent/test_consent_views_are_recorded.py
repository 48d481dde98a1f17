"""Every consent page that shows personal data leaves a ``consent.viewed`` entry (the
FHIR download an ``export.downloaded`` one), naming ids only."""

from __future__ import annotations

from typing import Any

from mash.records.models import RecordEntry


def test_every_consent_page_records_who_saw_what(
    client_for: Any, child: Any, make_record: Any
) -> None:
    consent = make_record(child)
    client = client_for("hub_manager")
    pages = {
        f"/consent/people/{child.pk}/": ("consent.viewed", str(child.pk), "history"),
        f"/consent/people/{child.pk}/record": ("consent.viewed", str(child.pk), "record_form"),
        f"/consent/records/{consent.pk}/withdraw": (
            "consent.viewed",
            str(consent.pk),
            "withdraw_form",
        ),
    }
    for page, (action, object_id, view) in pages.items():
        before = RecordEntry.objects.count()
        assert client.get(page).status_code == 200
        entry = RecordEntry.objects.order_by("-seq").first()
        assert RecordEntry.objects.count() == before + 1
        assert entry is not None
        assert (entry.action, entry.object_id, entry.details["view"]) == (action, object_id, view)
        assert entry.actor_username == "harriet"
        assert entry.enquiry_id == child.enquiry_id


def test_a_page_refused_records_nothing(client_for: Any, child: Any) -> None:
    client_for("outsider").get(f"/consent/people/{child.pk}/")
    assert not RecordEntry.objects.filter(action="consent.viewed").exists()
