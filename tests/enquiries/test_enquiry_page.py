"""The enquiry page: people, consent position, urgency, each request and each agency's
current decision, and the disclosed items grouped by person, plainly marked."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch
from django.utils.html import escape

from mash.enquiries import services
from mash.enquiries.models import Enquiry
from mash.records.models import RecordEntry
from tests.enquiries.sharing_helpers import ask, decide, disclose


def test_it_shows_the_people_consent_position_and_urgency(
    client_for: Any, enquiry: Enquiry
) -> None:
    response = client_for("hub_practitioner").get(f"/enquiries/{enquiry.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    child = enquiry.people.get()
    assert escape(child.full_name) in body
    assert "govuk-summary-card" in body
    assert "Not obtained" in body
    assert "Asking the parents could place the child at further risk." in body
    assert '<strong class="govuk-tag govuk-tag--orange">Amber</strong>' in body
    assert "Injury seen, no disclosure yet." in body
    assert "No agency has been asked yet." in body


def test_it_shows_each_request_and_the_current_decision_not_the_superseded_one(
    client_for: Any, enquiry: Enquiry, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    hub = cast["hub_practitioner"]
    police = ask(enquiry, agencies["police"], hub, status="answered")
    first = decide(police, cast["police_practitioner"], outcome="do_not_share", minutes_ago=30)
    decide(
        police, cast["police_manager"], outcome="share", basis="public_interest", supersedes=first
    )
    ask(enquiry, agencies["health"], hub)
    body = client_for("hub_practitioner").get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert "Police: decision" in body
    assert "Public interest" in body
    assert "Reason for share (Guidance, When?)" in body
    assert "Reason for do_not_share" not in body
    assert "1 earlier decision corrected by this one" in body
    assert "Awaiting decision" in body
    assert "NHS health" in body


def test_disclosed_items_are_grouped_by_person_and_marked(
    client_for: Any, enquiry: Enquiry, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    hub = cast["hub_practitioner"]
    child = enquiry.people.get()
    mother = services.add_person(
        enquiry=enquiry,
        actor=hub,
        details=services.PersonDetails(kind="parent", first_name="Mo", last_name="Parent"),
    )
    health = ask(enquiry, agencies["health"], hub, status="answered")
    decision = decide(health, cast["health_practitioner"])
    disclose(decision, [child], text="Wrist injury seen at A&E.")
    disclose(
        decision,
        [mother],
        text="Health visitor's view: struggling to cope.",
        nature="opinion",
        currency="historical",
        historical_explanation="From 2022; relevant as a pattern.",
        sensitive=True,
    )
    body = client_for("hub_practitioner").get(f"/enquiries/{enquiry.pk}/").content.decode()
    shared = body[body.index("What agencies have shared") :]
    assert shared.index(child.full_name) < shared.index("Wrist injury seen at A&amp;E.")
    assert shared.index("Mo Parent") < shared.index("struggling to cope")
    assert '<strong class="govuk-tag govuk-tag--blue">Fact</strong>' in shared
    assert '<strong class="govuk-tag govuk-tag--purple">Opinion</strong>' in shared
    assert '<strong class="govuk-tag govuk-tag--grey">Historical</strong>' in shared
    assert "From 2022; relevant as a pattern." in shared
    assert '<strong class="govuk-tag govuk-tag--red">Sensitive</strong>' in shared


def test_items_under_a_superseded_decision_are_not_shown(
    client_for: Any, enquiry: Enquiry, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    hub = cast["hub_practitioner"]
    police = ask(enquiry, agencies["police"], hub, status="answered")
    first = decide(police, cast["police_practitioner"], minutes_ago=30)
    disclose(first, [enquiry.people.get()], text="Shared in error.")
    decide(police, cast["police_manager"], outcome="do_not_share", supersedes=first)
    body = client_for("hub_practitioner").get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert "Shared in error." not in body
    assert "Nothing has been shared yet." in body


def test_viewing_is_recorded_once_naming_the_decisions_and_items_shown(
    client_for: Any, enquiry: Enquiry, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    hub = cast["hub_practitioner"]
    health = ask(enquiry, agencies["health"], hub, status="answered")
    decision = decide(health, cast["health_practitioner"])
    item = disclose(decision, [enquiry.people.get()])
    police = ask(enquiry, agencies["police"], hub, status="answered")
    corrected = decide(police, cast["police_practitioner"], minutes_ago=30)
    disclose(corrected, [enquiry.people.get()], text="Shared in error.")
    correction = decide(
        police, cast["police_manager"], outcome="do_not_share", supersedes=corrected
    )
    client = client_for("hub_manager")
    before = RecordEntry.objects.count()
    client.get(f"/enquiries/{enquiry.pk}/")
    # One entry for the page view (the consent table records its own view of the
    # register), not one more for each decision shown.
    written = RecordEntry.objects.filter(seq__gt=before).exclude(action="consent.viewed")
    [viewed] = written
    assert viewed.action == "enquiry.viewed"
    assert viewed.actor_username == "harriet"
    assert viewed.enquiry_id == enquiry.pk
    assert sorted(viewed.details["decisions"]) == sorted([str(decision.pk), str(correction.pk)])
    assert viewed.details["disclosures"] == [
        {"decision": str(decision.pk), "agency": "health", "items": [str(item.pk)]}
    ]
    assert not RecordEntry.objects.filter(action="disclosure.viewed").exists()


def test_the_page_view_and_the_consent_table_view_are_appended_at_once(
    client_for: Any, enquiry: Enquiry
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("hub_practitioner")
    before = RecordEntry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/enquiries/{enquiry.pk}/")
    page, table = RecordEntry.objects.filter(seq__gt=before).order_by("seq")
    assert (page.action, table.action) == ("enquiry.viewed", "consent.viewed")
    assert table.details["view"] == "table"
    assert {page.enquiry_id, table.enquiry_id} == {enquiry.pk}
    assert table.prev_hash == page.hash and table.seq == page.seq + 1
    # One read of the chain's head (and, on PostgreSQL, one take of its lock) for both.
    heads = [q for q in queries if 'FROM "records_recordentry"' in q["sql"]]
    assert len(heads) == 1
    locks = [q for q in queries if "pg_advisory_xact_lock" in q["sql"]]
    assert len(locks) == (1 if connection.vendor == "postgresql" else 0)


def test_the_request_button_shows_only_when_the_sharing_page_exists(
    client_for: Any, enquiry: Enquiry, monkeypatch: Any
) -> None:
    from mash.enquiries import views

    monkeypatch.setattr(views, "_request_create_url", lambda e: f"/requests/new/{e.pk}")
    body = client_for("hub_practitioner").get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert f'href="/requests/new/{enquiry.pk}"' in body
    assert "Request information from agencies" in body


def test_the_request_button_is_absent_when_the_sharing_page_is_not_installed(
    client_for: Any, enquiry: Enquiry, monkeypatch: Any
) -> None:
    from mash.enquiries import views

    def missing(name: str, kwargs: Any = None) -> str:
        raise NoReverseMatch(name)

    monkeypatch.setattr(views, "reverse", missing)
    assert views._request_create_url(enquiry) is None


def test_a_draft_opens_at_check_your_answers(client_for: Any, draft: Enquiry) -> None:
    response = client_for("hub_practitioner").get(f"/enquiries/{draft.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/enquiries/{draft.pk}/check"


def test_an_open_enquiry_can_be_corrected_and_returns_to_its_page(
    client_for: Any, enquiry: Enquiry
) -> None:
    c = client_for("hub_practitioner")
    response = c.post(f"/enquiries/{enquiry.pk}/urgency", {"rag": "red", "rag_rationale": "Worse"})
    assert response.status_code == 302
    assert response["Location"] == f"/enquiries/{enquiry.pk}/"
    enquiry.refresh_from_db()
    assert enquiry.rag == "red"


def test_the_dpo_sees_the_enquiry_without_change_links(client_for: Any, enquiry: Enquiry) -> None:
    response = client_for("dpo").get(f"/enquiries/{enquiry.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert ">Change<" not in body
    assert "Record the threshold decision" not in body


def test_an_outstanding_request_says_how_long_is_left_or_that_it_is_overdue(
    client_for: Any, enquiry: Enquiry, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    police = ask(enquiry, agencies["police"], cast["hub_practitioner"])
    police.deadline = timezone.now() - timedelta(days=2)
    police.save()
    body = client_for("hub_practitioner").get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Overdue by' in body


def test_the_request_button_leads_to_the_sharing_request_page(
    client_for: Any, enquiry: Enquiry
) -> None:
    c = client_for("hub_practitioner")
    body = c.get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert f'href="/requests/new/{enquiry.pk}"' in body
    assert c.get(f"/requests/new/{enquiry.pk}").status_code == 200


def test_a_closed_enquiry_offers_no_request_button(client_for: Any, closed: Enquiry) -> None:
    body = client_for("hub_practitioner").get(f"/enquiries/{closed.pk}/").content.decode()
    assert "Request information from agencies" not in body
    assert "Record the threshold decision" not in body


def test_a_person_on_an_open_enquiry_is_corrected_from_the_enquiry_page(
    client_for: Any, enquiry: Enquiry
) -> None:
    child = enquiry.people.get()
    c = client_for("hub_manager")
    response = c.post(
        f"/enquiries/{enquiry.pk}/people/{child.pk}/change",
        {
            "kind": "child",
            "first_name": child.first_name,
            "last_name": "Corrected",
            "estimated_age": "8",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/enquiries/{enquiry.pk}/"
    child.refresh_from_db()
    assert child.last_name == "Corrected"
    assert f"{child.first_name} Corrected" in c.get(response["Location"]).content.decode()
