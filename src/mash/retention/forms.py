"""Forms for the DPO's retention pages: parsing and messages only (the services decide
and write). GOV.UK error messages name the field."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.utils import timezone

from mash.enquiries.forms import GovukForm


def _date(data: Any, prefix: str, what: str, *, required: bool) -> dt.date | None:
    parts = [str(data.get(f"{prefix}_{p}") or "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        if required:
            raise forms.ValidationError(f"Enter {what}")
        return None
    if not all(part.isdigit() for part in parts):
        raise forms.ValidationError(f"{what.capitalize()} must be a real date")
    day, month, year = (int(p) for p in parts)
    try:
        value = dt.date(year, month, day)
    except (ValueError, OverflowError):
        raise forms.ValidationError(f"{what.capitalize()} must be a real date") from None
    if year < 1900:
        raise forms.ValidationError(f"{what.capitalize()} must be a real date")
    return value


class HoldForm(GovukForm):
    anchors = {"review_on": "review_on_day", "review_on_day": "review_on_day"}

    reason = forms.CharField(
        max_length=2000,
        error_messages={
            "required": "Enter the reason for the hold",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )
    review_on_day = forms.CharField(required=False, max_length=10)
    review_on_month = forms.CharField(required=False, max_length=10)
    review_on_year = forms.CharField(required=False, max_length=10)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            cleaned["review_on"] = _date(
                self.data, "review_on", "the date the hold is next reviewed", required=True
            )
        except forms.ValidationError as error:
            self.add_error("review_on_day", error)
        else:
            if cleaned["review_on"] is not None and cleaned["review_on"] < timezone.localdate():
                self.add_error("review_on_day", "The review date must be today or in the future")
        for name in ("review_on_month", "review_on_year"):
            self.errors.pop(name, None)
        return cleaned


class SearchForm(GovukForm):
    """Find a person's records by name and date of birth (posted, never in a URL)."""

    anchors = {"date_of_birth": "date_of_birth_day", "date_of_birth_day": "date_of_birth_day"}

    first_name = forms.CharField(
        max_length=100, error_messages={"required": "Enter the person's first name"}
    )
    last_name = forms.CharField(
        max_length=100, error_messages={"required": "Enter the person's last name"}
    )
    date_of_birth_day = forms.CharField(required=False, max_length=10)
    date_of_birth_month = forms.CharField(required=False, max_length=10)
    date_of_birth_year = forms.CharField(required=False, max_length=10)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            cleaned["date_of_birth"] = _date(
                self.data, "date_of_birth", "the person's date of birth", required=False
            )
        except forms.ValidationError as error:
            self.add_error("date_of_birth_day", error)
        for name in ("date_of_birth_month", "date_of_birth_year"):
            self.errors.pop(name, None)
        return cleaned


class ExportForm(GovukForm):
    """The person records to export, chosen from the search's results."""

    person = forms.MultipleChoiceField(
        error_messages={
            "required": "Select the records that are about the person",
            "invalid_choice": "Select the records that are about the person",
        }
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["person"]
        field.choices = choices

    def anchor(self, name: str) -> str:
        return "person"

    def person_ids(self) -> list[uuid.UUID]:
        return [uuid.UUID(value) for value in self.cleaned_data["person"]]


class DisputeForm(GovukForm):
    """A person's challenge to an item's accuracy."""

    anchors = {"received_on": "received_on_day", "received_on_day": "received_on_day"}

    person = forms.ChoiceField(
        error_messages={
            "required": "Select the person who challenges the item",
            "invalid_choice": "Select the person who challenges the item",
        }
    )
    statement = forms.CharField(
        max_length=5000,
        error_messages={
            "required": "Enter what the person says is wrong",
            "max_length": "The challenge must be 5000 characters or fewer",
        },
    )
    received_on_day = forms.CharField(required=False, max_length=10)
    received_on_month = forms.CharField(required=False, max_length=10)
    received_on_year = forms.CharField(required=False, max_length=10)

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["person"]
        field.choices = people

    def anchor(self, name: str) -> str:
        if name == "person":
            return "person"
        return super().anchor(name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            cleaned["received_on"] = _date(
                self.data, "received_on", "the date the challenge was received", required=True
            )
        except forms.ValidationError as error:
            self.add_error("received_on_day", error)
        else:
            if cleaned["received_on"] is not None and cleaned["received_on"] > timezone.localdate():
                self.add_error(
                    "received_on_day",
                    "The date the challenge was received must be today or in the past",
                )
        for name in ("received_on_month", "received_on_year"):
            self.errors.pop(name, None)
        return cleaned


class CorrectionForm(GovukForm):
    text = forms.CharField(
        max_length=5000,
        error_messages={
            "required": "Enter the corrected information",
            "max_length": "The corrected information must be 5000 characters or fewer",
        },
    )
    reason = forms.CharField(
        max_length=2000,
        error_messages={
            "required": "Enter why the item is corrected, and who at the agency said so",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )


class BatchDecisionForm(GovukForm):
    """The DPO's decision on a sweep batch: approve it, or reject it with the reason."""

    decision = forms.ChoiceField(
        choices=[
            ("approve", "Approve: the next sweep destroys these records"),
            ("reject", "Reject: destroy nothing in this batch"),
        ],
        error_messages={
            "required": "Select whether to approve or reject the batch",
            "invalid_choice": "Select whether to approve or reject the batch",
        },
    )
    reason = forms.CharField(
        required=False,
        max_length=2000,
        error_messages={"max_length": "The reason must be 2000 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        rejected = cleaned.get("decision") == "reject"
        if rejected and not (cleaned.get("reason") or "").strip() and "reason" not in self.errors:
            self.add_error("reason", "Enter why you are rejecting the batch")
        return cleaned


class DisputeStandsForm(GovukForm):
    """Close a challenge: the item stands as shared, for this reason."""

    reason = forms.CharField(
        max_length=2000,
        error_messages={
            "required": "Enter why the item stands",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )
