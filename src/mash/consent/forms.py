"""Forms for recording consent given, refused or withdrawn (GOV.UK patterns: radios,
checkboxes, date input). They only parse and check what was typed; the service checks
the rules and writes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from mash.agencies.models import Agency
from mash.enquiries.models import Person, PersonKind
from mash.lib.digits import digits_message, has_other_digits

from . import evidence as evidence_store
from .models import Category, ConsentStatus, Giver, Method
from .selectors import recipients_for

_TIME = re.compile(r"^\s*([0-9]{1,2})(?:[:.]([0-9]{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


class DateInput(forms.MultiWidget):
    """GOV.UK date input: three boxes named ``<name>-day``, ``-month``, ``-year``."""

    def __init__(self) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [data.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")]


class DateField(forms.Field):
    """A date from the three boxes, with GOV.UK's error messages."""

    widget = DateInput

    def __init__(self, *, what: str, **kwargs: Any) -> None:
        self.what = what
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        parts = list(value or ["", "", ""])
        if not any(parts):
            return None
        if any(has_other_digits(part) for part in parts):
            raise ValidationError(digits_message(self.what))
        names = ("day", "month", "year")
        missing = [name for name, part in zip(names, parts, strict=True) if not part]
        if missing:
            raise ValidationError(f"{self.what} must include a {' and '.join(missing)}")
        try:
            day, month, year = (int(part) for part in parts)
            if year < 1900:
                raise ValueError
            return dt.date(year, month, day)
        except ValueError:
            raise ValidationError(f"{self.what} must be a real date") from None

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(f"Enter {self.what[0].lower()}{self.what[1:]}")


class TimeField(forms.CharField):
    """A time such as 14:30, 2:30pm or 2pm (optional)."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        if has_other_digits(text):
            raise ValidationError(digits_message("the time"))
        match = _TIME.match(text)
        if match is None:
            raise ValidationError("Enter the time like 14:30 or 2:30pm")
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        suffix = (match.group(3) or "").lower()
        if suffix:
            if not 1 <= hour <= 12:
                raise ValidationError("Enter the time like 14:30 or 2:30pm")
            hour = hour % 12 + (12 if suffix == "pm" else 0)
        if hour > 23 or minute > 59:
            raise ValidationError("Enter a real time, like 14:30")
        return dt.time(hour, minute)


class _GovukForm(forms.Form):
    """Helpers for the GOV.UK error summary and date inputs."""

    @property
    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary, in the order of the page."""
        links = [("", str(message)) for message in self.non_field_errors()]
        for name in self.fields:
            for message in self.errors.get(name, []):
                anchor = f"{name}-day" if isinstance(self.fields[name], DateField) else name
                links.append((anchor, str(message)))
        return links

    @property
    def date_values(self) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for name, field in self.fields.items():
            if isinstance(field, DateField):
                raw = self[name].value()
                if isinstance(raw, dt.date):
                    raw = [raw.day, raw.month, raw.year]
                parts = list(raw) if isinstance(raw, list | tuple) else ["", "", ""]
                values[name] = [str(part or "") for part in parts]
        return values


class _GiverMixin(_GovukForm):
    giver = forms.ChoiceField(
        choices=Giver.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who gave, refused or withdrew consent"},
    )
    giver_relationship = forms.CharField(max_length=100, required=False)
    gillick_competent = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        required=False,
    )
    method = forms.ChoiceField(
        choices=Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how consent was given or refused"},
    )
    given_on = DateField(what="The date")
    given_time = TimeField(required=False)
    evidence = forms.FileField(
        required=False,
        error_messages={
            "empty": "The selected consent form is empty",
            "invalid": "The consent form must be a PDF, PNG or JPEG",
            "missing": "Select a consent form to upload",
        },
    )

    def __init__(
        self, *args: Any, person: Person, evidence_too_large: bool = False, **kwargs: Any
    ) -> None:
        self.person = person
        self.evidence_too_large = evidence_too_large
        super().__init__(*args, **kwargs)

    def _name_date(self, what: str) -> None:
        given_on = self.fields["given_on"]
        if not isinstance(given_on, DateField):
            raise TypeError("given_on must be the form's DateField")
        given_on.what = what

    @property
    def is_child(self) -> bool:
        return self.person.kind == PersonKind.CHILD

    def clean_gillick_competent(self) -> bool | None:
        value = self.cleaned_data.get("gillick_competent")
        return {"yes": True, "no": False}.get(value or "")

    def clean_evidence(self) -> Any:
        if self.evidence_too_large:
            raise ValidationError(evidence_store.too_large_message())
        upload = self.cleaned_data.get("evidence")
        if upload is None:
            return None
        try:
            evidence_store.check_upload(upload)
        except ValidationError as error:
            raise ValidationError(error.message_dict["evidence"][0]) from None
        upload.seek(0)
        return upload


