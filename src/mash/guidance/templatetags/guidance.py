"""``{% guidance_version_link decision.guidance_version %}``: the version a decision was
made under, in words, linked to that version's text, followed by the version's id exactly
as the decision holds it (what `mash decide` and the API name), so an auditor can match
the record to the rules applied."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from .. import selectors
from ..selectors import label_of, version_by_id

register = template.Library()


@register.simple_tag
def guidance_version_link(version_id: str) -> str:
    row = version_by_id(version_id, with_text=False)
    label = label_of(version_id, row)
    exact = (
        format_html(' <span class="govuk-hint govuk-!-display-inline">({})</span>', version_id)
        if label != version_id
        else ""
    )
    if row is None:
        return format_html("{}{}", label, exact)
    return format_html(
        '<a class="govuk-link" href="{}">{}</a>{}',
        reverse("guidance:version") + "?" + urlencode({"version": version_id}),
        label,
        exact,
    )


@register.simple_tag
def golden_rules_link() -> str:
    """A line linking the seven golden rules (on every page where a decision is made)."""
    return format_html(
        '<p class="govuk-body-s mash-golden-rules-link">'
        '<a class="govuk-link" href="{}">The 7 golden rules of information sharing</a></p>',
        reverse("guidance:golden-rules"),
    )


@register.inclusion_tag("guidance/_advice_contacts.html")
def advice_contacts(heading: str = "Who to ask for advice", level: str = "h2") -> dict[str, Any]:
    """The hub's advice contacts (set in the admin), wherever the guidance says to seek
    advice; says who to ask in the guidance's words when none is set."""
    return {"contacts": selectors.advice_contacts(), "heading": heading, "level": level}


@register.inclusion_tag("guidance/_review_banner.html")
def guidance_review_banner() -> dict[str, Any]:
    """A warning while the guidance in force is past its review date (Approval Log)."""
    return {"overdue": selectors.review_notice()}
