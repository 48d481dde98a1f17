"""``{% guidance_version_link decision.guidance_version %}``: the version a decision was
made under, in words, linked to that version's text, followed by the version's id exactly
as the decision holds it (what `mash decide` and the API name), so an auditor can match
the record to the rules applied."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..selectors import label_for, version_by_id

register = template.Library()


@register.simple_tag
def guidance_version_link(version_id: str) -> str:
    label = label_for(version_id)
    exact = (
        format_html(' <span class="govuk-hint govuk-!-display-inline">({})</span>', version_id)
        if label != version_id
        else ""
    )
    if version_by_id(version_id) is None:
        return format_html("{}{}", label, exact)
    return format_html(
        '<a class="govuk-link" href="{}">{}</a>{}',
        reverse("guidance:version") + "?" + urlencode({"version": version_id}),
        label,
        exact,
    )
