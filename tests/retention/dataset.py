"""A generated data set for the sweep (Faker, fixed seed: nothing real), bulk-created.

Each enquiry is given a *fate* when it is generated, and its dates are chosen so the
schedule below gives that fate with a wide margin; so the generator, not the planner,
knows what the sweep must destroy (the oracle the tests check the sweep against, row
by row). Every text field carries a marker (``CANARY<enquiry>...``) that the byte scan
looks for in the database files.

The schedule (``SCHEDULE``), applied on ``TODAY``:

- hub and hub2: enquiry closed with no further action 2 years from closure; enquiry
  that led to action 1 year from the child's 18th birthday; request 2 years from
  creation; decision 2 years from the last activity; disclosure 6 months from closure;
  consent 3 years from creation; evidence 1 year from creation;
- police: decision 3 years from closure; disclosure 1 year from creation;
- health: none of its own (the hub's applies).

Fates:

- ``old``: closed (no further action) 6 to 10 years ago: everything destroyed;
- ``recent``: created in the last two months (open or closed): nothing destroyed;
- ``open_old``: open, created 4 to 5 years ago: police disclosures (1 year from
  creation) and consent records with their evidence (3 years) destroyed, the rest kept;
- ``action_young``: closed with an assessment 5 to 6 years ago, the child born 2016 or
  later (or date of birth unknown): every request, decision, disclosure and consent
  destroyed, the enquiry and its people kept;
- ``held_enquiry``, ``held_person``, ``held_hub``: as ``old``, but held (a hold on the
  enquiry, on one of its people, or the enquiry is in hub2, which has an inquiry
  moratorium): nothing destroyed.

Run as a script to fill the database named by the environment (used by the sweep's
subprocess tests): ``python -m tests.retention.dataset COUNT MANIFEST.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import uuid
from dataclasses import dataclass, field
from typing import Any

TODAY = dt.date(2026, 11, 25)
SEED = 20261125

SCHEDULE = {
    "hub": [
        ("enquiry_nfa", 2, "years", "closed"),
        ("enquiry_action", 1, "years", "birthday_18"),
        ("request", 2, "years", "created"),
        ("decision", 2, "years", "last_activity"),
        ("disclosure", 6, "months", "closed"),
        ("consent", 3, "years", "created"),
        ("evidence", 1, "years", "created"),
    ],
    "police": [
        ("decision", 3, "years", "closed"),
        ("disclosure", 1, "years", "created"),
    ],
}
FATES = ["old", "recent", "open_old", "action_young", "held_enquiry", "held_person", "held_hub"]
WEIGHTS = [30, 20, 15, 15, 7, 7, 6]
# Enquiries written at a time (fewer than the key cache holds: mash.keys.cache).
WRITE_EVERY = 500

# Which table each kind of row lives in, for the raw checks on the database file.
TABLES = {
    "enquiry": "enquiries_enquiry",
    "person": "enquiries_person",
    "request": "sharing_informationrequest",
    "decision": "sharing_decision",
    "item": "sharing_disclosureitem",
    "consent": "consent_consentrecord",
}


@dataclass
class Row:
    kind: str  # a key of TABLES, or "evidence"
    id: str  # uuid
    destroyed: bool  # what the sweep must do to it
    marker: str  # text only this row holds


@dataclass
class Generated:
    enquiry_id: str
    fate: str
    rows: list[Row] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "enquiry_id": self.enquiry_id,
            "fate": self.fate,
            "rows": [vars(row) for row in self.rows],
        }


def world() -> dict[str, Any]:
    """The agencies, a hub user and the schedule (made if missing)."""
    from mash.agencies.models import Agency, User
    from mash.retention.models import RetentionRule

    def agency(code: str, kind: str, is_hub: bool = False) -> Any:
        found, _ = Agency.objects.get_or_create(
            code=code, defaults={"name": code.title(), "kind": kind, "is_hub": is_hub}
        )
        return found

    agencies = {
        "hub": agency("hub", "childrens_social_care", True),
        "hub2": agency("hub2", "childrens_social_care", True),
        "police": agency("police", "police"),
        "health": agency("health", "health"),
    }
    user, _ = User.objects.get_or_create(
        username="generator", defaults={"agency": agencies["hub"], "role": "dpo"}
    )
    from mash.retention.models import Hold

    if not Hold.objects.filter(scope="hub", hub=agencies["hub2"]).exists():
        Hold.objects.create(
            scope="hub",
            hub=agencies["hub2"],
            reason="Generated hold: an inquiry moratorium on hub2",
            review_on=TODAY + dt.timedelta(days=365),
            placed_by=user,
            placed_at=_aware(TODAY - dt.timedelta(days=30)),
        )
    for code, lines in {**SCHEDULE, "hub2": SCHEDULE["hub"]}.items():
        for kind, amount, unit, trigger in lines:
            RetentionRule.objects.get_or_create(
                agency=agencies[code],
                kind=kind,
                defaults={
                    "amount": amount,
                    "unit": unit,
                    "trigger": trigger,
                    "reason": f"Generated schedule: {kind} for {code}",
                },
            )
    return {"agencies": agencies, "user": user}


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dt.UTC)


def generate(count: int, *, seed: int = SEED, start: int = 0) -> list[Generated]:
    """Create ``count`` enquiries with their people, requests, decisions, disclosures,
    consent records and holds; return what the sweep must do to each row."""
    from faker import Faker

    from mash.consent.models import ConsentRecord
    from mash.enquiries.models import Enquiry, Person
    from mash.operations.dataset import dates_as_given, write_chunk
    from mash.retention.models import Hold
    from mash.sharing.models import Decision, DisclosureItem, InformationRequest

    fake = Faker("en_GB")
    fake.seed_instance(seed + start)
    rng = random.Random(seed + start)
    w = world()
    agencies, user = w["agencies"], w["user"]
    enquiries: list[Any] = []
    people: list[Any] = []
    requests: list[Any] = []
    request_people: list[Any] = []
    decisions: list[Any] = []
    items: list[Any] = []
    item_people: list[Any] = []
    consents: list[Any] = []
    holds: list[Any] = []
    out: list[Generated] = []
    through_request = InformationRequest.people.through
    through_item = DisclosureItem.people.through
    # In the order they are written, and after each enquiry how many rows each has.
    models = [
        Enquiry,
        Person,
        InformationRequest,
        through_request,
        Decision,
        DisclosureItem,
        through_item,
        ConsentRecord,
        Hold,
    ]
    tables = [
        enquiries,
        people,
        requests,
        request_people,
        decisions,
        items,
        item_people,
        consents,
        holds,
    ]
    ends: list[list[int]] = []

    for n in range(start, start + count):
        fate = rng.choices(FATES, WEIGHTS)[0]
        mark = f"CANARY{n:07d}"
        enquiry_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        gen = Generated(str(enquiry_id), fate)
        whole_gone = fate == "old"
        if fate in {"old", "held_enquiry", "held_person", "held_hub"}:
            created = TODAY - dt.timedelta(days=rng.randint(6 * 366, 10 * 365))
            status, outcome = "closed", "no_further_action"
        elif fate == "recent":
            created = TODAY - dt.timedelta(days=rng.randint(1, 60))
            status, outcome = rng.choice([("open", ""), ("closed", "no_further_action")])
        elif fate == "open_old":
            created = TODAY - dt.timedelta(days=rng.randint(4 * 366, 5 * 365))
            status, outcome = "open", ""
        else:  # action_young
            created = TODAY - dt.timedelta(days=rng.randint(5 * 366, 6 * 365))
            status, outcome = "closed", "assessment"
        closed = created + dt.timedelta(days=rng.randint(1, 20)) if status == "closed" else None
        if closed is not None and closed > TODAY:
            closed = TODAY
        hub = agencies["hub2" if fate == "held_hub" else "hub"]
        enquiries.append(
            Enquiry(
                id=enquiry_id,
                reference=f"GEN-{n:07d}",
                hub=hub,
                status=status,
                received_at=_aware(created),
                source="professional",
                referrer_name=f"{fake.name()} {mark}R",
                concern=f"{fake.paragraph()} {mark}C",
                outcome=outcome,
                outcome_rationale=f"{fake.sentence()} {mark}O" if outcome else "",
                closed_at=_aware(closed) if closed else None,
                closed_by=user if closed else None,
                created_by=user,
                created_at=_aware(created),
                updated_at=_aware(closed or created),
            )
        )
        gen.rows.append(Row("enquiry", str(enquiry_id), whole_gone, f"{mark}C"))

        # People: a child (date of birth known, estimated, or unknown) and a parent.
        if fate == "action_young":
            dob = rng.choice([dt.date(rng.randint(2016, 2024), 2, 28), None])
        else:
            dob = fake.date_between(dt.date(2008, 1, 1), dt.date(2025, 1, 1))
        child = Person(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            enquiry_id=enquiry_id,
            kind="child",
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            other_names=f"{mark}P0",
            date_of_birth=dob,
            address=fake.address(),
            created_at=_aware(created),
        )
        parent = Person(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            enquiry_id=enquiry_id,
            kind="parent",
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            other_names=f"{mark}P1",
            relationship="mother",
            created_at=_aware(created),
        )
        people += [child, parent]
        for i, person in enumerate([child, parent]):
            gen.rows.append(Row("person", str(person.id), whole_gone, f"{mark}P{i}"))

        # Requests to police and health, each answered with a decision and items.
        for r, code in enumerate(rng.sample(["police", "health"], rng.randint(0, 2))):
            asked = created + dt.timedelta(days=1)
            request = InformationRequest(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                enquiry_id=enquiry_id,
                agency=agencies[code],
                purpose=f"{fake.sentence()} {mark}Q{r}",
                deadline=_aware(asked + dt.timedelta(days=1)),
                status="answered",
                created_by=user,
                created_at=_aware(asked),
            )
            requests.append(request)
            request_people.append(
                through_request(informationrequest_id=request.id, person_id=child.id)
            )
            request_gone = whole_gone or fate == "action_young"
            gen.rows.append(Row("request", str(request.id), request_gone, f"{mark}Q{r}"))
            decision = Decision(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                request=request,  # the object, not its id: sealing needs its enquiry
                agency=agencies[code],
                decided_by=user,
                decided_at=_aware(asked),
                guidance_version="2026-01",
                question={"purpose": {"description": f"{mark}D{r}"}},
                outcome="share",
                justification=f"{fake.sentence()} {mark}J{r}",
                people_decisions=[{"name": f"{child.first_name} {mark}N{r}"}],
            )
            decisions.append(decision)
            gen.rows.append(Row("decision", str(decision.id), request_gone, f"{mark}J{r}"))
            for k in range(rng.randint(1, 2)):
                item = DisclosureItem(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    decision=decision,
                    text=f"{fake.sentence()} {mark}I{r}{k}",
                    nature="fact",
                    recorded_on=asked,
                    source="Generated record",
                    currency="current",
                    created_at=_aware(asked),
                )
                items.append(item)
                item_people.append(through_item(disclosureitem_id=item.id, person_id=child.id))
                gone = request_gone or (fate == "open_old" and code == "police")
                gen.rows.append(Row("item", str(item.id), gone, f"{mark}I{r}{k}"))

        # Consent from the parent for the child, sometimes with a (named) form.
        if rng.random() < 0.6:
            consent = ConsentRecord(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                person=child,
                status="given",
                giver="parental_responsibility",
                giver_relationship="mother",
                purpose=f"MASH enquiry {mark}K",
                method="written",
                given_on=created,
                evidence_name=f"{rng.getrandbits(80):020x}" if rng.random() < 0.5 else "",
                recorded_by=user,
                recorded_at=_aware(created),
            )
            consents.append(consent)
            gone = fate in {"old", "open_old", "action_young"}
            gen.rows.append(Row("consent", str(consent.id), gone, f"{mark}K"))

        if fate == "held_enquiry":
            holds.append(_hold(rng, user, scope="enquiry", enquiry_id=enquiry_id))
        elif fate == "held_person":
            holds.append(_hold(rng, user, scope="person", person_id=parent.id))
        out.append(gen)
        ends.append([len(rows) for rows in tables])

    # Written WRITE_EVERY enquiries at a time (mash.operations.dataset.write_chunk: their
    # data keys made first in one go, so sealing each row finds its key in the cache).
    with dates_as_given():
        for first in range(0, count, WRITE_EVERY):
            last = min(first + WRITE_EVERY, count) - 1
            write_chunk(
                [e.id for e in enquiries[first : last + 1]],
                [
                    (model, rows[(ends[first - 1][at] if first else 0) : ends[last][at]])
                    for at, (model, rows) in enumerate(zip(models, tables, strict=True))
                ],
            )
    return out


def _hold(rng: random.Random, user: Any, **what: Any) -> Any:
    from mash.retention.models import Hold

    return Hold(
        reason="Generated hold: independent inquiry",
        review_on=TODAY + dt.timedelta(days=rng.randint(30, 365)),
        placed_by=user,
        placed_at=_aware(TODAY - dt.timedelta(days=10)),
        **what,
    )


def main(argv: list[str]) -> int:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mash.settings")
    import django

    django.setup()
    count, manifest = int(argv[0]), argv[1]
    generated = generate(count)
    with open(manifest, "w") as handle:
        json.dump([g.to_json() for g in generated], handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
