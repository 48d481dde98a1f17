"""An enquiry closed by an authorised threshold decision (one or more outcomes, the
legacy single outcome left blank) is retained, then destroyed whole, under the rule for
its kind, like an enquiry closed with a single outcome before threshold decisions."""

from __future__ import annotations

import pytest

from mash.retention.models import RecordKind
from mash.retention.planning import enquiry_kind

NFA = RecordKind.ENQUIRY_NO_FURTHER_ACTION
FURTHER = RecordKind.ENQUIRY_FURTHER_ACTION


@pytest.mark.parametrize(
    ("status", "outcome", "outcomes", "kind"),
    [
        ("open", "", [], None),
        ("closed", "", [], None),
        ("open", "", ["no_further_action"], None),
        ("closed", "", ["no_further_action"], NFA),
        ("closed", "", ["early_help", "strategy_discussion"], FURTHER),
        ("closed", "", ["advice_and_information"], FURTHER),
        ("closed", "no_further_action", [], NFA),
        ("closed", "early_help", [], FURTHER),
    ],
)
def test_the_kind_of_an_enquiry_follows_how_it_was_closed(
    status: str, outcome: str, outcomes: list[str], kind: str | None
) -> None:
    assert enquiry_kind(status, outcome, outcomes) == kind
