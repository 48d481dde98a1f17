"""Trigram similarity of names, as PostgreSQL's pg_trgm computes it (issue 14, "Search").

On PostgreSQL, search asks ``last_name % 'term'`` (similarity at least
``pg_trgm.similarity_threshold``, 0.3 unless changed), answered from a GIN index
(migration ``people.0002``). SQLite has no pg_trgm: :func:`similarity` is registered on
each SQLite connection as ``mash_trgm_similarity``, so tests on either database give the
same answers (for names: letters, digits, spaces and hyphens).

pg_trgm's similarity: each word (a run of letters or digits, lower-cased) is padded with
two spaces in front and one behind; its trigrams are its three-character substrings; the
similarity of two strings is the trigrams they share over the trigrams either has.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.db.models import BooleanField, Func, Value

#: pg_trgm's default ``similarity_threshold``.
THRESHOLD = 0.3
SQLITE_FUNCTION = "mash_trgm_similarity"
_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=4096)
def trigrams(text: str) -> frozenset[str]:
    found: set[str] = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(found)


def similarity(a: str | None, b: str | None) -> float:
    """pg_trgm's ``similarity(a, b)``: 0 (nothing shared) to 1 (the same trigrams)."""
    if a is None or b is None:
        return 0.0
    x, y = trigrams(a), trigrams(b)
    if not x or not y:
        return 0.0
    shared = len(x & y)
    return shared / (len(x) + len(y) - shared)


class Similar(Func):
    """``Similar(F("last_name"), "hughes")``: true where the two are trigram-similar
    (pg_trgm's ``%`` operator, which its GIN index answers; on SQLite the same
    similarity as a function)."""

    output_field = BooleanField()
    conditional = True
    arity = 2

    def __init__(self, expression: Any, text: str) -> None:
        super().__init__(expression, Value(text))

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: Any = None,
        template: Any = None,
        arg_joiner: Any = None,
        **extra: Any,
    ) -> Any:
        lhs, lhs_params = compiler.compile(self.source_expressions[0])
        rhs, rhs_params = compiler.compile(self.source_expressions[1])
        if connection.vendor == "postgresql":
            return f"({lhs} %% {rhs})", (*lhs_params, *rhs_params)
        return (
            f"({SQLITE_FUNCTION}({lhs}, {rhs}) >= {THRESHOLD})",
            (*lhs_params, *rhs_params),
        )


def register_on_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: SQLite connections learn the similarity."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 2, similarity, deterministic=True)
