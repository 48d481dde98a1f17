"""Who may see and record consent: a matrix of the shared cast against every consent
page. Anything not allowed answers 404, exactly as if the person did not exist."""

from __future__ import annotations

from typing import Any

import pytest

ALLOWED = {"hub_practitioner", "hub_manager", "dpo", "police_practitioner", "police_manager"}
EVERYONE = [
    "hub_practitioner",
    "hub_manager",
    "dpo",
    "police_practitioner",
    "police_manager",
    "health_practitioner",
    "outsider",
]


@pytest.fixture
def given(make_record: Any, child: Any) -> Any:
    return make_record(child)


def _pages(child: Any, given: Any) -> list[str]:
    return [
        f"/consent/people/{child.pk}/",
        f"/consent/people/{child.pk}/record",
        f"/consent/records/{given.pk}/withdraw",
        f"/consent/records/{given.pk}/fhir",
    ]


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_hub_and_an_agency_with_an_open_request_see_a_childs_consent(
    client_for: Any, who: str, child: Any, given: Any, open_request: Any
) -> None:
    client = client_for(who)
    for page in _pages(child, given):
        expected = 200 if who in ALLOWED else 404
        assert client.get(page).status_code == expected, page


@pytest.mark.parametrize("who", ["police_practitioner", "health_practitioner"])
def test_an_agency_sees_nothing_of_a_person_its_request_does_not_name(
    client_for: Any, who: str, people: dict[str, Any], open_request: Any, make_record: Any
) -> None:
    mothers = make_record(people["mother"])
    client = client_for(who)
    assert client.get(f"/consent/people/{people['mother'].pk}/").status_code == 404
    assert client.get(f"/consent/records/{mothers.pk}/fhir").status_code == 404


def test_an_agency_loses_sight_of_consent_once_its_request_is_answered(
    client_for: Any, child: Any, open_request: Any
) -> None:
    client = client_for("police_practitioner")
    assert client.get(f"/consent/people/{child.pk}/").status_code == 200
    open_request.status = "answered"
    open_request.save()
    assert client.get(f"/consent/people/{child.pk}/").status_code == 404


def test_hub_staff_of_another_hub_see_nothing(
    client_for: Any, cast: dict[str, Any], child: Any
) -> None:
    from mash.agencies.models import Agency

    other = Agency.objects.create(code="other-hub", name="Other MASH", kind="other", is_hub=True)
    cast["hub_practitioner"].agency = other
    cast["hub_practitioner"].save()
    assert client_for("hub_practitioner").get(f"/consent/people/{child.pk}/").status_code == 404


def test_an_agency_sees_only_the_records_that_cover_it(
    client_for: Any, child: Any, open_request: Any, make_record: Any
) -> None:
    for_health = make_record(child, agencies_=["health"], information_covered="Health only")
    for_police = make_record(child, agencies_=["police"], information_covered="Police yes")
    page = client_for("police_practitioner").get(f"/consent/people/{child.pk}/")
    assert f"record-{for_police.pk}".encode() in page.content
    assert f"record-{for_health.pk}".encode() not in page.content
    assert (
        client_for("police_practitioner").get(f"/consent/records/{for_health.pk}/fhir").status_code
        == 404
    )


def test_a_signed_out_visitor_is_sent_to_sign_in(client: Any, child: Any) -> None:
    response = client.get(f"/consent/people/{child.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in")


def test_an_unknown_person_is_not_found(client_for: Any, db: Any) -> None:
    response = client_for("hub_practitioner").get(
        "/consent/people/00000000-0000-0000-0000-000000000000/"
    )
    assert response.status_code == 404


def test_an_agency_sees_the_position_for_the_hub_it_shares_with_and_for_itself(
    client_for: Any, child: Any, open_request: Any, make_record: Any
) -> None:
    for_hub = make_record(child, agencies_=["hub"])
    page = client_for("police_practitioner").get(f"/consent/people/{child.pk}/")
    content = page.content.decode()
    assert f"record-{for_hub.pk}" in content
    rows = [cell.agency.code for cell in page.context["cells"]]
    assert rows == ["hub", "police"]
