"""Guidance versions without code: a hub loads a new version (text, review date) in the
admin; decisions name the version they were made under and link to its text; past its
review date, the admin and the text page say so."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client

from mash.agencies.models import User
from mash.guidance.models import GuidanceVersion
from mash.policy import decide
from mash.policy.versions import CURRENT, current_version, is_past_review
from mash.records.models import RecordEntry

NEW = {
    "version_id": "herefordshire-mash-v5-2030-01",
    "title": "Herefordshire MASH Information Sharing Guidance",
    "publisher": "Herefordshire Safeguarding Children Partnership",
    "version": "5",
    "issued": "January 2030",
    "review_date": "2031-01-31",
    "text": "Version 5.\nIs there a clear and legitimate purpose for sharing information?",
}


def _admin() -> Client:
    root = User.objects.create_superuser(username="root", password="x" * 20)
    client = Client()
    client.force_login(root)
    return client


def test_the_built_in_version_is_loaded_and_current(db: Any) -> None:
    row = GuidanceVersion.objects.get(version_id=CURRENT.id)
    assert row.text == CURRENT.full_text()
    assert row.review_date == date(2024, 2, 29)
    assert current_version().id == CURRENT.id
    assert is_past_review(date(2026, 12, 2))


def test_the_admin_says_when_the_current_version_is_past_review(db: Any) -> None:
    response = _admin().get("/admin/guidance/guidanceversion/")
    assert response.status_code == 200
    assert "is past its review date" in response.content.decode()


def test_a_hub_loads_a_new_version_and_new_decisions_name_it(db: Any) -> None:
    client = _admin()
    response = client.post("/admin/guidance/guidanceversion/add/", NEW)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert current_version().id == NEW["version_id"]
    assert not is_past_review(date(2031, 1, 31))
    assert decide({"purpose": {"legitimate": False}}).guidance_version == NEW["version_id"]
    entry = RecordEntry.objects.filter(action="admin.added").get()
    assert entry.actor_username == "root"
    page = client.get("/admin/guidance/guidanceversion/").content.decode()
    assert "is past its review date" not in page


def test_a_loaded_version_cannot_be_changed_or_deleted(db: Any) -> None:
    client = _admin()
    row = GuidanceVersion.objects.get(version_id=CURRENT.id)
    response = client.post(f"/admin/guidance/guidanceversion/{row.pk}/change/", NEW)
    assert response.status_code == 403
    response = client.post(f"/admin/guidance/guidanceversion/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert GuidanceVersion.objects.get(pk=row.pk).text == CURRENT.full_text()


def test_a_bad_review_date_is_refused_naming_the_field(db: Any) -> None:
    response = _admin().post("/admin/guidance/guidanceversion/add/", {**NEW, "review_date": "soon"})
    assert response.status_code == 200
    assert "review_date" in response.context["adminform"].form.errors
    assert not GuidanceVersion.objects.filter(version_id=NEW["version_id"]).exists()


def test_the_text_page_shows_the_version_and_its_review_state(
    cast: dict[str, Any], client: Client
) -> None:
    client.force_login(cast["police_practitioner"])
    response = client.get(f"/guidance/?version={CURRENT.id}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "past its review date" in page
    assert "Is there a clear and legitimate purpose for sharing information?" in page
    assert client.get("/guidance/?version=no-such-version").status_code == 404
    assert "Version 4" in client.get("/guidance/").content.decode()


def test_the_text_page_needs_sign_in(db: Any, client: Client) -> None:
    response = client.get(f"/guidance/?version={CURRENT.id}")
    assert response.status_code == 302


def test_the_decision_record_links_to_the_version_it_was_made_under(db: Any) -> None:
    from mash.guidance.templatetags.guidance import guidance_version_link

    html = guidance_version_link(CURRENT.id)
    assert f'href="/guidance/?version={CURRENT.id}"' in html
    assert "version 4, May 2023" in html
    assert f"({CURRENT.id})" in html  # the id exactly as the decision holds it
    assert guidance_version_link("unknown-version") == "unknown-version"
