"""Consent records go only with their person (retention), and take their evidence file
with them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from mash.consent.models import ConsentRecord

from .test_consent_evidence import PDF
from .test_recording_consent import _form
from .test_withdrawing_consent import _withdrawal


def test_deleting_a_person_removes_their_consent_and_its_evidence(
    client_for: Any, child: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("hub_practitioner")
    upload = SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf")
    client.post(f"/consent/people/{child.pk}/record", {**_form(), "evidence": upload})
    given = ConsentRecord.objects.get()
    client.post(f"/consent/records/{given.pk}/withdraw", _withdrawal())
    from mash.consent import evidence

    stored = evidence.stored_path(given.evidence_name)
    assert stored.exists() and stored.parent == Path(settings.MEDIA_ROOT) / "consent"

    with django_capture_on_commit_callbacks(execute=True):
        child.delete()

    assert not ConsentRecord.objects.exists()
    assert not stored.exists()


def test_evidence_that_no_longer_decrypts_is_not_found(
    client_for: Any, child: Any, settings: Any, monkeypatch: Any
) -> None:
    client = client_for("hub_practitioner")
    upload = SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf")
    client.post(f"/consent/people/{child.pk}/record", {**_form(), "evidence": upload})
    consent = ConsentRecord.objects.get()
    from mash.consent import evidence

    stored = evidence.stored_path(consent.evidence_name)
    altered = bytearray(stored.read_bytes())
    altered[-1] ^= 1  # one bit of the ciphertext changed: it no longer decrypts
    stored.write_bytes(bytes(altered))
    assert client.get(f"/consent/records/{consent.pk}/evidence").status_code == 404
