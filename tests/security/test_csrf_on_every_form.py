"""CSRF on every form (issue 6, part 5). Walks every form page of the hub (the list in
test_form_fuzz.py, ``FORMS``): each POST form on the page carries Django's CSRF token,
and posting the form without it, from a browser that enforces CSRF as a real one does,
is refused with 403 and saves nothing. The API's session-authenticated writes are
checked the same way, and an ``Origin: null`` (what a browser sends under
``Referrer-Policy: no-referrer``, see tests/e2e/test_referrer_policy_and_csrf.py) is
refused even with a good token."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.security.test_form_fuzz import FORMS, FormPage, counts

_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_TOKEN = 'name="csrfmiddlewaretoken"'


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _post_forms(html: str) -> list[tuple[str, str]]:
    return [
        (attrs, body)
        for attrs, body in _FORM.findall(html)
        if re.search(r'method="post"', attrs, re.I)
    ]


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_every_post_form_carries_the_token_and_is_refused_without_it(
    form: FormPage, cast: dict[str, Any]
) -> None:
    walker = Client()  # sets up the page as a person would (its own posts carry tokens)
    if form.who is not None:
        walker.force_login(cast[form.who])
    address = form.url(walker, cast)
    page_url, url = address if isinstance(address, tuple) else (address, address)
    page = walker.get(page_url)
    assert page.status_code == 200, f"GET {page_url} answered {page.status_code}"
    forms = _post_forms(page.content.decode())
    assert forms, f"no POST form on {page_url}"
    missing = [attrs for attrs, body in forms if _TOKEN not in body]
    assert not missing, f"POST forms without the CSRF token on {page_url}: {missing}"

    browser = Client(enforce_csrf_checks=True)
    browser.cookies = walker.cookies
    before = counts()
    refused = browser.post(url, {"anything": "at all"})
    assert refused.status_code == 403, f"POST {url} without a token answered {refused.status_code}"
    assert "Sorry, we could not accept that form" in refused.content.decode()
    assert counts() == before, "a post without the token saved something"


def test_an_origin_of_null_is_refused_even_with_a_good_token(db: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/decisions/check")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    answer = {"csrfmiddlewaretoken": token.group(1)}
    # Past the CSRF check: the (empty) answers are refused by the form itself, 400.
    good = browser.post("/decisions/check", answer, HTTP_ORIGIN="http://testserver")
    assert good.status_code == 400 and "There is a problem" in good.content.decode()
    assert browser.post("/decisions/check", answer, HTTP_ORIGIN="null").status_code == 403


def test_the_apis_session_authenticated_writes_need_the_token(
    cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from tests.records.fixtures import make_enquiry

    person = make_enquiry(cast, agencies).people.get()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast["hub_practitioner"])
    before = counts()
    answer = browser.post(
        f"/api/v1/consent/people/{person.pk}/records",
        {
            "status": "refused",
            "giver": "parental_responsibility",
            "method": "verbal",
            "given_on": "2026-01-05",
        },
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert counts() == before
