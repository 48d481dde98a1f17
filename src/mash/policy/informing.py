"""Informing the individual: for each person whose information is shared without their
consent, whether they have been told, will be told by a date, or will not be told and
why, in the guidance's words. Pure Python (no Django).

Guidance, How?: "Inform the individual that the information has been shared if they
were not aware of this, as long as this would not create or increase risk of harm".
Guidance, Public Interest: disclosure "necessary to prevent or detect crime" (the
prevention and detection of crime); Consent to Share Information: "seeking consent will
lead to unjustified delay in making enquiries about allegations of significant harm to
a child". Telling a person may do the same harm that not seeking their consent avoids,
so the reasons not to tell are those.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Told(StrEnum):
    """Each person's answer (the values of ``sharing.models.Informed``)."""

    TOLD = "told"
    WILL_TELL = "will_tell"
    NOT_TOLD = "not_told"
    ALREADY_AWARE = "already_aware"


TOLD_WORDS: dict[Told, str] = {
    Told.TOLD: "Yes, they have been told",
    Told.WILL_TELL: "They will be told by a date",
    Told.NOT_TOLD: "No, they will not be told",
    Told.ALREADY_AWARE: "They already know the information is being shared",
}

INFORM_QUESTION = "Has {name} been told that their information is being shared?"
INFORM_HINT = (
    "Inform the individual that the information has been shared if they were not aware of "
    "this, as long as this would not create or increase risk of harm (the guidance, How?)."
)

# Why a person will not be told, in the guidance's words (the section each comes from).
NOT_TELLING_GROUNDS: dict[str, str] = {
    "risk_of_harm": "Telling them would create or increase risk of harm (How?)",
    "crime": "Telling them would prejudice the prevention or detection of crime (Public Interest)",
    "delay": "Telling them now would lead to unjustified delay in making enquiries about "
    "allegations of significant harm to a child (Consent to Share Information)",
}


@dataclass(frozen=True)
class InformAnswer:
    """One person's answer: ``told_on`` for told, ``tell_by`` for will tell, ``ground``
    (a key of ``NOT_TELLING_GROUNDS``) and ``reason`` for will not tell."""

    answer: str = ""
    told_on: dt.date | None = None
    tell_by: dt.date | None = None
    ground: str = ""
    reason: str = ""


def inform_problems(
    answer: InformAnswer, *, name: str, today: dt.date, asked_on: dt.date
) -> dict[str, str]:
    """What is missing or impossible in one person's answer, by the answer's part
    (``answer``, ``told_on``, ``tell_by``, ``ground``, ``reason``), each message naming
    the person. A telling that happened cannot be in the future nor before the request
    was sent; a date to tell by cannot be in the past."""
    problems: dict[str, str] = {}
    if answer.answer not in {t.value for t in Told}:
        problems["answer"] = f"Select whether {name} has been or will be told"
    elif answer.answer == Told.TOLD:
        if answer.told_on is None:
            problems["told_on"] = f"Enter the date {name} was told"
        elif answer.told_on > today:
            problems["told_on"] = f"The date {name} was told must be today or in the past"
        elif answer.told_on < asked_on:
            problems["told_on"] = (
                f"The date {name} was told cannot be before the request was sent "
                f"({asked_on:%-d %B %Y})"
            )
    elif answer.answer == Told.WILL_TELL:
        if answer.tell_by is None:
            problems["tell_by"] = f"Enter the date by which {name} will be told"
        elif answer.tell_by < today:
            problems["tell_by"] = f"The date by which {name} will be told must be today or later"
    elif answer.answer == Told.NOT_TOLD:
        if answer.ground not in NOT_TELLING_GROUNDS:
            problems["ground"] = f"Select why {name} will not be told"
        if not answer.reason.strip():
            problems["reason"] = f"Explain why {name} will not be told"
    return problems


def stands(answer: Told, telling_recorded: bool) -> Told:
    """Where a person's answer stands now: the answer given, except that a promised
    telling since recorded (``told_on`` set by ``services.record_told``) counts as told.
    The one definition: ``PersonInformed.stands``/``waiting`` and the reports' SQL
    (``sharing.models.standing``) are made from it."""
    if answer is Told.WILL_TELL and telling_recorded:
        return Told.TOLD
    return answer


# A decision counts, in the reports, under the least told of its people, in this order
# (each person's answer as it ``stands``: mash.reports.guidance).
LEAST_TOLD_FIRST: tuple[Told, ...] = (Told.NOT_TOLD, Told.WILL_TELL, Told.TOLD, Told.ALREADY_AWARE)
