"""The hub's list: open enquiries most urgent first then newest, the user's own
drafts, and closed ones behind a filter. Listing personal data is recorded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.html import escape
from faker import Faker

from mash.enquiries import services
from mash.records.models import RecordEntry
from tests.enquiries.conftest import complete_draft, open_enquiry
from tests.enquiries.sharing_helpers import ask


def test_open_enquiries_are_listed_red_first_then_newest(
    client_for: Any, cast: dict[str, Any], fake: Faker
) -> None:
    actor = cast["hub_practitioner"]
    green = open_enquiry(actor, fake, rag="green")
    old_red = open_enquiry(actor, fake, rag="red")
    services.update_received(
        enquiry=old_red, actor=actor, received_at=timezone.now() - timedelta(days=3)
    )
    new_red = open_enquiry(actor, fake, rag="red")
    amber = open_enquiry(actor, fake, rag="amber")
    body = client_for("hub_manager").get("/enquiries/").content.decode()
    positions = [body.index(e.reference) for e in [new_red, old_red, amber, green]]
    assert positions == sorted(positions)


def test_the_urgency_is_a_text_label_not_only_a_colour(
    client_for: Any, cast: dict[str, Any], fake: Faker
) -> None:
    open_enquiry(cast["hub_practitioner"], fake, rag="red")
    body = client_for("hub_practitioner").get("/enquiries/").content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Red: urgent</strong>' in body


def test_each_row_shows_the_child_and_the_requests_answered_and_outstanding(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any], fake: Faker
) -> None:
    actor = cast["hub_practitioner"]
    enquiry = open_enquiry(actor, fake)
    ask(enquiry, agencies["police"], actor, status="answered")
    ask(enquiry, agencies["health"], actor)
    ask(enquiry, agencies["education"], actor)
    body = client_for("hub_practitioner").get("/enquiries/").content.decode()
    child = enquiry.people.get()
    assert escape(child.full_name) in body
    row = body[body.index(enquiry.reference) :]
    row = row[: row.index("</tr>")]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in row
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in row


def test_only_my_own_drafts_are_listed(client_for: Any, cast: dict[str, Any], fake: Faker) -> None:
    mine = complete_draft(cast["hub_practitioner"], fake)
    theirs = complete_draft(cast["hub_manager"], fake)
    body = client_for("hub_practitioner").get("/enquiries/").content.decode()
    assert "Your drafts" in body
    assert mine.reference in body
    assert theirs.reference not in body


def test_closed_enquiries_are_behind_a_filter(
    client_for: Any, cast: dict[str, Any], fake: Faker
) -> None:
    still_open = open_enquiry(cast["hub_practitioner"], fake)
    done = open_enquiry(cast["hub_practitioner"], fake)
    services.close_enquiry(
        enquiry=done, actor=cast["hub_manager"], outcome="no_further_action", rationale="None."
    )
    c = client_for("hub_practitioner")
    open_page = c.get("/enquiries/").content.decode()
    assert still_open.reference in open_page
    assert done.reference not in open_page
    closed_page = c.get("/enquiries/?show=closed").content.decode()
    assert done.reference in closed_page
    assert still_open.reference not in closed_page


def test_listing_is_recorded_with_the_ids_shown(
    client_for: Any, cast: dict[str, Any], fake: Faker
) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], fake)
    client_for("hub_manager").get("/enquiries/")
    entry = RecordEntry.objects.filter(action="enquiry.listed").get()
    assert entry.actor_username == "harriet"
    assert entry.details == {"enquiries": [str(enquiry.pk)], "filter": "open"}


def test_an_empty_list_says_so_and_records_nothing(client_for: Any) -> None:
    body = client_for("hub_practitioner").get("/enquiries/").content.decode()
    assert "There are no open enquiries." in body
    assert not RecordEntry.objects.filter(action="enquiry.listed").exists()


def test_another_hubs_enquiries_are_not_listed(
    client_for: Any, cast: dict[str, Any], fake: Faker
) -> None:
    from mash.agencies.models import Agency, User

    other_hub = Agency.objects.create(
        code="other-hub", name="Other MASH", kind="childrens_social_care", is_hub=True
    )
    stranger = User.objects.create_user(username="sol", agency=other_hub, role="practitioner")
    theirs = open_enquiry(stranger, fake)
    body = client_for("hub_practitioner").get("/enquiries/").content.decode()
    assert theirs.reference not in body
