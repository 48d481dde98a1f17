"""Blocking keys: short codes that find candidate matches without a scan (pure Python).

- ``fy:<Metaphone of a family name part>:<year of birth>`` and
  ``gy:<Metaphone of a given name or of the formal name it is short for>:<year>``: the
  main blocks (a changed family name is still found through the given name and year);
- ``f:<code>`` and ``g:<code>``: the same without a year, for searching by name alone,
  and ``fp:<first four letters of a family name part>``, so a slip late in a name
  (Hughs for Hughes) is still found (these are the name's first letters, kept for
  search; a name of three letters or fewer gives none);
- ``y:<year>``; ``pc:<postcode sector>`` ("HR12": outward code and sector, an area of a
  few thousand addresses, never the full postcode or the address) and
  ``pcy:<sector>:<year>`` (a block: a household's children of one age).

Looking up, an estimated or mistyped year is allowed for by asking the year either side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import jellyfish

from mash.people.matching import Person
from mash.people.names import normalise, short_forms

_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9])[A-Z]{2}\b")


def postcode_in(text: str | None) -> str | None:
    """The first UK postcode in ``text`` ("12 Mill Lane, Hereford HR1 2AB" -> "HR1 2AB")."""
    if not text:
        return None
    found = _POSTCODE.search(text.upper())
    return f"{found.group(1)} {found.group(2)}{found.group(0)[-2:]}" if found else None


def postcode_sector(postcode: str | None) -> str | None:
    found = _POSTCODE.search(postcode.upper()) if postcode else None
    return f"{found.group(1)}{found.group(2)}" if found else None


def code(token: str) -> str:
    """The Metaphone code of one normalised name part (at most 12 characters)."""
    return (jellyfish.metaphone(token) or token)[:12].upper()


def family_codes(names: Iterable[str]) -> set[str]:
    """Each part of each family name ("Hughes-Price" gives HKS and PRS) and the whole."""
    codes: set[str] = set()
    for name in names:
        tokens = normalise(name).split()
        codes.update(code(t) for t in tokens if len(t) > 1)
        if len(tokens) > 1:
            codes.add(code("".join(tokens)))
    return codes


def given_codes(names: Iterable[str]) -> set[str]:
    """Each given name's code and the codes of the formal names it is a short form of
    (Liv and Livvy both give Olivia's), so a nickname shares a key with its name."""
    forms = short_forms()
    codes: set[str] = set()
    for name in names:
        tokens = normalise(name).split()
        if not tokens:
            continue
        first = tokens[0]
        codes.add(code(first))
        for formal in forms.formals.get(first, ()):
            codes.add(code(formal))
    return codes


def _given_names(person: Person) -> list[str]:
    return [person.given_name, *(o.split()[0] for o in person.other_names if o.split())]


def _family_names(person: Person) -> list[str]:
    names = [person.family_name]
    for other in person.other_names:
        parts = other.split()
        if len(parts) > 1:
            names.append(" ".join(parts[1:]))
    return names


def family_prefixes(names: Iterable[str]) -> set[str]:
    """The first four letters of each family name part: a slip later in the name (Hughs,
    Hughes) still shares one with the name, where their sounds may differ."""
    return {t[:4] for name in names for t in normalise(name).split() if len(t) >= 3}


def keys_for(person: Person) -> set[str]:
    """The keys stored for one person."""
    family_names = _family_names(person)
    families = family_codes(family_names)
    givens = given_codes(_given_names(person))
    keys = {f"f:{c}" for c in families} | {f"g:{c}" for c in givens}
    keys |= {f"fp:{p}" for p in family_prefixes(family_names)}
    keys |= names_keys(families, givens)
    year = person.year
    if year is not None:
        keys.add(f"y:{year}")
        keys |= {f"fy:{c}:{year}" for c in families}
        keys |= {f"gy:{c}:{year}" for c in givens}
    sector = postcode_sector(person.postcode)
    if sector:
        keys.add(f"pc:{sector}")
        if year is not None:
            keys.add(f"pcy:{sector}:{year}")
    return keys


def names_keys_of(person: Person) -> set[str]:
    """A person's ``fg:`` keys (``names_keys``), from their names alone."""
    return names_keys(family_codes(_family_names(person)), given_codes(_given_names(person)))


def names_keys(families: Iterable[str], givens: Iterable[str]) -> set[str]:
    """``fg:`` keys: a family name's code with a given name's (``fg:SM0:JN``), the block
    for a person recorded without a date of birth or an age."""
    givens = list(givens)
    return {f"fg:{f}:{g}" for f in families for g in givens}


def lookup_keys(person: Person) -> set[str]:
    """The keys to look candidates up by: the year-bearing blocks, the year either side
    too, and the postcode sector; without a year, the family and given names together
    and the postcode sector. (A name's code alone is too wide to block on: a family
    name's alone gave each adult recorded without a date of birth every namesake in the
    hub, thousands at ten years' size, ranked in no useful order.)"""
    families = family_codes(_family_names(person))
    givens = given_codes(_given_names(person))
    keys: set[str] = set()
    year = person.year
    sector = postcode_sector(person.postcode)
    if year is not None:
        for y in (year - 1, year, year + 1):
            keys |= {f"fy:{c}:{y}" for c in families}
            keys |= {f"gy:{c}:{y}" for c in givens}
        if sector:
            keys |= {f"pcy:{sector}:{y}" for y in (year - 1, year, year + 1)}
    elif givens:
        keys |= names_keys(families, givens)
        if sector:
            keys.add(f"pc:{sector}")
    else:
        keys |= {f"f:{c}" for c in families}
    return keys
