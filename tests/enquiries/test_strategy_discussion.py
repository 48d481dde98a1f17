"""The strategy discussion: recorded by the hub when the authorised decision calls for
one (when, chair, agencies and their contributions, decisions, actions with owner,
agency and due date); actions in their owners' work until marked done (recorded);
an agency that attended sees its part only."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from mash.enquiries import threshold
from mash.enquiries.models import (
    Enquiry,
    StrategyAction,
    StrategyDiscussion,
    ThresholdDecision,
)
from mash.records.models import RecordEntry

POLICE_SAID = "POLICE-PART: two call-outs to the address last month"
HEALTH_SAID = "HEALTH-PART: missed immunisations"
DECIDED = "HUB-DECISIONS: section 47 enquiries to start today"


def authorise(enquiry: Enquiry, cast: dict[str, Any], outcomes: list[str]) -> ThresholdDecision:
    level = threshold.levels_for(enquiry.hub_id)[3]
    decision = threshold.record_threshold_decision(
        enquiry=enquiry,
        actor=cast["hub_practitioner"],
        level_id=str(level.pk),
        outcomes=outcomes,
        referral_service="",
        rationale="Significant harm suspected.",
    )
    return threshold.authorise_threshold_decision(decision=decision, actor=cast["hub_manager"])


def meeting_form(cast: dict[str, Any], agencies: dict[str, Any], **overrides: str) -> dict:
    held = timezone.localtime() - timedelta(hours=1)
    due = timezone.localdate() + timedelta(days=2)
    police, health = agencies["police"].pk, agencies["health"].pk
    data: dict[str, Any] = {
        "held_day": str(held.day),
        "held_month": str(held.month),
        "held_year": str(held.year),
        "held_time": held.strftime("%H:%M"),
        "chair": str(cast["hub_manager"].pk),
        "attended": [str(agencies["hub"].pk), str(police), str(health)],
        f"attendees_{agencies['hub'].pk}": "Harriet Tester, team manager",
        f"attendees_{police}": "DS Priya Tester",
        f"contribution_{police}": POLICE_SAID,
        f"attendees_{health}": "Hugo Tester, health visitor",
        f"contribution_{health}": HEALTH_SAID,
        "decisions": DECIDED,
        "action_1_description": "Visit the child at home with the police",
        "action_1_owner": str(cast["hub_practitioner"].pk),
        "action_1_due_day": str(due.day),
        "action_1_due_month": str(due.month),
        "action_1_due_year": str(due.year),
        "action_2_description": "POLICE-ACTION: check the partner's record",
        "action_2_owner": str(cast["police_practitioner"].pk),
        "action_2_due_day": str(due.day),
        "action_2_due_month": str(due.month),
        "action_2_due_year": str(due.year),
    }
    data.update(overrides)
    return data


def test_the_hub_records_it_and_actions_reach_their_owners_work_until_done(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any], enquiry: Enquiry
) -> None:
    authorise(enquiry, cast, ["strategy_discussion", "police_investigation"])
    hana = client_for("hub_practitioner")
    detail = hana.get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert "Record the strategy discussion" in detail
    url = f"/enquiries/{enquiry.pk}/strategy-discussion"
    assert "Agencies that attended" in hana.get(url).content.decode()
    response = hana.post(url, meeting_form(cast, agencies))
    assert response.status_code == 302, html.unescape(response.content.decode())[-3000:]
    meeting = StrategyDiscussion.objects.get()
    assert meeting.chair == cast["hub_manager"] and meeting.decisions == DECIDED
    assert meeting.attendances.count() == 3
    actions = {a.owner.username: a for a in meeting.actions.all()}
    assert actions["priya"].agency == agencies["police"]
    assert actions["hana"].agency == agencies["hub"]
    entry = RecordEntry.objects.get(enquiry_id=enquiry.pk, action="strategy.recorded")
    assert DECIDED not in str(entry.details) and len(entry.details["actions"]) == 2
    page = hana.get(url).content.decode()
    assert DECIDED in page and POLICE_SAID in page and HEALTH_SAID in page
    work = hana.get("/my-work").content.decode()
    assert "My actions from strategy discussions" in work
    assert "Visit the child at home with the police" in work
    assert "POLICE-ACTION" not in work  # Priya's, not Hana's
    done = hana.post(
        f"/strategy-discussions/actions/{actions['hana'].pk}/done", {"next": "/my-work"}
    )
    assert done.status_code == 302 and done["Location"] == "/my-work"
    assert StrategyAction.objects.get(pk=actions["hana"].pk).done_by == cast["hub_practitioner"]
    assert "Visit the child at home" not in hana.get("/my-work").content.decode()
    assert RecordEntry.objects.filter(
        action="strategy.action_done", object_id=str(actions["hana"].pk)
    ).exists()
    again = hana.post(f"/strategy-discussions/actions/{actions['hana'].pk}/done")
    assert again.status_code == 302
    assert RecordEntry.objects.filter(action="strategy.action_done").count() == 1


def test_an_agency_that_attended_sees_its_part_and_nothing_else(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any], enquiry: Enquiry
) -> None:
    authorise(enquiry, cast, ["strategy_discussion"])
    client_for("hub_practitioner").post(
        f"/enquiries/{enquiry.pk}/strategy-discussion", meeting_form(cast, agencies)
    )
    meeting = StrategyDiscussion.objects.get()
    priya = client_for("police_practitioner")
    listing = html.unescape(priya.get("/strategy-discussions/").content.decode())
    assert enquiry.reference in listing and "POLICE-ACTION" in listing  # her action
    page = html.unescape(priya.get(f"/strategy-discussions/{meeting.pk}").content.decode())
    assert POLICE_SAID in page and "POLICE-ACTION" in page and "DS Priya Tester" in page
    assert HEALTH_SAID not in page and DECIDED not in page and "Hugo" not in page
    assert "Visit the child at home" not in page  # the hub's action
    police_action = StrategyAction.objects.get(owner=cast["police_practitioner"])
    # Only the owner marks an action done.
    assert (
        client_for("police_manager")
        .post(f"/strategy-discussions/actions/{police_action.pk}/done")
        .status_code
        == 404
    )
    assert priya.post(f"/strategy-discussions/actions/{police_action.pk}/done").status_code == 302
    assert StrategyAction.objects.get(pk=police_action.pk).done_at is not None
    # An agency that did not attend sees nothing; the hub reads it on the enquiry.
    assert client_for("outsider").get(f"/strategy-discussions/{meeting.pk}").status_code == 404
    assert (
        enquiry.reference
        not in client_for("outsider").get("/strategy-discussions/").content.decode()
    )
    assert (
        client_for("hub_practitioner").get(f"/strategy-discussions/{meeting.pk}").status_code == 404
    )


@pytest.mark.parametrize(
    ("overrides", "anchor", "message"),
    [
        ({"decisions": ""}, "id_decisions", "Enter the decisions made"),
        ({"held_time": "25:00"}, "id_held_time", "24-hour clock"),
        ({"held_day": ""}, "id_held_day", "must include a day"),
        ({"chair": ""}, "id_chair", "Select who chaired"),
        ({"attended": []}, "id_attended", "Select the agencies that attended"),
        ({"action_2_owner": ""}, "id_action_2_owner", "Select who owns action 2"),
        ({"action_1_due_year": "2020"}, "id_action_1_owner", "today or later"),
        ({"action_1_due_month": "13"}, "id_action_1_due_day", "real date"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    client_for: Any,
    cast: dict[str, Any],
    agencies: dict[str, Any],
    enquiry: Enquiry,
    overrides: dict[str, Any],
    anchor: str,
    message: str,
) -> None:
    authorise(enquiry, cast, ["strategy_discussion"])
    response = client_for("hub_practitioner").post(
        f"/enquiries/{enquiry.pk}/strategy-discussion", meeting_form(cast, agencies, **overrides)
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert message in page
    if "today or later" not in message:
        assert f'href="#{anchor}"' in page
    assert not StrategyDiscussion.objects.exists() and not StrategyAction.objects.exists()


def test_an_owner_from_an_agency_that_did_not_attend_is_refused(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any], enquiry: Enquiry
) -> None:
    authorise(enquiry, cast, ["strategy_discussion"])
    response = client_for("hub_practitioner").post(
        f"/enquiries/{enquiry.pk}/strategy-discussion",
        meeting_form(cast, agencies, action_2_owner=str(cast["outsider"].pk)),
    )
    assert response.status_code == 400
    assert "must be in the hub or an agency that attended" in html.unescape(
        response.content.decode()
    )


def test_no_discussion_without_an_authorised_decision_calling_for_one(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any], enquiry: Enquiry
) -> None:
    url = f"/enquiries/{enquiry.pk}/strategy-discussion"
    assert client_for("hub_practitioner").post(url, meeting_form(cast, agencies)).status_code == 302
    authorise(enquiry, cast, ["early_help"])
    assert client_for("hub_practitioner").post(url, meeting_form(cast, agencies)).status_code == 302
    assert not StrategyDiscussion.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("dpo", 403), ("police_practitioner", 404)])
def test_only_hub_workers_record_it(
    client_for: Any,
    cast: dict[str, Any],
    agencies: dict[str, Any],
    enquiry: Enquiry,
    who: str,
    status: int,
) -> None:
    authorise(enquiry, cast, ["strategy_discussion"])
    response = client_for(who).post(
        f"/enquiries/{enquiry.pk}/strategy-discussion", meeting_form(cast, agencies)
    )
    assert response.status_code == status and not StrategyDiscussion.objects.exists()
