"""The record: one append-only, hash-chained table of every action in the hub.

Guidance, 7 Golden Rules, rule 7: "Keep a Record". Guidance, Record: decisions are
recorded "whether or not the decision is taken to share", with what was shared and
with whom. Details hold ids and field names only, never free text about a person.
"""

from __future__ import annotations

from django.db import models


class Action(models.TextChoices):
    ENQUIRY_CREATED = "enquiry.created", "Enquiry created"
    ENQUIRY_CHANGED = "enquiry.changed", "Enquiry changed"
    ENQUIRY_SUBMITTED = "enquiry.submitted", "Enquiry submitted"
    ENQUIRY_VIEWED = "enquiry.viewed", "Enquiry viewed"
    ENQUIRY_CLOSED = "enquiry.closed", "Enquiry closed"
    ENQUIRY_LISTED = "enquiry.listed", "Enquiries listed"
    ENQUIRY_RESTRICTED = "enquiry.restricted", "Enquiry restricted"
    ENQUIRY_UNRESTRICTED = "enquiry.unrestricted", "Enquiry restriction lifted"
    ENQUIRY_ASSIGNED = "enquiry.assigned", "Enquiry assigned from the team queue"
    ENQUIRY_REASSIGNED = "enquiry.reassigned", "Enquiry reassigned"
    ENQUIRY_TAKEN = "enquiry.taken", "Enquiry taken from the team queue"
    WORK_LISTED = "work.listed", "My work listed"
    THRESHOLD_RECORDED = "threshold.recorded", "Threshold decision recorded"
    THRESHOLD_AUTHORISED = "threshold.authorised", "Threshold decision authorised"
    THRESHOLD_RETURNED = "threshold.returned", "Threshold decision sent back"
    THRESHOLD_VIEWED = "threshold.viewed", "Threshold decision viewed"
    FEEDBACK_SENT = "feedback.sent", "Feedback sent to the referrer"
    FEEDBACK_VIEWED = "feedback.viewed", "Feedback to the referrer viewed"
    CONCERN_RAISED = "concern.raised", "Concern raised by a partner agency"
    CONCERN_VIEWED = "concern.viewed", "Concern raised viewed by its agency"
    CONCERN_LISTED = "concern.listed", "Concerns raised listed by their agency"
    STRATEGY_RECORDED = "strategy.recorded", "Strategy discussion recorded"
    STRATEGY_VIEWED = "strategy.viewed", "Strategy discussion viewed"
    STRATEGY_LISTED = "strategy.listed", "Strategy discussions listed"
    STRATEGY_ACTION_DONE = "strategy.action_done", "Strategy discussion action done"
    GLASS_BROKEN = "enquiry.glass_broken", "Glass broken on a restricted enquiry"
    GLASS_BREAK_REVIEWED = "glass_break.reviewed", "Glass break reviewed"
    GLASS_BREAKS_LISTED = "glass_break.listed", "Glass breaks listed"
    PERSON_ADDED = "person.added", "Person added"
    PERSON_CHANGED = "person.changed", "Person changed"
    PERSON_REMOVED = "person.removed", "Person removed"
    PERSON_VIEWED = "person.viewed", "Person viewed"
    REQUEST_SENT = "request.sent", "Request sent"
    REQUEST_VIEWED = "request.viewed", "Request viewed"
    REQUEST_LISTED = "request.listed", "Requests listed"
    REQUEST_WITHDRAWN = "request.withdrawn", "Request withdrawn"
    REQUEST_OFFERED = "request.offered", "Information offered by an agency without being asked"
    DECISION_RECORDED = "decision.recorded", "Decision recorded"
    DECISION_SUPERSEDED = "decision.superseded", "Decision superseded"
    DECISION_VIEWED = "decision.viewed", "Decision viewed"
    DISCLOSURE_MADE = "disclosure.made", "Disclosure made"
    ADVICE_ASKED = "advice.asked", "Advice asked"
    ADVICE_ANSWERED = "advice.answered", "Advice given"
    ADVICE_VIEWED = "advice.viewed", "Advice viewed"
    ADVICE_LISTED = "advice.listed", "Advice requests listed"
    DECISION_HELD = "decision.held", "Decision held for sign-off"
    DECISION_SIGNED_OFF = "decision.signed_off", "Decision signed off"
    DECISION_RETURNED = "decision.returned", "Decision returned by a manager"
    DECISION_REVIEWED = "decision.reviewed", "Decision reviewed by a manager after release"
    PERSON_TOLD = "decision.person_told", "Person told their information was shared"
    SIGNOFF_LISTED = "signoff.listed", "Decisions waiting for sign-off listed"
    DISCLOSURE_VIEWED = "disclosure.viewed", "Disclosure viewed"
    ONWARD_SHARED = "onward.shared", "Disclosure passed on by the hub"
    ONWARD_ASKED = "onward.asked", "Hub asked the agency before passing information on"
    ONWARD_AGREED = "onward.agreed", "Agency agreed the hub may pass information on"
    ONWARD_DECLINED = "onward.declined", "Agency declined to let the hub pass information on"
    ONWARD_VIEWED = "onward.viewed", "Information passed on viewed"
    ONWARD_LISTED = "onward.listed", "Information passed on listed"
    CONSENT_RECORDED = "consent.recorded", "Consent recorded"
    CONSENT_VIEWED = "consent.viewed", "Consent viewed"
    EVIDENCE_SWEPT = "consent.evidence_swept", "Consent form files no record names tidied"
    RECORD_VIEWED = "record.viewed", "Record viewed"
    EXPORT_DOWNLOADED = "export.downloaded", "Export downloaded"
    REPORT_LISTED = "report.listed", "Decisions behind a report's figure listed"
    RECORD_PRINTED = "record.printed", "Record printed"
    SIGN_IN_SUCCEEDED = "auth.sign_in_succeeded", "Sign-in succeeded"
    SIGN_IN_FAILED = "auth.sign_in_failed", "Sign-in failed"
    SIGNED_OUT = "auth.signed_out", "Signed out"
    SIGNED_OUT_EVERYWHERE = "auth.signed_out_everywhere", "Signed out everywhere"
    SESSION_TIMED_OUT = "auth.session_timed_out", "Session timed out"
    LOCKED_OUT = "auth.locked_out", "Locked out after repeated failed sign-ins"
    TWO_FACTOR_VERIFIED = "auth.two_factor_verified", "Two-factor code accepted"
    TWO_FACTOR_ENROLLED = "auth.two_factor_enrolled", "Two-factor sign-in set up"
    TWO_FACTOR_RESET = "auth.two_factor_reset", "Two-factor sign-in reset"
    ACCESS_DENIED = "access.denied", "Access denied"
    RETENTION_DELETION = "retention.deletion", "Retention deletion"
    RETENTION_VIEWED = "retention.viewed", "Retention preview viewed"
    HOLD_PLACED = "retention.hold_placed", "Retention hold placed"
    HOLD_RELEASED = "retention.hold_released", "Retention hold released"
    BATCH_PLANNED = "retention.batch_planned", "Retention batch planned for the DPO's approval"
    BATCH_APPROVED = "retention.batch_approved", "Retention batch approved"
    BATCH_REJECTED = "retention.batch_rejected", "Retention batch rejected"
    BATCH_DESTROYED = "retention.batch_destroyed", "Retention batch destroyed"
    RETENTION_RULE_SET = "retention.rule_set", "Retention rule set"
    DISCLOSURE_DISPUTED = "disclosure.disputed", "Disclosure item disputed"
    DISCLOSURE_CORRECTED = "disclosure.corrected", "Disclosure item corrected"
    DISPUTE_RESOLVED = "disclosure.dispute_resolved", "Challenge to a disclosure item resolved"
    SUBJECT_ACCESS_SEARCHED = "sar.listed", "People found for a subject access request"
    SUBJECT_ACCESS_PREPARED = (
        "sar.review_prepared",
        "Subject access export prepared for review, redactions proposed",
    )
    REDACTIONS_DECIDED = "sar.redactions_decided", "Proposed redactions decided"
    CHECKPOINT_SIGNED = "record.checkpoint_signed", "Checkpoint signed"
    RECORD_VERIFIED = "record.verified", "Record verified"
    ADMIN_VIEWED = "admin.viewed", "Administration page viewed"
    ADMIN_ADDED = "admin.added", "Added through administration"
    ADMIN_CHANGED = "admin.changed", "Changed through administration"
    ADMIN_DELETED = "admin.deleted", "Deleted through administration"
    DEADLINE_CHANGED = "request.deadline_changed", "Request deadline changed"
    NOTICE_SENT = "notice.sent", "Notice sent"
    NOTICE_EMAILED = "notice.emailed", "Notice e-mailed"
    NOTICE_EMAIL_FAILED = "notice.email_failed", "Notice e-mail failed"
    NOTICE_EMAIL_RETRIED = "notice.email_retried", "Notice e-mail sent again"
    KEYS_ROTATED = "keys.rotated", "Data keys re-wrapped under a new master key"
    KEY_DESTROYED = "keys.destroyed", "Enquiry data key destroyed"
    PERSON_INDEXED = "people.indexed", "Person indexed (linked, suggested or new)"
    MATCH_CONFIRMED = "people.match_confirmed", "Possible match confirmed"
    MATCH_REJECTED = "people.match_rejected", "Possible match rejected"
    PEOPLE_MERGED = "people.merged", "Indexed people merged"
    PEOPLE_UNMERGED = "people.unmerged", "Merge of indexed people undone"
    PEOPLE_RELATED = "people.related", "Relationship between indexed people recorded"
    ALREADY_KNOWN_VIEWED = "people.known_viewed", "Earlier contacts with a person viewed"
    PEOPLE_SEARCHED = "people.searched", "People and enquiries searched"
    CHRONOLOGY_VIEWED = "people.chronology_viewed", "Chronology viewed"
    CHRONOLOGY_PRINTED = "people.chronology_printed", "Chronology printed"


