"""Sign-in housekeeping in the background: ``mash worker`` enqueues it once a day
(``mash.timeliness.scheduler``) and runs it like any task."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def clear_expired_sessions() -> dict[str, int]:
    """Delete the sessions whose expiry has passed (Django's ``clearsessions``, counted).
    No request can use one (the session's read asks for an expiry still ahead), but each
    row still names who was signed in; without this the table only grows."""
    from .models import SignedInSession

    deleted, _ = SignedInSession.objects.filter(expire_date__lt=timezone.now()).delete()
    return {"deleted": deleted}
