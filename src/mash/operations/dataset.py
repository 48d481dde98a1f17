"""A hub's years of generated data (``mash generate``): enquiries over ten years with their
people, requests to partner agencies, decisions (decided by the guidance's engine), items
shared, consent records and the record's entries, bulk-written so that 150,000 enquiries
take minutes. Faker with a fixed seed: nothing real, the same data for the same seed.

The rows are the hub's own: every narrative field is sealed with its enquiry's data key
(the keys for a chunk made in one go first, ``data_keys_for_writing``), every decision's
fields come from ``mash.sharing.services.people_decisions`` and ``overall_outcome`` on a
real sharing question, and each chunk's record entries are appended with ``record_many``
in the chunk's transaction, so the real pages open every enquiry and ``mash records
verify`` stays intact.

The pieces any bulk load needs (``dates_as_given``, ``write_chunk``) are shared with
tests/retention/dataset.py, which builds the retention sweep's data set on them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from mash.lib.postgresql.arrays import quick_arrays

SEED = 20261202
YEARS = 10
#: Contacts a large county hub takes in a year (issue 13): the generated hub receives
#: them at this rate, so 150,000 make its ten years and 1,000 its first few weeks.
PER_YEAR = 15_000


def span_days(enquiries: int) -> int:
    """The days the generated enquiries are received over: as many as a large hub takes
    to receive them (``PER_YEAR``), at most ``YEARS``. A small data set is a young hub
    with today's workload (its recent contacts open, its inboxes full), not ten years
    thinned out to a few enquiries a month, so a page measured at 1,000 and at 150,000
    enquiries shows the same work against two lengths of history."""
    return max(1, min(YEARS * 365, -(-enquiries * 365 // PER_YEAR)))


# Enquiries written per transaction: fewer than the key cache holds (mash.keys.cache).
CHUNK = 500


@contextlib.contextmanager
def dates_as_given() -> Iterator[None]:
    """Let bulk_create keep the generated created/updated times (auto_now off)."""
    from mash.enquiries.models import Enquiry, Person
    from mash.sharing.models import DisclosureItem, InformationRequest

    fields = [
        Enquiry._meta.get_field("created_at"),
        Enquiry._meta.get_field("updated_at"),
        Person._meta.get_field("created_at"),
        InformationRequest._meta.get_field("created_at"),
        DisclosureItem._meta.get_field("created_at"),
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]  # type: ignore[union-attr]
    for f in fields:
        f.auto_now = f.auto_now_add = False  # type: ignore[union-attr]
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add  # type: ignore[union-attr]


def write_chunk(
    enquiry_ids: Sequence[uuid.UUID], tables: Sequence[tuple[type[models.Model], list[Any]]]
) -> None:
    """Bulk-create each table's rows in the order given, the chunk's data keys made first
    in one go (so sealing each row finds its key in the cache instead of asking the
    database). Call inside ``dates_as_given``; ask for fewer enquiries than the cache
    of keys holds."""
    from mash.keys.services import data_keys_for_writing

    data_keys_for_writing(enquiry_ids)
    for model, rows in tables:
        if rows:
            model._default_manager.bulk_create(rows, batch_size=500)


@dataclass
class Summary:
    enquiries: int = 0
    people: int = 0
    requests: int = 0
    decisions: int = 0
    items: int = 0
    consents: int = 0
    entries: int = 0


def _world() -> dict[str, Any]:
    """The hub, its partners and one user who writes for each (made if missing; a hub
    seeded with ``mash demo`` is used as it is)."""
    from mash.agencies.models import Agency, User

    hub = Agency.objects.filter(is_hub=True).order_by("code").first()
    if hub is None:
        hub = Agency.objects.create(
            code="hub",
            name="Children's social care MASH",
            kind="childrens_social_care",
            is_hub=True,
        )
    from mash.timeliness.config import ensure_defaults

    # A hub has its ratings and working hours (as ``mash demo`` and the admin give it),
    # so every deadline a page shows is worked out as a real hub's would be.
    ensure_defaults(hub)
    partners = []
    for code, name, kind in (
        ("police", "Police", "police"),
        ("health", "NHS health", "health"),
        ("education", "Education", "education"),
    ):
        found = Agency.objects.filter(kind=kind, is_hub=False).order_by("code").first()
        if found is None:
            found = Agency.objects.create(code=code, name=name, kind=kind)
        partners.append(found)

    def user(agency: Any, role: str) -> Any:
        made, _ = User.objects.get_or_create(
            username=f"generated-{agency.code}-{role}",
            defaults={
                "agency": agency,
                "role": role,
                "first_name": "Generated",
                "last_name": agency.name,
                "is_active": False,  # writes the generated data; never signs in
            },
        )
        return made

    return {
        "hub": hub,
        "partners": partners,
        "hub_user": user(hub, "practitioner"),
        "partner_users": {p.pk: user(p, "practitioner") for p in partners},
    }


def _aware(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8, 0), tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)


# Sharing questions as a practitioner answers them (contract: sharing-decision.md);
# each decision is decided on one of them by the guidance's engine.
QUESTIONS: list[dict[str, Any]] = [
    {  # the child at risk of significant harm: share, with consent or without
        "purpose": {"legitimate": True, "description": "MASH enquiry: risk to the child"},
        "identifies_individual": True,
        "confidential": True,
        "sensitive": False,
        "consent": {"status": "unknown"},
        "risk": {"significant_harm": True, "urgent": False},
        "other_basis": {"vital_interests": False, "public_function": False},
    },
    {  # no significant harm: the consent register decides
        "purpose": {"legitimate": True, "description": "MASH enquiry: what is known"},
        "identifies_individual": True,
        "confidential": True,
        "sensitive": False,
        "consent": {"status": "unknown"},
        "risk": {"significant_harm": False, "urgent": False},
        "other_basis": {"vital_interests": False, "public_function": False},
    },
    {  # no clear purpose for this agency's information: not shared
        "purpose": {"legitimate": False, "description": "MASH enquiry: what is known"},
    },
]


class Pools:
    """Faker's words drawn from pools made once a run: Faker formats every sentence,
    name and address afresh, which was a tenth of the run. The same kinds of text from
    the same seed, fewer distinct ones (a paragraph is sentences drawn from the pool)."""

    SENTENCES = 5_000
    NAMES = 3_000
    STREETS = 3_000
    CITIES = 1_000
    POSTCODES = 30_000

    def __init__(self, faker: Any, rng: random.Random) -> None:
        self._rng = rng
        self._sentences = [faker.sentence() for _ in range(self.SENTENCES)]
        self._first = [faker.first_name() for _ in range(self.NAMES)]
        self._last = [faker.last_name() for _ in range(self.NAMES)]
        # An address as Faker's en_GB writes one (street address, city, postcode), its
        # parts drawn apart: a postcode shared by a few dozen people, not thousands.
        self._streets = [faker.street_name() for _ in range(self.STREETS)]
        self._cities = [faker.city() for _ in range(self.CITIES)]
        self._postcodes = [faker.postcode() for _ in range(self.POSTCODES)]

    def sentence(self) -> str:
        return self._rng.choice(self._sentences)

    def paragraph(self, nb_sentences: int) -> str:
        # Faker varies the number of sentences by up to 40% either way.
        count = self._rng.randint(max(1, nb_sentences * 6 // 10), nb_sentences * 14 // 10)
        return " ".join(self._rng.choices(self._sentences, k=count))

    def first_name(self) -> str:
        return self._rng.choice(self._first)

    def last_name(self) -> str:
        return self._rng.choice(self._last)

    def name(self) -> str:
        return f"{self.first_name()} {self.last_name()}"

    def address(self) -> str:
        choice = self._rng.choice
        return (
            f"{self._rng.randint(1, 300)} {choice(self._streets)}\n{choice(self._cities)}\n"
            f"{choice(self._postcodes)}"
        )


def generate(
    *,
    enquiries: int,
    seed: int = SEED,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    at_a_hub_s_rate: bool = False,
) -> Summary:
    """Create ``enquiries`` enquiries received over the ten years to ``today`` (or, with
    ``at_a_hub_s_rate``, over ``span_days(enquiries)``: what ``mash generate`` and the
    load benchmark make), oldest first, in transactions of ``CHUNK``; ``progress(done)``
    after each. Tests that shape the generated rows keep the ten-year spread their
    expectations were written on."""
    from faker import Faker

    from mash.enquiries.models import Enquiry

    today = today or timezone.localdate()
    faker = Faker("en_GB")
    faker.seed_instance(seed)
    fake = Pools(faker, random.Random(seed + 1))  # nosec B311
    # Generated data, reproducible by its seed: not for secrets.
    rng = random.Random(seed)  # nosec B311
    world = _world()
    prefix = f"GEN{seed % 1000:03d}"
    taken = Enquiry.objects.filter(reference__startswith=prefix).count()
    # The guidance version is the same for the whole run: asked once, not once per
    # decision evaluated (a query each: 40% of the run's time before).
    from mash.guidance.selectors import current_version
    from mash.policy import versions

    version = current_version()
    versions.set_provider(lambda: version)
    try:
        with quick_arrays(connection):
            span = span_days(enquiries) if at_a_hub_s_rate else YEARS * 365
            summary = _generate(enquiries, today, fake, rng, world, prefix, taken, progress, span)
    finally:
        versions.set_provider(current_version)
    _analyse()
    return summary


def _analyse() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL's ANALYZE of the whole
    database), as after a restore. Without them, and with autovacuum off or not yet
    round, the planner takes a table of half a million rows for an empty one and plans
    every page's reads for that (a hash join over every person to find one batch's)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


_DONE = object()


def _ahead(items: Iterator[Any], depth: int = 2) -> Iterator[Any]:
    """``items``, made in a thread of their own up to ``depth`` ahead of the caller;
    an exception raised in making them is raised here."""
    import queue
    import threading

    ready: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def make() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        ready.put((item, None), timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            ready.put((_DONE, None))
        except BaseException as error:  # handed to the caller, raised there
            ready.put((_DONE, error))

    maker = threading.Thread(target=make, name="mash-generate-rows", daemon=True)
    maker.start()
    try:
        while True:
            item, error = ready.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        maker.join(timeout=5)


def _generate(
    enquiries: int,
    today: dt.date,
    fake: Any,
    rng: random.Random,
    world: dict[str, Any],
    prefix: str,
    taken: int,
    progress: Callable[[int], None] | None,
    span: int,
) -> Summary:
    from mash.consent.models import ConsentRecord
    from mash.consent.selectors import ConsentPosition
    from mash.enquiries.models import Enquiry, Person
    from mash.records.models import Action
    from mash.records.services import record_many
    from mash.sharing.models import (
        Decision,
        DisclosureItem,
        InformationRequest,
        PersonInformed,
    )
    from mash.sharing.services import evaluate, overall_outcome, people_decisions

    hub, partners, hub_user = world["hub"], world["partners"], world["hub_user"]
    summary = Summary()
    through_request = InformationRequest.people.through
    through_item = DisclosureItem.people.through
    fallbacks = [evaluate(q) for q in QUESTIONS]

    def made() -> Iterator[tuple[dict[str, list[Any]], list[dict[str, Any]]]]:
        """Each chunk's rows and record entries, in memory (no query)."""
        for first in range(0, enquiries, CHUNK):
            rows: dict[str, list[Any]] = {
                name: []
                for name in (
                    "enquiry",
                    "person",
                    "request",
                    "request_people",
                    "decision",
                    "item",
                    "item_people",
                    "consent",
                    "informed",
                )
            }
            entries: list[dict[str, Any]] = []
            for n in range(first, min(first + CHUNK, enquiries)):
                age = span - 1 - (n * span) // max(enquiries, 1)  # oldest first
                received_day = today - dt.timedelta(days=age)
                received = _aware(received_day, rng.randint(0, 9 * 60))
                # Open: most of the last three weeks', and always the newest few (so even a
                # small data set has open work).
                open_case = (age < 21 and rng.random() < 0.7) or n >= enquiries - max(
                    2, enquiries // 150
                )
                rag = rng.choices(["red", "amber", "green", "blue"], [10, 35, 45, 10])[0]
                closed = None if open_case else received + dt.timedelta(days=rng.randint(1, 10))
                outcome = (
                    ""
                    if open_case
                    else rng.choice(
                        ["no_further_action", "early_help", "assessment", "strategy_discussion"]
                    )
                )
                enquiry = Enquiry(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    reference=f"{prefix}-{taken + n + 1:07d}",
                    hub=hub,
                    status="open" if open_case else "closed",
                    received_at=received,
                    source=rng.choice(["professional", "professional", "public", "anonymous"]),
                    referrer_name=fake.name(),
                    referrer_role=rng.choice(["Teacher", "Health visitor", "GP", "Neighbour"]),
                    concern=fake.paragraph(nb_sentences=4),
                    immediate_danger=False,
                    consent_to_refer=rng.choice(["obtained", "not_obtained"]),
                    rag=rag,
                    rag_rationale=fake.sentence(),
                    outcome=outcome,
                    outcome_rationale=fake.sentence() if outcome else "",
                    closed_at=closed,
                    closed_by=hub_user if closed else None,
                    created_by=hub_user,
                    owner=hub_user if open_case and rng.random() < 0.6 else None,
                    created_at=received,
                    updated_at=closed or received,
                    hub_due_at=received + dt.timedelta(hours={"red": 4, "amber": 24}.get(rag, 72)),
                )
                if enquiry.consent_to_refer == "obtained":
                    enquiry.consent_obtained_from = "Parent"
                else:
                    enquiry.consent_not_obtained_reason = fake.sentence()
                rows["enquiry"].append(enquiry)
                entries.append(
                    {
                        "action": Action.ENQUIRY_SUBMITTED,
                        "actor": hub_user,
                        "obj": enquiry,
                        "enquiry": enquiry.id,
                        "details": {"generated": True},
                    }
                )
                family = fake.last_name()
                children = [
                    Person(
                        id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        enquiry_id=enquiry.id,
                        kind="child",
                        first_name=fake.first_name(),
                        last_name=family,
                        date_of_birth=received_day - dt.timedelta(days=rng.randint(100, 17 * 365)),
                        address=fake.address(),
                        role_in_concern="subject of the concern",
                        created_at=received,
                    )
                    for _ in range(rng.choices([1, 2, 3], [60, 30, 10])[0])
                ]
                adults = [
                    Person(
                        id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        enquiry_id=enquiry.id,
                        kind=kind,
                        first_name=fake.first_name(),
                        last_name=family,
                        relationship=relationship,
                        address=fake.address(),
                        created_at=received,
                    )
                    for kind, relationship in rng.sample(
                        [
                            ("parent", "mother"),
                            ("parent", "father"),
                            ("carer", "grandmother"),
                            ("other_adult", "mother's partner"),
                        ],
                        rng.choices([1, 2, 3], [40, 45, 15])[0],
                    )
                ]
                rows["person"] += children + adults
                consent_record = None
                if rng.random() < 0.5:
                    consent_record = ConsentRecord(
                        id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        person=children[0],
                        status=rng.choices(["given", "refused"], [80, 20])[0],
                        giver="parental_responsibility",
                        giver_relationship=adults[0].relationship,
                        purpose="MASH enquiry: sharing what partners know",
                        method=rng.choice(["written", "verbal"]),
                        given_on=received_day,
                        recorded_by=hub_user,
                        recorded_by_agency=hub,
                        recorded_at=received,
                    )
                    rows["consent"].append(consent_record)
                    entries.append(
                        {
                            "action": Action.CONSENT_RECORDED,
                            "actor": hub_user,
                            "obj": consent_record,
                            "enquiry": enquiry.id,
                            "details": {"status": consent_record.status},
                        }
                    )
                asked = received + dt.timedelta(hours=rng.randint(1, 6))
                for agency in rng.sample(partners, rng.choices([1, 2, 3], [30, 45, 25])[0]):
                    answered = not open_case or rng.random() < 0.5
                    request = InformationRequest(
                        id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        enquiry=enquiry,
                        agency=agency,
                        purpose=f"What is known about the family: {fake.sentence()}",
                        deadline=asked + dt.timedelta(hours=24),
                        status="answered" if answered else "open",
                        created_by=hub_user,
                        created_at=asked,
                    )
                    rows["request"].append(request)
                    rows["request_people"] += [
                        through_request(informationrequest_id=request.id, person_id=child.id)
                        for child in children
                    ]
                    entries.append(
                        {
                            "action": Action.REQUEST_SENT,
                            "actor": hub_user,
                            "obj": request,
                            "enquiry": enquiry.id,
                            "details": {"agency": agency.code},
                        }
                    )
                    if not answered:
                        continue
                    which = rng.choices([0, 1, 2], [45, 40, 15])[0]
                    question = dict(QUESTIONS[which])
                    positions = [
                        (
                            child,
                            ConsentPosition(
                                status=consent_record.status
                                if consent_record is not None and i == 0
                                else "not_sought",
                                agencies=None,
                                explicit=True,
                                recorded_at=received if consent_record is not None else None,
                                record=consent_record if i == 0 else None,
                                explanation="generated",
                                reason_not_sought=""
                                if consent_record is not None and i == 0
                                else "Seeking consent would place the child at risk",
                            ),
                        )
                        for i, child in enumerate(children)
                    ]
                    per_person = people_decisions(
                        request=request, question=question, positions=positions
                    )
                    result = overall_outcome(per_person, fallbacks[which])
                    sharing = result["outcome"] == "share"
                    decided = asked + dt.timedelta(hours=rng.randint(1, 20))
                    user = world["partner_users"][agency.pk]
                    decision = Decision(
                        id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        request=request,
                        agency=agency,
                        decided_by=user,
                        decided_at=decided,
                        guidance_version=str(result.get("guidance_version") or ""),
                        question=question,
                        outcome=result["outcome"],
                        basis=result.get("basis") or "",
                        grounds=list(result.get("grounds") or []),
                        without_consent=bool(result.get("without_consent")),
                        requires=list(result.get("requires") or []),
                        reasons=list(result.get("reasons") or []),
                        steps=list(result.get("steps") or []),
                        justification=fake.sentence() if sharing else "",
                        not_sharing_reasons="" if sharing else fake.sentence(),
                        discussed_at=None if sharing else decided,
                        discussed_with="" if sharing else "The MASH practitioner",
                        proportionality=fake.sentence() if sharing else "",
                        people_decisions=per_person,
                        release="released",
                        released_at=decided,
                    )
                    rows["decision"].append(decision)
                    if sharing and "inform_individual_unless_risk" in decision.requires:
                        # Whether each person was told: one answer each (PersonInformed).
                        rows["informed"] += [
                            PersonInformed(
                                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                                decision=decision,
                                person=child,
                                answer="not_told",
                                ground="risk_of_harm",
                                reason="Telling the family could place the child at risk",
                            )
                            for child in children
                        ]
                    entries.append(
                        {
                            "action": Action.DECISION_RECORDED,
                            "actor": user,
                            "obj": decision,
                            "enquiry": enquiry.id,
                            "details": {"request": str(request.id), "outcome": decision.outcome},
                        }
                    )
                    if not sharing:
                        continue
                    for _ in range(rng.randint(1, 3)):
                        item = DisclosureItem(
                            id=uuid.UUID(int=rng.getrandbits(128), version=4),
                            decision=decision,
                            text=fake.paragraph(nb_sentences=2),
                            nature=rng.choice(["fact", "opinion"]),
                            recorded_on=received_day - dt.timedelta(days=rng.randint(0, 700)),
                            source=f"{agency.name} records",
                            currency="current",
                            created_at=decided,
                        )
                        rows["item"].append(item)
                        rows["item_people"].append(
                            through_item(disclosureitem_id=item.id, person_id=children[0].id)
                        )
                    entries.append(
                        {
                            "action": Action.DISCLOSURE_MADE,
                            "actor": user,
                            "obj": decision,
                            "enquiry": enquiry.id,
                            "details": {"decision": str(decision.id)},
                        }
                    )
                if closed:
                    entries.append(
                        {
                            "action": Action.ENQUIRY_CLOSED,
                            "actor": hub_user,
                            "obj": enquiry,
                            "enquiry": enquiry.id,
                            "details": {"outcome": outcome},
                        }
                    )
            yield rows, entries

    # The rows of the next chunk are made in a thread of their own while this one
    # writes the last to the database: the making is Python, the writing mostly
    # waiting for PostgreSQL, so the two overlap. Only this thread queries.
    for rows, entries in _ahead(made()):
        with dates_as_given(), transaction.atomic():
            write_chunk(
                [e.id for e in rows["enquiry"]],
                [
                    (Enquiry, rows["enquiry"]),
                    (Person, rows["person"]),
                    (ConsentRecord, rows["consent"]),
                    (InformationRequest, rows["request"]),
                    (through_request, rows["request_people"]),
                    (Decision, rows["decision"]),
                    (PersonInformed, rows["informed"]),
                    (DisclosureItem, rows["item"]),
                    (through_item, rows["item_people"]),
                ],
            )
            record_many(entries)
        summary.enquiries += len(rows["enquiry"])
        summary.people += len(rows["person"])
        summary.requests += len(rows["request"])
        summary.decisions += len(rows["decision"])
        summary.items += len(rows["item"])
        summary.consents += len(rows["consent"])
        summary.entries += len(entries)
        if progress is not None:
            progress(summary.enquiries)
    return summary
