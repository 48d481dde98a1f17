"""Web hardening (issue 6, part 5): the headers and cookies a browser is told to keep,
checked on real responses. CSP and X-Frame-Options on the sign-in page are also in
tests/lib/test_security_headers.py; CSRF on every form in test_csrf_on_every_form.py;
why Referrer-Policy is same-origin in tests/e2e/test_referrer_policy_and_csrf.py."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.test import Client

from mash.agencies.middleware import LAST_SEEN_AT, LAST_SEEN_EVERY_SECONDS

SRC = Path(__file__).resolve().parents[2] / "src" / "mash"


def _production_settings() -> dict[str, Any]:
    """The settings as a production server computes them: no DEBUG and none of the test
    run's overrides in the environment."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"SECURE_COOKIES", "HSTS_SECONDS", "DEBUG"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "mash.settings"
    names = [
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "X_FRAME_OPTIONS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
    ]
    code = (
        "import json, mash.settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def test_production_settings_keep_cookies_secure_httponly_and_samesite_with_hsts() -> None:
    s = _production_settings()
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True
    assert s["SESSION_COOKIE_HTTPONLY"] is True and s["CSRF_COOKIE_HTTPONLY"] is True
    assert s["SESSION_COOKIE_SAMESITE"] == "Lax" and s["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["X_FRAME_OPTIONS"] == "DENY"
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert s["SECURE_REFERRER_POLICY"] == "same-origin"


def test_an_https_response_carries_hsts(settings: Any, db: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get("/sign-in", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_cookies_a_browser_receives_are_secure_httponly_and_samesite(
    settings: Any, cast: dict[str, Any]
) -> None:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()
    client.force_login(cast["hub_practitioner"])
    # A minute on: the request notes when the person was last seen, so the session is
    # saved and its cookie sent again (most requests change nothing and send none).
    session = client.session
    session[LAST_SEEN_AT] = time.time() - 2 * LAST_SEEN_EVERY_SECONDS
    session.save()
    response = client.get("/decisions/check", secure=True)
    for name in ("sessionid", "csrftoken"):
        cookie = response.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


def test_error_and_restricted_pages_carry_the_strict_policy_too(client_for: Any, db: Any) -> None:
    client = client_for("hub_practitioner")
    for url in ("/enquiries/00000000-0000-4000-8000-000000000000/", "/no-such-page"):
        response = client.get(url)
        assert response.status_code == 404
        csp = response["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert "no-store" in response["Cache-Control"]


# Templates written into files, never served by the hub (so no CSP applies to them):
# the subject access bundle is opened from the ZIP on the DPO's own machine, offline,
# and carries its styles with it.
NEVER_SERVED = {"sar_bundle.html"}
# Printed records: drawn to PDF by WeasyPrint (mash.lib.pdf, which fetches nothing), never
# sent to a browser, so the CSP does not apply; their page furniture is CSS of their own.
PRINTED_ONLY = SRC / "templates" / "pdf"


def test_the_printed_record_templates_are_only_printed() -> None:
    """The exemption below holds only while no view renders them as a page."""
    for module in SRC.rglob("views*.py"):
        text = module.read_text()
        assert not re.search(r"render\([^)]*[\"']pdf/", text), module


def test_the_subject_access_bundle_is_never_served() -> None:
    """The exemption above holds only while no view renders the bundle."""
    for module in SRC.rglob("views*.py"):
        assert "sar_bundle" not in module.read_text(), module


def test_no_template_has_an_inline_script_style_or_event_handler() -> None:
    """The CSP refuses them; this finds them before a browser does."""
    problems = []
    for template in SRC.rglob("templates/**/*.html"):
        if template.name in NEVER_SERVED or PRINTED_ONLY in template.parents:
            continue
        text = template.read_text()
        if re.search(r"<script\b(?![^>]*\bsrc=)", text):
            problems.append(f"{template}: inline <script>")
        if re.search(r"<style\b|\sstyle=\"", text):
            problems.append(f"{template}: inline style")
        if re.search(r"\son[a-z]+=\"", text):
            problems.append(f"{template}: inline event handler")
    assert not problems, "\n".join(problems)
