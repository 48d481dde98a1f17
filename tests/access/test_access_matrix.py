"""Every cell of the access matrix (tests/access/matrix.py), asked for real: each page
and API operation, as each role (practitioner, manager, DPO, administrator) in each
relationship to the case (the hub, the agency the object is about, an agency with no
part in it). Allowed answers 200 or a redirect (or 400 to a form posted with too
little); denied answers 403 or 404 and writes nothing but the refusal. No answer, allowed
or denied, carries text planted in data the user's agency may not see. A page or API
operation missing from the table fails ``test_every_url_pattern_is_in_the_matrix``."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from mash.records.models import RecordEntry
from tests.access.matrix import (
    ADMIN,
    API_OPERATIONS,
    CONCERN,
    HEALTH_ITEM,
    HEALTH_REASONS,
    POLICE_ITEM,
    RELATIONSHIPS,
    RESTRICTED,
    RESTRICTED_READERS,
    ROLES,
    URLS,
    Row,
    World,
    body_for,
    markers_hidden_from,
)
from tests.records.test_every_view_is_classified import URL_PATTERNS, _operations

ALL_MARKERS = [CONCERN, POLICE_ITEM, HEALTH_ITEM, HEALTH_REASONS]
ALLOWED = {200, 302}
DENIED = {403, 404}
_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _client(world: World, relationship: str, role: str) -> Client:
    client = Client()
    client.force_login(world.user(relationship, role))
    return client


def _last_seq() -> int:
    return RecordEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _ask(client: Client, row: Row, world: World, url: str) -> Any:
    query = row.query.format(enquiry=world.enquiry.pk) if row.query else ""
    target = f"{url}?{query}" if query else url
    if row.method == "GET":
        return client.get(target)
    data, content_type = body_for(row, world)
    if content_type:
        return client.post(target, data, content_type=content_type)
    return client.post(target, data)


def _check(
    response: Any, row: Row, allowed: bool, relationship: str, before: int, role: str = ""
) -> None:
    status = response.status_code
    body = _body(response)
    where = f"answered {status}"
    if allowed:
        assert status in ALLOWED | row.also_allowed | {400}, where
        if status == 400:
            assert row.method == "POST", f"a GET {where}"
        if status == 302:
            assert not response["Location"].startswith(f"{settings.LOGIN_URL}?"), (
                "sent a signed-in user to sign in"
            )
        hidden = markers_hidden_from(relationship)
    else:
        assert status in DENIED, f"{where}, but this cell is denied"
        written = set(RecordEntry.objects.filter(seq__gt=before).values_list("action", flat=True))
        assert written <= {"access.denied"}, f"a refusal wrote {written}"
        hidden = ALL_MARKERS
    if (relationship, role) not in RESTRICTED_READERS:
        # The restricted enquiry (planted in the world) leaks through no page or API
        # operation to anyone the restriction keeps out (the hub DPO included).
        hidden = [*hidden, RESTRICTED]
    leaked = [marker for marker in hidden if marker in body]
    assert not leaked, f"the answer carries data this agency may not see: {leaked}"


CELLS = [
    pytest.param(name, rel, letter, id=f"{name}-{rel}-{ROLES[letter]}")
    for name in URLS
    for rel in RELATIONSHIPS
    for letter in ROLES
]


@pytest.mark.parametrize(("name", "relationship", "role"), CELLS)
def test_page(name: str, relationship: str, role: str, world: World) -> None:
    row = URLS[name]
    world.prepare()
    url = reverse(name, kwargs=row.kwargs(world) or None)
    client = _client(world, relationship, role)
    before = _last_seq()
    response = _ask(client, row, world, url)
    _check(response, row, (relationship, role) in row.allowed, relationship, before, role)


API_CELLS = [
    pytest.param(op, rel, letter, id=f"{op}-{rel}-{ROLES[letter]}")
    for op in API_OPERATIONS
    for rel in RELATIONSHIPS
    for letter in ROLES
]


@pytest.mark.parametrize(("operation", "relationship", "role"), API_CELLS)
def test_api_operation(operation: str, relationship: str, role: str, world: World) -> None:
    row = API_OPERATIONS[operation]
    world.prepare()
    path = operation.split(" ", 1)[1].format(**row.kwargs(world))
    client = _client(world, relationship, role)
    before = _last_seq()
    response = _ask(client, row, world, path)
    _check(response, row, (relationship, role) in row.allowed, relationship, before, role)


# --- the table is complete -----------------------------------------------------------------


def test_every_url_pattern_is_in_the_matrix() -> None:
    missing = [
        f"{name or '(no name)'} -> /{route}"
        for name, namespace, route in URL_PATTERNS
        if namespace != "admin" and name not in URLS
    ]
    assert not missing, (
        "These pages are not in the access matrix: add each to URLS in "
        "tests/access/matrix.py, saying who is allowed:\n  " + "\n  ".join(missing)
    )


def test_every_api_operation_is_in_the_matrix() -> None:
    missing = [op for op in _operations() if op not in API_OPERATIONS]
    assert not missing, (
        "These API operations are not in the access matrix: add each to API_OPERATIONS in "
        "tests/access/matrix.py:\n  " + "\n  ".join(missing)
    )


def test_the_matrix_names_only_pages_that_exist() -> None:
    names = {name for name, _namespace, _route in URL_PATTERNS}
    assert not set(URLS) - names
    assert not set(API_OPERATIONS) - set(_operations())


# --- guessed ids ---------------------------------------------------------------------------

WITH_IDS = [
    name
    for name, row in URLS.items()
    if row.method == "GET" and row.kwargs.__name__ != "_no_kwargs" and row.has_ids
]


def _guessed(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: uuid.uuid4() if isinstance(v, uuid.UUID) else v for k, v in kwargs.items()}


def _normalised(response: Any) -> str:
    return _CSRF_VALUE.sub(r"\1\2", _body(response))


@pytest.mark.parametrize("name", WITH_IDS)
def test_a_guessed_id_answers_exactly_as_a_hidden_object_does(name: str, world: World) -> None:
    """Object ids are UUIDs; a random one answers 404, and the same 404 page a real
    object the user may not see answers (so probing ids tells nothing)."""
    row = URLS[name]
    world.prepare()
    real = row.kwargs(world)
    rel, role = sorted(row.allowed)[0]
    allowed_client = _client(world, rel, role)
    assert allowed_client.get(reverse(name, kwargs=_guessed(real))).status_code == 404
    outsider = _client(world, "other", "P")
    hidden = outsider.get(reverse(name, kwargs=real))
    missing = outsider.get(reverse(name, kwargs=_guessed(real)))
    # Pages only one role may use at all (the DPO's retention pages) refuse an outsider
    # with 403 before looking anything up: the same answer whether the id exists or not.
    assert hidden.status_code == missing.status_code
    assert hidden.status_code in {403, 404}
    assert _normalised(hidden) == _normalised(missing)


@pytest.mark.parametrize("operation", [op for op in API_OPERATIONS if "{" in op])
def test_a_guessed_id_in_the_api_answers_exactly_as_a_hidden_object_does(
    operation: str, world: World
) -> None:
    row = API_OPERATIONS[operation]
    world.prepare()
    path = operation.split(" ", 1)[1]
    real = row.kwargs(world)
    outsider = _client(world, "other", "P")
    answers = []
    for kwargs in (real, _guessed(real)):
        data, content_type = body_for(row, world)
        url = path.format(**kwargs) + (f"?{row.query}" if row.query else "")
        if row.method == "GET":
            answers.append(outsider.get(url))
        else:
            answers.append(
                outsider.post(url, data, content_type=content_type or "application/json")
            )
    hidden, missing = answers
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


# --- the Django admin ----------------------------------------------------------------------


def _admin_patterns() -> list[Any]:
    return [
        pytest.param(name, route, id=name or route)
        for name, namespace, route in URL_PATTERNS
        if namespace == "admin"
    ]


def _admin_url(route: str) -> str:
    """The page's address with made-up values: the admin refuses before it looks."""
    path = re.sub(r"<path:object_id>|<object_id>|<id>", str(uuid.uuid4()), route)
    path = re.sub(r"<path:[a-z_]+>|<[a-z_:]+>", "1", path)
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "agencies", path)
    return "/" + path.lstrip("^").rstrip("$").replace("\\", "")


@pytest.mark.parametrize(("name", "route"), _admin_patterns())
def test_the_django_admin_lets_none_of_the_matrix_in(name: str, route: str, world: World) -> None:
    assert ADMIN.allowed == frozenset()
    world.prepare()
    url = _admin_url(route)
    for rel in RELATIONSHIPS:
        for letter in ROLES:
            response = _client(world, rel, letter).get(url)
            body = _body(response)
            assert not [m for m in ALL_MARKERS if m in body], f"{url} as {rel} {letter}"
            if response.status_code == 302:
                # Signing out of the admin sends to the admin's index, which sends to its
                # sign-in, which sends to the hub's own (two-factor) sign-in.
                target = {"admin:logout": "/admin/", "admin:login": "/sign-in"}.get(
                    name, "/admin/login/"
                )
                assert response["Location"].startswith(target), url
            else:
                assert response.status_code in {200, 404, 405} and name in {
                    "admin:login",
                    "admin:logout",
                    None,
                }, f"{url} answered {response.status_code} to {rel} {letter}"
