"""Asking for an object you may not see answers 404, exactly as if it did not exist, and
the record keeps the attempt for the DPO's list of refusals."""

from __future__ import annotations

import uuid
from typing import Any

from mash.records.models import Action, RecordEntry
from tests.sharing.factories import make_request


def test_another_agencys_request_answers_404_and_the_attempt_is_recorded(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    health_request = make_request(cast=cast, agency=agencies["health"])
    police = client_for("police_practitioner")
    response = police.get(f"/requests/{health_request.pk}")
    assert response.status_code == 404
    entry = RecordEntry.objects.filter(action=Action.ACCESS_DENIED).get()
    assert entry.actor_user_id == cast["police_practitioner"].pk
    assert entry.details["status"] == 404
    assert entry.details["ids"] == {"request_id": str(health_request.pk)}
    assert entry.details["url_name"] == "sharing:request"


def test_a_guessed_id_is_recorded_the_same_way(client_for: Any) -> None:
    guessed = uuid.uuid4()
    response = client_for("outsider").get(f"/enquiries/{guessed}/")
    assert response.status_code == 404
    entry = RecordEntry.objects.filter(action=Action.ACCESS_DENIED).get()
    assert entry.details["ids"] == {"enquiry_id": str(guessed)}


def test_a_missing_page_without_an_id_is_not_a_refusal(client_for: Any) -> None:
    assert client_for("outsider").get("/no-such-page").status_code == 404
    assert not RecordEntry.objects.filter(action=Action.ACCESS_DENIED).exists()
