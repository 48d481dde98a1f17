"""The side panel waits (issue 12, item 8): on the guided pages it says nothing about
the outcome until the answers decide it, then exactly what the engine says. Seen in the
demo: "Seek advice" before questions 2-5 were answered, then "Do not share" before
question 6 (the public interest) was asked."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape

from mash.sharing import services, views

from .factories import make_request
from .pages import TO_DO_NOT_SHARE, decision_url, step_url, walk


def _panel(page: str) -> str:
    return page.split('id="outcome-title"', 1)[1].split("</section>", 1)[0]


def test_before_the_public_interest_question_the_panel_does_not_say_do_not_share(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    police = client_for("police_practitioner")
    walk(police, req, TO_DO_NOT_SHARE[:-1])
    panel = _panel(police.get(step_url(req, "public_interest")).content.decode())
    assert "depends on the questions still to come" in panel
    assert "Do not share" not in panel
    assert "Seek advice" not in panel


def test_on_every_page_before_the_last_the_panel_waits(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    police = client_for("police_practitioner")
    for n, (step, _data) in enumerate(TO_DO_NOT_SHARE[1:], start=1):
        walk(police, req, TO_DO_NOT_SHARE[:n])
        panel = _panel(police.get(step_url(req, step)).content.decode())
        for outcome in ("Do not share", "Seek advice", "Share:"):
            assert outcome not in panel, (step, outcome)


def test_once_decided_the_decision_page_says_exactly_what_the_engine_says(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    police = client_for("police_practitioner")
    walk(police, req, TO_DO_NOT_SHARE)
    page = police.get(decision_url(req)).content.decode()
    panel = _panel(page)
    assert "Do not share" in panel
    assert "depends on the questions still to come" not in panel
    # The reasons shown are the engine's, word for word.
    progress = views._progress(req, _draft_answers(police, req))
    result = services.evaluate(progress.question)
    assert result["outcome"] == "do_not_share"
    for reason in result["reasons"]:
        assert escape(reason) in panel


def _draft_answers(client: Any, req: Any) -> dict[str, Any]:
    for key, value in client.session.items():
        if str(req.pk) in key and isinstance(value, dict) and "answers" in value:
            return dict(value["answers"])
    raise AssertionError("no draft in the session")