class ConsentForm(_GiverMixin):
    """Record consent given or refused."""

    field_order = [
        "status",
        "giver",
        "giver_relationship",
        "gillick_competent",
        "scope",
        "agencies",
        "purpose",
        "purpose_scope",
        "purposes",
        "category_scope",
        "categories",
        "information_covered",
        "method",
        "given_on",
        "given_time",
        "valid_from",
        "valid_until",
        "evidence",
    ]

    status = forms.ChoiceField(
        choices=[(ConsentStatus.GIVEN, "Given"), (ConsentStatus.REFUSED, "Refused")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether consent was given or refused"},
    )
    scope = forms.ChoiceField(
        choices=[("all", "All agencies"), ("some", "Only some agencies")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select which agencies it covers"},
    )
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select agencies from the list"},
    )
    purpose = forms.CharField(
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter the purpose the consent is for"},
    )
    purpose_scope = forms.ChoiceField(
        choices=[
            ("all", "Not limited to purposes on the hub's list"),
            ("some", "Only some of the hub's purposes"),
        ],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select whether the consent is limited to purposes"},
    )
    purposes = forms.MultipleChoiceField(
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select purposes from the hub's purposes list"},
    )
    category_scope = forms.ChoiceField(
        choices=[("all", "All kinds of information"), ("some", "Only some kinds")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select which kinds of information it covers"},
    )
    categories = forms.MultipleChoiceField(
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select kinds of information from the list"},
    )
    information_covered = forms.CharField(widget=forms.Textarea, max_length=2000, required=False)
    valid_from = DateField(what="Valid from", required=False)
    valid_until = DateField(what="Valid until", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._name_date("The date consent was given or refused")
        agencies_field = self.fields["agencies"]
        if not isinstance(agencies_field, forms.ModelMultipleChoiceField):
            raise TypeError("agencies must be a ModelMultipleChoiceField")
        agencies_field.queryset = Agency.objects.filter(
            pk__in=[agency.pk for agency in recipients_for(self.person.enquiry)]
        ).order_by("-is_hub", "name")
        from mash.guidance.selectors import active_purposes

        purposes_field = self.fields["purposes"]
        if not isinstance(purposes_field, forms.MultipleChoiceField):
            raise TypeError("purposes must be a MultipleChoiceField")
        purposes_field.choices = active_purposes()

    @property
    def has_purposes(self) -> bool:
        """Whether the hub keeps a purposes list to limit a consent to."""
        return bool(self.fields["purposes"].choices)  # type: ignore[attr-defined]

    def limited_purposes(self) -> list[str] | None:
        """The purposes chosen, or None when the consent is not limited to any."""
        data = self.cleaned_data
        return list(data.get("purposes") or []) if data.get("purpose_scope") == "some" else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == "some" and not data.get("agencies"):
            self.add_error("agencies", "Select the agencies the consent covers")
        if data.get("purpose_scope") == "some" and not data.get("purposes"):
            self.add_error("purposes", "Select the purposes the consent covers")
        if data.get("category_scope") == "some" and not data.get("categories"):
            self.add_error("categories", "Select the kinds of information the consent covers")
        return data


class WithdrawalForm(_GiverMixin):
    """Record that consent given earlier has been withdrawn."""

    field_order = [
        "giver",
        "giver_relationship",
        "gillick_competent",
        "method",
        "given_on",
        "given_time",
        "evidence",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._name_date("The date consent was withdrawn")
        self.fields["method"].error_messages["required"] = "Select how consent was withdrawn"
