"""Forms for the sharing pages: the request form (a Django form), and the field specs
and parsing of the decision record form (items use the "add another" pattern, so they
are parsed by hand from numbered fields ``item-1-text``, ``item-2-text``, ...)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils import timezone

from mash.agencies.models import Agency
from mash.enquiries.models import Enquiry, Person
from mash.policy import wording
from mash.policy.informing import INFORM_HINT, INFORM_QUESTION, NOT_TELLING_GROUNDS, InformAnswer
from mash.policy.lawful_basis import ARTICLE_6_WORDS, ARTICLE_9_WORDS, SCHEDULE_1_WORDS

from .guide import YES_NO, Field, check_date, date_from_boxes, parse_datetime
from .models import Currency, Informed, Nature, OnwardSharing
from .services import ItemInput
from .share_answers import NONE


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        kind = obj.get_kind_display()
        born = f", born {obj.date_of_birth:%-d %B %Y}" if obj.date_of_birth else ""
        died = f", died {obj.date_of_death:%-d %B %Y}" if obj.date_of_death else ""
        return f"{obj.full_name} ({kind}{born}{died})"


class AgencyChoiceField(forms.ModelMultipleChoiceField):
    """Agencies by their integer id: a value that is not a whole number a database column
    can hold (e.g. 2**63, which SQLite cannot bind) is refused before any query."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            text = str(pk)
            if not text.isascii() or not text.isdigit() or not 0 < int(text) < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super()._check_values(value)  # type: ignore[misc]


class RequestForm(forms.Form):
    """Guidance, Who?: which agencies, and who we need information about."""

    agencies = AgencyChoiceField(
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Which agencies need to be involved?",
        error_messages={
            "required": "Select at least one agency to ask",
            "invalid_choice": "Select agencies from the list",
            "invalid_pk_value": "Select agencies from the list",
        },
    )
    people = PersonChoiceField(
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Who do you need information about?",
        error_messages={
            "required": "Select at least one person to ask about",
            "invalid_choice": "Select people from this enquiry",
            "invalid_pk_value": "Select people from this enquiry",
        },
    )
    purpose = forms.CharField(
        widget=forms.Textarea,
        label="What is the purpose of the request?",
        error_messages={"required": "Enter the purpose of the request"},
    )
    purpose_code = forms.ChoiceField(
        label="Which of the hub's purposes is it? (optional)",
        required=False,
        choices=(),
        error_messages={"invalid_choice": "Select a purpose from the hub's purposes list"},
    )
    deadline_date = forms.DateField(
        label="Date",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Enter the date the response is due",
            "invalid": "Enter the date the response is due, like 2026-03-27",
        },
    )
    deadline_time = forms.TimeField(
        label="Time",
        input_formats=["%H:%M", "%H:%M:%S"],
        error_messages={
            "required": "Enter the time the response is due",
            "invalid": "Enter the time the response is due, like 14:30",
        },
    )

    def __init__(self, *args: Any, enquiry: Enquiry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        asked = enquiry.requests.values_list("agency_id", flat=True)
        agencies_field = self.fields["agencies"]
        people_field = self.fields["people"]
        if not isinstance(agencies_field, AgencyChoiceField) or not isinstance(
            people_field, forms.ModelMultipleChoiceField
        ):
            raise TypeError("agencies and people must be model choice fields")
        agencies_field.queryset = Agency.objects.filter(active=True, is_hub=False).exclude(
            pk__in=asked
        )
        people_field.queryset = enquiry.people.all()
        from mash.guidance.selectors import active_purposes

        purpose_field = self.fields["purpose_code"]
        if isinstance(purpose_field, forms.ChoiceField):
            purpose_field.choices = [("", "Not one of the list"), *active_purposes()]

    @property
    def deadline(self) -> dt.datetime | None:
        day = self.cleaned_data.get("deadline_date")
        time = self.cleaned_data.get("deadline_time")
        if day is None or time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, time))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        deadline = self.deadline
        if deadline is not None and deadline < timezone.now():
            self.add_error("deadline_date", "The response deadline must be in the future")
        return cleaned


# --- The decision record form -----------------------------------------------------

