"""Guidance versions (Approval Log, Version Log): the review date, the text, and the
function pages call for the review-date banner."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from mash.policy import versions
from mash.policy.versions import CURRENT, current_version, is_past_review

REPO = Path(__file__).resolve().parents[2]


def test_the_current_version_is_herefordshire_v4_reviewed_by_february_2024() -> None:
    assert current_version() is CURRENT
    assert CURRENT.label == "Herefordshire MASH Information Sharing Guidance, version 4, May 2023"
    assert CURRENT.review_by == date(2024, 2, 29)


def test_it_is_past_review_only_after_the_review_date() -> None:
    assert not is_past_review(date(2024, 2, 29))
    assert is_past_review(date(2024, 3, 1))
    assert not CURRENT.is_past_review(date(2023, 6, 1))


def test_the_built_in_text_is_the_guidance_in_the_repository() -> None:
    text = CURRENT.full_text()
    assert text == (REPO / "guidance" / "mash-information-sharing-guidance.txt").read_text(
        encoding="utf-8"
    )
    assert "Is there a clear and legitimate purpose for sharing information?" in text


def test_a_provider_decides_which_version_is_current() -> None:
    loaded = versions.GuidanceVersion(
        id="hub-v5",
        title="Our MASH guidance",
        publisher="Our partnership",
        version=5,
        issued="June 2026",
        review_date="June 2027",
        contract_version=1,
        review_by=date(2027, 6, 30),
        text="Version 5 text",
    )
    versions.set_provider(lambda: loaded)
    try:
        assert current_version() is loaded
        assert not is_past_review(date(2027, 6, 30))
        assert loaded.full_text() == "Version 5 text"
    finally:
        versions.set_provider(None)
    assert current_version() is CURRENT
