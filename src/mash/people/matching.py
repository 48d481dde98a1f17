"""Is this the same person? Person matching as a pure function (no Django import).

The contract is ``contracts/person-matching.md`` (v1): :func:`match` takes two records of
a person and says ``"match"`` (the same person; safe to link without a person looking),
``"possible"`` (a practitioner must look; never linked on its own) or ``"no_match"``,
with a score from 0 to 1 and one plain-English reason for each field that moved it.
The same function serves ``mash people match``, intake's "already known" panel and the
person index, so each says the same thing about the same pair.

How it decides (contract, "What it must get right"):

- Each field is compared and given a level (same, known short form, typing slip, one
  part of the other, day and month swapped, one digit wrong, same year (estimated), ...)
  and a weight, in the manner of Fellegi and Sunter's record linkage: agreement adds,
  disagreement subtracts. The score is the logistic of the summed weights.
- "match" needs strong evidence and nothing that disagrees: the same valid NHS number
  with no contradiction; or given names that are the same or a known short form, family
  names the same allowing for spelling and hyphenation, and the same full date of birth,
  with no other field disagreeing.
- "A false match merges two children's histories: it is the worst error." So different
  given names, or different dates of birth, are never a match without the same NHS
  number (twins; a parent and a child of the same name; common names), and records from
  one household with one birthday whose given names are not the same are at most
  "possible" ("could be twins").
- "A missed match loses a repeat referral: it is the second worst." So typing slips,
  transposed letters, short forms, double-barrelled and changed family names, a date of
  birth with day and month swapped or one digit wrong, and an estimated date of birth
  still reach "possible" when the rest agrees.

String work is rapidfuzz (optimal string alignment, Levenshtein and Jaro-Winkler
distances in C++) and jellyfish (Metaphone phonetic keys); nicknames come from a table
with a known source (``mash.people.names``). docs/decisions/0004-person-matching.md says
why.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from operator import ne
from typing import Any, Literal

import jellyfish
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from mash.people.names import normalise, short_forms

MatchClass = Literal["match", "possible", "no_match"]
SEXES = ("female", "male", "other", "unknown")

#: Summed weight at which a pair becomes "possible" (when nothing rules it out).
POSSIBLE_AT = 6.0
#: The logistic's midpoint and scale: the contract's example pair (known short form,
#: one family name part of the other, day and month swapped) scores 0.81.
_MIDPOINT = 5.1
_SCALE = 2.0
#: Each class's band of scores, so that a "match" always outscores a "possible".
_BANDS: dict[str, tuple[float, float]] = {
    "match": (0.90, 1.0),
    "possible": (0.50, 0.89),
    "no_match": (0.0, 0.49),
}


class PersonError(ValueError):
    """A person record (or a pair) that cannot be read; ``field`` names what is wrong,
    e.g. ``a.date_of_birth``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# --- NHS numbers -------------------------------------------------------------------


def nhs_number_digits(text: str) -> str:
    """The number with its spaces removed (the contract allows spaces)."""
    return "".join(text.split())


def nhs_number_is_valid(text: str) -> bool:
    """Ten digits whose last is the modulus 11 check digit of the first nine (NHS Data
    Dictionary, "NHS Number"): weights 10 down to 2, 11 minus the remainder mod 11,
    11 becomes 0, and 10 means no valid number has those nine digits."""
    digits = nhs_number_digits(text)
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def format_nhs_number(digits: str) -> str:
    """3 3 4 grouping, as printed on NHS cards, where it has ten characters."""
    if len(digits) == 10:
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return digits


# --- the person record -------------------------------------------------------------


def normalise_postcode(text: str) -> str:
    """Upper case, no spaces: "hr1 2ab" -> "HR12AB"."""
    return "".join(text.split()).upper()


@dataclass(frozen=True)
class _Name:
    key: str  # letters only, no spaces: "hughesprice"
    tokens: tuple[str, ...]  # ("hughes", "price")
    alias: bool  # from other_names rather than the name fields

    @classmethod
    def of(cls, text: str, *, alias: bool = False) -> _Name | None:
        return _name_of(text, alias)


