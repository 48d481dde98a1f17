"""Asking and answering advice through the services, for the advice and sign-off tests."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mash.sharing import services


def ask(
    cast: Any, req: Any, *, adviser: str = "agency_manager", who: str = "police_practitioner"
) -> Any:
    return services.ask_advice(
        actor=cast[who],
        request=req,
        adviser=adviser,
        question="Consent was refused and I cannot tell whether the harm is significant.",
        outcome={"outcome": "seek_advice", "missing": ["risk.significant_harm"]},
    )


def answer(cast: Any, advice: Any, *, who: str = "police_manager") -> Any:
    return services.answer_advice(
        actor=cast[who],
        advice=advice,
        answer="Three call-outs in a month is a pattern: treat it as significant harm.",
    )


def ask_url(req: Any) -> str:
    return reverse("sharing:advice-ask", kwargs={"request_id": req.pk})


def advice_url(advice: Any) -> str:
    return reverse("sharing:advice", kwargs={"advice_id": advice.pk})


def signoff_url(decision: Any) -> str:
    return reverse("sharing:signoff", kwargs={"decision_id": decision.pk})
