"""The hub's threshold decisions about the child (level of need, outcomes, the rationale,
a manager's reason for sending one back) are the person's information too: they are in
the subject access export, and a third party named in them is proposed for redaction."""

from __future__ import annotations

from typing import Any

from mash.enquiries import threshold
from mash.retention import sar
from tests.retention import subject_access


def test_the_export_holds_the_hubs_threshold_decisions_and_proposes_names_in_them(
    db: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    case = subject_access.make_case(cast, agencies)
    case["enquiry"].requests.update(status="answered")  # the case's decisions are made
    mother = " ".join(case["mother"])
    level = threshold.levels_for(case["enquiry"].hub_id)[1]
    made = threshold.record_threshold_decision(
        enquiry=case["enquiry"],
        actor=cast["hub_practitioner"],
        level_id=str(level.pk),
        outcomes=["early_help", "advice_and_information"],
        referral_service="",
        rationale=f"{mother} agrees to early help; school to support.",
    )

    data = sar.bundle([case["subject"]])

    [entry] = data["threshold_decisions"]
    assert entry["id"] == str(made.pk)
    assert entry["level_of_need"] == level.name
    assert entry["outcomes"] == ["Advice and information", "Early help"]  # the list order
    assert entry["rationale"] == f"{mother} agrees to early help; school to support."
    found = [
        p for p in sar.proposals(data, [case["subject"]]) if p.section == "threshold_decisions"
    ]
    assert [(p.field, p.text) for p in found] == [("rationale", mother)]
