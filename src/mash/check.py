"""The "Check a sharing decision" page: the guidance's questions as a GOV.UK form.

Anyone can use it, signed in or not: it asks the When? questions, Consent, Partial
Consent, Sharing without consent and Public Interest, calls the same ``mash.policy.decide``
as the API and the CLI, and shows the outcome, basis, reasons, steps and what the record
must contain. It stores nothing and shows nothing of a case: from the database it reads
only the guidance in force (a banner while it is past its review date) and the hub's
advice contacts (shown when the answer is "seek advice"), so there is nothing to record
a view of. It links the 7 golden rules. The form works without JavaScript; the reveal of
the agency list is progressive enhancement by GOV.UK Frontend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from mash.policy import CURRENT, Decision, QuestionError, decide, validate

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
YES_NO = [("yes", "Yes"), ("no", "No")]
CONSENT_STATUSES = [
    ("given", "Yes, consent has been given"),
    ("refused", "No, consent was refused"),
    ("withdrawn", "No, consent was withdrawn"),
    ("not_sought", "Consent has not been sought"),
    ("unknown", "Not known"),
]
CONSENT_SCOPES = [("all", "All agencies"), ("some", "Only some agencies")]
CRITERIA = [
    ("protection_of_vulnerable", "Protection of vulnerable members of the community"),
    ("administration_of_justice", "Administration of justice"),
    ("public_safety", "Maintaining of public safety"),
    ("apprehension_of_offenders", "Apprehension of offenders"),
    ("prevention_of_crime_and_disorder", "Prevention of crime and disorder"),
    ("detection_of_crime", "Detection of crime"),
]
VULNERABILITY = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
AGENCY_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")

OUTCOME_WORDS = {
    "share": "Share the information",
    "do_not_share": "Do not share the information",
    "seek_advice": "Seek advice before deciding",
}
BASIS_WORDS = {
    "not_identifying": "the information does not identify anyone (When? Q2)",
    "not_confidential": "the information is not confidential (When? Q3)",
    "consent": "consent (Consent)",
    "significant_harm": "a child believed to be at risk of significant harm "
    "(Sharing without consent)",
    "urgent": "urgency: seeking consent would cause unjustified delay (Sharing without consent)",
    "vital_interests": "the vital interests of the individual (When? Q5)",
    "public_function": "a public function (When? Q5)",
    "public_interest": "the public interest (Public Interest)",
    "legal_obligation": "a legal obligation to share (Consent to Share Information)",
}


def _tri(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class CheckForm(forms.Form):
    """Parses the page's answers; the question itself is validated by ``mash.policy``."""

    purpose_legitimate = forms.ChoiceField(
        choices=YES_NO_UNKNOWN,
        error_messages={"required": "Select whether there is a clear and legitimate purpose"},
    )
    purpose_description = forms.CharField(required=False, max_length=2000)
    identifies_individual = forms.ChoiceField(
        choices=YES_NO_UNKNOWN,
        error_messages={"required": "Select whether the information identifies an individual"},
    )
    confidential = forms.ChoiceField(
        choices=YES_NO_UNKNOWN,
        error_messages={"required": "Select whether the information is confidential"},
    )
    sensitive = forms.ChoiceField(choices=YES_NO, required=False)
    recipient_agency = forms.CharField(required=False, max_length=50)
    consent_status = forms.ChoiceField(choices=CONSENT_STATUSES, required=False)
    consent_scope = forms.ChoiceField(choices=CONSENT_SCOPES, required=False)
    consent_agencies = forms.CharField(required=False, max_length=500)
    consent_explicit = forms.ChoiceField(choices=YES_NO, required=False)
    significant_harm = forms.ChoiceField(choices=YES_NO_UNKNOWN, required=False)
    urgent = forms.ChoiceField(choices=YES_NO, required=False)
    vital_interests = forms.ChoiceField(choices=YES_NO, required=False)
    public_function = forms.ChoiceField(choices=YES_NO, required=False)
    criteria = forms.MultipleChoiceField(choices=CRITERIA, required=False)
    proportionate = forms.ChoiceField(choices=YES_NO_UNKNOWN, required=False)
    alternative_means = forms.ChoiceField(choices=YES_NO_UNKNOWN, required=False)
    necessary_to_prevent_or_detect_crime = forms.ChoiceField(choices=YES_NO_UNKNOWN, required=False)
    necessary_to_protect_others = forms.ChoiceField(choices=YES_NO_UNKNOWN, required=False)
    vulnerability = forms.ChoiceField(choices=VULNERABILITY, required=False)
    impact_on_individual = forms.CharField(required=False, max_length=2000)
    justification = forms.CharField(required=False, max_length=4000)

    def clean_recipient_agency(self) -> str:
        code: str = self.cleaned_data["recipient_agency"].strip()
        if code and not AGENCY_CODE.match(code):
            raise forms.ValidationError(
                "Enter the agency code in lower case letters, numbers, - or _, like police"
            )
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("consent_scope") == "some":
            codes = [c.strip() for c in (data.get("consent_agencies") or "").split(",")]
            codes = [c for c in codes if c]
            if not codes:
                self.add_error(
                    "consent_agencies", "Enter the agencies the consent covers, like police, health"
                )
            elif any(not AGENCY_CODE.match(c) for c in codes):
                self.add_error(
                    "consent_agencies",
                    "Enter agency codes in lower case, separated by commas, like police, health",
                )
            else:
                data["consent_agency_list"] = codes
        return data

    def question(self) -> dict[str, Any]:
        """The answers as a sharing question (contract version 1)."""
        d = self.cleaned_data
        consent_agencies = d.get("consent_agency_list") if d["consent_scope"] == "some" else None
        criteria = list(d["criteria"])
        return {
            "purpose": {
                "legitimate": _tri(d["purpose_legitimate"]),
                "description": d["purpose_description"] or None,
            },
            "identifies_individual": _tri(d["identifies_individual"]),
            "confidential": _tri(d["confidential"]),
            "sensitive": d["sensitive"] == "yes",
            "recipient_agency": d["recipient_agency"] or None,
            "consent": {
                "status": d["consent_status"] or None,
                "agencies": consent_agencies,
                "explicit": d["consent_explicit"] == "yes",
            },
            "risk": {
                "significant_harm": _tri(d["significant_harm"]),
                "urgent": _tri(d["urgent"]),
            },
            "other_basis": {
                "vital_interests": _tri(d["vital_interests"]),
                "public_function": _tri(d["public_function"]),
                "public_interest": {
                    "criteria": criteria or None,
                    "test": {
                        "proportionate": _tri(d["proportionate"]),
                        "alternative_means": _tri(d["alternative_means"]),
                        "necessary_to_prevent_or_detect_crime": _tri(
                            d["necessary_to_prevent_or_detect_crime"]
                        ),
                        "necessary_to_protect_others": _tri(d["necessary_to_protect_others"]),
                        "vulnerability": d["vulnerability"] or None,
                        "impact_on_individual": d["impact_on_individual"] or None,
                    },
                },
            },
            "justification": d["justification"] or None,
        }


