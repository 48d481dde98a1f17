"""One search box for people and enquiries (issue 14, "Search").

The words typed are read into terms (pure: :func:`parse_terms`): an enquiry reference,
an NHS number, a postcode, a date of birth, and the rest a name (the last word the
family name, the first the given name). People are found by the index's blocking keys,
allowing for the same variants as matching (Metaphone codes of each family name part,
a given name's known short forms), paged in SQL; each result says why it matched.
Where no family name sounds or begins alike, those spelt alike are found by trigram
similarity (pg_trgm on PostgreSQL, the same similarity as a function on SQLite:
``mash.people.trigrams``), so both give the same answers. The hub's page is one join:
the index keeps each person's latest record (``IndexedPerson.latest_person``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from rapidfuzz.distance import OSA

from mash.enquiries.models import Enquiry, Person

from . import keys as blocking
from . import trigrams
from .matching import nhs_number_digits, nhs_number_is_valid
from .models import BlockingKey, IndexedPerson, PersonLink
from .names import normalise, short_forms
from .selectors import born_annotations

_REFERENCE = re.compile(r"^MASH-\d{4}-\d{5}$", re.IGNORECASE)
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$|^(\d{4})-(\d{2})-(\d{2})$")
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$", re.IGNORECASE)


class SearchError(ValueError):
    """Terms that cannot be searched for; the message names what is wrong."""


@dataclass(frozen=True)
class Terms:
    reference: str | None = None
    nhs_number: str | None = None
    postcode: str | None = None
    date_of_birth: dt.date | None = None
    names: tuple[str, ...] = field(default_factory=tuple)

    @property
    def family(self) -> str | None:
        return self.names[-1] if self.names else None

    @property
    def given(self) -> str | None:
        return self.names[0] if len(self.names) > 1 else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "nhs_number": self.nhs_number,
            "postcode": self.postcode,
            "date_of_birth": self.date_of_birth,
            "names": list(self.names),
        }


def _date(text: str) -> dt.date | None:
    found = _DATE.match(text)
    if not found:
        return None
    if found.group(1):
        day, month, year = int(found.group(1)), int(found.group(2)), int(found.group(3))
    else:
        year, month, day = int(found.group(4)), int(found.group(5)), int(found.group(6))
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise SearchError(f"Search: {text} is not a real date") from error


def parse_terms(text: str) -> Terms:
    """``"Olivia Hughes 7/3/2015"``, ``"HR1 2AB"``, ``"943 476 5919"``,
    ``"MASH-2026-12345"``: what the words are."""
    text = " ".join(text.split())
    if not text:
        raise SearchError("Search: enter a name, date of birth, NHS number, postcode or reference")
    if len(text) > 200:
        raise SearchError("Search: enter 200 characters or fewer")
    if _REFERENCE.match(text):
        return Terms(reference=text.upper())
    digits = nhs_number_digits(text)
    if digits.isdigit() and len(digits) == 10:
        if not nhs_number_is_valid(digits):
            raise SearchError("Search: that NHS number fails its check digit; check the number")
        return Terms(nhs_number=digits)
    words = text.split(" ")
    postcode = None
    for width in (2, 1):
        if len(words) >= width and _POSTCODE.match(" ".join(words[-width:])):
            postcode = " ".join(words[-width:]).upper()
            words = words[:-width]
            break
    born = None
    names = []
    for word in words:
        when = _date(word)
        if when is not None:
            born = when
        elif normalise(word):
            names.append(normalise(word))
    if not names and born is None and postcode is None:
        raise SearchError("Search: enter a name, date of birth, NHS number, postcode or reference")
    return Terms(postcode=postcode, date_of_birth=born, names=tuple(names))


def _holding(keys: set[str]) -> QuerySet[Any]:
    """The indexed people holding any of ``keys`` (one range of the key's index each)."""
    return BlockingKey.objects.filter(key__in=sorted(keys)).values("indexed_person_id").order_by()


def _key_sets(terms: Terms, found: QuerySet[IndexedPerson]) -> list[QuerySet[Any]]:
    """One set of indexed people for each term, to intersect. Each term's people are read
    from the key index as a set and the sets intersected in the database (``INTERSECT``),
    rather than one term's rows probed against the other's for each row: a common family
    name with a common given name (Jean Smith) took 300 ms probed at ten years' size."""
    sets: list[QuerySet[Any]] = []
    if terms.nhs_number:
        from .matching import Person as Record
        from .services import nhs_key

        # Recorded at intake, sealed; the index keeps a keyed hash of it.
        sets.append(
            _holding(nhs_key(Record(given_name="-", family_name="-", nhs_number=terms.nhs_number)))
        )
    if terms.family:
        codes = blocking.family_codes([terms.family])
        prefixes = blocking.family_prefixes([terms.family])
        family = _holding({f"f:{c}" for c in codes} | {f"fp:{p}" for p in prefixes})
        if found.filter(pk__in=_intersect([*sets, family])).exists():
            sets.append(family)
        else:
            # Nobody by sound or first letters: those spelt alike (trigrams, as
            # pg_trgm, from its GIN index on PostgreSQL), e.g. a slip in a name's first
            # letters. Only then: most searches are answered by the keys alone.
            sets.append(
                PersonLink.objects.filter(trigrams.Similar(F("person__last_name"), terms.family))
                .values("indexed_person_id")
                .order_by()
            )
    if terms.given:
        sets.append(_holding({f"g:{c}" for c in blocking.given_codes([terms.given])}))
    if terms.date_of_birth:
        # The year's key narrows; the dates themselves are checked on the records.
        sets.append(_holding({f"y:{terms.date_of_birth.year}"}))
    if terms.postcode:
        sets.append(_holding({f"pc:{blocking.postcode_sector(terms.postcode)}"}))
    return sets


#: Most people a search's keys find that are passed to its page as a list of ids.
_LISTED = 2000


def _intersect(sets: list[QuerySet[Any]]) -> QuerySet[Any]:
    return sets[0].intersection(*sets[1:]) if len(sets) > 1 else sets[0]


def people(terms: Terms, *, hub_id: Any, agency_id: Any = None) -> QuerySet[IndexedPerson]:
    """The indexed people the terms find, newest contact first, each annotated with the
    name of their latest record and the best date of birth their records know (the
    latest record that has one; else ``estimated_age`` and ``estimated_on``); for a
    partner, of the records in requests sent to their agency. ``agency_id`` limits to a
    partner's people."""
    found = IndexedPerson.objects.filter(hub_id=hub_id, merged_into__isnull=True)
    if terms.reference:
        return found.none()
    sets = _key_sets(terms, found)
    if sets:
        # The people the keys find, read first as ids where they are few: given the
        # intersection as a subquery, PostgreSQL cannot tell 17 people from 1,800 and
        # read every indexed person to join them (a hash join: 11 ms at 134,000 indexed
        # people, growing with the index); given the ids, it looks each one up.
        every = _intersect(sets)
        ids = [row["indexed_person_id"] for row in every[: _LISTED + 1]]
        found = found.filter(pk__in=ids if len(ids) <= _LISTED else every)
    if terms.date_of_birth:
        born = terms.date_of_birth
        dates = {born}
        if born.day <= 12 and born.day != born.month:
            dates.add(dt.date(born.year, born.day, born.month))
        found = found.filter(
            Exists(
                PersonLink.objects.filter(
                    indexed_person_id=OuterRef("pk"), person__date_of_birth__in=sorted(dates)
                )
            )
        )
    records = Person.objects.filter(index_link__indexed_person_id=OuterRef("pk"))
    if agency_id is None:
        # The hub sees each person's latest record, which the index keeps
        # (``IndexedPerson.latest_person``): one join, sorted by a column. Where it was
        # destroyed since (retention), the latest left is read instead.
        latest = records.order_by("-created_at", "-pk")
        fields: dict[str, tuple[str, str, Any]] = {
            "first_name": ("latest_person__first_name", "first_name", models.CharField()),
            "last_name": ("latest_person__last_name", "last_name", models.CharField()),
            "latest_enquiry": ("latest_person__enquiry_id", "enquiry_id", models.UUIDField()),
            "latest_reference": (
                "latest_person__enquiry__reference",
                "enquiry__reference",
                models.CharField(),
            ),
        }
        birth = born_annotations(records)
        found = found.annotate(
            **{
                name: Coalesce(F(kept), Subquery(latest.values(left)[:1]), output_field=output)
                for name, (kept, left, output) in fields.items()
            },
            # The latest record's date of birth, else the latest record's that has one
            # (a merge may have made the latest one with an estimated age only).
            date_of_birth=Coalesce(
                F("latest_person__date_of_birth"),
                birth["date_of_birth"],
                output_field=models.DateField(),
            ),
            estimated_age=birth["estimated_age"],
            estimated_on=birth["estimated_on"],
        )
        return found.order_by(F("latest_at").desc(nulls_last=True), "pk")
    records = records.filter(requests__agency_id=agency_id)
    found = found.filter(Exists(records))
    latest = records.order_by("-created_at", "-pk")
    found = found.annotate(
        first_name=Subquery(latest.values("first_name")[:1]),
        last_name=Subquery(latest.values("last_name")[:1]),
        **born_annotations(records),
        latest_enquiry=Subquery(latest.values("enquiry_id")[:1], output_field=models.UUIDField()),
        latest_reference=Subquery(latest.values("enquiry__reference")[:1]),
        latest_contact=Subquery(latest.values("created_at")[:1]),
    )
    if agency_id is not None:
        latest_request = (
            Person.requests.through.objects.filter(
                person__index_link__indexed_person_id=OuterRef("pk"),
                informationrequest__agency_id=agency_id,
            )
            .order_by("-informationrequest__created_at")
            .values("informationrequest_id")[:1]
        )
        found = found.annotate(
            latest_request=Subquery(latest_request, output_field=models.UUIDField())
        )
    return found.order_by(F("latest_contact").desc(nulls_last=True), "pk")


def enquiries(terms: Terms, *, hub_id: Any) -> QuerySet[Enquiry]:
    if not terms.reference:
        return Enquiry.objects.none()
    return Enquiry.objects.filter(hub_id=hub_id, reference=terms.reference)


def why(terms: Terms, row: Any) -> list[str]:
    """Why a row matched, in words (from the terms and the row's latest record)."""
    reasons: list[str] = []
    if terms.family:
        theirs = normalise(row.last_name or "")
        if theirs == terms.family:
            reasons.append("family name: the same")
        elif terms.family in theirs.split() or theirs in terms.family.split():
            reasons.append("family name: one is part of the other")
        elif any(OSA.distance(terms.family, part) <= 2 for part in theirs.split()):
            reasons.append("family name: a letter or two different (a typing slip?)")
        else:
            reasons.append("family name: sounds alike or begins the same")
    if terms.given:
        given_parts = normalise(row.first_name or "").split()
        first = given_parts[0] if given_parts else ""
        forms = short_forms()
        if first == terms.given:
            reasons.append("given name: the same")
        elif forms.known_short_form(first, terms.given) or forms.same_name_forms(
            first, terms.given
        ):
            reasons.append("given name: a known short form")
        else:
            reasons.append("given name: sounds alike (or another name recorded)")
    if terms.date_of_birth:
        if row.date_of_birth == terms.date_of_birth:
            reasons.append("date of birth: the same")
        else:
            reasons.append("date of birth: day and month swapped (or on another record)")
    if terms.nhs_number:
        reasons.append("NHS number: the same")
    if terms.postcode:
        reasons.append(f"postcode: in the area {blocking.postcode_sector(terms.postcode)}")
    return reasons
