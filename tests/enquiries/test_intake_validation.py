"""Bad answers on the intake pages: an error summary linking to the field, a message
naming it, status 400, and nothing saved."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from mash.enquiries import services
from mash.enquiries.models import Enquiry


@pytest.fixture
def blank(cast: dict[str, Any]) -> Enquiry:
    return services.start_enquiry(actor=cast["hub_practitioner"])


def post(client_for: Any, url: str, data: dict[str, Any]) -> str:
    response = client_for("hub_practitioner").post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "There is a problem" in body
    return body


@pytest.mark.parametrize(
    ("data", "message", "anchor"),
    [
        ({}, "Enter the date the enquiry was received", "#id_received_day"),
        (
            {"received_day": "31", "received_month": "2", "received_year": "2026"},
            "must be a real date",
            "#id_received_day",
        ),
        (
            {"received_day": "3", "received_year": "2026"},
            "must include a month",
            "#id_received_month",
        ),
        (
            {"received_day": "x", "received_month": "2", "received_year": "2026"},
            "must be a real date",
            "#id_received_day",
        ),
        (
            {"received_day": "3", "received_month": "2", "received_year": "2026"},
            "Enter the time the enquiry was received",
            "#id_received_time",
        ),
        (
            {
                "received_day": "3",
                "received_month": "2",
                "received_year": "2026",
                "received_time": "25:00",
            },
            "Enter the time in the 24-hour clock",
            "#id_received_time",
        ),
    ],
)
def test_the_received_page_names_what_is_wrong(
    client_for: Any, blank: Enquiry, data: dict[str, str], message: str, anchor: str
) -> None:
    body = post(client_for, f"/enquiries/{blank.pk}/received", data)
    assert message in body
    assert f'href="{anchor}"' in body
    blank.refresh_from_db()
    assert blank.received_at is None


def test_the_received_page_refuses_a_date_in_the_future(client_for: Any, blank: Enquiry) -> None:
    tomorrow = timezone.localdate() + timedelta(days=2)
    body = post(
        client_for,
        f"/enquiries/{blank.pk}/received",
        {
            "received_day": tomorrow.day,
            "received_month": tomorrow.month,
            "received_year": tomorrow.year,
            "received_time": "10:00",
        },
    )
    assert "must be in the past" in body
    blank.refresh_from_db()
    assert blank.received_at is None


@pytest.mark.parametrize(
    ("step", "data", "message", "anchor"),
    [
        ("source", {}, "Select who made the enquiry", "#id_source"),
        ("source", {"source": "martian"}, "Select who made the enquiry", "#id_source"),
        (
            "concern",
            {"concern": "   "},
            "Enter the concern in the referrer&#x27;s words",
            "#id_concern",
        ),
        ("danger", {}, "Select yes if the child is in immediate danger", "#id_immediate_danger"),
        ("consent", {}, "Select whether consent to refer was obtained", "#id_consent_to_refer"),
        (
            "consent",
            {"consent_to_refer": "not_obtained"},
            "Enter why consent was not obtained",
            "#id_consent_not_obtained_reason",
        ),
        (
            "consent",
            {"consent_to_refer": "obtained"},
            "Enter who gave consent",
            "#id_consent_obtained_from",
        ),
        ("urgency", {"rag_rationale": "x"}, "Select how urgent the enquiry is", "#id_rag"),
        ("urgency", {"rag": "red"}, "Enter why you chose this urgency", "#id_rag_rationale"),
    ],
)
def test_each_question_page_names_the_missing_answer(
    client_for: Any, blank: Enquiry, step: str, data: dict[str, str], message: str, anchor: str
) -> None:
    body = post(client_for, f"/enquiries/{blank.pk}/{step}", data)
    assert message in body
    assert f'href="{anchor}"' in body
    assert 'class="govuk-error-message"' in body


def test_a_professional_referrer_must_give_every_detail(
    client_for: Any, blank: Enquiry, cast: dict[str, Any]
) -> None:
    services.update_source(enquiry=blank, actor=cast["hub_practitioner"], source="professional")
    body = post(
        client_for,
        f"/enquiries/{blank.pk}/referrer",
        {"referrer_name": "Jo", "referrer_role": "", "referrer_organisation": ""},
    )
    assert "Enter the referrer's role" in body.replace("&#x27;", "'")
    assert 'href="#id_referrer_organisation"' in body
    assert 'href="#id_referrer_contact"' in body
    blank.refresh_from_db()
    assert blank.referrer_name == ""


@pytest.mark.parametrize(
    ("data", "message", "anchor"),
    [
        ({}, "Select who the person is", "#id_kind"),
        (
            {"kind": "child", "last_name": "B", "dob_year": "2019"},
            "Enter their first name",
            "#id_first_name",
        ),
        (
            {"kind": "child", "first_name": "A", "last_name": "B"},
            "Enter the child&#x27;s date of birth or an estimated age",
            "#id_dob_day",
        ),
        (
            {
                "kind": "child",
                "first_name": "A",
                "last_name": "B",
                "dob_day": "30",
                "dob_month": "2",
                "dob_year": "2019",
            },
            "Date of birth must be a real date",
            "#id_dob_day",
        ),
        (
            {
                "kind": "child",
                "first_name": "A",
                "last_name": "B",
                "dob_day": "1",
                "dob_month": "1",
                "dob_year": "2099",
            },
            "Date of birth must be today or in the past",
            "#id_dob_day",
        ),
        (
            {"kind": "child", "first_name": "A", "last_name": "B", "estimated_age": "seven"},
            "Estimated age must be a whole number",
            "#id_estimated_age",
        ),
    ],
)
def test_the_person_page_names_what_is_wrong(
    client_for: Any, blank: Enquiry, data: dict[str, str], message: str, anchor: str
) -> None:
    body = post(client_for, f"/enquiries/{blank.pk}/people/add", data)
    assert message in body
    assert f'href="{anchor}"' in body
    assert blank.people.count() == 0


def test_check_your_answers_refuses_an_incomplete_draft_with_links_to_the_answers(
    client_for: Any, blank: Enquiry
) -> None:
    response = client_for("hub_practitioner").post(f"/enquiries/{blank.pk}/check")
    assert response.status_code == 400
    body = response.content.decode()
    assert "You have not answered all the questions" in body
    for step, message in [
        ("received", "Enter when the enquiry was received"),
        ("source", "Select who made the enquiry"),
        ("concern", "Enter the concern in the referrer&#x27;s words"),
        ("danger", "Select whether the child is in immediate danger"),
        ("consent", "Select whether consent to refer was obtained"),
        ("urgency", "Select how urgent the enquiry is and why"),
    ]:
        assert f'<a href="/enquiries/{blank.pk}/{step}?return=check">{message}</a>' in body
    assert f'<a href="/enquiries/{blank.pk}/people?return=check">Add at least one child</a>' in body
    blank.refresh_from_db()
    assert blank.status == "draft"


def test_an_unknown_intake_page_is_not_found(client_for: Any, blank: Enquiry) -> None:
    assert client_for("hub_practitioner").get(f"/enquiries/{blank.pk}/nonsense").status_code == 404


def test_check_your_answers_links_each_unanswered_question(client_for: Any, blank: Enquiry) -> None:
    body = client_for("hub_practitioner").get(f"/enquiries/{blank.pk}/check").content.decode()
    assert (
        f'<a class="govuk-link" href="/enquiries/{blank.pk}/received?return=check">'
        "Enter when the enquiry was received</a>" in body
    )
    assert "[(" not in body  # no list of answers leaks into a row


def test_a_refused_submit_shows_the_rows_as_they_are(client_for: Any, blank: Enquiry) -> None:
    body = client_for("hub_practitioner").post(f"/enquiries/{blank.pk}/check").content.decode()
    assert "[(" not in body
    assert "Enter the referrer's role" in body.replace("&#x27;", "'")
