"""Subject access covers the hub's day too: what the referrer was told of the hub's
decision, and the strategy discussion held about the child (each agency's contribution,
the decisions, the actions), are in the person's export and read for third parties'
names like other text. The referrer's own address is not the subject's, and stays out."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from mash.enquiries.models import Enquiry, StrategyDiscussion
from mash.retention import sar
from tests.enquiries.test_strategy_discussion import (
    DECIDED,
    HEALTH_SAID,
    POLICE_SAID,
    authorise,
    meeting_form,
)

TOLD = "The hub has started child protection enquiries; a social worker will visit."


def _hub_day(client_for: Any, cast: dict[str, Any], agencies: dict[str, Any], enquiry: Enquiry):
    authorise(enquiry, cast, ["strategy_discussion", "police_investigation"])
    hana = client_for("hub_practitioner")
    told = hana.post(f"/enquiries/{enquiry.pk}/feedback", {"method": "phone", "text": TOLD})
    assert told.status_code == 302
    # The police's contribution names the referrer: a third party to the child.
    form = meeting_form(cast, agencies)
    form[f"contribution_{agencies['police'].pk}"] = f"{POLICE_SAID}; {enquiry.referrer_name} called"
    met = hana.post(f"/enquiries/{enquiry.pk}/strategy-discussion", form)
    assert met.status_code == 302
    return enquiry.people.get(kind="child")


def test_the_export_holds_the_feedback_and_the_strategy_discussion(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any], enquiry: Enquiry
) -> None:
    child = _hub_day(client_for, cast, agencies, enquiry)

    data = sar.bundle([child])

    [told] = data["feedback"]
    assert told["text"] == TOLD and told["method"] == "phone"
    assert "sent_to" not in told
    [meeting] = data["strategy_discussions"]
    assert meeting["id"] == str(StrategyDiscussion.objects.get().pk)
    assert meeting["decisions"] == DECIDED
    said = {a["agency"]: a["contribution"] for a in meeting["attendances"]}
    assert said["health"] == HEALTH_SAID and said["police"].startswith(POLICE_SAID)
    assert len(meeting["actions"]) == 2 and all(a["due_on"] for a in meeting["actions"])

    archive = zipfile.ZipFile(io.BytesIO(sar.zip_bytes(data)))
    exported = json.loads(archive.read("subject-access.json"))
    assert exported["feedback"][0]["text"] == TOLD
    page = archive.read("subject-access.html").decode()
    assert "What the hub told the person who raised the concern" in page
    assert "Strategy discussions" in page


def test_a_third_partys_name_in_a_contribution_is_proposed_for_redaction(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any], enquiry: Enquiry
) -> None:
    child = _hub_day(client_for, cast, agencies, enquiry)
    data = sar.bundle([child])

    found = [
        p
        for p in sar.proposals(data, [child])
        if p.section == "strategy_discussions" and p.text in enquiry.referrer_name
    ]

    [proposal] = found
    # The name as it stands in the text (the referrer's title is not part of it).
    assert enquiry.referrer_name.endswith(proposal.text)
    assert proposal.field.startswith("attendances.") and proposal.field.endswith(".contribution")
    assert proposal.field_label == "An agency's contribution"
    assert proposal.enquiry_id == str(enquiry.pk)


def test_another_enquirys_hub_day_is_not_in_the_export(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any], enquiry: Enquiry, fake: Any
) -> None:
    from tests.enquiries.conftest import open_enquiry

    _hub_day(client_for, cast, agencies, enquiry)
    other = open_enquiry(cast["hub_practitioner"], fake).people.get(kind="child")

    data = sar.bundle([other])

    assert data["feedback"] == [] and data["strategy_discussions"] == []
