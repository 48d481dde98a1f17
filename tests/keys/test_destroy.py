"""Crypto-shredding: destroying an enquiry's data key makes its narrative text and
consent evidence unreadable; pages say so instead of failing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mash.consent.models import ConsentRecord
from mash.enquiries.models import Enquiry, Person
from mash.keys import cache
from mash.keys.fields import DESTROYED_TEXT
from mash.keys.models import DataKey
from mash.keys.services import KeyDestroyed, destroy_enquiry_key
from mash.records.models import RecordEntry
from tests.consent.forms import pdf
from tests.consent.test_recording_consent import _form

from .helpers import open_enquiry

PDF = pdf("SHRED-EVIDENCE-MARKER")


def test_destroying_the_key_makes_the_text_unreadable(cast: dict[str, Any]) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern="SHRED-1 the concern")
    other = open_enquiry(cast["hub_practitioner"], concern="SHRED-1 another enquiry")
    assert destroy_enquiry_key(enquiry_id=enquiry.pk, actor=cast["dpo"]) is True
    cache.clear_cache()  # as in a fresh request or another process

    fresh = Enquiry.objects.get(pk=enquiry.pk)
    assert fresh.concern == DESTROYED_TEXT
    assert "SHRED" not in fresh.concern
    assert {p.address for p in Person.objects.filter(enquiry=enquiry)} == {DESTROYED_TEXT}
    assert Enquiry.objects.get(pk=other.pk).concern == "SHRED-1 another enquiry"

    row = DataKey.objects.get(enquiry_id=enquiry.pk)
    assert bytes(row.wrapped_key) == b"" and row.master_key_id == ""
    assert row.destroyed_at is not None and row.destroyed_by == cast["dpo"].pk
    entry = RecordEntry.objects.get(action="keys.destroyed")
    assert entry.enquiry_id == enquiry.pk
    assert entry.actor_user_id == cast["dpo"].pk


def test_destroying_twice_is_harmless(cast: dict[str, Any]) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern="SHRED-2")
    assert destroy_enquiry_key(enquiry_id=enquiry.pk, actor=None) is True
    assert destroy_enquiry_key(enquiry_id=enquiry.pk, actor=None) is False
    assert RecordEntry.objects.filter(action="keys.destroyed").count() == 1


def test_a_shredded_row_can_be_saved_again_but_nothing_new_is_written(
    cast: dict[str, Any],
) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern="SHRED-3")
    destroy_enquiry_key(enquiry_id=enquiry.pk, actor=None)
    fresh = Enquiry.objects.get(pk=enquiry.pk)
    assert fresh.concern == DESTROYED_TEXT
    fresh.save()  # other fields can still change; the shredded text stays as it was
    assert Enquiry.objects.get(pk=enquiry.pk).concern == DESTROYED_TEXT
    fresh.rag_rationale = "new text"
    with pytest.raises(KeyDestroyed):
        fresh.save()


def test_an_enquiry_with_no_key_yet_cannot_get_one_after_destruction(
    cast: dict[str, Any],
) -> None:
    import uuid

    enquiry_id = uuid.uuid4()
    assert destroy_enquiry_key(enquiry_id=enquiry_id, actor=None) is True
    from mash.keys.services import data_key_for_writing

    with pytest.raises(KeyDestroyed):
        data_key_for_writing(enquiry_id)


def test_pages_show_the_destroyed_marker_not_an_error(
    cast: dict[str, Any], client_for: Any
) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern="SHRED-4 page concern")
    destroy_enquiry_key(enquiry_id=enquiry.pk, actor=None)
    response = client_for("hub_practitioner").get(f"/enquiries/{enquiry.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Destroyed under retention" in body
    assert "SHRED-4" not in body


def test_consent_evidence_is_shredded_with_its_enquiry(
    cast: dict[str, Any], client_for: Any
) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], concern="SHRED-5")
    child = Person.objects.get(enquiry=enquiry, kind="child")
    client = client_for("hub_practitioner")
    upload = SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/consent/people/{child.pk}/record",
        {**_form(purpose="SHRED-5 consent purpose"), "evidence": upload},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    consent = ConsentRecord.objects.get(person=child)
    url = f"/consent/records/{consent.pk}/evidence"
    assert client.get(url).content == PDF
    destroy_enquiry_key(enquiry_id=enquiry.pk, actor=None)
    response = client.get(url)
    assert response.status_code == 410
    assert "destroyed under retention" in response.content.decode()
    assert b"SHRED-EVIDENCE-MARKER" not in response.content
    assert ConsentRecord.objects.get(pk=consent.pk).purpose == DESTROYED_TEXT


def test_request_and_decision_pages_still_open_after_shredding(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    from django.urls import reverse

    from tests.sharing.factories import make_request
    from tests.sharing.test_record_decision import _share

    enquiry = open_enquiry(cast["hub_practitioner"], concern="SHRED-6")
    request = make_request(
        cast=cast,
        agency=agencies["police"],
        enquiry=enquiry,
        people=list(Person.objects.filter(enquiry=enquiry)),
        purpose="SHRED-6 purpose",
    )
    decision = _share(request, cast["police_practitioner"])
    destroy_enquiry_key(enquiry_id=enquiry.pk, actor=None)
    for who, url in (
        ("police_practitioner", reverse("sharing:request", args=[request.pk])),
        ("police_practitioner", reverse("sharing:decision", args=[decision.pk])),
        ("hub_practitioner", reverse("sharing:decision", args=[decision.pk])),
        ("hub_practitioner", reverse("sharing:request", args=[request.pk])),
        ("police_practitioner", reverse("sharing:inbox")),
    ):
        response = client_for(who).get(url)
        assert response.status_code == 200, (who, url)
        assert "SHRED-6" not in response.content.decode()
