"""A report's table: the one object the page, its chart, the CSV and the XLSX are all
made from, so the four always hold the same figures.

A cell is a number (int), a measure that may be missing (float or None: shown as a
blank in the files and as words on the page), or text. A row may carry a link per
cell (the paged list of decisions behind a figure)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

Cell = int | float | str | None


@dataclasses.dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = True
    # Decimal places for a float measure (hours: 1; percentages: 0).
    places: int = 1


@dataclasses.dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    # The query string (figure and value) of the list behind each cell; "" for none.
    links: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Chart:
    """How a table is drawn: the labels from column ``label``, bar lengths from column
    ``value`` (a share: ``percent`` draws 0 to 100)."""

    value: int
    label: int = 0
    unit: str = ""
    percent: bool = False
    # The rows drawn (all when empty): a table of mixed measures draws its counts only.
    only: tuple[int, ...] = ()


@dataclasses.dataclass(frozen=True)
class Table:
    key: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    chart: Chart | None = None
    note: str = ""
    # The URL name of the paged list the rows' links open (their query strings added).
    behind: str = "reports:decisions"

    def text(self, value: Cell, column: int) -> str:
        """A cell as the files and the page's table write it ("" for none)."""
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:.{self.columns[column].places}f}"
        return str(value)

    def header(self) -> list[str]:
        return [c.label for c in self.columns]

    def text_rows(self) -> list[list[str]]:
        return [[self.text(v, i) for i, v in enumerate(r.cells)] for r in self.rows]


def filename(table: Table, start: dt.date, end: dt.date, extension: str) -> str:
    return f"{table.key}-{start.isoformat()}-to-{end.isoformat()}.{extension}"


def cells_for_xlsx(table: Table) -> list[list[Any]]:
    """The rows as typed cells (numbers stay numbers) rounded as the page shows them."""
    out: list[list[Any]] = []
    for r in table.rows:
        row: list[Any] = []
        for i, v in enumerate(r.cells):
            if isinstance(v, float):
                row.append(round(v, table.columns[i].places))
            else:
                row.append(v)
        out.append(row)
    return out
