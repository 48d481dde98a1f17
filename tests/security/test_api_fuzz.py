"""Schemathesis over every operation of the API's own OpenAPI document.

The document is read from the app itself (``/api/v1/openapi.json`` through Django's WSGI
handler, in-process), so an operation a router adds is fuzzed without touching this file.
Each operation gets a bounded, seeded run (examples from the document, the coverage
phase's edge cases, then generated valid and invalid requests), sent as the hub
practitioner of the shared cast with a session cookie and a CSRF token, and every
response must be:

- never a server error (``not_a_server_error``);
- a status the document lists for the operation (``status_code_conformance``), with the
  content type (``content_type_conformance``) and the body (``response_schema_conformance``)
  it documents;
- a 4xx for a request the document says is invalid (``negative_data_rejection``).

Random ids in a path only ever find nothing (404), so real ones are used as well, three
ways, under the same checks:

- schemathesis hooks on this schema (``flatmap_path_parameters``, ``flatmap_query``,
  ``flatmap_body``) let Hypothesis draw, for each id it generated valid, either that
  random id or the id of an object that exists in the test's database (the ``existing``
  fixture: a person, their consent record, an agency code; ``withdraws`` in a body);
- a case whose path was generated valid is also sent again with each id it names
  pointing at the real object, which takes the query and body fuzzing past the 404 into
  the operation itself;
- the stateful run follows the document's OpenAPI links from a consent record just made
  (its FHIR export, the person's position, more consent, its withdrawal).

A new path parameter name is added to ``existing`` with what makes its object (a test
below fails until it is). The hard cases (issue 16) close the file: a body nested 1000
deep on every POST operation the document lists, and consent times with an offset.

The API's error answers (400 not JSON, 401 signed out, 403 CSRF, 404 not visible, 422
bad input) are documented by ``mash.api.openapi.HubAPI``, so these checks hold them to a
schema as well.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.parameters import ParameterLocation

# Bounded and seeded, so CI sees the same requests every run and stays well under a minute.
MAX_EXAMPLES = 25
SEED = 20260401

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

application = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    application,
    config=schemathesis.config.SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
            # The document's links (a consent record just made -> its FHIR export, the
            # person's position, more consent, its withdrawal) drive the stateful test below.
            "phases": {"stateful": {"enabled": True}},
        }
    ),
)


@contextmanager
def in_process_requests() -> Iterator[None]:
    """Django's WSGI handler closes the database connection when a request starts and
    finishes, which would end the test's transaction (on PostgreSQL; SQLite's in-memory
    test database ignores the close). Django's own test client turns that off in the same
    way around each of its requests, and turns it back on after: so this wraps the calls
    themselves, not the whole test."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def hub_practitioner_session(cast: dict[str, Any]) -> dict[str, Any]:
    """Headers and cookies of Hana (hub practitioner) signed in, with a CSRF token as a
    browser would hold it: the cookie from a page with a form, echoed in X-CSRFToken."""
    browser = Client()
    browser.force_login(cast["hub_practitioner"])
    browser.get("/decisions/check")
    session = browser.cookies["sessionid"].value
    token = browser.cookies["csrftoken"].value
    return {
        "cookies": {"sessionid": session, "csrftoken": token},
        "headers": {"X-CSRFToken": token},
    }


def _consented_person(cast: dict[str, Any]) -> tuple[Any, Any]:
    """An open enquiry's child with consent given to share with every agency."""
    import datetime as dt

    from faker import Faker

    from mash.consent import services
    from tests.enquiries.conftest import open_enquiry

    fake = Faker("en_GB")
    fake.seed_instance(20261125)
    person = open_enquiry(cast["hub_practitioner"], fake).people.first()
    consent = services.record_consent(
        actor=cast["hub_practitioner"],
        person=person,
        status="given",
        giver="parental_responsibility",
        giver_relationship="Mother",
        purpose="MASH enquiry",
        method="written",
        given_on=dt.date(2026, 1, 5),
    )
    return person, consent


# --- real ids in the generated requests (schemathesis hooks on this schema) ------------------

