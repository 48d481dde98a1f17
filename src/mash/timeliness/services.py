"""Timeliness operations: the only code that writes deadlines changed by a re-rating,
notices and notifications.

Guidance, Principles, Timely ("Timeliness is key in emergency situations") and 7 Golden
Rules, rule 7 ("Keep a Record"): each operation takes ``now`` (so tests and the worker
control time), runs in one transaction and writes its record entry (ids and codes only)
in that transaction.

Idempotence: a notice is a ``Notice`` row with a unique ``key`` (request, kind, point
and the deadline it was about). It is created in the same transaction as its in-app
notifications, its record entry and the queued task that e-mails it, so a second scan,
a second worker or a restart finds the key taken and sends nothing.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from mash.agencies.models import Agency, Role, User
from mash.enquiries.deadlines import rerated_deadline
from mash.enquiries.models import Enquiry, EnquiryStatus
from mash.records.models import Action
from mash.records.services import record
from mash.sharing.models import InformationRequest, RequestStatus

from .config import HubClock, hub_clock
from .models import Notice, NoticeKind, Notification, ReminderPoint

logger = logging.getLogger(__name__)

# After a re-rating the partners get at least this long (counted as the new rating
# counts) even when the new deadline from receipt has already passed.
RERATING_MINIMUM = timedelta(hours=1)

_WHEN = "%-I:%M%p on %-d %B %Y"


def _when(moment: datetime, hc: HubClock) -> str:
    local = moment.astimezone(hc.clock.zone)
    return local.strftime(_WHEN).replace("AM", "am").replace("PM", "pm")


# ---------------------------------------------------------------------------------------
# Re-rating an enquiry


def rerate_requests(
    *, enquiry: Enquiry, actor: Any, previous_rating: str, now: datetime
) -> list[InformationRequest]:
    """Recompute the deadline of every open request after the enquiry's rating changed.

    The new rating counts from when each request was sent (``deadlines.rerated_deadline``:
    an upgrade does not buy the partners more time, and never leaves less than
    ``RERATING_MINIMUM``). A rating with no target keeps the deadlines already given.
    The rationale is the enquiry's ``rag_rationale``, changed in the same transaction
    by the caller; each changed deadline has its own record entry. Call inside the
    caller's transaction."""
    if enquiry.status != EnquiryStatus.OPEN or previous_rating == enquiry.rag:
        return []
    hc = hub_clock(enquiry.hub_id)
    rating = hc.rating(enquiry.rag)
    changed: list[InformationRequest] = []
    for req in InformationRequest.objects.select_for_update().filter(
        enquiry=enquiry, status=RequestStatus.OPEN
    ):
        result = rerated_deadline(
            received=req.created_at,
            changed_at=now,
            new_rating=rating,
            clock=hc.clock,
            minimum=RERATING_MINIMUM,
        )
        if result.due is None or result.due == req.deadline:
            continue
        before = req.deadline
        req.deadline = result.due
        req.save(update_fields=["deadline"])
        record(
            action=Action.DEADLINE_CHANGED,
            actor=actor,
            obj=req,
            enquiry=enquiry,
            details={
                "agency": req.agency.code,
                "from": before.isoformat(),
                "to": result.due.isoformat(),
                "rating": rating.code,
                "previous_rating": previous_rating or "",
                "held_at_earliest": result.held_at_earliest,
                "reason": "rerated",
            },
        )
        changed.append(req)
    return changed


# ---------------------------------------------------------------------------------------
# Who is told


def _active(qs: Any) -> list[User]:
    return list(qs.filter(is_active=True).order_by("username"))


def agency_staff(agency: Agency) -> list[User]:
    """The assigned agency's practitioners and managers: they answer requests."""
    return _active(User.objects.filter(agency=agency, role__in=[Role.PRACTITIONER, Role.MANAGER]))


def agency_managers(agency: Agency) -> list[User]:
    return _active(User.objects.filter(agency=agency, role=Role.MANAGER))


