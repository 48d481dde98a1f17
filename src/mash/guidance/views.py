"""The text of a version of the guidance, for anyone signed in (the guidance is a public
document: "Group Access: Public"); decision records link here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .selectors import current_golden_rules, current_version, version_by_id


@login_required
@require_GET
def version_text(request: HttpRequest) -> HttpResponse:
    """``/guidance/``: the current version; ``/guidance/?version=<identifier>``: that one."""
    version_id = request.GET.get("version") or current_version().id
    row = version_by_id(version_id[:40])
    if row is None:
        raise Http404("No such version of the guidance")
    return render(
        request,
        "guidance/version.html",
        {
            "version": row,
            "past_review": row.is_past_review(timezone.localdate()),
            "is_current": current_version().id == row.version_id,
            "paragraphs": [p.strip() for p in row.text.split("\n") if p.strip()],
        },
    )


@require_GET
def golden_rules(request: HttpRequest) -> HttpResponse:
    """``/guidance/golden-rules``: the seven golden rules in the guidance's words, with the
    hub's advice contacts. Public, like the guidance and the check page that link here."""
    return render(
        request,
        "guidance/golden_rules.html",
        {"golden": current_golden_rules(), "version": current_version()},
    )
