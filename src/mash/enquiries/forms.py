"""The intake's question pages and the closing page: parsing and messages only. The
services decide and write; these forms turn what was typed into typed values and name
the field when something is wrong (GOV.UK error messages: "Enter ...", "Select ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.lib.contacts import validate_contact
from mash.lib.digits import digits_message, has_other_digits

from .models import ConsentToRefer, PersonKind, Rag, Source, ThresholdOutcome

YES_NO = [("yes", "Yes"), ("no", "No")]


class AsciiIntegerField(forms.IntegerField):
    """A whole number typed with the digits 0 to 9 (``int()`` reads other scripts')."""

    def __init__(self, *args: Any, what: str, **kwargs: Any) -> None:
        self.what = what
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if has_other_digits(value):
            raise ValidationError(digits_message(self.what))
        return super().to_python(value)


class GovukForm(forms.Form):
    """A form that knows where each error should link to in the error summary.
    ``anchors`` maps a field (or a service's field name) to the id of the input the
    summary links to."""

    anchors: dict[str, str] = {}
    aliases: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def anchor(self, name: str) -> str:
        if name in self.anchors:
            return self.anchors[name]
        if name in self.fields:
            return f"id_{name}"
        return f"id_{next(iter(self.fields))}"

    def error_summary(self) -> list[tuple[str, str]]:
        return [
            (self.anchor(name), str(message))
            for name, messages in self.errors.items()
            for message in messages
        ]

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's refusal against the field it names."""
        for name, messages in error.message_dict.items():
            key = self.aliases.get(name, name)
            for message in messages:
                if key in self.fields:
                    self.add_error(key, message)
                else:
                    self.errors.setdefault(key, self.error_class()).append(message)

    def accepted(self, act: Callable[[dict[str, Any]], object]) -> bool:
        """Whether the form is valid and the service call ``act`` (given the cleaned
        data) accepted it. A service's refusal (``ValidationError``) is shown against
        the field it names, so the view re-renders the form with a 400."""
        if not self.is_valid():
            return False
        try:
            act(self.cleaned_data)
        except ValidationError as error:
            self.add_service_errors(error)
            return False
        return True

    def field_errors(self, name: str) -> list[str]:
        return [str(m) for m in self.errors.get(name, [])]


def parse_date(
    data: dict[str, str], *, what: str, required: bool
) -> tuple[date | None, str | None, str]:
    """Parse a GOV.UK date input (day, month, year). Returns the date, an error message
    (or None), and which part to link the error to."""
    parts = {k: (data.get(k) or "").strip() for k in ("day", "month", "year")}
    if not any(parts.values()):
        return None, (f"Enter {what}" if required else None), "day"
    other = [k for k in ("day", "month", "year") if has_other_digits(parts[k])]
    if other:
        return None, digits_message(what), other[0]
    missing = [k for k in ("day", "month", "year") if not parts[k]]
    if missing:
        return None, f"{what[0].upper()}{what[1:]} must include a {missing[0]}", missing[0]
    if not all(re.fullmatch(r"[0-9]{1,4}", v) for v in parts.values()) or len(parts["year"]) != 4:
        return None, f"{what[0].upper()}{what[1:]} must be a real date", "day"
    try:
        value = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        return None, f"{what[0].upper()}{what[1:]} must be a real date", "day"
    return value, None, "day"


_TIME = re.compile(r"^\s*([0-9]{1,2})[:.]([0-9]{2})\s*$")


class ReceivedForm(GovukForm):
    """When was the enquiry received? A date input and a time."""

    received_day = forms.CharField(required=False, max_length=2)
    received_month = forms.CharField(required=False, max_length=2)
    received_year = forms.CharField(required=False, max_length=4)
    received_time = forms.CharField(required=False, max_length=5)
    anchors: dict[str, str] = {"received_date": "id_received_day"}
    aliases: dict[str, str] = {"received_at": "received_date"}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, error, part = parse_date(
            {
                "day": cleaned.get("received_day", ""),
                "month": cleaned.get("received_month", ""),
                "year": cleaned.get("received_year", ""),
            },
            what="the date the enquiry was received",
            required=True,
        )
        if error:
            self.anchors = {**self.anchors, "received_date": f"id_received_{part}"}
            self.errors.setdefault("received_date", self.error_class()).append(error)
        match = _TIME.match(cleaned.get("received_time", ""))
        moment: time | None = None
        if not (cleaned.get("received_time") or "").strip():
            self.add_error("received_time", "Enter the time the enquiry was received")
        elif match is None or int(match[1]) > 23 or int(match[2]) > 59:
            self.add_error(
                "received_time", "Enter the time in the 24-hour clock, for example 14:30"
            )
        else:
            moment = time(int(match[1]), int(match[2]))
        if day is not None and moment is not None:
            value = timezone.make_aware(datetime.combine(day, moment))
            if value > timezone.now():
                self.errors.setdefault("received_date", self.error_class()).append(
                    "The date and time received must be in the past"
                )
            else:
                cleaned["received_at"] = value
        return cleaned


class SourceForm(GovukForm):
    source = forms.ChoiceField(
        choices=Source.choices,
        error_messages={
            "required": "Select who made the enquiry",
            "invalid_choice": "Select who made the enquiry",
        },
    )


class ReferrerForm(GovukForm):
    referrer_name = forms.CharField(required=False, max_length=200, label="Full name")
    referrer_role = forms.CharField(required=False, max_length=200, label="Role")
    referrer_organisation = forms.CharField(required=False, max_length=200, label="Organisation")
    referrer_contact = forms.CharField(
        required=False,
        max_length=300,
        label="Telephone number or email address",
        validators=[validate_contact],
    )


class ConcernForm(GovukForm):
    concern = forms.CharField(
        max_length=10000,
        error_messages={
            "required": "Enter the concern in the referrer's words",
            "max_length": "The concern must be 10,000 characters or fewer",
        },
    )


class DangerForm(GovukForm):
    immediate_danger = forms.ChoiceField(
        choices=YES_NO,
        error_messages={
            "required": "Select yes if the child is in immediate danger",
            "invalid_choice": "Select yes if the child is in immediate danger",
        },
    )


class ConsentForm(GovukForm):
    consent_to_refer = forms.ChoiceField(
        choices=ConsentToRefer.choices,
        error_messages={
            "required": "Select whether consent to refer was obtained",
            "invalid_choice": "Select whether consent to refer was obtained",
        },
    )
    consent_obtained_from = forms.CharField(required=False, max_length=300)
    consent_not_obtained_reason = forms.CharField(required=False, max_length=5000)


class UrgencyForm(GovukForm):
    rag = forms.ChoiceField(
        choices=Rag.choices,
        error_messages={
            "required": "Select how urgent the enquiry is",
            "invalid_choice": "Select how urgent the enquiry is",
        },
    )
    rag_rationale = forms.CharField(
        max_length=5000, error_messages={"required": "Enter why you chose this urgency"}
    )


class PersonForm(GovukForm):
    kind = forms.ChoiceField(
        choices=PersonKind.choices,
        error_messages={
            "required": "Select who the person is",
            "invalid_choice": "Select who the person is",
        },
    )
    first_name = forms.CharField(
        max_length=100, error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(
        max_length=100, error_messages={"required": "Enter their last name"}
    )
    other_names = forms.CharField(required=False, max_length=300)
    dob_day = forms.CharField(required=False, max_length=2)
    dob_month = forms.CharField(required=False, max_length=2)
    dob_year = forms.CharField(required=False, max_length=4)
    estimated_age = AsciiIntegerField(
        what="estimated age",
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": "Estimated age must be a whole number, like 7",
            "min_value": "Estimated age must be between 0 and 120",
            "max_value": "Estimated age must be between 0 and 120",
        },
    )
    nhs_number = forms.CharField(
        required=False,
        max_length=20,
        error_messages={"max_length": "NHS number must be 10 digits, like 943 476 5919"},
    )
    address = forms.CharField(required=False, max_length=2000)
    school_or_setting = forms.CharField(required=False, max_length=200)
    relationship = forms.CharField(required=False, max_length=200)
    role_in_concern = forms.CharField(required=False, max_length=300)
    dod_day = forms.CharField(required=False, max_length=2)
    dod_month = forms.CharField(required=False, max_length=2)
    dod_year = forms.CharField(required=False, max_length=4)
    anchors: dict[str, str] = {
        "date_of_birth": "id_dob_day",
        "date_of_death": "id_dod_day",
        "kind": "id_kind",
    }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _clean_date_of_death(self, cleaned)
        _clean_past_date(self, cleaned, prefix="dob", name="date_of_birth", what="date of birth")
        from .services import nhs_number_error

        nhs_error = nhs_number_error(cleaned.get("nhs_number") or "")
        if nhs_error:
            self.add_error("nhs_number", nhs_error)
        if cleaned.get("kind") == PersonKind.CHILD:
            _check_a_child_s_age(self, cleaned)
        return cleaned


CHILD_AGE_LIMIT = 18
"""A child is anyone who has not yet reached their 18th birthday (Children Act 1989,
s.105; Working Together to Safeguard Children)."""


def _age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _check_a_child_s_age(form: GovukForm, cleaned: dict[str, Any]) -> None:
    """A "Child" whose date of birth (or estimated age) makes them 18 or over is refused,
    naming the field: they are recorded as an adult, or the date is wrong."""
    born = cleaned.get("date_of_birth")
    if born is not None and _age_on(born, timezone.localdate()) >= CHILD_AGE_LIMIT:
        form.errors.setdefault("date_of_birth", form.error_class()).append(
            f"Date of birth must make a child under {CHILD_AGE_LIMIT}: someone born on "
            f"{born:%-d %B %Y} is {_age_on(born, timezone.localdate())}. Check the date, or "
            "select Parent, Carer or Other adult"
        )
        cleaned.pop("date_of_birth", None)
    age = cleaned.get("estimated_age")
    if age is not None and age >= CHILD_AGE_LIMIT:
        form.add_error(
            "estimated_age",
            f"Estimated age of a child must be under {CHILD_AGE_LIMIT}. Check the age, or "
            "select Parent, Carer or Other adult",
        )


def _clean_past_date(
    form: GovukForm, cleaned: dict[str, Any], *, prefix: str, name: str, what: str
) -> None:
    """An optional date in three boxes (``<prefix>_day``, ``_month``, ``_year``): a real
    date, not in the future, put in ``cleaned[name]``; otherwise an error on ``name``
    linked to the box at fault."""
    value, error, part = parse_date(
        {k: cleaned.get(f"{prefix}_{k}", "") for k in ("day", "month", "year")},
        what=what,
        required=False,
    )
    if error:
        form.anchors = {**form.anchors, name: f"id_{prefix}_{part}"}
        form.errors.setdefault(name, form.error_class()).append(error)
    elif value is not None and value > timezone.localdate():
        form.errors.setdefault(name, form.error_class()).append(
            f"{what[0].upper()}{what[1:]} must be today or in the past"
        )
    else:
        cleaned[name] = value


def _clean_date_of_death(form: GovukForm, cleaned: dict[str, Any]) -> None:
    """The optional date of death (three boxes, ``dod_``). Whether it is after the date
    of birth the service checks (it knows the date of birth held)."""
    _clean_past_date(form, cleaned, prefix="dod", name="date_of_death", what="date of death")


class DateOfDeathForm(GovukForm):
    """Record (or correct, or clear) the date someone involved died."""

    dod_day = forms.CharField(required=False, max_length=2)
    dod_month = forms.CharField(required=False, max_length=2)
    dod_year = forms.CharField(required=False, max_length=4)
    anchors: dict[str, str] = {"date_of_death": "id_dod_day"}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _clean_date_of_death(self, cleaned)
        return cleaned


class AddAnotherForm(GovukForm):
    add_another = forms.ChoiceField(
        choices=YES_NO,
        error_messages={
            "required": "Select yes if you need to add another person",
            "invalid_choice": "Select yes if you need to add another person",
        },
    )


class ThresholdForm(GovukForm):
    """The hub's threshold decision: the level of need on the hub's continuum, one or
    more outcomes (the service, for a referral elsewhere) and the rationale."""

    level = forms.ChoiceField(
        choices=[],
        error_messages={
            "required": "Select the child's level of need",
            "invalid_choice": "Select the child's level of need",
        },
    )
    outcomes = forms.MultipleChoiceField(
        choices=ThresholdOutcome.choices,
        error_messages={
            "required": "Select at least one outcome",
            "invalid_choice": "Select at least one outcome",
        },
    )
    referral_service = forms.CharField(
        max_length=200,
        required=False,
        error_messages={"max_length": "The service must be 200 characters or fewer"},
    )
    rationale = forms.CharField(
        max_length=10000,
        error_messages={
            "required": "Enter the rationale for the decision",
            "max_length": "The rationale must be 10000 characters or fewer",
        },
    )
    anchors = {"outcomes": "id_outcomes"}

    def __init__(self, *args: Any, levels: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["level"])
        field.choices = [(str(level.pk), f"{level.position}: {level.name}") for level in levels]
        self.levels = levels


class ThresholdReviewForm(GovukForm):
    """A manager authorises the threshold decision or sends it back with a reason."""

    verdict = forms.ChoiceField(
        choices=[
            ("authorise", "Authorise it and close the enquiry"),
            ("send_back", "Send it back"),
        ],
        error_messages={
            "required": "Select whether you authorise the decision",
            "invalid_choice": "Select whether you authorise the decision",
        },
    )
    reason = forms.CharField(
        max_length=2000,
        required=False,
        error_messages={"max_length": "The reason must be 2000 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("verdict") == "send_back" and not str(data.get("reason", "")).strip():
            self.add_error("reason", "Enter why you are sending the decision back")
        return data


class RestrictForm(GovukForm):
    """Restrict an enquiry to named users, with the reason (the service adds the
    manager who restricts it)."""

    users = forms.MultipleChoiceField(
        choices=[],
        required=False,
        error_messages={"invalid_choice": "Select people from the list"},
    )
    reason = forms.CharField(
        max_length=2000,
        error_messages={
            "required": "Enter why the enquiry is restricted",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )
    anchors = {"users": "id_users"}

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users_field = cast(forms.MultipleChoiceField, self.fields["users"])
        users_field.choices = [
            (str(u.pk), f"{u.get_full_name() or u.username}, {u.get_role_display()}, {u.agency}")
            for u in candidates
        ]


class BreakGlassForm(GovukForm):
    """Why the user needs to open a restricted enquiry they are not named on."""

    reason = forms.CharField(
        max_length=2000,
        error_messages={
            "required": "Enter why you need to open this enquiry",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )


QUEUE = "queue"


class AllocateForm(GovukForm):
    """Who owns the enquiry: one of the hub's practitioners or managers, or (for an
    owned enquiry) back to the team queue."""

    owner = forms.ChoiceField(
        choices=[],
        error_messages={
            "required": "Select who owns the enquiry",
            "invalid_choice": "Select who owns the enquiry",
        },
    )

    def __init__(
        self, *args: Any, candidates: list[Any], current: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["owner"])
        choices = [
            (str(u.pk), f"{u.get_full_name() or u.username}, {u.get_role_display()}")
            for u in candidates
            if current is None or u.pk != current.pk
        ]
        if current is not None:
            choices.append((QUEUE, "Nobody: put it back in the team queue"))
        field.choices = choices


class FeedbackForm(GovukForm):
    """Feedback to the referrer: how they are told, the address, the words (a template
    per outcome, edited), and any items an agency marked as ones the hub may pass on."""

    method = forms.ChoiceField(
        choices=[
            ("email", "By e-mail: send it now"),
            ("phone", "I told them by telephone: record it now"),
        ],
        error_messages={
            "required": "Select how you are telling the referrer",
            "invalid_choice": "Select how you are telling the referrer",
        },
    )
    email = forms.CharField(
        required=False,
        max_length=254,
        error_messages={"max_length": "The e-mail address must be 254 characters or fewer"},
    )
    text = forms.CharField(
        max_length=10000,
        error_messages={
            "required": "Enter what the referrer is told",
            "max_length": "The feedback must be 10,000 characters or fewer",
        },
    )
    items = forms.MultipleChoiceField(
        choices=[],
        required=False,
        error_messages={
            "invalid_choice": "Select only items the agencies marked as ones the hub may pass on"
        },
    )
    anchors = {"items": "id_items", "method": "id_method"}

    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["items"])
        field.choices = [(str(i.pk), str(i.pk)) for i in items]
        self.item_rows = items


class RaiseConcernForm(ReferrerForm, ConcernForm, DangerForm, ConsentForm, PersonForm):
    """A partner raises a concern about a child on one page: the intake's own questions
    (the referrer's role and contact, the concern, immediate danger, the child, consent to
    refer), parsed by the intake's own forms. The referrer's name and agency come from
    their account; the person is always a child."""

    anchors: dict[str, str] = {
        "date_of_birth": "id_dob_day",
        "consent_to_refer": "id_consent_to_refer",
        "immediate_danger": "id_immediate_danger",
        "hub": "id_hub",
    }
    aliases: dict[str, str] = {"kind": "first_name"}

    def __init__(self, *args: Any, hubs: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for unused in ("referrer_name", "referrer_organisation", "kind"):
            del self.fields[unused]
        for unused in ("dod_day", "dod_month", "dod_year"):
            del self.fields[unused]
        self.fields["referrer_role"].required = True
        self.fields["referrer_role"].error_messages["required"] = "Enter your role"
        self.fields["referrer_contact"].required = True
        self.fields["referrer_contact"].error_messages["required"] = (
            "Enter how the hub can contact you"
        )
        self.hubs = hubs
        if len(hubs) > 1:
            self.fields["hub"] = forms.ChoiceField(
                choices=[(str(h.pk), h.name) for h in hubs],
                error_messages={
                    "required": "Select the hub you are raising the concern with",
                    "invalid_choice": "Select the hub you are raising the concern with",
                },
            )

    def chosen_hub(self) -> Any:
        if len(self.hubs) == 1:
            return self.hubs[0]
        return next(h for h in self.hubs if str(h.pk) == self.cleaned_data["hub"])


ACTION_ROWS = 3


class StrategyForm(GovukForm):
    """The strategy discussion: when, the chair, the agencies that attended (who came,
    what each contributed), the decisions, and up to ``ACTION_ROWS`` actions (a row left
    empty is no action). Parsed into a ``strategy.Meeting``; the service validates the
    rest (the chair and owners from their lists, nothing in the future)."""

    held_day = forms.CharField(required=False, max_length=2)
    held_month = forms.CharField(required=False, max_length=2)
    held_year = forms.CharField(required=False, max_length=4)
    held_time = forms.CharField(required=False, max_length=5)
    chair = forms.ChoiceField(
        choices=[],
        error_messages={
            "required": "Select who chaired the strategy discussion",
            "invalid_choice": "Select who chaired the strategy discussion",
        },
    )
    attended = forms.MultipleChoiceField(
        choices=[],
        error_messages={
            "required": "Select the agencies that attended",
            "invalid_choice": "Select the agencies that attended",
        },
    )
    decisions = forms.CharField(
        max_length=10000,
        error_messages={
            "required": "Enter the decisions made",
            "max_length": "The decisions must be 10,000 characters or fewer",
        },
    )
    anchors: dict[str, str] = {"held_date": "id_held_day", "attended": "id_attended"}

    def __init__(
        self, *args: Any, chairs: list[Any], agencies: list[Any], owners: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["chair"]).choices = [("", "Select the chair")] + [
            (str(u.pk), f"{u.get_full_name() or u.username}, {u.get_role_display()}")
            for u in chairs
        ]
        cast(forms.MultipleChoiceField, self.fields["attended"]).choices = [
            (str(a.pk), a.name) for a in agencies
        ]
        self.agencies = agencies
        self.owners = owners
        for a in agencies:
            self.fields[f"attendees_{a.pk}"] = forms.CharField(required=False, max_length=300)
            self.fields[f"contribution_{a.pk}"] = forms.CharField(required=False, max_length=10000)
        owner_choices = [("", "Select the owner")] + [
            (str(u.pk), f"{u.get_full_name() or u.username}, {u.agency.name}") for u in owners
        ]
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{n}_description"] = forms.CharField(
                required=False, max_length=2000
            )
            self.fields[f"action_{n}_owner"] = forms.ChoiceField(
                required=False,
                choices=owner_choices,
                error_messages={"invalid_choice": f"Select who owns action {n}"},
            )
            for part in ("day", "month", "year"):
                self.fields[f"action_{n}_due_{part}"] = forms.CharField(
                    required=False, max_length=4
                )
            self.anchors = {**self.anchors, f"action_{n}_due": f"id_action_{n}_due_day"}

    def value(self, name: str) -> Any:
        return self[name].value() if name in self.fields else ""

    def agency_rows(self) -> list[dict[str, Any]]:
        chosen = set(self["attended"].value() or [])
        return [
            {
                "agency": a,
                "checked": str(a.pk) in chosen,
                "attendees": self[f"attendees_{a.pk}"],
                "contribution": self[f"contribution_{a.pk}"],
            }
            for a in self.agencies
        ]

    def action_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "n": n,
                "group": f"action-{n}-due",
                "name": f"action_{n}_due",
                "input": f"id_action_{n}_due",
                "description": self[f"action_{n}_description"],
                "owner": self[f"action_{n}_owner"],
                "day": self.value(f"action_{n}_due_day"),
                "month": self.value(f"action_{n}_due_month"),
                "year": self.value(f"action_{n}_due_year"),
                "due_errors": self.errors.get(f"action_{n}_due", []),
            }
            for n in range(1, ACTION_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, error, part = parse_date(
            {k: cleaned.get(f"held_{k}", "") for k in ("day", "month", "year")},
            what="the date of the strategy discussion",
            required=True,
        )
        if error:
            self.anchors = {**self.anchors, "held_date": f"id_held_{part}"}
            self.errors.setdefault("held_date", self.error_class()).append(error)
        match = _TIME.match(cleaned.get("held_time", ""))
        if not (cleaned.get("held_time") or "").strip():
            self.add_error("held_time", "Enter the time the strategy discussion started")
        elif match is None or int(match[1]) > 23 or int(match[2]) > 59:
            self.add_error("held_time", "Enter the time in the 24-hour clock, for example 14:30")
        elif day is not None:
            cleaned["held_at"] = timezone.make_aware(
                datetime.combine(day, time(int(match[1]), int(match[2])))
            )
        actions = []
        for n in range(1, ACTION_ROWS + 1):
            parts = {k: cleaned.get(f"action_{n}_due_{k}", "") for k in ("day", "month", "year")}
            text = cleaned.get(f"action_{n}_description", "")
            owner = cleaned.get(f"action_{n}_owner", "")
            if not (text.strip() or owner or any(v.strip() for v in parts.values())):
                continue  # an empty row: no action
            due, error, part = parse_date(parts, what=f"the due date of action {n}", required=True)
            if error:
                self.anchors = {**self.anchors, f"action_{n}_due": f"id_action_{n}_due_{part}"}
                self.errors.setdefault(f"action_{n}_due", self.error_class()).append(error)
                continue
            actions.append((n, text, owner, due))
        cleaned["actions"] = actions
        return cleaned
