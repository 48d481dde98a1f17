"""The guided decision: the guidance's questions as pages, in the guidance's order.

Each page asks one of the guidance's questions (Guidance, When and how to share
information, "When?"; Consent to Share Information; Sharing without consent; Public
Interest). Answers are kept as the practitioner typed them (strings), page by page;
``build_question`` turns the answers of the pages still on the path into the
decision contract's question, and the engine (``mash.policy.decide``) decides on it.
A page the engine no longer needs (e.g. the information does not identify anyone) is
off the path and its answers are left out of the question.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils import timezone

from mash.lib.digits import has_other_digits
from mash.policy import wording

Answers = Mapping[str, Mapping[str, Any]]

YES_NO = (("yes", "Yes"), ("no", "No"))
YES_NO_UNSURE = (("yes", "Yes"), ("no", "No"), ("unknown", "I do not know"))

CONSENT_STATUSES = (
    ("given", "Yes, consent was given"),
    ("refused", "No, consent was refused"),
    ("withdrawn", "No, consent was given but has been withdrawn"),
    ("not_sought", "No, consent was not sought"),
    ("unknown", "I do not know"),
)

PUBLIC_INTEREST_CRITERIA = (
    ("protection_of_vulnerable", "Protection of vulnerable members of the community"),
    ("administration_of_justice", "Administration of justice"),
    ("public_safety", "Maintaining public safety"),
    ("apprehension_of_offenders", "Apprehension of offenders"),
    ("prevention_of_crime_and_disorder", "Prevention of crime and disorder"),
    ("detection_of_crime", "Detection of crime"),
)

VULNERABILITY = (("low", "Low"), ("medium", "Medium"), ("high", "High"))

# v2 (Consent): the consent relied on is a privacy notice, and whether it says so.
PRIVACY_NOTICE = (
    ("no", "No, consent was asked for"),
    ("covers", "Yes, and it says the information would be shared like this"),
    ("not_covers", "Yes, but it does not say the information would be shared like this"),
)
CONSENT_PURPOSE_ANY = "any"


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    kind: str  # radios, checkboxes, textarea, date, time, text
    label: str
    hint: str = ""
    options: Sequence[tuple[str, str]] = ()
    # For radios: option value -> names of the fields revealed under it.
    reveals: Mapping[str, Sequence[str]] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Page:
    slug: str
    title: str
    section: str  # the guidance section the page comes from
    fields: Sequence[Field]
    validate: Callable[[Mapping[str, Any]], dict[str, str]]
    intro: str = ""


def yes_no_or_blank(value: object) -> str:
    """A recorded true or false as the page's "yes" or "no"; "" when not answered."""
    return "yes" if value is True else "no" if value is False else ""


def _tri(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _required(raw: Mapping[str, Any], errors: dict[str, str], name: str, message: str) -> None:
    value = raw.get(name)
    if value is None or (isinstance(value, str) and not value.strip()) or value == []:
        errors[name] = message


def _one_of(
    raw: Mapping[str, Any],
    errors: dict[str, str],
    name: str,
    options: Sequence[tuple[str, str]],
    message: str,
) -> None:
    if raw.get(name) not in {value for value, _ in options}:
        errors[name] = message


def parse_date(value: Any) -> dt.date | None:
    """A date from the page's ``YYYY-MM-DD`` (or ``D/M/YYYY``) text; None when not a date."""
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


DATE_PARTS = ("day", "month", "year")


def date_from_boxes(data: Any, name: str) -> str:
    """A GOV.UK date input's three boxes (``<name>_day``, ``_month``, ``_year``) as the
    one raw value kept with the answers: ``D/M/YYYY`` as typed, or ``""`` when all three
    are empty."""
    parts = [str(data.get(f"{name}_{part}", "") or "").strip() for part in DATE_PARTS]
    return "/".join(parts) if any(parts) else ""


def date_boxes(value: Any) -> dict[str, str]:
    """A raw date back in its three boxes; an ISO date (a decision being corrected, the
    consent register) is shown as day, month and year."""
    text = str(value or "").strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        return {"day": str(int(iso[3])), "month": str(int(iso[2])), "year": iso[1]}
    parts = [*text.split("/"), "", "", ""][:3] if text else ["", "", ""]
    return dict(zip(DATE_PARTS, parts, strict=True))


def check_date(value: Any, *, what: str, required: bool) -> tuple[dt.date | None, str | None]:
    """The date and the GOV.UK message for a date input's raw value: "Enter <what>",
    "<What> must include a month", "<What> must be a real date" (31 February)."""
    from mash.enquiries.forms import parse_date as parse_boxes

    day, problem, _part = parse_boxes(date_boxes(value), what=what, required=required)
    return day, problem


def parse_time(value: Any) -> dt.time | None:
    if has_other_digits(value):  # strptime reads any script's digits
        return None
    text = str(value or "").strip().lower().replace(".", ":")
    for fmt in ("%H:%M", "%I:%M%p", "%I%p"):
        try:
            return dt.datetime.strptime(text.replace(" ", ""), fmt).time()
        except ValueError:
            continue
    return None


def parse_datetime(date_value: Any, time_value: Any) -> dt.datetime | None:
    day, time = parse_date(date_value), parse_time(time_value)
    if day is None or time is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, time))


