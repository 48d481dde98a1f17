"""The decision's dates (when an item was recorded, when the decision not to share was
discussed, when explicit consent was given) are GOV.UK date inputs: day, month and year
in three boxes, whatever the browser's locale. A date that is not a real date, or lacks
a part, is refused with a message naming the field, and nothing is saved."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from mash.sharing.models import Decision

from .pages import (
    TO_DO_NOT_SHARE,
    TO_SIGNIFICANT_HARM,
    at_decision_page,
    date_boxes,
    decision_url,
    not_sharing_form,
    share_form,
    step_url,
)


def test_the_item_s_date_is_three_boxes_not_a_browser_date_picker(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    text = client.get(decision_url(req)).content.decode()
    for part in ("day", "month", "year"):
        assert f'name="item-1-recorded_on_{part}"' in text
        assert f'id="id_item-1-recorded_on_{part}"' in text
    assert 'type="date"' not in text
    assert "Date it was recorded</legend>" in text


def test_an_impossible_item_date_is_named_and_nothing_is_saved(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    data = share_form(req.people.first(), **date_boxes("item-1-recorded_on", "2026-02-31"))
    response = client.post(decision_url(req), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Item 1: the date it was recorded must be a real date" in text
    assert 'href="#id_item-1-recorded_on"' in text
    assert 'id="id_item-1-recorded_on"' in text  # the summary's link lands on the boxes
    assert 'name="item-1-recorded_on_day" type="text" inputmode="numeric" value="31"' in text
    assert not Decision.objects.exists()


def test_an_item_date_without_its_month_says_so(cast: Any, agencies: Any, client_for: Any) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    boxes = date_boxes("item-1-recorded_on", "2026-01-10") | {"item-1-recorded_on_month": ""}
    response = client.post(decision_url(req), share_form(req.people.first(), **boxes))
    assert response.status_code == 400
    assert "Item 1: the date it was recorded must include a month" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_two_figure_year_is_not_a_real_date(cast: Any, agencies: Any, client_for: Any) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    boxes = date_boxes("item-1-recorded_on", "2026-01-10") | {"item-1-recorded_on_year": "26"}
    response = client.post(decision_url(req), share_form(req.people.first(), **boxes))
    assert response.status_code == 400
    assert "Item 1: the date it was recorded must be a real date" in response.content.decode()


def test_an_impossible_date_of_the_discussion_is_named(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_DO_NOT_SHARE)
    response = client.post(
        decision_url(req), not_sharing_form(req, **date_boxes("discussed_date", "2026-13-01"))
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "The date you discussed it must be a real date" in text
    assert 'href="#id_discussed_date"' in text
    assert not Decision.objects.exists()


def test_a_date_of_the_discussion_in_three_boxes_is_recorded(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_DO_NOT_SHARE)
    response = client.post(decision_url(req), not_sharing_form(req))
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get()
    assert decision.discussed_at is not None
    # The form discusses it today (not before the request, not in the future).
    assert timezone.localtime(decision.discussed_at).date() == timezone.localdate()


def _consent_given(**boxes: str) -> dict[str, str]:
    return {
        "status": "given",
        "coverage": "all",
        "explicit": "yes",
        "recorded_time": "10:15",
        "details": "Signed consent form.",
        **boxes,
    }


def test_an_impossible_date_of_explicit_consent_is_named(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM[:3])
    response = client.post(
        step_url(req, "consent"), _consent_given(**date_boxes("recorded_date", "2026-02-30"))
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "The date consent was given must be a real date" in text
    assert 'name="recorded_date_day" type="text" inputmode="numeric" value="30"' in text
    response = client.post(step_url(req, "consent"), _consent_given())
    assert "Enter the date consent was given" in response.content.decode()
    response = client.post(
        step_url(req, "consent"), _consent_given(**date_boxes("recorded_date", "2999-01-01"))
    )
    assert "The date consent was given must be in the past" in response.content.decode()


def test_a_correction_shows_the_item_s_date_in_its_boxes(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    req, client = at_decision_page(cast, agencies, client_for, TO_SIGNIFICANT_HARM)
    assert client.post(decision_url(req), share_form(req.people.first())).status_code == 302
    decision = Decision.objects.get()
    client.post(reverse("sharing:correct", kwargs={"decision_id": decision.pk}))
    text = client.get(decision_url(req)).content.decode()
    assert 'name="item-1-recorded_on_day" type="text" inputmode="numeric" value="10"' in text
    assert 'name="item-1-recorded_on_month" type="text" inputmode="numeric" value="1"' in text
    assert 'name="item-1-recorded_on_year" type="text" inputmode="numeric" value="2026"' in text


def test_the_time_of_the_discussion_is_a_text_box_not_a_browser_time_picker(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    """Chromium shows a time input as "11:30 AM" in a US locale; the hub works in
    24-hour time, so the box takes "14:30" (or "2:30pm") as typed."""
    req, client = at_decision_page(cast, agencies, client_for, TO_DO_NOT_SHARE)
    text = client.get(decision_url(req)).content.decode()
    assert 'name="discussed_time" type="text"' in text
    assert 'type="time"' not in text
    # Now, typed in 12-hour time (a discussion is neither in the future nor before the
    # request was sent).
    now = timezone.localtime()
    typed = now.strftime("%-I:%M%p").lower()
    response = client.post(decision_url(req), not_sharing_form(req, discussed_time=typed))
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get()
    assert decision.discussed_at is not None
    assert timezone.localtime(decision.discussed_at).strftime("%H:%M") == now.strftime("%H:%M")
