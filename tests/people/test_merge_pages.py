"""Merging and unmerging from a person's page (issue 14): a hub practitioner chooses
someone who may be the same person, sees both side by side, merges; the merge history
undoes it. CSRF, 404 for partners and the DPO, and every step recorded."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mash.people.models import IndexedPerson, Merge, PersonLink
from mash.records.models import RecordEntry

from .conftest import child, enquiry_about

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(cast: Any) -> tuple[Any, Any]:
    hana = cast["hub_practitioner"]
    first = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=90)
    # An estimated age: never certain, so a second indexed person.
    second = enquiry_about(hana, child("Olivia", "Hughes", None, estimated_age=11))
    a = PersonLink.objects.get(person__enquiry=first).indexed_person
    b = PersonLink.objects.get(person__enquiry=second).indexed_person
    assert a.pk != b.pk
    return a, b


def test_merge_chooses_confirms_showing_both_and_merges(client_for: Any, two: Any) -> None:
    a, b = two
    client: Client = client_for("hub_practitioner")
    url = reverse("people:merge", kwargs={"indexed_person_id": a.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert f'value="{b.pk}"' in page.content.decode()
    confirm = client.post(url, {"other": str(b.pk)})
    body = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Are they the same person?" in body and body.count("Olivia Hughes") >= 2
    assert not Merge.objects.exists()
    done = client.post(url, {"other": str(b.pk), "confirm": "yes"})
    assert done.status_code == 302
    assert IndexedPerson.objects.get(pk=b.pk).merged_into_id == a.pk
    assert RecordEntry.objects.filter(action="people.merged").count() == 1
    assert RecordEntry.objects.filter(action="person.viewed", object_id=str(a.pk)).count() == 2


def test_a_merge_with_nobody_or_oneself_is_refused_naming_the_field(
    client_for: Any, two: Any
) -> None:
    a, _ = two
    url = reverse("people:merge", kwargs={"indexed_person_id": a.pk})
    for other in ("", "not-an-id", str(a.pk)):
        response = client_for("hub_practitioner").post(url, {"other": other, "confirm": "yes"})
        assert response.status_code == 400
        assert "Select the person to merge with" in response.content.decode()
    assert not Merge.objects.exists()


def test_the_merge_history_undoes_a_merge(client_for: Any, two: Any, cast: Any) -> None:
    from mash.people import services

    a, b = two
    merge = services.merge(kept=a, merged=b, actor=cast["hub_practitioner"])
    client = client_for("hub_practitioner")
    history = client.get(reverse("people:merges", kwargs={"indexed_person_id": a.pk}))
    assert history.status_code == 200
    body = history.content.decode()
    assert reverse("people:unmerge", kwargs={"merge_id": merge.pk}) in body
    # The person merged is described by the records the merge moved, not "Not known".
    second = PersonLink.objects.get(pk=merge.moved_links[0]).person.enquiry.reference
    assert f"1 record: {second}" in body
    assert 'Unmerge<span class="govuk-visually-hidden"> Olivia Hughes</span>' in body
    undone = client.post(reverse("people:unmerge", kwargs={"merge_id": merge.pk}))
    assert undone.status_code == 302
    assert IndexedPerson.objects.get(pk=b.pk).merged_into_id is None
    assert RecordEntry.objects.filter(action="people.unmerged").count() == 1
    again = client.post(reverse("people:unmerge", kwargs={"merge_id": merge.pk}), follow=True)
    assert "already been undone" in again.content.decode()


def test_unmerge_and_merge_need_the_csrf_token(cast: Any, two: Any) -> None:
    from mash.people import services

    a, b = two
    merge = services.merge(kept=a, merged=b, actor=cast["hub_practitioner"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["hub_practitioner"])
    assert client.post(reverse("people:unmerge", kwargs={"merge_id": merge.pk})).status_code == 403
    url = reverse("people:merge", kwargs={"indexed_person_id": a.pk})
    assert client.post(url, {"other": str(b.pk), "confirm": "yes"}).status_code == 403
    assert Merge.objects.get().undone_at is None


@pytest.mark.parametrize("who", ["police_practitioner", "dpo"])
def test_partners_and_the_dpo_get_404(client_for: Any, two: Any, cast: Any, who: str) -> None:
    from mash.people import services

    a, b = two
    merge = services.merge(kept=a, merged=b, actor=cast["hub_practitioner"])
    client = client_for(who)
    assert (
        client.get(reverse("people:merge", kwargs={"indexed_person_id": a.pk})).status_code == 404
    )
    assert (
        client.get(reverse("people:merges", kwargs={"indexed_person_id": a.pk})).status_code == 404
    )
    assert client.post(reverse("people:unmerge", kwargs={"merge_id": merge.pk})).status_code == 404
    assert Merge.objects.get().undone_at is None


def test_the_chronology_links_to_merging_for_hub_workers(client_for: Any, two: Any) -> None:
    a, _ = two
    body = (
        client_for("hub_practitioner")
        .get(reverse("people:chronology", kwargs={"indexed_person_id": a.pk}))
        .content.decode()
    )
    assert reverse("people:merge", kwargs={"indexed_person_id": a.pk}) in body


@pytest.fixture
def twins(cast: Any) -> tuple[Any, Any]:
    """Twins recorded in one enquiry: two indexed people who share an enquiry."""
    hana = cast["hub_practitioner"]
    enquiry = enquiry_about(hana, child("Olivia", "Hughes"), child("Amelia", "Hughes"))
    a, b = (
        link.indexed_person
        for link in PersonLink.objects.filter(person__enquiry=enquiry).order_by(
            "person__created_at"
        )
    )
    assert a.pk != b.pk
    return a, b


def test_two_people_of_one_enquiry_are_never_merged_by_the_service(twins: Any, cast: Any) -> None:
    from mash.people import services

    a, b = twins
    with pytest.raises(services.IndexError_, match="recorded in the same enquiry"):
        services.merge(kept=a, merged=b, actor=cast["hub_practitioner"])
    assert not Merge.objects.exists()
    assert not RecordEntry.objects.filter(action="people.merged").exists()
    assert IndexedPerson.objects.get(pk=b.pk).merged_into_id is None


def test_nor_through_a_merge_before(twins: Any, cast: Any) -> None:
    """Someone merged into one twin earlier brings that twin's enquiry with them."""
    from mash.people import services

    a, b = twins
    hana = cast["hub_practitioner"]
    later = enquiry_about(hana, child("Livvy", "Hughes", None, estimated_age=11))
    c = PersonLink.objects.get(person__enquiry=later).indexed_person
    services.merge(kept=c, merged=a, actor=hana)
    with pytest.raises(services.IndexError_, match="recorded in the same enquiry"):
        services.merge(kept=b, merged=c, actor=hana)
    assert Merge.objects.count() == 1


def test_the_merge_page_refuses_two_people_of_one_enquiry(client_for: Any, twins: Any) -> None:
    a, b = twins
    reference = PersonLink.objects.filter(indexed_person=a).get().person.enquiry.reference
    url = reverse("people:merge", kwargs={"indexed_person_id": a.pk})
    client = client_for("hub_practitioner")
    # Not offered as a choice, refused when chosen, and refused when confirmed.
    assert f'value="{b.pk}"' not in client.get(url).content.decode()
    for data in ({"other": str(b.pk)}, {"other": str(b.pk), "confirm": "yes"}):
        response = client.post(url, data)
        body = response.content.decode()
        assert response.status_code == 400
        assert "Are they the same person?" not in body
        assert "recorded in the same enquiry" in body and reference in body
    assert not Merge.objects.exists()
    assert not RecordEntry.objects.filter(action="people.merged").exists()
    assert IndexedPerson.objects.get(pk=b.pk).merged_into_id is None
    assert set(PersonLink.objects.values_list("indexed_person_id", flat=True)) == {a.pk, b.pk}
