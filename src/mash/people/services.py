"""The person index's operations: the only writers of its tables (issue 14).

Each public function is one operation with keyword-only arguments, one transaction and
its record entry written in that transaction. Matching is ``mash.people.matching``:
a certain match links automatically, a possible one is a suggestion a practitioner
confirms or rejects, and a person is never linked on a "possible" alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db import connection, connections, transaction
from django.db.models import Case, DateTimeField, F, OuterRef, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac

from mash.enquiries.models import Enquiry, Person, PersonKind
from mash.keys.services import prefetch_keys
from mash.lib.postgresql.arrays import quick_arrays
from mash.records.models import Action
from mash.records.services import record, record_many

from . import keys as blocking
from . import matching, ranking
from .models import (
    BlockingKey,
    IndexedPerson,
    LinkedBy,
    MatchSuggestion,
    Merge,
    PersonLink,
    Relationship,
    RelationshipKind,
    SuggestionStatus,
)

#: Candidates compared with each new person, likeliest first (most keys in common).
CANDIDATES = 30
#: Linked records of each candidate compared (its most recent).
RECORDS_PER_CANDIDATE = 5


class IndexError_(Exception):
    """An operation the index refuses, with a message for the practitioner."""


def _year_estimate(person: Person) -> int | None:
    if person.estimated_age is None:
        return None
    enquiry = person.enquiry
    return _estimated_year(person.estimated_age, enquiry.received_at, enquiry.created_at)


def _estimated_year(age: int, received: Any, created: Any) -> int:
    return (received or created or timezone.now()).year - age


def as_match_person(person: Person) -> matching.Person:
    """The matcher's view of a person recorded in an enquiry (the address is opened
    under its enquiry's key, in memory only)."""
    return _match_person(
        person.first_name,
        person.last_name,
        person.other_names,
        person.date_of_birth,
        None if person.date_of_birth else _year_estimate(person),
        person.address,
        getattr(person, "nhs_number", ""),
    )


def _match_person(
    first: str,
    last: str,
    other_names: str,
    born: dt.date | None,
    birth_year: int | None,
    address: Any,
    nhs_number: Any,
) -> matching.Person:
    address = str(address or "")
    nhs_number = str(nhs_number or "")
    return matching.Person(
        given_name=first,
        family_name=last,
        other_names=tuple(n.strip() for n in other_names.split(",") if n.strip()),
        date_of_birth=born,
        birth_year=birth_year,
        postcode=blocking.postcode_in(address),
        address=address or None,
        nhs_number=nhs_number or None,
    )


#: A candidate's record as the batch reads it: values, not models (a model and its
#: enquiry's for each of the thousands of records a batch compares were half the cost
#: of indexing the ten-year set), and not its sealed fields (``_SEALED``), which are
#: read only for the records that could match someone (``_Batch._open``).
_RECORD = (
    "indexed_person_id",
    "person_id",
    "person__enquiry_id",
    "person__first_name",
    "person__last_name",
    "person__other_names",
    "person__date_of_birth",
    "person__estimated_age",
    "estimated_on",
    "person__created_at",
)
#: When an age was estimated (the enquiry's receipt, else its recording), read only for
#: the records that have an estimated age and no date of birth: a timestamp read for
#: every record compared was a twentieth of indexing.
_ESTIMATED_ON = Case(
    When(
        person__date_of_birth__isnull=True,
        person__estimated_age__isnull=False,
        then=Coalesce(F("person__enquiry__received_at"), F("person__enquiry__created_at")),
    ),
    default=None,
    output_field=DateTimeField(),
)
_SEALED = ("pk", "address", "nhs_number")


def _records_sql() -> str:
    """``_records_of``'s statement on PostgreSQL: for each indexed person asked about,
    a probe of the links' index and of the person's and enquiry's primary keys (a
    LATERAL subquery fenced by ``OFFSET 0``, as ``ranking`` does), the plan whatever the
    planner believes of the tables. The ORM's ``IN`` list of 2,000 ids was planned as a
    parallel scan of every link (random look-ups priced above reading the table), one
    for each 2,000 candidates, growing with the index: 62 ms a query at 290,000 people,
    and about a fifth of indexing there.

    Each row says which indexed person it is of by their place in the list asked about
    (``WITH ORDINALITY``), and its place among their records by a number: only the
    values the batch uses are sent and read (reading each row's two ids and two times
    more, into Python objects, was a tenth of indexing)."""
    link, person, enquiry = PersonLink._meta, Person._meta, Enquiry._meta
    lc = {f.name: f.column for f in link.concrete_fields}
    pc = {f.name: f.column for f in person.concrete_fields}
    ec = {f.name: f.column for f in enquiry.concrete_fields}
    # The enquiry is looked up only for a record with an estimated age and no date of
    # birth (few): not a join for every record.
    estimated_on = (
        f"CASE WHEN p.{pc['date_of_birth']} IS NULL AND p.{pc['estimated_age']} IS NOT NULL"  # noqa: S608 # nosec B608
        f" THEN (SELECT COALESCE(e.{ec['received_at']}, e.{ec['created_at']})"
        f" FROM {enquiry.db_table} e WHERE e.{ec['id']} = p.{pc['enquiry']}) END"
    )
    columns = ", ".join(
        [
            f"l.{lc['person']}",
            *(f"p.{pc[name]}" for name in ("enquiry", "first_name", "last_name", "other_names")),
            *(f"p.{pc[name]}" for name in ("date_of_birth", "estimated_age")),
            estimated_on,
            f"p.{pc['created_at']}",
            f"ROW_NUMBER() OVER (ORDER BY l.{lc['linked_at']} DESC, l.{lc['id']}) AS k",
        ]
    )
    tables = f"{link.db_table} l JOIN {person.db_table} p ON p.{pc['id']} = l.{lc['person']}"
    each = f"SELECT {columns} FROM {tables} WHERE l.{lc['indexed_person']} = w.ip OFFSET 0"  # noqa: S608 # nosec B608
    return (
        "SELECT w.n, r.* FROM unnest(CAST(%s AS UUID[])) WITH ORDINALITY AS w (ip, n)"  # noqa: S608 # nosec B608
        f" CROSS JOIN LATERAL ({each}) r ORDER BY w.n, r.k"
    )


