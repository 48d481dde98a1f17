"""Every page and API operation is classified as showing personal data or not, and
every one that does writes a record entry when it is shown (DESIGN: "Every write of
personal data and every view of it leaves a record entry"). Registry:
tests/records/personal_data_views.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mash.api.main import api
from mash.records.models import RecordEntry
from tests.records.personal_data_views import (
    API_OPERATIONS,
    NoPersonalData,
    Objects,
    RefusedToAll,
    ShowsPersonalData,
    classify,
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """The cast's passwords hash quickly here: these tests sign in with force_login."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _patterns(
    patterns: list[Any], prefix: str = "", namespace: str | None = None
) -> Iterator[tuple[str | None, str | None, str]]:
    """(view name, namespace, route) of every URL pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            joined = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), joined)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            view_name = f"{namespace}:{name}" if namespace and name else name
            yield view_name, namespace, prefix + str(pattern.pattern)


def _is_api_operation(view_name: str | None, namespace: str | None) -> bool:
    """API operations are classified by method and path (API_OPERATIONS) instead."""
    docs = {"api:openapi-json", "api:openapi-view", "api:api-root"}
    return namespace == "api" and view_name not in docs


URL_PATTERNS = [
    (name, namespace, route)
    for name, namespace, route in _patterns(get_resolver().url_patterns)
    if not _is_api_operation(name, namespace)
]


def _operations() -> list[str]:
    schema = api.get_openapi_schema()
    prefix = "/" + str(reverse("api:api-root")).strip("/")
    out = []
    for path, methods in schema["paths"].items():
        for method in methods:
            if method.lower() in {"get", "post", "put", "patch", "delete"}:
                full = path if path.startswith(prefix) else prefix + path
                out.append(f"{method.upper()} {full}")
    return out


def test_every_url_is_classified() -> None:
    missing = [
        f"{name or '(no name)'} -> /{route}"
        for name, namespace, route in URL_PATTERNS
        if classify(name, namespace) is None
    ]
    assert not missing, (
        "These URLs are not classified as showing personal data or not. Add each to URLS "
        "in tests/records/personal_data_views.py (ShowsPersonalData with who/kwargs, or "
        "NoPersonalData with a one-line reason):\n  " + "\n  ".join(missing)
    )


def test_every_api_operation_is_classified() -> None:
    missing = [operation for operation in _operations() if operation not in API_OPERATIONS]
    assert not missing, (
        "These API operations are not classified as showing personal data or not. Add each "
        "to API_OPERATIONS in tests/records/personal_data_views.py:\n  " + "\n  ".join(missing)
    )


def test_every_reason_for_showing_no_personal_data_is_given() -> None:
    for name, namespace, _route in URL_PATTERNS:
        found = classify(name, namespace)
        if isinstance(found, NoPersonalData):
            assert found.reason.strip(), f"{name}: say in one line why it shows no personal data"


def test_no_admin_page_offers_autocomplete_so_autocomplete_shows_nothing() -> None:
    assert not [m for m, a in admin.site._registry.items() if a.autocomplete_fields], (
        "a ModelAdmin declares autocomplete_fields: classify admin:autocomplete as "
        "ShowsPersonalData in tests/records/personal_data_views.py"
    )


SHOWING = [
    pytest.param(name, namespace, id=name)
    for name, namespace, _route in URL_PATTERNS
    if isinstance(classify(name, namespace), ShowsPersonalData)
]


def _assert_recorded(client: Client, url: str, who: Any, expect: str, *, status: int = 200) -> None:
    before = RecordEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    response = client.get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}"
    written = RecordEntry.objects.filter(seq__gt=before, actor_user_id=who.pk)
    actions = list(written.values_list("action", flat=True))
    matching = [
        a for a in actions if (a.endswith(expect) if expect.startswith(".") else a == expect)
    ]
    assert matching, f"{url} answered {status} but wrote no '{expect}' entry (wrote {actions})"


@pytest.mark.parametrize(("name", "namespace"), SHOWING)
def test_a_page_that_shows_personal_data_records_the_view(
    name: str, namespace: str | None, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    found = classify(name, namespace)
    assert isinstance(found, ShowsPersonalData)
    objects = Objects(cast, agencies)
    who = objects.user(found.who)
    found.needs(objects)
    client = Client()
    client.force_login(who)
    url = reverse(name, kwargs=found.kwargs(objects) or None)
    query = found.query(objects)
    found.prepare(objects, client)
    _assert_recorded(client, f"{url}?{query}" if query else url, who, found.expect)


REFUSED = [
    pytest.param(name, namespace, id=name)
    for name, namespace, _route in URL_PATTERNS
    if isinstance(classify(name, namespace), RefusedToAll)
]


@pytest.mark.parametrize(("name", "namespace"), REFUSED)
def test_a_page_offered_to_nobody_is_refused_and_the_refusal_recorded(
    name: str, namespace: str | None, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    found = classify(name, namespace)
    assert isinstance(found, RefusedToAll)
    objects = Objects(cast, agencies)
    who = objects.user(found.who)
    client = Client()
    client.force_login(who)
    url = reverse(name, kwargs=found.kwargs(objects) or None)
    _assert_recorded(client, url, who, found.expect, status=403)


@pytest.mark.parametrize(
    "operation",
    [op for op, found in API_OPERATIONS.items() if isinstance(found, ShowsPersonalData)],
)
def test_an_api_operation_that_shows_personal_data_records_the_view(
    operation: str, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    found = API_OPERATIONS[operation]
    assert isinstance(found, ShowsPersonalData)
    method, path = operation.split(" ", 1)
    assert method == "GET", "only GET operations show data without changing it"
    objects = Objects(cast, agencies)
    who = objects.user(found.who)
    found.needs(objects)
    client = Client()
    client.force_login(who)
    url = path.format(**found.kwargs(objects))
    query = found.query(objects)
    found.prepare(objects, client)
    _assert_recorded(client, f"{url}?{query}" if query else url, who, found.expect)
