"""Helpers for browser journeys: sign in, check accessibility, watch the console, screenshot.

Import them in a test module: ``from tests.e2e.helpers import assert_accessible, sign_in``.
See tests/e2e/README.md for how they fit together.
"""

from __future__ import annotations

import os
import tempfile
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import ConsoleMessage, Page, Request, Response, Route

from mash.lib.middleware import CONTENT_SECURITY_POLICY
from tests.two_factor import code_from_secret, next_code

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

REPO = Path(__file__).resolve().parents[2]
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SCREENSHOTS = REPO / "docs" / "screenshots"
# WCAG 2.2 AA, as axe tags it: every level A and AA rule from 2.0, 2.1 and 2.2.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# --- signing in -------------------------------------------------------------------------------


def at_the_decision_page(
    new_page: Any, live_server: Any, user: Any, req: Any, answers: Any, *, javascript: bool
) -> Page:
    """``user``'s browser at the decision page of ``req``, the guidance's questions
    answered first through their pages by Django's test client (``answers`` as
    ``tests.sharing.pages.walk`` takes them): for journeys about the decision page."""
    from django.test import Client

    from tests.sharing.pages import decision_url, walk

    client = Client()
    client.force_login(user)
    walk(client, req, answers)
    page = signed_in_page(new_page, live_server, user, javascript=javascript, client=client)
    page.goto(decision_url(req))
    return page


def signed_in_page(
    new_page: Any, live_server: Any, user: Any, *, javascript: bool = True, client: Any = None
) -> Page:
    """A new page already signed in as ``user`` (the session made by Django's test client,
    its cookie handed to the browser): for journeys that start after signing in, which
    test_sign_in.py and test_two_factor_browser.py drive through the real pages. Pass
    ``client`` (already signed in) to carry on in the browser where it left off."""
    from urllib.parse import urlparse

    from django.test import Client

    if client is None:
        client = Client()
        client.force_login(user)
    page: Page = new_page(javascript=javascript)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": str(client.cookies["sessionid"].value),
                "domain": urlparse(live_server.url).hostname or "",
                "path": "/",
            }
        ]
    )
    return page


def sign_in(page: Page, username: str, password: str) -> None:
    """Sign in through the real sign-in forms, as a person would, and wait for the page
    after. With the right password the second step follows: the code is computed, as the
    person's authenticator app would, from their device in the test database (the live
    server shares it); someone with no authenticator yet sets one up with the secret the
    page shows, and passes the recovery codes page. A wrong password stops at the
    sign-in page, as it does for a person."""
    page.goto("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    complete_second_factor(page, username)


def complete_second_factor(page: Page, username: str) -> None:
    """After the password step: give the code (computed, as the person's authenticator app
    would, from their device in the test database, which the live server shares), or set
    an authenticator up from the secret the page shows and pass the recovery codes page.
    Does nothing on any other page (a wrong password stays on the sign-in page)."""
    from urllib.parse import urlparse

    page.wait_for_load_state()
    path = urlparse(page.url).path
    if path == "/sign-in/two-factor/set-up":
        secret = page.locator("#secret").get_attribute("data-secret") or ""
        page.get_by_label("Code from your authenticator app").fill(code_from_secret(secret))
        with page.expect_navigation():
            page.get_by_role("button", name="Confirm and continue").click()
        with page.expect_navigation():
            page.get_by_role("link", name="continue").click()
    elif path == "/sign-in/two-factor":
        from mash.agencies.models import User
        from mash.agencies.services import confirmed_totp_device

        device = confirmed_totp_device(User.objects.get(username=username))
        page.get_by_label("Code", exact=True).fill(next_code(device))
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()


# --- the console: CSP violations, script errors, failed requests -----------------------------


@dataclass
class ConsoleWatch:
    """What a page told the console while a test drove it."""

    csp_violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"CSP: {m}" for m in self.csp_violations]
            + [f"error: {m}" for m in self.errors]
            + [f"request: {m}" for m in self.failed_requests]
        )


_watches: weakref.WeakKeyDictionary[Page, ConsoleWatch] = weakref.WeakKeyDictionary()
_without_javascript: weakref.WeakSet[Page] = weakref.WeakSet()


def fill_date(scope: Any, legend: str, iso: str) -> None:
    """Type a date into a GOV.UK date input, found by its legend, as a person does: the
    day, the month and the year in their own boxes (``iso`` is ``YYYY-MM-DD``)."""
    year, month, day = iso.split("-")
    group = scope.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(int(day)))
    group.get_by_label("Month", exact=True).fill(str(int(month)))
    group.get_by_label("Year", exact=True).fill(year)


def mark_without_javascript(page: Page) -> None:
    """Note that ``page`` runs no scripts, so helpers that need to run one work around it."""
    _without_javascript.add(page)


