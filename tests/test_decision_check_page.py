"""The "Check a sharing decision" page: the guidance's questions as a form, answered by
the same engine as the API and the CLI, working without JavaScript."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

URL = "/decisions/check"

EXAMPLE_ANSWERS = {
    "purpose_legitimate": "yes",
    "purpose_description": "MASH enquiry: bruising seen at school",
    "identifies_individual": "yes",
    "confidential": "yes",
    "recipient_agency": "police",
    "consent_status": "refused",
    "significant_harm": "yes",
}


def page(response: Any) -> str:
    return str(response.content.decode())


def test_it_asks_the_guidance_questions_to_anyone(client: Client, db: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = page(response)
    assert "Is there a clear and legitimate purpose for sharing information?" in html
    assert "Do you have consent to share this information for this purpose?" in html
    assert 'class="govuk-radios__input"' in html
    assert "csrfmiddlewaretoken" in html


def test_the_start_page_links_to_it(client: Client, db: Any) -> None:
    assert f'href="{URL}"' in page(client.get("/"))


def test_it_shows_the_decision_for_the_contract_example(client: Client, db: Any) -> None:
    response = client.post(URL, EXAMPLE_ANSWERS)
    assert response.status_code == 200
    html = page(response)
    assert "Share the information" in html
    assert "a child believed to be at risk of significant harm" in html
    assert "This is sharing without consent" in html
    # requires, in plain English
    assert "Record what information was shared and with whom (Record)." in html
    assert "overriding the refusal or withdrawal of consent is proportionate" in html
    # the steps, with their sections
    assert "Sharing without consent</td>" in html
    assert "When? Q1</td>" in html
    assert "herefordshire-mash-v4-2023-05" in html


def test_it_shows_what_is_missing_when_advice_is_needed(client: Client, db: Any) -> None:
    answers = {**EXAMPLE_ANSWERS, "significant_harm": "unknown"}
    html = page(client.post(URL, answers))
    assert "Seek advice before deciding" in html
    assert "Answers that would decide it" in html
    assert "Is the child believed to be at risk of significant harm?</li>" in html


def test_partial_consent_works_without_javascript(client: Client, db: Any) -> None:
    answers = {
        **EXAMPLE_ANSWERS,
        "consent_status": "given",
        "consent_scope": "some",
        "consent_agencies": "health, police",
        "significant_harm": "no",
    }
    html = page(client.post(URL, answers))
    assert "The share rests on consent (Consent)." in html
    # the agency list stays visible when "Only some agencies" is chosen
    assert "govuk-radios__conditional--hidden" not in html


def test_unanswered_questions_are_named_in_an_error_summary(client: Client, db: Any) -> None:
    response = client.post(URL, {"consent_status": "refused"})
    assert response.status_code == 400
    html = page(response)
    assert "There is a problem" in html
    assert '<a href="#purpose_legitimate">' in html
    assert "Select whether the information is confidential" in html
    assert "govuk-form-group--error" in html
    assert "(error)" in html  # in the page title
    assert 'value="refused" checked' in html  # answers are kept


def test_a_bad_agency_list_is_named(client: Client, db: Any) -> None:
    answers = {**EXAMPLE_ANSWERS, "consent_scope": "some", "consent_agencies": "Police Dept!"}
    response = client.post(URL, answers)
    assert response.status_code == 400
    assert '<a href="#consent_agencies">' in page(response)


def test_a_tampered_answer_is_refused_not_guessed(client: Client, db: Any) -> None:
    response = client.post(URL, {**EXAMPLE_ANSWERS, "significant_harm": "maybe"})
    assert response.status_code == 400
    assert '<a href="#significant_harm">' in page(response)


def test_the_page_has_no_inline_script_or_style(client: Client, db: Any) -> None:
    html = page(client.post(URL, EXAMPLE_ANSWERS))
    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
