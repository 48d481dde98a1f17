"""The hub's timeliness settings (BRAG ratings, working hours, closure days) and the
notices the hub sends when a deadline nears or passes.

Guidance, Principles of information sharing, Timely: "Information should be shared in a
timely fashion to reduce the risk of harm. Timeliness is key in emergency situations."
The arithmetic lives in ``mash.enquiries.deadlines`` (pure); these models are the data
it is given (``config.py`` turns them into its ``Rating`` and ``WorkingClock``).
"""

from __future__ import annotations

import re
import uuid
from datetime import time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from mash.enquiries.deadlines import RATING_CODES, TAG_COLOURS

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# "50%": when half the response time is left; "1h", "30m": when that much is left.
_POINT = re.compile(r"^(?:(?P<share>\d{1,2})%|(?P<hours>\d{1,3})h|(?P<minutes>\d{1,4})m)$")


class ReminderPoint:
    """One point before a deadline at which the assigned agency is reminded."""

    def __init__(self, text: str) -> None:
        found = _POINT.match(text.strip().lower())
        if not found or (found["share"] is not None and not 0 < int(found["share"]) < 100):
            raise ValueError(text)
        self.key = text.strip().lower()
        self.share = int(found["share"]) / 100 if found["share"] else None
        if found["hours"]:
            self.left: timedelta | None = timedelta(hours=int(found["hours"]))
        elif found["minutes"]:
            self.left = timedelta(minutes=int(found["minutes"]))
        else:
            self.left = None
        if self.left is not None and self.left <= timedelta(0):
            raise ValueError(text)

    def __repr__(self) -> str:
        return f"ReminderPoint({self.key!r})"


def parse_reminder_points(text: str) -> list[ReminderPoint]:
    """``"50%, 1h"`` as points. Raises ``ValidationError`` naming the bad entry."""
    points = []
    for part in (p for p in text.split(",") if p.strip()):
        try:
            points.append(ReminderPoint(part))
        except ValueError:
            raise ValidationError(
                {
                    "reminder_points": (
                        f"'{part.strip()}' is not a reminder point: use a share of the "
                        "response time left (like 50%) or a time left (like 1h or 30m)"
                    )
                }
            ) from None
    return points


class HubTimeliness(models.Model):
    """One hub's working clock and reminder points. A hub without a row works to the
    defaults (Monday to Friday, 09:00 to 17:00, Europe/London, England and Wales bank
    holidays; reminders at half the time left and at one hour left)."""

    hub = models.OneToOneField(
        "agencies.Agency",
        on_delete=models.CASCADE,
        related_name="timeliness",
        limit_choices_to={"is_hub": True},
    )
    timezone = models.CharField(max_length=64, default="Europe/London")
    monday = models.BooleanField(default=True)
    tuesday = models.BooleanField(default=True)
    wednesday = models.BooleanField(default=True)
    thursday = models.BooleanField(default=True)
    friday = models.BooleanField(default=True)
    saturday = models.BooleanField(default=False)
    sunday = models.BooleanField(default=False)
    opens = models.TimeField(default=time(9, 0), help_text="The hub opens, e.g. 09:00.")
    closes = models.TimeField(default=time(17, 0), help_text="The hub closes, e.g. 17:00.")
    bank_holidays = models.BooleanField(
        default=True, help_text="Bank holidays are not working days."
    )
    bank_holiday_region = models.CharField(
        max_length=8,
        default="ENG",
        help_text="UK region for bank holidays: ENG (England and Wales), SCT, NIR.",
    )
    reminder_points = models.CharField(
        max_length=100,
        default="50%, 1h",
        help_text=(
            "When to remind the agency before a deadline, separated by commas: a share of "
            "the response time left (50%) or a time left (1h, 30m)."
        ),
    )
    digest_at = models.TimeField(
        default=time(8, 0), help_text="When the daily digest goes out (hub time)."
    )

    class Meta:
        verbose_name = "hub working hours and reminders"
        verbose_name_plural = "hub working hours and reminders"

    def __str__(self) -> str:
        return f"Working hours of {self.hub}"

    @property
    def working_days(self) -> frozenset[int]:
        return frozenset(n for n, day in enumerate(WEEKDAYS) if getattr(self, day))

    def points(self) -> list[ReminderPoint]:
        return parse_reminder_points(self.reminder_points)

    def clean(self) -> None:
        from .config import clock_for

        self.points()
        if not self.working_days:
            raise ValidationError({"monday": "Select at least one working day"})
        if self.opens is not None and self.closes is not None and self.opens >= self.closes:
            raise ValidationError({"closes": "The hub must close after it opens"})
        try:
            clock_for(self, closures=())
        except (ValueError, KeyError, NotImplementedError) as error:
            if "region" in str(error).lower() or isinstance(error, NotImplementedError):
                raise ValidationError(
                    {"bank_holiday_region": "Enter a UK region: ENG, SCT or NIR"}
                ) from None
            raise ValidationError({"timezone": "Enter a time zone like Europe/London"}) from None


