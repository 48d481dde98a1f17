"""Seed the default feedback template of each outcome (every hub uses these until it
sets its own in the admin)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

# Copied here, not imported: a migration keeps the words it was written with.
DEFAULTS = {
    "no_further_action": (
        "The hub has looked at your concern with the information the agencies involved "
        "hold. It has decided that no further action by children's social care is needed "
        "at this time. If anything changes, or you have a new concern, please contact the "
        "hub again straight away."
    ),
    "advice_and_information": (
        "The hub has given advice and information to help the family. Please keep "
        "supporting the child as you do now, and contact the hub again if you are worried."
    ),
    "early_help": (
        "The hub has decided that the family would benefit from early help. An early help "
        "worker will contact the family to offer support, and may ask you to take part."
    ),
    "child_in_need": (
        "The hub has decided that a social worker will carry out an assessment of the "
        "child's needs (Children Act 1989, section 17). The social worker may contact you."
    ),
    "strategy_discussion": (
        "The hub has arranged a strategy discussion with the agencies involved to decide "
        "whether enquiries are needed to keep the child safe (Children Act 1989, section "
        "47). A social worker may contact you for more information."
    ),
    "police_investigation": "The police will look into the concern. An officer may contact you.",
    "referral": (
        "The hub has referred the family to another service that can help. That service "
        "will contact the family."
    ),
}


def seed(apps: Any, schema_editor: Any) -> None:
    template = apps.get_model("enquiries", "FeedbackTemplate")
    for outcome, text in DEFAULTS.items():
        template.objects.get_or_create(hub=None, outcome=outcome, defaults={"text": text})


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("enquiries", "FeedbackTemplate").objects.filter(hub=None).delete()


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0010_feedback_to_the_referrer")]

    operations = [migrations.RunPython(seed, unseed)]
