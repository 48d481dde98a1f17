"""Bar charts drawn on the server as SVG from a report's ``Table`` (ADR 0008).

Each chart is an inline ``<svg role="img">`` named by its ``<title>`` and ``<desc>``
(``aria-labelledby``), with its data table beside it on the page: no script, no
``style`` element or attribute (the Content-Security-Policy refuses both), colours as
presentation attributes. Horizontal bars, one a row, the label above its bar and the
value at its end, so a long label never collides with another.
"""

from __future__ import annotations

import dataclasses

from .tables import Table

WIDTH = 640
BAR_AREA = 500
ROW_HEIGHT = 44
BAR_HEIGHT = 16
TOP = 8


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    label_y: int
    bar_y: int
    width: float
    value_x: float
    value_y: int


@dataclasses.dataclass(frozen=True)
class Drawn:
    key: str
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    bar_height: int
    axis_note: str


def draw(table: Table) -> Drawn | None:
    chart = table.chart
    if chart is None:
        return None
    picked = [r for i, r in enumerate(table.rows) if not chart.only or i in chart.only]
    values = [r.cells[chart.value] for r in picked]
    numbers = [float(v) if isinstance(v, (int, float)) else 0.0 for v in values]
    top = 100.0 if chart.percent else max(numbers, default=0.0)
    bars = []
    for n, (row, number, value) in enumerate(zip(picked, numbers, values, strict=True)):
        y = TOP + n * ROW_HEIGHT
        width = 0.0 if top <= 0 else BAR_AREA * min(number, top) / top
        text = "no figure" if value is None else table.text(value, chart.value)
        if chart.unit and value is not None:
            text = (
                f"{text} {chart.unit}" if not chart.unit.startswith("%") else f"{text}{chart.unit}"
            )
        bars.append(
            Bar(
                label=str(row.cells[chart.label]),
                value_text=text,
                label_y=y + 14,
                bar_y=y + 20,
                width=round(width, 1),
                value_x=round(width + 6, 1),
                value_y=y + 20 + BAR_HEIGHT - 3,
            )
        )
    height = TOP + len(bars) * ROW_HEIGHT + 8
    summary = "; ".join(f"{b.label}: {b.value_text}" for b in bars)
    return Drawn(
        key=table.key,
        title=table.title,
        description=f"{table.description} {summary}." if summary else table.description,
        bars=bars,
        width=WIDTH,
        height=max(height, 40),
        bar_height=BAR_HEIGHT,
        axis_note="0 to 100%" if chart.percent else "",
    )
