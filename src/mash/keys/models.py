"""One data key per enquiry, stored only wrapped by a master key."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class DataKey(models.Model):
    """The AES-256 key that encrypts one enquiry's narrative text and files.

    ``wrapped_key`` is the data key encrypted (AES-GCM) under the master key named by
    ``master_key_id``; the plain data key is never stored. ``enquiry_id`` is a plain
    UUID, not a foreign key, so the key row (and the fact that it was destroyed)
    outlives the enquiry. Destroying empties ``wrapped_key`` and sets ``destroyed_at``:
    from then on nothing encrypted under it can be read by anyone.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enquiry_id = models.UUIDField(unique=True)
    wrapped_key = models.BinaryField(blank=True, default=b"")
    master_key_id = models.CharField(max_length=32, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    rewrapped_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)
    destroyed_by = models.UUIDField(null=True, blank=True, help_text="The user's id.")

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        state = "destroyed" if self.destroyed_at else f"wrapped by {self.master_key_id}"
        return f"Data key of enquiry {self.enquiry_id} ({state})"

    @property
    def destroyed(self) -> bool:
        return self.destroyed_at is not None