# Where each form field sits on the page: (name, kind, legend or label, hint).
@dataclass
class FieldSpec:
    name: str
    kind: str  # radios, checkboxes, text, textarea
    label: str
    hint: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    small: bool = True


@dataclass
class Section:
    heading: str
    fields: list[FieldSpec]
    intro: str = ""


SECTIONS = [
    Section(
        "When?",
        [
            FieldSpec(
                "purpose_legitimate",
                "radios",
                "Is there a clear and legitimate purpose for sharing information?",
                "When? question 1",
                YES_NO_UNKNOWN,
            ),
            FieldSpec(
                "purpose_description", "text", "What is the purpose?", "For example, MASH enquiry"
            ),
            FieldSpec(
                "identifies_individual",
                "radios",
                "Does the information enable an individual to be identified?",
                "When? question 2",
                YES_NO_UNKNOWN,
            ),
            FieldSpec(
                "confidential",
                "radios",
                "Is the information confidential?",
                "When? question 3",
                YES_NO_UNKNOWN,
            ),
            FieldSpec(
                "sensitive",
                "radios",
                "Is it sensitive personal information?",
                "Special category information, such as health. If not answered: no",
                YES_NO,
            ),
            FieldSpec(
                "recipient_agency",
                "text",
                "Which agency would receive it?",
                "The agency code, for example police",
            ),
        ],
    ),
    Section(
        "Consent",
        [
            FieldSpec(
                "consent_status",
                "radios",
                "Do you have consent to share this information for this purpose?",
                "When? question 4. If not answered: not known",
                CONSENT_STATUSES,
            ),
            FieldSpec(
                "consent_scope",
                "radios",
                "Which agencies does the consent cover?",
                "Partial Consent. If not answered: all agencies",
                CONSENT_SCOPES,
            ),
            FieldSpec(
                "consent_explicit",
                "radios",
                "Is the consent explicit?",
                "Written, or verbal consent recorded with the date, time and what information. "
                "Expected for sensitive personal information",
                YES_NO,
            ),
        ],
    ),
    Section(
        "Sharing without consent",
        [
            FieldSpec(
                "significant_harm",
                "radios",
                "Is the child believed to be at risk of significant harm?",
                "",
                YES_NO_UNKNOWN,
            ),
            FieldSpec(
                "urgent",
                "radios",
                "Would seeking consent cause unjustified delay to enquiries about significant "
                "harm?",
                "If not answered: no",
                YES_NO,
            ),
            FieldSpec(
                "vital_interests",
                "radios",
                "Is sharing needed to protect the vital interests of the individual?",
                "When? question 5. If not answered: no",
                YES_NO,
            ),
            FieldSpec(
                "public_function",
                "radios",
                "Is sharing needed to fulfil a public function?",
                "When? question 5. If not answered: no",
                YES_NO,
            ),
        ],
    ),
    Section(
        "Public Interest",
        [
            FieldSpec(
                "criteria",
                "checkboxes",
                "Which Public Interest criteria apply?",
                "Select all that apply",
                CRITERIA,
            ),
            FieldSpec(
                "proportionate",
                "radios",
                "Is the intended disclosure proportionate to the intended aim?",
                "",
                YES_NO_UNKNOWN,
            ),
            FieldSpec(
                "alternative_means",
                "radios",
                "Is there another equally effective means of achieving the same aim?",
                "",
                YES_NO_UNKNOWN,
            ),
            FieldSpec(
                "necessary_to_prevent_or_detect_crime",
                "radios",
                "Is the disclosure necessary to prevent or detect crime and uphold the rights "
                "and freedoms of the public?",
                "",
                YES_NO_UNKNOWN,
            ),
            FieldSpec(
                "necessary_to_protect_others",
                "radios",
                "Is it necessary to disclose the information to protect others?",
                "",
                YES_NO_UNKNOWN,
            ),
            FieldSpec(
                "vulnerability",
                "radios",
                "What is the vulnerability of those who are at risk?",
                "",
                VULNERABILITY,
            ),
            FieldSpec(
                "impact_on_individual",
                "textarea",
                "What is the impact of disclosure likely to be on the person it is about?",
            ),
        ],
    ),
    Section(
        "Your reasons",
        [
            FieldSpec(
                "justification",
                "textarea",
                "Why do you think this is the right decision?",
                "Do not include names. This page does not save anything",
            ),
        ],
    ),
]

