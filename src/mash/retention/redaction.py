"""Proposed redactions for a subject access export: where the names of other people
the hub knows (third parties) appear in the text that would be released.

Pure Python, no Django: ``sar`` hands in the texts and the names, and gets back the
spans to propose. The DPO decides each one (``services.decide_redactions``); nothing
here redacts anything by itself.

UK GDPR Article 15(4) and the Data Protection Act 2018, Schedule 2 Part 3 paragraph
16: the right of access does not extend to information that identifies another person
(including a person as the source of the information) unless they consent or it is
reasonable to release it. The guidance (Record; fact and opinion) keeps each opinion
with its author: an opinion's author is therefore a third party too.

Matching, on purpose simple and predictable for the DPO who reviews it:

- whole words only, case-insensitive: "Jo" is not found in "Joanne" nor in "jog",
  "Smith" not in "Smith-Jones", but "Jo's" is found (the possessive);
- a person's full name ("Jo Smith", any spacing between the parts) is proposed as one
  span; their given name, family name and other names alone each as a span too;
- the data subject's own name is never proposed: a name part the subject shares (a
  mother's family name is often her child's) is proposed only inside the other
  person's full name, never alone; someone whose full name is the subject's is left out;
- a name part of one letter (an initial) is not matched alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class ThirdParty(StrEnum):
    """Why a span is proposed: whose it is."""

    OTHER_PERSON = "other_person"
    REFERRER = "referrer"
    OPINION_AUTHOR = "opinion_author"


REASONS = {
    ThirdParty.OTHER_PERSON: "Third party: another person in the enquiry",
    ThirdParty.REFERRER: "Third party: the referrer",
    ThirdParty.OPINION_AUTHOR: "Third party: the author of an opinion",
}

REDACTED = "[redacted: third party]"


@dataclass(frozen=True)
class KnownName:
    """A third party the hub knows by name. ``detail`` says more about who they are
    (a person's role in the enquiry: "parent"), never the name itself."""

    given: str
    family: str
    kind: ThirdParty
    other: tuple[str, ...] = ()
    detail: str = ""

    @property
    def full(self) -> str:
        return " ".join(part for part in (self.given, self.family) if part.strip())


@dataclass(frozen=True)
class Span:
    """``text[start:end]`` is proposed for redaction, for ``kind`` (and ``detail``)."""

    start: int
    end: int
    text: str
    kind: ThirdParty
    detail: str = ""


@dataclass(frozen=True)
class Subject:
    """The data subject's own names (every record of them): never proposed."""

    names: tuple[tuple[str, str], ...]  # (given, family) per record
    other: tuple[str, ...] = ()
    _parts: frozenset[str] = field(init=False, default=frozenset())

    def __post_init__(self) -> None:
        parts = {
            word.casefold() for given, family in self.names for word in _words(f"{given} {family}")
        }
        parts |= {word.casefold() for name in self.other for word in _words(name)}
        object.__setattr__(self, "_parts", frozenset(parts))

    def owns(self, word: str) -> bool:
        return word.casefold() in self._parts

    def is_subject(self, name: KnownName) -> bool:
        full = _normal(name.full)
        return bool(full) and any(_normal(f"{g} {f}") == full for g, f in self.names)


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[\s,]+", text.strip()) if word]


def _normal(text: str) -> str:
    return " ".join(_words(text)).casefold()


# A word boundary that keeps hyphenated and apostrophed names whole: not after a
# letter, digit, hyphen or letter-apostrophe ("O'Brien" holds no "Brien"); not before
# a letter, digit or hyphen (the possessive "'s" may follow).
_BEFORE = r"(?<![\w\-])(?<!\w['\u2019])"
_AFTER = r"(?![\w\-])"


def _pattern(words: list[str]) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(word) for word in words)
    return re.compile(_BEFORE + body + _AFTER, re.IGNORECASE)


def names_in(text: str, *, third_parties: Iterable[KnownName], subject: Subject) -> list[Span]:
    """Every span of ``text`` that names one of the third parties, in order, none
    overlapping (the longest wins: a full name over its given name alone)."""
    if not text:
        return []
    candidates: list[Span] = []
    for name in third_parties:
        if subject.is_subject(name):
            continue
        phrases: list[list[str]] = []
        full = _words(name.full)
        if len(full) > 1:
            phrases.append(full)
        for part in [*full, *(w for other in name.other for w in _words(other))]:
            if len(part.strip("'\u2019-.")) < 2 or subject.owns(part):
                continue
            phrases.append([part])
        for words in phrases:
            for found in _pattern(words).finditer(text):
                candidates.append(
                    Span(found.start(), found.end(), found.group(0), name.kind, name.detail)
                )
    return _without_overlaps(candidates)


