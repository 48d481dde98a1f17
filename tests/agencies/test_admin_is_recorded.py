from __future__ import annotations

from typing import Any

from django.test import Client

from mash.agencies.models import Agency, User
from mash.records.models import RecordEntry


def _admin(db: Any) -> Client:
    admin_user = User.objects.create_superuser(username="root", password="x" * 20)
    client = Client()
    client.force_login(admin_user)
    return client


def test_an_agency_added_in_the_admin_is_recorded(db: Any) -> None:
    client = _admin(db)
    response = client.post(
        "/admin/agencies/agency/add/",
        {"code": "youth", "name": "Youth justice", "kind": "other", "active": "on"},
    )
    assert response.status_code == 302
    agency = Agency.objects.get(code="youth")
    entry = RecordEntry.objects.filter(action="admin.added").get()
    assert entry.object_id == str(agency.pk)
    assert entry.actor_username == "root"


def test_a_user_changed_in_the_admin_is_recorded_with_field_names_only(
    cast: dict[str, Any],
) -> None:
    client = _admin(None)
    hana = cast["hub_practitioner"]
    form = client.get(f"/admin/agencies/user/{hana.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "username": hana.username,
            "first_name": "Hannah",
            "agency": hana.agency_id,
            "role": "manager",
            "is_active": "on",
            "date_joined_0": hana.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": hana.date_joined.strftime("%H:%M:%S"),
        }
    )
    data.pop("groups", None)
    data.pop("user_permissions", None)
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = client.post(f"/admin/agencies/user/{hana.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    entry = RecordEntry.objects.filter(action="admin.changed").get()
    assert entry.object_id == str(hana.pk)
    assert "first_name" in entry.details["fields"]
    assert "role" in entry.details["fields"]
    assert "Hannah" not in str(entry.details)


def test_an_agency_deleted_in_the_admin_is_recorded(db: Any) -> None:
    client = _admin(db)
    agency = Agency.objects.create(code="gone", name="Gone", kind="other")
    response = client.post(f"/admin/agencies/agency/{agency.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert RecordEntry.objects.filter(action="admin.deleted", object_id=str(agency.pk)).exists()


def test_a_feedback_template_changed_in_the_admin_is_recorded(db: Any) -> None:
    """The words referrers are told (issue 17) are the hub's settings: a change to them
    is recorded like any other admin change, with the field names only."""
    from mash.enquiries.models import FeedbackTemplate

    client = _admin(db)
    template = FeedbackTemplate.objects.filter(hub__isnull=True).order_by("outcome").first()
    assert template is not None  # seeded by the enquiries app's migration
    response = client.post(
        f"/admin/enquiries/feedbacktemplate/{template.pk}/change/",
        {"hub": "", "outcome": template.outcome, "text": "New words for $reference."},
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    entry = RecordEntry.objects.filter(action="admin.changed").get()
    assert entry.object_id == str(template.pk)
    assert entry.details == {"fields": ["text"]}
