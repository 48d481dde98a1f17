"""Sign-in, sign-in failure and sign-out land in the record (Django's auth signals).

Guidance, Secure: information is shared with the right people only; the record of who
signed in, and who failed to, is how a DPO shows that afterwards.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import Action
from .services import record, record_sign_in_failed


@receiver(user_logged_in, dispatch_uid="mash.records.sign_in_succeeded")
def sign_in_succeeded(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(action=Action.SIGN_IN_SUCCEEDED, actor=user, obj=user)


@receiver(user_logged_out, dispatch_uid="mash.records.signed_out")
def signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(action=Action.SIGNED_OUT, actor=user, obj=user)


@receiver(user_login_failed, dispatch_uid="mash.records.sign_in_failed")
def sign_in_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    """``credentials`` holds what was typed (the password masked by Django); only the
    matching account's id is kept, never the typed text."""
    user_model = get_user_model()
    typed = credentials.get(user_model.USERNAME_FIELD) or credentials.get("username")
    user_id: uuid.UUID | None = None
    if isinstance(typed, str) and typed:
        user_id = (
            user_model._default_manager.filter(**{user_model.USERNAME_FIELD: typed})
            .values_list("pk", flat=True)
            .first()
        )
    record_sign_in_failed(user_id=user_id)
