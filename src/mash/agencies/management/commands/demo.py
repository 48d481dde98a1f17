"""``mash demo``: six agencies, a user of every role, each agency's retention schedule, and
about twenty enquiries at every stage, all generated (Faker, en_GB, fixed seed): nothing
real.

Idempotent: agencies and users are brought up to date on every run (so the printed
password always works); retention rules are added only where an agency has none for that
kind of record; enquiries are added only when the demo hub has none yet.
Every enquiry, request and decision is written through the services, so the record
holds an entry for each, as it would for real work.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from datetime import UTC, date, time, timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from faker import Faker

from mash.agencies import services as agency_services
from mash.agencies.models import Agency, User
from mash.enquiries import services as enquiry_services
from mash.enquiries.models import Enquiry, Person
from mash.policy.informing import InformAnswer

# Demo only, printed at start; MASH_DEMO_PASSWORD replaces it (bandit B105, ruff S105).
DEFAULT_PASSWORD = "mash demo passphrase 2026"  # noqa: S105 # nosec B105
SEED = 20261125

AGENCIES = [
    ("csc-hub", "Children's social care MASH", "childrens_social_care", True),
    ("police", "Police", "police", False),
    ("health", "NHS health", "health", False),
    ("education", "Education", "education", False),
    ("probation", "Probation", "probation", False),
    ("housing", "Housing", "housing", False),
]

# What each stage means, in order; the counts add up to 20.
STAGES = [
    ("draft", 3),
    ("open", 4),
    ("asked", 4),
    ("answered", 5),
    ("closed", 4),
]

CONCERNS = [
    "{child} came to school with a bruise on the upper arm and said an adult at home grabbed them.",
    "A neighbour heard shouting and a child crying late at night at {child}'s home, "
    "several nights running.",
    "{child} has missed nine days of school this half term and looked hungry when last seen.",
    "{child} told a youth worker they do not want to go home because of arguments between "
    "the adults.",
    "The GP saw {child} with a burn that the explanation given did not match.",
    "{child} was found alone at a bus station after 10pm and would not say where they were "
    "staying.",
    "Police attended a domestic incident at the address; {child} was present in the house.",
    "{child} disclosed to a teacher that an older friend gives them gifts and asks them to "
    "keep secrets.",
]

# Threshold decisions: (level of need, outcomes) on the default four-level continuum.
OUTCOMES = [
    (1, ["no_further_action"]),
    (2, ["early_help"]),
    (3, ["child_in_need"]),
    (4, ["strategy_discussion", "police_investigation"]),
]

_LIMITATION = (
    "six years from the last contact, the time a claim can be brought (Limitation Act 1980)"
)

# A realistic retention schedule (docs/retention.md): the hub's for its own records, and
# each partner's for the decisions and disclosures it makes (the hub's applies to any
# kind a partner has no rule for). Generated demo policy, not any council's.
RETENTION_SCHEDULES: dict[str, list[tuple[str, int, str, str, str]]] = {
    "csc-hub": [
        (
            "enquiry_action",
            3,
            "years",
            "birthday_18",
            "A child in need record: kept until the youngest child is 18, then three years "
            "(the hub's children's social care retention schedule)",
        ),
        (
            "enquiry_nfa",
            6,
            "years",
            "closed",
            "A contact closed with no further action: kept six years from closure, so a "
            "later concern is seen against it and any claim can be answered (Limitation Act "
            "1980)",
        ),
        ("request", 6, "years", "last_activity", f"A request for information: {_LIMITATION}"),
        ("decision", 6, "years", "last_activity", f"Advice and decision records: {_LIMITATION}"),
        (
            "disclosure",
            6,
            "years",
            "last_activity",
            f"Information shared with the hub, where the sharing agency sets no rule: "
            f"{_LIMITATION}",
        ),
        (
            "consent",
            6,
            "years",
            "last_activity",
            f"Consent records, with the decisions they support: {_LIMITATION}",
        ),
        (
            "evidence",
            6,
            "years",
            "created",
            "Signed consent forms: six years from when they were recorded (Limitation Act 1980)",
        ),
    ],
    "police": [
        (
            "decision",
            6,
            "years",
            "last_activity",
            "Police sharing decisions: six years from the last activity, then reviewed out "
            "(Management of Police Information)",
        ),
        (
            "disclosure",
            6,
            "years",
            "last_activity",
            "Police information shared with the MASH: six years from the last activity "
            "(Management of Police Information)",
        ),
    ],
    "health": [
        (
            "decision",
            0,
            "years",
            "birthday_25",
            "Health sharing decisions about a child: until the child's 25th birthday "
            "(Records Management Code of Practice for health and social care)",
        ),
        (
            "disclosure",
            0,
            "years",
            "birthday_25",
            "Health information about a child: until the child's 25th birthday (Records "
            "Management Code of Practice for health and social care)",
        ),
    ],
    "education": [
        (
            "disclosure",
            0,
            "years",
            "birthday_25",
            "A school's child protection information: until the child's 25th birthday "
            "(the schools' information management toolkit)",
        ),
    ],
    "probation": [
        (
            "disclosure",
            6,
            "years",
            "closed",
            "Probation information shared with the MASH: six years from the enquiry's "
            "closure (Limitation Act 1980)",
        ),
    ],
    "housing": [
        (
            "disclosure",
            6,
            "years",
            "created",
            "Housing information shared with the MASH: six years from when it was shared "
            "(Limitation Act 1980)",
        ),
    ],
}

ITEMS = {
    "police": [
        ("fact", "Two domestic incidents recorded at the address in the last year; no charges."),
        (
            "opinion",
            "Attending officer's view: the children appeared frightened of the adult male.",
        ),
    ],
    "health": [
        (
            "fact",
            "Attended the emergency department with a wrist injury; X-ray showed no fracture.",
        ),
        ("opinion", "Health visitor's view: mother is struggling to cope since the baby was born."),
    ],
    "education": [
        ("fact", "Attendance this term is 71%; absences mostly on Mondays."),
        ("opinion", "Class teacher's view: the child has become withdrawn since September."),
    ],
    "probation": [
        ("fact", "An adult at the address is on licence for a violent offence until next year."),
    ],
    "housing": [
        (
            "fact",
            "The family has had two notices of rent arrears and a complaint about overcrowding.",
        ),
    ],
}

SHARE_QUESTION: dict[str, Any] = {
    "purpose": {"legitimate": True, "description": "MASH enquiry about a child's safety"},
    "identifies_individual": True,
    "confidential": True,
    "sensitive": False,
    "consent": {
        "status": "not_sought",
        "reason_not_sought": "Seeking consent could place the child at further risk.",
    },
    "risk": {"significant_harm": True},
}
NO_SHARE_QUESTION: dict[str, Any] = {
    "purpose": {"legitimate": True, "description": "MASH enquiry about a child's safety"},
    "identifies_individual": True,
    "confidential": True,
    "consent": {"status": "refused"},
    "risk": {"significant_harm": False, "urgent": False},
    "other_basis": {"vital_interests": False, "public_function": False},
}


@dataclass
class Cast:
    hub: Agency
    partners: dict[str, Agency]
    hub_practitioner: User
    hub_manager: User
    agency_practitioners: dict[str, User]


def demo_password() -> str:
    return os.environ.get("MASH_DEMO_PASSWORD") or DEFAULT_PASSWORD


class Command(BaseCommand):
    help = "Create demo agencies, users and enquiries (generated, nothing real). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        password = demo_password()
        fake = Faker("en_GB")
        fake.seed_instance(SEED)
        cast, accounts = self._agencies_and_users(fake, password)
        self._print_sign_in(accounts, password)
        self._retention_schedules()
        if Enquiry.objects.filter(hub=cast.hub).exists():
            self.stdout.write(
                f"Demo enquiries already present ({Enquiry.objects.filter(hub=cast.hub).count()}):"
                " none added."
            )
            return
        made = self._enquiries(cast, fake)
        summary = ", ".join(f"{count} {stage}" for stage, count in made.items())
        self.stdout.write(self.style.SUCCESS(f"Created {sum(made.values())} enquiries: {summary}."))

    # -----------------------------------------------------------------------------------

    def _agencies_and_users(
        self, fake: Faker, password: str
    ) -> tuple[Cast, list[tuple[str, str, str, str]]]:
        agencies = {
            code: agency_services.ensure_agency(code=code, name=name, kind=kind, is_hub=is_hub)
            for code, name, kind, is_hub in AGENCIES
        }
        hub = agencies["csc-hub"]
        from mash.timeliness.config import ensure_defaults

        ensure_defaults(hub)  # default BRAG ratings and working hours (admin can change)
        from mash.guidance.services import ensure_defaults as guidance_defaults

        guidance_defaults(agencies.values())  # purposes list, each agency's lawful bases
        from mash.enquiries.threshold import ensure_default_continuum

        ensure_default_continuum(hub)  # the four-level continuum of need (admin can change)
        accounts: list[tuple[str, str, str, str]] = []

        def user(username: str, agency: Agency | None, role: str, title: str, **kw: Any) -> User:
            made = agency_services.ensure_user(
                username=username,
                password=password,
                agency=agency,
                role=role,
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                job_title=title,
                **kw,
            )
            # Where the worker's notifications go (printed with EMAIL_BACKEND=console).
            made.email = f"{username}@mash-demo.invalid"
            made.save(update_fields=["email"])
            # Demo users come with an authenticator set up: its secret is printed, for an
            # authenticator app or ``oathtool --totp -b SECRET``.
            device = agency_services.ensure_authenticator(user=made)
            secret = agency_services.base32_secret(device)
            accounts.append((username, agency.name if agency else "no agency", title, secret))
            return made

        hub_practitioner = user("hub-practitioner", hub, "practitioner", "MASH social worker")
        hub_manager = user("hub-manager", hub, "manager", "MASH team manager")
        user("hub-dpo", hub, "dpo", "Data protection officer")
        user("admin", None, "administrator", "Administrator (Django admin)", superuser=True)
        practitioners: dict[str, User] = {}
        for code, agency in agencies.items():
            if agency.is_hub:
                continue
            practitioners[code] = user(
                f"{code}-practitioner", agency, "practitioner", f"{agency.name} practitioner"
            )
            user(f"{code}-manager", agency, "manager", f"{agency.name} manager")
        cast = Cast(
            hub=hub,
            partners={c: a for c, a in agencies.items() if not a.is_hub},
            hub_practitioner=hub_practitioner,
            hub_manager=hub_manager,
            agency_practitioners=practitioners,
        )
        return cast, accounts

    def _retention_schedules(self) -> None:
        """Each agency's retention schedule: only the rules it does not have yet, so an
        administrator's change survives a rerun."""
        from mash.retention.services import RuleSpec, ensure_rules

        added = 0
        for code, rows in RETENTION_SCHEDULES.items():
            added += ensure_rules(
                agency=Agency.objects.get(code=code),
                rules=[RuleSpec(*row) for row in rows],
            )
        total = sum(len(rows) for rows in RETENTION_SCHEDULES.values())
        self.stdout.write(
            f"Retention schedules: {added} rules added ({total} in the demo schedule)."
        )

    def _print_sign_in(self, accounts: list[tuple[str, str, str, str]], password: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING("Demo sign-in details (generated people):"))
        width = max(len(a[0]) for a in accounts)
        self.stdout.write(
            f"  {'username'.ljust(width)}  {'two-factor secret (TOTP)'.ljust(32)}  who"
        )
        for username, agency, title, secret in accounts:
            self.stdout.write(f"  {username.ljust(width)}  {secret.ljust(32)}  {title} ({agency})")
        source = "MASH_DEMO_PASSWORD" if os.environ.get("MASH_DEMO_PASSWORD") else "demo default"
        self.stdout.write(f"  Password for every account ({source}): {password}")
        self.stdout.write(
            "  After the password the hub asks for a 6-digit code: add the account's secret to "
            "an authenticator app, or run: oathtool --totp -b SECRET"
        )
        self.stdout.write("  Sign in at /sign-in (for example http://127.0.0.1:8000/sign-in).")

    # -----------------------------------------------------------------------------------

    def _enquiries(self, cast: Cast, fake: Faker) -> dict[str, int]:
        # Seeded on purpose, for the same demo data every run; never a secret (bandit B311).
        rng = random.Random(SEED)  # nosec B311
        made: dict[str, int] = {}
        created: list[Enquiry] = []
        n = 0
        for stage, count in STAGES:
            for _ in range(count):
                n += 1
                actor = cast.hub_practitioner if n % 3 else cast.hub_manager
                enquiry = self._intake(actor, fake, rng, complete=stage != "draft", step=n)
                if stage != "draft":
                    enquiry_services.submit_enquiry(enquiry=enquiry, actor=actor)
                if stage in {"asked", "answered", "closed"}:
                    self._ask_and_answer(cast, enquiry, rng, answer=stage != "asked")
                if stage == "closed":
                    self._threshold(cast, enquiry, rng)
                made[stage] = made.get(stage, 0) + 1
                created.append(enquiry)
        still_open = set(
            Enquiry.objects.filter(pk__in=[e.pk for e in created], status="open").values_list(
                "pk", flat=True
            )
        )
        self._consent_register(cast, rng, [e for e in created if e.pk in still_open])
        return made

    def _consent_register(
        self, cast: Cast, rng: random.Random, open_enquiries: list[Enquiry]
    ) -> None:
        """Consent register entries on the open enquiries, so a new user sees the register
        at work: consent given; partial consent (some agencies, some kinds of
        information); a refusal; consent given then withdrawn; a Gillick-competent child
        deciding for themselves. Recorded by the hub through the register's service (with
        its record entries), dated in the past few days; ``open_enquiries`` in the order
        they were made, so the same people get the same entries every run."""
        from mash.consent import services as consent

        hub = cast.hub_practitioner
        today = timezone.localdate()
        if len(open_enquiries) < 4:
            return
        purpose = "To understand the risk to the child and decide the hub's next step."

        def adult(enquiry: Enquiry) -> Any:
            return enquiry.people.filter(kind="parent").order_by("created_at").first()

        def child(enquiry: Enquiry) -> Any:
            return enquiry.people.filter(kind="child").order_by("created_at").first()

        given, partial, refused, withdrawn = open_enquiries[:4]
        # 1. Consent given by the parent for every agency, in writing.
        consent.record_consent(
            actor=hub,
            person=adult(given),
            status="given",
            giver="self",
            purpose=purpose,
            information_covered="What partner agencies hold about the family's circumstances",
            method="written",
            given_on=today - timedelta(days=2),
            given_time=time(10, 15),
        )
        # 2. Partial: the mother consents for her child, to health and education only,
        #    for their kinds of information, verbally (time and scope stated: explicit).
        consent.record_consent(
            actor=hub,
            person=child(partial),
            status="given",
            giver="parental_responsibility",
            giver_relationship="Mother",
            agencies=[cast.partners["health"], cast.partners["education"]],
            categories=["health", "education"],
            purpose=purpose,
            information_covered="Health visiting and school attendance records",
            method="verbal",
            given_on=today - timedelta(days=1),
            given_time=time(14, 30),
            valid_until=today + timedelta(days=90),
        )
        consent.record_consent(
            actor=hub,
            person=adult(partial),
            status="given",
            giver="self",
            agencies=[cast.partners["health"]],
            categories=["health"],
            purpose=purpose,
            information_covered="Her GP and health visiting records",
            method="verbal",
            given_on=today - timedelta(days=1),
            given_time=time(14, 40),
        )
        # 3. A refusal by the parent, for every agency.
        consent.record_consent(
            actor=hub,
            person=adult(refused),
            status="refused",
            giver="self",
            purpose=purpose,
            method="verbal",
            given_on=today - timedelta(days=1),
            given_time=time(9, 5),
        )
        # 4. Consent given in writing, then withdrawn by telephone the next day.
        earlier = consent.record_consent(
            actor=hub,
            person=adult(withdrawn),
            status="given",
            giver="self",
            purpose=purpose,
            information_covered="What partner agencies hold about the family",
            method="written",
            given_on=today - timedelta(days=3),
        )
        consent.withdraw_consent(
            actor=hub,
            withdraws=earlier,
            giver="self",
            method="verbal",
            given_on=today - timedelta(days=2),
            given_time=time(16, 0),
        )
        # 5. A Gillick-competent child (the oldest child of the open enquiries) gives
        #    consent for themselves, to health only.
        oldest = (
            Person.objects.filter(
                enquiry__in=open_enquiries, kind="child", date_of_birth__isnull=False
            )
            .order_by("date_of_birth", "pk")
            .first()
        )
        if oldest is not None:
            consent.record_consent(
                actor=hub,
                person=oldest,
                status="given",
                giver="self",
                gillick_competent=True,
                agencies=[cast.partners["health"]],
                purpose=purpose,
                information_covered="Their school nurse and sexual health clinic records",
                method="written",
                given_on=today - timedelta(days=rng.randint(1, 3)),
                given_time=time(11, 0),
            )

    def _threshold(self, cast: Cast, enquiry: Enquiry, rng: random.Random) -> None:
        """The practitioner's threshold decision, authorised by the manager (closing
        the enquiry)."""
        from mash.enquiries import threshold

        position, outcomes = rng.choice(OUTCOMES)
        level = next(lv for lv in threshold.levels_for(enquiry.hub_id) if lv.position == position)
        decision = threshold.record_threshold_decision(
            enquiry=enquiry,
            actor=cast.hub_practitioner,
            level_id=str(level.pk),
            outcomes=outcomes,
            referral_service="",
            rationale="Decision agreed at the MASH meeting in light of what the agencies shared.",
        )
        threshold.authorise_threshold_decision(decision=decision, actor=cast.hub_manager)

    def _intake(
        self, actor: User, fake: Faker, rng: random.Random, *, complete: bool, step: int
    ) -> Enquiry:
        e = enquiry_services
        enquiry = e.start_enquiry(actor=actor)
        received = fake.date_time_between(start_date="-6d", end_date="-1h", tzinfo=UTC)
        e.update_received(enquiry=enquiry, actor=actor, received_at=received)
        source = rng.choice(["professional", "professional", "public", "anonymous"])
        e.update_source(enquiry=enquiry, actor=actor, source=source)
        if source == "professional":
            e.update_referrer(
                enquiry=enquiry,
                actor=actor,
                name=fake.name(),
                role=rng.choice(["Class teacher", "Health visitor", "School nurse", "GP"]),
                organisation=f"{fake.last_name()} {rng.choice(['Primary School', 'Surgery'])}",
                contact=fake.phone_number(),
            )
        elif source == "public":
            e.update_referrer(
                enquiry=enquiry,
                actor=actor,
                name=fake.name(),
                role="Neighbour",
                organisation="",
                contact=fake.phone_number(),
            )
        family = fake.last_name()
        child = fake.first_name()
        if not complete and step == 1:
            return enquiry  # a draft stopped after the first pages
        e.update_concern(
            enquiry=enquiry, actor=actor, concern=rng.choice(CONCERNS).format(child=child)
        )
        e.update_immediate_danger(enquiry=enquiry, actor=actor, immediate_danger=False)
        today = timezone.localdate()
        e.add_person(
            enquiry=enquiry,
            actor=actor,
            details=e.PersonDetails(
                kind="child",
                first_name=child,
                last_name=family,
                date_of_birth=today - timedelta(days=rng.randint(365 * 2, 365 * 15)),
                address=fake.address(),
                school_or_setting=f"{fake.last_name()} Primary School",
                role_in_concern="Subject of the concern",
            ),
        )
        if rng.random() < 0.5:
            e.add_person(
                enquiry=enquiry,
                actor=actor,
                details=e.PersonDetails(
                    kind="child",
                    first_name=fake.first_name(),
                    last_name=family,
                    estimated_age=rng.randint(1, 16),
                    role_in_concern="Sibling",
                ),
            )
        e.add_person(
            enquiry=enquiry,
            actor=actor,
            details=e.PersonDetails(
                kind="parent",
                first_name=fake.first_name(),
                last_name=family,
                date_of_birth=date(rng.randint(1975, 2000), rng.randint(1, 12), rng.randint(1, 28)),
                relationship="Mother",
            ),
        )
        if not complete and step == 2:
            return enquiry  # a draft stopped at the people
        if rng.random() < 0.4:
            e.update_consent_to_refer(
                enquiry=enquiry, actor=actor, consent="obtained", obtained_from="the child's mother"
            )
        else:
            e.update_consent_to_refer(
                enquiry=enquiry,
                actor=actor,
                consent="not_obtained",
                reason_not_obtained="Asking the family first could place the child at further "
                "risk of harm.",
            )
        rag = rng.choice(["red", "amber", "amber", "green"])
        e.update_urgency(
            enquiry=enquiry,
            actor=actor,
            rag=rag,
            rationale={
                "red": "Possible physical harm; the child may be at risk of significant harm.",
                "amber": "Repeated concerns that need a picture from partners today.",
                "green": "No immediate risk; partners' information will inform early help.",
            }[rag],
        )
        return enquiry

    def _ask_and_answer(
        self, cast: Cast, enquiry: Enquiry, rng: random.Random, *, answer: bool
    ) -> None:
        from mash.sharing import services as sharing
        from mash.timeliness.config import hub_clock

        codes = rng.sample(sorted(cast.partners), k=rng.randint(2, 3))
        people = list(enquiry.people.all())
        start = timezone.now()
        deadline = hub_clock(enquiry.hub_id).deadline(start, enquiry.rag) or start + timedelta(
            days=3
        )
        requests = sharing.send_requests(
            actor=cast.hub_practitioner,
            enquiry=enquiry,
            agencies=[cast.partners[c] for c in codes],
            people=people,
            purpose="To understand the risk to the child and decide the hub's next step.",
            deadline=deadline,
        )
        if not answer:
            return
        child = next(p for p in people if p.kind == "child")
        for n, request in enumerate(requests):
            code = request.agency.code
            by = cast.agency_practitioners[code]
            if n == 1 and rng.random() < 0.5:
                sharing.record_decision(
                    actor=by,
                    request=request,
                    question=NO_SHARE_QUESTION,
                    not_sharing_reasons="Nothing held is relevant to the concern.",
                    discussed_at=timezone.now(),
                    discussed_with="MASH social worker",
                    discussion_notes="Agreed nothing further is needed from us.",
                )
                continue
            items = [
                sharing.ItemInput(
                    text=text,
                    nature=nature,
                    recorded_on=timezone.localdate() - timedelta(days=rng.randint(3, 200)),
                    source=f"{request.agency.name} case record",
                    currency="current",
                    people=[child],
                )
                for nature, text in ITEMS[code]
            ]
            sharing.record_decision(
                actor=by,
                request=request,
                question=SHARE_QUESTION,
                justification="The child is believed to be at risk of significant harm.",
                informed=InformAnswer(
                    "not_told",
                    ground="risk_of_harm",
                    reason="Telling the family now could increase the risk to the child.",
                ),
                adequacy_confirmed=True,
                items=items,
            )
