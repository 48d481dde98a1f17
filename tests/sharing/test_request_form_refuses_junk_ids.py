"""An agency id no database column can hold (found by the form fuzzing: 2**63 made SQLite
raise OverflowError, a 500) is refused like any other choice not on the list."""

from __future__ import annotations

from typing import Any

import pytest
from faker import Faker

from tests.enquiries.conftest import open_enquiry


@pytest.mark.parametrize("junk", ["9223372036854775808", "-1", "1.5", "\u0661"])
def test_an_agency_id_out_of_range_is_refused_naming_the_field(
    client_for: Any, cast: dict[str, Any], junk: str
) -> None:
    enquiry = open_enquiry(cast["hub_practitioner"], Faker("en_GB"))
    answer = client_for("hub_practitioner").post(
        f"/requests/new/{enquiry.pk}", {"agencies": [junk], "purpose": "What is known"}
    )
    assert answer.status_code == 400
    assert "Select agencies from the list" in answer.content.decode()
