"""The hub's data protection officer closes a challenge with the decision that the item
stands, giving the reason: the challenge is kept, and the item is then shown as
"challenged; the item stands" with the reason wherever it appeared as disputed."""

from __future__ import annotations

from typing import Any

import pytest

from mash.records.models import RecordEntry
from mash.retention.models import Dispute
from mash.sharing.models import DisclosureItem
from tests.retention.test_rectification import _challenge

REASON = "Health's records officer checked the attendance log: the child attended."


def _stands_url(item: DisclosureItem, dispute: Dispute) -> str:
    return f"/retention/items/{item.pk}/challenges/{dispute.pk}/stands"


def _pages(client_for: Any, item: DisclosureItem) -> list[str]:
    decision_page = client_for("health_practitioner").get(f"/requests/decisions/{item.decision.pk}")
    enquiry_page = client_for("hub_practitioner").get(
        f"/enquiries/{item.decision.request.enquiry.pk}/"
    )
    item_page = client_for("dpo").get(f"/retention/items/{item.pk}")
    pages = [decision_page, enquiry_page, item_page]
    assert [p.status_code for p in pages] == [200, 200, 200]
    return [p.content.decode() for p in pages]


def test_the_dpo_closes_a_challenge_as_the_item_stands_with_a_reason(
    client_for: Any, item: DisclosureItem
) -> None:
    dpo = client_for("dpo")
    _challenge(dpo, item)
    dispute = Dispute.objects.get()
    assert _stands_url(item, dispute) in dpo.get(f"/retention/items/{item.pk}").content.decode()

    form = dpo.get(_stands_url(item, dispute))
    assert form.status_code == 200
    response = dpo.post(_stands_url(item, dispute), {"reason": REASON})

    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == "stands"
    assert dispute.resolution == REASON
    assert dispute.resolved_at is not None and dispute.resolved_by is not None
    entry = RecordEntry.objects.get(action="disclosure.dispute_resolved")
    assert entry.object_id == str(item.pk)
    assert entry.details == {"dispute": str(dispute.pk), "outcome": "stands"}
    assert entry.enquiry_id == item.decision.request.enquiry_id
    for html in _pages(client_for, item):
        assert "Challenged; the item stands" in html
        assert "attendance log" in html
        assert ">Disputed<" not in html


def test_a_new_challenge_after_one_that_stands_shows_as_disputed_again(
    client_for: Any, item: DisclosureItem
) -> None:
    dpo = client_for("dpo")
    _challenge(dpo, item)
    dpo.post(_stands_url(item, Dispute.objects.get()), {"reason": REASON})
    _challenge(dpo, item, statement="It still was not me.")

    for html in _pages(client_for, item):
        assert ">Disputed<" in html
        assert "Challenged; the item stands" in html


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Enter why the item stands"),
        ("   ", "Enter why the item stands"),
        ("x" * 2001, "The reason must be 2000 characters or fewer"),
    ],
)
def test_a_reason_is_required_and_nothing_is_saved_without_one(
    client_for: Any, item: DisclosureItem, reason: str, message: str
) -> None:
    dpo = client_for("dpo")
    _challenge(dpo, item)
    dispute = Dispute.objects.get()

    response = dpo.post(_stands_url(item, dispute), {"reason": reason})

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'href="#id_reason"' in html
    dispute.refresh_from_db()
    assert dispute.status == "open" and dispute.resolution == ""
    assert not RecordEntry.objects.filter(action="disclosure.dispute_resolved").exists()


def test_a_closed_challenge_cannot_be_closed_again(client_for: Any, item: DisclosureItem) -> None:
    dpo = client_for("dpo")
    _challenge(dpo, item)
    dispute = Dispute.objects.get()
    dpo.post(_stands_url(item, dispute), {"reason": REASON})

    again = dpo.post(_stands_url(item, dispute), {"reason": "A second reason"}, follow=True)

    assert "This challenge has already been closed" in again.content.decode()
    dispute.refresh_from_db()
    assert dispute.resolution == REASON
    assert RecordEntry.objects.filter(action="disclosure.dispute_resolved").count() == 1


@pytest.mark.parametrize("who", ["hub_practitioner", "health_practitioner", "police_manager"])
def test_only_the_hubs_dpo_closes_a_challenge(
    client_for: Any, item: DisclosureItem, who: str
) -> None:
    _challenge(client_for("dpo"), item)
    dispute = Dispute.objects.get()

    response = client_for(who).post(_stands_url(item, dispute), {"reason": REASON})

    assert response.status_code == 403
    dispute.refresh_from_db()
    assert dispute.status == "open"
