"""When a consent record goes (only ever through retention, which records it), its
evidence file goes with it, once the deletion has committed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from . import evidence as evidence_store
from .models import ConsentRecord


@receiver(post_delete, sender=ConsentRecord, dispatch_uid="consent_evidence_removed")
def remove_evidence_file(sender: Any, instance: ConsentRecord, **kwargs: Any) -> None:
    name = instance.evidence_name
    if name:
        transaction.on_commit(lambda: evidence_store.discard(name))
