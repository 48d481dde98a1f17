"""The DPO answers a subject access request in a real browser (Debian's Chromium), with
and without JavaScript: finds the child's records, reviews the redactions the hub
proposes (a refused answer naming its proposal, one released as written, the rest
accepted), and downloads the export with exactly those applied. Every page passes axe
(WCAG 2.2 AA)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from mash.retention.redaction import REDACTED
from tests.e2e.helpers import assert_accessible, console_of, screenshot


@pytest.fixture
def case(transactional_db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    from tests.retention.subject_access import make_case

    return make_case(cast, agencies)


@pytest.fixture
def dpo_session(transactional_db: Any, cast: dict[str, Any]) -> str:
    from django.test import Client

    client = Client()
    client.force_login(cast["dpo"])
    return str(client.cookies["sessionid"].value)


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with"])
def test_the_dpo_reviews_the_proposed_redactions_and_downloads_the_export(
    case: dict[str, Any],
    dpo_session: str,
    live_server: Any,
    new_page: Any,
    javascript: bool,
    tmp_path: Path,
) -> None:
    from mash.retention.models import RedactionProposal

    page = new_page(javascript=javascript, accept_downloads=True)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": dpo_session,
                "domain": urlparse(live_server.url).hostname,
                "path": "/",
            }
        ]
    )
    child, mother, referrer = case["child"], case["mother"], case["referrer"]
    page.goto("/retention/subject-access")
    page.fill("#id_first_name", child[0])
    page.fill("#id_last_name", child[1])
    page.click("button:has-text('Search')")
    page.check(f"input[value='{case['subject'].pk}']")
    page.click("button:has-text('Review the export before release')")

    assert page.inner_text("h1") == "Review the proposed redactions"
    assert child[0] not in page.url and mother[0] not in page.url
    main = page.inner_text("main")
    assert "10 still to decide" in main
    assert "Third party: another person in the enquiry (parent)" in main
    assert "Third party: the author of an opinion" in main
    marks = page.locator("mark.mash-proposed").all_inner_texts()
    assert f"{mother[0]} {mother[1]}" in marks and child[0] not in marks
    assert page.locator("button:has-text('Download the export (ZIP)')").count() == 0
    assert_accessible(page)

    # The referrer's name in the referrer field is released as written; the rest redacted.
    proposals = list(RedactionProposal.objects.order_by("position"))
    keep = proposals[0]
    assert keep.field == "referrer_name"
    page.check(f"#decision-{keep.pk}-rejected")
    page.click("button:has-text('Save decisions')")
    assert "Your decisions are saved" in page.inner_text(".govuk-notification-banner")
    assert "9 still to decide" in page.inner_text("main")
    page.click("button:has-text('Accept all proposals')")
    assert "All proposed redactions accepted" in page.inner_text(".govuk-notification-banner")
    # Accept all accepts every one, the one released before too: release it again.
    page.check(f"#decision-{keep.pk}-rejected")
    page.click("button:has-text('Save decisions')")
    assert "9 to redact, 1 to release as written" in page.inner_text("#review-status")
    assert_accessible(page)
    screenshot(page, "sar-redaction-review")

    with page.expect_download() as download:
        page.click("button:has-text('Download the export (ZIP)')")
    saved = tmp_path / "export.zip"
    download.value.save_as(saved)
    # A download ends the navigation that fetched it, which Chromium reports as aborted:
    # that one request, and no other, is expected.
    failed = console_of(page).failed_requests
    aborted = f"/retention/subject-access/reviews/{keep.review_id}/export (net::ERR_ABORTED)"
    failed[:] = [m for m in failed if not m.endswith(aborted)]
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as archive:
        data = json.loads(archive.read("subject-access.json"))
        html = archive.read("subject-access.html").decode()
    [enquiry] = data["enquiries"]
    assert enquiry["referrer_name"] == f"Mrs {referrer[0]} {referrer[1]}"
    assert enquiry["concern"].count(REDACTED) == 4
    assert mother[0] not in html and case["teacher"][1] not in html
    assert child[0] in html
    assert sum(data["redactions"].values()) == 9