# The ids of objects that exist in the test's database (filled by ``existing``), by the
# name of the parameter or body field that names them. Empty outside a test that made them.
REAL: dict[str, str] = {}
# A value that is certainly a valid ``format: uuid`` (swapping it for another valid id never
# turns a request the document calls invalid into a valid one).
_UUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# Body fields that name an object, and the ``REAL`` key of the object they name.
BODY_IDS = {"withdraws": "record_id"}


def _real_or_random(generated: Any, swaps: dict[str, str]) -> st.SearchStrategy[Any]:
    """The generated value, or the same with ``swaps`` (names of real objects): Hypothesis
    draws both, so each operation meets ids that find nothing and ids that find a thing."""
    if not swaps:
        return st.just(generated)
    return st.sampled_from([generated, {**generated, **swaps}])


@schema.hook
def flatmap_path_parameters(ctx: Any, path_parameters: dict[str, Any]) -> st.SearchStrategy[Any]:
    swaps = {
        name: REAL[name]
        for name, value in (path_parameters or {}).items()
        if name in REAL and isinstance(value, str) and _UUID.match(value)
    }
    return _real_or_random(path_parameters, swaps)


@schema.hook
def flatmap_query(ctx: Any, query: dict[str, Any]) -> st.SearchStrategy[Any]:
    swaps = {
        name: REAL[name]
        for name, value in (query or {}).items()
        if name == "agency" and name in REAL and isinstance(value, str) and value
    }
    return _real_or_random(query, swaps)


@schema.hook
def flatmap_body(ctx: Any, body: Any) -> st.SearchStrategy[Any]:
    if not isinstance(body, dict):
        return st.just(body)
    swaps: dict[str, Any] = {
        field: REAL[key]
        for field, key in BODY_IDS.items()
        if key in REAL and isinstance(body.get(field), str) and _UUID.match(body[field])
    }
    if REAL and isinstance(body.get("purposes"), list):
        # A consent's purposes are codes of the hub's list (data, not in the document):
        # drawn strings name none of them, so also draw "not limited" (null, valid too).
        swaps["purposes"] = None
    return _real_or_random(body, swaps)


@pytest.fixture
def existing(cast: dict[str, Any]) -> Iterator[dict[str, str]]:
    """Ids of objects the hub practitioner may see, by the path parameter naming them,
    and query values that name real things (an agency code). Also handed to the hooks
    above (``REAL``), so the generated requests name them as well as random ids."""
    person, consent = _consented_person(cast)
    decision = _released_decision(cast)
    ids = {
        "person_id": str(person.pk),
        "record_id": str(consent.pk),
        "decision_id": str(decision.pk),
        "request_id": str(decision.request_id),
        "agency": "police",
        "indexed_person_id": str(person.index_link.indexed_person_id),
    }
    REAL.update(ids)
    try:
        yield ids
    finally:
        REAL.clear()


def _released_decision(cast: dict[str, Any]) -> Any:
    """A police decision to share on consent, released to the hub."""
    from mash.sharing import services
    from tests.sharing.factories import CONSENTED, an_item, make_request

    police = cast["police_practitioner"]
    req = make_request(cast=cast, agency=police.agency)
    child = req.people.get(kind="child")
    return services.record_decision(
        actor=police,
        request=req,
        question=CONSENTED,
        items=[an_item([child])],
        adequacy_confirmed=True,
    )


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_documented(
    case: Any, hub_practitioner_session: dict[str, Any], existing: dict[str, str]
) -> None:
    session = dict(hub_practitioner_session)
    if case.meta and case.meta.is_negative_at(ParameterLocation.COOKIE):
        # The document's security scheme is the session cookie: a case that spoils it is
        # sent with the spoilt cookie alone, and must be refused (401).
        session["cookies"] = {}
    with in_process_requests():
        case.call_and_validate(
            headers=session["headers"], cookies=session["cookies"], checks=CHECKS
        )

    path = case.path_parameters or {}
    known = {name: existing[name] for name in path if name in existing}
    if known and not (case.meta and case.meta.is_negative_at(ParameterLocation.PATH)):
        case.path_parameters = {**path, **known}
        query = case.query or {}
        if not (case.meta and case.meta.is_negative_at(ParameterLocation.QUERY)):
            case.query = {**query, **{k: existing[k] for k in query if k in existing}}
        with in_process_requests():
            case.call_and_validate(
                headers=session["headers"], cookies=session["cookies"], checks=CHECKS
            )


