"""Printable records: a Django template rendered to PDF with WeasyPrint (ADR 0007).

Every printed page carries the hub's name, the guidance version, the date printed and,
where the caller gives one, the hash of the record entry that says what was printed, so a
paper copy can be checked against the record. The renderer never fetches anything: the
only URLs it may read are ``data:`` URLs (no network, no files), so a name typed into a
form cannot make the server fetch a page. Callers record the print themselves, with
``mash.records.record``, in the same transaction as any write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

PDF_CONTENT_TYPE = "application/pdf"


def render_pdf(
    template: str,
    context: Mapping[str, Any],
    *,
    title: str,
    hub_name: str,
    guidance_version: str = "",
    record_hash: str = "",
    printed_at: dt.datetime | None = None,
) -> bytes:
    """The PDF of ``template`` (which should extend ``pdf/base.html``), with the page
    furniture every printed record carries."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    printed = timezone.localtime(printed_at or timezone.now())
    html = render_to_string(
        template,
        {
            **context,
            "pdf_title": title,
            "pdf_hub_name": hub_name,
            "pdf_guidance_version": guidance_version,
            "pdf_record_hash": record_hash,
            "pdf_printed_at": printed,
        },
    )
    # Only data: URLs: no network, no files (a URL typed into a form fetches nothing).
    fetcher = URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)
    document = HTML(string=html, url_fetcher=fetcher, base_url="data:,")
    return bytes(document.write_pdf())
