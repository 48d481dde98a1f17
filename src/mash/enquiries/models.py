"""Enquiries (contacts and referrals, the Multi-Agency Referral Form) and the people
involved in them.

Guidance, Introduction: the MASH exchanges information "following an enquiry by any
professional or member of the public". Guidance, Consent to Share Information: where
consent has not been obtained, the reasons "will be documented on both the agency and
MASH records", so the enquiry carries the consent-to-refer position and its reason.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from mash.keys.fields import EncryptedTextField


class Source(models.TextChoices):
    PROFESSIONAL = "professional", "Professional"
    PUBLIC = "public", "Member of the public"
    ANONYMOUS = "anonymous", "Anonymous"


class Rag(models.TextChoices):
    """Urgency, the BRAG rating. Each hub configures the response time of each rating
    (mash.timeliness); Blue has no target by default."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"


class ConsentToRefer(models.TextChoices):
    OBTAINED = "obtained", "Yes, consent was obtained"
    NOT_OBTAINED = "not_obtained", "No, consent was not obtained"


class EnquiryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    EARLY_HELP = "early_help", "Early help"
    ASSESSMENT = "assessment", "Children's social care assessment"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    POLICE_INVESTIGATION = "police_investigation", "Police investigation"


class Enquiry(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=30, unique=True)
    hub = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="enquiries")
    status = models.CharField(
        max_length=10, choices=EnquiryStatus.choices, default=EnquiryStatus.DRAFT
    )
    received_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, blank=True)
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_contact = models.CharField(max_length=300, blank=True)
    concern = EncryptedTextField(
        enquiry="pk", blank=True, help_text="The concern in the referrer's words."
    )
    immediate_danger = models.BooleanField(null=True, blank=True)
    consent_to_refer = models.CharField(max_length=20, choices=ConsentToRefer.choices, blank=True)
    consent_obtained_from = models.CharField(max_length=300, blank=True)
    consent_not_obtained_reason = EncryptedTextField(enquiry="pk", blank=True)
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    rag_rationale = EncryptedTextField(enquiry="pk", blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    outcome_rationale = EncryptedTextField(enquiry="pk", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Allocation: the hub practitioner who owns the enquiry; none while it waits in the
    # hub's team queue (``mash.enquiries.allocation`` writes it, with its record entry).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_enquiries",
    )
    # The hub's own response deadline (received + the rating's time on the hub's
    # clock), kept by the services whenever the receipt or the rating changes, so lists
    # sort and page by it in SQL (Guidance, Timely).
    hub_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-created_at"]
        verbose_name_plural = "enquiries"
        indexes = [
            models.Index(fields=["hub", "status", "hub_due_at"], name="enquiry_hub_due"),
            models.Index(fields=["owner", "status", "hub_due_at"], name="enquiry_owner_due"),
            # The closed enquiries' list, the most recently closed first.
            models.Index(fields=["hub", "status", "closed_at"], name="enquiry_hub_closed"),
            # The reports' period: contacts received in a hub between two dates.
            models.Index(fields=["hub", "received_at"], name="enquiry_hub_received"),
            # The drafts, few at any size: partners' requests leave them out by this
            # set (``sharing.permissions.visible_requests``) on every inbox view.
            models.Index(fields=["id"], condition=models.Q(status="draft"), name="enquiry_drafts"),
        ]

    def __str__(self) -> str:
        return self.reference


class PersonKind(models.TextChoices):
    CHILD = "child", "Child"
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    OTHER_ADULT = "other_adult", "Other adult"


class Person(models.Model):
    """Someone involved in an enquiry: a child, parent, carer or other adult."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="people")
    kind = models.CharField(max_length=20, choices=PersonKind.choices)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    other_names = models.CharField(max_length=300, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(null=True, blank=True)
    date_of_death = models.DateField(
        null=True,
        blank=True,
        help_text="Recorded when the hub learns of it; starts retention kept from a death.",
    )
    address = EncryptedTextField(enquiry="enquiry_id", blank=True)
    # Ten digits, no spaces, valid by the modulus 11 check (issue 14): sealed like the
    # address. Matching links two records with the same one, unless the rest disagrees.
    nhs_number = EncryptedTextField(enquiry="enquiry_id", blank=True)
    school_or_setting = models.CharField(max_length=200, blank=True)
    relationship = models.CharField(
        max_length=200, blank=True, help_text="Relationship to the child, e.g. 'mother'."
    )
    role_in_concern = EncryptedTextField(
        enquiry="enquiry_id",
        max_length=300,
        blank=True,
        help_text="e.g. 'subject of the concern', 'alleged to harm'.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enquiry", "created_at"]
        # ``mash people index`` walks the people in the order they were recorded, a
        # batch at a time from where the last batch ended (a range of this index, not a
        # sort of every person per batch).
        indexes = [models.Index(fields=["created_at", "id"], name="person_recorded_order")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def nhs_number_shown(self) -> str:
        """The NHS number grouped 3 3 4, as printed on NHS cards ("" if none)."""
        digits = str(self.nhs_number or "")
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits


class Restriction(models.Model):
    """An enquiry restricted to named users (a staff member's child, a high-profile
    family). Anyone else who may otherwise open it must break the glass first.

    Guidance, Relevant: "Only information that is relevant to the purposes should be
    shared with those who need it"; Guidance, Secure. One row per enquiry while the
    restriction stands; lifting it deletes the row (the record keeps both events).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enquiry = models.OneToOneField(Enquiry, on_delete=models.CASCADE, related_name="restriction")
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    reason = EncryptedTextField(enquiry="enquiry_id")
    restricted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    restricted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Restriction of {self.enquiry_id}"


class GlassBreak(models.Model):
    """Someone not named on a restriction opened the enquiry anyway, giving a reason:
    time-limited access, listed for the data protection officer's review."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="glass_breaks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(enquiry="enquiry_id")
    broken_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-broken_at"]
        indexes = [models.Index(fields=["enquiry", "user", "expires_at"])]

    def __str__(self) -> str:
        return f"Glass broken on {self.enquiry_id}"


# ---------------------------------------------------------------------------------------
# The threshold decision (issue 17): what happens for the child, authorised by a manager


class NeedLevel(models.Model):
    """One level of the hub's continuum of need (configured in the admin), lowest first:
    a four-level continuum is typical (universal, early help, child in need, child
    protection), each with the description practitioners apply."""

    hub = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.CASCADE,
        related_name="need_levels",
        limit_choices_to={"is_hub": True},
    )
    position = models.PositiveSmallIntegerField(help_text="1 for the lowest level of need.")
    name = models.CharField(max_length=100)
    description = models.TextField(help_text="What this level means, as practitioners apply it.")
    active = models.BooleanField(default=True, help_text="Offered for new decisions.")

    class Meta:
        ordering = ["hub", "position"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "position"], name="need_level_position")
        ]
        verbose_name = "level of need"
        verbose_name_plural = "continuum of need"

    def __str__(self) -> str:
        return f"Level {self.position}: {self.name}"


class ThresholdOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    ADVICE = "advice_and_information", "Advice and information"
    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED = "child_in_need", "Child in need assessment (section 17)"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion (section 47)"
    POLICE_INVESTIGATION = "police_investigation", "Police investigation"
    REFERRAL = "referral", "Referral to another service"


class ThresholdStatus(models.TextChoices):
    AWAITING = "awaiting_authorisation", "Waiting for a manager to authorise"
    RETURNED = "returned", "Sent back by a manager"
    AUTHORISED = "authorised", "Authorised"


class ThresholdDecision(models.Model):
    """The hub's decision on what happens for the child: the level of need, one or more
    outcomes, and the rationale; a manager authorises it (and the enquiry closes) or
    sends it back with a reason, after which a new decision is recorded. Each decision
    is kept as it was made (Guidance, Keep a Record)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enquiry = models.ForeignKey(
        Enquiry, on_delete=models.CASCADE, related_name="threshold_decisions"
    )
    level = models.ForeignKey(NeedLevel, on_delete=models.PROTECT, related_name="+")
    outcomes = models.JSONField(default=list)
    referral_service = models.CharField(max_length=200, blank=True)
    rationale = EncryptedTextField(enquiry="enquiry_id")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    status = models.CharField(
        max_length=30, choices=ThresholdStatus.choices, default=ThresholdStatus.AWAITING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    return_reason = EncryptedTextField(enquiry="enquiry_id", blank=True)
    # Set when a manager authorises the decision and the referrer is a professional:
    # feedback is due within one working day on the hub's clock (mash.enquiries.feedback).
    feedback_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]
        indexes = [
            models.Index(fields=["status", "decided_at"], name="threshold_status"),
            models.Index(fields=["status", "feedback_due_at"], name="threshold_feedback_due"),
        ]

    def __str__(self) -> str:
        return f"Threshold decision {self.decided_at:%Y-%m-%d %H:%M}"

    @property
    def outcome_labels(self) -> list[str]:
        labels = dict(ThresholdOutcome.choices)
        words = []
        for code in self.outcomes:
            label = str(labels.get(code, code))
            if code == ThresholdOutcome.REFERRAL and self.referral_service:
                label = f"{label}: {self.referral_service}"
            words.append(label)
        return words


# ---------------------------------------------------------------------------------------
# Feedback to the referrer (issue 17): the outcome, in words fit for the referrer


class FeedbackTemplate(models.Model):
    """The words the referrer is told for one outcome, edited before sending. A template
    with no hub is the default for every hub; a hub's own template for the same outcome
    takes its place. ``$reference``, ``$referrer_name`` and ``$hub`` are filled in."""

    hub = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feedback_templates",
        limit_choices_to={"is_hub": True},
        help_text="Leave empty for the default every hub uses.",
    )
    outcome = models.CharField(max_length=30, choices=ThresholdOutcome.choices)
    text = models.TextField(
        help_text="What the referrer is told for this outcome. $reference, $referrer_name "
        "and $hub are filled in. Never put anything from a partner agency here."
    )

    class Meta:
        ordering = ["hub", "outcome"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "outcome"], name="feedback_template_hub_outcome"
            ),
            models.UniqueConstraint(
                fields=["outcome"],
                condition=models.Q(hub__isnull=True),
                name="feedback_template_default_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.hub or 'every hub'})"


class FeedbackMethod(models.TextChoices):
    EMAIL = "email", "By e-mail"
    PHONE = "phone", "By telephone"


class Feedback(models.Model):
    """What the referrer was told of the authorised threshold decision, how, and when
    (one per decision). Items shared by partners are included only where the agency
    marked them as ones the hub may pass on and the practitioner chose them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.OneToOneField(
        ThresholdDecision, on_delete=models.CASCADE, related_name="feedback"
    )
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="feedback")
    method = models.CharField(max_length=10, choices=FeedbackMethod.choices)
    sent_to = models.CharField(max_length=254, blank=True)
    text = EncryptedTextField(enquiry="enquiry_id")
    items = models.ManyToManyField("sharing.DisclosureItem", related_name="+", blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"Feedback {self.sent_at:%Y-%m-%d %H:%M}"


# ---------------------------------------------------------------------------------------
# Partners raise concerns (issue 17; Guidance, 7 Golden Rules: be proactive)


class Concern(models.Model):
    """A concern a partner agency's practitioner raised about a child: it lands in the
    hub's team queue as a new contact (the enquiry, on the hub's triage clock until the
    hub rates it), and the agency sees what became of it: received, enquiry opened, and
    the outcome in the words the referrer was told. Nothing else of the hub's enquiry."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enquiry = models.OneToOneField(Enquiry, on_delete=models.CASCADE, related_name="raised")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="concerns_raised"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["agency", "raised_at"], name="concern_agency_raised")]

    def __str__(self) -> str:
        return f"Concern raised {self.raised_at:%Y-%m-%d %H:%M}"