# ---------------------------------------------------------------------------------------
# Texts: plain and short, the reference and a link, never anyone's details.


def _url(path: str) -> str:
    return f"{settings.MASH_BASE_URL}{path}"


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    link: str


def reminder_text(req: InformationRequest, hc: HubClock, now: datetime) -> Message:
    ref = req.enquiry.reference
    words = hc.words(now, req.deadline, req.enquiry.rag)
    link = reverse("sharing:request", kwargs={"request_id": req.pk})
    return Message(
        subject=f"{ref}: response {words}",
        body=(
            f"Your agency's response to request {ref} is {words}.\n\n"
            f"It must be answered by {_when(req.deadline, hc)}.\n\n"
            f"Answer the request:\n{_url(link)}\n"
        ),
        link=link,
    )


def escalation_text(
    req: InformationRequest, hc: HubClock, now: datetime, *, for_hub: bool
) -> Message:
    ref = req.enquiry.reference
    words = hc.words(now, req.deadline, req.enquiry.rag)
    if for_hub:
        link = reverse("enquiries:detail", kwargs={"enquiry_id": req.enquiry_id})
        whose = f"The response from {req.agency.name}"
        action = "See the enquiry"
    else:
        link = reverse("sharing:request", kwargs={"request_id": req.pk})
        whose = "Your agency's response"
        action = "Answer the request"
    return Message(
        subject=f"{ref}: response {words}",
        body=(
            f"{whose} to request {ref} is {words}.\n\n"
            f"It was due by {_when(req.deadline, hc)}.\n\n"
            f"{action}:\n{_url(link)}\n"
        ),
        link=link,
    )


# ---------------------------------------------------------------------------------------
# Notices


def _create_notice(
    *,
    key: str,
    kind: str,
    now: datetime,
    messages: list[tuple[User, Message]],
    request: InformationRequest | None = None,
    point: str = "",
    sent: bool = True,
) -> Notice | None:
    """Create the notice, its notifications, its record entry and its e-mail task in
    one transaction; ``None`` (and nothing written) when the key is already taken."""
    from .tasks import email_notice

    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                key=key,
                kind=kind,
                point=point,
                request=request,
                deadline=request.deadline if request is not None else None,
                created_at=now,
                sent=sent,
            )
            recipients = []
            if sent:
                for user, message in messages:
                    Notification.objects.create(
                        user=user,
                        notice=notice,
                        subject=message.subject,
                        body=message.body,
                        link=message.link,
                        created_at=now,
                    )
                    recipients.append(str(user.pk))
            record(
                action=Action.NOTICE_SENT,
                obj=notice,
                enquiry=request.enquiry_id if request is not None else None,
                details={
                    "kind": kind,
                    "point": point,
                    "request": str(request.pk) if request is not None else "",
                    "recipients": recipients,
                    "sent": sent,
                },
            )
            if recipients:
                email_notice.enqueue(str(notice.pk))
            return notice
    except IntegrityError:
        return None


def _due_points(
    req: InformationRequest, hc: HubClock, now: datetime
) -> list[tuple[ReminderPoint, timedelta]]:
    """The reminder points reached by ``now``, each with its threshold (time left)."""
    code = req.enquiry.rag
    left = hc.time_left(now, req.deadline, code)
    total = hc.time_left(req.created_at, req.deadline, code)
    if left <= timedelta(0) or total <= timedelta(0):
        return []
    reached = []
    for point in hc.points:
        threshold = total * point.share if point.share is not None else point.left
        if threshold is not None and threshold < total and left <= threshold:
            reached.append((point, threshold))
    return sorted(reached, key=lambda pt: pt[1])


