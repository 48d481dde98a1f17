"""Which version of the guidance the hub works under, and one version by its id."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import DatabaseError
from django.utils import timezone

from mash.policy.versions import CURRENT, VERSIONS
from mash.policy.versions import GuidanceVersion as PolicyVersion

from .models import GuidanceVersion


def current_version() -> PolicyVersion:
    """The newest loaded version (one indexed query), else the built-in one.

    Where the database cannot be asked (a test without database access, tables not yet
    migrated) the built-in version answers, so the policy never fails for want of it.
    """
    try:
        row = GuidanceVersion.objects.order_by("-loaded_at").first()
    except (RuntimeError, DatabaseError):
        return CURRENT
    return row.as_policy() if row is not None else CURRENT


def version_by_id(version_id: str, *, with_text: bool = True) -> GuidanceVersion | None:
    """The loaded version with this id; ``with_text=False`` leaves the guidance's text
    unread, for naming a version (a decision record names the one it was made under)."""
    versions = GuidanceVersion.objects.filter(version_id=version_id)
    return (versions if with_text else versions.defer("text")).first()


def label_of(version_id: str, row: GuidanceVersion | None) -> str:
    """The version's name in words, for a decision record, from its row as the hub loaded
    it (``version_by_id``; ``None`` when the hub has not): the built-in version's name,
    else the id, for a version the hub does not hold."""
    if row is not None:
        return str(row)
    builtin = VERSIONS.get(version_id)
    return builtin.label if builtin is not None else version_id


def allowed_lawful_bases(agency_id: Any) -> list[str] | None:
    """The codes an agency may rely on, in the order of the words list; None when the
    agency has none set (any basis may be chosen). For ``lawful_basis.allowed``."""
    from mash.policy import LAWFUL_BASIS_WORDS

    from .models import AgencyLawfulBases

    row = AgencyLawfulBases.objects.filter(agency_id=agency_id).only("codes").first()
    if row is None:
        return None
    return [code for code in LAWFUL_BASIS_WORDS if code in row.codes]


def active_purposes() -> list[tuple[str, str]]:
    """The hub's purposes list (code, name), for forms."""
    from .models import SharingPurpose

    return list(SharingPurpose.objects.filter(active=True).values_list("code", "name"))


def advice_contacts() -> list[Any]:
    """The hub's advice contacts shown on the pages (one query)."""
    from .models import AdviceContact

    return list(AdviceContact.objects.filter(active=True))


def current_golden_rules() -> Any:
    """The seven golden rules of the version in force, in its words."""
    from mash.policy.golden_rules import golden_rules

    return golden_rules(current_version().full_text())


def _today() -> date:
    return timezone.localdate()


def review_notice(today: date | None = None) -> PolicyVersion | None:
    """The version in force when it is past its review date (for the banner), else None."""
    version = current_version()
    return version if version.is_past_review(today or _today()) else None
