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
