"""A restricted enquiry holds on every path, not only on its own page (issue 16). The
access matrix's world plants one (``RESTRICTED``, named: the hub manager; the hub
practitioner broke the glass); every cell of the matrix checks that its narrative
reaches nobody else. Here the paths that reach an enquiry's data in bulk or from the
side: the DPO's subject access search and export, and the DPO's accuracy pages for an
item, and the reason a break of the glass must give."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mash.enquiries.models import GlassBreak
from mash.records.models import RecordEntry
from mash.retention import sar
from tests.access.matrix import RESTRICTED, World

REASON = "Answering a subject access request from the child's mother"


def _dpo(world: World) -> Client:
    client = Client()
    client.force_login(world.user("hub", "D"))
    return client


def _restricted(world: World) -> Any:
    return world.glass_break.enquiry


def _search(client: Client) -> Any:
    """The DPO searches for the child (the world names every child the same)."""
    answer = client.post(
        reverse("retention:sar-search"),
        {"first_name": "Matrixchild", "last_name": "Casefamily"},
    )
    assert answer.status_code == 302
    return client.get(reverse("retention:sar-results"))


def _actions_since(seq: int) -> list[str]:
    return list(RecordEntry.objects.filter(seq__gt=seq).values_list("action", flat=True))


def _last() -> int:
    return RecordEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_the_subject_access_search_lists_a_restricted_enquiry_as_restricted(
    world: World,
) -> None:
    world.prepare()
    enquiry = _restricted(world)
    person = enquiry.people.get()
    page = _search(_dpo(world))
    body = page.content.decode()
    assert page.status_code == 200
    assert f"Restricted enquiry {enquiry.reference}" in body
    assert reverse("enquiries:break-glass", kwargs={"enquiry_id": enquiry.pk}) in body
    assert f'value="{person.pk}"' not in body  # not offered for the export
    assert RESTRICTED not in body
    assert f'value="{world.person.pk}"' in body  # the open enquiry's record is offered


def test_the_export_leaves_a_restricted_record_out_until_the_glass_is_broken(
    world: World,
) -> None:
    world.prepare()
    enquiry = _restricted(world)
    person = enquiry.people.get()
    client = _dpo(world)
    _search(client)
    before = _last()
    refused = client.post(reverse("retention:sar-results"), {"person": [str(person.pk)]})
    assert refused.status_code == 400
    assert "Select the records that are about the person" in refused.content.decode()
    assert "export.downloaded" not in _actions_since(before)
    with pytest.raises(sar.RestrictedRecords, match=enquiry.reference):
        sar.export(actor=world.user("hub", "D"), people=[person], via="page")

    results = reverse("retention:sar-results")
    broke = client.post(
        reverse("enquiries:break-glass", kwargs={"enquiry_id": enquiry.pk}),
        {"reason": REASON, "next": results},
    )
    assert broke.status_code == 302 and broke["Location"] == results
    glass = GlassBreak.objects.get(enquiry=enquiry, user=world.user("hub", "D"))
    assert glass.reason == REASON
    assert "enquiry.glass_broken" in _actions_since(before)

    page = client.get(results)
    assert f'value="{person.pk}"' in page.content.decode()
    prepared = client.post(results, {"person": [str(person.pk)]})
    assert prepared.status_code == 302
    client.post(prepared["Location"], {"action": "accept_all"})
    exported = client.post(f"{prepared['Location']}/export")
    assert exported.status_code == 200
    assert exported["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        assert RESTRICTED in archive.read("subject-access.json").decode()
    assert "export.downloaded" in _actions_since(before)


def test_the_redaction_review_of_a_restricted_record_needs_the_glass_broken(
    world: World,
) -> None:
    """The DPO broke the glass, prepared the export's review, and the break expired:
    the review (its page, its decisions, its download) is the restricted page again,
    with nothing of the enquiry in it, until the glass is broken again."""
    world.prepare()
    enquiry = _restricted(world)
    person = enquiry.people.get()
    dpo = world.user("hub", "D")
    client = _dpo(world)
    _search(client)
    client.post(
        reverse("enquiries:break-glass", kwargs={"enquiry_id": enquiry.pk}),
        {"reason": REASON, "next": reverse("retention:sar-results")},
    )
    prepared = client.post(reverse("retention:sar-results"), {"person": [str(person.pk)]})
    assert prepared.status_code == 302
    review_url = prepared["Location"]
    assert client.get(review_url).status_code == 200

    GlassBreak.objects.filter(enquiry=enquiry, user=dpo).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    before = _last()
    for answer in (
        client.get(review_url),
        client.post(review_url, {"action": "accept_all"}),
        client.post(f"{review_url}/export"),
    ):
        body = answer.content.decode()
        assert answer.status_code == 403
        assert "This enquiry is restricted" in body
        assert RESTRICTED not in body and person.first_name not in body
    actions = _actions_since(before)
    assert "export.downloaded" not in actions and "sar.redactions_decided" not in actions
    assert "person.viewed" not in actions
    with pytest.raises(sar.RestrictedRecords, match=enquiry.reference):
        sar.export(actor=dpo, people=[person], via="page")

    client.post(
        reverse("enquiries:break-glass", kwargs={"enquiry_id": enquiry.pk}),
        {"reason": REASON, "next": review_url},
    )
    assert client.get(review_url).status_code == 200


def test_a_review_cannot_be_prepared_of_a_restricted_record(world: World) -> None:
    from django.core.exceptions import ValidationError

    from mash.retention import services
    from mash.retention.models import SubjectAccessReview

    world.prepare()
    person = _restricted(world).people.get()
    with pytest.raises(sar.RestrictedRecords):
        services.prepare_subject_access_review(actor=world.user("hub", "D"), people=[person])
    with pytest.raises(PermissionDenied):
        services.prepare_subject_access_review(actor=world.user("hub", "M"), people=[person])
    with pytest.raises(ValidationError):
        services.prepare_subject_access_review(actor=world.user("hub", "D"), people=[])
    assert not SubjectAccessReview.objects.filter(people=[str(person.pk)]).exists()


def test_the_break_glass_link_from_the_results_comes_back_to_them(world: World) -> None:
    world.prepare()
    enquiry = _restricted(world)
    url = reverse("enquiries:break-glass", kwargs={"enquiry_id": enquiry.pk})
    page = _dpo(world).get(f"{url}?next={reverse('retention:sar-results')}")
    assert page.status_code == 200
    assert f'name="next" value="{reverse("retention:sar-results")}"' in page.content.decode()
    assert RESTRICTED not in page.content.decode()


def test_the_command_line_export_refuses_a_restricted_record(world: World, tmp_path: Any) -> None:
    world.prepare()
    person = _restricted(world).people.get()
    dpo = world.user("hub", "D")
    with pytest.raises(CommandError, match="restricted enquiry"):
        call_command("sar", str(person.pk), "--out", str(tmp_path / "x.zip"), "--by", dpo.username)
    assert not (tmp_path / "x.zip").exists()


def test_an_item_of_a_restricted_enquiry_meets_the_restricted_page(world: World) -> None:
    world.prepare()
    enquiry = _restricted(world)
    decision = world._share(
        world._ask(enquiry, "health"),
        world.user("health", "P"),
        "MARKER-RESTRICTED-ITEM health's item",
        "The child is at risk of significant harm.",
    )
    item = decision.items.get()
    for name in ("retention:item", "retention:item-correct"):
        page = _dpo(world).get(reverse(name, kwargs={"item_id": item.pk}))
        body = page.content.decode()
        assert page.status_code == 403, name
        assert "This enquiry is restricted" in body
        assert "MARKER-RESTRICTED-ITEM" not in body and RESTRICTED not in body


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("x", "The reason must be at least 10 characters"),
        ("  ok  ", "The reason must be at least 10 characters"),
        ("xxxxxxxxxxxxxxxx", "not one word or letter repeated"),
        ("test test test test", "not one word or letter repeated"),
        ("safeguarding", "not one word or letter repeated"),
        ("!!!!!!!!!!!! ????", "not one word or letter repeated"),
    ],
)
def test_a_reason_that_says_nothing_does_not_break_the_glass(
    world: World, reason: str, message: str
) -> None:
    world.prepare()
    enquiry = _restricted(world)
    before = GlassBreak.objects.count()
    page = _dpo(world).post(
        reverse("enquiries:break-glass", kwargs={"enquiry_id": enquiry.pk}), {"reason": reason}
    )
    body = page.content.decode()
    assert page.status_code == 400
    assert message in body
    assert "govuk-error-summary" in body and "govuk-error-message" in body
    assert GlassBreak.objects.count() == before
