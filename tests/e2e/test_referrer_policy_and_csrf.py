"""Why the hub sends ``Referrer-Policy: same-origin`` and not ``no-referrer`` (issue 6
asks for no-referrer). Under no-referrer, Chromium sends ``Origin: null`` on a form POST,
even to the page's own origin (the Fetch standard's "serializing a request origin"), and
Django's CSRF check refuses an Origin that is not the site's own, so no form would work.
Under same-origin the browser sends the real Origin to the site itself and no referrer
at all to other sites. See docs/security.md, "Web hardening and fuzzing".

The page is served as the hub serves it; for the no-referrer case the browser is handed
the same page with only its Referrer-Policy header changed (Playwright's route), so the
difference is the policy alone.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, Route

from tests.e2e.test_decision_check_browser import answer_the_contract_example


def _serve_with_policy(page: Page, policy: str) -> None:
    def handle(route: Route) -> None:
        if route.request.method != "GET":
            route.continue_()  # the POST leaves exactly as the browser made it
            return
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "referrer-policy": policy})

    page.route("**/decisions/check", handle)


def _post_the_form(page: Page) -> tuple[int, str | None]:
    origins: list[str | None] = []
    page.on(
        "request",
        lambda request: (
            origins.append(request.header_value("origin")) if request.method == "POST" else None
        ),
    )
    page.goto("/decisions/check")
    answer_the_contract_example(page)
    with page.expect_navigation() as navigation:
        page.click("form[action='/decisions/check'] button[type=submit]")
    response = navigation.value
    assert response is not None
    return response.status, origins[-1]


def test_the_hub_sends_same_origin_and_its_forms_post(page: Page, live_server: Any) -> None:
    response = page.goto("/decisions/check")
    assert response is not None
    assert response.headers["referrer-policy"] == "same-origin"
    status, origin = _post_the_form(page)
    assert origin == live_server.url
    assert status == 200
    assert page.inner_text("#decision h2") == "Share the information"


def test_under_no_referrer_chromium_sends_origin_null_and_the_csrf_check_refuses(
    page: Page,
) -> None:
    _serve_with_policy(page, "no-referrer")
    status, origin = _post_the_form(page)
    assert origin == "null"
    assert status == 403
    assert "Sorry, we could not accept that form" in page.inner_text("h1")
