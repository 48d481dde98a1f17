"""``GovukForm.accepted``: a valid form's data goes to the service; the service's refusal
is shown against the field it names; an invalid form never reaches the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from mash.enquiries.forms import GovukForm


class ReasonForm(GovukForm):
    reason = forms.CharField(error_messages={"required": "Enter the reason"})


def test_an_invalid_form_never_reaches_the_service() -> None:
    calls: list[dict[str, Any]] = []
    form = ReasonForm({"reason": ""})
    assert not form.accepted(calls.append)
    assert calls == []
    assert form.field_errors("reason") == ["Enter the reason"]


def test_the_services_refusal_is_shown_against_its_field() -> None:
    def refuse(data: dict[str, Any]) -> None:
        raise ValidationError({"reason": "The reason must say why the hold is needed"})

    form = ReasonForm({"reason": "x"})
    assert not form.accepted(refuse)
    assert form.field_errors("reason") == ["The reason must say why the hold is needed"]
    assert form.error_summary() == [("id_reason", "The reason must say why the hold is needed")]


def test_an_accepted_form_gives_the_service_its_cleaned_data() -> None:
    calls: list[dict[str, Any]] = []
    form = ReasonForm({"reason": "  An inquiry asked us to keep it  "})
    assert form.accepted(calls.append)
    assert calls == [{"reason": "An inquiry asked us to keep it"}]