def _records_of(ip_ids: list[Any]) -> Iterable[tuple[Any, list[tuple[Any, ...]]]]:
    """The links of these indexed people as ``_RECORD`` values (the first value aside),
    each indexed person's most recent first: (indexed person, their rows) for each with
    any."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # psycopg's own reading of times (in C), not Django's (in Python, a call for
            # each value): the same instants, in UTC as the connection's time zone is.
            _times_read_in_c(cursor.cursor)
            cursor.execute(_records_sql(), [ip_ids])
            rows = cursor.fetchall()
        for n, group in groupby(rows, key=itemgetter(0)):
            yield ip_ids[n - 1], [row[:-1] for row in group]
        return
    for chunk in _chunks(ip_ids):
        yield from (
            (ip_id, list(group))
            for ip_id, group in groupby(
                PersonLink.objects.filter(indexed_person_id__in=chunk)
                .annotate(estimated_on=_ESTIMATED_ON)
                .order_by("indexed_person_id", "-linked_at", "pk")
                .values_list(*_RECORD),
                key=itemgetter(0),
            )
        )


def _times_read_in_c(cursor: Any) -> None:
    """Have this psycopg cursor read ``timestamptz`` values with psycopg's own loader
    (C where psycopg's binary build is installed) instead of Django's subclass of the
    Python one. Both give the same instant, aware, in the connection's time zone (UTC:
    Django sets it), so values compare and are written back as Django's."""
    import psycopg
    from psycopg.pq import Format

    oid = psycopg.postgres.types["timestamptz"].oid
    for fmt in (Format.TEXT, Format.BINARY):
        loader = psycopg.adapters.get_loader(oid, fmt)
        if loader is not None:
            cursor.adapters.register_loader(oid, loader)


def _subject_of(row: tuple[Any, ...], sealed: tuple[Any, ...] | None) -> matching.Person:
    """The matcher's view of a record read as ``_RECORD`` values, with its ``_SEALED``
    values opened; without them (``None``), its names and dates alone."""
    _ip, pk, _enquiry, first, last, other, born, age, estimated_on, _at = row
    year = None if born or age is None else _estimated_year(age, estimated_on, None)
    if sealed is None:
        return _names_and_dates(first, last, other, born, year)
    fields = Person._meta
    address = fields.get_field("address").read(pk, sealed[1])  # type: ignore[union-attr]
    nhs = fields.get_field("nhs_number").read(pk, sealed[2])  # type: ignore[union-attr]
    return _match_person(first, last, other, born, year, address, nhs)


#: Records whose names and dates the matcher's view was made of lately: a bound on the
#: memory the cache below may hold (each view about a kilobyte).
_VIEWS_REMEMBERED = 262_144


@lru_cache(maxsize=_VIEWS_REMEMBERED)
def _names_and_dates(
    first: str, last: str, other: str, born: dt.date | None, year: int | None
) -> matching.Person:
    """The matcher's view of a record's names and dates alone, remembered by those
    values (so never out of date: other values are another entry). Indexing the
    ten-year set reads each indexed person as a candidate some thirty times, once for
    each batch whose people share a key with them; making the view each time (its
    names normalised) was a tenth of indexing. The view is frozen, so one can be
    shared."""
    return _match_person(first, last, other, born, year, None, None)


#: The blocking key of a valid NHS number is a keyed hash of it, never the number (the
#: number is sealed on the record; the keys are not). Keyed by the site's secret key.
NHS_KEY = "nhs:"
#: A candidate sharing an NHS number ranks before any sharing only other keys.
NHS_RANK = 1000


def nhs_key(subject: matching.Person) -> set[str]:
    if not subject.valid_nhs_number:
        return set()
    digest = salted_hmac("mash.people.nhs-number", subject.valid_nhs_number).hexdigest()
    return {f"{NHS_KEY}{digest[:40]}"}


def keys_for(subject: matching.Person) -> set[str]:
    """The keys stored for a person: ``mash.people.keys`` and their NHS number's."""
    return blocking.keys_for(subject) | nhs_key(subject)


def lookup_keys(subject: matching.Person) -> set[str]:
    return blocking.lookup_keys(subject) | nhs_key(subject)


@dataclass(frozen=True)
class Candidate:
    indexed_person_id: Any
    result: matching.MatchResult


_RANK = {"match": 2, "possible": 1, "no_match": 0}


def candidates(person: Person) -> list[Candidate]:
    """The indexed people sharing a blocking key with ``person`` in its hub (never a
    scan: the ``CANDIDATES`` with most keys in common), each with the best matching
    result over its ``RECORDS_PER_CANDIDATE`` most recent records; people of the
    person's own enquiry are never candidates (two people in one enquiry are two)."""
    prefetch_keys([person.enquiry_id])
    return _Batch([person], {person.pk: as_match_person(person)}).candidates(person)


_RELATION_OF_KIND: dict[str, RelationshipKind] = {
    PersonKind.PARENT: RelationshipKind.PARENT,
    PersonKind.CARER: RelationshipKind.CARER,
    PersonKind.OTHER_ADULT: RelationshipKind.HOUSEHOLD,
}


@dataclass
class _Linked:
    """A record linked to a candidate, as the batch's people see it (read from the
    index, or linked earlier in the batch); the matcher's view of it is made when first
    compared (``subject``)."""

    person_id: Any
    enquiry_id: Any
    created_at: dt.datetime
    row: tuple[Any, ...] | None = None
    made: matching.Person | None = None
    _unsealed: matching.Person | None = None

    @property
    def opened(self) -> bool:
        return self.made is not None

    def open(self, sealed: tuple[Any, ...]) -> None:
        """Open it with its ``_SEALED`` values (its enquiry's key cached)."""
        if self.row is None:  # pragma: no cover - linked in the batch: made is set
            raise RuntimeError("a record linked in the batch has no row")
        self.made = _subject_of(self.row, sealed)

    @property
    def subject(self) -> matching.Person:
        if self.made is None:  # pragma: no cover - _Batch opens each before comparing
            raise RuntimeError("a record compared before it was opened")
        return self.made

    @property
    def unsealed(self) -> matching.Person:
        """The matcher's view of its names and dates alone (nothing sealed opened)."""
        if self.made is not None:
            return self.made
        if self._unsealed is None:
            if self.row is None:  # pragma: no cover - linked in the batch: made is set
                raise RuntimeError("a record linked in the batch has no row")
            self._unsealed = _subject_of(self.row, None)
        return self._unsealed