def test_every_path_parameter_can_name_an_existing_object() -> None:
    """So no operation is fuzzed only against 404s: add the new name to ``existing``."""
    names = {
        parameter["name"]
        for result in schema.get_all_operations()
        for parameter in result.ok().definition.raw.get("parameters", [])
        if parameter.get("in") == "path"
    }
    known = {"person_id", "record_id", "decision_id", "request_id", "indexed_person_id"}
    assert names <= known, names - known


def test_the_document_lists_operations_to_fuzz() -> None:
    operations = [result.ok() for result in schema.get_all_operations()]
    assert ("POST", "/api/v1/decisions/evaluate") in {
        (op.method.upper(), op.full_path) for op in operations
    }


# --- real ids: the hooks, and the stateful links ----------------------------------------------


@pytest.mark.django_db
def test_the_generated_requests_name_real_objects_as_well_as_random_ones(
    existing: dict[str, str],
) -> None:
    """The hooks above at work: drawing the consent operation's requests, some name the
    real person (and some bodies withdraw the real consent record), some random ids."""
    operation = schema["/api/v1/consent/people/{person_id}/records"]["POST"]
    people: set[bool] = set()
    withdrawn: set[bool] = set()

    @settings(max_examples=60, derandomize=True, database=None, deadline=None)
    @given(case=operation.as_strategy())
    def draw(case: Any) -> None:
        people.add(case.path_parameters["person_id"] == existing["person_id"])
        if isinstance(case.body, dict) and isinstance(case.body.get("withdraws"), str):
            withdrawn.add(case.body["withdraws"] == existing["record_id"])

    draw()
    assert people == {True, False}
    assert True in withdrawn


