"""Every answer from /api/v1/ is the API's own (issue 16): JSON in the documented shape,
the status the document lists, never a 500 or an HTML page. A body too large (413) or
nested too deep (422) is refused before it is parsed; a time with an offset is refused
naming the field; a signed-out POST is 401, not a CSRF 403."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from faker import Faker

from mash.consent import services
from mash.consent.models import ConsentRecord
from mash.lib.jsonlimits import MAX_DEPTH
from tests.enquiries.conftest import open_enquiry

EVALUATE = "/api/v1/decisions/evaluate"


def _records(person: Any) -> str:
    return f"/api/v1/consent/people/{person.pk}/records"


@pytest.fixture
def person(cast: dict[str, Any]) -> Any:
    fake = Faker("en_GB")
    fake.seed_instance(1616)
    return open_enquiry(cast["hub_practitioner"], fake).people.get(kind="child")


def _consent(**overrides: Any) -> dict[str, Any]:
    body = {
        "status": "given",
        "giver": "parental_responsibility",
        "giver_relationship": "mother",
        "agencies": ["police"],
        "purpose": "MASH enquiry",
        "method": "verbal",
        "given_on": "2026-01-03",
        "given_time": "14:30",
    }
    body.update(overrides)
    return body


def _is_json_error(response: Any, status: int) -> Any:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert "detail" in body
    return body


# --- nesting and size, before parsing ------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "[" * 1000 + "]" * 1000,
        '{"a":' * 1000 + "1" + "}" * 1000,
        '{"when": {"x": ' + "[" * 40 + "]" * 40 + "}}",
    ],
    ids=["arrays-1000-deep", "objects-1000-deep", "inside-a-question"],
)
def test_a_body_nested_too_deep_is_a_422_naming_the_body(client: Client, body: str) -> None:
    answer = _is_json_error(client.post(EVALUATE, body, content_type="application/json"), 422)
    [problem] = answer["detail"]
    assert problem["type"] == "json_too_deep"
    assert problem["loc"] == ["body"] and problem["field"] == ""
    assert f"at most {MAX_DEPTH} levels" in problem["msg"]


def test_brackets_inside_strings_are_text_not_nesting(client: Client) -> None:
    body = json.dumps({"purpose": "[" * 5000 + '\\"{' * 100})
    answer = client.post(EVALUATE, body, content_type="application/json")
    assert answer.status_code == 422
    assert all(p["type"] != "json_too_deep" for p in answer.json()["detail"])


def test_the_policy_refuses_deep_json_from_every_caller() -> None:
    from mash.policy import QuestionError, validate_json

    with pytest.raises(QuestionError) as raised:
        validate_json("[" * 100_000 + "]" * 100_000)
    assert raised.value.errors[0].type == "json_too_deep"


def test_a_body_over_the_limit_is_a_413_in_json(client: Client, settings: Any) -> None:
    settings.MASH_API_MAX_BODY_BYTES = 1024
    answer = _is_json_error(
        client.post(EVALUATE, json.dumps({"x": "y" * 2048}), content_type="application/json"),
        413,
    )
    assert "at most 1024 bytes" in answer["detail"]


def test_a_ten_megabyte_body_is_a_413_not_an_html_400(client: Client, person: Any) -> None:
    ten = json.dumps({"purpose": "x" * (10 * 1024 * 1024)})
    for path in (EVALUATE, _records(person)):
        _is_json_error(client.post(path, ten, content_type="application/json"), 413)
    assert not ConsentRecord.objects.exists()


# --- sign-in and CSRF ----------------------------------------------------------------------


def test_a_signed_out_post_is_a_401_as_documented(person: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    answer = _is_json_error(
        client.post(_records(person), json.dumps(_consent()), content_type="application/json"),
        401,
    )
    assert answer["detail"]
    assert not ConsentRecord.objects.exists()


def test_a_signed_in_post_without_the_csrf_token_is_still_refused(
    cast: dict[str, Any], person: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["hub_practitioner"])
    _is_json_error(
        client.post(_records(person), json.dumps(_consent()), content_type="application/json"),
        403,
    )
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/no-such-thing", 404),
        ("get", "/api/v1/decisions/evaluate", 405),
        ("delete", "/api/v1/decisions/evaluate", 405),
    ],
)
def test_an_answer_django_would_give_as_html_is_json(
    client: Client, method: str, path: str, status: int
) -> None:
    _is_json_error(getattr(client, method)(path), status)


# --- times with an offset ------------------------------------------------------------------


@pytest.mark.parametrize("given_time", ["10:00:00Z", "10:00:00+01:00", "10:00-05:00"])
def test_a_time_with_an_offset_is_a_422_naming_given_time(
    client_for: Any, person: Any, given_time: str
) -> None:
    answer = client_for("hub_practitioner").post(
        _records(person), json.dumps(_consent(given_time=given_time)), "application/json"
    )
    body = _is_json_error(answer, 422)
    [problem] = body["detail"]
    assert problem["loc"][-1] == "given_time"
    assert "without a time zone" in problem["msg"]
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize("given_time", ["25:00", "ten o'clock", "\uff11\uff10:\uff10\uff10"])
def test_a_time_that_is_not_a_time_is_a_422_naming_given_time(
    client_for: Any, person: Any, given_time: str
) -> None:
    answer = client_for("hub_practitioner").post(
        _records(person), json.dumps(_consent(given_time=given_time)), "application/json"
    )
    [problem] = _is_json_error(answer, 422)["detail"]
    assert problem["loc"][-1] == "given_time"


def test_a_local_time_is_recorded(client_for: Any, person: Any) -> None:
    answer = client_for("hub_practitioner").post(
        _records(person), json.dumps(_consent(given_time="10:05:30")), "application/json"
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["given_time"] == "10:05:30"


def test_the_register_refuses_an_aware_time_from_any_caller(
    cast: dict[str, Any], person: Any
) -> None:
    import datetime as dt

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        services.record_consent(
            actor=cast["hub_practitioner"],
            person=person,
            status="given",
            giver="parental_responsibility",
            giver_relationship="mother",
            purpose="MASH enquiry",
            method="verbal",
            given_on=dt.date(2026, 1, 3),
            given_time=dt.time(10, 0, tzinfo=dt.UTC),
        )
    assert "given_time" in raised.value.message_dict
    assert not ConsentRecord.objects.exists()


# --- the schema says what the rules require ------------------------------------------------


def test_the_schema_says_what_the_rules_require(client: Client, db: Any) -> None:
    document = client.get("/api/v1/openapi.json").json()
    position = document["paths"]["/api/v1/consent/people/{person_id}/position"]["get"]
    [agency] = [p for p in position["parameters"] if p["name"] == "agency"]
    assert agency["required"] is True and agency["schema"]["minLength"] == 1
    consent = document["components"]["schemas"]["ConsentIn"]
    rules = {json.dumps(rule["if"], sort_keys=True): rule["then"] for rule in consent["allOf"]}
    assert any("purpose" in then["required"] for then in rules.values())
    assert any("withdraws" in then["required"] for then in rules.values())
    assert any("giver_relationship" in then["required"] for then in rules.values())
    time = consent["properties"]["given_time"]["anyOf"][0]
    assert "format" not in time and time["pattern"].startswith("^")
    records = document["paths"]["/api/v1/consent/people/{person_id}/records"]["post"]
    assert "413" in records["responses"]


def test_an_empty_agency_is_a_422_naming_it(client_for: Any, person: Any) -> None:
    answer = client_for("hub_practitioner").get(
        f"/api/v1/consent/people/{person.pk}/position", {"agency": ""}
    )
    [problem] = _is_json_error(answer, 422)["detail"]
    assert problem["loc"][-1] == "agency"


def test_the_links_the_document_gives_for_a_new_consent_record_lead_where_they_say(
    client_for: Any, person: Any
) -> None:
    """Every OpenAPI link of the consent record operation's 201, followed by hand with the
    ids the answer holds ($response.body#/...), reaches its operation and answers as
    documented: the FHIR export and the position (200; the agency asked about is the
    client's own query), more consent and the withdrawal (201). The stateful fuzzing walks
    the same links at random."""
    client = client_for("hub_practitioner")
    document = client.get("/api/v1/openapi.json").json()
    by_id = {
        op["operationId"]: (path, method)
        for path, item in document["paths"].items()
        for method, op in item.items()
    }
    made = client.post(_records(person), json.dumps(_consent()), "application/json")
    assert made.status_code == 201, made.content
    body = made.json()

    def value(expression: Any) -> Any:
        prefix = "$response.body#/"
        return body[expression[len(prefix) :]] if str(expression).startswith(prefix) else expression

    links = document["paths"]["/api/v1/consent/people/{person_id}/records"]["post"]["responses"][
        "201"
    ]["links"]
    answers = {}
    for name, link in links.items():
        path, method = by_id[link["operationId"]]
        for parameter, expression in link["parameters"].items():
            path = path.replace("{" + parameter + "}", str(value(expression)))
        if method == "get":
            answer = client.get(path, {"agency": "police"} if "position" in path else None)
        else:
            extra = {k: value(v) for k, v in (link.get("requestBody") or {}).items()}
            answer = client.post(path, json.dumps(_consent(**extra)), "application/json")
        answers[name] = answer.status_code
    assert answers == {
        "ConsentRecordAsFhir": 200,
        "ConsentPositionOfThePerson": 200,
        "MoreConsentForThePerson": 201,
        "WithdrawTheRecord": 201,
    }
