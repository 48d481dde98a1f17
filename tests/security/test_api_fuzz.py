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

Random ids in a path only ever find nothing (404), so a case whose path was generated
valid is sent again with each id it names (``person_id``, ``record_id``...) pointing at
an object the hub practitioner may see (the ``existing`` fixture), and the same checks
hold: that takes the query and body fuzzing past the 404 into the operation itself. A
new path parameter name is added to ``existing`` with what makes its object (a test
below fails until it is).

The API's error answers (400 not JSON, 401 signed out, 403 CSRF, 404 not visible, 422
bad input) are documented by ``mash.api.openapi.HubAPI``, so these checks hold them to a
schema as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
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
            # Stateful links are not declared by the document; each operation stands alone.
            "phases": {"stateful": {"enabled": False}},
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


@pytest.fixture
def existing(cast: dict[str, Any]) -> dict[str, str]:
    """Ids of objects the hub practitioner may see, by the path parameter naming them,
    and query values that name real things (an agency code)."""
    person, consent = _consented_person(cast)
    return {
        "person_id": str(person.pk),
        "record_id": str(consent.pk),
        "decision_id": str(_released_decision(cast).pk),
        "agency": "police",
    }


def _released_decision(cast: dict[str, Any]) -> Any:
    """A police decision to share on consent, released to the hub."""
    from mash.sharing import services
    from tests.sharing.factories import CONSENTED, an_item, make_request

    police = cast["police_practitioner"]
    req = make_request(cast=cast, agency=police.agency)
    child = req.people.get(kind="child")
    return services.record_decision(
        actor=police, request=req, question=CONSENTED, items=[an_item([child])]
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
    known = {"person_id", "record_id", "decision_id"}
    assert names <= known, names - known


def test_the_document_lists_operations_to_fuzz() -> None:
    operations = [result.ok() for result in schema.get_all_operations()]
    assert ("POST", "/api/v1/decisions/evaluate") in {
        (op.method.upper(), op.full_path) for op in operations
    }


# --- the hard cases, sent through the same checks ------------------------------------------

DEEP = 200  # far past the API's nesting limit; 1000 deep is in tests/api


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
HARD_CASES = [
    pytest.param("/api/v1/decisions/evaluate", _deep_arrays(DEEP), 422, id="evaluate-deep-arrays"),
    pytest.param(
        "/api/v1/decisions/evaluate", _deep_objects(DEEP), 422, id="evaluate-deep-objects"
    ),
    pytest.param(
        RECORDS, {**_consent_body("10:00"), "agencies": _deep_arrays(DEEP)}, 422, id="consent-deep"
    ),
    pytest.param(RECORDS, _consent_body("10:00:00Z"), 422, id="consent-time-z"),
    pytest.param(RECORDS, _consent_body("10:00:00+01:00"), 422, id="consent-time-offset"),
    pytest.param(RECORDS, _consent_body("10:00"), 201, id="consent-local-time"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "body", "status"), HARD_CASES)
def test_the_hard_cases_answer_as_documented(
    path: str,
    body: Any,
    status: int,
    hub_practitioner_session: dict[str, Any],
    existing: dict[str, str],
) -> None:
    """Bodies nested far too deep and times with an offset (issue 16), against a real
    person: the status expected, and every check the fuzzing holds answers to."""
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
