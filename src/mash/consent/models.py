"""The consent register: one row per consent event about one person, never edited.

Guidance, Consent to Share Information: "Check you have consent from all people whose
information is to be shared"; "Where sensitive personal information is being shared
explicit consent is expected, this may be written e.g. consent form or a clear record
of verbal consent obtained stating the date, time and what information is to be
held/shared." Guidance, Partial Consent: consent may cover "some, but not all,
agencies". Guidance, Sharing information when consent has been refused: a refusal may
be overridden only when justified and proportionate, so a refusal is recorded as
carefully as consent. Withdrawal is a new event dated when it happened, never an edit
of the consent it withdraws.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from mash.keys.fields import EncryptedTextField


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Giver(models.TextChoices):
    SELF = "self", "The person themself"
    PARENTAL_RESPONSIBILITY = (
        "parental_responsibility",
        "Someone with parental responsibility for the child",
    )


class Method(models.TextChoices):
    WRITTEN = "written", "Written (a signed consent form)"
    VERBAL = "verbal", "Verbal"
    PRIVACY_NOTICE = "privacy_notice", "Privacy notice"


class Category(models.TextChoices):
    """Kinds of information a consent may be limited to (the agencies' records)."""

    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    POLICE = "police", "Police"
    SOCIAL_CARE = "social_care", "Social care"
    HOUSING = "housing", "Housing"
    PROBATION = "probation", "Probation"


CATEGORY_CODES = frozenset(Category.values)


class ConsentRecord(models.Model):
    """One consent event: given, refused or withdrawn, by whom, for which agencies,
    purpose and kinds of information, how and when. Never changed once saved: a
    withdrawal or a fresh consent is a new record, and the latest covering record
    decides the position (see ``mash.consent.selectors``)."""

    # The purposes' names, once looked up (see ``purpose_names``); not a column.
    _purpose_names: list[str] | None = None

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "enquiries.Person", on_delete=models.CASCADE, related_name="consent_records"
    )
    status = models.CharField(max_length=12, choices=ConsentStatus.choices)

    # Who gave, refused or withdrew it.
    giver = models.CharField(max_length=30, choices=Giver.choices)
    giver_relationship = models.CharField(
        max_length=100,
        blank=True,
        help_text="For someone with parental responsibility: their relationship to the child.",
    )
    gillick_competent = models.BooleanField(
        null=True,
        blank=True,
        help_text=(
            "For a child deciding for themselves: were they judged competent to decide "
            "(Gillick competence / Fraser guidelines)? Empty when it does not apply."
        ),
    )

    # What it covers.
    all_agencies = models.BooleanField(default=True)
    agencies = models.ManyToManyField("agencies.Agency", blank=True, related_name="+")
    purpose = EncryptedTextField(enquiry="person.enquiry_id")
    # The purposes it covers, as codes from the hub's purposes list (Consent: "for this
    # purpose"); empty: not limited to any of them. The engine compares a request's
    # purpose code with these; the words above say the rest.
    purposes = models.JSONField(default=list, blank=True)
    all_categories = models.BooleanField(default=True)
    categories = models.JSONField(default=list, blank=True)
    information_covered = EncryptedTextField(
        enquiry="person.enquiry_id", blank=True, help_text="What information it covers, in words."
    )

    # How and when.
    method = models.CharField(max_length=20, choices=Method.choices)
    given_on = models.DateField()
    given_time = models.TimeField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)

    withdraws = models.ForeignKey(
        "self",
        # A consent cannot be deleted on its own while a withdrawal refers to it; both
        # go together when their person goes (retention).
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="withdrawals",
        help_text="For a withdrawal: the consent it withdraws.",
    )

    # Evidence: an uploaded consent form, stored encrypted outside the web root.
    evidence_name = models.CharField(max_length=80, blank=True, editable=False)
    evidence_content_type = models.CharField(max_length=40, blank=True, editable=False)
    evidence_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    evidence_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # The information sharing decision this answer was given in (its source), when an
    # agency recorded it while deciding on a request rather than on the consent pages.
    decision = models.ForeignKey(
        "sharing.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consent_records",
    )

    class Meta:
        ordering = ["-given_on", "-given_time", "-recorded_at"]
        indexes = [models.Index(fields=["person", "given_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ConsentStatus.values), name="consent_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(giver="parental_responsibility")
                | ~models.Q(giver_relationship=""),
                name="consent_parental_relationship_recorded",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="consent_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent {self.status} on {self.given_on:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Events are never edited: a second save of the same row is refused."""
        if not self._state.adding:
            raise ValidationError("A consent record is never changed: record a new event.")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.giver == Giver.PARENTAL_RESPONSIBILITY and not self.giver_relationship.strip():
            errors["giver_relationship"] = (
                "Enter the relationship to the child of the person with parental responsibility"
            )
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = "Valid until must be the same as or after valid from"
        if not self.all_categories:
            unknown = set(self.categories) - CATEGORY_CODES
            if unknown or not self.categories:
                errors["categories"] = "Select the kinds of information the consent covers"
        if errors:
            raise ValidationError(errors)

    # Derived facts -----------------------------------------------------------------

    @property
    def explicit(self) -> bool:
        """Explicit consent, in the guidance's words (Consent to Share Information):
        "Where sensitive personal information is being shared explicit consent is
        expected, this may be written e.g. consent form or a clear record of verbal
        consent obtained stating the date, time and what information is to be
        held/shared."

        So: a written consent form; or verbal consent recorded with its date (always
        recorded), its time and what information it covers. A privacy notice, or verbal
        consent without a time or without what it covers, is implicit."""
        if self.method == Method.WRITTEN:
            return True
        if self.method == Method.VERBAL:
            return self.given_time is not None and bool(self.information_covered.strip())
        return False

    @property
    def given_at(self) -> dt.datetime:
        """When it was given (refused, withdrawn), as an aware datetime in the hub's
        time zone; midnight when no time was recorded."""
        naive = dt.datetime.combine(self.given_on, self.given_time or dt.time(0, 0))
        return timezone.make_aware(naive, timezone.get_default_timezone())

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_name)

    def purpose_codes(self) -> list[str] | None:
        """The hub purposes it is limited to, or None when not limited."""
        return list(self.purposes) if self.purposes else None

    @property
    def purpose_names(self) -> list[str]:
        """The names of the hub purposes it is limited to (for pages): one query the first
        time, none after (``with_purpose_names`` fills a whole page's in one query)."""
        if not self.purposes:
            return []
        if self._purpose_names is None:
            with_purpose_names([self])
        return list(self._purpose_names or [])

    def agency_codes(self) -> list[str] | None:
        """The agencies it covers as codes, or None for every agency."""
        if self.all_agencies:
            return None
        return sorted(agency.code for agency in self.agencies.all())

    def category_codes(self) -> list[str] | None:
        """The kinds of information it covers, or None for every kind."""
        if self.all_categories:
            return None
        return sorted(self.categories)

    def category_labels(self) -> list[str]:
        return [Category(code).label for code in self.category_codes() or []]

    def in_force_on(self, day: dt.date) -> bool:
        """Within its validity on that day (valid from and until are inclusive)."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        return not (self.valid_until is not None and day > self.valid_until)


def with_purpose_names(records: list[ConsentRecord]) -> list[ConsentRecord]:
    """Look up the hub purposes' names of every record given, in one query."""
    limited = [record for record in records if record.purposes]
    if not limited:
        return records
    from mash.guidance.models import SharingPurpose

    codes = {code for record in limited for code in record.purposes}
    names = dict(SharingPurpose.objects.filter(code__in=codes).values_list("code", "name"))
    for record in limited:
        record._purpose_names = [names.get(code, code) for code in record.purposes]
    return records
