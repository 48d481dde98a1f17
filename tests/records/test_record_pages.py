from __future__ import annotations

from typing import Any

import pytest

from mash.records.models import Action, RecordEntry
from mash.records.services import record
from tests.records.fixtures import make_enquiry


@pytest.fixture
def story(cast: dict[str, Any], agencies: dict[str, Any]) -> dict[str, Any]:
    """A hub practitioner opens an enquiry and adds the child; police look at it."""
    enquiry = make_enquiry(cast, agencies)
    child = enquiry.people.get()
    record(
        action=Action.ENQUIRY_CREATED, actor=cast["hub_practitioner"], obj=enquiry, enquiry=enquiry
    )
    record(action=Action.PERSON_ADDED, actor=cast["hub_practitioner"], obj=child, enquiry=enquiry)
    record(
        action=Action.ENQUIRY_VIEWED,
        actor=cast["police_practitioner"],
        obj=enquiry,
        enquiry=enquiry,
    )
    record(
        action=Action.PERSON_VIEWED, actor=cast["health_practitioner"], obj=child, enquiry=enquiry
    )
    return {"enquiry": enquiry, "child": child}


def _shown_actions(response: Any) -> list[str]:
    return [entry.action for entry in response.context["page"].object_list]


@pytest.mark.parametrize("who", ["hub_practitioner", "police_practitioner", "outsider"])
def test_practitioners_are_refused_every_record_page(client_for: Any, who: str) -> None:
    c = client_for(who)
    for url in ("/record/", "/record/activity", "/record/activity.csv", "/record/denied"):
        assert c.get(url).status_code == 403


def test_someone_not_signed_in_is_asked_to_sign_in(client: Any, db: Any) -> None:
    response = client.get("/record/activity")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in")


def test_the_dpo_sees_the_health_of_the_record(client_for: Any, story: dict[str, Any]) -> None:
    from tests.records.helpers import run_records

    run_records("checkpoint")
    run_records("verify")
    response = client_for("dpo").get("/record/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Intact" in page
    assert "Last checkpoint" in page and "None signed yet" not in page
    head = RecordEntry.objects.order_by("-seq").exclude(action=Action.RECORD_VIEWED).first()
    assert head.hash in page
    viewed = RecordEntry.objects.order_by("-seq").first()
    assert (viewed.action, viewed.details) == (Action.RECORD_VIEWED, {"page": "dashboard"})


def test_the_dpo_sees_who_has_viewed_or_changed_an_enquiry(
    client_for: Any, story: dict[str, Any], cast: dict[str, Any]
) -> None:
    enquiry = story["enquiry"]
    response = client_for("dpo").get(f"/record/activity?enquiry={enquiry.pk}")
    assert response.status_code == 200
    assert _shown_actions(response) == [
        Action.PERSON_VIEWED,
        Action.ENQUIRY_VIEWED,
        Action.PERSON_ADDED,
        Action.ENQUIRY_CREATED,
    ]
    assert "priya" in response.content.decode()
    seen = RecordEntry.objects.order_by("-seq").first()
    assert seen.action == Action.RECORD_VIEWED
    assert seen.actor_user_id == cast["dpo"].pk
    assert seen.enquiry_id == enquiry.pk
    assert seen.details == {"page": "activity", "filters": {"enquiry": str(enquiry.pk)}}


def test_the_dpo_can_look_up_one_person_and_narrow_by_user_agency_and_action(
    client_for: Any, story: dict[str, Any], cast: dict[str, Any]
) -> None:
    c = client_for("dpo")
    child = story["child"]
    response = c.get(f"/record/activity?object_id={child.pk}")
    assert _shown_actions(response) == [Action.PERSON_VIEWED, Action.PERSON_ADDED]
    response = c.get(f"/record/activity?user={cast['health_practitioner'].pk}")
    assert _shown_actions(response) == [Action.PERSON_VIEWED]
    response = c.get("/record/activity?agency=police&action=enquiry.viewed")
    assert _shown_actions(response) == [Action.ENQUIRY_VIEWED]


def test_a_date_range_limits_the_entries(client_for: Any, story: dict[str, Any]) -> None:
    c = client_for("dpo")
    response = c.get(
        "/record/activity?from_day=1&from_month=1&from_year=2001&to_day=31&to_month=12&to_year=2001"
    )
    assert response.status_code == 200
    assert _shown_actions(response) == []
    response = c.get("/record/activity?from_day=1&from_month=1&from_year=2001")
    assert len(_shown_actions(response)) >= 4


def test_a_manager_sees_only_what_users_of_their_agency_did(
    client_for: Any, story: dict[str, Any]
) -> None:
    response = client_for("police_manager").get(f"/record/activity?enquiry={story['enquiry'].pk}")
    assert response.status_code == 200
    assert _shown_actions(response) == [Action.ENQUIRY_VIEWED]
    assert {entry.actor_agency for entry in response.context["page"].object_list} == {"police"}
    response = client_for("hub_manager").get(f"/record/activity?enquiry={story['enquiry'].pk}")
    assert _shown_actions(response) == [Action.PERSON_ADDED, Action.ENQUIRY_CREATED]


def test_a_manager_cannot_choose_another_agency(client_for: Any, story: dict[str, Any]) -> None:
    response = client_for("police_manager").get("/record/activity?agency=health")
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message", "anchor"),
    [
        ("enquiry=not-an-id", "Enter the enquiry ID in full", "#id_enquiry"),
        (
            "from_day=31&from_month=2&from_year=2026",
            "Date from must be a real date",
            "#id_from_day",
        ),
        ("from_day=3&from_year=2026", "Date from must include a month", "#id_from_day"),
        (
            "from_day=2&from_month=3&from_year=2026&to_day=1&to_month=3&to_year=2026",
            "Date to must be the same as or after date from",
            "#id_to_day",
        ),
    ],
)
def test_a_bad_filter_gets_a_message_naming_the_field(
    client_for: Any, cast: dict[str, Any], query: str, message: str, anchor: str
) -> None:
    response = client_for("dpo").get(f"/record/activity?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'href="{anchor}"' in page


def test_long_results_come_in_pages(client_for: Any, cast: dict[str, Any]) -> None:
    for n in range(60):
        record(action=Action.ENQUIRY_LISTED, actor=cast["hub_practitioner"], details={"n": n})
    c = client_for("dpo")
    first = c.get("/record/activity?action=enquiry.listed")
    assert len(_shown_actions(first)) == 50
    assert "Page 1 of 2" in first.content.decode()
    second = c.get("/record/activity?action=enquiry.listed&page=2")
    assert len(_shown_actions(second)) == 10
    assert 'href="?action=enquiry.listed&amp;page=1"' in second.content.decode()


def test_the_denied_list_shows_refusals_within_the_readers_scope(
    client_for: Any, cast: dict[str, Any]
) -> None:
    client_for("police_practitioner").get("/record/")  # refused: recorded
    client_for("outsider").get("/record/")  # refused: recorded (education)
    police = client_for("police_manager").get("/record/denied")
    assert [e.actor_agency for e in police.context["page"].object_list] == ["police"]
    hub = client_for("dpo").get("/record/denied")
    assert {e.actor_agency for e in hub.context["page"].object_list} == {"police", "education"}
    assert (
        RecordEntry.objects.filter(action=Action.RECORD_VIEWED, details__page="denied").count() == 2
    )
