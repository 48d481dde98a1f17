"""Requests to partner agencies, their sharing decisions, and what they disclose.

Guidance, When and how to share information: the When? questions decide whether to
share; How? says give the right information to the right person, identify how much to
share, distinguish fact from opinion, and inform the individual. Guidance, Record:
decisions are recorded "whether or not the decision is taken to share".
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models

from mash.keys.fields import EncryptedJSONField, EncryptedTextField
from mash.policy.informing import NOT_TELLING_GROUNDS, TOLD_WORDS, Told, stands

# Where each row finds its enquiry (whose data key encrypts its narrative text).
_DECISION = "request.enquiry_id"
_ITEM = "decision.request.enquiry_id"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Awaiting decision"
    ANSWERED = "answered", "Answered"
    WITHDRAWN = "withdrawn", "Withdrawn"


class InformationRequest(models.Model):
    """The hub asking one agency what it holds about some of the people in an enquiry."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.CASCADE, related_name="requests"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="requests")
    people = models.ManyToManyField("enquiries.Person", related_name="requests")
    purpose = EncryptedTextField(enquiry="enquiry_id")
    # v2: the purpose as a code from the hub's purposes list (Consent: "for this
    # purpose"), compared with a consent's purposes by the guidance; blank on requests
    # sent before the list existed or without choosing from it.
    purpose_code = models.SlugField(max_length=40, blank=True)
    deadline = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Withdrawn by the hub before the agency answered, so the enquiry can close.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = EncryptedTextField(enquiry="enquiry_id", blank=True)
    # Offered by the agency itself, without being asked (7 Golden Rules: be proactive):
    # the agency that raised the concern shares what it holds on the enquiry it opened.
    offered = models.BooleanField(default=False)

    class Meta:
        ordering = ["deadline", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["enquiry", "agency"], name="one_request_per_agency")
        ]
        # The inboxes' filters and sorts (mash.sharing.selectors), and the enquiry
        # list's per-row subqueries: requests open on an enquiry, soonest due first.
        indexes = [
            models.Index(fields=["agency", "status", "deadline"], name="request_agency_due"),
            models.Index(fields=["agency", "status", "created_at"], name="request_agency_newest"),
            models.Index(fields=["status", "deadline"], name="request_status_due"),
            models.Index(fields=["enquiry", "status", "deadline"], name="request_enquiry_due"),
            # The reports' period: requests sent between two dates.
            models.Index(fields=["created_at"], name="request_created"),
        ]

    def __str__(self) -> str:
        return f"Request to {self.agency_id} on {self.enquiry_id}"

    def purpose_name(self) -> str:
        """The purpose's name on the hub's purposes list ("" when none was chosen)."""
        if not self.purpose_code:
            return ""
        from mash.guidance.models import SharingPurpose

        found = SharingPurpose.objects.filter(code=self.purpose_code).values_list("name", flat=True)
        return next(iter(found), self.purpose_code)


class DecisionOutcome(models.TextChoices):
    SHARE = "share", "Share"
    DO_NOT_SHARE = "do_not_share", "Do not share"
    SEEK_ADVICE = "seek_advice", "Seek advice"


class Informed(models.TextChoices):
    """Whether a person was told their information is shared (``mash.policy.informing``:
    the words are the policy's)."""

    TOLD = "told", TOLD_WORDS[Told.TOLD]
    WILL_TELL = "will_tell", TOLD_WORDS[Told.WILL_TELL]
    NOT_TOLD = "not_told", TOLD_WORDS[Told.NOT_TOLD]
    ALREADY_AWARE = "already_aware", TOLD_WORDS[Told.ALREADY_AWARE]


class Release(models.TextChoices):
    """Whether a decision's disclosure has reached the hub. Guidance, Sharing information
    when consent has been refused: an override "must be proportionate", so where the hub
    asks for it (``SharingSettings``) a manager of the disclosing agency signs it off
    before the hub sees the items."""

    RELEASED = "released", "Released to the hub"
    AWAITING_SIGNOFF = "awaiting_signoff", "Waiting for a manager's sign-off"
    RETURNED = "returned", "Returned to the practitioner"


