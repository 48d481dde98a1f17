from __future__ import annotations

import json
from typing import Any

from mash.records.models import Action, RecordEntry
from tests.conftest import PASSWORD


def _last(action: str) -> RecordEntry:
    return RecordEntry.objects.filter(action=action).order_by("-seq").first()


def test_a_sign_in_is_recorded_with_who_signed_in(client: Any, cast: dict[str, Any]) -> None:
    client.post("/sign-in", {"username": "hana", "password": PASSWORD})
    entry = _last(Action.SIGN_IN_SUCCEEDED)
    assert entry.actor_user_id == cast["hub_practitioner"].pk
    assert (entry.actor_agency, entry.actor_role) == ("hub", "practitioner")
    assert entry.correlation_id not in {"", "-"}


def test_a_failed_sign_in_keeps_neither_the_password_nor_the_typed_username(
    client: Any, cast: dict[str, Any]
) -> None:
    client.post("/sign-in", {"username": "hana", "password": "a wrong guess"})
    entry = _last(Action.SIGN_IN_FAILED)
    stored = json.dumps(
        {field.name: str(getattr(entry, field.name)) for field in RecordEntry._meta.fields}
    )
    assert "a wrong guess" not in stored
    assert "hana" not in stored
    assert entry.actor_username == "anonymous"
    assert entry.object_id == str(cast["hub_practitioner"].pk)
    assert entry.details == {"username_matched": True}


def test_a_password_typed_into_the_username_box_is_not_recorded(
    client: Any, cast: dict[str, Any]
) -> None:
    client.post("/sign-in", {"username": PASSWORD, "password": ""})
    client.post("/sign-in", {"username": "my secret password", "password": "x"})
    entry = _last(Action.SIGN_IN_FAILED)
    assert entry.details == {"username_matched": False}
    assert (entry.object_type, entry.object_id) == ("", "")
    assert not RecordEntry.objects.filter(details__icontains="secret").exists()


def test_signing_out_is_recorded(client_for: Any, cast: dict[str, Any]) -> None:
    c = client_for("police_practitioner")
    c.post("/sign-out")
    entry = _last(Action.SIGNED_OUT)
    assert entry.actor_user_id == cast["police_practitioner"].pk