# A problem the engine finds (never expected from this form) is shown against the
# nearest field of the page.
PATH_TO_FIELD = {
    "purpose.legitimate": "purpose_legitimate",
    "purpose.description": "purpose_description",
    "identifies_individual": "identifies_individual",
    "confidential": "confidential",
    "sensitive": "sensitive",
    "recipient_agency": "recipient_agency",
    "consent.status": "consent_status",
    "consent.agencies": "consent_agencies",
    "consent.explicit": "consent_explicit",
    "risk.significant_harm": "significant_harm",
    "risk.urgent": "urgent",
    "other_basis.vital_interests": "vital_interests",
    "other_basis.public_function": "public_function",
    "other_basis.public_interest.criteria": "criteria",
}


def _field_for(path: str) -> str:
    for prefix, name in PATH_TO_FIELD.items():
        if path == prefix or path.startswith(prefix + "."):
            return name
    leaf = path.rsplit(".", 1)[-1]
    return leaf if leaf in CheckForm.base_fields else "purpose_legitimate"


def _question_for(path: str) -> str:
    """The page's question for a field path named in ``missing``."""
    name = _field_for(path)
    for section in SECTIONS:
        for spec in section.fields:
            if spec.name == name:
                return spec.label
    return path


def _values(form: CheckForm) -> dict[str, Any]:
    """The answers as given (kept on the page after an error)."""
    data = form.data
    if not form.is_bound or not isinstance(data, QueryDict):
        return {}
    values: dict[str, Any] = {}
    for name in form.fields:
        values[name] = data.getlist(name) if name == "criteria" else data.get(name, "")
    return values