INFORMED_OPTIONS = tuple(Informed.choices)
JUSTIFICATION = Field(
    "justification",
    "textarea",
    "Your justification",
    hint="In your own words: why this decision is reasonable, necessary and proportionate.",
)
INFORMED = Field(
    "informed",
    "radios",
    "Have the people whose information you share without their consent been told?",
    hint=INFORM_HINT + " This answer is for everyone listed below, unless you answer "
    "differently for a person.",
    options=INFORMED_OPTIONS,
    reveals={
        "told": ("told_on",),
        "will_tell": ("tell_by",),
        "not_told": ("not_informed_ground", "not_informed_reason"),
    },
)
TOLD_ON = Field("told_on", "date", "Date they were told", hint="For example, 27 3 2026")
TELL_BY = Field(
    "tell_by",
    "date",
    "Date by which they will be told",
    hint="If the telling is not recorded by then, you will be reminded on your Requests page.",
)
NOT_INFORMED_GROUND = Field(
    "not_informed_ground",
    "radios",
    "Why will they not be told?",
    options=tuple(NOT_TELLING_GROUNDS.items()),
)
NOT_INFORMED_REASON = Field(
    "not_informed_reason", "textarea", "Explain, for this case, why they will not be told"
)
PROPORTIONALITY = Field(
    "proportionality",
    "textarea",
    "Why is overriding the refusal or withdrawal of consent proportionate?",
    hint="Weigh the harm that may be caused by proceeding without consent against the harm "
    "to the child that sharing may prevent. Where the hub asks for it, a manager of your "
    "agency signs off an override before the hub sees it; but if the need to share is urgent "
    "(significant harm, or seeking consent would cause unjustified delay) or the enquiry is "
    "Red, it is released to the hub at once and a manager reviews it after the event.",
)
NOT_SHARING_REASONS = Field("not_sharing_reasons", "textarea", "Your reasons for not sharing")
DISCUSSED_DATE = Field(
    "discussed_date",
    "date",
    "Date you discussed it with the requester",
    hint="For example, 12 1 2026",
)
DISCUSSED_TIME = Field("discussed_time", "time", "Time", hint="For example, 14:30")
DISCUSSED_WITH = Field("discussed_with", "text", "Who did you discuss it with?")
DISCUSSION_NOTES = Field("discussion_notes", "textarea", "What was said?")
ADEQUACY = Field(
    "adequacy_confirmed",
    "checkboxes",
    "Before you record the share",
    hint=wording.ADEQUACY_HINT,
    options=(("yes", wording.ADEQUACY_CONFIRMATION),),
)
CORRECTION_REASON = Field(
    "correction_reason",
    "textarea",
    "Why are you correcting the earlier decision?",
    hint="The earlier decision stays on the record with this correction.",
)
# v2: asked of every share (share_answers.ShareAnswers), in the guidance's words.
HOW = Field(
    "how",
    "radios",
    wording.HOW_QUESTION,
    hint=wording.HOW_HINT,
    options=tuple((how.value, label) for how, label in wording.HOW_SHARED.items()),
)
NECESSARY = Field("necessary", "textarea", wording.NECESSARY_QUESTION, hint=wording.NECESSARY_HINT)
PROPORTIONATE = Field(
    "proportionate", "textarea", wording.PROPORTIONATE_QUESTION, hint=wording.PROPORTIONATE_HINT
)
ARTICLE_6 = Field("article_6", "radios", wording.ARTICLE_6_QUESTION)
ARTICLE_9 = Field("article_9", "radios", wording.ARTICLE_9_QUESTION)
SCHEDULE_1 = Field("schedule_1", "radios", wording.SCHEDULE_1_QUESTION)
LAWFUL_BASIS_FIELDS = {
    "article_6": (ARTICLE_6, ARTICLE_6_WORDS, ""),
    "article_9": (ARTICLE_9, ARTICLE_9_WORDS, "No Article 9 condition"),
    "schedule_1": (SCHEDULE_1, SCHEDULE_1_WORDS, "No Schedule 1 condition"),
}


def lawful_basis_options(allowed: Sequence[str] | None) -> dict[str, list[tuple[str, str]]]:
    """Each lawful basis question's options: the bases the agency may rely on (all when
    its administrator set none), in the statute's words from the policy."""
    options: dict[str, list[tuple[str, str]]] = {}
    for name, (_field, words, none_label) in LAWFUL_BASIS_FIELDS.items():
        opts = [(code, text) for code, text in words.items() if allowed is None or code in allowed]
        if none_label:
            opts.append((NONE, none_label))
        options[name] = opts
    return options


