"""The printed-record renderer: page furniture, escaping, and no fetching."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from mash.lib.pdf import render_pdf


@pytest.fixture
def template(tmp_path, settings):
    (tmp_path / "pdf_test.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}'
        '<p>{{ body }}</p>{% if image %}<img src="{{ image }}" alt="">{% endif %}'
        "{% endblock %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], str(tmp_path)]}
    ]
    return "pdf_test.html"


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_printed_record_carries_the_hub_the_version_the_hash_and_the_date(template):
    pdf = render_pdf(
        template,
        {"body": "Chronology of the child"},
        title="Decision record",
        hub_name="Riverside MASH",
        guidance_version="herefordshire-4",
        record_hash="ab12" * 16,
    )
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    assert "Decision record" in text
    assert "Chronology of the child" in text
    assert "Riverside MASH" in text
    assert "herefordshire-4" in text
    assert "ab12ab12" in text
    assert "Printed" in text


def test_what_a_user_typed_is_text_not_markup(template):
    pdf = render_pdf(
        template,
        {"body": "<b>bold</b> & </p><h1>injected</h1>"},
        title="T",
        hub_name="Hub <script>",
    )
    text = text_of(pdf)
    assert "<b>bold</b>" in text
    assert "Hub <script>" in text


def test_nothing_outside_the_page_is_fetched(template, monkeypatch):
    asked: list[object] = []
    import urllib.request

    def spy(self, url, *args, **kwargs):
        asked.append(url)
        raise OSError("fetched")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", spy)
    pdf = render_pdf(
        template,
        {"body": "x", "image": "http://169.254.169.254/latest/meta-data"},
        title="T",
        hub_name="Hub",
    )
    assert pdf.startswith(b"%PDF-")
    assert asked == []
    # and a file on the server is not read either
    pdf = render_pdf(
        template, {"body": "x", "image": "file:///etc/passwd"}, title="T", hub_name="H"
    )
    assert asked == []
