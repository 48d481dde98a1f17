"""Candidates ranked in the database: for each new person, the indexed people sharing the
most (weighted) blocking keys with them, the top few only (issue 14, "Scale and speed").

Reading every indexed person that holds each of a batch's keys into Python, to count
them there, was most of indexing's time at ten years' size: a batch of 500 people looked
up several hundred thousand (key, indexed person) rows, and the rows grew with the
index. Here the database joins the keys wanted to the key index, sums the weights for
each (person, indexed person) and keeps each person's best ``limit`` (a window
function, on PostgreSQL and SQLite alike), so a batch reads ``limit`` rows a person.

The order is the one the index has always used: the greater score first, then the
indexed person's id (as the database orders UUIDs: their bytes, which is also how
Python orders ``uuid.UUID``), so the same candidates come out as counting in Python.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connection

from mash.agencies.models import Agency

from .models import BlockingKey, IndexedPerson

#: (key, weight) pairs a query asks about at once: three parameters each, well under
#: SQLite's limit.
_PAIRS = 2000


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


#: Each key wanted, with the indexed people holding it, and each indexed person found
#: checked to be of the hub and not merged into another. On PostgreSQL, LATERAL
#: subqueries fenced by ``OFFSET 0`` (so they are not flattened into joins): one probe of
#: the key's index for each key wanted and one of the primary key for each holder, the
#: plan whatever the planner believes of the tables. A hash join read every key in the
#: index and every indexed person instead, its cost growing with the index (170 ms a
#: query at 61,500 people). SQLite's planner probes the indexes for plain joins.
_HOLDERS = {
    "postgresql": (
        " FROM wanted w CROSS JOIN LATERAL (SELECT k.indexed_person_id FROM"
        " people_blockingkey k WHERE k.key = w.key OFFSET 0) b"
    ),
    "default": " FROM wanted w JOIN people_blockingkey b ON b.key = w.key",
}
_OF_THE_HUB = {
    "postgresql": (
        " CROSS JOIN LATERAL (SELECT 1 FROM people_indexedperson i WHERE i.id = s.ip"
        " AND i.hub_id = %s AND i.merged_into_id IS NULL OFFSET 0) i"
    ),
    "default": (
        " JOIN people_indexedperson i ON i.id = s.ip"
        " WHERE i.hub_id = %s AND i.merged_into_id IS NULL"
    ),
}

#: Each (person, indexed person) pair's score; then ranked within each person.
_SCORED = (
    "SELECT w.n AS n, b.indexed_person_id AS ip, SUM(w.weight) AS score{holders}"
    " GROUP BY w.n, b.indexed_person_id"
)
_RANKED = (
    "SELECT s.n AS n, s.ip AS ip, s.score AS score,"
    " ROW_NUMBER() OVER (PARTITION BY s.n ORDER BY s.score DESC, s.ip) AS place"
    " FROM ({scored}) s{of_the_hub}"
)


#: The keys wanted, sent as three arrays on PostgreSQL (three parameters, however many
#: keys: turning six thousand parameters into the query's text was a tenth of the
#: query's time in the client), as rows of VALUES elsewhere. Each array is sent as one
#: string of its values joined by a separator no key holds (``_SEPARATOR``) and split by
#: the database: psycopg writes a list parameter out in Python, value by value.
_SEPARATOR = "\x1f"  # ASCII's unit separator: keys are letters, digits, ":" and "-"
_WANTED = {
    "postgresql": (
        "SELECT * FROM unnest(CAST(string_to_array(%s, ',') AS INTEGER[]),"
        " string_to_array(%s, chr(31)), CAST(string_to_array(%s, ',') AS INTEGER[]))"
    ),
}


def _sql(rows: int, vendor: str, *, alone: bool) -> str:
    """The query for ``rows`` (n, key, weight) rows: only placeholders are put in its
    text; every value is a parameter. ``alone``: the hub's indexed people are the only
    ones holding keys, so each holder found needs no look-up of its hub."""
    values = _WANTED.get(vendor) or "VALUES " + ", ".join(
        ["(CAST(%s AS INTEGER), %s, CAST(%s AS INTEGER))"] * rows
    )
    scored = _SCORED.format(holders=_HOLDERS.get(vendor, _HOLDERS["default"]))
    of_the_hub = "" if alone else _OF_THE_HUB.get(vendor, _OF_THE_HUB["default"])
    ranked = _RANKED.format(scored=scored, of_the_hub=of_the_hub)
    return f"WITH wanted (n, key, weight) AS ({values}) SELECT n, ip, score FROM ({ranked}) ranked WHERE place <= %s ORDER BY n, place"  # noqa: S608,E501 # nosec B608


def _joined(chunk: list[Any]) -> list[str]:
    """The (n, key, weight) values as three strings, each of one column's values joined
    (``_WANTED``)."""
    keys = chunk[1::3]
    joined = _SEPARATOR.join(keys)
    if joined.count(_SEPARATOR) != len(keys) - 1:
        raise ValueError("a blocking key holds the separator")
    return [",".join(map(str, chunk[0::3])), joined, ",".join(map(str, chunk[2::3]))]


def alone(hub_id: Any) -> bool:
    """Whether every key in the index is held by an indexed person of this hub who has
    not been merged into another (a merge moves the merged one's keys to the kept one,
    so none should be): then no holder needs its hub looked up. One hub is the usual
    installation; where there are more, each holder is checked."""
    # The other agencies by name, so each is a probe of the hub's index: "not this hub"
    # read every indexed person for each batch indexed (a scan growing with the index).
    others = Agency.objects.exclude(pk=hub_id).order_by().values_list("pk", flat=True)
    return (
        not IndexedPerson.objects.filter(hub_id__in=list(others)).exists()
        and not BlockingKey.objects.filter(indexed_person__merged_into__isnull=False).exists()
    )


def top(
    hub_id: Any, wanted: dict[int, Iterable[tuple[str, int]]], limit: int
) -> dict[int, list[tuple[uuid.UUID, int]]]:
    """For each numbered person of one hub, with the (key, weight) pairs they look
    candidates up by, the ``limit`` indexed people of the hub (not merged into another)
    with the greatest sum of weights over the keys they hold (a key held by two of an
    indexed person's records counts twice), best first: ``{n: [(id, score), ...]}``.
    One query for every ``_PAIRS`` pairs; a person's pairs are never split."""
    hub = IndexedPerson._meta.get_field("hub").get_db_prep_value(hub_id, connection)
    found: dict[int, list[tuple[uuid.UUID, int]]] = {n: [] for n in wanted}
    chunk: list[Any] = []
    only = alone(hub_id)
    vendor = connection.vendor

    def ask() -> None:
        if not chunk:
            return
        values = _joined(chunk) if vendor in _WANTED else chunk
        with connection.cursor() as cursor:
            cursor.execute(
                _sql(len(chunk) // 3, vendor, alone=only),
                [*values, *([] if only else [hub]), limit],
            )
            rows = cursor.fetchall()
        # In the database's order: each person's, the greatest score first, then by id.
        if vendor == "postgresql":  # ids come as UUIDs, scores as integers
            for n, ip, score in rows:
                found[n].append((ip, score))
        else:
            for n, ip, score in rows:
                found[n].append((_as_uuid(ip), int(score)))
        chunk.clear()

    for n, pairs in wanted.items():
        mine = [value for key, weight in sorted(pairs) for value in (n, key, weight)]
        if chunk and len(chunk) + len(mine) > 3 * _PAIRS:
            ask()
        chunk.extend(mine)
    ask()
    return found
