"""Allocation: take from the team queue, assign, reassign; each recorded in the same
transaction, each refused to whoever may not (default deny)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from faker import Faker

from mash.enquiries import allocation
from mash.enquiries.models import Enquiry
from mash.enquiries.services import EnquiryError
from mash.records.models import RecordEntry

from .conftest import open_enquiry


def entries(enquiry: Enquiry, action: str) -> list[Any]:
    return list(RecordEntry.objects.filter(enquiry_id=enquiry.pk, action=action))


def test_a_practitioner_takes_an_enquiry_from_the_queue_and_it_is_recorded(
    cast: dict[str, Any], enquiry: Enquiry
) -> None:
    hana = cast["hub_practitioner"]
    allocation.take_enquiry(enquiry=enquiry, actor=hana)
    enquiry.refresh_from_db()
    assert enquiry.owner == hana
    [entry] = entries(enquiry, "enquiry.taken")
    assert entry.actor_user_id == hana.pk
    assert entry.details == {"owner": str(hana.pk), "previous_owner": None}


def test_an_owned_enquiry_cannot_be_taken_by_a_colleague(
    cast: dict[str, Any], enquiry: Enquiry
) -> None:
    allocation.take_enquiry(enquiry=enquiry, actor=cast["hub_practitioner"])
    with pytest.raises(EnquiryError, match="already owned by Hana Tester"):
        allocation.take_enquiry(enquiry=enquiry, actor=cast["hub_manager"])
    assert len(entries(enquiry, "enquiry.taken")) == 1


def test_a_manager_assigns_and_reassigns_and_each_is_recorded(
    cast: dict[str, Any], enquiry: Enquiry
) -> None:
    hana, harriet = cast["hub_practitioner"], cast["hub_manager"]
    allocation.assign_enquiry(enquiry=enquiry, actor=harriet, owner=hana)
    assert Enquiry.objects.get(pk=enquiry.pk).owner == hana
    allocation.reassign_enquiry(enquiry=enquiry, actor=harriet, owner=harriet)
    assert Enquiry.objects.get(pk=enquiry.pk).owner == harriet
    [moved] = entries(enquiry, "enquiry.reassigned")
    assert moved.details == {"owner": str(harriet.pk), "previous_owner": str(hana.pk)}
    assert len(entries(enquiry, "enquiry.assigned")) == 1


def test_the_owner_hands_their_enquiry_back_to_the_queue(
    cast: dict[str, Any], enquiry: Enquiry
) -> None:
    hana = cast["hub_practitioner"]
    allocation.take_enquiry(enquiry=enquiry, actor=hana)
    allocation.reassign_enquiry(enquiry=enquiry, actor=hana, owner=None)
    assert Enquiry.objects.get(pk=enquiry.pk).owner is None
    assert entries(enquiry, "enquiry.reassigned")[0].details["owner"] is None


@pytest.mark.parametrize("who", ["dpo", "police_practitioner", "outsider"])
def test_nobody_outside_the_hub_s_workers_may_be_given_an_enquiry(
    cast: dict[str, Any], enquiry: Enquiry, who: str
) -> None:
    with pytest.raises(ValidationError) as error:
        allocation.assign_enquiry(enquiry=enquiry, actor=cast["hub_manager"], owner=cast[who])
    assert "owner" in error.value.message_dict
    assert Enquiry.objects.get(pk=enquiry.pk).owner is None
    assert entries(enquiry, "enquiry.assigned") == []


@pytest.mark.parametrize("who", ["hub_practitioner", "dpo", "police_manager"])
def test_only_a_manager_or_the_owner_may_assign(
    cast: dict[str, Any], enquiry: Enquiry, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        allocation.assign_enquiry(enquiry=enquiry, actor=cast[who], owner=cast["hub_manager"])


@pytest.mark.parametrize("who", ["dpo", "police_practitioner"])
def test_only_the_hub_s_workers_may_take(cast: dict[str, Any], enquiry: Enquiry, who: str) -> None:
    with pytest.raises(PermissionDenied):
        allocation.take_enquiry(enquiry=enquiry, actor=cast[who])


def test_a_draft_is_not_allocated(cast: dict[str, Any], draft: Enquiry) -> None:
    with pytest.raises(EnquiryError, match="Submit"):
        allocation.take_enquiry(enquiry=draft, actor=cast["hub_practitioner"])


def test_the_enquiry_page_offers_take_and_then_says_who_owns_it(
    client_for: Any, enquiry: Enquiry
) -> None:
    hana = client_for("hub_practitioner")
    page = hana.get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert "waiting in the hub's team queue" in page and "Take this enquiry" in page
    response = hana.post(f"/enquiries/{enquiry.pk}/take")
    assert response.status_code == 302
    page = hana.get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert f"You own enquiry {enquiry.reference} now" in page
    assert "You own this enquiry." in page and "Take this enquiry" not in page
    other = client_for("hub_manager").get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert "Hana Tester owns this enquiry." in other and "Reassign" in other


def test_a_manager_assigns_through_the_form_and_a_bad_choice_names_the_field(
    client_for: Any, cast: dict[str, Any], enquiry: Enquiry
) -> None:
    harriet = client_for("hub_manager")
    form = harriet.get(f"/enquiries/{enquiry.pk}/allocate").content.decode()
    assert "Who should own this enquiry?" in form and "Hana Tester, Practitioner" in form
    assert "Dara" not in form  # the DPO does not own casework
    bad = harriet.post(f"/enquiries/{enquiry.pk}/allocate", {"owner": str(cast["dpo"].pk)})
    assert bad.status_code == 400
    assert "Select who owns the enquiry" in bad.content.decode()
    assert Enquiry.objects.get(pk=enquiry.pk).owner is None
    empty = harriet.post(f"/enquiries/{enquiry.pk}/allocate", {})
    assert empty.status_code == 400
    done = harriet.post(
        f"/enquiries/{enquiry.pk}/allocate", {"owner": str(cast["hub_practitioner"].pk)}
    )
    assert done.status_code == 302
    assert Enquiry.objects.get(pk=enquiry.pk).owner == cast["hub_practitioner"]
    again = harriet.get(f"/enquiries/{enquiry.pk}/allocate").content.decode()
    assert "Who should own this enquiry now?" in again
    assert "Nobody: put it back in the team queue" in again
    assert "Hana Tester, Practitioner" not in again  # not the current owner again
    back = harriet.post(f"/enquiries/{enquiry.pk}/allocate", {"owner": "queue"})
    assert back.status_code == 302
    assert Enquiry.objects.get(pk=enquiry.pk).owner is None


def test_a_practitioner_cannot_open_the_assign_form_of_an_enquiry_they_do_not_own(
    client_for: Any, enquiry: Enquiry
) -> None:
    assert (
        client_for("hub_practitioner").get(f"/enquiries/{enquiry.pk}/allocate").status_code == 403
    )
    assert client_for("police_manager").get(f"/enquiries/{enquiry.pk}/allocate").status_code == 404


def test_submitting_stamps_the_hub_s_own_deadline_and_rerating_moves_it(
    cast: dict[str, Any], fake: Faker
) -> None:
    from mash.enquiries import services
    from mash.timeliness.config import hub_clock

    hana = cast["hub_practitioner"]
    enquiry = open_enquiry(hana, fake, rag="amber")
    hc = hub_clock(enquiry.hub_id)
    assert enquiry.hub_due_at == hc.deadline(enquiry.received_at, "amber")
    services.update_urgency(enquiry=enquiry, actor=hana, rag="red", rationale="Disclosure made.")
    enquiry.refresh_from_db()
    assert enquiry.hub_due_at == hc.deadline(enquiry.received_at, "red")
