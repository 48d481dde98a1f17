"""A lockout (django-axes) lands in the record, without the typed username."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.dispatch import receiver

from mash.records.models import Action
from mash.records.services import record


@receiver(user_locked_out, dispatch_uid="mash.agencies.locked_out")
def locked_out(sender: Any, request: Any, username: Any = None, **kwargs: Any) -> None:
    from .models import User

    user = User.objects.filter(username=username).first() if isinstance(username, str) else None
    record(
        action=Action.LOCKED_OUT,
        actor=None,
        object_type="agencies.user" if user else "",
        object_id=user.pk if user else None,
        details={"username_matched": user is not None},
    )
