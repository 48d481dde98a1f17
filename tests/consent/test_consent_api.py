"""The consent API: the same register and permissions as the pages, in JSON."""

from __future__ import annotations

import json
from typing import Any, get_args

import pytest

from mash.api.consent import CategoryCode
from mash.consent.models import Category, ConsentRecord
from mash.records.models import RecordEntry

from .conftest import at


def _body(**overrides: Any) -> dict[str, Any]:
    body = {
        "status": "given",
        "giver": "parental_responsibility",
        "giver_relationship": "father",
        "agencies": ["police"],
        "purpose": "MASH enquiry",
        "categories": ["health", "education"],
        "information_covered": "GP notes and attendance",
        "method": "verbal",
        "given_on": "2026-01-03",
        "given_time": "14:30",
    }
    body.update(overrides)
    return body


def _post(client: Any, person: Any, body: dict[str, Any]) -> Any:
    return client.post(
        f"/api/v1/consent/people/{person.pk}/records",
        json.dumps(body),
        content_type="application/json",
    )


def test_the_api_knows_the_same_kinds_of_information_as_the_register() -> None:
    assert set(get_args(CategoryCode)) == set(Category.values)


def test_it_answers_the_position_as_the_contracts_consent_object(
    client_for: Any, child: Any, make_record: Any
) -> None:
    consent = make_record(child, agencies_=["police"], day=3, time=None, recorded=at(3, 16))
    response = client_for("hub_practitioner").get(
        f"/api/v1/consent/people/{child.pk}/position", {"agency": "police", "category": "health"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["consent"]["status"] == "given"
    assert body["consent"]["agencies"] == ["police"]
    assert body["consent"]["explicit"] is True
    assert body["record"] == str(consent.pk)
    assert RecordEntry.objects.filter(
        action="consent.viewed", object_id=str(child.pk), details__view="position"
    ).exists()


def test_it_records_consent_and_the_position_follows(client_for: Any, child: Any) -> None:
    client = client_for("hub_practitioner")
    response = _post(client, child, _body())
    assert response.status_code == 201, response.content
    assert response.json()["explicit"] is True
    assert response.json()["agencies"] == ["police"]
    assert RecordEntry.objects.filter(action="consent.recorded").count() == 1
    position = client.get(
        f"/api/v1/consent/people/{child.pk}/position", {"agency": "police", "category": "health"}
    ).json()
    assert position["consent"]["status"] == "given"


def test_it_records_a_withdrawal_of_a_given_consent(client_for: Any, child: Any) -> None:
    client = client_for("hub_practitioner")
    given = _post(client, child, _body()).json()
    response = _post(
        client,
        child,
        {
            "status": "withdrawn",
            "giver": "parental_responsibility",
            "giver_relationship": "father",
            "method": "written",
            "given_on": "2026-01-05",
            "withdraws": given["id"],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["withdraws"] == given["id"]
    assert response.json()["categories"] == ["education", "health"]
    again = _post(
        client,
        child,
        {
            "status": "withdrawn",
            "giver": "self",
            "gillick_competent": True,
            "method": "written",
            "given_on": "2026-01-06",
            "withdraws": given["id"],
        },
    )
    assert again.status_code == 422


def test_a_partner_with_an_open_request_records_and_reads_consent(
    client_for: Any, child: Any, open_request: Any
) -> None:
    client = client_for("police_practitioner")
    assert _post(client, child, _body()).status_code == 201
    response = client.get(f"/api/v1/consent/people/{child.pk}/position", {"agency": "police"})
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["health_practitioner", "outsider", "police_practitioner"])
def test_it_answers_404_for_a_person_the_user_may_not_see(
    client_for: Any, child: Any, who: str
) -> None:
    client = client_for(who)
    assert (
        client.get(f"/api/v1/consent/people/{child.pk}/position", {"agency": "police"}).status_code
        == 404
    )
    assert _post(client, child, _body()).status_code == 404
    assert not ConsentRecord.objects.exists()


def test_it_answers_401_when_signed_out(client: Any, child: Any) -> None:
    assert (
        client.get(f"/api/v1/consent/people/{child.pk}/position", {"agency": "police"}).status_code
        == 401
    )
    assert _post(client, child, _body()).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_body(status="maybe"), "status"),
        (_body(gillick_competent="yes"), "gillick_competent"),
        (_body(categories=["gossip"]), "categories"),
        (_body(given_on="3 January"), "given_on"),
        (_body(agencies=["nowhere"]), "agencies"),
        (_body(agencies=[]), "agencies"),
        (_body(purpose=""), "purpose"),
        (_body(giver_relationship=""), "giver_relationship"),
        (_body(given_on="2999-01-01"), "given_on"),
        (_body(colour="blue"), "colour"),
        (_body(status="withdrawn"), "withdraws"),
    ],
)
def test_bad_input_answers_422_naming_the_field(
    client_for: Any, child: Any, body: dict[str, Any], field: str
) -> None:
    response = _post(client_for("hub_practitioner"), child, body)
    assert response.status_code == 422
    assert field in [str(part) for error in response.json()["detail"] for part in error["loc"]]
    assert not ConsentRecord.objects.exists()


def test_a_bad_query_answers_422_naming_it(client_for: Any, child: Any) -> None:
    client = client_for("hub_practitioner")
    url = f"/api/v1/consent/people/{child.pk}/position"
    for query, field in [
        ({"agency": "nowhere"}, "agency"),
        ({}, "agency"),
        ({"agency": "police", "category": "gossip"}, "category"),
    ]:
        response = client.get(url, query)
        assert response.status_code == 422
        assert field in [str(p) for e in response.json()["detail"] for p in e["loc"]]


def test_the_fhir_export_is_access_checked_and_recorded(
    client_for: Any, child: Any, make_record: Any
) -> None:
    consent = make_record(child)
    response = client_for("hub_practitioner").get(f"/api/v1/consent/records/{consent.pk}/fhir")
    assert response.status_code == 200
    assert response.json()["resourceType"] == "Consent"
    assert RecordEntry.objects.filter(action="export.downloaded").count() == 1
    assert (
        client_for("outsider").get(f"/api/v1/consent/records/{consent.pk}/fhir").status_code == 404
    )


def test_the_consent_endpoints_are_described_in_the_openapi_document(client: Any, db: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/consent/people/{person_id}/position" in paths
    assert "post" in paths["/api/v1/consent/people/{person_id}/records"]
    assert "/api/v1/consent/records/{record_id}/fhir" in paths