def _weight(key: str) -> int:
    """How much sharing a key counts towards being a candidate: an NHS number most; a
    postcode sector alone (looked up for someone with no year of birth) least, so a
    namesake ranks before a mere neighbour."""
    if key.startswith(NHS_KEY):
        return NHS_RANK
    return 1 if key.startswith("pc:") else 2


#: Keys (and ids) a query asks about at once, well under SQLite's variable limit.
_CHUNK = 2000
#: Enquiries whose data keys are fetched together, well under the key cache's size.
_KEYS_AT_ONCE = 500


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


class _Batch:
    """The index as a batch of new people sees it, read once for the whole batch and
    kept up to date in memory as each person is linked, so each person is compared with
    the people indexed before them (those earlier in the batch too), as one at a time
    would, without a query per person.

    Indexed people merged into another are never candidates; no merge happens while a
    batch is indexed (the batch holds its transaction), so that is read once too."""

    def __init__(
        self,
        people: list[Person],
        subjects: dict[Any, matching.Person],
        carried: Carried | None = None,
    ) -> None:
        self.subjects = subjects
        self.lookups = {p.pk: lookup_keys(subjects[p.pk]) for p in people}
        # person -> the indexed people of the index as it was before the batch, ranked
        # in the database (``ranking.top``): the best CANDIDATES with their scores.
        self.before: dict[Any, list[tuple[Any, int]]] = {}
        by_hub: dict[Any, list[Person]] = defaultdict(list)
        for person in people:
            by_hub[person.enquiry.hub_id].append(person)
        for hub_id, theirs in by_hub.items():
            ranked = ranking.top(
                hub_id,
                {n: [(k, _weight(k)) for k in self.lookups[p.pk]] for n, p in enumerate(theirs)},
                CANDIDATES,
            )
            for n, person in enumerate(theirs):
                self.before[person.pk] = ranked[n]
        # What the batch adds, as the database would count it: (hub, key) -> indexed
        # person -> how many keys of the batch's links are that key. With what an
        # earlier batch not yet written added (``carried``), as if the two were one.
        carried = carried or Carried()
        self.added: dict[tuple[Any, str], dict[Any, int]] = {
            at: dict(per) for at, per in carried.added.items()
        }
        # The indexed people the batch made (nothing of theirs was in the index before).
        self.made: set[Any] = set(carried.made)
        # indexed person -> its links (most recent first), read when first a candidate;
        # those an earlier batch not yet written linked to, as that batch left them.
        self.links: dict[Any, list[_Linked]] = {
            ip: list(linked) for ip, linked in carried.links.items()
        }
        # enquiry -> the links of its people: (indexed person, kind of person)
        self.in_enquiry: dict[Any, list[tuple[Any, str]]] = defaultdict(list)
        enquiry_ids = sorted({p.enquiry_id for p in people}, key=str)
        for chunk in _chunks(enquiry_ids):
            for enquiry_id, ip_id, kind in PersonLink.objects.filter(
                person__enquiry_id__in=chunk
            ).values_list("person__enquiry_id", "indexed_person_id", "person__kind"):
                self.in_enquiry[enquiry_id].append((ip_id, kind))
        for enquiry_id, ip_id, kind in carried.in_enquiry:
            self.in_enquiry[enquiry_id].append((ip_id, kind))
        # What this batch itself adds, for the batch after it (``carry``).
        self._own = Carried()
        self._load([ip_id for ranked in self.before.values() for ip_id, _ in ranked], opening=False)
        # Only the records that could match someone of the batch are opened (their
        # sealed fields need their enquiry's key): most candidates share a name's sound
        # and a year but have another given name or date of birth, which ``ruled_out``
        # tells from what is not sealed. A candidate sharing the person's NHS number
        # (its score says so) is opened whatever: the same number can outweigh both.
        self.ruled: dict[tuple[int, int], bool] = {}
        could: list[_Linked] = []
        for person in people:
            for ip_id, score in self.before[person.pk]:
                for x in self.links[ip_id][: RECORDS_PER_CANDIDATE + 1]:
                    if score >= NHS_RANK or not self._ruled_out(person, x):
                        could.append(x)
        self._open(could)

    def _ruled_out(self, person: Person, x: _Linked) -> bool:
        """``matching.ruled_out`` for the person and the record, asked once a batch."""
        pair = (person.pk.int, x.person_id.int)  # integers hash in C; UUIDs in Python
        if pair not in self.ruled:
            self.ruled[pair] = matching.ruled_out(self.subjects[person.pk], x.unsealed)
        return self.ruled[pair]

    def ranked(self, person: Person) -> list[tuple[Any, int]]:
        """The candidates' ids and scores, most keys in common first, as ``candidates`` ranks them
        (then by id, as the database orders UUIDs): the index's best before the batch,
        with what the batch has added since. An indexed person the batch has added to
        but the database did not rank among the best is scored in full: from nothing if
        the batch made them, else by asking the database for their keys (a query only
        when an earlier person of the batch was linked automatically to someone already
        indexed who is not among this person's best: rare, as each is a certain match).
        Anyone else the database did not rank scores no more than its last, and ranks
        after it."""
        hub_id = person.enquiry.hub_id
        lookups = self.lookups[person.pk]
        extra: dict[Any, int] = defaultdict(int)
        for key in lookups:
            weight = _weight(key)
            for ip_id, n in self.added.get((hub_id, key), {}).items():
                extra[ip_id] += n * weight
        if not extra:  # nothing added since: the database's ranking, in its order
            return self.before[person.pk][:CANDIDATES]
        shared: dict[Any, int] = dict(self.before[person.pk])
        unknown = [ip for ip in extra if ip not in shared and ip not in self.made]
        if unknown:
            for ip_id, key in BlockingKey.objects.filter(
                indexed_person_id__in=unknown, key__in=sorted(lookups)
            ).values_list("indexed_person_id", "key"):
                shared[ip_id] = shared.get(ip_id, 0) + _weight(key)
        for ip_id, n in extra.items():
            shared[ip_id] = shared.get(ip_id, 0) + n
        # As the database orders UUIDs: by their bytes, which is their integer's order.
        ordered = sorted(shared.items(), key=lambda item: (-item[1], item[0].int))
        return ordered[:CANDIDATES]

    def _load(self, ip_ids: list[Any], *, opening: bool = True) -> None:
        """Read the links of these indexed people (those not read yet) in one query;
        ``opening`` the records each is compared by (its most recent, and one more in
        case one is the person being indexed)."""
        missing = sorted({ip for ip in ip_ids if ip not in self.links}, key=str)
        if not missing:
            return
        for ip_id in missing:
            self.links[ip_id] = []
        for ip_id, rows in _records_of(missing):
            self.links[ip_id] = [
                _Linked(person_id=row[1], enquiry_id=row[2], created_at=row[-1], row=row)
                for row in rows
            ]
        if opening:
            self._open(x for ip in missing for x in self.links[ip][: RECORDS_PER_CANDIDATE + 1])

    def _open(self, records: Iterable[_Linked]) -> None:
        """Open these records: their sealed fields read, then opened a slice of
        enquiries at a time, each slice's keys fetched in one query and used before the
        next slice's, so the key cache (mash.keys.cache, 1,024 keys) never drops a key
        before its records are read. (Opening every link's keys first, then the records,
        emptied the cache under a large batch and asked for the keys again one query
        each: a quarter of indexing the ten-year set.)"""
        compared: dict[Any, dict[Any, _Linked]] = defaultdict(dict)
        for x in records:
            if not x.opened:
                compared[x.enquiry_id][x.person_id] = x
        enquiries = list(compared)
        for start in range(0, len(enquiries), _KEYS_AT_ONCE):
            chunk = enquiries[start : start + _KEYS_AT_ONCE]
            these = {pk: x for enquiry_id in chunk for pk, x in compared[enquiry_id].items()}
            prefetch_keys(chunk)
            for ids in _chunks(list(these)):
                for sealed in Person.objects.filter(pk__in=ids).values_list(*_SEALED):
                    these[sealed[0]].open(sealed)

    def candidates(self, person: Person) -> list[Candidate]:
        """``candidates(person)``, answered from the batch's reading of the index (the
        links of the candidates not read yet in one query)."""
        if not self.lookups[person.pk]:
            return []
        ranked = self.ranked(person)
        self._load([ip_id for ip_id, _ in ranked])
        subject = self.subjects[person.pk]
        found: list[Candidate] = []
        for ip_id, score in ranked:
            linked = [x for x in self.links[ip_id] if x.person_id != person.pk]
            compared = [
                x
                for x in linked[:RECORDS_PER_CANDIDATE]
                # Ruled out is no match, as ``match`` would say (it cannot be the best
                # of them unless all are, and then the candidate is not one): unopened.
                if score >= NHS_RANK or not self._ruled_out(person, x)
            ]
            if not compared:
                continue  # every record ruled out (most candidates): no match
            if any(x.enquiry_id == person.enquiry_id for x in linked):
                continue  # two people in one enquiry are two
            unopened = [x for x in compared if not x.opened]
            if unopened:  # none, but where the batch added to the candidate
                self._open(unopened)
            best: matching.MatchResult | None = None
            for x in compared:
                result = matching.match(subject, x.subject)
                if best is None or (_RANK[result.match], result.score) > (
                    _RANK[best.match],
                    best.score,
                ):
                    best = result
            if best is not None and best.match != "no_match":
                found.append(Candidate(indexed_person_id=ip_id, result=best))
        found.sort(key=lambda c: (-_RANK[c.result.match], -c.result.score))
        return found

    def add(self, link: PersonLink, person: Person, keys: Iterable[str]) -> None:
        """A link just made: the next people of the batch see it, as they would in the
        database."""
        hub_id = person.enquiry.hub_id
        ip_id = link.indexed_person_id
        for key in keys:
            for added in (self.added, self._own.added):
                per = added.setdefault((hub_id, key), {})
                per[ip_id] = per.get(ip_id, 0) + 1
        self._own.in_enquiry.append((person.enquiry_id, ip_id, person.kind))
        self.links.setdefault(link.indexed_person_id, []).insert(
            0,
            _Linked(
                person_id=person.pk,
                enquiry_id=person.enquiry_id,
                created_at=person.created_at,
                made=self.subjects[person.pk],
            ),
        )
        # The same list: later links of the batch to this person are in it too.
        self._own.links[ip_id] = self.links[ip_id]
        self.in_enquiry[person.enquiry_id].append((link.indexed_person_id, person.kind))

    def make(self, ip_id: Any) -> None:
        """An indexed person the batch makes."""
        self.made.add(ip_id)
        self._own.made.add(ip_id)

    def carry(self) -> Carried:
        """What this batch added, for the next batch to see while this one is still
        being written: its keys, the indexed people it made, the links of each indexed
        person it linked to (all of them, as read and added to) and its enquiries'
        links."""
        return self._own