class Decision(models.Model):
    """One agency's recorded decision on one request. Never edited: a correction is a
    new decision whose ``supersedes`` points at the old one, and both stay visible."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="decisions"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    guidance_version = models.CharField(max_length=40)
    # The engine's question and answer, as the contract defines them (JSON).
    question = EncryptedJSONField(enquiry=_DECISION)
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    basis = models.CharField(max_length=40, blank=True)
    grounds = models.JSONField(default=list)
    without_consent = models.BooleanField(default=False)
    requires = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
    steps = models.JSONField(default=list)
    justification = EncryptedTextField(enquiry=_DECISION, blank=True)
    # Do not share: reasons and the discussion with the requester.
    not_sharing_reasons = EncryptedTextField(enquiry=_DECISION, blank=True)
    discussed_at = models.DateTimeField(null=True, blank=True)
    discussed_with = models.CharField(max_length=200, blank=True)
    discussion_notes = EncryptedTextField(enquiry=_DECISION, blank=True)
    # Sharing without consent: was the person told, or why not. Each person's answer is a
    # ``PersonInformed`` row, the one truth (the reports count from those rows). These two
    # hold only the one answer of a decision recorded before each person had their own;
    # a decision recorded since leaves them blank.
    informed = models.CharField(max_length=20, choices=Informed.choices, blank=True)
    not_informed_reason = EncryptedTextField(enquiry=_DECISION, blank=True)
    # Sharing without consent over a refusal or withdrawal: why overriding it is
    # proportionate (Guidance, Sharing information when consent has been refused).
    proportionality = EncryptedTextField(enquiry=_DECISION, blank=True)
    # Explicit consent for sensitive information: how it was given and what information
    # it covers (Guidance, Consent to Share Information). Its date and time live in
    # ``question["consent"]["recorded_at"]``.
    consent_details = EncryptedTextField(enquiry=_DECISION, blank=True)
    # v2 (contract version 2): the lawful basis of a share as the engine reported it once
    # the practitioner confirmed or changed it: proposed, chosen, confirmed, words and
    # warnings (UK GDPR Articles 6, 9, 10; DPA 2018 Schedule 1); {} for a decision not
    # to share and for decisions recorded before version 2. Codes and statute words only:
    # nothing personal. ``how`` is how the information is shared (How?; Secure). Why the
    # share is necessary and proportionate is in ``question["necessity"]`` (encrypted).
    lawful_basis = models.JSONField(default=dict, blank=True)
    how = models.CharField(max_length=30, blank=True)
    # A share: the practitioner confirmed that what is shared is necessary, proportionate,
    # relevant, adequate, accurate, timely and secure (the guidance's principles; 7 Golden
    # Rules, rule 6). None for a decision not to share and decisions recorded before.
    adequacy_confirmed = models.BooleanField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction_reason = EncryptedTextField(enquiry=_DECISION, blank=True)
    # The engine's decision for each person whose information would be shared, with
    # the consent object from the register and the record that decided it (Guidance,
    # Consent to Share Information: "Check you have consent from all people whose
    # information is to be shared"). A list of dicts: person (id), name, consent,
    # consent_record (id or null), consent_source ("register" or "practitioner"),
    # override_reason, outcome, basis, grounds, without_consent, requires, reasons.
    people_decisions = EncryptedJSONField(enquiry=_DECISION, default=list, blank=True)
    # Sign-off (Release): a share overriding a refusal of consent waits for a manager
    # of the disclosing agency where the hub asks for it; the hub sees it once released.
    release = models.CharField(max_length=20, choices=Release.choices, default=Release.RELEASED)
    released_at = models.DateTimeField(null=True, blank=True)
    signoff_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signoff_at = models.DateTimeField(null=True, blank=True)
    # Why the manager returned it (or their note on approving).
    signoff_note = EncryptedTextField(enquiry=_DECISION, blank=True)
    # Review after release (``mash.policy.signoff.releases_before_review``): an urgent
    # override reaches the hub at once and a manager reviews it after the event, by
    # ``review_due`` (the hub's clock). The review is ``signoff_by``/``signoff_at``/
    # ``signoff_note``; ``review_agreed`` its outcome (True approved, False disagreed).
    review_due = models.DateTimeField(null=True, blank=True)
    review_agreed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]
        # The reports' period: decisions made between two dates (how the guidance was
        # followed, consent overrides).
        indexes = [models.Index(fields=["decided_at"], name="decision_decided")]

    def __str__(self) -> str:
        return f"{self.outcome} ({self.decided_at:%Y-%m-%d})"

    @property
    def review_waiting(self) -> bool:
        """Released before review, and the manager has not reviewed it yet."""
        return self.review_due is not None and self.signoff_at is None

    def consent_not_obtained_reasons(self) -> list[str]:
        """Why consent was not obtained, as recorded on this decision (the consent page
        and each person's consent): Guidance, Consent to Share Information, "reasons
        for this will be documented on both the agency and MASH records"."""
        found: list[str] = []
        consents = [(self.question or {}).get("consent") or {}]
        consents += [(p or {}).get("consent") or {} for p in self.people_decisions or []]
        for consent in consents:
            reason = str(consent.get("reason_not_sought") or "").strip()
            if consent.get("status") == "not_sought" and reason and reason not in found:
                found.append(reason)
        return found


class Nature(models.TextChoices):
    FACT = "fact", "Fact"
    OPINION = "opinion", "Opinion"


class Currency(models.TextChoices):
    CURRENT = "current", "Current"
    HISTORICAL = "historical", "Historical"


class OnwardSharing(models.TextChoices):
    ASK_FIRST = "ask_first", "Ask the agency before passing it outside the hub"
    MAY_PASS_ON = "may_pass_on", "The hub may pass it on outside the hub"


class DisclosureItem(models.Model):
    """One item of information an agency shares, marked as the guidance asks:
    fact or opinion, current or historical (with explanation), dated and sourced."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items")
    people = models.ManyToManyField("enquiries.Person", related_name="disclosure_items")
    text = EncryptedTextField(enquiry=_ITEM)
    nature = models.CharField(max_length=10, choices=Nature.choices)
    recorded_on = models.DateField()
    source = models.CharField(max_length=300)
    currency = models.CharField(max_length=12, choices=Currency.choices)
    historical_explanation = EncryptedTextField(enquiry=_ITEM, blank=True)
    sensitive = models.BooleanField(default=False)
    # Information about someone other than the people it is about, and the practitioner's
    # consideration: why it is still right to share, or what was removed (Guidance,
    # Necessary and proportionate: "the impact of disclosing information on the
    # information subject and any third parties").
    third_party = models.BooleanField(default=False)
    third_party_consideration = EncryptedTextField(enquiry=_ITEM, blank=True)
    onward_sharing = models.CharField(
        max_length=20, choices=OnwardSharing.choices, default=OnwardSharing.ASK_FIRST
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decision", "created_at"]

    def __str__(self) -> str:
        return f"{self.nature} item of {self.recorded_on}"


class PersonInformed(models.Model):
    """Whether one person whose information a decision shares without their consent was
    told: told (on a date), will be told by a date, or will not be told (a ground in the
    guidance's words, and why). Guidance, How?: "Inform the individual that the
    information has been shared if they were not aware of this, as long as this would
    not create or increase risk of harm". Written with the decision; afterwards only the
    moment a promised telling happened is added (``told_on``, ``told_recorded_at``/
    ``_by``) by ``services.record_told``, with its record entry."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="informing")
    person = models.ForeignKey("enquiries.Person", on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=20, choices=Informed.choices)
    told_on = models.DateField(null=True, blank=True)
    tell_by = models.DateField(null=True, blank=True)
    ground = models.CharField(
        max_length=20, blank=True, choices=[(k, v) for k, v in NOT_TELLING_GROUNDS.items()]
    )
    reason = EncryptedTextField(enquiry=_ITEM, blank=True)
    # Set when a person who was to be told is told (after the decision).
    told_recorded_at = models.DateTimeField(null=True, blank=True)
    told_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["person__created_at"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "person"], name="one_answer_per_person")
        ]
        # The reminders: promised tellings not yet recorded, soonest first.
        indexes = [models.Index(fields=["answer", "told_on", "tell_by"], name="inform_due")]

    def __str__(self) -> str:
        return f"{self.answer} for {self.person_id}"

    @property
    def stands(self) -> Told:
        """Where the answer stands now (``mash.policy.informing.stands``)."""
        return stands(Told(self.answer), self.told_on is not None)

    @property
    def waiting(self) -> bool:
        """To be told, and the telling is not recorded yet."""
        return self.stands is Told.WILL_TELL


