"""The report's date range: two GOV.UK date inputs (day, month, year), both required.
Dates travel in the query string; they are not personal."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

_PARTS = ("day", "month", "year")


class DateRangeForm(forms.Form):
    from_day = forms.CharField(required=False, max_length=2)
    from_month = forms.CharField(required=False, max_length=2)
    from_year = forms.CharField(required=False, max_length=4)
    to_day = forms.CharField(required=False, max_length=2)
    to_month = forms.CharField(required=False, max_length=2)
    to_year = forms.CharField(required=False, max_length=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not name.startswith(("from_", "to_")):
                continue
            part = name.split("_", 1)[1]
            which = "Date from" if name.startswith("from") else "Date to"
            limit = 4 if part == "year" else 2
            field.error_messages["max_length"] = (
                f"{which}: the {part} must be {limit} digits or fewer"
            )

    def _date(self, prefix: str, label: str) -> dt.date | None:
        parts = [str(self.cleaned_data.get(f"{prefix}_{p}") or "").strip() for p in _PARTS]
        if not any(parts):
            self.add_error(f"{prefix}_day", f"Enter the {label.lower()}")
            return None
        missing = [name for name, value in zip(_PARTS, parts, strict=True) if not value]
        if missing:
            self.add_error(f"{prefix}_day", f"{label} must include a {missing[0]}")
            return None
        try:
            day, month, year = (int(value) for value in parts)
            if year < 1000:
                raise ValueError
            return dt.date(year, month, day)
        except ValueError:
            self.add_error(f"{prefix}_day", f"{label} must be a real date")
            return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(f"{p}_{q}" in self.errors for p in ("from", "to") for q in _PARTS):
            return cleaned
        cleaned["start"] = self._date("from", "Date from")
        cleaned["end"] = self._date("to", "Date to")
        if cleaned["start"] and cleaned["end"] and cleaned["end"] < cleaned["start"]:
            self.add_error("to_day", "Date to must be the same as or after date from")
        return cleaned


class DashboardForm(DateRangeForm):
    """The dashboard's filters: the period (both dates) and, optionally, one partner
    agency, by its code. The agencies offered are the active partner agencies."""

    agency = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["agency"])
        field.choices = [("", "All agencies"), *agencies]
        field.error_messages["invalid_choice"] = "Agency: choose one of the agencies listed"