@dataclass
class Carried:
    """What a batch added to the index in memory: what the next batch must count as the
    database would once it is written (``_Batch.carry``)."""

    added: dict[tuple[Any, str], dict[Any, int]] = field(default_factory=dict)
    made: set[Any] = field(default_factory=set)
    links: dict[Any, list[_Linked]] = field(default_factory=dict)
    in_enquiry: list[tuple[Any, Any, str]] = field(default_factory=list)


def _relations(link: PersonLink, person: Person, others: list[tuple[Any, str]]) -> list[Any]:
    """The relationships the enquiry states: its parents and carers to its children, its
    other adults household members; children of one enquiry household members."""
    rows = []
    for other_ip, other_kind in others:
        if other_ip == link.indexed_person_id:
            continue
        if person.kind == PersonKind.CHILD and other_kind == PersonKind.CHILD:
            rows.append((link.indexed_person_id, other_ip, RelationshipKind.HOUSEHOLD))
        elif person.kind == PersonKind.CHILD:
            rows.append((other_ip, link.indexed_person_id, _RELATION_OF_KIND[other_kind]))
        elif other_kind == PersonKind.CHILD:
            rows.append((link.indexed_person_id, other_ip, _RELATION_OF_KIND[person.kind]))
    return rows


@dataclass
class Planned:
    """A batch indexed in memory (``plan_batch``), to be written (``write_batch``)."""

    new_people: list[IndexedPerson]
    moved: list[IndexedPerson]
    links: list[PersonLink]
    keys: list[tuple[Any, Any, str]]
    suggestions: list[MatchSuggestion]
    relations: list[tuple[Any, Any, str, Any]]
    done: list[tuple[PersonLink, dict[str, Any]]]
    carried: Carried


