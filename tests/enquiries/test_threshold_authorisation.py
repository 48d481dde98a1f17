"""A manager authorises the threshold decision (the enquiry closes only then) or sends
it back with a reason; four eyes: not the person who decided. Each step recorded."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mash.enquiries import threshold
from mash.enquiries.models import Enquiry, ThresholdDecision
from mash.enquiries.services import EnquiryError
from mash.records.models import RecordEntry


def decide(enquiry: Enquiry, actor: Any, outcomes: list[str] | None = None) -> ThresholdDecision:
    level = threshold.levels_for(enquiry.hub_id)[1]
    return threshold.record_threshold_decision(
        enquiry=enquiry,
        actor=actor,
        level_id=str(level.pk),
        outcomes=outcomes or ["early_help", "advice_and_information"],
        referral_service="",
        rationale="Family agree to early help; school to support.",
    )


def actions(enquiry: Enquiry) -> list[str]:
    return list(
        RecordEntry.objects.filter(enquiry_id=enquiry.pk, action__startswith="threshold.")
        .exclude(action="threshold.viewed")
        .order_by("sequence" if hasattr(RecordEntry, "sequence") else "pk")
        .values_list("action", flat=True)
    )


def test_a_manager_sends_it_back_then_authorises_the_next_and_the_enquiry_closes(
    client_for: Any, cast: dict[str, Any], enquiry: Enquiry
) -> None:
    first = decide(enquiry, cast["hub_practitioner"])
    harriet = client_for("hub_manager")
    url = f"/enquiries/{enquiry.pk}/threshold/{first.pk}"
    page = harriet.get(url).content.decode()
    assert "Authorise the threshold decision" in page and "Level 2: Early help" in page
    missing = harriet.post(url, {"verdict": "send_back"})
    assert missing.status_code == 400
    assert "Enter why you are sending the decision back" in missing.content.decode()
    back = harriet.post(url, {"verdict": "send_back", "reason": "Say what the school offers."})
    assert back.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == "open"

    hana = client_for("hub_practitioner")
    detail = hana.get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert "Threshold decision sent back" in detail and "Say what the school offers." in detail
    form = hana.get(f"/enquiries/{enquiry.pk}/close").content.decode()
    assert "sent the last decision back" in form
    assert "Family agree to early help" in form  # the returned decision, to correct
    second = decide(enquiry, cast["hub_practitioner"])
    done = harriet.post(f"/enquiries/{enquiry.pk}/threshold/{second.pk}", {"verdict": "authorise"})
    assert done.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == "closed" and enquiry.closed_by == cast["hub_manager"]
    page = harriet.get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert "Outcome: Advice and information; Early help." in page
    assert first.__class__.objects.get(pk=first.pk).status == "returned"  # kept as it was
    assert sorted(actions(enquiry)) == sorted(
        ["threshold.recorded", "threshold.returned", "threshold.recorded", "threshold.authorised"]
    )
    assert RecordEntry.objects.filter(enquiry_id=enquiry.pk, action="enquiry.closed").exists()


def test_the_rationale_is_not_in_the_record_details(cast: dict[str, Any], enquiry: Enquiry) -> None:
    decide(enquiry, cast["hub_practitioner"])
    entry = RecordEntry.objects.get(enquiry_id=enquiry.pk, action="threshold.recorded")
    assert "early help; school" not in str(entry.details).lower()
    assert entry.details == {"level": 2, "outcomes": ["advice_and_information", "early_help"]}


def test_nobody_authorises_their_own_decision(cast: dict[str, Any], enquiry: Enquiry) -> None:
    decision = decide(enquiry, cast["hub_manager"])
    with pytest.raises(PermissionDenied):
        threshold.authorise_threshold_decision(decision=decision, actor=cast["hub_manager"])


@pytest.mark.parametrize("who", ["hub_practitioner", "dpo", "police_manager"])
def test_only_a_hub_manager_authorises(cast: dict[str, Any], enquiry: Enquiry, who: str) -> None:
    decision = decide(enquiry, cast["hub_manager"])
    with pytest.raises(PermissionDenied):
        threshold.authorise_threshold_decision(decision=decision, actor=cast[who])
    enquiry.refresh_from_db()
    assert enquiry.status == "open"


def test_the_review_page_is_refused_to_those_who_may_not_review(
    client_for: Any, cast: dict[str, Any], enquiry: Enquiry
) -> None:
    decision = decide(enquiry, cast["hub_practitioner"])
    url = f"/enquiries/{enquiry.pk}/threshold/{decision.pk}"
    assert client_for("hub_practitioner").post(url, {"verdict": "authorise"}).status_code == 403
    assert client_for("police_manager").get(url).status_code == 404
    assert "Authorise the threshold decision" not in (client_for("dpo").get(url).content.decode())


def test_a_second_decision_waits_for_the_first_to_be_reviewed(
    cast: dict[str, Any], enquiry: Enquiry
) -> None:
    decide(enquiry, cast["hub_practitioner"])
    with pytest.raises(EnquiryError, match="already waiting"):
        decide(enquiry, cast["hub_practitioner"])


def test_a_level_from_another_hub_is_refused(
    cast: dict[str, Any], enquiry: Enquiry, agencies: dict[str, Any]
) -> None:
    from mash.agencies.models import Agency

    other = Agency.objects.create(
        code="x-hub", name="Other hub", kind="childrens_social_care", is_hub=True
    )
    foreign = threshold.levels_for(other)[0]
    with pytest.raises(ValidationError) as error:
        threshold.record_threshold_decision(
            enquiry=enquiry,
            actor=cast["hub_practitioner"],
            level_id=str(foreign.pk),
            outcomes=["early_help"],
            referral_service="",
            rationale="x",
        )
    assert "level" in error.value.message_dict


def test_the_hub_gets_a_four_level_continuum_it_can_change(agencies: dict[str, Any]) -> None:
    levels = threshold.levels_for(agencies["hub"])
    assert [lv.position for lv in levels] == [1, 2, 3, 4]
    levels[0].active = False
    levels[0].save()
    assert [lv.position for lv in threshold.levels_for(agencies["hub"])] == [2, 3, 4]