class RecordEntry(models.Model):
    """One entry of the chain. ``hash`` is SHA-256 over the canonical encoding of the
    entry's fields and ``prev_hash`` (see ``mash.records.chain``)."""

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor_user_id = models.UUIDField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    actor_agency = models.CharField(max_length=40, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    # Values from ``Action`` (checked by services.record). No ``choices=`` here, so adding
    # an action to the vocabulary needs no migration of the record's table.
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    enquiry_id = models.UUIDField(null=True, blank=True, db_index=True)
    correlation_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict)
    # Unique: a fork of the chain would need two entries naming the same predecessor.
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "record entries"
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor_user_id", "at"]),
            models.Index(fields=["action", "at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def action_label(self) -> str:
        try:
            return str(Action(self.action).label)
        except ValueError:
            return self.action


class Checkpoint(models.Model):
    """A signed statement "the record had ``seq`` entries ending in ``hash`` at ``at``".

    Kept outside the hub too (the file ``mash records checkpoint --out`` writes), so a
    rewrite of the whole chain with fresh hashes still cannot match an old checkpoint.
    Append-only, like the record (same triggers).
    """

    id = models.BigAutoField(primary_key=True)
    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    statement = models.TextField(help_text="The signed bytes (canonical JSON).")
    signature = models.CharField(max_length=200, help_text="Ed25519, base64.")
    key_fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Checkpoint at #{self.seq}"


class CheckpointTimestamp(models.Model):
    """An RFC 3161 timestamp token for a signed checkpoint, from the time-stamping
    authority the operator names (``MASH_RECORD_TSA_URL``; see ``mash.records.
    timestamping``): a third party's signed word that the checkpoint's statement existed
    at ``time``. Kept in its own table because the checkpoint is written (under the
    chain's lock) before the TSA is asked, and checkpoints are never updated. Append-only,
    like the record (same triggers)."""

    id = models.BigAutoField(primary_key=True)
    # No database constraint: a checkpoint row is never deleted, and a tampered table must
    # still be readable by ``mash records verify``.
    checkpoint = models.OneToOneField(
        Checkpoint, on_delete=models.DO_NOTHING, db_constraint=False, related_name="timestamp"
    )
    token = models.TextField(help_text="The TSA's reply (DER TimeStampResp), base64.")
    time = models.DateTimeField(help_text="The time the TSA put in the token.")
    obtained_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Timestamp of checkpoint {self.checkpoint_id}"


class VerificationResult(models.TextChoices):
    INTACT = "intact", "Intact"
    BROKEN = "broken", "Broken"


class VerificationRun(models.Model):
    """One run of ``mash records verify``: what it checked and what it found, so the
    record's health page can show the last verification."""

    id = models.BigAutoField(primary_key=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    result = models.CharField(max_length=10, choices=VerificationResult.choices)
    entries_checked = models.BigIntegerField()
    head_seq = models.BigIntegerField(null=True, blank=True)
    head_hash = models.CharField(max_length=64, blank=True)
    checkpoints_checked = models.IntegerField(default=0)
    break_seq = models.BigIntegerField(null=True, blank=True)
    break_kind = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Verification {self.started_at:%Y-%m-%d %H:%M}: {self.result}"