def plan_batch(people: list[Person], now: dt.datetime, carried: Carried | None = None) -> Planned:
    """Index ``people`` (none indexed yet) in memory, in order, each compared with those
    indexed before them, in a constant number of queries for the batch: the index is
    read once (``_Batch``), with what an earlier batch not yet written added
    (``carried``). Nothing is written (``write_batch``)."""
    prefetch_keys(p.enquiry_id for p in people)  # one query for the batch's data keys
    subjects = {p.pk: as_match_person(p) for p in people}
    batch = _Batch(people, subjects, carried)
    new_people: list[IndexedPerson] = []
    links: list[PersonLink] = []
    keys: list[tuple[Any, Any, str]] = []
    suggestions: list[MatchSuggestion] = []
    relations: dict[tuple[Any, Any, str, Any], None] = {}
    done: list[tuple[PersonLink, dict[str, Any]]] = []
    for person in people:
        found = batch.candidates(person)
        certain = [c for c in found if c.result.match == "match"]
        if len(certain) == 1:
            target = certain[0].indexed_person_id
            how, score = LinkedBy.AUTOMATIC, certain[0].result.score
            suggest = [c for c in found if c is not certain[0]]
        else:
            # No certain match, or more than one (which a person must resolve): a new
            # indexed person, and each candidate a suggestion.
            made = IndexedPerson(hub_id=person.enquiry.hub_id)
            new_people.append(made)
            batch.make(made.pk)
            target = made.pk
            how, score = LinkedBy.NEW, None
            suggest = found
        link = PersonLink(
            person=person, indexed_person_id=target, how=how, score=score, linked_at=now
        )
        links.append(link)
        its_keys = sorted(keys_for(subjects[person.pk]))
        keys += [(link.pk, target, k) for k in its_keys]
        suggestions += [_suggestion(person, c, now) for c in suggest]
        rows = _relations(link, person, batch.in_enquiry[person.enquiry_id])
        for a, b, kind in rows:
            relations[(a, b, kind, person.enquiry_id)] = None
        batch.add(link, person, its_keys)
        details = {
            "how": str(how),
            "indexed_person": str(target),
            "suggestions": len(suggest),
            "relationships": len(rows),
        }
        done.append((link, details))
    # Each indexed person linked to keeps its latest record (search's page reads it):
    # all its links are in the batch's reading of the index.
    created = {ip.pk: ip for ip in new_people}
    moved: list[IndexedPerson] = []
    for ip_id in {link.indexed_person_id for link in links}:
        latest = max(batch.links[ip_id], key=lambda x: (x.created_at, x.person_id))
        kept = created.get(ip_id) or IndexedPerson(pk=ip_id)
        kept.latest_person_id, kept.latest_at = latest.person_id, latest.created_at
        if ip_id not in created:
            moved.append(kept)
    return Planned(
        new_people, moved, links, keys, suggestions, list(relations), done, batch.carry()
    )


def write_batch(planned: Planned, actor: Any = None) -> None:
    """Write a planned batch and its record entries, one ``bulk_create`` each. The
    caller holds the transaction."""
    IndexedPerson.objects.bulk_create(planned.new_people)
    IndexedPerson.objects.bulk_update(planned.moved, ["latest_person", "latest_at"], batch_size=500)
    PersonLink.objects.bulk_create(planned.links)
    _insert_keys(planned.keys)
    MatchSuggestion.objects.bulk_create(planned.suggestions, ignore_conflicts=True, batch_size=500)
    Relationship.objects.bulk_create(
        [
            Relationship(from_person_id=a, to_person_id=b, kind=k, enquiry_id=e)
            for a, b, k, e in planned.relations
        ],
        ignore_conflicts=True,
    )
    record_many(
        {
            "action": Action.PERSON_INDEXED,
            "actor": actor,
            "obj": link,
            "enquiry": link.person.enquiry_id,
            "details": details,
        }
        for link, details in planned.done
    )


def _insert_keys(rows: list[tuple[Any, Any, str]]) -> None:
    """Write a batch's blocking keys, (link, indexed person, key) each: on PostgreSQL
    one INSERT of three arrays, elsewhere one statement run for each row. A model
    instance for each of the nine or so keys a person has, for ``bulk_create`` to take
    apart again, was a tenth of indexing."""
    if not rows:
        return
    to_link = BlockingKey.link.field
    to_person = BlockingKey.indexed_person.field
    links = [to_link.get_db_prep_value(link, connection) for link, _, _ in rows]
    people = [to_person.get_db_prep_value(ip, connection) for _, ip, _ in rows]
    keys = [key for _, _, key in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO people_blockingkey (link_id, indexed_person_id, key) SELECT *"
                " FROM unnest(CAST(%s AS UUID[]), CAST(%s AS UUID[]), CAST(%s AS TEXT[]))",
                [links, people, keys],
            )
        else:
            cursor.executemany(
                "INSERT INTO people_blockingkey (link_id, indexed_person_id, key)"
                " VALUES (%s, %s, %s)",
                list(zip(links, people, keys, strict=True)),
            )


def _suggestion(person: Person, candidate: Candidate, now: dt.datetime) -> MatchSuggestion:
    """A possible match for a practitioner to confirm or reject (never a link)."""
    return MatchSuggestion(
        person=person,
        indexed_person_id=candidate.indexed_person_id,
        match_class=candidate.result.match,
        score=candidate.result.score,
        reasons=list(candidate.result.reasons),
        created_at=now,
    )