def _without_overlaps(candidates: list[Span]) -> list[Span]:
    chosen: list[Span] = []
    for span in sorted(candidates, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= kept.start or span.start >= kept.end for kept in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


# Opinions' authors ----------------------------------------------------------------

_TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "pc",
    "dc",
    "ds",
    "sgt",
    "insp",
    "cllr",
    "rev",
    "sister",
    "nurse",
}

# Words that say what someone is, not who: a source made only of these (and words in
# lower case) names a role ("Class teacher's view"), not a person.
_ROLE_WORDS = {
    "a&e",
    "agency",
    "assessment",
    "care",
    "centre",
    "child",
    "children's",
    "class",
    "clinic",
    "council",
    "department",
    "designated",
    "doctor",
    "early",
    "education",
    "gp",
    "head",
    "headteacher",
    "health",
    "help",
    "hospital",
    "housing",
    "lead",
    "midwife",
    "nhs",
    "nursery",
    "officer",
    "opinion",
    "police",
    "practice",
    "primary",
    "probation",
    "record",
    "records",
    "report",
    "safeguarding",
    "school",
    "secondary",
    "service",
    "services",
    "social",
    "system",
    "teacher",
    "team",
    "unit",
    "view",
    "visitor",
    "ward",
    "worker",
    "youth",
    # Places and organisations, not people.
    "academy",
    "borough",
    "church",
    "city",
    "college",
    "county",
    "group",
    "house",
    "llp",
    "ltd",
    "plc",
    "road",
    "saint",
    "st",
    "street",
    "surgery",
    "the",
    "trust",
}

_NAME_WORD = re.compile(r"^[A-Z][A-Za-z'\u2019\-]*[a-z]$|^[A-Z][a-z]?$")


def author_name(source: str) -> KnownName | None:
    """The person an opinion's source names, if it names one: "Mrs Jo Okafor, class
    teacher" -> Jo Okafor; "PC Hughes" -> Hughes; "Class teacher's view" -> None."""
    for segment in re.split(r"[,;:()\[\]/]|\s[-\u2013]\s", source or ""):
        words = [word.rstrip(".") for word in segment.split() if word.rstrip(".")]
        while words and (words[-1].casefold() in _ROLE_WORDS or words[-1][:1].islower()):
            words.pop()
        if words:
            words[-1] = re.sub(r"['\u2019]s?$", "", words[-1])
        titled = bool(words) and words[0].rstrip(".").casefold() in _TITLES
        if titled:
            words = words[1:]
        if not words or len(words) > 4:
            continue
        if any(w.casefold() in _ROLE_WORDS or not _NAME_WORD.match(w) for w in words):
            continue
        if len(words) == 1 and not titled:
            continue  # one capitalised word alone is as likely a place or a team
        if len(words) == 1:
            return KnownName(given="", family=words[0], kind=ThirdParty.OPINION_AUTHOR)
        return KnownName(
            given=words[0],
            family=words[-1],
            other=tuple(words[1:-1]),
            kind=ThirdParty.OPINION_AUTHOR,
        )
    return None


def person_name(full: str, kind: ThirdParty, detail: str = "") -> KnownName | None:
    """A name written in one string ("Mrs Jo Ann Smith") as given, other and family
    names (a title left out); None when it holds no name."""
    words = [word.rstrip(".") for word in _words(full) if word.rstrip(".")]
    if words and words[0].casefold() in _TITLES and len(words) > 1:
        words = words[1:]
    if not words:
        return None
    if len(words) == 1:
        return KnownName(given=words[0], family="", kind=kind, detail=detail)
    return KnownName(
        given=words[0], family=words[-1], other=tuple(words[1:-1]), kind=kind, detail=detail
    )


def apply(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each (start, end) replaced by ``REDACTED`` (spans must not overlap)."""
    out = text
    for start, end in sorted(spans, reverse=True):
        out = out[:start] + REDACTED + out[end:]
    return out


def excerpt(text: str, start: int, end: int, *, around: int = 60) -> tuple[str, str, str]:
    """(before, the span, after): a short excerpt with ``around`` characters either
    side, cut at a word where it can be, with an ellipsis where text was left out."""
    before = text[max(0, start - around) : start]
    after = text[end : end + around]
    if start - around > 0:
        cut = before.find(" ")
        before = "…" + (before[cut + 1 :] if 0 <= cut < len(before) - 1 else before)
    if end + around < len(text):
        cut = after.rfind(" ")
        after = (after[:cut] if cut > 0 else after) + "…"
    return before, text[start:end], after
