"""Browser tests: Playwright driving Debian's Chromium against a live Django server.

Fixtures:

- ``page``: a fresh browser context with JavaScript on, pointed at the live server
  (``page.goto("/sign-in")`` works);
- ``page_no_js``: the same with JavaScript off;
- ``journey_page`` (with ``javascript``): runs the test twice, once with JavaScript on
  and once off, for journeys that must work both ways.

Every page records console problems (CSP violations, script errors, failed asset requests)
and fails the test at teardown if there were any. Every test here is marked ``e2e``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.e2e.helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    close_scripts_off_copies,
    console_of,
    mark_without_javascript,
    watch_console,
)

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


class _ThroughTheApp:
    """A live-server "static handler" that hands every request to the app.

    pytest-django's live server answers /static/ itself with Django's debug file view,
    which would hide how production serves assets. Passing them through means the
    browser fetches them from WhiteNoise behind the full middleware stack, as deployed.
    """

    def __init__(self, application: Any) -> None:
        self.application = application

    def __call__(self, environ: Any, start_response: Any) -> Any:
        return self.application(environ, start_response)


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """pytest-django's live server, serving static files through WhiteNoise."""
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _ThroughTheApp
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        reason = f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("MASH_REQUIRE_BROWSER") == "1":
            pytest.fail(f"MASH_REQUIRE_BROWSER=1 but it is missing. {reason}", pytrace=False)
        pytest.skip(reason)
    # Playwright's sync API keeps an asyncio loop on this thread, so Django believes it is
    # inside async code and refuses ORM calls from the test. Nothing here is async: allow it,
    # for these tests only, and put things back once the browser has gone.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    close_scripts_off_copies()
    browser.close()


@pytest.fixture
def new_page(browser: Browser, live_server: Any) -> Iterator[Callable[..., Page]]:
    """``new_page(javascript=False)``: a page in its own context (own cookies) on the live
    server. Extra keyword arguments go to ``browser.new_context``."""
    contexts = []
    pages = []

    def make(*, javascript: bool = True, **options: Any) -> Page:
        options.setdefault("viewport", {"width": 1024, "height": 768})
        context = browser.new_context(
            base_url=live_server.url, java_script_enabled=javascript, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watch_console(page)
        if not javascript:
            mark_without_javascript(page)
        pages.append(page)
        return page

    yield make
    problems = [p for page in pages for p in console_of(page).problems()]
    close_scripts_off_copies()
    for context in contexts:
        context.close()
    assert not problems, "The browser console reported problems:\n" + "\n".join(
        f"  - {p}" for p in problems
    )


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page(javascript=True)


@pytest.fixture
def page_no_js(new_page: Callable[..., Page]) -> Page:
    return new_page(javascript=False)


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def javascript(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
def journey_page(new_page: Callable[..., Page], javascript: bool) -> Page:
    """The same journey twice: with JavaScript on, then off. Ask for ``javascript`` too if
    the test needs to know which."""
    return new_page(javascript=javascript)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """The cast's seven argon2 hashes take seconds per test on a small machine; the live
    server runs in this process and sees the same setting, so signing in still works."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def police_request(transactional_db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    """A hub's request to the police about a child and a parent
    (``tests.sharing.factories.make_request``), committed so the live server sees it."""
    from tests.sharing.factories import make_request

    return make_request(cast=cast, agency=agencies["police"])
