"""A hold's reason is encrypted at rest: under the held enquiry's data key (a hold on a
person names the person's enquiry), or, for a hold on a whole hub (no enquiry), under a
data key of the hold's own. Reasons written in clear before are sealed in place by the
migration (and opened again when it is reversed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.utils import timezone

from mash.keys.crypto import sealed_enquiry
from mash.keys.fields import Ciphertext
from mash.keys.migration import encrypt_fields
from mash.retention import services
from mash.retention.models import Hold
from tests.keys.helpers import open_enquiry


def _raw(hold: Hold) -> str:
    return Hold.objects.filter(pk=hold.pk).values_list("reason", flat=True).get()


def _holds(cast: dict[str, Any], agencies: dict[str, Any]) -> dict[str, Hold]:
    enquiry = open_enquiry(cast["hub_practitioner"], concern="held")
    review = timezone.localdate() + dt.timedelta(days=30)
    dpo = cast["dpo"]
    return {
        "hub": services.place_hold(
            actor=dpo,
            scope="hub",
            reason="HUB-Inquiry into the county",
            review_on=review,
            hub=agencies["hub"],
        ),
        "enquiry": services.place_hold(
            actor=dpo,
            scope="enquiry",
            reason="ENQ-Claim by the family",
            review_on=review,
            enquiry=enquiry,
        ),
        "person": services.place_hold(
            actor=dpo,
            scope="person",
            reason="PER-Police investigation",
            review_on=review,
            person=enquiry.people.first(),
        ),
    }


def test_each_reason_is_sealed_under_the_enquirys_key_or_the_holds_own(
    cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    holds = _holds(cast, agencies)

    for hold in holds.values():
        raw = _raw(hold)
        assert raw.startswith("mash:1:")
        assert hold.reason not in raw
    assert sealed_enquiry(_raw(holds["hub"])) == holds["hub"].pk
    assert sealed_enquiry(_raw(holds["enquiry"])) == holds["enquiry"].enquiry_id
    assert sealed_enquiry(_raw(holds["person"])) == holds["person"].enquiry_id
    assert {h.reason for h in Hold.objects.all()} == {
        "HUB-Inquiry into the county",
        "ENQ-Claim by the family",
        "PER-Police investigation",
    }


def test_reasons_held_in_clear_before_are_sealed_in_place_and_back(
    cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    holds = _holds(cast, agencies)
    for hold in holds.values():  # as the release before this one left them
        Hold.objects.filter(pk=hold.pk).update(reason=Ciphertext(f"LEGACY {hold.scope}"))

    operation = encrypt_fields("retention.Hold", ["reason"], "enquiry_id|pk")
    operation.code(apps, None)

    for hold in holds.values():
        raw = _raw(hold)
        assert raw.startswith("mash:1:") and "LEGACY" not in raw
        assert Hold.objects.get(pk=hold.pk).reason == f"LEGACY {hold.scope}"
    assert sealed_enquiry(_raw(holds["hub"])) == holds["hub"].pk
    sealed = {pk: _raw(h) for pk, h in holds.items()}
    operation.code(apps, None)  # again: already sealed, left alone
    assert {pk: _raw(h) for pk, h in holds.items()} == sealed

    operation.reverse_code(apps, None)
    assert {_raw(h) for h in holds.values()} == {"LEGACY hub", "LEGACY enquiry", "LEGACY person"}