def standing(told: Told) -> models.Q:
    """The ``PersonInformed`` rows whose answer stands at ``told`` now, as a filter made
    from ``mash.policy.informing.stands`` (so the SQL and the rule cannot disagree)."""
    parts = []
    for answer in Told:
        recorded = [r for r in (False, True) if stands(answer, r) is told]
        if len(recorded) == 2:
            parts.append(models.Q(answer=answer.value))
        elif recorded:
            parts.append(models.Q(answer=answer.value, told_on__isnull=not recorded[0]))
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


class AdviserKind(models.TextChoices):
    AGENCY_MANAGER = "agency_manager", "A manager in your agency"
    HUB_LEAD = "hub_lead", "The hub's safeguarding lead"


class AdviceRequest(models.Model):
    """A practitioner's question to a manager of their agency or to the hub's
    safeguarding lead while deciding on a request, and the answer.

    Guidance, 7 Golden Rules, rule 3 "Seek Advice"; Consider the following before
    sharing information: "if in doubt seek advice from a manager"; Public Interest: "If
    you need help or support/guidance contact your safeguarding lead or the MASH
    helpline". Addressed to a role in an agency (any manager there) or to one manager.
    Linked to the decision it informed once that decision is recorded."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="advice_requests"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField()
    adviser_kind = models.CharField(max_length=20, choices=AdviserKind.choices)
    adviser_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+"
    )
    addressed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    question = EncryptedTextField(enquiry=_DECISION)
    # What the guidance said when the question was asked: its outcome and the answers it
    # did not know (field paths of the decision contract).
    outcome_when_asked = models.CharField(max_length=20, blank=True)
    missing = models.JSONField(default=list, blank=True)
    answer = EncryptedTextField(enquiry=_DECISION, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advice_requests",
    )

    class Meta:
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return f"Advice asked {self.asked_at:%Y-%m-%d %H:%M}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class SharingSettings(models.Model):
    """A hub's settings for sharing. A hub without a row uses the defaults."""

    hub = models.OneToOneField(
        "agencies.Agency",
        on_delete=models.CASCADE,
        related_name="sharing_settings",
        limit_choices_to={"is_hub": True},
    )
    signoff_for_consent_overrides = models.BooleanField(
        default=True,
        help_text="A manager of the disclosing agency signs off a share that overrides a "
        "refusal or withdrawal of consent before the hub sees what is shared.",
    )

    class Meta:
        verbose_name = "sharing settings"
        verbose_name_plural = "sharing settings"

    def __str__(self) -> str:
        return f"Sharing settings for {self.hub_id}"


