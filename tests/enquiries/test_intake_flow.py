"""A hub practitioner records an enquiry page by page, checks the answers, and submits."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from mash.enquiries.models import Enquiry
from mash.records.models import RecordEntry


def follow_post(c: Client, url: str, data: dict[str, Any]) -> str:
    response = c.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return str(response["Location"])


def test_a_hub_practitioner_records_an_enquiry_from_start_to_submit(client_for: Any) -> None:
    c = client_for("hub_practitioner")
    page = c.get("/enquiries/new")
    assert page.status_code == 200
    assert "Record an enquiry" in page.content.decode()

    url = follow_post(c, "/enquiries/new", {})
    enquiry = Enquiry.objects.get()
    assert enquiry.status == "draft"
    assert url == f"/enquiries/{enquiry.pk}/received"
    assert c.get(url).status_code == 200

    url = follow_post(
        c,
        url,
        {
            "received_day": "3",
            "received_month": "11",
            "received_year": "2026",
            "received_time": "9:15",
        },
    )
    assert url.endswith("/source")
    url = follow_post(c, url, {"source": "professional"})
    assert url.endswith("/referrer")
    url = follow_post(
        c,
        url,
        {
            "referrer_name": "Jo Teacher",
            "referrer_role": "Class teacher",
            "referrer_organisation": "Oak Primary",
            "referrer_contact": "01632 960000",
        },
    )
    assert url.endswith("/concern")
    url = follow_post(c, url, {"concern": "Came to school with a bruise on the arm."})
    assert url.endswith("/danger")
    url = follow_post(c, url, {"immediate_danger": "no"})
    assert url.endswith("/people")
    add = c.get(url)
    assert add.status_code == 302
    assert add["Location"].endswith("/people/add")
    url = follow_post(
        c,
        add["Location"],
        {
            "kind": "child",
            "first_name": "Sam",
            "last_name": "Example",
            "dob_day": "14",
            "dob_month": "3",
            "dob_year": "2019",
            "school_or_setting": "Oak Primary",
        },
    )
    assert url.endswith("/people")
    summary = c.get(url)
    assert "Sam Example" in summary.content.decode()
    assert "Do you need to add another person?" in summary.content.decode()
    url = follow_post(c, url, {"add_another": "no"})
    assert url.endswith("/consent")
    url = follow_post(
        c,
        url,
        {"consent_to_refer": "not_obtained", "consent_not_obtained_reason": "Risk of harm."},
    )
    assert url.endswith("/urgency")
    url = follow_post(c, url, {"rag": "red", "rag_rationale": "Visible injury."})
    assert url.endswith("/check")

    check = c.get(url)
    body = check.content.decode()
    assert check.status_code == 200
    assert "govuk-summary-list" in body
    assert "Jo Teacher" in body
    assert "Red: urgent" in body
    assert re.search(r'href="[^"]+/concern\?return=check"', body)

    done = follow_post(c, url, {})
    assert done.endswith("/submitted")
    enquiry.refresh_from_db()
    assert enquiry.status == "open"
    assert enquiry.reference in c.get(done).content.decode()
    actions = list(
        RecordEntry.objects.filter(enquiry_id=enquiry.pk).values_list("action", flat=True)
    )
    assert "enquiry.created" in actions
    assert "person.added" in actions
    assert "enquiry.viewed" in actions
    assert actions[-1] in {"enquiry.submitted"}


def test_an_anonymous_enquiry_skips_the_referrer_page(client_for: Any) -> None:
    c = client_for("hub_practitioner")
    follow_post(c, "/enquiries/new", {})
    enquiry = Enquiry.objects.get()
    url = follow_post(c, f"/enquiries/{enquiry.pk}/source", {"source": "anonymous"})
    assert url.endswith("/concern")
    response = c.get(f"/enquiries/{enquiry.pk}/referrer")
    assert response.status_code == 302
    assert response["Location"].endswith("/concern")


def test_a_member_of_the_public_may_leave_the_referrer_details_blank(client_for: Any) -> None:
    c = client_for("hub_practitioner")
    follow_post(c, "/enquiries/new", {})
    enquiry = Enquiry.objects.get()
    follow_post(c, f"/enquiries/{enquiry.pk}/source", {"source": "public"})
    url = follow_post(
        c,
        f"/enquiries/{enquiry.pk}/referrer",
        {
            "referrer_name": "",
            "referrer_role": "",
            "referrer_organisation": "",
            "referrer_contact": "",
        },
    )
    assert url.endswith("/concern")


def test_changing_an_answer_returns_to_check_your_answers(client_for: Any, draft: Enquiry) -> None:
    c = client_for("hub_practitioner")
    url = follow_post(c, f"/enquiries/{draft.pk}/concern?return=check", {"concern": "New words"})
    assert url == f"/enquiries/{draft.pk}/check"
    draft.refresh_from_db()
    assert draft.concern == "New words"


def test_changing_to_a_professional_source_asks_for_the_referrer_next(
    client_for: Any, draft: Enquiry, cast: dict[str, Any]
) -> None:
    from mash.enquiries import services

    services.update_source(enquiry=draft, actor=cast["hub_practitioner"], source="anonymous")
    c = client_for("hub_practitioner")
    url = follow_post(c, f"/enquiries/{draft.pk}/source?return=check", {"source": "professional"})
    assert url == f"/enquiries/{draft.pk}/referrer?return=check"


def test_a_person_can_be_changed_and_removed_from_the_people_page(
    client_for: Any, draft: Enquiry
) -> None:
    c = client_for("hub_practitioner")
    adult = follow_post(
        c,
        f"/enquiries/{draft.pk}/people/add",
        {"kind": "parent", "first_name": "Pat", "last_name": "Parent", "relationship": "Mother"},
    )
    assert adult.endswith("/people")
    pat = draft.people.get(first_name="Pat")
    change = c.get(f"/enquiries/{draft.pk}/people/{pat.pk}/change")
    assert change.status_code == 200
    assert 'value="Pat"' in change.content.decode()
    follow_post(
        c,
        f"/enquiries/{draft.pk}/people/{pat.pk}/change",
        {"kind": "carer", "first_name": "Pat", "last_name": "Parent"},
    )
    pat.refresh_from_db()
    assert pat.kind == "carer"
    confirm = c.get(f"/enquiries/{draft.pk}/people/{pat.pk}/remove")
    assert "Are you sure you want to remove Pat Parent?" in confirm.content.decode()
    follow_post(c, f"/enquiries/{draft.pk}/people/{pat.pk}/remove", {})
    assert not draft.people.filter(pk=pat.pk).exists()


def test_the_people_page_needs_a_child_before_moving_on(client_for: Any, draft: Enquiry) -> None:
    from mash.enquiries import services

    c = client_for("hub_practitioner")
    child = draft.people.get()
    follow_post(
        c,
        f"/enquiries/{draft.pk}/people/add",
        {"kind": "parent", "first_name": "Pat", "last_name": "Parent"},
    )
    services.remove_person(person=child, actor=child.enquiry.created_by)
    response = c.post(f"/enquiries/{draft.pk}/people", {"add_another": "no"})
    assert response.status_code == 400
    assert "Add at least one child" in response.content.decode()
