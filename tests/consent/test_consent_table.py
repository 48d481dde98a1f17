"""The enquiry at a glance: each person's consent position for each partner agency,
for the enquiry page to include."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.test import RequestFactory

from mash.consent.selectors import enquiry_consent_table
from mash.consent.views import consent_table_context
from mash.records.models import RecordEntry
from mash.records.services import record_views


def test_it_shows_each_persons_position_for_each_agency(
    enquiry: Any, people: dict[str, Any], make_record: Any
) -> None:
    make_record(people["child"], agencies_=["police"], categories=["health"])
    make_record(people["mother"], status="refused")
    table = enquiry_consent_table(enquiry=enquiry)
    assert [a.code for a in table.agencies] == ["hub", "education", "health", "police"]
    statuses = {
        row.person.kind + "/" + str(row.person.relationship): [c.status for c in row.cells]
        for row in table.rows
    }
    assert statuses == {
        "child/": ["unknown", "unknown", "unknown", "given"],
        "parent/mother": ["refused", "refused", "refused", "refused"],
        "parent/father": ["unknown", "unknown", "unknown", "unknown"],
    }
    police_cell = table.rows[0].cells[3]
    assert police_cell.limits == ["Health"]


def test_the_include_renders_the_table_without_inline_style(
    enquiry: Any, people: dict[str, Any], make_record: Any
) -> None:
    make_record(people["child"], method="privacy_notice")
    html = render_to_string(
        "consent/_position_table.html", {"consent_table": enquiry_consent_table(enquiry=enquiry)}
    )
    assert "Consent to share, by agency" in html
    assert people["child"].first_name in html
    assert "Not explicit" in html
    assert "style=" not in html and "<script" not in html


def test_the_context_helper_names_the_view_for_hub_staff_only(
    enquiry: Any, people: dict[str, Any], cast: dict[str, Any]
) -> None:
    request = RequestFactory().get("/")
    request.user = cast["police_practitioner"]
    views: list[dict[str, Any]] = []
    assert consent_table_context(request, enquiry, views=views) == {}
    assert views == []
    request.user = cast["hub_practitioner"]
    context = consent_table_context(request, enquiry, views=views)
    assert len(context["consent_table"].rows) == 3
    record_views(request, views)
    entry = RecordEntry.objects.get(action="consent.viewed")
    assert entry.details["view"] == "table"
    assert entry.enquiry_id == enquiry.pk
    assert entry.actor_username == cast["hub_practitioner"].username


def test_a_lapsed_consent_shows_as_expired(
    enquiry: Any, people: dict[str, Any], make_record: Any
) -> None:
    import datetime as dt

    make_record(people["child"], agencies_=["police"], valid_until=dt.date(2026, 1, 2))
    table = enquiry_consent_table(enquiry=enquiry)
    police = table.rows[0].cells[3]
    assert (police.status, police.label) == ("unknown", "Expired")
    assert table.rows[0].cells[2].label == "Not recorded"


def test_the_hub_of_the_enquiry_is_a_recipient_and_other_hubs_are_not(
    enquiry: Any, people: dict[str, Any], make_record: Any
) -> None:
    from mash.agencies.models import Agency

    Agency.objects.create(code="other-hub", name="Other MASH", kind="other", is_hub=True)
    make_record(people["child"], agencies_=["hub"])
    table = enquiry_consent_table(enquiry=enquiry)
    assert [a.code for a in table.agencies] == ["hub", "education", "health", "police"]
    assert [c.status for c in table.rows[0].cells] == ["given", "unknown", "unknown", "unknown"]
