from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import path

from mash.records.models import Action, RecordEntry
from mash.records.services import record_denied

HIDDEN = uuid.uuid4()


def _hidden_enquiry(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """What an app does for an object the user may not see: record, then 404."""
    record_denied(request, object_type="enquiries.enquiry", object_id=pk, enquiry=pk)
    raise Http404


urlpatterns = [
    path("hidden/<uuid:pk>", _hidden_enquiry, name="hidden"),
]


def test_record_denied_names_who_and_what_but_not_the_address(
    cast: dict[str, Any],
) -> None:
    request = RequestFactory().get("/enquiries/secret?name=Jane")
    request.user = cast["outsider"]
    entry = record_denied(
        request, object_type="enquiries.enquiry", object_id=HIDDEN, enquiry=HIDDEN
    )
    assert entry.action == Action.ACCESS_DENIED
    assert (entry.actor_user_id, entry.actor_agency) == (cast["outsider"].pk, "education")
    assert (entry.object_type, entry.object_id, entry.enquiry_id) == (
        "enquiries.enquiry",
        str(HIDDEN),
        HIDDEN,
    )
    assert "Jane" not in str(entry.details) and "secret" not in str(entry.details)


@override_settings(ROOT_URLCONF=__name__)
def test_a_hidden_object_answered_with_404_is_recorded_once(client_for: Any) -> None:
    response = client_for("outsider").get(f"/hidden/{HIDDEN}")
    assert response.status_code == 404
    assert RecordEntry.objects.filter(action=Action.ACCESS_DENIED).count() == 1


def test_any_403_answer_is_recorded_once(client_for: Any, cast: dict[str, Any]) -> None:
    response = client_for("hub_practitioner").get("/record/")
    assert response.status_code == 403
    entries = RecordEntry.objects.filter(action=Action.ACCESS_DENIED)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor_user_id == cast["hub_practitioner"].pk
    assert entry.details == {"url_name": "records:dashboard", "method": "GET", "status": 403}


def test_a_refused_form_post_without_its_csrf_token_is_recorded(db: Any) -> None:
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/sign-in", {"username": "x"})
    assert response.status_code == 403
    entry = RecordEntry.objects.get(action=Action.ACCESS_DENIED)
    assert entry.actor_username == "anonymous"
    assert entry.details["url_name"] == "sign-in"