def signoff_required(hub: Any) -> bool:
    """The hub's sign-off setting: on unless the hub turned it off."""
    found = SharingSettings.objects.filter(hub=hub).values_list(
        "signoff_for_consent_overrides", flat=True
    )
    return next(iter(found), True)


# --- Onward sharing by the hub ---------------------------------------------------------
# Guidance, How?: "Ensure you are giving the right information to the right person";
# Record: "reasons should be cited including what information has been shared and with
# whom". An item the sharing agency marked "the hub may pass it on" may go to another
# agency; one marked "ask the agency first" only once that agency agrees in the product.


_ASK = "item.decision.request.enquiry_id"


class OnwardShare(models.Model):
    """The hub passing items an agency disclosed to it on to another agency: what (the
    items), to whom, why, on what lawful basis, by whom and when. Never edited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.CASCADE, related_name="onward_shares"
    )
    recipient = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="onward_received"
    )
    items = models.ManyToManyField(DisclosureItem, related_name="onward_shares")
    purpose = EncryptedTextField(enquiry="enquiry_id")
    # Codes of mash.policy.LAWFUL_BASIS_WORDS: the UK GDPR Article 6(1) basis, and the
    # Article 9(2) condition where any item is special category (sensitive) data.
    article_6 = models.CharField(max_length=20)
    article_9 = models.CharField(max_length=20, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField()

    class Meta:
        ordering = ["-shared_at"]

    def __str__(self) -> str:
        return f"Passed on to {self.recipient_id} ({self.shared_at:%Y-%m-%d})"


class OnwardAskStatus(models.TextChoices):
    ASKED = "asked", "Waiting for the agency's answer"
    AGREED = "agreed", "Agreed"
    DECLINED = "declined", "Declined"


class OnwardAsk(models.Model):
    """The hub asking the agency that gave an item marked "ask the agency first" whether
    it may pass the item on to one agency, with the reason; and that agency's answer,
    with its reason. Only an agreement lets the hub pass the item to that agency."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(DisclosureItem, on_delete=models.CASCADE, related_name="onward_asks")
    recipient = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(enquiry=_ASK)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=OnwardAskStatus.choices, default=OnwardAskStatus.ASKED
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_reason = EncryptedTextField(enquiry=_ASK, blank=True)

    class Meta:
        ordering = ["-asked_at"]

    def __str__(self) -> str:
        return f"Ask to pass on {self.item_id} to {self.recipient_id}"
