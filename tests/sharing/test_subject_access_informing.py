"""Subject access (UK GDPR Article 15) carries what issue 12 added to a decision: whether
the person was told of a share without their consent (their own answer, never another
person's), the adequacy confirmation, and an item's third-party flag with its
consideration; the free text is read for third parties' names like other text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mash.retention import sar
from mash.sharing.models import Decision, DisclosureItem

from .pages import date_boxes, decision_url, share_form
from .test_inform_each_person import _case, _in_days


def test_each_person_s_export_has_their_own_telling_answer_only(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, mother, police = _case(cast, agencies, client_for)
    m = f"person-{mother.pk}-"
    reason = f"Telling her would warn {child.first_name} {child.last_name}'s father"
    form = share_form(
        child,
        informed="will_tell",
        not_informed_ground=None,
        not_informed_reason=None,
        **date_boxes("tell_by", _in_days(7)),
        **{
            m + "informed": "not_told",
            m + "not_informed_ground": "crime",
            m + "not_informed_reason": reason,
            "item-1-third_party": "yes",
            "item-1-third_party_consideration": f"Names {mother.first_name} {mother.last_name}",
        },
    )
    assert police.post(decision_url(req), form).status_code == 302
    decision = Decision.objects.get()

    [for_child] = sar.bundle([child])["decisions"]
    assert for_child["adequacy_confirmed"] is True
    [told] = for_child["informing"]
    assert told["person_id"] == str(child.pk) and told["answer"] == "will_tell"
    assert told["tell_by"] == (timezone.localdate() + dt.timedelta(days=7)).isoformat()

    data = sar.bundle([mother])
    [for_mother] = data["decisions"]
    [not_told] = for_mother["informing"]
    assert not_told["answer"] == "not_told" and not_told["ground"] == "crime"
    assert not_told["reason"] == reason
    # The child is a third party in the mother's export: named in the reason, proposed.
    proposals = [
        p
        for p in sar.proposals(data, [mother])
        if p.section == "decisions" and p.field.startswith("informing.")
    ]
    assert proposals and {p.field_label for p in proposals} == {"Why they were not told"}
    assert all(p.object_id == str(decision.pk) for p in proposals)

    child_data = sar.bundle([child])
    [item] = child_data["disclosures"]
    assert item["id"] == str(DisclosureItem.objects.get().pk)
    assert item["third_party"] is True
    assert item["third_party_consideration"] == f"Names {mother.first_name} {mother.last_name}"
    # The mother is a third party in the child's export: her name there is proposed.
    assert any(
        p.section == "disclosures" and p.field == "third_party_consideration"
        for p in sar.proposals(child_data, [child])
    )