def index_person(*, person: Person, actor: Any = None) -> PersonLink:
    """Link a person recorded in an enquiry into the index: to the one indexed person it
    certainly matches, else to a new indexed person with a suggestion for each possible
    match. Idempotent: an indexed person's link is returned as it is."""
    with transaction.atomic():
        existing = PersonLink.objects.filter(person=person).first()
        if existing is not None:
            return existing
        planned = plan_batch([person], timezone.now())
        write_batch(planned, actor)
        return planned.links[0]


#: The fields of a person the matching reads: a change to any of them re-indexes them.
MATCHED_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "other_names",
        "date_of_birth",
        "estimated_age",
        "nhs_number",
        "address",
    }
)


def _still_certain(person: Person, subject: matching.Person, ip_id: Any) -> bool:
    """Whether ``person`` still certainly matches one of the other records linked to the
    indexed person (its most recent ``RECORDS_PER_CANDIDATE``); true when it is alone."""
    others = list(
        PersonLink.objects.filter(indexed_person_id=ip_id)
        .exclude(person_id=person.pk)
        .select_related("person", "person__enquiry")
        .order_by("-linked_at", "pk")[:RECORDS_PER_CANDIDATE]
    )
    if not others:
        return True
    prefetch_keys({link.person.enquiry_id for link in others})
    return any(
        matching.match(subject, as_match_person(link.person)).match == "match" for link in others
    )


def reindex_person(*, person: Person, actor: Any = None) -> PersonLink:
    """A person's names, date of birth, NHS number or address changed: their blocking
    keys and possible matches are read again, in the caller's transaction.

    What happens to the link (docs/user-guide.md, "When a person's details change"):

    - a link a practitioner made (confirmed, or merged) stays: only a practitioner
      undoes it (an unmerge), never a correction of a spelling;
    - an automatic link (or the first record of an indexed person) stays while the
      person still certainly matches another record of that indexed person; when they
      no longer do, the person stands on their own again as a new indexed person (with
      the relationships their enquiry stated), and the one they left is suggested if it
      is still possible;
    - the open suggestions are made again from the new keys (a new certain match to
      another indexed person is a suggestion, never an automatic merge); confirmed and
      rejected pairs stay decided.
    """
    with transaction.atomic():
        link = PersonLink.objects.select_for_update().filter(person_id=person.pk).first()
        if link is None:
            return index_person(person=person, actor=actor)
        person = Person.objects.select_related("enquiry").get(pk=person.pk)
        prefetch_keys([person.enquiry_id])
        subject = as_match_person(person)
        previous = link.indexed_person_id
        detached = False
        if link.how in (LinkedBy.AUTOMATIC, LinkedBy.NEW) and not _still_certain(
            person, subject, previous
        ):
            made = IndexedPerson.objects.create(hub_id=person.enquiry.hub_id)
            link.indexed_person = made
            link.how, link.score, link.linked_by, link.linked_at = (
                LinkedBy.NEW,
                None,
                None,
                timezone.now(),
            )
            link.save(update_fields=["indexed_person", "how", "score", "linked_by", "linked_at"])
            # Only this person of the enquiry was linked to the one left (two people of
            # one enquiry are two), so the enquiry's relationships naming it are theirs.
            Relationship.objects.filter(
                enquiry_id=person.enquiry_id, from_person_id=previous
            ).update(from_person=made)
            Relationship.objects.filter(enquiry_id=person.enquiry_id, to_person_id=previous).update(
                to_person=made
            )
            _keep_latest([previous, made.pk])
            detached = True
        BlockingKey.objects.filter(link=link).delete()
        BlockingKey.objects.bulk_create(
            [
                BlockingKey(link=link, indexed_person_id=link.indexed_person_id, key=k)
                for k in sorted(keys_for(subject))
            ]
        )
        MatchSuggestion.objects.filter(person=person, status=SuggestionStatus.OPEN).delete()
        decided = set(
            MatchSuggestion.objects.filter(person=person).values_list(
                "indexed_person_id", flat=True
            )
        )
        now = timezone.now()
        found = [
            c
            for c in _Batch([person], {person.pk: subject}).candidates(person)
            if c.indexed_person_id != link.indexed_person_id and c.indexed_person_id not in decided
        ]
        MatchSuggestion.objects.bulk_create(
            [_suggestion(person, c, now) for c in found],
            ignore_conflicts=True,
        )
        record(
            action=Action.PERSON_INDEXED,
            actor=actor,
            obj=link,
            enquiry=person.enquiry_id,
            details={
                "reindexed": True,
                "how": str(link.how),
                "indexed_person": str(link.indexed_person_id),
                "left": str(previous) if detached else None,
                "suggestions": len(found),
            },
        )
        return link


def _not_indexed(people: Iterable[Person]) -> list[Person]:
    """Those of ``people`` not linked into the index yet, in the order given."""
    given = list(people)
    done = set()
    for chunk in _chunks([p.pk for p in given]):
        done |= set(
            PersonLink.objects.filter(person_id__in=chunk).values_list("person_id", flat=True)
        )
    return [p for p in given if p.pk not in done]


def index_people(*, people: Iterable[Person], actor: Any = None) -> int:
    """Index a batch (``mash people index``): one transaction, a constant number of
    queries and one record write for the batch, with the same links and suggestions as
    indexing each in turn. Returns how many were newly indexed."""
    with transaction.atomic():
        batch = _not_indexed(people)
        if batch:
            write_batch(plan_batch(batch, timezone.now()), actor)
        return len(batch)