RECORD_FIELDS = (
    HOW,
    NECESSARY,
    PROPORTIONATE,
    ARTICLE_6,
    ARTICLE_9,
    SCHEDULE_1,
    JUSTIFICATION,
    INFORMED,
    TOLD_ON,
    TELL_BY,
    NOT_INFORMED_GROUND,
    NOT_INFORMED_REASON,
    PROPORTIONALITY,
    NOT_SHARING_REASONS,
    DISCUSSED_DATE,
    DISCUSSED_TIME,
    DISCUSSED_WITH,
    DISCUSSION_NOTES,
    ADEQUACY,
    CORRECTION_REASON,
)


SAME_AS_PAGE = "same"


def person_inform_fields(person: Any) -> list[Field]:
    """One person's own answer to "have they been told", where it differs from the
    page's answer for everyone (Guidance, How?)."""
    p = f"person-{person.pk}-"
    return [
        Field(
            p + "informed",
            "radios",
            INFORM_QUESTION.format(name=person.full_name),
            options=((SAME_AS_PAGE, "The same as my answer for everyone"), *INFORMED_OPTIONS),
            reveals={
                "told": (p + "told_on",),
                "will_tell": (p + "tell_by",),
                "not_told": (p + "not_informed_ground", p + "not_informed_reason"),
            },
        ),
        dataclasses.replace(TOLD_ON, name=p + "told_on"),
        dataclasses.replace(TELL_BY, name=p + "tell_by"),
        dataclasses.replace(NOT_INFORMED_GROUND, name=p + "not_informed_ground"),
        dataclasses.replace(NOT_INFORMED_REASON, name=p + "not_informed_reason"),
    ]


def raw_informing(data: Any, people: Sequence[Any]) -> dict[str, Any]:
    """Each person's own "have they been told" answers, as raw values."""
    raw: dict[str, Any] = {}
    for person in people:
        for field in person_inform_fields(person):
            if field.kind == "date":
                raw[field.name] = date_from_boxes(data, field.name)
            else:
                raw[field.name] = str(data.get(field.name, ""))
    return raw


def _inform_answer(
    raw: Mapping[str, Any], prefix: str, errors: dict[str, list[str]]
) -> InformAnswer:
    dates = {}
    for part, what in (("told_on", "the date they were told"), ("tell_by", "the date to tell by")):
        day, problem = check_date(raw.get(prefix + part), what=what, required=False)
        if problem:
            errors[prefix + part] = [problem]
        dates[part] = day
    return InformAnswer(
        answer=str(raw.get(prefix + "informed", "")),
        told_on=dates["told_on"],
        tell_by=dates["tell_by"],
        ground=str(raw.get(prefix + "not_informed_ground", "")),
        reason=str(raw.get(prefix + "not_informed_reason", "")),
    )


def parse_informing(
    raw: Mapping[str, Any], people: Sequence[Any]
) -> tuple[InformAnswer, dict[str, InformAnswer], dict[str, list[str]]]:
    """The page's answer for everyone, each person's own answer (only where given), and
    dates that are not real dates (everything else is checked by the service). With no
    one to ask about (``services.to_be_told`` found none), nothing is read."""
    errors: dict[str, list[str]] = {}
    if not people:
        return InformAnswer(), {}, errors
    page = _inform_answer(raw, "", errors)
    own = {}
    for person in people:
        p = f"person-{person.pk}-"
        if raw.get(p + "informed") not in (None, "", SAME_AS_PAGE):
            own[str(person.pk)] = _inform_answer(raw, p, errors)
    return page, own, errors


def item_fields(n: int) -> list[Field]:
    p = f"item-{n}-"
    return [
        Field(p + "text", "textarea", "Information to share"),
        Field(p + "nature", "radios", "Is it fact or opinion?", options=tuple(Nature.choices)),
        Field(p + "recorded_on", "date", "Date it was recorded", hint="For example, 27 3 2026"),
        Field(
            p + "source", "text", "Source", hint="Where it comes from, e.g. 'GP record' or 'PNC'."
        ),
        Field(
            p + "currency",
            "radios",
            "Is it current or historical?",
            options=tuple(Currency.choices),
            reveals={"historical": (p + "historical_explanation",)},
        ),
        Field(
            p + "historical_explanation",
            "textarea",
            "Why is historical information relevant now?",
        ),
        Field(p + "sensitive", "radios", "Is it sensitive personal information?", options=YES_NO),
        Field(
            p + "third_party",
            "radios",
            wording.THIRD_PARTY_QUESTION,
            hint=wording.THIRD_PARTY_HINT,
            options=(("no", "No"), ("yes", "Yes")),
            reveals={"yes": (p + "third_party_consideration",)},
        ),
        Field(p + "third_party_consideration", "textarea", wording.THIRD_PARTY_CONSIDERATION),
        Field(p + "people", "checkboxes", "Who is it about?"),
        Field(
            p + "onward_sharing",
            "radios",
            "May the hub pass it on outside the hub?",
            options=tuple(OnwardSharing.choices),
        ),
    ]


