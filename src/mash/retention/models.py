"""Retention schedules, holds, the tombstones destruction leaves, and sweep runs.

Guidance, Record: "Information should be kept in line with each organisation's
retention policy." Each agency sets its own schedule (one rule per kind of record);
the hub's own records follow the hub's schedule and each agency's decisions and
disclosures follow that agency's (falling back to the hub's where the agency set none).
A hold (on a person, an enquiry or a whole hub) stops any destruction under it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from mash.keys.fields import EncryptedTextField

from . import rules

# A challenge and a correction are narrative about a person: sealed with the enquiry's
# data key (mash.keys), like the item they are about.
_ITEM_ENQUIRY = "item.decision.request.enquiry_id"


class RecordKind(models.TextChoices):
    ENQUIRY_NO_FURTHER_ACTION = (
        "enquiry_nfa",
        "Enquiry closed with no further action",
    )
    ENQUIRY_FURTHER_ACTION = (
        "enquiry_action",
        "Enquiry that led to an assessment or other action",
    )
    REQUEST = "request", "Request to an agency"
    DECISION = "decision", "Sharing decision"
    DISCLOSURE = "disclosure", "Disclosure (an item an agency shared)"
    CONSENT = "consent", "Consent record"
    EVIDENCE = "evidence", "Evidence file (a consent form)"


class Unit(models.TextChoices):
    YEARS = rules.Unit.YEARS.value, "Years"
    MONTHS = rules.Unit.MONTHS.value, "Months"


class Trigger(models.TextChoices):
    CREATED = rules.Trigger.CREATED.value, "Creation"
    CLOSED = rules.Trigger.CLOSED.value, "Closure of the enquiry"
    LAST_ACTIVITY = rules.Trigger.LAST_ACTIVITY.value, "Last activity (each activity restarts it)"
    BIRTHDAY_18 = rules.Trigger.BIRTHDAY_18.value, "The child's 18th birthday"
    BIRTHDAY_25 = rules.Trigger.BIRTHDAY_25.value, "The child's 25th birthday"
    DEATH = rules.Trigger.DEATH.value, "The child's date of death (recorded on the person)"


class RetentionRule(models.Model):
    """One line of an agency's retention schedule: keep ``kind`` for ``amount``
    ``unit`` from ``trigger``, because ``reason``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="retention_rules"
    )
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    amount = models.PositiveIntegerField(help_text="How many years or months to keep it.")
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.YEARS)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    reason = models.TextField(
        help_text="The legal or business reason, in words (e.g. 'Limitation Act 1980')."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind"], name="one_rule_per_agency_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.describe()}"

    def clean(self) -> None:
        if not (self.reason or "").strip():
            raise ValidationError({"reason": "Enter the legal or business reason for the rule"})
        if self.amount is not None and self.amount > 150:
            raise ValidationError({"amount": "Keep for 150 years or fewer"})

    def as_rule(self) -> rules.Rule:
        return rules.Rule(int(self.amount), rules.Unit(self.unit), rules.Trigger(self.trigger))

    def describe(self) -> str:
        return self.as_rule().describe()


class HoldScope(models.TextChoices):
    PERSON = "person", "A person"
    ENQUIRY = "enquiry", "An enquiry"
    HUB = "hub", "The whole hub (an inquiry moratorium)"


