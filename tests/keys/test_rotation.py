"""``mash keys rotate``: every data key re-wrapped under the new master key, in
batches, while both keys are in the ring; then the old key can go."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mash.enquiries.models import Enquiry
from mash.keys import crypto, services
from mash.keys.keyring import KeyringError, generate_key_text, keyring
from mash.keys.models import DataKey
from mash.records.models import RecordEntry

from .helpers import open_enquiry


def _enquiries(cast: dict[str, Any], count: int) -> list[Enquiry]:
    return [
        open_enquiry(cast["hub_practitioner"], concern=f"ROTATE-{n} concern") for n in range(count)
    ]


def _read_all(enquiries: list[Enquiry]) -> list[str]:
    return [Enquiry.objects.get(pk=e.pk).concern for e in enquiries]


def test_rotation_rewraps_every_key_and_the_old_key_can_then_go(
    cast: dict[str, Any], master_keys: Any
) -> None:
    old = generate_key_text()
    master_keys.use(old)
    enquiries = _enquiries(cast, 5)
    old_id = keyring().current.id
    new = generate_key_text()
    master_keys.use(new, old)  # the new key is current, the old one still unwraps
    new_id = keyring().current.id
    assert _read_all(enquiries) == [f"ROTATE-{n} concern" for n in range(5)]
    later = open_enquiry(cast["hub_practitioner"], concern="ROTATE-later concern")
    assert DataKey.objects.get(enquiry_id=later.pk).master_key_id == new_id

    out = StringIO()
    call_command("keys", "rotate", "--batch-size", "2", stdout=out)
    assert "Re-wrapped 5 data keys" in out.getvalue()
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {new_id}
    assert services.status()["previous_still_needed"] == []

    entry = RecordEntry.objects.filter(action="keys.rotated").get()
    assert entry.details["rewrapped"] == 5
    assert entry.details["batches"] == 3
    assert entry.details["master_key_id"] == new_id
    assert entry.details["still_under_other_keys"] == 0
    assert old not in str(entry.details) and new not in str(entry.details)
    assert old_id not in str(entry.details)

    master_keys.use(new)  # the old master key removed
    assert _read_all(enquiries) == [f"ROTATE-{n} concern" for n in range(5)]


def test_without_rotation_removing_the_old_key_stops_reads(
    cast: dict[str, Any], master_keys: Any
) -> None:
    old = generate_key_text()
    master_keys.use(old)
    [enquiry] = _enquiries(cast, 1)
    master_keys.use(generate_key_text())  # old key dropped too early
    with pytest.raises(KeyringError):
        _read_all([enquiry])
    with pytest.raises(CommandError):
        call_command("keys", "rotate", stdout=StringIO())
    master_keys.use(old)
    assert _read_all([enquiry]) == ["ROTATE-0 concern"]


def test_an_interrupted_rotation_leaves_everything_readable_and_resumes(
    cast: dict[str, Any], master_keys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = generate_key_text()
    master_keys.use(old)
    enquiries = _enquiries(cast, 5)
    new = generate_key_text()
    master_keys.use(new, old)
    new_id = keyring().current.id

    real_wrap = crypto.wrap
    calls = {"n": 0}

    def failing_wrap(*args: Any, **kwargs: Any) -> bytes:
        calls["n"] += 1
        if calls["n"] == 4:  # part way through the second batch
            raise RuntimeError("the machine went away")
        return real_wrap(*args, **kwargs)

    monkeypatch.setattr(services, "wrap", failing_wrap)
    with pytest.raises(RuntimeError):
        services.rotate(batch_size=2)
    monkeypatch.setattr(services, "wrap", real_wrap)

    counts = services.status()["by_master_key"]
    assert counts[new_id] == 2  # the first batch committed, the second rolled back
    master_keys.restart()
    assert _read_all(enquiries) == [f"ROTATE-{n} concern" for n in range(5)]

    report = services.rotate(batch_size=2)
    assert report.rewrapped == 3
    assert report.already_current == 2
    again = services.rotate(batch_size=2)  # safe to run again: nothing left to do
    assert again.rewrapped == 0
    assert RecordEntry.objects.filter(action="keys.rotated").count() == 2
    master_keys.use(new)
    assert _read_all(enquiries) == [f"ROTATE-{n} concern" for n in range(5)]


def test_status_shows_counts_and_never_a_key(cast: dict[str, Any], master_keys: Any) -> None:
    key = generate_key_text()
    master_keys.use(key)
    _enquiries(cast, 2)
    out = StringIO()
    call_command("keys", "status", stdout=out)
    text = out.getvalue()
    assert "Live data keys: 2; destroyed: 0" in text
    assert key not in text
    generated = StringIO()
    call_command("keys", "generate", stdout=generated)
    assert len(generated.getvalue().strip()) == 44
