"""The guidance where the decision is made (issue 12, item 9): the seven golden rules on
a page of their own, linked from every guided question page, the decision page, the
decision record and the public check page; the hub's advice contacts (MASH helpline,
safeguarding lead) set in the admin and shown wherever the guidance says to seek advice;
a banner while the guidance in force is past its review date."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from mash.agencies.models import User
from mash.guidance.models import AdviceContact
from mash.policy.golden_rules import GOLDEN_RULES, SECTION, golden_rules
from mash.records.models import RecordEntry
from tests.sharing.advice_helpers import ask_url
from tests.sharing.factories import make_request, share_over_refusal
from tests.sharing.pages import TO_SEEK_ADVICE, decision_url, step_url, walk

GUIDANCE = (
    Path(__file__).resolve().parents[2] / "guidance" / "mash-information-sharing-guidance.txt"
)
RULES_URL = "/guidance/golden-rules"
CHECK_URL = "/decisions/check"
HELPLINE = {
    "kind": "helpline",
    "name": "Herefordshire MASH helpline",
    "role": "MASH team, consultation line",
    "phone": "01432 260800",
    "email": "mash@herefordshire.example.org",
    "hours": "Monday to Friday, 9am to 5pm",
    "active": "on",
    "order": "0",
}
CHECK_TO_SEEK_ADVICE = {
    "purpose_legitimate": "yes",
    "identifies_individual": "yes",
    "confidential": "yes",
    "recipient_agency": "police",
    "consent_status": "refused",
    "significant_harm": "unknown",
}


def _html(response: Any) -> str:
    return str(response.content.decode())


def _helpline(**overrides: Any) -> AdviceContact:
    values = {k: v for k, v in HELPLINE.items() if k not in ("active", "order")}
    values.update(overrides)
    return AdviceContact.objects.create(**values)


def _admin() -> Client:
    root = User.objects.create_superuser(username="root", password="x" * 20)
    client = Client()
    client.force_login(root)
    return client


# The golden rules --------------------------------------------------------------------


def test_the_rules_are_the_guidance_s_words_under_its_heading() -> None:
    text = GUIDANCE.read_text(encoding="utf-8")
    block = text[text.index(SECTION) :]
    for number, rule in enumerate(GOLDEN_RULES, start=1):
        assert f"{number}. {rule}" in block
    assert golden_rules(text).rules == GOLDEN_RULES
    assert golden_rules(text).section == "7 Golden Rules"


def test_a_loaded_version_s_own_rules_are_read_and_a_text_without_them_keeps_the_built_in() -> None:
    newer = "Intro\n\n7 Golden Rules\n\n" + "\n".join(f"{n}. Rule {n}" for n in range(1, 8))
    assert golden_rules(newer).rules == tuple(f"Rule {n}" for n in range(1, 8))
    assert golden_rules("Version 5.\nNo rules here.").rules == GOLDEN_RULES


def test_the_golden_rules_page_is_public_and_quotes_each_rule(client: Client, db: Any) -> None:
    response = client.get(RULES_URL)
    assert response.status_code == 200
    html = _html(response)
    assert reverse("guidance:golden-rules") == RULES_URL
    assert "7 Golden Rules" in html
    for rule in GOLDEN_RULES:
        assert f"<li>{rule.replace('&', '&amp;')}</li>" in html
    assert "Herefordshire MASH Information Sharing Guidance, version 4, May 2023" in html


def test_every_guided_question_page_links_the_rules(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    client = client_for("police_practitioner")
    walk(client, req, [])
    for step, data in TO_SEEK_ADVICE:
        page = client.get(step_url(req, step))
        assert page.status_code == 200, step
        assert f'href="{RULES_URL}"' in _html(page), step
        client.post(step_url(req, step), data)
    assert f'href="{RULES_URL}"' in _html(client.get(decision_url(req)))


def test_the_decision_record_and_the_check_page_link_the_rules(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    decision = share_over_refusal(cast["police_practitioner"], req)
    record = client_for("police_practitioner").get(
        reverse("sharing:decision", kwargs={"decision_id": decision.pk})
    )
    assert record.status_code == 200
    assert f'href="{RULES_URL}"' in _html(record)
    assert f'href="{RULES_URL}"' in _html(Client().get(CHECK_URL))


# Advice contacts ---------------------------------------------------------------------


def test_an_administrator_sets_a_contact_and_the_change_is_recorded(db: Any) -> None:
    client = _admin()
    response = client.post("/admin/guidance/advicecontact/add/", HELPLINE)
    assert response.status_code == 302, _html(response)[:3000]
    contact = AdviceContact.objects.get()
    assert contact.phone == "01432 260800"
    entry = RecordEntry.objects.filter(action="admin.added").get()
    assert entry.actor_username == "root"
    assert "phone" in entry.details["fields"]
    response = client.post(
        f"/admin/guidance/advicecontact/{contact.pk}/change/", {**HELPLINE, "hours": "24 hours"}
    )
    assert response.status_code == 302
    changed = RecordEntry.objects.filter(action="admin.changed").get()
    assert changed.details["fields"] == ["hours"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "abc", "Enter a UK telephone number"),
        ("phone", "+33 1 42 68 53 00", "Enter a UK telephone number"),
        ("phone", "0143", "Enter a UK telephone number"),
        ("email", "mash-at-example", "Enter an email address in the correct format"),
    ],
)
def test_a_bad_phone_or_email_is_refused_naming_the_field(
    db: Any, field: str, value: str, message: str
) -> None:
    client = _admin()
    response = client.post("/admin/guidance/advicecontact/add/", {**HELPLINE, field: value})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in errors[field][0]
    assert not AdviceContact.objects.exists()
    assert not RecordEntry.objects.filter(action="admin.added").exists()


def test_a_contact_needs_a_phone_or_an_email(db: Any) -> None:
    response = _admin().post(
        "/admin/guidance/advicecontact/add/", {**HELPLINE, "phone": "", "email": ""}
    )
    assert response.status_code == 200
    assert "Enter a telephone number or an email address" in str(
        response.context["adminform"].form.errors["phone"]
    )


@pytest.mark.parametrize(
    "number", ["01432 260800", "07700 900 982", "+44 1432 260800", "+44 (0)1432 260800"]
)
def test_uk_numbers_as_people_write_them_are_accepted(db: Any, number: str) -> None:
    contact = AdviceContact(name="Helpline", phone=number)
    contact.full_clean()
    assert contact.phone_href == "tel:+441432260800" or contact.phone_href.startswith("tel:+447")


def _shows_helpline(html: str) -> bool:
    return all(
        part in html
        for part in (
            "Herefordshire MASH helpline",
            "MASH team, consultation line",
            "01432 260800",
            'href="tel:+441432260800"',
            'href="mailto:mash@herefordshire.example.org"',
            "Monday to Friday, 9am to 5pm",
        )
    )


def test_contacts_are_shown_on_the_question_pages_the_seek_advice_outcome_and_ask_advice(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    _helpline()
    _helpline(name="Retired line", phone="01432 000000", active=False)
    req = make_request(cast=cast, agency=agencies["police"])
    client = client_for("police_practitioner")
    walk(client, req, TO_SEEK_ADVICE[:1])
    question = _html(client.get(step_url(req, "identifies")))
    assert _shows_helpline(question)
    assert "Retired line" not in question
    walk(client, req, TO_SEEK_ADVICE)
    decision_page = _html(client.get(decision_url(req)))
    assert "Seek advice before deciding" in decision_page
    assert _shows_helpline(decision_page)
    assert _shows_helpline(_html(client.get(ask_url(req))))


def test_contacts_are_shown_on_the_golden_rules_page_and_the_check_page_s_seek_advice(
    client: Client, db: Any
) -> None:
    _helpline()
    assert _shows_helpline(_html(client.get(RULES_URL)))
    assert not _shows_helpline(_html(client.get(CHECK_URL)))
    response = client.post(CHECK_URL, CHECK_TO_SEEK_ADVICE)
    assert response.status_code == 200
    html = _html(response)
    assert "Seek advice before deciding" in html
    assert _shows_helpline(html)


def test_without_contacts_the_pages_say_who_to_ask(client: Client, db: Any) -> None:
    html = _html(client.get(RULES_URL))
    assert "contact your safeguarding lead or the MASH helpline" in html
    assert "has not yet set its helpline" in html


# The review date ---------------------------------------------------------------------

BANNER = "This guidance was due for review in February 2024"


def test_past_the_review_date_the_decision_and_check_pages_say_so(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    client = client_for("police_practitioner")
    walk(client, req, [])
    with mock.patch("mash.guidance.selectors._today", return_value=date(2024, 3, 1)):
        question = _html(client.get(step_url(req, "purpose")))
        check = _html(Client().get(CHECK_URL))
        rules = _html(Client().get(RULES_URL))
    for html in (question, check, rules):
        assert BANNER in html
        assert "Herefordshire MASH Information Sharing Guidance, version 4, May 2023" in html
    walk(client, req, TO_SEEK_ADVICE)
    with mock.patch("mash.guidance.selectors._today", return_value=date(2024, 3, 1)):
        assert BANNER in _html(client.get(decision_url(req)))


def test_before_the_review_date_there_is_no_banner(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    client = client_for("police_practitioner")
    walk(client, req, TO_SEEK_ADVICE)
    with mock.patch("mash.guidance.selectors._today", return_value=date(2024, 2, 29)):
        assert "due for review" not in _html(client.get(step_url(req, "purpose")))
        assert "due for review" not in _html(client.get(decision_url(req)))
        assert "due for review" not in _html(Client().get(CHECK_URL))
