"""Given names and their short forms (pure Python, no Django import).

The table of nicknames is Carlton Northern and Nick Crews' hand-curated ``names.csv``
(Apache License 2.0, vendored in ``data/`` with its licence), with this project's small
supplement of short forms common in England (``data/short-forms-uk.csv``) and a list of
pairs that are also distinct names often given to siblings (``data/distinct-names.csv``).
See ``data/README.md`` and docs/decisions/0004-person-matching.md.

contracts/person-matching.md: "short forms and nicknames (Liv, Livvy, Olivia; Bob,
Robert; Alfie, Alfred; Kate, Katherine) ... are at least possible".
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


_APOSTROPHES = str.maketrans("", "", "'\u2019`")
_NOT_LETTERS = re.compile(r"[^a-z]+")


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Letters only, lower case, accents dropped, apostrophes removed, and every other
    run of non-letters (hyphens, spaces, full stops) one space: "O'Brien-Smyth " ->
    "obrien smyth"."""
    text = text.translate(_APOSTROPHES).lower()
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(
            (char if char.isalpha() else " ")
            for char in decomposed
            if not unicodedata.combining(char)
        )
        if not text.isascii():
            # Letters beyond a-z that do not decompose (ø, ß, Cyrillic...) are kept.
            return " ".join("".join(c if c.isalpha() else " " for c in text).split())
    return _NOT_LETTERS.sub(" ", text).strip()


@dataclass(frozen=True)
class ShortForms:
    """Which given names are short forms of which (each name normalised)."""

    nicknames: dict[str, frozenset[str]]  # formal name -> its nicknames
    formals: dict[str, frozenset[str]]  # nickname -> the names it is short for
    distinct: frozenset[frozenset[str]]  # pairs that are names in their own right

    def known_short_form(self, x: str, y: str) -> bool:
        """One is a known nickname of the other (Bob, Robert; Liv, Olivia), and the two
        are not also distinct names given to siblings (Amelia, Emily)."""
        if x == y or frozenset((x, y)) in self.distinct:
            return False
        return y in self.nicknames.get(x, ()) or x in self.nicknames.get(y, ())

    def same_name_forms(self, x: str, y: str) -> bool:
        """Both may be forms of one name: related in the table at one remove (Liv and
        Livvy, both Olivia) or a pair listed as distinct names too (Amelia, Emily)."""
        if x == y:
            return False
        if frozenset((x, y)) in self.distinct:
            return True
        if y in self.nicknames.get(x, ()) or x in self.nicknames.get(y, ()):
            return True
        return bool(self.formals.get(x, frozenset()) & self.formals.get(y, frozenset()))


def _rows(path: Path) -> list[tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if "name2" in (reader.fieldnames or []) and "relationship" in (reader.fieldnames or []):
            return [
                (normalise(row["name1"]), normalise(row["name2"]))
                for row in reader
                if row["relationship"] == "has_nickname"
            ]
        return [(normalise(row["name1"]), normalise(row["name2"])) for row in reader]


@cache
def short_forms() -> ShortForms:
    """The table, loaded once per process."""
    nicknames: dict[str, set[str]] = {}
    formals: dict[str, set[str]] = {}
    for name in ("nicknames.csv", "short-forms-uk.csv"):
        for formal, nickname in _rows(DATA / name):
            if not formal or not nickname or formal == nickname:
                continue
            nicknames.setdefault(formal, set()).add(nickname)
            formals.setdefault(nickname, set()).add(formal)
    distinct = frozenset(frozenset(pair) for pair in _rows(DATA / "distinct-names.csv"))
    return ShortForms(
        nicknames={k: frozenset(v) for k, v in nicknames.items()},
        formals={k: frozenset(v) for k, v in formals.items()},
        distinct=distinct,
    )