@pytest.mark.django_db
def test_following_the_documents_links_from_real_people_reaches_real_consent_records(
    hub_practitioner_session: dict[str, Any], existing: dict[str, str]
) -> None:
    """Stateful: schemathesis follows the OpenAPI links of a consent record just made (its
    FHIR export, the person's position, recording more, withdrawing it) with the ids the
    answer holds, each step under the same checks as the rest: no 5xx, every answer as
    documented. The roots start from the real person (the hooks) as well as random ids."""
    session = hub_practitioner_session
    seen: Counter[tuple[str, str, int]] = Counter()

    class Scenario(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            spoilt = case.meta and case.meta.is_negative_at(ParameterLocation.COOKIE)
            # As above: a case that spoils the session cookie goes without it (a 401).
            return {"headers": session["headers"], "cookies": {} if spoilt else session["cookies"]}

        def call(self, case: Any, **kwargs: Any) -> Any:
            with in_process_requests():
                response = case.call(**kwargs)
            seen[(case.method.upper(), case.operation.path, response.status_code)] += 1
            return response

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Scenario.run(
        settings=settings(
            max_examples=40,
            stateful_step_count=6,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    # Records made for the real person (the checks above held on every step). Which links
    # a derandomised run then follows depends on the schema's every field, so that each
    # link leads where it says is shown by hand in tests/api/test_every_error_is_the_apis.
    assert seen[("POST", "/api/v1/consent/people/{person_id}/records", 201)], seen
    assert sum(n for (_, _, status), n in seen.items() if status >= 500) == 0, seen


# --- the hard cases, sent through the same checks ------------------------------------------

DEEP = 1000  # far past the API's nesting limit (mash.lib.jsonlimits.MAX_DEPTH)


def _deep_arrays(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


def _deep_objects(depth: int) -> Any:
    value: Any = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def _consent_body(given_time: str) -> dict[str, Any]:
    return {
        "status": "given",
        "giver": "parental_responsibility",
        "giver_relationship": "Mother",
        "purpose": "MASH enquiry",
        "method": "verbal",
        "given_on": "2026-01-05",
        "given_time": given_time,
    }


RECORDS = "/api/v1/consent/people/{person_id}/records"
POSTS = sorted(
    result.ok().path
    for result in schema.get_all_operations()
    if result.ok().method.upper() == "POST"
)


@contextmanager
def deep_recursion() -> Iterator[None]:
    """Python's own JSON encoder (and schemathesis's copies of the body) recurse once per
    level: room for the client side of a 1000-deep body. The hub never parses one."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * DEEP))
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


@pytest.mark.django_db
@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize(
    "body",
    [
        pytest.param(_deep_arrays(DEEP), id="arrays-1000-deep"),
        pytest.param(_deep_objects(DEEP), id="objects-1000-deep"),
        pytest.param({"purpose": "x", "agencies": _deep_arrays(DEEP)}, id="a-field-1000-deep"),
    ],
)
def test_every_post_refuses_a_body_nested_1000_deep_with_a_json_4xx(
    path: str,
    body: Any,
    hub_practitioner_session: dict[str, Any],
    existing: dict[str, str],
) -> None:
    """Every POST operation of the document (found there, so a new one is covered), against
    real objects: a JSON 422 naming the body, never a 500, and as documented."""
    operation = schema[path]["POST"]
    names = {name: existing[name] for name in ("person_id", "record_id") if f"{{{name}}}" in path}
    case = operation.Case(path_parameters=names, body=body, media_type="application/json")
    with in_process_requests(), deep_recursion():
        response = case.call_and_validate(
            headers=hub_practitioner_session["headers"],
            cookies=hub_practitioner_session["cookies"],
            checks=CHECKS,
        )
    assert response.status_code == 422, response.text[:300]
    headers = {name.lower(): value for name, value in response.headers.items()}
    assert headers["content-type"][0].startswith("application/json")
    [problem] = response.json()["detail"]
    assert problem["type"] == "json_too_deep" and problem["loc"] == ["body"]


HARD_CASES = [
    pytest.param(RECORDS, _consent_body("10:00:00Z"), 422, id="consent-time-z"),
    pytest.param(RECORDS, _consent_body("10:00:00+01:00"), 422, id="consent-time-offset"),
    pytest.param(RECORDS, _consent_body("10:00+01:00"), 422, id="consent-time-short-offset"),
    pytest.param(RECORDS, _consent_body("10:00:00-05:00"), 422, id="consent-time-negative-offset"),
    pytest.param(RECORDS, _consent_body("10:00"), 201, id="consent-local-time"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "body", "status"), HARD_CASES)
def test_a_consent_time_with_an_offset_is_a_422_naming_the_field_as_documented(
    path: str,
    body: Any,
    status: int,
    hub_practitioner_session: dict[str, Any],
    existing: dict[str, str],
) -> None:
    """Times with an offset (issue 16) on the consent record operation, for a real person:
    a 422 naming ``given_time`` and nothing saved (a local time is recorded), under every
    check the fuzzing holds answers to."""
    from mash.consent.models import ConsentRecord

    before = ConsentRecord.objects.count()
    operation = schema[path]["POST"]
    names = {"person_id": existing["person_id"]} if "{person_id}" in path else {}
    case = operation.Case(path_parameters=names, body=body, media_type="application/json")
    with in_process_requests():
        response = case.call_and_validate(
            headers=hub_practitioner_session["headers"],
            cookies=hub_practitioner_session["cookies"],
            checks=CHECKS,
        )
    assert response.status_code == status, response.text[:300]
    if status == 422:
        [problem] = response.json()["detail"]
        assert problem["loc"][0] == "body" and problem["loc"][-1] == "given_time"
        assert "without a time zone" in problem["msg"]
        assert ConsentRecord.objects.count() == before
    else:
        assert response.json()["given_time"] == "10:00:00"
        assert ConsentRecord.objects.count() == before + 1