class WrittenBehind:
    """``index_people`` for batch after batch, each batch written on a connection of its
    own while the next is read and matched (on PostgreSQL: ``mash people index``), so
    the database writes one batch on one core while Python matches the next on the
    other. Indexing is otherwise one core's work at a time: Python waits while the
    database answers, and the database waits while Python matches.

    The index each batch is compared with is the same as one batch after another would
    give. Each batch reads the index in a snapshot (a REPEATABLE READ transaction) taken
    before the batch before it is handed to the writer, and counts that batch's links
    from memory (``Carried``), as a batch counts its own earlier people; the batch
    before that has been written by then (the writer takes one batch at a time, and
    each batch waits for it). Each written batch is one transaction with its record
    entries. A batch that fails to be written stops the run at the next batch, and the
    batch matched meanwhile is never written (its people are indexed by the next run).

    Use as a context manager; leaving it writes the last batch (unless leaving on an
    error) and closes the writer's connection."""

    def __init__(self, actor: Any = None) -> None:
        self.actor = actor
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mash-index-writer")
        self._writing: Future[None] | None = None
        self._planned: Planned | None = None

    def __enter__(self) -> WrittenBehind:
        return self

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        try:
            self._wait()
            if kind is None and self._planned is not None:
                self._writer.submit(self._write, self._planned).result()
            self._planned = None
        finally:
            self._writer.submit(connections.close_all).result()
            self._writer.shutdown()

    def index(self, people: Iterable[Person]) -> int:
        """Match a batch of people (those not yet indexed); it is written while the next
        is matched, or on leaving. Returns how many it had to index."""
        self._wait()  # the batch before last is written
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT 1")  # the snapshot: without the last batch
            carried = None
            if self._planned is not None:
                carried = self._planned.carried
                self._writing = self._writer.submit(self._write, self._planned)
                self._planned = None
            batch = _not_indexed(people)
            if batch:
                with quick_arrays(connection):
                    self._planned = plan_batch(batch, timezone.now(), carried)
            return len(batch)

    def _write(self, planned: Planned) -> None:
        with quick_arrays(connection), transaction.atomic():
            write_batch(planned, self.actor)

    def _wait(self) -> None:
        writing, self._writing = self._writing, None
        if writing is not None:
            writing.result()


def _move_links(link_ids: list[Any], to: IndexedPerson) -> None:
    PersonLink.objects.filter(pk__in=link_ids).update(indexed_person=to)
    BlockingKey.objects.filter(link_id__in=link_ids).update(indexed_person=to)