def item_count(data: Mapping[str, Any]) -> int:
    try:
        count = int(data.get("item_count", 1))
    except (TypeError, ValueError):
        count = 1
    return max(0, min(count, 50))


def raw_record(data: Any, count: int) -> dict[str, Any]:
    """The record form's POST as raw values (to keep and re-display)."""
    raw: dict[str, Any] = {"item_count": count}
    for field in RECORD_FIELDS:
        if field.kind == "date":
            raw[field.name] = date_from_boxes(data, field.name)
        else:
            raw[field.name] = str(data.get(field.name, ""))
    for n in range(1, count + 1):
        for field in item_fields(n):
            if field.kind == "checkboxes":
                raw[field.name] = [str(v) for v in data.getlist(field.name)]
            elif field.kind == "date":
                raw[field.name] = date_from_boxes(data, field.name)
            else:
                raw[field.name] = str(data.get(field.name, ""))
    return raw


def remove_item(raw: Mapping[str, Any], remove: int) -> dict[str, Any]:
    """The raw record with item ``remove`` taken out and later items renumbered."""
    count = int(raw.get("item_count", 0))
    out = {k: v for k, v in raw.items() if not k.startswith("item-")}
    target = 1
    for n in range(1, count + 1):
        if n == remove:
            continue
        for field in item_fields(n):
            suffix = field.name.removeprefix(f"item-{n}-")
            out[f"item-{target}-{suffix}"] = raw.get(
                field.name, [] if field.kind == "checkboxes" else ""
            )
        target += 1
    out["item_count"] = target - 1
    return out


def parse_items(raw: Mapping[str, Any]) -> tuple[list[ItemInput], dict[str, list[str]]]:
    """Items from the raw record. Dates that are not dates are errors here; everything
    else is checked by ``services.record_decision``."""
    items: list[ItemInput] = []
    errors: dict[str, list[str]] = {}
    for n in range(1, int(raw.get("item_count", 0)) + 1):
        p = f"item-{n}-"
        recorded_on, problem = check_date(
            raw.get(p + "recorded_on"), what="the date it was recorded", required=False
        )
        if problem:
            errors[p + "recorded_on"] = [f"Item {n}: {problem[0].lower()}{problem[1:]}"]
        items.append(
            ItemInput(
                text=str(raw.get(p + "text", "")),
                nature=str(raw.get(p + "nature", "")),
                recorded_on=recorded_on,
                source=str(raw.get(p + "source", "")),
                currency=str(raw.get(p + "currency", "")),
                historical_explanation=str(raw.get(p + "historical_explanation", "")),
                sensitive=raw.get(p + "sensitive") == "yes",
                people=list(raw.get(p + "people") or []),
                onward_sharing=str(raw.get(p + "onward_sharing", "")),
                third_party=raw.get(p + "third_party") == "yes",
                third_party_consideration=str(raw.get(p + "third_party_consideration", "")),
            )
        )
    return items, errors


def discussion_errors(raw: Mapping[str, Any]) -> dict[str, list[str]]:
    """A date of the discussion that is not a real date, named (the service asks for
    one that is missing)."""
    _day, problem = check_date(
        raw.get("discussed_date"), what="the date you discussed it", required=False
    )
    return {"discussed_date": [problem]} if problem else {}


def discussed_at(raw: Mapping[str, Any]) -> dt.datetime | None:
    return parse_datetime(raw.get("discussed_date"), raw.get("discussed_time"))


def person_options(people: Sequence[Person]) -> list[tuple[str, str]]:
    return [(str(p.pk), f"{p.full_name} ({p.get_kind_display()})") for p in people]
