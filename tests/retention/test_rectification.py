"""A person's challenge to the accuracy of a disclosure item is recorded against it;
the item shows as disputed wherever it is shown; a correction is a new version and the
item as shared is kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mash.records.models import RecordEntry
from mash.retention.models import Dispute, ItemCorrection
from mash.sharing.models import DisclosureItem


def _challenge(client: Any, item: DisclosureItem, **changes: Any) -> Any:
    person = item.people.get()
    today = dt.date.today()
    data = {
        "person": str(person.pk),
        "statement": "I did not attend A&E that week; it was my cousin.",
        "received_on_day": today.day,
        "received_on_month": today.month,
        "received_on_year": today.year,
        **changes,
    }
    return client.post(f"/retention/items/{item.pk}", data)


def test_a_challenge_is_recorded_and_the_item_shows_as_disputed_wherever_shown(
    client_for: Any, item: DisclosureItem
) -> None:
    dpo = client_for("dpo")
    assert _challenge(dpo, item).status_code == 302

    dispute = Dispute.objects.get()
    assert dispute.item == item and dispute.status == "open"
    assert dispute.statement.startswith("I did not attend")
    entry = RecordEntry.objects.get(action="disclosure.disputed")
    assert entry.object_id == str(item.pk) and "cousin" not in repr(entry.details)

    decision_page = client_for("health_practitioner").get(f"/requests/decisions/{item.decision.pk}")
    enquiry_page = client_for("hub_practitioner").get(
        f"/enquiries/{item.decision.request.enquiry.pk}/"
    )
    for page in (decision_page, enquiry_page):
        assert page.status_code == 200
        assert "Disputed" in page.content.decode()


def test_a_correction_is_a_new_version_and_the_item_as_shared_is_kept(
    client_for: Any, item: DisclosureItem
) -> None:
    dpo = client_for("dpo")
    _challenge(dpo, item)
    shared = item.text
    response = dpo.post(
        f"/retention/items/{item.pk}/correct",
        {
            "text": "Attended A&E with a bruised arm (a cousin, not the child).",
            "reason": "Health's records officer checked the attendance.",
        },
    )
    assert response.status_code == 302
    response = dpo.post(
        f"/retention/items/{item.pk}/correct",
        {"text": "Did not attend A&E.", "reason": "Second check."},
    )

    item.refresh_from_db()
    assert item.text == shared  # never changed
    corrections = ItemCorrection.objects.order_by("version")
    assert [(c.version, c.text) for c in corrections] == [
        (1, "Attended A&E with a bruised arm (a cousin, not the child)."),
        (2, "Did not attend A&E."),
    ]
    assert Dispute.objects.get().status == "corrected"
    page = client_for("health_practitioner").get(f"/requests/decisions/{item.decision.pk}")
    html = page.content.decode()
    assert (
        shared.replace("&", "&amp;") in html
        and "Did not attend A&amp;E." in html
        and "Earlier correction" in html
    )
    assert "Disputed" not in html
    assert RecordEntry.objects.filter(action="disclosure.corrected").count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"statement": ""}, "id_statement", "Enter what the person says is wrong"),
        ({"person": "not-a-person"}, "person", "Select the person who challenges the item"),
        ({"received_on_year": "2999"}, "received_on_day", "must be today or in the past"),
        (
            {"received_on_day": "31", "received_on_month": "2"},
            "received_on_day",
            "must be a real date",
        ),
    ],
)
def test_a_bad_challenge_is_refused_naming_the_field(
    client_for: Any, item: DisclosureItem, changes: dict[str, str], field: str, message: str
) -> None:
    response = _challenge(client_for("dpo"), item, **changes)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'href="#{field}"' in html and message in html
    assert not Dispute.objects.exists()


@pytest.mark.parametrize("who", ["hub_practitioner", "health_practitioner", "police_manager"])
def test_only_the_hubs_dpo_records_challenges_and_corrections(
    client_for: Any, item: DisclosureItem, who: str
) -> None:
    client = client_for(who)
    assert _challenge(client, item).status_code == 403
    assert (
        client.post(f"/retention/items/{item.pk}/correct", {"text": "x", "reason": "y"}).status_code
        == 403
    )
    assert not Dispute.objects.exists() and not ItemCorrection.objects.exists()
