"""The record's page shows the DPO the last checkpoint a time-stamping authority vouched
for, and says so when the latest checkpoint is still waiting for one (the TSA was down),
in a real browser; the page passes axe. The TSA is a local one on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tests.e2e.helpers import assert_accessible, screenshot, watch_console
from tests.records.helpers import fill
from tests.records.local_tsa import local_tsa


def test_the_dpo_sees_when_the_record_was_last_timestamped(
    transactional_db: Any,
    cast: dict[str, Any],
    settings: Any,
    tmp_path: Path,
    monkeypatch: Any,
    live_server: Any,
    browser: Any,
) -> None:
    from django.test import Client

    from mash.records.services import sign_checkpoint

    monkeypatch.setenv("MASH_RECORD_SIGNING_KEY_FILE", str(tmp_path / "record_signing_key"))
    settings.MASH_RECORD_WITNESS_DIR = str(tmp_path / "witness")
    with local_tsa() as tsa:
        settings.MASH_RECORD_TSA_URL = tsa.url
        settings.MASH_RECORD_TSA_CERT_FILE = str(tsa.certificate_file(tmp_path))
        fill(3)
        stamped, _document = sign_checkpoint()
        tsa.down()
        fill(2)
        sign_checkpoint()  # the TSA is down: signed and witnessed, not timestamped

    client = Client()
    client.force_login(cast["dpo"])
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": urlparse(live_server.url).hostname,
                "path": "/",
            }
        ]
    )
    page = context.new_page()
    watch_console(page)
    page.goto("/record/")
    health = page.inner_text("dl")
    assert f"Entry {stamped.seq}, timestamped " in health
    assert "The last checkpoint has no timestamp yet" in health
    assert_accessible(page)
    screenshot(page, "record-health-timestamps")
    context.close()
