"""The error pages render with the database unreachable (issue 16): the 500 page is
what a user sees when the database is what failed, so it must not query it (it did:
the notifications count). The 404 and 403 pages neither."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import Http404
from django.test import Client, RequestFactory
from django.utils.functional import SimpleLazyObject

from mash import views


def _unreachable(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("could not connect to server: Connection refused")


@pytest.fixture
def database_down(db: Any) -> Iterator[None]:
    # Its own patch, undone before the test database is rolled back.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "cursor", _unreachable)
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", _unreachable)
        yield


def _request(path: str = "/enquiries/") -> Any:
    request = RequestFactory().get(path)
    request.user = SimpleLazyObject(_unreachable)  # a signed-in user not yet loaded
    return request


@pytest.mark.parametrize(
    ("render", "status", "title"),
    [
        (lambda r: views.server_error(r), 500, "Sorry, there is a problem with the service"),
        (lambda r: views.not_found(r, Http404()), 404, "Page not found"),
        (lambda r: views.forbidden(r, PermissionDenied()), 403, "You do not have access"),
        (lambda r: views.bad_request(r), 400, "Sorry, there is a problem with that request"),
    ],
    ids=["500", "404", "403", "400"],
)
def test_an_error_page_renders_with_the_database_unreachable(
    db: Any, database_down: None, render: Any, status: int, title: str
) -> None:
    response = render(_request())
    body = response.content.decode()
    assert response.status_code == status
    assert title in body
    assert "govuk-template" in body and "Check a sharing decision" in body


def test_a_signed_in_page_answers_the_500_page_when_the_database_goes(
    db: Any, cast: dict[str, Any]
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(cast["hub_practitioner"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "cursor", _unreachable)
        response = client.get("/enquiries/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