class Hold(models.Model):
    """A legal hold: while it is in force (not released), nothing under it is
    destroyed. Ids, not foreign keys, name what is held, so a hold outlives nothing it
    protects and is itself never deleted (released holds stay, with who released them)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scope = models.CharField(max_length=10, choices=HoldScope.choices)
    person_id = models.UUIDField(null=True, blank=True, db_index=True)
    enquiry_id = models.UUIDField(null=True, blank=True, db_index=True)
    hub = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Sealed under the held enquiry's data key (a hold on a person names the person's
    # enquiry); a hold on a whole hub has no enquiry, so it has a data key of its own,
    # named by the hold's id (``sealing_key_id``).
    reason = EncryptedTextField(enquiry="sealing_key_id")
    review_on = models.DateField(help_text="When the hold is next reviewed.")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review_on", "placed_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(scope="person", person_id__isnull=False)
                    | models.Q(scope="enquiry", enquiry_id__isnull=False)
                    | models.Q(scope="hub", hub__isnull=False)
                ),
                name="hold_names_what_it_holds",
            )
        ]

    def __str__(self) -> str:
        return f"Hold on {self.get_scope_display().lower()} until reviewed {self.review_on}"

    @property
    def in_force(self) -> bool:
        return self.released_at is None

    @property
    def sealing_key_id(self) -> uuid.UUID:
        """Whose data key seals the reason: the held enquiry's, else the hold's own."""
        return self.enquiry_id or self.id


class SweepRun(models.Model):
    """One run of the sweep (or of its dry run): when, by whom, what it did."""

    id = models.BigAutoField(primary_key=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    today = models.DateField()
    enquiries_examined = models.PositiveIntegerField(default=0)
    enquiries_destroyed = models.PositiveIntegerField(default=0)
    records_destroyed = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Sweep {self.started_at:%Y-%m-%d %H:%M}"


class Tombstone(models.Model):
    """What is left of a destroyed record: its type, id, the rule applied and the date.
    Nothing about any person: the row's content is gone."""

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.UUIDField()
    enquiry_id = models.UUIDField(db_index=True)
    hub = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    rule_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rule = models.ForeignKey(
        RetentionRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rule_applied = models.CharField(max_length=200)
    retention_ended = models.DateField()
    destroyed_at = models.DateTimeField()
    sweep = models.ForeignKey(SweepRun, on_delete=models.PROTECT, related_name="tombstones")

    class Meta:
        ordering = ["-destroyed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id"], name="one_tombstone_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} destroyed {self.destroyed_at:%Y-%m-%d}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Disputed"
    CORRECTED = "corrected", "Corrected"
    STANDS = "stands", "Reviewed: the item stands, the challenge is kept with it"


class Dispute(models.Model):
    """A person's challenge to the accuracy of an item an agency shared (UK GDPR
    Article 16; the guidance, How?: "accurate and up to date", "distinguish fact from
    opinion"). The item is shown as disputed wherever it appears until resolved; a
    resolved challenge stays with the item."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(
        "sharing.DisclosureItem", on_delete=models.CASCADE, related_name="disputes"
    )
    person = models.ForeignKey(
        "enquiries.Person", on_delete=models.CASCADE, related_name="disputes"
    )
    statement = EncryptedTextField(
        enquiry=_ITEM_ENQUIRY, help_text="What the person says is wrong, in their words."
    )
    received_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = EncryptedTextField(enquiry=_ITEM_ENQUIRY, blank=True)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"Challenge received {self.received_on}: {self.get_status_display()}"


class ItemCorrection(models.Model):
    """A corrected version of a disclosure item. The item as shared is never changed:
    each correction is a new version (1, 2, ...) and the latest is the current text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(
        "sharing.DisclosureItem", on_delete=models.CASCADE, related_name="corrections"
    )
    version = models.PositiveIntegerField()
    text = EncryptedTextField(enquiry=_ITEM_ENQUIRY)
    reason = EncryptedTextField(
        enquiry=_ITEM_ENQUIRY, help_text="Why it was corrected, and who at the agency said so."
    )
    dispute = models.ForeignKey(
        Dispute, on_delete=models.SET_NULL, null=True, blank=True, related_name="corrections"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["item", "version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="one_correction_per_version")
        ]

    def __str__(self) -> str:
        return f"Version {self.version + 1} of an item"


class RetentionSettings(models.Model):
    """A hub's retention settings. A hub without a row uses the defaults (the sweep
    destroys what has passed its retention without asking anyone first)."""

    hub = models.OneToOneField(
        "agencies.Agency",
        on_delete=models.CASCADE,
        related_name="retention_settings",
        limit_choices_to={"is_hub": True},
    )
    approval_required = models.BooleanField(
        "DPO approval required for each sweep batch",
        default=False,
        help_text="The daily sweep destroys nothing of this hub's by itself: it plans a batch "
        "of what has passed its retention, and the hub's data protection officer approves "
        "or rejects each batch (Retention → Batches awaiting approval). An approved batch "
        "is destroyed by the next sweep.",
    )

    class Meta:
        verbose_name = "retention settings"
        verbose_name_plural = "retention settings"

    def __str__(self) -> str:
        return f"Retention settings for {self.hub}"

    def clean(self) -> None:
        hub = getattr(self, "hub", None) if self.hub_id else None
        if hub is not None and not hub.is_hub:
            raise ValidationError({"hub": "Select a hub (retention settings are per hub)"})


def hubs_requiring_approval() -> set[int]:
    """The hubs whose sweeps wait for the DPO's approval of each batch (off by default)."""
    return set(
        RetentionSettings.objects.filter(approval_required=True).values_list("hub_id", flat=True)
    )


class BatchStatus(models.TextChoices):
    PENDING = "pending", "Awaiting approval"
    APPROVED = "approved", "Approved: destroyed by the next sweep"
    REJECTED = "rejected", "Rejected: nothing destroyed"
    DESTROYED = "destroyed", "Destroyed"


# Batches that hold their records back from the next one: a record in one of these is
# not planned into a new batch (rejected and destroyed batches let theirs come back).
OPEN_BATCH_STATUSES = (BatchStatus.PENDING, BatchStatus.APPROVED)


class SweepBatch(models.Model):
    """What one sweep found past its retention in a hub that requires the DPO's approval
    (``RetentionSettings.approval_required``): destroyed only once approved, and then only
    what is still past its retention and not held when the sweep comes to destroy it.

    Holds ids, kinds and rules (``SweepBatchItem``), nobody's details. The reason for a
    rejection is narrative and is sealed under the batch's own data key (``mash.keys``:
    the key is named by the batch's id, as an enquiry's is by the enquiry's)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    hub = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING, db_index=True
    )
    planned_on = models.DateField(help_text="The date the schedules were applied on.")
    created_at = models.DateTimeField()
    planned_by = models.ForeignKey(SweepRun, on_delete=models.PROTECT, related_name="batches")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = EncryptedTextField(enquiry="id", blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)
    destroyed_by = models.ForeignKey(
        SweepRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    records_destroyed = models.PositiveIntegerField(default=0)
    records_kept = models.PositiveIntegerField(
        default=0,
        help_text="Approved, but held or no longer past retention when the sweep came to it.",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "sweep batches"

    def __str__(self) -> str:
        return f"Sweep batch of {self.created_at:%Y-%m-%d}: {self.get_status_display()}"


class ItemOutcome(models.TextChoices):
    WAITING = "", "Not yet destroyed"
    DESTROYED = "destroyed", "Destroyed"
    KEPT = "kept", "Kept: held or no longer past retention when the sweep came to it"


class SweepBatchItem(models.Model):
    """One record in a batch: which record (its type and id, in which enquiry), its
    kind, the rule that applies and the last day of its retention. No personal data."""

    id = models.BigAutoField(primary_key=True)
    batch = models.ForeignKey(SweepBatch, on_delete=models.PROTECT, related_name="items")
    enquiry_id = models.UUIDField(db_index=True)
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.UUIDField()
    rule = models.ForeignKey(
        RetentionRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rule_applied = models.CharField(max_length=200)
    retention_ended = models.DateField()
    outcome = models.CharField(
        max_length=10, choices=ItemOutcome.choices, default=ItemOutcome.WAITING, blank=True
    )

    class Meta:
        ordering = ["batch", "enquiry_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "object_type", "object_id"], name="one_item_per_record_per_batch"
            )
        ]
        indexes = [models.Index(fields=["object_type", "object_id"], name="batch_item_record")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in a sweep batch"


class ReviewStatus(models.TextChoices):
    IN_REVIEW = "in_review", "In review"
    RELEASED = "released", "Released: the export was downloaded"


class SubjectAccessReview(models.Model):
    """The DPO's review of a subject access export before it is released: which records
    of the person it covers (ids), and the redactions proposed in it with the DPO's
    decision on each (``RedactionProposal``). Kept, so the DPO can come back to it;
    written only by ``services``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    hub = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    people = models.JSONField(help_text="The ids of the person records exported, sorted.")
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.IN_REVIEW
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Subject access review of {self.prepared_at:%Y-%m-%d}: {self.get_status_display()}"


class ThirdPartyKind(models.TextChoices):
    OTHER_PERSON = "other_person", "Another person in the enquiry"
    REFERRER = "referrer", "The referrer"
    OPINION_AUTHOR = "opinion_author", "The author of an opinion"


class ProposalDecision(models.TextChoices):
    UNDECIDED = "", "To decide"
    ACCEPTED = "accepted", "Redact"
    REJECTED = "rejected", "Release as written"


class RedactionProposal(models.Model):
    """One proposed redaction in a review: the text at ``start:end`` of ``field`` of one
    item of the export (``section``, ``object_id``), a third party's (``kind``), and
    the DPO's decision. The text itself is sealed under the item's enquiry's data key
    (it is a person's name); the enquiry's destruction takes the proposal with it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(
        SubjectAccessReview, on_delete=models.CASCADE, related_name="proposals"
    )
    enquiry = models.ForeignKey("enquiries.Enquiry", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(help_text="Its place in the export's order.")
    section = models.CharField(max_length=30)
    object_id = models.CharField(max_length=36)
    field = models.CharField(max_length=80)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = EncryptedTextField(enquiry="enquiry_id")
    kind = models.CharField(max_length=20, choices=ThirdPartyKind.choices)
    detail = models.CharField(max_length=40, blank=True)
    decision = models.CharField(
        max_length=10, choices=ProposalDecision.choices, default="", blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "position"]

    def __str__(self) -> str:
        return f"Proposed redaction: {self.get_decision_display()}"

    @property
    def key(self) -> tuple[str, str, str, int, int, str]:
        return (self.section, self.object_id, self.field, self.start, self.end, self.kind)
