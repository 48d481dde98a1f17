"""A version of the hub's information sharing guidance, loaded by an administrator.

The rules of the guidance live in ``mash.policy``; a hub can still load a newer version
of the guidance's text and review date without code (Approval Log: "To be reviewed by
MASH Strategic Group ... Review date"). The newest loaded version is the one the hub
works under: decisions made from then on name it (``guidance_version``) and link to its
text. The built-in version (Herefordshire v4, May 2023) is loaded by a migration.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.validators import EmailValidator
from django.db import models
from django.utils import timezone

from mash.lib.contacts import EMAIL_MESSAGE, uk_phone_digits, validate_uk_phone
from mash.policy.versions import CURRENT
from mash.policy.versions import GuidanceVersion as PolicyVersion


class GuidanceVersion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version_id = models.SlugField(
        "identifier",
        max_length=40,
        unique=True,
        help_text="A short, unique name for this version, e.g. herefordshire-mash-v5-2025-01. "
        "Decisions made under it name it.",
    )
    title = models.CharField(max_length=200, default=CURRENT.title)
    publisher = models.CharField(max_length=200, default=CURRENT.publisher)
    version = models.PositiveIntegerField(help_text="The number in the guidance's Version Log.")
    issued = models.CharField(
        max_length=40, help_text="When it was issued, as the guidance says it, e.g. May 2023."
    )
    review_date = models.DateField(
        help_text="The Approval Log's review date: after it, pages say the guidance is "
        "past its review date."
    )
    text = models.TextField(help_text="The guidance's full text, as published.")
    loaded_at = models.DateTimeField(default=timezone.now, editable=False)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-loaded_at"]
        indexes = [models.Index(fields=["-loaded_at"], name="guidance_loaded_at")]
        verbose_name = "guidance version"

    def __str__(self) -> str:
        return f"{self.title}, version {self.version}, {self.issued}"

    def is_past_review(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) > self.review_date

    def as_policy(self) -> PolicyVersion:
        """The same version as ``mash.policy.versions`` knows versions."""
        return PolicyVersion(
            id=self.version_id,
            title=self.title,
            publisher=self.publisher,
            version=self.version,
            issued=self.issued,
            review_date=self.review_date.strftime("%B %Y"),
            contract_version=CURRENT.contract_version,
            review_by=self.review_date,
            text=self.text,
        )


class SharingPurpose(models.Model):
    """One purpose on the hub's list (Consent: "consent to share this information for
    this purpose"): requests and consents name purposes by ``code``, so a consent's scope
    is compared with a request's purpose by code, not by matching free text."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True, help_text="Offered for new requests and consents.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "sharing purpose"

    def __str__(self) -> str:
        return self.name


class AgencyLawfulBases(models.Model):
    """The lawful bases an agency may rely on (UK GDPR Article 6 bases, Article 9
    conditions, DPA 2018 Schedule 1 conditions): a police force and a school do not share
    under the same statutes. An agency with none set may choose any."""

    agency = models.OneToOneField(
        "agencies.Agency", on_delete=models.CASCADE, related_name="lawful_bases"
    )
    codes = models.JSONField(default=list, help_text="Codes from mash.policy.LAWFUL_BASIS_WORDS.")

    class Meta:
        verbose_name = "agency's lawful bases"
        verbose_name_plural = "agencies' lawful bases"

    def __str__(self) -> str:
        return f"Lawful bases of {self.agency}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from mash.policy import LAWFUL_BASIS_WORDS

        unknown = [c for c in self.codes if c not in LAWFUL_BASIS_WORDS]
        if not isinstance(self.codes, list) or unknown:
            raise ValidationError(
                {"codes": f"Not lawful basis codes: {', '.join(map(str, unknown))}"}
            )


class AdviceContact(models.Model):
    """Someone to ask when in doubt (Golden rule 3, "Seek Advice"; Public Interest: "If
    you need help or support/guidance contact your safeguarding lead or the MASH
    helpline"). Set by an administrator; shown wherever the guidance says to seek advice."""

    class Kind(models.TextChoices):
        HELPLINE = "helpline", "MASH helpline"
        SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
        OTHER = "other", "Other advice"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HELPLINE)
    name = models.CharField(
        max_length=200, help_text="A team (e.g. Herefordshire MASH helpline) or a person's name."
    )
    role = models.CharField(
        max_length=200, blank=True, help_text="e.g. Designated safeguarding lead, MASH team."
    )
    phone = models.CharField(
        "telephone",
        max_length=40,
        blank=True,
        validators=[validate_uk_phone],
        help_text="A UK number, e.g. 01432 260800.",
    )
    email = models.CharField(
        "email address",
        max_length=254,
        blank=True,
        validators=[EmailValidator(message=EMAIL_MESSAGE)],
        help_text="e.g. mash@herefordshire.gov.uk",
    )
    hours = models.CharField(
        max_length=200, blank=True, help_text="When they answer, e.g. Monday to Friday, 9am to 5pm."
    )
    active = models.BooleanField(default=True, help_text="Shown on the pages.")
    order = models.PositiveIntegerField(default=0, help_text="Lower numbers are shown first.")

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "advice contact"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def phone_href(self) -> str:
        """``tel:`` target in international form (+441432260800)."""
        digits = uk_phone_digits(self.phone)
        return f"tel:+44{digits[1:]}" if digits else ""

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not self.phone.strip() and not self.email.strip():
            raise ValidationError(
                {"phone": "Enter a telephone number or an email address (or both)"}
            )
