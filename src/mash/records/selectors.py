"""Reading the record for its pages (writes live in services.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Action, Checkpoint, CheckpointTimestamp, RecordEntry, VerificationRun
from .permissions import visible_entries


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _up_to_now(entries: QuerySet[RecordEntry]) -> QuerySet[RecordEntry]:
    """Entries up to the head as it is now: the page's own ``record.viewed`` entry,
    written before the page is drawn, is not part of what it shows."""
    head = RecordEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    return entries.filter(seq__lte=head or 0)


def activity(user: Any, filters: dict[str, Any]) -> QuerySet[RecordEntry]:
    """Entries ``user`` may read that match ``filters`` (cleaned ActivityFilterForm data),
    newest first."""
    entries = _up_to_now(visible_entries(user))
    if filters.get("enquiry"):
        enquiry = filters["enquiry"]
        entries = entries.filter(Q(enquiry_id=enquiry) | Q(object_id=str(enquiry)))
    if filters.get("object_id"):
        entries = entries.filter(object_id=filters["object_id"])
    if filters.get("user"):
        entries = entries.filter(actor_user_id=filters["user"])
    if filters.get("agency"):
        entries = entries.filter(actor_agency=filters["agency"])
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("date_from"):
        entries = entries.filter(at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        entries = entries.filter(at__lt=_start_of(filters["date_to"] + dt.timedelta(days=1)))
    return entries.order_by("-seq")


def denied(user: Any) -> QuerySet[RecordEntry]:
    refusals = RecordEntry.objects.filter(action__in=[Action.ACCESS_DENIED, Action.SIGN_IN_FAILED])
    return _up_to_now(visible_entries(user, refusals)).order_by("-seq")


def health() -> dict[str, Any]:
    head = RecordEntry.objects.order_by("-seq").values("seq", "hash", "at").first()
    return {
        "entry_count": RecordEntry.objects.count(),
        "head": head,
        "last_verification": VerificationRun.objects.order_by("-id").first(),
        "last_checkpoint": Checkpoint.objects.order_by("-id").first(),
        # The latest checkpoint a time-stamping authority vouched for (RFC 3161).
        "last_timestamp": CheckpointTimestamp.objects.select_related("checkpoint")
        .order_by("-id")
        .first(),
    }
