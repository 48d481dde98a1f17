"""The admin shows enquiries to administrators but never lets them edit around the
services (and so around the record)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from mash.enquiries.models import Enquiry


def admin_client(db: Any) -> Client:
    from mash.agencies.models import User

    user = User.objects.create_superuser(username="root", password="x" * 16, role="administrator")
    c = Client()
    c.force_login(user)
    return c


def test_an_administrator_can_look_up_an_enquiry_by_reference(db: Any, enquiry: Enquiry) -> None:
    c = admin_client(db)
    listing = c.get(f"/admin/enquiries/enquiry/?q={enquiry.reference}")
    assert listing.status_code == 200
    assert enquiry.reference in listing.content.decode()
    assert c.get(f"/admin/enquiries/enquiry/{enquiry.pk}/change/").status_code == 200
    from mash.records.models import RecordEntry

    entry = RecordEntry.objects.filter(action="enquiry.viewed", actor_username="root").get()
    assert entry.details == {"page": "admin"}


def test_the_admin_cannot_add_change_or_delete_enquiries(db: Any, enquiry: Enquiry) -> None:
    c = admin_client(db)
    assert c.get("/admin/enquiries/enquiry/add/").status_code == 403
    response = c.post(f"/admin/enquiries/enquiry/{enquiry.pk}/change/", {"reference": "CHANGED"})
    assert response.status_code == 403
    assert (
        c.post(f"/admin/enquiries/enquiry/{enquiry.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    enquiry.refresh_from_db()
    assert enquiry.reference != "CHANGED"
    assert Enquiry.objects.filter(pk=enquiry.pk).exists()