class RatingCode(models.TextChoices):
    BLUE = "blue", "Blue"
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Counting(models.TextChoices):
    WORKING = "working", "Working hours (only while the hub is open)"
    CALENDAR = "calendar", "Calendar hours (around the clock)"


TAG_COLOUR_CHOICES = [(c, c.replace("-", " ").capitalize()) for c in sorted(TAG_COLOURS)]


class RatingSetting(models.Model):
    """One BRAG rating as the hub configures it (``deadlines.Rating``)."""

    config = models.ForeignKey(HubTimeliness, on_delete=models.CASCADE, related_name="ratings")
    code = models.CharField(max_length=10, choices=RatingCode.choices)
    label = models.CharField(max_length=40)
    colour = models.CharField(max_length=20, choices=TAG_COLOUR_CHOICES)
    hours = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(24 * 3650))],
        help_text="Response time in hours. Leave empty for no target.",
    )
    counting = models.CharField(max_length=10, choices=Counting.choices, default=Counting.WORKING)
    runs_out_of_hours = models.BooleanField(
        default=False, help_text="Worked around the clock: its hours count out of hours too."
    )

    class Meta:
        ordering = ["config", "code"]
        constraints = [
            models.UniqueConstraint(fields=["config", "code"], name="one_setting_per_rating"),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.code not in RATING_CODES:
            raise ValidationError({"code": "Select Blue, Red, Amber or Green"})
        if not (self.label or "").strip():
            raise ValidationError({"label": "Enter the rating's label"})


class ClosureDay(models.Model):
    """A local closure day: the hub's clock does not run (a training day, an office move)."""

    config = models.ForeignKey(HubTimeliness, on_delete=models.CASCADE, related_name="closures")
    day = models.DateField()
    description = models.CharField(max_length=100, help_text="e.g. 'Staff training day'.")

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["config", "day"], name="one_closure_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d %B %Y}: {self.description}"


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    ESCALATION = "escalation", "Escalation"
    DIGEST = "digest", "Daily digest"
    ADVICE_ASKED = "advice_asked", "Advice asked"
    ADVICE_ANSWERED = "advice_answered", "Advice given"
    SIGNOFF_AWAITED = "signoff_awaited", "Waiting for sign-off"
    SIGNOFF_GIVEN = "signoff_given", "Signed off"
    SIGNOFF_REFUSED = "signoff_refused", "Returned by a manager"
    DECISION_RELEASED = "decision_released", "Decision received"


class Notice(models.Model):
    """A notice the hub decided to send, once. ``key`` is unique, so a second scan, a
    second worker or a restart finds it and sends nothing: it is created in the same
    transaction as its notifications and the task that e-mails them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    point = models.CharField(max_length=20, blank=True)
    request = models.ForeignKey(
        "sharing.InformationRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
    )
    deadline = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    # False when a tighter point was due at the same scan: recorded, not sent.
    sent = models.BooleanField(default=True)
    # E-mail delivery: each failed attempt counts; the worker tries again later (with a
    # growing wait) until ``MASH_EMAIL_MAX_ATTEMPTS``, then gives up and marks it failed
    # for the administrator. The error is its kind and SMTP code, never an address.
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(max_length=200, blank=True)
    email_retry_at = models.DateTimeField(null=True, blank=True)
    email_failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.point}".strip()


class Notification(models.Model):
    """One notice as one person sees it in the app (and by e-mail): a short plain text
    with the reference and a link, never anyone's details."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "notice"], name="one_notification_per_user"),
        ]

    def __str__(self) -> str:
        return self.subject


class ScheduledRun(models.Model):
    """A periodic job slot (``scan:2026-11-25T10:31``, ``digest:2026-11-25``) claimed by
    one worker: the unique ``slot`` stops two workers enqueueing the same run."""

    slot = models.CharField(max_length=60, primary_key=True)
    claimed_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.slot


class WorkerHeartbeat(models.Model):
    """One row per running ``mash worker``, written every loop: when it last beat, and
    the last database fault it rode out. The admin lists them; ``mash.timeliness.
    heartbeat.worker_health`` reads them for a health endpoint. A worker whose beat is
    older than a few of its intervals has stopped (or cannot reach the database)."""

    worker_id = models.CharField(max_length=80, primary_key=True)
    hostname = models.CharField(max_length=80)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()
    interval_seconds = models.FloatField(default=5.0)
    loops = models.PositiveBigIntegerField(default=0)
    faults = models.PositiveIntegerField(
        default=0, help_text="Database faults ridden out since the worker started."
    )
    last_fault_at = models.DateTimeField(null=True, blank=True)
    last_fault = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return self.worker_id
