"""Where a person's "were they told?" answer stands now (``mash.policy.informing.stands``):
the answer given, except a promised telling since recorded, which counts as told."""

from __future__ import annotations

import pytest

from mash.policy.informing import LEAST_TOLD_FIRST, Told, stands


@pytest.mark.parametrize("answer", list(Told))
def test_an_answer_with_no_telling_recorded_stands_as_given(answer: Told) -> None:
    assert stands(answer, telling_recorded=False) is answer


def test_a_promised_telling_once_recorded_stands_as_told() -> None:
    assert stands(Told.WILL_TELL, telling_recorded=True) is Told.TOLD


@pytest.mark.parametrize("answer", [t for t in Told if t is not Told.WILL_TELL])
def test_a_recorded_date_changes_no_other_answer(answer: Told) -> None:
    assert stands(answer, telling_recorded=True) is answer


def test_every_answer_has_a_place_in_the_reports_order() -> None:
    assert sorted(LEAST_TOLD_FIRST) == sorted(Told)