def _sections(form: CheckForm) -> list[dict[str, Any]]:
    values = _values(form)
    out = []
    for section in SECTIONS:
        rows = []
        for spec in section.fields:
            value = values.get(spec.name, [] if spec.kind == "checkboxes" else "")
            errors = form.errors.get(spec.name) if form.is_bound else None
            choices = [
                {
                    "value": v,
                    "label": label,
                    "id": spec.name if i == 0 else f"{spec.name}-{i + 1}",
                    "checked": (v in value) if spec.kind == "checkboxes" else v == value,
                }
                for i, (v, label) in enumerate(spec.choices)
            ]
            rows.append(
                {
                    "name": spec.name,
                    "kind": spec.kind,
                    "label": spec.label,
                    "hint": spec.hint,
                    "choices": choices,
                    "value": value,
                    "error": errors[0] if errors else "",
                    "reveal_agencies": spec.name == "consent_scope",
                    "agencies_value": values.get("consent_agencies", ""),
                    "agencies_error": (form.errors.get("consent_agencies") or [""])[0]
                    if form.is_bound
                    else "",
                }
            )
        out.append({"heading": section.heading, "fields": rows})
    return out


def _error_summary(form: CheckForm) -> list[dict[str, str]]:
    order = [spec.name for section in SECTIONS for spec in section.fields]
    order.insert(order.index("consent_scope") + 1, "consent_agencies")
    return [
        {"href": f"#{name}", "text": str(form.errors[name][0])}
        for name in order
        if name in form.errors
    ]


def decision_check(request: HttpRequest) -> HttpResponse:
    decision: Decision | None = None
    if request.method == "POST":
        form = CheckForm(request.POST)
        if form.is_valid():
            try:
                decision = decide(validate(form.question()))
            except QuestionError as error:
                for problem in error.errors:
                    form.add_error(_field_for(problem.path), problem.message)
    else:
        form = CheckForm()
    status = 400 if form.is_bound and form.errors else 200
    context: dict[str, Any] = {
        "form": form,
        "sections": _sections(form),
        "error_summary": _error_summary(form) if form.is_bound else [],
        "decision": decision,
    }
    if decision is not None:
        context.update(
            outcome_words=OUTCOME_WORDS[decision.outcome.value],
            basis_words=BASIS_WORDS.get(decision.basis.value) if decision.basis else None,
            other_grounds=[BASIS_WORDS[g.value] for g in decision.grounds[1:]],
            missing_questions=[_question_for(path) for path in decision.missing],
            requirement_sentences=decision.requirement_sentences(),
            guidance_title=f"{CURRENT.title}, version {CURRENT.version}, {CURRENT.issued}",
        )
    return render(request, "decision_check.html", context, status=status)