# --- The pages ------------------------------------------------------------------


def _validate_purpose(raw: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    _one_of(
        raw, errors, "legitimate", YES_NO_UNSURE, "Select whether there is a legitimate purpose"
    )
    return errors


def _validate_identifies(raw: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    _one_of(
        raw,
        errors,
        "identifies_individual",
        YES_NO_UNSURE,
        "Select whether the information enables an individual to be identified",
    )
    return errors


def _validate_confidential(raw: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    _one_of(
        raw, errors, "confidential", YES_NO_UNSURE, "Select whether the information is confidential"
    )
    _one_of(raw, errors, "sensitive", YES_NO, "Select whether any of it is sensitive information")
    if raw.get("criminal_offence"):
        _one_of(
            raw,
            errors,
            "criminal_offence",
            YES_NO,
            "Select whether any of it is criminal offence data",
        )
    return errors


def _validate_consent(raw: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    _one_of(raw, errors, "status", CONSENT_STATUSES, "Select whether you have consent")
    status = raw.get("status")
    if status == "given":
        _one_of(
            raw,
            errors,
            "coverage",
            (("all", ""), ("some", "")),
            "Select whether the consent covers all agencies or only some",
        )
        if raw.get("coverage") == "some":
            _required(raw, errors, "agencies", "Select the agencies the consent covers")
        _one_of(raw, errors, "explicit", YES_NO, "Select whether the consent is explicit")
        if raw.get("explicit") == "yes":
            given, problem = check_date(
                raw.get("recorded_date"), what="the date consent was given", required=True
            )
            if problem:
                errors["recorded_date"] = problem
            elif given is not None and given > timezone.localdate():
                errors["recorded_date"] = "The date consent was given must be in the past"
            if parse_time(raw.get("recorded_time")) is None:
                errors["recorded_time"] = "Enter the time consent was given, like 14:30"
            _required(
                raw,
                errors,
                "details",
                "Enter how explicit consent was given and what information it covers",
            )
        if raw.get("privacy_notice"):
            _one_of(
                raw,
                errors,
                "privacy_notice",
                PRIVACY_NOTICE,
                "Select whether the consent you rely on is a privacy notice",
            )
    if status in {"not_sought", "unknown"}:
        _required(raw, errors, "reason_not_sought", "Enter the reason consent was not obtained")
    return errors


def _validate_harm(raw: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    _one_of(
        raw,
        errors,
        "significant_harm",
        YES_NO_UNSURE,
        "Select whether the child is believed to be at risk of significant harm",
    )
    _one_of(
        raw, errors, "urgent", YES_NO, "Select whether seeking consent would cause a harmful delay"
    )
    return errors


def _validate_other_basis(raw: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    _one_of(
        raw, errors, "vital_interests", YES_NO, "Select whether sharing protects vital interests"
    )
    _one_of(
        raw, errors, "public_function", YES_NO, "Select whether sharing fulfils a public function"
    )
    return errors


_TEST_QUESTIONS = (
    ("proportionate", "Select whether the disclosure is proportionate to the aim"),
    ("alternative_means", "Select whether there is another equally effective means"),
    (
        "necessary_to_prevent_or_detect_crime",
        "Select whether the disclosure is necessary to prevent or detect crime",
    ),
    ("necessary_to_protect_others", "Select whether it is necessary to protect others"),
)


def _validate_public_interest(raw: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    criteria = raw.get("criteria") or []
    known = {value for value, _ in PUBLIC_INTEREST_CRITERIA}
    if any(c not in known for c in criteria):
        errors["criteria"] = "Select criteria from the list"
    if criteria:
        for name, message in _TEST_QUESTIONS:
            _one_of(raw, errors, name, YES_NO_UNSURE, message)
        if raw.get("vulnerability"):
            _one_of(
                raw,
                errors,
                "vulnerability",
                VULNERABILITY,
                "Select the vulnerability of those at risk",
            )
    return errors


PAGES: tuple[Page, ...] = (
    Page(
        slug="purpose",
        title="Is there a clear and legitimate purpose for sharing information?",
        section="When?",
        intro="Read the hub's purpose above. If there is no clear and legitimate purpose, "
        "do not share.",
        fields=(Field("legitimate", "radios", "", options=YES_NO_UNSURE),),
        validate=_validate_purpose,
    ),
    Page(
        slug="identifies",
        title="Does the information enable an individual to be identified?",
        section="When?",
        intro="Think about the information you hold, not only names: an address, a school "
        "or a description can identify someone.",
        fields=(Field("identifies_individual", "radios", "", options=YES_NO_UNSURE),),
        validate=_validate_identifies,
    ),
    Page(
        slug="confidential",
        title="Is the information confidential?",
        section="When?",
        fields=(
            Field("confidential", "radios", "", options=YES_NO_UNSURE),
            Field(
                "sensitive",
                "radios",
                "Is any of it sensitive personal information?",
                hint="For example health, ethnicity, religion or beliefs, sexual life, or "
                "criminal offences. Sensitive information needs explicit consent.",
                options=YES_NO,
            ),
            Field(
                "criminal_offence",
                "radios",
                wording.CRIMINAL_QUESTION,
                hint=wording.CRIMINAL_HINT,
                options=YES_NO,
            ),
        ),
        validate=_validate_confidential,
    ),
    Page(
        slug="consent",
        title="Do you have consent to share this information for this purpose?",
        section="Consent to Share Information",
        intro="Check you have consent from all the people whose information is to be shared.",
        fields=(
            Field(
                "status",
                "radios",
                "",
                options=CONSENT_STATUSES,
                reveals={
                    "given": (
                        "coverage",
                        "agencies",
                        "explicit",
                        "recorded_date",
                        "recorded_time",
                        "details",
                        "consent_purpose",
                        "privacy_notice",
                    ),
                },
            ),
            Field(
                "coverage",
                "radios",
                "Which agencies does the consent cover?",
                hint="Partial consent: consent given to share with some, but not all, agencies.",
                options=(("all", "All agencies"), ("some", "Only some agencies")),
            ),
            Field(
                "agencies",
                "checkboxes",
                "If only some, which agencies?",
                hint="The MASH hub receives what you share.",
            ),
            Field(
                "explicit",
                "radios",
                "Is the consent explicit?",
                hint="Written (for example a consent form), or a clear record of verbal "
                "consent stating the date, time and what information is to be held or shared.",
                options=YES_NO,
            ),
            Field(
                "recorded_date",
                "date",
                "Date explicit consent was given",
                hint="For example, 27 3 2026",
            ),
            Field(
                "recorded_time",
                "time",
                "Time explicit consent was given",
                hint="For example, 14:30",
            ),
            Field(
                "details",
                "textarea",
                "How was explicit consent given, and what information does it cover?",
            ),
            # Options: the hub's purposes list, given by the page (views.answer_step).
            Field(
                "consent_purpose",
                "radios",
                wording.CONSENT_PURPOSE_QUESTION,
                hint=wording.CONSENT_PURPOSE_HINT,
            ),
            Field(
                "privacy_notice",
                "radios",
                wording.PRIVACY_NOTICE_QUESTION,
                hint=wording.PRIVACY_NOTICE_HINT + " " + wording.PRIVACY_NOTICE_COVERS_HINT,
                options=PRIVACY_NOTICE,
            ),
            Field(
                "reason_not_sought",
                "textarea",
                "If consent was not obtained, why not?",
                hint="Answer if consent was not sought or you do not know. The reason is "
                "recorded on both your agency's and the MASH record.",
            ),
        ),
        validate=_validate_consent,
    ),
    Page(
        slug="harm",
        title="Is the child believed to be at risk of significant harm?",
        section="Sharing without consent",
        intro="There are no barriers to sharing information where there is a safeguarding "
        "concern and a child is believed to be at risk of significant harm.",
        fields=(
            Field("significant_harm", "radios", "", options=YES_NO_UNSURE),
            Field(
                "urgent",
                "radios",
                "Would seeking consent cause unjustified delay to enquiries about "
                "allegations of significant harm?",
                options=YES_NO,
            ),
        ),
        validate=_validate_harm,
    ),
    Page(
        slug="other_basis",
        title="Is there another reason to share information?",
        section="When?",
        fields=(
            Field(
                "vital_interests",
                "radios",
                "Is sharing needed to protect the vital interests of the individual?",
                options=YES_NO,
            ),
            Field(
                "public_function",
                "radios",
                "Is sharing needed to fulfil a public function?",
                options=YES_NO,
            ),
        ),
        validate=_validate_other_basis,
    ),
    Page(
        slug="public_interest",
        title="Is sharing in the public interest?",
        section="Public Interest",
        intro="It is possible to disclose personal information without consent if this is in "
        "the public interest. Apply the rule of proportionality: a fair balance between the "
        "public interest and the rights of the individual.",
        fields=(
            Field(
                "criteria",
                "checkboxes",
                "Which public interest criteria apply?",
                hint="Select all that apply. If none apply, leave them all unticked and "
                "continue: the questions below are needed only when a criterion applies.",
                options=PUBLIC_INTEREST_CRITERIA,
            ),
            Field(
                "proportionate",
                "radios",
                "Is the intended disclosure proportionate to the intended aim?",
                options=YES_NO_UNSURE,
            ),
            Field(
                "vulnerability",
                "radios",
                "What is the vulnerability of those who are at risk?",
                options=VULNERABILITY,
            ),
            Field(
                "impact_on_individual",
                "textarea",
                "What is the impact of disclosure likely to be on the person the information "
                "is about?",
            ),
            Field(
                "alternative_means",
                "radios",
                "Is there another equally effective means of achieving the same aim?",
                options=YES_NO_UNSURE,
            ),
            Field(
                "necessary_to_prevent_or_detect_crime",
                "radios",
                "Is the disclosure necessary to prevent or detect crime and uphold the rights "
                "and freedoms of the public?",
                options=YES_NO_UNSURE,
            ),
            Field(
                "necessary_to_protect_others",
                "radios",
                "Is it necessary to disclose the information to protect others?",
                options=YES_NO_UNSURE,
            ),
        ),
        validate=_validate_public_interest,
    ),
)
PAGE_BY_SLUG = {page.slug: page for page in PAGES}


# --- From answers to the contract's question --------------------------------------


def _page_question(slug: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """One page's answers as the contract's keys (unknown answers left out)."""
    q: dict[str, Any] = {}

    def put(path: str, value: Any) -> None:
        if value is None:
            return
        *parents, leaf = path.split(".")
        node = q
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value

    if slug == "purpose":
        put("purpose.legitimate", _tri(raw.get("legitimate")))
    elif slug == "identifies":
        put("identifies_individual", _tri(raw.get("identifies_individual")))
    elif slug == "confidential":
        put("confidential", _tri(raw.get("confidential")))
        put("sensitive", raw.get("sensitive") == "yes")
        # v2, answered only when asked: an unanswered question keeps a v1 question v1.
        put("criminal_offence", _tri(raw.get("criminal_offence")))
    elif slug == "consent":
        status = raw.get("status")
        if status:
            put("consent.status", status)
        if status == "given":
            agencies = list(raw.get("agencies") or []) if raw.get("coverage") == "some" else None
            q.setdefault("consent", {})["agencies"] = agencies
            explicit = raw.get("explicit") == "yes"
            put("consent.explicit", explicit)
            when = parse_datetime(raw.get("recorded_date"), raw.get("recorded_time"))
            if explicit and when is not None:
                put("consent.recorded_at", when.isoformat())
            purpose_code = str(raw.get("consent_purpose") or "")
            if purpose_code and purpose_code != CONSENT_PURPOSE_ANY:
                put("consent.purposes", [purpose_code])
            notice = raw.get("privacy_notice")
            if notice in {value for value, _ in PRIVACY_NOTICE}:
                put("consent.privacy_notice", notice != "no")
                if notice != "no":
                    put("consent.privacy_notice_covers", notice == "covers")
        if status in {"not_sought", "unknown"} and (raw.get("reason_not_sought") or "").strip():
            put("consent.reason_not_sought", raw["reason_not_sought"].strip())
    elif slug == "harm":
        put("risk.significant_harm", _tri(raw.get("significant_harm")))
        put("risk.urgent", _tri(raw.get("urgent")))
    elif slug == "other_basis":
        put("other_basis.vital_interests", _tri(raw.get("vital_interests")))
        put("other_basis.public_function", _tri(raw.get("public_function")))
    elif slug == "public_interest":
        criteria = list(raw.get("criteria") or [])
        if criteria:
            put("other_basis.public_interest.criteria", criteria)
            base = "other_basis.public_interest.test."
            for name, _ in _TEST_QUESTIONS:
                put(base + name, _tri(raw.get(name)))
            if raw.get("vulnerability") in {v for v, _ in VULNERABILITY}:
                put(base + "vulnerability", raw["vulnerability"])
            impact = (raw.get("impact_on_individual") or "").strip()
            if impact:
                put(base + "impact_on_individual", impact)
        else:
            put("other_basis.public_interest.criteria", [])
    return q


def _merge(into: dict[str, Any], part: Mapping[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


Evaluate = Callable[[Mapping[str, Any]], Mapping[str, Any]]


def _relevant(slug: str, q: Mapping[str, Any], evaluate: Evaluate) -> bool:
    """Whether the guidance still needs this page, given the answers before it."""
    risk = q.get("risk") or {}
    other = q.get("other_basis") or {}
    if slug == "purpose":
        return True
    if slug == "identifies":
        return (q.get("purpose") or {}).get("legitimate") is True
    if slug == "confidential":
        return q.get("identifies_individual") is True
    if slug == "consent":
        return q.get("confidential") is True
    consent_valid = False
    if q.get("confidential") is True and "consent" in q:
        outcome = evaluate(q)
        consent_valid = outcome.get("outcome") == "share" and outcome.get("basis") == "consent"
    needs_grounds = q.get("confidential") is True and "consent" in q and not consent_valid
    if slug == "harm":
        return needs_grounds
    if slug == "other_basis":
        return needs_grounds and risk.get("significant_harm") is not True and not risk.get("urgent")
    if slug == "public_interest":
        return (
            needs_grounds
            and risk.get("significant_harm") is not True
            and not risk.get("urgent")
            and not other.get("vital_interests")
            and not other.get("public_function")
        )
    return False


@dataclasses.dataclass
class Progress:
    question: dict[str, Any]
    path: list[str]  # slugs of the pages on the path, in order
    unanswered: list[str]  # slugs on the path with no answers yet

    @property
    def complete(self) -> bool:
        return not self.unanswered


def progress(
    answers: Answers,
    *,
    purpose: str,
    recipient: str,
    evaluate: Evaluate,
    purpose_code: str = "",
) -> Progress:
    """Walk the pages in order, keeping the answers of the pages still on the path.
    ``purpose_code`` is the request's purpose on the hub's list (v2 ``purpose.code``)."""
    q: dict[str, Any] = {"purpose": {"description": purpose}, "recipient_agency": recipient}
    if purpose_code:
        q["purpose"]["code"] = purpose_code
    path: list[str] = []
    unanswered: list[str] = []
    for page in PAGES:
        if not _relevant(page.slug, q, evaluate):
            continue
        path.append(page.slug)
        raw = answers.get(page.slug)
        if raw is None or page.validate(raw):
            unanswered.append(page.slug)
            # Later pages depend on this one: stop at the first gap.
            break
        _merge(q, _page_question(page.slug, raw))
    return Progress(question=q, path=path, unanswered=unanswered)


def clean_page(page: Page, data: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """A page's POST as raw answers (strings, lists for checkboxes), and its errors."""
    raw: dict[str, Any] = {}
    for field in page.fields:
        if field.kind == "checkboxes":
            raw[field.name] = [str(v) for v in data.getlist(field.name)]
        elif field.kind == "date":
            raw[field.name] = date_from_boxes(data, field.name)
        else:
            value = data.get(field.name, "")
            raw[field.name] = str(value).strip() if field.kind != "textarea" else str(value)
    return raw, page.validate(raw)


def answers_from_question(question: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Pre-fill the pages from a recorded decision's question (for a correction)."""

    def tri(value: Any) -> str:
        return {True: "yes", False: "no"}.get(value, "unknown")

    def yn(value: Any) -> str:
        return "yes" if value else "no"

    answers: dict[str, dict[str, Any]] = {}
    purpose = question.get("purpose") or {}
    answers["purpose"] = {"legitimate": tri(purpose.get("legitimate"))}
    if "identifies_individual" in question:
        answers["identifies"] = {"identifies_individual": tri(question["identifies_individual"])}
    if "confidential" in question:
        answers["confidential"] = {
            "confidential": tri(question["confidential"]),
            "sensitive": yn(question.get("sensitive")),
            "criminal_offence": yes_no_or_blank(question.get("criminal_offence")),
        }
    consent = question.get("consent")
    if consent:
        when = consent.get("recorded_at")
        moment = dt.datetime.fromisoformat(when) if when else None
        if moment is not None and timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        status = consent.get("status", "")
        answers["consent"] = {"status": status, "reason_not_sought": ""}
        if status == "given":
            answers["consent"].update(
                {
                    "coverage": "all" if consent.get("agencies") is None else "some",
                    "agencies": list(consent.get("agencies") or []),
                    "explicit": yn(consent.get("explicit")),
                    "recorded_date": moment.date().isoformat() if moment else "",
                    "recorded_time": moment.strftime("%H:%M") if moment else "",
                    "details": "",
                    "consent_purpose": (list(consent.get("purposes") or []) or [""])[0],
                    "privacy_notice": (
                        ""
                        if consent.get("privacy_notice") is None
                        else "no"
                        if not consent["privacy_notice"]
                        else "covers"
                        if consent.get("privacy_notice_covers")
                        else "not_covers"
                    ),
                }
            )
        else:
            answers["consent"]["reason_not_sought"] = consent.get("reason_not_sought", "")
    risk = question.get("risk")
    if risk is not None:
        answers["harm"] = {
            "significant_harm": tri(risk.get("significant_harm")),
            "urgent": yn(risk.get("urgent")),
        }
    other = question.get("other_basis")
    if other is not None:
        if "vital_interests" in other or "public_function" in other:
            answers["other_basis"] = {
                "vital_interests": yn(other.get("vital_interests")),
                "public_function": yn(other.get("public_function")),
            }
        pi = other.get("public_interest")
        if pi is not None:
            test = pi.get("test") or {}
            answers["public_interest"] = {
                "criteria": list(pi.get("criteria") or []),
                "vulnerability": test.get("vulnerability", ""),
                "impact_on_individual": test.get("impact_on_individual", ""),
                # Only the questions asked (the test is asked once a criterion applies):
                # a question never asked is not an "I do not know" (issue 12, item 6).
                **{name: tri(test[name]) for name, _ in _TEST_QUESTIONS if name in test},
            }
    return answers