def watch_console(page: Page) -> ConsoleWatch:
    """Start recording CSP violations, uncaught errors and failed requests on ``page``.

    Chromium reports a blocked inline script or style as a console error that starts
    "Refused to ..." and names the "Content Security Policy" directive.
    """
    watch = ConsoleWatch()

    def on_console(message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text:
            watch.csp_violations.append(text)
        elif text.startswith("Failed to load resource"):
            pass  # judged by on_response: a page may answer 400 on purpose, its assets may not
        elif message.type == "error":
            watch.errors.append(text)

    def on_page_error(error: Any) -> None:
        watch.errors.append(str(error))

    def on_request_failed(request: Request) -> None:
        watch.failed_requests.append(f"{request.url} ({request.failure})")

    def on_response(response: Response) -> None:
        # A page may answer 4xx on purpose (a form with errors); its assets may not.
        if response.request.resource_type != "document" and response.status >= 400:
            watch.failed_requests.append(f"{response.url} answered {response.status}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    _watches[page] = watch
    return watch


def console_of(page: Page) -> ConsoleWatch:
    return _watches[page]


def assert_no_console_problems(page: Page) -> None:
    """Fail if the page reported a CSP violation, a script error or a failed asset request."""
    problems = console_of(page).problems()
    assert not problems, "The browser console reported problems:\n" + "\n".join(
        f"  - {p}" for p in problems
    )


# --- accessibility ----------------------------------------------------------------------------


def _inject_axe(page: Page) -> None:
    """Load axe-core into the page.

    ``page.add_script_tag`` would insert an inline ``<script>`` that our CSP
    (``script-src 'self'``) rightly refuses. ``page.evaluate`` runs through the DevTools
    protocol, which the page's CSP does not govern, so axe runs in the page exactly as
    served: no ``bypass_csp`` context, and the CSP the tests check stays the real one.
    """
    if page.evaluate("() => typeof window.axe === 'object'"):
        return
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")


def _describe(violation: dict[str, Any]) -> str:
    nodes = "\n".join(
        f"      at {' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1]}"
        for node in violation["nodes"]
    )
    return (
        f"  - {violation['id']} ({violation.get('impact') or 'no impact'}): "
        f"{violation['help']}\n{nodes}"
    )


@dataclass
class _Copy:
    """The JavaScript-on page that stands in for one no-JavaScript page when axe runs,
    and what it serves next: the no-JavaScript page's HTML at its address."""

    context: Any
    page: Page
    url: str = ""
    html: str = ""


# One copy for each no-JavaScript page, kept for that page's life: making a context and
# a page for every check cost a third of a second each (the journey without JavaScript
# checks 54 pages). Closed by ``close_scripts_off_copies`` (the ``new_page`` fixture's
# teardown) or with the browser.
_copies: dict[Page, _Copy] = {}


def _scripts_off_copy(page: Page) -> Page:
    """A JavaScript-on copy of what a no-JavaScript page shows, for axe to run in.

    With JavaScript off Chromium runs no script at all, not even the DevTools one axe needs
    (``evaluate`` would wait forever). So serve the page's current HTML, with its CSP, at the
    same address in a page of its own context whose page scripts are refused: what axe sees
    is what a person without JavaScript sees. Assets load from the live server as usual.
    """
    copy = _copies.get(page)
    if copy is None:
        context = page.context.browser.new_context(  # type: ignore[union-attr]
            viewport=page.viewport_size, java_script_enabled=True
        )
        copy = _Copy(context=context, page=context.new_page())
        held = copy

        def serve(route: Route) -> None:
            request = route.request
            if request.url.endswith(".mjs"):
                route.abort()
            elif request.is_navigation_request() and request.url == held.url:
                route.fulfill(
                    status=200,
                    content_type="text/html; charset=utf-8",
                    body=held.html,
                    headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY},
                )
            else:
                route.continue_()

        # axe arrives with each document (DevTools' script, which the CSP does not govern).
        context.add_init_script(script=AXE_JS.read_text(encoding="utf-8"))
        context.route("**/*", serve)
        _copies[page] = copy
    copy.url, copy.html = page.url, page.content()
    copy.page.goto(copy.url)
    return copy.page


def close_scripts_off_copies() -> None:
    """Close every copy ``_scripts_off_copy`` made (their pages' tests have ended)."""
    while _copies:
        _, copy = _copies.popitem()
        copy.context.close()


def _without_known_frontend_pattern(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Leave out one finding that is GOV.UK Frontend's by design: its conditional reveal puts
    ``aria-expanded`` on the radio or checkbox that reveals more questions, which axe calls
    not allowed on that role. GOV.UK keeps it on purpose (alphagov/govuk-frontend#979) after
    testing with screen readers. Only that exact attribute on those inputs is left out."""
    kept = []
    for violation in violations:
        if violation["id"] == "aria-allowed-attr":
            nodes = [
                node
                for node in violation["nodes"]
                if not (
                    ('type="radio"' in node["html"] or 'type="checkbox"' in node["html"])
                    and 'aria-controls="conditional-' in node["html"]
                    and all(
                        "aria-expanded" in check["message"]
                        for check in node.get("any", []) + node.get("all", [])
                    )
                )
            ]
            if not nodes:
                continue
            violation = {**violation, "nodes": nodes}
        kept.append(violation)
    return kept


def assert_accessible(page: Page, *, exclude: list[str] | None = None) -> None:
    """Run axe-core on the page as it is now and fail on any WCAG 2.2 A or AA violation."""
    if page in _without_javascript:
        assert_accessible(_scripts_off_copy(page), exclude=exclude)
        return
    _inject_axe(page)
    context: dict[str, Any] = {"exclude": [[selector] for selector in exclude or []]}
    result = page.evaluate(
        """([context, tags]) => window.axe.run(
            context.exclude.length ? context : document,
            {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]},
        )""",
        [context, WCAG_22_AA],
    )
    violations = _without_known_frontend_pattern(result["violations"])
    assert not violations, f"axe found accessibility problems on {page.url}:\n" + "\n".join(
        _describe(v) for v in violations
    )


# --- screenshots ------------------------------------------------------------------------------


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of the page as it is now (the whole page, or with ``full_page=False``
    just what the viewport shows, which keeps the PNG small) and return its path.

    With ``MASH_SCREENSHOTS=1`` it goes to docs/screenshots/<name>.png (commit those);
    otherwise to a temporary directory, so ordinary runs and CI do not churn files.
    """
    if os.environ.get("MASH_SCREENSHOTS") == "1":
        folder = SCREENSHOTS
    else:
        folder = Path(tempfile.gettempdir()) / "mash-e2e-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, caret="initial")
    return path