def remind(req: InformationRequest, *, now: datetime, hc: HubClock | None = None) -> list[Notice]:
    """Remind the assigned agency at each reminder point reached. When several are
    reached at once only the tightest is sent; the others are recorded as passed."""
    hc = hc or hub_clock(req.enquiry.hub_id)
    due = _due_points(req, hc, now)
    if not due:
        return []
    taken = set(
        Notice.objects.filter(
            request=req, kind=NoticeKind.REMINDER, deadline=req.deadline
        ).values_list("point", flat=True)
    )
    fresh = [(p, t) for p, t in due if p.key not in taken]
    if not fresh:
        return []
    message = reminder_text(req, hc, now)
    staff = agency_staff(req.agency)
    created = []
    for n, (point, _threshold) in enumerate(fresh):
        notice = _create_notice(
            key=f"reminder:{req.pk}:{point.key}:{req.deadline.isoformat()}",
            kind=NoticeKind.REMINDER,
            point=point.key,
            request=req,
            now=now,
            sent=n == 0,
            messages=[(u, message) for u in staff],
        )
        if notice is not None:
            created.append(notice)
    return created


def escalate(
    req: InformationRequest, *, now: datetime, hc: HubClock | None = None
) -> Notice | None:
    """Tell the agency's managers and the hub (its managers and whoever sent the
    request) that a request is overdue. Once per deadline."""
    hc = hc or hub_clock(req.enquiry.hub_id)
    if now <= req.deadline:
        return None
    key = f"escalation:{req.pk}:{req.deadline.isoformat()}"
    if Notice.objects.filter(key=key).exists():
        return None
    to_agency = escalation_text(req, hc, now, for_hub=False)
    to_hub = escalation_text(req, hc, now, for_hub=True)
    messages: list[tuple[User, Message]] = [(u, to_agency) for u in agency_managers(req.agency)]
    hub_people = agency_managers(req.enquiry.hub)
    if req.created_by.is_active and req.created_by not in hub_people:
        hub_people.append(req.created_by)
    messages += [(u, to_hub) for u in hub_people]
    return _create_notice(
        key=key,
        kind=NoticeKind.ESCALATION,
        point="overdue",
        request=req,
        now=now,
        messages=messages,
    )


@dataclass
class ScanResult:
    reminders: list[Notice] = field(default_factory=list)
    escalations: list[Notice] = field(default_factory=list)


def scan(*, now: datetime) -> ScanResult:
    """One pass over every open request of every open enquiry: reminders at the
    points reached, escalation when overdue. Safe to run any number of times, from
    any number of workers."""
    result = ScanResult()
    clocks: dict[Any, HubClock] = {}
    requests = (
        InformationRequest.objects.filter(
            status=RequestStatus.OPEN, enquiry__status=EnquiryStatus.OPEN
        )
        .select_related("enquiry", "agency", "created_by")
        .order_by("deadline")
    )
    for req in requests:
        hub_id = req.enquiry.hub_id
        if hub_id not in clocks:
            clocks[hub_id] = hub_clock(hub_id)
        hc = clocks[hub_id]
        if now > req.deadline:
            notice = escalate(req, now=now, hc=hc)
            if notice is not None:
                result.escalations.append(notice)
        else:
            result.reminders += remind(req, now=now, hc=hc)
    result.escalations += overdue_reviews(now=now)
    return result


def overdue_reviews(*, now: datetime) -> list[Notice]:
    """Escalate, once each, the shares released before review (``mash.policy.signoff``)
    whose manager's review is past its date: to the agency's managers."""
    from mash.sharing.models import Decision, Release

    from . import sharing_notices

    late = (
        Decision.objects.filter(
            release=Release.RELEASED,
            review_due__lt=now,
            signoff_at__isnull=True,
            superseded_by__isnull=True,
        )
        .select_related("request", "request__enquiry", "agency", "decided_by")
        .order_by("review_due")
    )
    created = []
    for decision in late:
        notice = sharing_notices.review_overdue(decision, now=now)
        if notice is not None:
            created.append(notice)
    return created


