"""Properties of the resolution over generated register histories: the answer does
not depend on the order records are loaded in, and the latest event covering an agency
is what the position says for it."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mash.consent.models import ConsentRecord
from mash.consent.selectors import records_for, resolve

from .conftest import at

AGENCIES = ["police", "health", "education"]
event = st.fixed_dictionaries(
    {
        "status": st.sampled_from(["given", "refused", "withdrawn"]),
        "day": st.integers(min_value=1, max_value=9),
        "time": st.one_of(st.none(), st.sampled_from([dt.time(9, 0), dt.time(15, 0)])),
        "agencies_": st.one_of(
            st.none(), st.lists(st.sampled_from(AGENCIES), min_size=1, max_size=3, unique=True)
        ),
        "method": st.sampled_from(["written", "verbal", "privacy_notice"]),
    }
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(events=st.lists(event, min_size=0, max_size=5), seed=st.integers(0, 1000))
def test_the_latest_event_covering_an_agency_decides_whatever_the_order(
    make_record: Any, child: Any, events: list[dict[str, Any]], seed: int
) -> None:
    ConsentRecord.objects.filter(person=child).delete()
    for spec in events:
        make_record(child, **spec)
    records = list(records_for(child))
    shuffled = records[:]
    random.Random(seed).shuffle(shuffled)
    moment = at(10)
    for agency in AGENCIES:
        position = resolve(records, recipient_agency=agency, at=moment)
        again = resolve(shuffled, recipient_agency=agency, at=moment)
        assert position.consent == again.consent
        assert position.record == again.record
        covering = [r for r in records if r.all_agencies or agency in (r.agency_codes() or [])]
        if covering:
            latest = max(covering, key=lambda r: (r.given_at, r.recorded_at, str(r.pk)))
            assert position.record == latest
            assert position.status == latest.status
            assert position.covers(agency) is (latest.status == "given")
        else:
            assert not position.covers(agency)
