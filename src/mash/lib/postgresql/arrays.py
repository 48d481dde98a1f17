"""Arrays written quickly, for bulk work on PostgreSQL (``mash generate``, ``mash people
index``).

Django's bulk_create on PostgreSQL sends each column as one array (``UNNEST``), which
psycopg writes out in Python, testing every value against a regular expression to
decide whether to quote it: a sixth of generating the ten-year set, and a tenth of
writing the person index. Within ``quick_arrays``, on one connection, every element is
quoted instead (always valid in an array literal, whatever the element's type), so the
same arrays are written with plain string methods.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def quick_arrays(connection: Any) -> Iterator[None]:
    """Within the block, lists sent as parameters on this Django ``connection`` are
    written by ``quoted_list_dumper`` (on PostgreSQL; elsewhere nothing changes)."""
    if connection.vendor != "postgresql":
        yield
        return
    from psycopg.adapt import PyFormat

    connection.ensure_connection()
    adapters = connection.connection.adapters
    before = adapters.get_dumper(list, PyFormat.TEXT)  # psycopg's, or an outer block's
    adapters.register_dumper(list, quoted_list_dumper())
    try:
        yield
    finally:
        adapters.register_dumper(list, before)


def quoted_list_dumper() -> type:
    """psycopg's list dumper, quoting every element of a flat list (nested lists are
    psycopg's own)."""
    from psycopg.types.array import ListDumper

    class QuotedListDumper(ListDumper):
        def _dump_list(self, obj: list[Any], tokens: list[Any], needs_quotes: Any) -> None:
            if not obj or any(isinstance(item, list) for item in obj):
                super()._dump_list(obj, tokens, needs_quotes)
                return
            dump = self.sub_dumper.dump if self.sub_dumper else self._dump_item
            parts = []
            for item in obj:
                ad = None if item is None else dump(item)
                if ad is None:
                    parts.append(b"NULL")
                else:
                    ad = bytes(ad)
                    if b"\\" in ad:
                        ad = ad.replace(b"\\", b"\\\\")
                    if b'"' in ad:
                        ad = ad.replace(b'"', b'\\"')
                    parts.append(b'"' + ad + b'"')
            tokens.append(b"{" + bytes(self.delimiter).join(parts) + b"}")

    return QuotedListDumper