def _digest_to(users: Any, message: Message, *, today: Any, now: datetime) -> list[Notice]:
    """One digest a person a day: the notice's key makes a second send a no-op."""
    created = []
    for user in users:
        notice = _create_notice(
            key=f"digest:{user.pk}:{today.isoformat()}",
            kind=NoticeKind.DIGEST,
            point=today.isoformat(),
            now=now,
            messages=[(user, message)],
        )
        if notice is not None:
            created.append(notice)
    return created


def digest(*, now: datetime) -> list[Notice]:
    """The daily digest: each agency user with open requests gets the counts overdue and
    due today; each hub manager the hub's overdue count. Once per person per day."""
    created: list[Notice] = []
    open_requests = list(
        InformationRequest.objects.filter(
            status=RequestStatus.OPEN, enquiry__status=EnquiryStatus.OPEN
        ).select_related("enquiry", "agency")
    )
    by_agency: dict[Agency, list[InformationRequest]] = {}
    by_hub: dict[Any, list[InformationRequest]] = {}
    for req in open_requests:
        by_agency.setdefault(req.agency, []).append(req)
        by_hub.setdefault(req.enquiry.hub_id, []).append(req)
    for agency, reqs in by_agency.items():
        hc = hub_clock(reqs[0].enquiry.hub_id)
        today = now.astimezone(hc.clock.zone).date()
        overdue = sum(1 for r in reqs if r.deadline < now)
        due_today = sum(
            1
            for r in reqs
            if r.deadline >= now and r.deadline.astimezone(hc.clock.zone).date() == today
        )
        message = Message(
            subject=f"Requests for {agency.name}: {overdue} overdue, {due_today} due today",
            body=(
                f"{agency.name} has {len(reqs)} open request{'s' if len(reqs) != 1 else ''}: "
                f"{overdue} overdue and {due_today} due today.\n\n"
                f"See your requests:\n{_url(reverse('sharing:inbox'))}\n"
            ),
            link=reverse("sharing:inbox"),
        )
        created += _digest_to(agency_staff(agency), message, today=today, now=now)
    for hub_id, reqs in by_hub.items():
        hub = Agency.objects.get(pk=hub_id)
        hc = hub_clock(hub_id)
        today = now.astimezone(hc.clock.zone).date()
        overdue = sum(1 for r in reqs if r.deadline < now)
        message = Message(
            subject=f"The hub's requests: {overdue} overdue",
            body=(
                f"The hub is waiting for {len(reqs)} response{'s' if len(reqs) != 1 else ''} "
                f"from agencies: {overdue} overdue.\n\n"
                f"See the enquiries:\n{_url(reverse('enquiries:list'))}\n"
            ),
            link=reverse("enquiries:list"),
        )
        created += _digest_to(agency_managers(hub), message, today=today, now=now)
    return created


def send_notice_emails(*, notice_id: str, now: datetime) -> int:
    """E-mail a notice's notifications not yet e-mailed, one message per person (each
    has its own link). Each is marked e-mailed as it goes, so a retry sends only the
    rest. Returns how many were sent."""
    sent = 0
    pending = Notification.objects.filter(
        notice_id=notice_id, emailed_at__isnull=True
    ).select_related("user")
    for notification in pending:
        with transaction.atomic():
            fresh = (
                Notification.objects.select_for_update()
                .filter(pk=notification.pk, emailed_at__isnull=True)
                .first()
            )
            if fresh is None:
                continue
            fresh.emailed_at = now
            fresh.save(update_fields=["emailed_at"])
            address = notification.user.email
            if address:
                send_mail(
                    subject=fresh.subject,
                    message=fresh.body,
                    from_email=None,
                    recipient_list=[address],
                )
                sent += 1
            record(
                action=Action.NOTICE_EMAILED,
                object_type="timeliness.notification",
                object_id=fresh.pk,
                details={
                    "notice": str(notice_id),
                    "user": str(fresh.user_id),
                    "emailed": bool(address),
                },
            )
    return sent


# ---------------------------------------------------------------------------------------
# E-mail that fails: tried again with a growing wait, then marked failed.

# What a failed send raises: the SMTP conversation refused, or no connection at all.
SEND_ERRORS: tuple[type[BaseException], ...] = (smtplib.SMTPException, OSError)


