"""Loading a version of the guidance: the only writer, with its record entry."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mash.records.models import Action
from mash.records.services import record

from .models import GuidanceVersion


@transaction.atomic
def load_version(*, actor: Any, version: GuidanceVersion) -> GuidanceVersion:
    """Save a newly loaded version (validated by the admin's form) and record it. From now
    on it is the current version: new decisions name it."""
    version.loaded_by = actor
    version.full_clean()
    version.save()
    record(
        action=Action.ADMIN_ADDED,
        actor=actor,
        obj=version,
        details={"version_id": version.version_id, "review_date": version.review_date.isoformat()},
    )
    return version


DEFAULT_PURPOSES = [
    ("child_protection", "Child protection enquiry (Children Act 1989 s. 47)"),
    ("child_in_need", "Child in need assessment (Children Act 1989 s. 17)"),
    ("early_help", "Early help"),
    ("strategy_discussion", "Strategy discussion"),
    ("prevention_of_crime", "Prevention or detection of crime"),
]

# Which bases each kind of agency typically relies on (a hub changes them in the admin).
DEFAULT_BASES = {
    "police": [
        "6(1)(c)",
        "6(1)(d)",
        "6(1)(e)",
        "9(2)(c)",
        "9(2)(g)",
        "para_6",
        "para_10",
        "para_18",
        "para_30",
    ],
    "health": [
        "6(1)(a)",
        "6(1)(c)",
        "6(1)(d)",
        "6(1)(e)",
        "9(2)(a)",
        "9(2)(c)",
        "9(2)(g)",
        "9(2)(h)",
        "para_2",
        "para_18",
        "para_29",
    ],
    "education": ["6(1)(a)", "6(1)(c)", "6(1)(e)", "9(2)(a)", "9(2)(g)", "para_18", "para_29"],
    "childrens_social_care": [
        "6(1)(a)",
        "6(1)(c)",
        "6(1)(d)",
        "6(1)(e)",
        "9(2)(a)",
        "9(2)(b)",
        "9(2)(c)",
        "9(2)(g)",
        "9(2)(h)",
        "para_2",
        "para_6",
        "para_18",
        "para_29",
        "para_30",
    ],
    "probation": [
        "6(1)(c)",
        "6(1)(d)",
        "6(1)(e)",
        "9(2)(c)",
        "9(2)(g)",
        "para_6",
        "para_10",
        "para_18",
        "para_30",
    ],
    "housing": [
        "6(1)(a)",
        "6(1)(c)",
        "6(1)(e)",
        "9(2)(a)",
        "9(2)(g)",
        "para_6",
        "para_18",
        "para_29",
    ],
}


@transaction.atomic
def ensure_defaults(agencies: Any) -> None:
    """For ``mash demo``: the hub's purposes list and each agency's lawful bases, where not
    already set (never overwrites what an administrator chose)."""
    from .models import AgencyLawfulBases, SharingPurpose

    for order, (code, name) in enumerate(DEFAULT_PURPOSES):
        SharingPurpose.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for agency in agencies:
        codes = DEFAULT_BASES.get(agency.kind)
        if codes:
            AgencyLawfulBases.objects.get_or_create(agency=agency, defaults={"codes": codes})
