"""Sign-in housekeeping in the background: ``mash worker`` enqueues it once a day
(``mash.timeliness.scheduler``) and runs it like any task."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django_tasks import task


@task()
def clear_expired_sessions() -> None:
    """Delete the sessions whose expiry has passed, as ``mash clearsessions`` does (the
    session engine's own ``clear_expired``). No request can use one (the session's read
    asks for an expiry still ahead), but each row still names who was signed in;
    without this the table only grows."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