def retry_wait(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: the base, doubled each time (60 s,
    2 min, 4 min, 8 min with the defaults), never more than a day."""
    seconds = float(settings.MASH_EMAIL_RETRY_SECONDS) * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 86400.0))


def _error_words(error: BaseException) -> str:
    """The kind of failure and its SMTP code: never the server's text, which may carry
    an address."""
    code = getattr(error, "smtp_code", None)
    if code is None and isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = {c for c, _m in error.recipients.values()}
        code = ",".join(str(c) for c in sorted(codes)) or None
    words = type(error).__name__
    return f"{words} {code}" if code is not None else words


def email_notice_with_retry(*, notice_id: str, now: datetime) -> int:
    """Send a notice's e-mails (``send_notice_emails``). When sending fails, count the
    attempt and queue the next one after ``retry_wait``, in one transaction; after
    ``MASH_EMAIL_MAX_ATTEMPTS`` attempts mark the notice failed and record it, for the
    administrator to see (admin, "Notices"). The in-app notifications are not affected:
    they were delivered when the notice was created."""
    from .tasks import email_notice

    try:
        sent = send_notice_emails(notice_id=notice_id, now=now)
    except SEND_ERRORS as error:
        words = _error_words(error)
        with transaction.atomic():
            notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
            if notice is None:
                return 0
            notice.email_attempts += 1
            notice.email_error = words[:200]
            limit = max(int(settings.MASH_EMAIL_MAX_ATTEMPTS), 1)
            if notice.email_attempts >= limit:
                notice.email_retry_at = None
                notice.email_failed_at = now
                logger.error(
                    "e-mail of notice %s failed %s times (%s): giving up",
                    notice_id,
                    notice.email_attempts,
                    words,
                )
            else:
                notice.email_retry_at = now + retry_wait(notice.email_attempts)
                email_notice.using(run_after=notice.email_retry_at).enqueue(str(notice.pk))
                logger.warning(
                    "e-mail of notice %s failed (%s): attempt %s of %s, next at %s",
                    notice_id,
                    words,
                    notice.email_attempts,
                    limit,
                    notice.email_retry_at.isoformat(),
                )
            notice.save(
                update_fields=["email_attempts", "email_error", "email_retry_at", "email_failed_at"]
            )
            record(
                action=Action.NOTICE_EMAIL_FAILED,
                obj=notice,
                enquiry=notice.request.enquiry_id if notice.request is not None else None,
                details={
                    "attempt": notice.email_attempts,
                    "error": notice.email_error,
                    "gave_up": notice.email_failed_at is not None,
                    "retry_at": (
                        notice.email_retry_at.isoformat() if notice.email_retry_at else None
                    ),
                },
            )
        return 0
    Notice.objects.filter(pk=notice_id, email_retry_at__isnull=False).update(email_retry_at=None)
    return sent


def retry_failed_email(*, notice: Notice, actor: Any, now: datetime) -> bool:
    """The administrator sends a failed notice's e-mails again (after the relay is
    fixed): its attempts start again from nothing. Recorded."""
    from .tasks import email_notice

    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        if locked.email_failed_at is None:
            return False
        locked.email_attempts = 0
        locked.email_failed_at = None
        locked.email_retry_at = now
        locked.save(update_fields=["email_attempts", "email_failed_at", "email_retry_at"])
        email_notice.enqueue(str(locked.pk))
        record(
            action=Action.NOTICE_EMAIL_RETRIED,
            actor=actor,
            obj=locked,
            enquiry=locked.request.enquiry_id if locked.request is not None else None,
            details={"error": locked.email_error},
        )
    return True


def mark_read(*, user: User, notifications: list[Notification], now: datetime) -> None:
    ids = [n.pk for n in notifications if n.read_at is None]
    if ids:
        Notification.objects.filter(pk__in=ids, user=user, read_at__isnull=True).update(read_at=now)
