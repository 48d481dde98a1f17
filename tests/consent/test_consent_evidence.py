"""Evidence of consent: a PDF, PNG or JPEG told by its content, size-limited, stored
encrypted under a random name outside the web root, served only as an attachment to
those who may see the record. A bad upload names the field and leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mash.consent.models import ConsentRecord
from mash.records.models import RecordEntry

from .test_recording_consent import _form

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _stored_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _post(client: Any, child: Any, upload: SimpleUploadedFile) -> Any:
    return client.post(f"/consent/people/{child.pk}/record", {**_form(), "evidence": upload})


def test_it_stores_a_consent_form_encrypted_and_serves_it_as_an_attachment(
    client_for: Any, child: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("hub_practitioner")
    upload = SimpleUploadedFile("Consent form.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):  # made final on commit
        assert _post(client, child, upload).status_code == 302
    consent = ConsentRecord.objects.get(person=child)
    assert consent.evidence_content_type == "application/pdf"
    assert consent.evidence_size == len(PDF)
    [stored] = _stored_files(settings)
    assert stored.name == consent.evidence_name
    assert "Consent" not in stored.name
    assert PDF not in stored.read_bytes()
    assert stored.stat().st_mode & 0o077 == 0

    response = client.get(f"/consent/records/{consent.pk}/evidence")
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="consent-evidence-{consent.pk}.pdf"'
    )
    assert RecordEntry.objects.filter(
        action="consent.viewed", object_id=str(consent.pk), details__view="evidence"
    ).exists()


def test_the_type_comes_from_the_content_not_the_name(client_for: Any, child: Any) -> None:
    upload = SimpleUploadedFile("scan.pdf", PNG, content_type="application/pdf")
    assert _post(client_for("hub_practitioner"), child, upload).status_code == 302
    assert ConsentRecord.objects.get(person=child).evidence_content_type == "image/png"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"MZ\x90\x00 this is a program, not a form",
            "The consent form must be a PDF, PNG or JPEG",
        ),
        (b"<html><script>alert(1)</script></html>", "The consent form must be a PDF, PNG or JPEG"),
        (b"", "The selected consent form is empty"),
        (b"%PDF-" + b"x" * 2048, "The consent form must be smaller than 1 KB"),
    ],
    ids=["a program renamed to pdf", "a web page renamed to pdf", "an empty file", "too large"],
)
def test_a_bad_upload_names_the_field_and_leaves_nothing_behind(
    client_for: Any, child: Any, settings: Any, content: bytes, message: str
) -> None:
    settings.MASH_CONSENT_EVIDENCE_MAX_BYTES = 1024
    upload = SimpleUploadedFile("consent.pdf", content, content_type="application/pdf")
    response = _post(client_for("hub_practitioner"), child, upload)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#evidence"' in body
    assert message in body
    assert not ConsentRecord.objects.exists()
    assert not RecordEntry.objects.filter(action="consent.recorded").exists()
    assert _stored_files(settings) == []


def test_no_file_is_left_when_the_record_cannot_be_saved(
    cast: dict[str, Any], child: Any, settings: Any, monkeypatch: Any
) -> None:
    from mash.consent import services

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("the record is unavailable")

    monkeypatch.setattr(services, "record", broken)
    upload = SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf")
    with pytest.raises(RuntimeError):
        services.record_consent(
            actor=cast["hub_practitioner"],
            person=child,
            status="given",
            giver="parental_responsibility",
            giver_relationship="father",
            purpose="MASH enquiry",
            method="written",
            given_on=dt.date(2026, 1, 3),
            evidence=upload,
        )
    assert not ConsentRecord.objects.exists()
    assert _stored_files(settings) == []


def test_a_record_without_evidence_has_no_evidence_page(
    client_for: Any, child: Any, make_record: Any
) -> None:
    consent = make_record(child)
    assert (
        client_for("hub_practitioner").get(f"/consent/records/{consent.pk}/evidence").status_code
        == 404
    )


def test_evidence_is_not_served_to_someone_who_may_not_see_the_record(
    client_for: Any, child: Any, settings: Any
) -> None:
    upload = SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf")
    _post(client_for("hub_practitioner"), child, upload)
    consent = ConsentRecord.objects.get(person=child)
    for who in ("health_practitioner", "outsider", "police_practitioner"):
        assert client_for(who).get(f"/consent/records/{consent.pk}/evidence").status_code == 404


def test_evidence_is_sealed_with_the_enquirys_data_key(child: Any) -> None:
    from mash.consent import evidence
    from mash.keys.models import DataKey

    stored = evidence.store(
        evidence.Evidence(content=PDF, content_type="application/pdf", sha256=""),
        enquiry_id=child.enquiry_id,
    )
    assert DataKey.objects.filter(enquiry_id=child.enquiry_id).exists()
    assert PDF not in evidence.stored_path(stored).read_bytes()
    assert evidence.load(stored) == PDF


def test_a_stored_file_renamed_does_not_decrypt(child: Any) -> None:
    from mash.consent import evidence
    from mash.keys.crypto import DecryptionRefused

    name = evidence.store(
        evidence.Evidence(content=PDF, content_type="application/pdf", sha256=""),
        enquiry_id=child.enquiry_id,
    )
    moved = "0" * 40
    evidence.promote(name)
    (evidence.evidence_dir() / name).rename(evidence.evidence_dir() / moved)
    with pytest.raises(DecryptionRefused):
        evidence.load(moved)


def test_an_oversized_upload_is_never_read_past_the_limit(
    client_for: Any, child: Any, settings: Any, monkeypatch: Any
) -> None:
    from mash.consent import evidence

    settings.MASH_CONSENT_EVIDENCE_MAX_BYTES = 1024
    seen: list[int] = []
    original = evidence.SizeLimitedUpload.receive_data_chunk

    def spy(self: Any, raw_data: bytes, start: int) -> bytes:
        seen.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(evidence.SizeLimitedUpload, "receive_data_chunk", spy)
    upload = SimpleUploadedFile("consent.pdf", b"%PDF-" + b"x" * 300_000)
    response = _post(client_for("hub_practitioner"), child, upload)
    assert response.status_code == 400
    assert "The consent form must be smaller than 1 KB" in response.content.decode()
    assert len(seen) == 1  # the first chunk passed the limit; the rest was skipped
    assert not ConsentRecord.objects.exists()


def test_the_consent_forms_still_need_a_csrf_token(cast: dict[str, Any], child: Any) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["hub_practitioner"])
    assert client.post(f"/consent/people/{child.pk}/record", _form()).status_code == 403
    assert not ConsentRecord.objects.exists()