# ---------------------------------------------------------------------------------------
# The strategy discussion (issue 17; Working Together: section 47 strategy discussion)


class StrategyDiscussion(models.Model):
    """The strategy discussion the authorised threshold decision called for: when, who
    chaired, the agencies that attended and what each contributed, the decisions, and
    the actions (each with an owner, an agency and a due date). Partner agencies that
    attended see their part only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enquiry = models.ForeignKey(
        Enquiry, on_delete=models.CASCADE, related_name="strategy_discussions"
    )
    decision = models.OneToOneField(
        ThresholdDecision, on_delete=models.CASCADE, related_name="strategy_discussion"
    )
    held_at = models.DateTimeField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decisions = EncryptedTextField(enquiry="enquiry_id")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_at"]

    def __str__(self) -> str:
        return f"Strategy discussion {self.held_at:%Y-%m-%d %H:%M}"


class StrategyAttendance(models.Model):
    """One agency at the strategy discussion: who came, and what the agency contributed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.CASCADE, related_name="attendances"
    )
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="strategy_attendances"
    )
    attendees = models.CharField(max_length=300)
    contribution = EncryptedTextField(enquiry="enquiry_id")

    class Meta:
        ordering = ["discussion", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["discussion", "agency"], name="strategy_one_per_agency")
        ]
        indexes = [models.Index(fields=["agency", "discussion"], name="strategy_attendance_agency")]

    def __str__(self) -> str:
        return f"Attendance of {self.agency_id}"


class StrategyAction(models.Model):
    """An action agreed at the strategy discussion: an owner (a user), their agency and a
    due date; in the owner's work until they mark it done."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.CASCADE, related_name="actions"
    )
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="+")
    description = EncryptedTextField(enquiry="enquiry_id")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="strategy_actions"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "done_at", "due_on"], name="strategy_action_owner")
        ]

    def __str__(self) -> str:
        return f"Action due {self.due_on:%Y-%m-%d}"
