"""The consent position, as a table: each row is a register history, a question and
the position the hub must answer (docs/consent.md, "Resolution rules")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mash.consent.selectors import consent_position

from .conftest import at

D = dt.date
# Each case: records (keyword arguments for make_record), the question (recipient
# agency, kind of information, moment), then the expected status, agencies, explicit,
# and the index of the record that decides (None: no record decides).
CASES = [
    pytest.param(
        [{}],
        ("police", None, at(2)),
        ("given", None, True, 0),
        id="written consent for everyone covers police",
    ),
    pytest.param(
        [{"agencies_": ["health", "education"]}],
        ("police", None, at(2)),
        ("given", ["education", "health"], True, 0),
        id="partial consent that leaves out police is given for the others only",
    ),
    pytest.param(
        [{"agencies_": ["health", "police"]}],
        ("police", None, at(2)),
        ("given", ["health", "police"], True, 0),
        id="partial consent that includes police covers police",
    ),
    pytest.param(
        [{"valid_until": D(2026, 1, 5)}],
        ("police", None, at(6)),
        ("unknown", None, False, None),
        id="expired consent counts as no consent",
    ),
    pytest.param(
        [{"valid_until": D(2026, 1, 5)}],
        ("police", None, at(5, 20)),
        ("given", None, True, 0),
        id="consent is valid through the whole of its last day",
    ),
    pytest.param(
        [{"valid_from": D(2026, 1, 10)}],
        ("police", None, at(6)),
        ("unknown", None, False, None),
        id="consent not yet valid counts as no consent",
    ),
    pytest.param(
        [{}, {"status": "withdrawn", "day": 3}],
        ("police", None, at(4)),
        ("withdrawn", None, False, 1),
        id="withdrawal after giving ends the consent",
    ),
    pytest.param(
        [{}, {"status": "withdrawn", "day": 3}],
        ("police", None, at(2)),
        ("given", None, True, 0),
        id="before the withdrawal the consent stood",
    ),
    pytest.param(
        [{}, {"status": "refused", "day": 3}],
        ("police", None, at(4)),
        ("refused", None, False, 1),
        id="refusal after giving decides",
    ),
    pytest.param(
        [{"status": "refused"}, {"day": 3}],
        ("police", None, at(4)),
        ("given", None, True, 1),
        id="giving after refusal decides",
    ),
    pytest.param(
        [{"status": "refused"}, {"day": 3, "agencies_": ["health"]}],
        ("police", None, at(4)),
        ("refused", None, False, 0),
        id="a later consent for health alone leaves the refusal standing for police",
    ),
    pytest.param(
        [{"status": "refused"}, {"day": 3, "agencies_": ["health"]}],
        ("health", None, at(4)),
        ("given", ["health"], True, 1),
        id="a later consent for health alone replaces the refusal for health",
    ),
    pytest.param(
        [{}, {"status": "refused", "day": 3, "agencies_": ["police"]}],
        ("health", None, at(4)),
        ("given", None, True, 0),
        id="a later refusal for police alone leaves consent standing for health",
    ),
    pytest.param(
        [
            {"day": 3, "time": dt.time(9, 0)},
            {"status": "refused", "day": 3, "time": dt.time(15, 0)},
        ],
        ("police", None, at(4)),
        ("refused", None, False, 1),
        id="on the same day the later time decides",
    ),
    pytest.param(
        [
            {"day": 3, "time": None, "recorded": at(3, 9)},
            {"status": "refused", "day": 3, "time": None, "recorded": at(3, 11)},
        ],
        ("police", None, at(4)),
        ("refused", None, False, 1),
        id="with no times the record entered later decides",
    ),
    pytest.param(
        [{"method": "privacy_notice"}],
        ("police", None, at(2)),
        ("given", None, False, 0),
        id="a privacy notice is implicit consent",
    ),
    pytest.param(
        [{"method": "verbal", "time": None}],
        ("police", None, at(2)),
        ("given", None, False, 0),
        id="verbal consent without a time is implicit",
    ),
    pytest.param(
        [{"method": "verbal", "information_covered": ""}],
        ("police", None, at(2)),
        ("given", None, False, 0),
        id="verbal consent without what it covers is implicit",
    ),
    pytest.param(
        [{"method": "verbal"}],
        ("police", None, at(2)),
        ("given", None, True, 0),
        id="verbal consent with date time and what it covers is explicit",
    ),
    pytest.param(
        [{"categories": ["education"]}],
        ("police", "health", at(2)),
        ("unknown", None, False, None),
        id="consent for education information does not cover health information",
    ),
    pytest.param(
        [{"categories": ["health", "education"]}],
        ("police", "health", at(2)),
        ("given", None, True, 0),
        id="consent for health information covers health information",
    ),
    pytest.param(
        [{"categories": ["health"]}],
        ("police", None, at(2)),
        ("unknown", None, False, None),
        id="consent limited to health does not cover information of any kind",
    ),
    pytest.param(
        [{}, {"status": "refused", "day": 3, "categories": ["health"]}],
        ("police", None, at(4)),
        ("refused", None, False, 1),
        id="a refusal of health information counts when the kind is not named",
    ),
    pytest.param(
        [{}, {"status": "refused", "day": 3, "categories": ["health"]}],
        ("police", "education", at(4)),
        ("given", None, True, 0),
        id="a refusal of health information leaves education information shareable",
    ),
    pytest.param(
        [],
        ("police", None, at(2)),
        ("unknown", None, False, None),
        id="no record is unknown",
    ),
    pytest.param(
        [{"day": 5}],
        ("police", None, at(2)),
        ("unknown", None, False, None),
        id="consent given after the moment asked about does not count",
    ),
    pytest.param(
        [{"day": 1, "recorded": at(5)}],
        ("police", None, at(2)),
        ("unknown", None, False, None),
        id="consent entered in the register after the moment asked about does not count",
    ),
    pytest.param(
        [{"agencies_": ["health"]}, {"status": "withdrawn", "day": 3, "agencies_": ["health"]}],
        ("police", None, at(4)),
        ("unknown", None, False, None),
        id="withdrawn partial consent for others leaves nothing for police",
    ),
]


@pytest.mark.parametrize(("records", "question", "expected"), CASES)
def test_the_consent_position_follows_the_rules(
    make_record: Any, child: Any, records: list[dict[str, Any]], question: Any, expected: Any
) -> None:
    made = [make_record(child, **spec) for spec in records]
    agency, category, moment = question
    status, agencies, explicit, decided = expected

    position = consent_position(
        person=child, recipient_agency=agency, purpose="MASH enquiry", category=category, at=moment
    )

    assert position.consent["status"] == status
    assert position.consent["agencies"] == agencies
    assert position.consent["explicit"] is explicit
    assert position.record == (made[decided] if decided is not None else None)
