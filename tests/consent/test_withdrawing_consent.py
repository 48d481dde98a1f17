"""Withdrawal is a new, dated record with the scope of the consent it withdraws; the
consent itself is never changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mash.consent.models import ConsentRecord
from mash.consent.selectors import consent_position
from mash.records.models import RecordEntry


def _withdrawal(**overrides: Any) -> dict[str, Any]:
    data = {
        "giver": "parental_responsibility",
        "giver_relationship": "mother",
        "method": "verbal",
        "given_on-day": "10",
        "given_on-month": "1",
        "given_on-year": "2026",
        "given_time": "09:15",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_it_records_a_withdrawal_as_a_new_event_with_the_same_scope(
    client_for: Any, child: Any, make_record: Any
) -> None:
    given = make_record(child, agencies_=["police"], categories=["health"])
    response = client_for("hub_practitioner").post(
        f"/consent/records/{given.pk}/withdraw", _withdrawal()
    )
    assert response.status_code == 302
    withdrawal = ConsentRecord.objects.get(status="withdrawn")
    assert withdrawal.withdraws == given
    assert withdrawal.agency_codes() == ["police"]
    assert withdrawal.category_codes() == ["health"]
    assert withdrawal.given_on == dt.date(2026, 1, 10)
    given.refresh_from_db()
    assert given.status == "given"
    assert RecordEntry.objects.get(action="consent.recorded").details["withdraws"] == str(given.pk)
    position = consent_position(person=child, recipient_agency="police", category="health")
    assert position.status == "withdrawn"
    assert position.record == withdrawal


def test_consent_cannot_be_withdrawn_twice(client_for: Any, child: Any, make_record: Any) -> None:
    given = make_record(child)
    client = client_for("hub_practitioner")
    assert client.post(f"/consent/records/{given.pk}/withdraw", _withdrawal()).status_code == 302
    assert client.get(f"/consent/records/{given.pk}/withdraw").status_code == 404


def test_a_refusal_cannot_be_withdrawn(client_for: Any, child: Any, make_record: Any) -> None:
    refused = make_record(child, status="refused")
    assert (
        client_for("hub_practitioner").get(f"/consent/records/{refused.pk}/withdraw").status_code
        == 404
    )


def test_a_withdrawal_dated_before_the_consent_is_refused(
    client_for: Any, child: Any, make_record: Any
) -> None:
    given = make_record(child, day=5)
    response = client_for("hub_practitioner").post(
        f"/consent/records/{given.pk}/withdraw", _withdrawal(**{"given_on-day": "4"})
    )
    assert response.status_code == 400
    assert "The date of withdrawal must be on or after the date consent was given" in (
        response.content.decode()
    )
    assert not ConsentRecord.objects.filter(status="withdrawn").exists()


def test_the_withdrawal_form_names_missing_fields(
    client_for: Any, child: Any, make_record: Any
) -> None:
    given = make_record(child)
    response = client_for("hub_practitioner").post(
        f"/consent/records/{given.pk}/withdraw", _withdrawal(method=None, **{"given_on-year": ""})
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'href="#method"' in body and "Select how consent was withdrawn" in body
    assert 'href="#given_on-day"' in body and "must include a year" in body


def test_a_record_is_never_changed_once_saved(child: Any, make_record: Any) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    given = make_record(child)
    given.purpose = "Something else"
    with pytest.raises(ValidationError):
        given.save()
