"""A question for advice tells the managers who can answer it; the answer tells the
practitioner who asked. In the app and by e-mail, once, to nobody else, and with the
enquiry's reference instead of anyone's name or the question itself."""

from __future__ import annotations

from typing import Any

from django_tasks_db.models import DBTaskResult

from mash.agencies.models import User
from mash.records.models import RecordEntry
from mash.timeliness import sharing_notices
from mash.timeliness.models import Notice, Notification
from tests.sharing.advice_helpers import advice_url, answer, ask, ask_url
from tests.sharing.factories import make_request

from .notice_helpers import email_all, everyone_told, told


def test_a_question_to_the_agency_s_managers_tells_them_and_nobody_else(
    mail_cast: Any, agencies: Any
) -> None:
    req = make_request(cast=mail_cast, agency=agencies["police"])
    advice = ask(mail_cast, req)
    assert told("advice_asked") == {"paul"}
    assert everyone_told() == {"paul"}
    [notification] = Notification.objects.all()
    assert notification.link == advice_url(advice)
    assert notification.subject == f"{req.enquiry.reference}: a practitioner asks for your advice"
    assert RecordEntry.objects.filter(action="notice.sent", enquiry_id=req.enquiry_id).exists()
    assert DBTaskResult.objects.filter(task_path__endswith="email_notice").count() == 1


def test_a_question_to_the_hub_s_safeguarding_lead_tells_the_hub_s_managers(
    mail_cast: Any, agencies: Any
) -> None:
    req = make_request(cast=mail_cast, agency=agencies["police"])
    ask(mail_cast, req, adviser="hub_lead")
    assert told("advice_asked") == {"harriet"}


def test_a_question_to_one_manager_tells_only_that_manager(mail_cast: Any, agencies: Any) -> None:
    User.objects.create_user(
        username="pearl", agency=agencies["police"], role="manager", email="pearl@police.example"
    )
    req = make_request(cast=mail_cast, agency=agencies["police"])
    ask(mail_cast, req, adviser=f"manager:{mail_cast['police_manager'].pk}")
    assert told("advice_asked") == {"paul"}


def test_a_manager_who_has_left_is_not_told(mail_cast: Any, agencies: Any) -> None:
    User.objects.create_user(username="pearl", agency=agencies["police"], role="manager")
    req = make_request(cast=mail_cast, agency=agencies["police"])
    paul = mail_cast["police_manager"]
    paul.is_active = False
    paul.save(update_fields=["is_active"])
    ask(mail_cast, req)
    assert told("advice_asked") == {"pearl"}


def test_the_answer_tells_the_practitioner_who_asked(mail_cast: Any, agencies: Any) -> None:
    req = make_request(cast=mail_cast, agency=agencies["police"])
    advice = answer(mail_cast, ask(mail_cast, req))
    assert told("advice_answered") == {"priya"}
    [notification] = Notification.objects.filter(notice__kind="advice_answered")
    assert notification.link == advice_url(advice)
    assert everyone_told() == {"paul", "priya"}


def test_a_notice_is_sent_once_however_often_it_is_asked_for(mail_cast: Any, agencies: Any) -> None:
    req = make_request(cast=mail_cast, agency=agencies["police"])
    advice = answer(mail_cast, ask(mail_cast, req))
    assert sharing_notices.advice_asked(advice, now=advice.asked_at) is None
    assert sharing_notices.advice_answered(advice, now=advice.answered_at) is None
    assert Notice.objects.count() == 2
    assert Notification.objects.count() == 2
    assert DBTaskResult.objects.filter(task_path__endswith="email_notice").count() == 2


def test_the_e_mails_carry_the_reference_and_a_link_and_not_the_question_or_names(
    mail_cast: Any, agencies: Any
) -> None:
    req = make_request(cast=mail_cast, agency=agencies["police"])
    advice = answer(mail_cast, ask(mail_cast, req))
    messages = email_all()
    assert sorted(m.to[0] for m in messages) == ["paul@police.example", "priya@police.example"]
    people = [p.full_name for p in req.people.all()]
    for message in messages:
        text = message.subject + message.body
        assert req.enquiry.reference in text
        assert advice_url(advice) in message.body
        assert "significant" not in text  # neither the question nor the answer
        assert "Priya" not in text and "Paul" not in text
        assert not [name for name in people if name in text]


def test_asking_and_answering_through_the_pages_shows_in_each_notifications_list(
    mail_cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=mail_cast, agency=agencies["police"])
    response = client_for("police_practitioner").post(
        ask_url(req), {"adviser": "agency_manager", "question": "Is this significant harm?"}
    )
    assert response.status_code == 302
    ref = req.enquiry.reference
    manager = client_for("police_manager")
    page = manager.get("/notifications/").content.decode()
    assert f"{ref}: a practitioner asks for your advice" in page
    advice = Notification.objects.get().notice.request.advice_requests.get()
    assert manager.post(advice_url(advice), {"answer": "Treat it as harm."}).status_code == 302
    page = client_for("police_practitioner").get("/notifications/").content.decode()
    assert f"{ref}: your question has been answered" in page
    for outsider in ("hub_practitioner", "health_practitioner", "outsider", "dpo"):
        assert ref not in client_for(outsider).get("/notifications/").content.decode()
