"""The reports in a real browser (Debian's Chromium): the dashboard with JavaScript and
without, axe-clean; each table's CSV and XLSX downloaded and opened with csv and
openpyxl (the figures the page shows); a decision record printed as PDF from the list
behind a figure, its text extracted with pypdf (and its first page drawn as an image
with pdftoppm where installed, to look at)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import Page
from pypdf import PdfReader

from tests.conftest import PASSWORD
from tests.reports.world import QUERY, make

from .helpers import SCREENSHOTS, assert_accessible, screenshot, sign_in

DASHBOARD = "/reports/?" + "&".join(f"{k}={v}" for k, v in QUERY.items()) + "&agency="


def _download(page: Page, link: Any) -> bytes:
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    return Path(path).read_bytes()


def test_the_dashboard_its_exports_and_a_printed_record(
    journey_page: Page, javascript: bool, cast: Any, agencies: Any
) -> None:
    world = make(cast, agencies)
    page = journey_page
    sign_in(page, "harriet", PASSWORD)
    page.goto(DASHBOARD)
    assert page.locator("h1").inner_text() == "The hub's dashboard"
    # Each chart is an image named by its title, with its table beside it.
    chart = page.get_by_role("img", name="Contacts by rating (RAG)")
    assert chart.count() == 1
    rag = page.locator("#table-rag-mix tbody tr")
    assert rag.nth(0).inner_text().split("\t")[:2] == ["Red", "1"]
    assert "15.0" in page.locator("#table-threshold-timing").inner_text()
    assert_accessible(page)
    if javascript:
        screenshot(page, "reports-dashboard")

    # CSV and XLSX of the agencies' table: the figures on the page.
    shown = [
        [cell.strip() for cell in row.split("\t")]
        for row in page.locator("#table-agency-responses tr").all_inner_texts()
    ]
    body = _download(page, page.locator('a[href*="/export/agency-responses.csv"]'))
    assert list(csv.reader(io.StringIO(body.decode()))) == shown
    body = _download(page, page.locator('a[href*="/export/agency-responses.xlsx"]'))
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(shown[0])
    assert [r[:3] for r in rows[1:]] == [("NHS health", 2, 2), ("Police", 3, 2)]

    # How the guidance was followed: a figure's list, and a decision printed from it.
    page.get_by_role("link", name="How the information sharing guidance was followed").click()
    assert_accessible(page)
    if javascript:
        screenshot(page, "reports-guidance")
    page.locator('#table-decisions-by-basis a[href*="value=consent"]').click()
    assert "Decisions behind a figure" in page.locator("h1").inner_text()
    assert_accessible(page)
    pdf = _download(page, page.locator('a[href*="/reports/print/decisions/"]').first)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Decision record" in text and "Children's social care MASH" in text
    assert "herefordshire-mash-v4-2023-05" in text
    assert any(e.reference in text for e in world.contacts)
    if javascript and shutil.which("pdftoppm"):
        folder = (
            SCREENSHOTS
            if os.environ.get("MASH_SCREENSHOTS") == "1"
            else Path(tempfile.gettempdir()) / "mash-e2e-screenshots"
        )
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "reports-decision-record-pdf"
        source = target.with_suffix(".pdf")
        source.write_bytes(pdf)
        try:
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(source),
                    str(target),
                ],
                check=True,
            )
        finally:
            source.unlink()
        assert target.with_suffix(".png").stat().st_size > 0
