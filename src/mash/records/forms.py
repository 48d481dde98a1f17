"""The filters of the record's pages. Everything in them is an id, a code or a date:
they travel in the query string, which never holds a name."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from .models import Action

_DATE_PARTS = ("day", "month", "year")


class ActivityFilterForm(forms.Form):
    enquiry = forms.UUIDField(
        required=False,
        label="Enquiry ID",
        error_messages={"invalid": "Enter the enquiry ID in full, as shown on the enquiry"},
    )
    object_id = forms.CharField(
        required=False,
        max_length=64,
        label="Person or other record ID",
        error_messages={"max_length": "The ID must be 64 characters or fewer"},
    )
    user = forms.ChoiceField(required=False, label="User")
    agency = forms.ChoiceField(required=False, label="Agency")
    action = forms.ChoiceField(
        required=False, label="Action", choices=[("", "Any action"), *Action.choices]
    )
    from_day = forms.CharField(required=False, max_length=2)
    from_month = forms.CharField(required=False, max_length=2)
    from_year = forms.CharField(required=False, max_length=4)
    to_day = forms.CharField(required=False, max_length=2)
    to_month = forms.CharField(required=False, max_length=2)
    to_year = forms.CharField(required=False, max_length=4)

    def __init__(
        self,
        *args: Any,
        users: list[tuple[str, str]],
        agencies: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Any user"), *users]  # type: ignore[attr-defined]
        self.fields["agency"].choices = [("", "Any agency"), *agencies]  # type: ignore[attr-defined]

    def _date(self, prefix: str, label: str) -> dt.date | None:
        parts = [(self.cleaned_data.get(f"{prefix}_{part}") or "").strip() for part in _DATE_PARTS]
        if not any(parts):
            return None
        missing = [name for name, value in zip(_DATE_PARTS, parts, strict=True) if not value]
        if missing:
            self.add_error(f"{prefix}_day", f"{label} must include a {missing[0]}")
            return None
        try:
            day, month, year = (int(value) for value in parts)
            return dt.date(year, month, day)
        except ValueError:
            self.add_error(f"{prefix}_day", f"{label} must be a real date")
            return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["date_from"] = self._date("from", "Date from")
        cleaned["date_to"] = self._date("to", "Date to")
        if (
            cleaned["date_from"]
            and cleaned["date_to"]
            and cleaned["date_to"] < cleaned["date_from"]
        ):
            self.add_error("to_day", "Date to must be the same as or after date from")
        return cleaned

    def filters(self) -> dict[str, str]:
        """The filters in use, as ids and codes (for the record entry of this view)."""
        data = self.cleaned_data
        out: dict[str, str] = {}
        for name in ("enquiry", "object_id", "user", "agency", "action", "date_from", "date_to"):
            value = data.get(name)
            if value:
                out[name] = str(value)
        return out