def _keep_latest(ip_ids: list[Any]) -> None:
    """After links moved: each of these indexed people's latest record, again."""
    latest = Person.objects.filter(index_link__indexed_person_id=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    IndexedPerson.objects.filter(pk__in=ip_ids).update(
        latest_person=Subquery(latest.values("pk")[:1]),
        latest_at=Subquery(latest.values("created_at")[:1]),
    )


def keep_latest(*, indexed_person_ids: Iterable[Any]) -> None:
    """Each of these indexed people's latest record, read again, after records linked to
    them were destroyed (retention) or removed (a person added in error): their
    ``latest_person`` was set to null by the database but ``latest_at`` stayed, so
    search would sort them by a record that no longer exists. An indexed person left
    with no record gets null for both. No record entry of its own: the caller's (the
    retention deletion, the removal) covers it. The caller holds the transaction."""
    for chunk in _chunks(sorted(set(indexed_person_ids), key=str)):
        _keep_latest(chunk)


def _open_suggestion(suggestion: MatchSuggestion) -> MatchSuggestion:
    fresh = MatchSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if fresh.status != SuggestionStatus.OPEN:
        raise IndexError_("That possible match has already been decided")
    return fresh


def confirm_suggestion(*, suggestion: MatchSuggestion, actor: Any) -> PersonLink:
    """A practitioner says the person is the suggested indexed person: the person's link
    moves to it (with the others of the same indexed person, which is then merged in,
    so an unmerge can undo it)."""
    with transaction.atomic():
        fresh = _open_suggestion(suggestion)
        now = timezone.now()
        link = PersonLink.objects.select_related("indexed_person").get(person_id=fresh.person_id)
        target = IndexedPerson.objects.get(pk=fresh.indexed_person_id)
        while target.merged_into_id is not None:
            target = IndexedPerson.objects.get(pk=target.merged_into_id)
        merge = None
        if link.indexed_person_id != target.pk:
            merge = _merge(kept=target, merged=link.indexed_person, actor=actor, now=now)
        PersonLink.objects.filter(pk=link.pk).update(
            how=LinkedBy.CONFIRMED, linked_by=actor, linked_at=now, score=fresh.score
        )
        fresh.status = SuggestionStatus.CONFIRMED
        fresh.decided_by = actor
        fresh.decided_at = now
        fresh.save(update_fields=["status", "decided_by", "decided_at"])
        record(
            action=Action.MATCH_CONFIRMED,
            actor=actor,
            obj=fresh,
            enquiry=link.person.enquiry_id,
            details={
                "indexed_person": str(target.pk),
                "merge": str(merge.pk) if merge else None,
                "score": fresh.score,
            },
        )
        link.refresh_from_db()
        return link


def reject_suggestion(*, suggestion: MatchSuggestion, actor: Any) -> MatchSuggestion:
    """A practitioner says they are not the same person; the pair is not suggested again."""
    with transaction.atomic():
        fresh = _open_suggestion(suggestion)
        fresh.status = SuggestionStatus.REJECTED
        fresh.decided_by = actor
        fresh.decided_at = timezone.now()
        fresh.save(update_fields=["status", "decided_by", "decided_at"])
        record(
            action=Action.MATCH_REJECTED,
            actor=actor,
            obj=fresh,
            enquiry=fresh.person.enquiry_id,
            details={"indexed_person": str(fresh.indexed_person_id), "score": fresh.score},
        )
        return fresh


def shared_enquiry(*, kept: IndexedPerson, merged: IndexedPerson) -> str | None:
    """The reference of an enquiry both are recorded in, if any (one query). Two people
    recorded in one enquiry are two people (twins, a parent and a child of the same
    name), so they are never merged."""
    theirs = PersonLink.objects.filter(indexed_person_id=merged.pk).values("person__enquiry_id")
    return (
        PersonLink.objects.filter(indexed_person_id=kept.pk, person__enquiry_id__in=theirs)
        .order_by("person__enquiry__reference")
        .values_list("person__enquiry__reference", flat=True)
        .first()
    )


def refuse_shared_enquiry(reference: str) -> str:
    return (
        f"They cannot be merged: both are recorded in the same enquiry ({reference}), "
        "and two people recorded in one enquiry are two people (twins, or a parent and "
        "a child of the same name)"
    )


def _merge(*, kept: IndexedPerson, merged: IndexedPerson, actor: Any, now: dt.datetime) -> Merge:
    if kept.pk == merged.pk:
        raise IndexError_("A person cannot be merged with themself")
    if kept.hub_id != merged.hub_id:
        raise IndexError_("People of different hubs cannot be merged")
    if merged.merged_into_id is not None or kept.merged_into_id is not None:
        raise IndexError_("One of them has already been merged into someone else")
    reference = shared_enquiry(kept=kept, merged=merged)
    if reference is not None:
        raise IndexError_(refuse_shared_enquiry(reference))
    previous = {
        str(pk): [how, str(by) if by else None, at.isoformat()]
        for pk, how, by, at in PersonLink.objects.filter(indexed_person=merged).values_list(
            "pk", "how", "linked_by", "linked_at"
        )
    }
    link_ids = list(previous)
    from_ids = [
        str(pk)
        for pk in Relationship.objects.filter(from_person=merged).values_list("pk", flat=True)
    ]
    to_ids = [
        str(pk) for pk in Relationship.objects.filter(to_person=merged).values_list("pk", flat=True)
    ]
    _move_links(link_ids, kept)
    PersonLink.objects.filter(pk__in=link_ids, how__in=[LinkedBy.NEW, LinkedBy.AUTOMATIC]).update(
        how=LinkedBy.MERGED, linked_by=actor, linked_at=now
    )
    Relationship.objects.filter(pk__in=from_ids).update(from_person=kept)
    Relationship.objects.filter(pk__in=to_ids).update(to_person=kept)
    IndexedPerson.objects.filter(pk=merged.pk).update(merged_into=kept)
    _keep_latest([kept.pk, merged.pk])
    merged.merged_into = kept
    return Merge.objects.create(
        kept=kept,
        merged=merged,
        moved_links=link_ids,
        moved_relationships={"from": from_ids, "to": to_ids},
        previous_how=previous,
        merged_by=actor,
        merged_at=now,
    )


def merge(*, kept: IndexedPerson, merged: IndexedPerson, actor: Any) -> Merge:
    """Two indexed people are one: every link and relationship of ``merged`` moves to
    ``kept``; ``merged`` remains, pointing at ``kept``, so an unmerge can restore it."""
    with transaction.atomic():
        kept = IndexedPerson.objects.select_for_update().get(pk=kept.pk)
        merged = IndexedPerson.objects.select_for_update().get(pk=merged.pk)
        done = _merge(kept=kept, merged=merged, actor=actor, now=timezone.now())
        record(
            action=Action.PEOPLE_MERGED,
            actor=actor,
            obj=done,
            details={
                "kept": str(kept.pk),
                "merged": str(merged.pk),
                "links": done.moved_links,
            },
        )
        return done


def unmerge(*, merge: Merge, actor: Any) -> IndexedPerson:
    """Undo a merge: the links and relationships it moved go back to the person merged
    (those still on the one kept), and that person stands on their own again."""
    with transaction.atomic():
        fresh = Merge.objects.select_for_update().get(pk=merge.pk)
        if fresh.undone_at is not None:
            raise IndexError_("That merge has already been undone")
        merged = IndexedPerson.objects.get(pk=fresh.merged_id)
        moved = list(
            PersonLink.objects.filter(
                pk__in=fresh.moved_links, indexed_person_id=fresh.kept_id
            ).values_list("pk", flat=True)
        )
        _move_links(moved, merged)
        Relationship.objects.filter(
            pk__in=fresh.moved_relationships.get("from", []), from_person_id=fresh.kept_id
        ).update(from_person=merged)
        Relationship.objects.filter(
            pk__in=fresh.moved_relationships.get("to", []), to_person_id=fresh.kept_id
        ).update(to_person=merged)
        IndexedPerson.objects.filter(pk=merged.pk).update(merged_into=None)
        _keep_latest([fresh.kept_id, merged.pk])
        # Suggestions confirmed through this merge are open again.
        MatchSuggestion.objects.filter(
            person__index_link__pk__in=moved,
            indexed_person_id=fresh.kept_id,
            status=SuggestionStatus.CONFIRMED,
        ).update(status=SuggestionStatus.OPEN, decided_by=None, decided_at=None)
        for link_id in moved:
            before = fresh.previous_how.get(str(link_id))
            if before:
                how, by, at = before
                PersonLink.objects.filter(pk=link_id).update(
                    how=how, linked_by_id=by, linked_at=dt.datetime.fromisoformat(at)
                )
        fresh.undone_by = actor
        fresh.undone_at = timezone.now()
        fresh.save(update_fields=["undone_by", "undone_at"])
        record(
            action=Action.PEOPLE_UNMERGED,
            actor=actor,
            obj=fresh,
            details={
                "kept": str(fresh.kept_id),
                "merged": str(merged.pk),
                "links": [str(m) for m in moved],
            },
        )
        merged.refresh_from_db()
        return merged


def relate(
    *, from_person: IndexedPerson, to_person: IndexedPerson, kind: str, actor: Any
) -> Relationship:
    """Record that ``from_person`` is ``kind`` (parent, carer...) of ``to_person``."""
    if kind not in RelationshipKind.values:
        raise IndexError_("Choose a relationship from the list")
    if from_person.pk == to_person.pk:
        raise IndexError_("A person cannot be related to themself")
    with transaction.atomic():
        rel, _ = Relationship.objects.get_or_create(
            from_person=from_person, to_person=to_person, kind=kind, enquiry=None
        )
        record(
            action=Action.PEOPLE_RELATED,
            actor=actor,
            obj=rel,
            details={"from": str(from_person.pk), "to": str(to_person.pk), "kind": kind},
        )
        return rel


def record_search(*, actor: Any, terms: dict[str, Any], results: int) -> Any:
    """Keep a search (its terms sealed) and its record entry; returns the ``Search``."""
    from .models import Search
    from .sealing import seal_terms

    with transaction.atomic():
        search = Search(by=actor, at=timezone.now(), results=results, sealed_terms="")
        search.sealed_terms = seal_terms(terms, search_id=search.pk)
        search.save(force_insert=True)
        record(
            action=Action.PEOPLE_SEARCHED,
            actor=actor,
            obj=search,
            details={"results": results, "fields": sorted(k for k, v in terms.items() if v)},
        )
        return search