@lru_cache(maxsize=65536)
def _name_of(text: str, alias: bool) -> _Name | None:
    """``_Name.of``, remembered: names recur (the person index makes the matcher's view
    of each candidate's record, thousands a batch), and a ``_Name`` is frozen, so one
    can be shared."""
    tokens = tuple(normalise(text).split())
    if not tokens:
        return None
    return _Name(key="".join(tokens), tokens=tokens, alias=alias)


@dataclass(frozen=True)
class Person:
    """One record of a person, as the contract's JSON gives it. Build one with
    :func:`person_from_mapping` (which checks each field) or directly."""

    given_name: str
    family_name: str
    other_names: tuple[str, ...] = ()
    date_of_birth: dt.date | None = None
    birth_year: int | None = None
    sex: str | None = None
    nhs_number: str | None = None
    postcode: str | None = None
    address: str | None = None

    # Derived once, when the record is made (normalised names, checked numbers).
    _given: tuple[_Name, ...] = field(init=False, repr=False, compare=False)
    _family: tuple[_Name, ...] = field(init=False, repr=False, compare=False)
    nhs_digits: str | None = field(init=False, repr=False, compare=False)
    valid_nhs_number: str | None = field(init=False, repr=False, compare=False)
    _postcode: str | None = field(init=False, repr=False, compare=False)
    _address: str | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        given = [_Name.of(self.given_name)]
        family = [_Name.of(self.family_name)]
        for other in self.other_names:
            # "Liv Hughes": the first word a given name, the rest a family name.
            tokens = normalise(other).split()
            if tokens:
                given.append(_Name.of(tokens[0], alias=True))
            if len(tokens) > 1:
                family.append(_Name.of(" ".join(tokens[1:]), alias=True))
        digits = nhs_number_digits(self.nhs_number) if self.nhs_number else None
        derived = {
            "_given": tuple(n for n in given if n is not None),
            "_family": tuple(n for n in family if n is not None),
            "nhs_digits": digits or None,
            "valid_nhs_number": digits if digits and nhs_number_is_valid(digits) else None,
            "_postcode": normalise_postcode(self.postcode) if self.postcode else None,
            "_address": (normalise(self.address) or None) if self.address else None,
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    @property
    def year(self) -> int | None:
        """The year of birth, known or estimated."""
        return self.date_of_birth.year if self.date_of_birth else self.birth_year


def _text(data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise PersonError(f"{where}{key}", "missing")
        return None
    if not isinstance(value, str):
        raise PersonError(f"{where}{key}", "must be text")
    if required and not normalise(value):
        raise PersonError(f"{where}{key}", "missing (no letters in it)")
    return value if value.strip() else None


def person_from_mapping(data: Any, *, side: str = "") -> Person:
    """Read one person from the contract's JSON object, checking each field; raises
    :class:`PersonError` naming the field (``side`` prefixes it: ``a.birth_year``).
    Unknown keys are ignored (the contract may be extended)."""
    where = f"{side}." if side else ""
    if data is None:
        raise PersonError(side or "person", "missing")
    if not isinstance(data, Mapping):
        raise PersonError(side or "person", "must be a JSON object")
    given = _text(data, "given_name", where, required=True)
    family = _text(data, "family_name", where, required=True)
    if given is None or family is None:  # _text raised already; this narrows the type
        raise PersonError(f"{where}given_name", "missing")

    others_raw = data.get("other_names")
    if others_raw is None:
        others: tuple[str, ...] = ()
    elif isinstance(others_raw, list) and all(isinstance(o, str) for o in others_raw):
        others = tuple(others_raw)
    else:
        raise PersonError(f"{where}other_names", "must be a list of names (text)")

    dob: dt.date | None = None
    dob_raw = data.get("date_of_birth")
    if dob_raw is not None:
        if not isinstance(dob_raw, str):
            raise PersonError(f"{where}date_of_birth", "must be a date in the form YYYY-MM-DD")
        try:
            if len(dob_raw.strip()) != 10:
                raise ValueError(dob_raw)
            dob = dt.date.fromisoformat(dob_raw.strip())
        except ValueError:
            raise PersonError(
                f"{where}date_of_birth", "not a date in the form YYYY-MM-DD"
            ) from None

    year_raw = data.get("birth_year")
    year: int | None = None
    if year_raw is not None:
        if isinstance(year_raw, bool) or not isinstance(year_raw, int):
            raise PersonError(f"{where}birth_year", "must be a whole year, e.g. 2015")
        if not 1850 <= year_raw <= 2200:
            raise PersonError(f"{where}birth_year", "not a plausible year of birth")
        if dob is not None and dob.year != year_raw:
            raise PersonError(f"{where}birth_year", "does not agree with date_of_birth")
        year = year_raw

    sex_raw = data.get("sex")
    sex: str | None = None
    if sex_raw is not None:
        if not isinstance(sex_raw, str) or sex_raw.strip().lower() not in SEXES:
            raise PersonError(f"{where}sex", "must be one of female, male, other, unknown")
        sex = sex_raw.strip().lower()

    nhs_raw = data.get("nhs_number")
    if nhs_raw is None:
        nhs: str | None = None
    elif isinstance(nhs_raw, str):
        nhs = nhs_raw if nhs_raw.strip() else None
    elif isinstance(nhs_raw, int) and not isinstance(nhs_raw, bool):
        nhs = str(nhs_raw)
    else:
        raise PersonError(f"{where}nhs_number", "must be text: 10 digits, spaces allowed")

    return Person(
        given_name=given,
        family_name=family,
        other_names=others,
        date_of_birth=dob,
        birth_year=year,
        sex=sex,
        nhs_number=nhs,
        postcode=_text(data, "postcode", where),
        address=_text(data, "address", where),
    )


# --- comparing fields --------------------------------------------------------------


class Level(Enum):
    """How one field compares; the value is (weight, reason or None)."""

    # given name
    GIVEN_SAME = (4.0, "given name: same")
    GIVEN_FIRST_SAME = (3.5, "given name: same first name (a middle name on one only)")
    GIVEN_SHORT_FORM = (3.0, "given name: known short form")
    GIVEN_TOKEN = (2.5, "given name: one of the given names agrees")
    GIVEN_SLIP = (2.0, "given name: typing slip")
    GIVEN_TRANSPOSED = (2.0, "given name: transposed letters")
    GIVEN_FORMS = (2.0, "given name: may be forms of the same name")
    GIVEN_PREFIX = (2.0, "given name: one may be a short form of the other")
    GIVEN_SOUNDS = (1.5, "given name: sounds alike")
    GIVEN_INITIAL = (1.0, "given name: initial agrees")
    GIVEN_DIFFERENT = (-7.0, "given name: different")
    # family name
    FAMILY_SAME = (4.0, "family name: same")
    FAMILY_REORDERED = (3.5, "family name: the same parts in another order")
    FAMILY_PART = (2.5, "family name: one is part of the other")
    FAMILY_SLIP = (2.5, "family name: typing slip")
    FAMILY_TRANSPOSED = (2.5, "family name: transposed letters")
    FAMILY_SOUNDS = (1.5, "family name: sounds alike")
    FAMILY_DIFFERENT = (-2.0, "family name: different (it may have changed)")
    # date of birth
    DOB_SAME = (5.0, "date of birth: same")
    DOB_SWAPPED = (2.5, "date of birth: day and month swapped")
    DOB_ONE_DIGIT = (2.0, "date of birth: one digit differs")
    DOB_SAME_YEAR = (1.5, "date of birth: same year (estimated)")
    DOB_NEAR_YEAR = (0.5, "date of birth: within a year (estimated)")
    DOB_DIFFERENT = (-7.0, "date of birth: different")
    # sex
    SEX_SAME = (0.5, "sex: same")
    SEX_DIFFERENT = (-3.0, "sex: different")
    # NHS number
    NHS_SAME = (8.0, "NHS number: same")
    NHS_DIFFERENT = (-6.0, "NHS number: different")
    # postcode and address
    POSTCODE_SAME = (1.5, "postcode: same")
    POSTCODE_AREA = (0.5, "postcode: same district")
    POSTCODE_DIFFERENT = (-0.5, "postcode: different")
    ADDRESS_SAME = (1.0, "address: same")
    ADDRESS_DIFFERENT = (-0.5, "address: different")

    @property
    def weight(self) -> float:
        return _WEIGHTS[self]

    @property
    def reason(self) -> str:
        return str(self.value[1])


_WEIGHTS: dict[Level, float] = {level: float(level.value[0]) for level in Level}


#: Each level's place in the definition, to break ties between levels of one weight.
_ORDER = {level: place for place, level in enumerate(Level)}
STRONG_GIVEN = frozenset({Level.GIVEN_SAME, Level.GIVEN_FIRST_SAME, Level.GIVEN_SHORT_FORM})
STRONG_FAMILY = frozenset(
    {
        Level.FAMILY_SAME,
        Level.FAMILY_REORDERED,
        Level.FAMILY_PART,
        Level.FAMILY_SLIP,
        Level.FAMILY_TRANSPOSED,
    }
)
DISAGREEING = frozenset(
    {
        Level.SEX_DIFFERENT,
        Level.NHS_DIFFERENT,
        Level.POSTCODE_DIFFERENT,
        Level.ADDRESS_DIFFERENT,
    }
)


def _slip(x: str, y: str) -> str | None:
    """ "transposed" or "slip" where two spellings are one or two keystrokes apart
    (two only in names of six letters or more), else None."""
    shorter = min(len(x), len(y))
    if shorter < 3:
        return None
    distance = OSA.distance(x, y, score_cutoff=2)
    if distance == 1:
        return "transposed" if Levenshtein.distance(x, y) == 2 else "slip"
    if distance == 2 and shorter >= 6:
        return "slip"
    return None


def _sounds_alike(x: str, y: str) -> bool:
    return (
        len(x) > 1
        and len(y) > 1
        and jellyfish.metaphone(x) == jellyfish.metaphone(y)
        and JaroWinkler.similarity(x, y) >= 0.85
    )


def _compare_given(x: _Name, y: _Name) -> Level:
    return _given_level(x.tokens, y.tokens)


def _compare_family(x: _Name, y: _Name) -> Level:
    return _family_level(x.tokens, y.tokens)


#: Name pairs compared, remembered: a hub's names repeat (the person index compares each
#: new person with thirty candidates, mostly of a few hundred common names), and each
#: comparison is a function of the two names alone (and the short-form table, loaded
#: once a process).
_PAIRS_REMEMBERED = 65_536


@lru_cache(maxsize=_PAIRS_REMEMBERED)
def _given_level(x_tokens: tuple[str, ...], y_tokens: tuple[str, ...]) -> Level:
    x = _Name(key="".join(x_tokens), tokens=x_tokens, alias=False)
    y = _Name(key="".join(y_tokens), tokens=y_tokens, alias=False)
    forms = short_forms()
    if x.key == y.key:
        return Level.GIVEN_SAME
    first_x, first_y = x.tokens[0], y.tokens[0]
    if first_x == first_y and (len(x.tokens) == 1 or len(y.tokens) == 1):
        return Level.GIVEN_FIRST_SAME
    if forms.known_short_form(x.key, y.key) or forms.known_short_form(first_x, first_y):
        return Level.GIVEN_SHORT_FORM
    if (len(x.tokens) > 1 or len(y.tokens) > 1) and set(x.tokens) & set(y.tokens):
        return Level.GIVEN_TOKEN
    slip = _slip(x.key, y.key)
    if slip:
        return Level.GIVEN_TRANSPOSED if slip == "transposed" else Level.GIVEN_SLIP
    if forms.same_name_forms(x.key, y.key) or forms.same_name_forms(first_x, first_y):
        return Level.GIVEN_FORMS
    short, long = sorted((x.key, y.key), key=len)
    if len(short) >= 3 and long.startswith(short):
        return Level.GIVEN_PREFIX
    if _sounds_alike(x.key, y.key):
        return Level.GIVEN_SOUNDS
    if len(short) == 1 and long.startswith(short):
        return Level.GIVEN_INITIAL
    return Level.GIVEN_DIFFERENT


@lru_cache(maxsize=_PAIRS_REMEMBERED)
def _family_level(x_tokens: tuple[str, ...], y_tokens: tuple[str, ...]) -> Level:
    x = _Name(key="".join(x_tokens), tokens=x_tokens, alias=False)
    y = _Name(key="".join(y_tokens), tokens=y_tokens, alias=False)
    if x.key == y.key:
        return Level.FAMILY_SAME
    if len(x.tokens) > 1 or len(y.tokens) > 1:
        if sorted(x.tokens) == sorted(y.tokens):
            return Level.FAMILY_REORDERED
        if set(x.tokens) & set(y.tokens):
            return Level.FAMILY_PART
    slip = _slip(x.key, y.key)
    if slip:
        return Level.FAMILY_TRANSPOSED if slip == "transposed" else Level.FAMILY_SLIP
    if _sounds_alike(x.key, y.key):
        return Level.FAMILY_SOUNDS
    return Level.FAMILY_DIFFERENT


def _best(xs: Iterable[_Name], ys: Iterable[_Name], compare: Any) -> tuple[Level, bool]:
    """The best level over every pair of names (the recorded names and other names);
    True where the best came only from another name."""
    ys = tuple(ys)
    best: Level | None = None
    best_alias = False
    for x in xs:
        for y in ys:
            level = compare(x, y)
            alias = x.alias or y.alias
            # The greatest weight; of equal weights, one not from another name; then
            # the level defined first (so the answer does not depend on which record
            # is which: Smith~Smyth and Hughes-Price~Hughes are both 2.5).
            if best is None or (level.weight, not alias, -_ORDER[level]) > (
                best.weight,
                not best_alias,
                -_ORDER[best],
            ):
                best, best_alias = level, alias
    if best is None:
        raise ValueError("a person record has no name to compare")
    return best, best_alias


def _compare_dob(a: Person, b: Person) -> Level | None:
    if a.date_of_birth and b.date_of_birth:
        x, y = a.date_of_birth, b.date_of_birth
        if x == y:
            return Level.DOB_SAME
        if x.year == y.year and x.day == y.month and x.month == y.day:
            return Level.DOB_SWAPPED
        if _digits_differing(x, y) == 1:
            return Level.DOB_ONE_DIGIT
        return Level.DOB_DIFFERENT
    if a.year is not None and b.year is not None:
        gap = abs(a.year - b.year)
        if gap == 0:
            return Level.DOB_SAME_YEAR
        if gap == 1:
            return Level.DOB_NEAR_YEAR
        return Level.DOB_DIFFERENT
    return None


def _digits_differing(x: dt.date, y: dt.date) -> int:
    """How many characters of the two dates' ISO forms differ ("2012-03-14" against
    "2012-03-15": one). Counted in C (``map`` over the two strings): the person index
    asks it of most pairs it compares."""
    return sum(map(ne, x.isoformat(), y.isoformat()))


def _compare_sex(a: Person, b: Person) -> Level | None:
    known = {"female", "male"}
    if a.sex in known and b.sex in known:
        return Level.SEX_SAME if a.sex == b.sex else Level.SEX_DIFFERENT
    return None


def _compare_postcode(a: Person, b: Person) -> Level | None:
    x, y = a._postcode, b._postcode
    if not x or not y:
        return None
    if x == y:
        return Level.POSTCODE_SAME
    if len(x) >= 5 and len(y) >= 5 and x[:-3] == y[:-3]:
        return Level.POSTCODE_AREA
    return Level.POSTCODE_DIFFERENT


def _compare_address(a: Person, b: Person) -> Level | None:
    x, y = a._address, b._address
    if not x or not y:
        return None
    if fuzz.token_sort_ratio(x, y) >= 90:
        return Level.ADDRESS_SAME
    return Level.ADDRESS_DIFFERENT


# --- the decision ------------------------------------------------------------------


@dataclass(frozen=True)
class MatchResult:
    """The contract's answer for one pair: class, score (0 to 1, two decimals) and the
    reasons, one per field that moved the score."""

    match: MatchClass
    score: float
    reasons: tuple[str, ...] = field(default_factory=tuple)

    def as_json(self, pair_id: Any) -> dict[str, Any]:
        """The contract's output line (before ``json.dumps``)."""
        return {
            "id": pair_id,
            "match": self.match,
            "score": self.score,
            "reasons": list(self.reasons),
        }


def _score(weight: float, klass: MatchClass) -> float:
    raw = 1.0 / (1.0 + math.exp(-(weight - _MIDPOINT) / _SCALE))
    low, high = _BANDS[klass]
    return round(min(max(raw, low), high), 2)


def ruled_out(a: Person, b: Person) -> bool:
    """Whether ``match(a, b)`` is "no_match" whatever their addresses, unless both have
    the same valid NHS number: their given names differ (every name recorded for each),
    or their dates of birth do. Needs only names and dates, so the person index can set
    aside most of a new person's candidates without opening their sealed fields."""
    dob = _compare_dob(a, b)
    if dob is Level.DOB_DIFFERENT:  # the cheaper look first
        return True
    if not a._given or not b._given:
        raise ValueError("a person record has no name to compare")  # as ``_best``
    # ``_best``'s level is "different" only when every pair of names is: it is the one
    # given-name level of the least weight. Asked of most pairs the index compares, so
    # without ``_best``'s ranking of each level.
    return all(
        _given_level(x.tokens, y.tokens) is Level.GIVEN_DIFFERENT
        for x in a._given
        for y in b._given
    )


def _rules_out(given: Level, dob: Level | None) -> bool:
    """Given names or dates of birth that differ: no match, but on the same NHS number."""
    return given is Level.GIVEN_DIFFERENT or dob is Level.DOB_DIFFERENT


def match(a: Person, b: Person) -> MatchResult:
    """Decide whether ``a`` and ``b`` are records of the same person
    (contracts/person-matching.md, "What it must get right"). Symmetric:
    ``match(a, b) == match(b, a)``."""
    reasons: list[str] = []
    levels: list[Level] = []

    def note(level: Level | None, *, alias: bool = False) -> None:
        if level is None:
            return
        levels.append(level)
        reason = level.reason
        if alias and level.weight > 0:
            reason += " (as another name recorded)"
        reasons.append(reason)

    family, family_alias = _best(a._family, b._family, _compare_family)
    given, given_alias = _best(a._given, b._given, _compare_given)
    dob = _compare_dob(a, b)
    sex = _compare_sex(a, b)
    note(family, alias=family_alias)
    note(given, alias=given_alias)
    note(dob)
    note(sex)

    nhs: Level | None = None
    invalid = sorted(
        {
            format_nhs_number(p.nhs_digits)
            for p in (a, b)
            if p.nhs_digits and p.valid_nhs_number is None
        }
    )
    for number in invalid:
        reasons.append(
            f"NHS number: {number} is not a valid NHS number (modulus 11 check), ignored"
        )
    if a.valid_nhs_number and b.valid_nhs_number:
        nhs = Level.NHS_SAME if a.valid_nhs_number == b.valid_nhs_number else Level.NHS_DIFFERENT
        note(nhs)
    postcode = _compare_postcode(a, b)
    address = _compare_address(a, b)
    note(postcode)
    note(address)

    weight = sum(level.weight for level in levels)
    one_household = postcode is Level.POSTCODE_SAME or address is Level.ADDRESS_SAME
    could_be_twins = (
        family is Level.FAMILY_SAME
        and dob is Level.DOB_SAME
        and one_household
        and given is not Level.GIVEN_SAME
    )
    klass: MatchClass
    if nhs is Level.NHS_SAME:
        contradicted = (
            given is Level.GIVEN_DIFFERENT
            or dob in (Level.DOB_DIFFERENT, Level.DOB_SWAPPED, Level.DOB_ONE_DIGIT)
            or sex is Level.SEX_DIFFERENT
        )
        klass = "possible" if contradicted else "match"
    elif _rules_out(given, dob):
        klass = "no_match"
    elif (
        given in STRONG_GIVEN
        and family in STRONG_FAMILY
        and dob is Level.DOB_SAME
        and not any(level in DISAGREEING for level in levels)
        and not could_be_twins
    ):
        klass = "match"
    elif weight >= POSSIBLE_AT:
        klass = "possible"
    else:
        klass = "no_match"
    if could_be_twins and klass == "possible":
        reasons.append("could be twins: same family name, date of birth and address")
    return MatchResult(match=klass, score=_score(weight, klass), reasons=tuple(reasons))


def match_mappings(a: Any, b: Any) -> MatchResult:
    """:func:`match` on two of the contract's JSON objects (raises :class:`PersonError`)."""
    return match(person_from_mapping(a, side="a"), person_from_mapping(b, side="b"))
