"""The dashboard's figures for settled days, counted ahead by the worker (issue 18).

Over ten years of data every dashboard table read every row of the period through its
joins: 4.2 s for the ten-year dashboard on PostgreSQL (tests/bench/README.md), against
a page budget of about one second. So the worker counts each day's figures once a night
(``mash.reports.services.count_figures``) for the days that have settled (older than
``mash.reports.days.SETTLED_DAYS``), and the page reads those days' figures and counts
only the recent days live.

These rows are derived and disposable: each night's count replaces all of a hub's rows,
they hold counts and durations only (no name, no narrative, no identifier of a person or
enquiry), and nothing else reads them. They are not a second source of truth: the
records they are counted from stay the only one, and a change to a settled day shows on
the dashboard after the next night's count (the page says when the figures were counted).
"""

from __future__ import annotations

from django.db import models


class DayFigures(models.Model):
    """One part of the dashboard's figures (``mash.reports.days.PARTS``) for one day of
    one hub, over every agency (``agency_code`` empty) or one agency's share of it."""

    hub = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    agency_code = models.CharField(max_length=40, blank=True, default="")
    part = models.CharField(max_length=20)
    day = models.DateField()
    figures = models.JSONField()
    # Which count wrote the row: pages read the generation ``FiguresCounted`` names, so
    # a count writes its rows in short transactions and switches to them at once.
    generation = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "generation", "agency_code", "part", "day"],
                name="day_figures_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.part} figures of {self.day:%Y-%m-%d}"


class FiguresCounted(models.Model):
    """Which days of a hub the stored figures cover (every day up to ``through``,
    inclusive) and when they were counted."""

    hub = models.OneToOneField("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    through = models.DateField()
    counted_at = models.DateTimeField()
    generation = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Figures counted through {self.through:%Y-%m-%d}"
