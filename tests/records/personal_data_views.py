"""Which pages and API operations show personal data. Every URL pattern and every API
operation must be listed here (tests/records/test_every_view_is_classified.py fails,
naming it, if one is not):

- ``ShowsPersonalData(who=..., kwargs=..., query=...)``: the test signs in as ``who``
  (a key of the shared ``cast``, or "administrator"), requests the page with real
  objects, and checks that the response wrote a record entry (``expect``: by default
  any ``*.viewed`` action; lists write ``*.listed``) by that user;
- ``NoPersonalData("one-line reason")``;
- ``RefusedToAll(who=..., kwargs=...)``: a page the hub offers nobody (the admin of a
  read-only model has no add or delete page); the test asks as ``who`` and checks the
  answer is 403 and the refusal is recorded (``access.denied``).

``needs`` names objects that must exist before the page is asked for (a list shows
nothing, and records nothing, when it is empty); ``prepare`` gets the objects and the
signed-in client, to walk the pages a user would walk first (answers kept in the
session, say).

To add your pages: add your url names to ``URLS`` (API operations, as
"METHOD /api/v1/path/{param}", to ``API_OPERATIONS``). ``kwargs``/``query`` get an
``Objects``: the cast plus an enquiry with a child, made on first use; add a cached
property there for the objects your pages need (requests, decisions, ...).

The Django admin is classified by rule (``classify_admin``): its pages show users,
agencies and whatever apps register there, and the record middleware writes an
``admin.viewed`` entry for each; only the sign-in/out, password and JavaScript pages
show nobody's information. It is in scope, not exempt: an administrator browsing
users is a view of personal data like any other. A page is expected to be shown only
if the model's admin offers it to a superuser (``has_add_permission``,
``has_delete_permission``, ``has_view_or_change_permission``); the pages it refuses
are ``RefusedToAll``: apps change personal data only through their services, which
write the record, so their admins are read only by design.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.test import Client


class Objects:
    """Real objects for building URLs: the cast, the agencies, and more on first use."""

    def __init__(self, cast: dict[str, Any], agencies: dict[str, Any]) -> None:
        self.cast = cast
        self.agencies = agencies

    def user(self, who: str) -> Any:
        if who == "administrator":
            return self.administrator
        return self.cast[who]

    @cached_property
    def administrator(self) -> Any:
        from mash.agencies.models import User

        return User.objects.create_superuser(
            username="ada",
            password="not used: force_login",
            agency=self.agencies["hub"],
            role="administrator",
        )

    @cached_property
    def enquiry(self) -> Any:
        from tests.records.fixtures import make_enquiry

        return make_enquiry(self.cast, self.agencies)

    @cached_property
    def threshold_decision(self) -> Any:
        from mash.enquiries import threshold

        level = threshold.levels_for(self.enquiry.hub_id)[0]
        return threshold.record_threshold_decision(
            enquiry=self.enquiry,
            actor=self.cast["hub_practitioner"],
            level_id=str(level.pk),
            outcomes=["no_further_action"],
            referral_service="",
            rationale="Nothing further is needed.",
        )

    @cached_property
    def concern(self) -> Any:
        """A concern the police practitioner raised with the hub."""
        from tests.enquiries.concern_helpers import raise_one

        return raise_one(self.cast["police_practitioner"], self.agencies["hub"])

    @cached_property
    def strategy_discussion(self) -> Any:
        """A professional referral whose authorised decision called for a strategy
        discussion, which the police attended with an action for their practitioner."""
        from datetime import timedelta

        from django.utils import timezone

        from mash.enquiries import strategy, threshold
        from mash.enquiries.models import Enquiry
        from tests.records.fixtures import make_enquiry

        enquiry = make_enquiry(self.cast, self.agencies)
        Enquiry.objects.filter(pk=enquiry.pk).update(
            source="professional", referrer_name="Sam", referrer_contact="sam@example.org"
        )
        enquiry.refresh_from_db()
        decision = threshold.record_threshold_decision(
            enquiry=enquiry,
            actor=self.cast["hub_practitioner"],
            level_id=str(threshold.levels_for(enquiry.hub_id)[3].pk),
            outcomes=["strategy_discussion"],
            referral_service="",
            rationale="Significant harm suspected.",
        )
        threshold.authorise_threshold_decision(decision=decision, actor=self.cast["hub_manager"])
        return strategy.record_strategy_discussion(
            decision=decision,
            actor=self.cast["hub_practitioner"],
            meeting=strategy.Meeting(
                held_at=timezone.now() - timedelta(hours=1),
                chair_id=str(self.cast["hub_manager"].pk),
                decisions="Section 47 enquiries start",
                attendances=[
                    strategy.Attendance(
                        agency_id=str(self.agencies["police"].pk),
                        attendees="DS Priya",
                        contribution="Call-outs",
                    )
                ],
                actions=[
                    strategy.ActionInput(
                        description="Check the record",
                        owner_id=str(self.cast["police_practitioner"].pk),
                        due_on=timezone.localdate() + timedelta(days=2),
                    )
                ],
            ),
        )

    @cached_property
    def hub_timeliness(self) -> Any:
        from mash.timeliness.config import ensure_defaults

        return ensure_defaults(self.agencies["hub"])

    @cached_property
    def person(self) -> Any:
        return self.enquiry.people.first()

    @cached_property
    def indexed_person(self) -> Any:
        """The person's master record in the person index (made when indexed)."""
        from mash.people import services

        return services.index_person(person=self.person).indexed_person

    @cached_property
    def people_search(self) -> Any:
        """A search the hub practitioner made for the person's family name."""
        from mash.people import search as finding
        from mash.people import services

        terms = finding.parse_terms(self.person.last_name)
        return services.record_search(
            actor=self.cast["hub_practitioner"], terms=terms.as_dict(), results=1
        )

    @cached_property
    def advice_contact(self) -> Any:
        from mash.guidance.models import AdviceContact

        return AdviceContact.objects.create(
            kind="helpline", name="MASH helpline", phone="01632 960000", hours="9 to 5"
        )

    @cached_property
    def group(self) -> Any:
        from django.contrib.auth.models import Group

        return Group.objects.create(name="Readers")

    @cached_property
    def draft(self) -> Any:
        """A draft enquiry (the intake's pages) with one child, by the hub practitioner."""
        from datetime import date

        from mash.enquiries import services
        from tests.records.fixtures import fake

        actor = self.cast["hub_practitioner"]
        enquiry = services.start_enquiry(actor=actor)
        services.add_person(
            enquiry=enquiry,
            actor=actor,
            details=services.PersonDetails(
                kind="child",
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                date_of_birth=date(2019, 3, 14),
            ),
        )
        return enquiry

    @cached_property
    def draft_person(self) -> Any:
        return self.draft.people.get()

    def _ask(self, agency: str) -> Any:
        from datetime import timedelta

        from django.utils import timezone

        from mash.sharing import services

        [request] = services.send_requests(
            actor=self.cast["hub_practitioner"],
            enquiry=self.enquiry,
            agencies=[self.agencies[agency]],
            people=[self.person],
            purpose="To understand what is known about the child's home",
            deadline=timezone.now() + timedelta(hours=24),
        )
        return request

    @cached_property
    def request(self) -> Any:
        """An open request to the police about the enquiry's child."""
        return self._ask("police")

    @cached_property
    def decision(self) -> Any:
        """Health's decision to share one item about the child (significant harm)."""
        from tests.sharing.factories import share_over_refusal

        return share_over_refusal(
            self.cast["health_practitioner"],
            self._ask("health"),
            text="Attended A&E with a bruised arm",
            source="A&E attendance record",
            people=[self.person],
        )

    @cached_property
    def dispute(self) -> Any:
        """The child's challenge, still open, to health's item."""
        from django.utils import timezone

        from mash.retention import services

        return services.record_dispute(
            actor=self.cast["dpo"],
            item=self.decision.items.get(),
            person=self.person,
            statement="I did not attend A&E that week",
            received_on=timezone.localdate(),
        )

    @cached_property
    def sar_review(self) -> Any:
        """The DPO's subject access export of the enquiry's child, in review."""
        from mash.retention import services

        return services.prepare_subject_access_review(actor=self.cast["dpo"], people=[self.person])

    @cached_property
    def advice(self) -> Any:
        """The police practitioner's question to a police manager on the open request."""
        from mash.sharing import services

        return services.ask_advice(
            actor=self.cast["police_practitioner"],
            request=self.request,
            adviser="agency_manager",
            question="Is the risk of significant harm enough to share without consent?",
        )

    @cached_property
    def held_decision(self) -> Any:
        """A police share over a refusal of consent, held for a police manager's sign-off."""
        from tests.sharing.factories import share_over_refusal

        return share_over_refusal(
            self.cast["police_practitioner"],
            self.request,
            text="Two call-outs to the address",
            people=[self.person],
        )

    @cached_property
    def onward_case(self) -> Any:
        """An enquiry whose police decision shares an item the hub may pass on and one it
        must ask the police about first (tests/sharing/onward_helpers.py)."""
        from tests.sharing.onward_helpers import make_case

        return make_case(self.cast, self.agencies)

    @cached_property
    def onward_ask(self) -> Any:
        """The hub asks the police whether it may pass their item on to health."""
        from tests.sharing.onward_helpers import ask

        return ask(self.cast["hub_practitioner"], self.onward_case, self.agencies["health"])

    @cached_property
    def onward_share(self) -> Any:
        """The hub passed the police's item on to health."""
        from tests.sharing.onward_helpers import pass_free_item

        return pass_free_item(
            self.cast["hub_practitioner"], self.onward_case, self.agencies["health"]
        )

    @cached_property
    def sharing_settings(self) -> Any:
        from mash.sharing.models import SharingSettings

        return SharingSettings.objects.create(hub=self.agencies["hub"])

    @cached_property
    def glass_break(self) -> Any:
        """The enquiry restricted to the hub manager; the hub practitioner broke the glass."""
        from mash.enquiries import services

        services.restrict_enquiry(
            enquiry=self.enquiry,
            actor=self.cast["hub_manager"],
            users=[],
            reason="The child of a member of staff",
        )
        return services.break_glass(
            enquiry=self.enquiry,
            actor=self.cast["hub_practitioner"],
            reason="Covering the duty desk",
        )

    @cached_property
    def consent(self) -> Any:
        """Consent given by the child's parent, with a (generated) signed form."""
        from datetime import date

        from django.core.files.uploadedfile import SimpleUploadedFile

        from mash.consent import services
        from tests.consent.forms import pdf

        form = pdf()
        return services.record_consent(
            actor=self.cast["hub_practitioner"],
            person=self.person,
            status="given",
            giver="parental_responsibility",
            giver_relationship="mother",
            purpose="MASH enquiry",
            method="written",
            given_on=date(2026, 1, 3),
            evidence=SimpleUploadedFile("form.pdf", form, content_type="application/pdf"),
        )

    @cached_property
    def retention_rule(self) -> Any:
        from mash.retention.models import RetentionRule

        return RetentionRule.objects.create(
            agency=self.agencies["hub"],
            kind="enquiry_nfa",
            amount=2,
            unit="years",
            trigger="closed",
            reason="Local authority retention schedule",
        )

    @cached_property
    def hold(self) -> Any:
        """A hold on the enquiry, placed by the DPO."""
        from datetime import timedelta

        from django.utils import timezone

        from mash.retention import services

        return services.place_hold(
            actor=self.cast["dpo"],
            scope="enquiry",
            enquiry=self.enquiry,
            reason="An independent inquiry has asked for these records",
            review_on=timezone.localdate() + timedelta(days=90),
        )

    @cached_property
    def sweep_batch(self) -> Any:
        """A sweep batch awaiting the DPO's approval (the hub's settings ask for it)."""
        from tests.retention.batches import pending_batch

        return pending_batch(self.agencies["hub"], self.cast["hub_practitioner"])

    @cached_property
    def retention_settings(self) -> Any:
        from tests.retention.batches import require_approval

        return require_approval(self.agencies["hub"])

    @cached_property
    def tombstone(self) -> Any:
        """What a sweep leaves of a destroyed enquiry."""
        from django.utils import timezone

        from mash.retention.models import SweepRun, Tombstone

        run = SweepRun.objects.create(started_at=timezone.now(), today=timezone.localdate())
        rule = self.retention_rule
        return Tombstone.objects.create(
            kind="enquiry_nfa",
            object_type="enquiries.enquiry",
            object_id=uuid.uuid4(),
            enquiry_id=uuid.uuid4(),
            hub=self.agencies["hub"],
            rule_agency=rule.agency,
            rule=rule,
            rule_applied=rule.describe(),
            retention_ended=timezone.localdate(),
            destroyed_at=timezone.now(),
            sweep=run,
        )


def _found_for_subject_access(objects: Objects, client: Client) -> None:
    """Search for the enquiry's child, as the DPO would, so the results page has them."""
    person = objects.person
    client.post(
        "/retention/subject-access",
        {"first_name": person.first_name, "last_name": person.last_name},
    )


def _nothing(objects: Objects) -> dict[str, Any]:
    return {}


def _no_query(objects: Objects) -> str:
    return ""


def _no_preparation(objects: Objects, client: Client) -> None:
    return None


@dataclass(frozen=True)
class ShowsPersonalData:
    who: str
    kwargs: Callable[[Objects], dict[str, Any]] = field(default=_nothing)
    query: Callable[[Objects], str] = field(default=_no_query)
    expect: str = ".viewed"  # an action name, or a suffix starting with "."
    needs: Callable[[Objects], Any] = field(default=_nothing)
    prepare: Callable[[Objects, Client], None] = field(default=_no_preparation)


@dataclass(frozen=True)
class NoPersonalData:
    reason: str


@dataclass(frozen=True)
class RefusedToAll:
    who: str
    kwargs: Callable[[Objects], dict[str, Any]] = field(default=_nothing)
    expect: str = "access.denied"


Classification = ShowsPersonalData | NoPersonalData | RefusedToAll


def _walk_to_the_decision(objects: Objects, client: Client) -> None:
    """Answer the guided decision's questions, as the police practitioner would."""
    from tests.sharing.pages import TO_SIGNIFICANT_HARM, walk

    walk(client, objects.request, TO_SIGNIFICANT_HARM)


URLS: dict[str, Classification] = {
    "start": NoPersonalData("the start page: the service's name and a sign-in button"),
    "sign-in": NoPersonalData("the sign-in form; it shows back only what was just typed"),
    "sign-out": NoPersonalData("POST only; signs out and redirects"),
    "timeliness:notifications": NoPersonalData(
        "the user's own notifications: references, agency names and links, never a "
        "person's details (tests/timeliness/test_notifications_page.py checks)"
    ),
    "two-factor": NoPersonalData("the sign-in's second step: a field for a code"),
    "two-factor-set-up": NoPersonalData(
        "setting up one's own authenticator: a QR code of one's own secret, nobody else's"
    ),
    "recovery-codes": NoPersonalData("one's own recovery codes, shown once after set-up"),
    "admin-sign-in": NoPersonalData("redirects the admin's own sign-in page to the hub's"),
    "account": NoPersonalData("one's own username and a sign-out-everywhere button"),
    "sign-out-everywhere": NoPersonalData("POST only; ends one's own sessions, redirects"),
    "oidc_authentication_init": NoPersonalData(
        "redirects to the agency's identity provider (404 while OpenID Connect is off)"
    ),
    "oidc_authentication_callback": NoPersonalData(
        "back from the identity provider: signs in or refuses, and redirects"
    ),
    "records:dashboard": ShowsPersonalData(who="dpo"),
    "records:activity": ShowsPersonalData(who="dpo", query=lambda o: f"enquiry={o.enquiry.pk}"),
    "records:export": ShowsPersonalData(
        who="dpo", query=lambda o: f"enquiry={o.enquiry.pk}", expect="export.downloaded"
    ),
    "records:denied": ShowsPersonalData(who="police_manager"),
    "healthz": NoPersonalData(
        "the load balancer's health check: whether the database answers and is migrated"
    ),
    "decision-check": NoPersonalData(
        "the guidance's decision on answers typed into the form; stores and looks up nothing"
    ),
    "guidance:version": NoPersonalData("the published text of a version of the guidance"),
    "enquiries:list": ShowsPersonalData(
        who="hub_practitioner", needs=lambda o: o.enquiry, expect="enquiry.listed"
    ),
    "enquiries:start": NoPersonalData("the intake's start page: what it asks, and a button"),
    "enquiries:detail": ShowsPersonalData(
        who="hub_practitioner", kwargs=lambda o: {"enquiry_id": o.enquiry.pk}
    ),
    "enquiries:people": ShowsPersonalData(
        who="hub_practitioner", kwargs=lambda o: {"enquiry_id": o.draft.pk}
    ),
    "enquiries:person-add": NoPersonalData(
        "an empty form to add a person, under the enquiry's reference: nobody's details"
    ),
    "enquiries:person-change": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"enquiry_id": o.draft.pk, "person_id": o.draft_person.pk},
    ),
    "enquiries:person-remove": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"enquiry_id": o.draft.pk, "person_id": o.draft_person.pk},
    ),
    "enquiries:person-date-of-death": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"enquiry_id": o.enquiry.pk, "person_id": o.person.pk},
    ),
    "enquiries:check": ShowsPersonalData(
        who="hub_practitioner", kwargs=lambda o: {"enquiry_id": o.draft.pk}
    ),
    "enquiries:submitted": NoPersonalData(
        "the confirmation panel: the enquiry's generated reference and what happens next"
    ),
    "enquiries:close": ShowsPersonalData(
        who="hub_manager", kwargs=lambda o: {"enquiry_id": o.enquiry.pk}
    ),
    "enquiries:step": ShowsPersonalData(
        who="hub_practitioner", kwargs=lambda o: {"enquiry_id": o.draft.pk, "step": "concern"}
    ),
    "enquiries:restrict": ShowsPersonalData(
        who="hub_manager", kwargs=lambda o: {"enquiry_id": o.enquiry.pk}
    ),
    "enquiries:unrestrict": NoPersonalData("POST only; lifts the restriction and redirects"),
    "enquiries:break-glass": NoPersonalData(
        "the form asking why: the enquiry's reference and nothing else of it"
    ),
    "enquiries:glass-breaks": ShowsPersonalData(
        who="dpo", needs=lambda o: o.glass_break, expect="glass_break.listed"
    ),
    "enquiries:glass-break-review": NoPersonalData("POST only; marks reviewed and redirects"),
    "my-work": ShowsPersonalData(
        who="hub_practitioner", needs=lambda o: o.enquiry, expect="work.listed"
    ),
    "enquiries:take": NoPersonalData("POST only; takes the enquiry and redirects"),
    "enquiries:feedback": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"enquiry_id": o.strategy_discussion.enquiry_id},
    ),
    "enquiries:strategy": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"enquiry_id": o.strategy_discussion.enquiry_id},
        expect="strategy.viewed",
    ),
    "concerns:list": ShowsPersonalData(
        who="police_practitioner", needs=lambda o: o.concern, expect="concern.listed"
    ),
    "concerns:new": NoPersonalData("the empty form, with the user's own e-mail address"),
    "concerns:detail": ShowsPersonalData(
        who="police_practitioner",
        kwargs=lambda o: {"concern_id": o.concern.pk},
        expect="concern.viewed",
    ),
    "strategy:list": ShowsPersonalData(
        who="police_practitioner",
        needs=lambda o: o.strategy_discussion,
        expect="strategy.listed",
    ),
    "strategy:record": ShowsPersonalData(
        who="police_practitioner",
        kwargs=lambda o: {"discussion_id": o.strategy_discussion.pk},
        expect="strategy.viewed",
    ),
    "strategy:action-done": NoPersonalData("POST only; marks the action done and redirects"),
    "enquiries:threshold-review": ShowsPersonalData(
        who="hub_manager",
        kwargs=lambda o: {
            "enquiry_id": o.threshold_decision.enquiry_id,
            "decision_id": o.threshold_decision.pk,
        },
        expect="threshold.viewed",
    ),
    "enquiries:allocate": NoPersonalData(
        "the enquiry's reference and the hub's own staff to choose from: nobody in the case"
    ),
    "sharing:inbox": ShowsPersonalData(
        who="police_practitioner", needs=lambda o: o.request, expect="request.listed"
    ),
    "sharing:request-create": ShowsPersonalData(
        who="hub_practitioner", kwargs=lambda o: {"enquiry_id": o.enquiry.pk}
    ),
    "sharing:request": ShowsPersonalData(
        who="police_practitioner", kwargs=lambda o: {"request_id": o.request.pk}
    ),
    "sharing:withdraw": ShowsPersonalData(
        who="hub_practitioner", kwargs=lambda o: {"request_id": o.request.pk}
    ),
    "sharing:answer-start": NoPersonalData("POST only; starts the answers and redirects"),
    "sharing:offer": NoPersonalData("POST only; opens the agency's offer and redirects"),
    "guidance:golden-rules": NoPersonalData(
        "the guidance's seven golden rules and the hub's advice contacts: nothing of a case"
    ),
    "people:search": NoPersonalData(
        "the search box; the terms are posted and the results shown at their own address"
    ),
    "people:results": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"search_id": o.people_search.pk},
        expect="people.searched",
    ),
    "people:suggestion-confirm": NoPersonalData(
        "POST only; confirms a suggested match (recorded by the service) and redirects"
    ),
    "people:suggestion-reject": NoPersonalData(
        "POST only; rejects a suggested match (recorded by the service) and redirects"
    ),
    "people:chronology": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"indexed_person_id": o.indexed_person.pk},
        expect="people.chronology_viewed",
    ),
    "people:chronology-pdf": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"indexed_person_id": o.indexed_person.pk},
        expect="people.chronology_printed",
    ),
    "people:merge": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"indexed_person_id": o.indexed_person.pk},
        expect="person.viewed",
    ),
    "people:merges": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"indexed_person_id": o.indexed_person.pk},
        expect="person.viewed",
    ),
    "people:unmerge": NoPersonalData(
        "POST only; undoes a merge (recorded by the service) and redirects"
    ),
    "sharing:answer-decision": ShowsPersonalData(
        who="police_practitioner",
        kwargs=lambda o: {"request_id": o.request.pk},
        prepare=_walk_to_the_decision,
    ),
    "sharing:answer": ShowsPersonalData(
        who="police_practitioner", kwargs=lambda o: {"request_id": o.request.pk, "step": "purpose"}
    ),
    "sharing:decision": ShowsPersonalData(
        who="health_practitioner", kwargs=lambda o: {"decision_id": o.decision.pk}
    ),
    "sharing:told": ShowsPersonalData(
        who="health_practitioner",
        kwargs=lambda o: {
            "decision_id": o.decision.pk,
            "person_id": o.decision.informing.get().person_id,
        },
    ),
    "sharing:correct": NoPersonalData("POST only; fills a correction from a decision, redirects"),
    "sharing:advice-ask": ShowsPersonalData(
        who="police_practitioner", kwargs=lambda o: {"request_id": o.request.pk}
    ),
    "sharing:advice-list": ShowsPersonalData(
        who="police_manager", needs=lambda o: o.advice, expect="advice.listed"
    ),
    "sharing:advice": ShowsPersonalData(
        who="police_manager", kwargs=lambda o: {"advice_id": o.advice.pk}
    ),
    "sharing:signoff-list": ShowsPersonalData(
        who="police_manager", needs=lambda o: o.held_decision, expect="signoff.listed"
    ),
    "sharing:signoff": ShowsPersonalData(
        who="police_manager", kwargs=lambda o: {"decision_id": o.held_decision.pk}
    ),
    "sharing:onward-received": ShowsPersonalData(
        who="police_practitioner", needs=lambda o: o.onward_ask, expect="onward.listed"
    ),
    "sharing:onward-new": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"enquiry_id": o.onward_case.enquiry.pk},
        expect="disclosure.viewed",
    ),
    "sharing:onward-ask": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {
            "enquiry_id": o.onward_case.enquiry.pk,
            "item_id": o.onward_case.ask_first.pk,
        },
        expect="disclosure.viewed",
    ),
    "sharing:onward-answer": ShowsPersonalData(
        who="police_practitioner",
        kwargs=lambda o: {"ask_id": o.onward_ask.pk},
        expect="disclosure.viewed",
    ),
    "sharing:onward-share": ShowsPersonalData(
        who="health_practitioner", kwargs=lambda o: {"share_id": o.onward_share.pk}
    ),
    "reports:print-decision": ShowsPersonalData(
        who="health_practitioner",
        kwargs=lambda o: {"decision_id": o.decision.pk},
        expect="record.printed",
    ),
    "reports:print-enquiry": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"enquiry_id": o.enquiry.pk},
        expect="record.printed",
    ),
    "reports:dashboard": NoPersonalData(
        "counts, shares and response times for a period and agency: nobody's details"
    ),
    "reports:guidance": NoPersonalData("counts of decisions by what the guidance asks"),
    "reports:export": NoPersonalData(
        "one aggregate table as CSV or XLSX; the download is still recorded as an export"
    ),
    "reports:decisions": ShowsPersonalData(
        who="hub_manager",
        needs=lambda o: o.decision,
        query=lambda o: (
            "figure=advice&value=no&from_day=1&from_month=1&from_year=2000"
            "&to_day=31&to_month=12&to_year=2100"
        ),
        expect="report.listed",
    ),
    "reports:feedback": ShowsPersonalData(
        who="hub_manager",
        needs=lambda o: o.threshold_decision,
        query=lambda o: (
            "value=owed&from_day=1&from_month=1&from_year=2000&to_day=31&to_month=12&to_year=2100"
        ),
        expect="report.listed",
    ),
    "reports:performance": NoPersonalData(
        "counts and response times per agency and rating for a date range: nobody's details"
    ),
    "reports:performance-csv": NoPersonalData(
        "the same aggregate figures as CSV; the download is still recorded as an export"
    ),
    "consent:person": ShowsPersonalData(
        who="hub_practitioner", kwargs=lambda o: {"person_id": o.person.pk}
    ),
    "consent:record": ShowsPersonalData(
        who="hub_practitioner", kwargs=lambda o: {"person_id": o.person.pk}
    ),
    "consent:withdraw": ShowsPersonalData(
        who="hub_practitioner", kwargs=lambda o: {"record_id": o.consent.pk}
    ),
    "consent:evidence": ShowsPersonalData(
        who="hub_practitioner", kwargs=lambda o: {"record_id": o.consent.pk}
    ),
    "consent:fhir": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"record_id": o.consent.pk},
        expect="export.downloaded",
    ),
    "retention:preview": ShowsPersonalData(who="dpo", needs=lambda o: o.retention_rule),
    "retention:holds": ShowsPersonalData(who="dpo", needs=lambda o: o.hold),
    "retention:hold-hub": NoPersonalData("an empty form to hold the whole hub: the hub's name"),
    "retention:hold-enquiry": NoPersonalData(
        "an empty form to hold an enquiry, under its reference: nobody's details"
    ),
    "retention:hold-person": ShowsPersonalData(
        who="dpo", kwargs=lambda o: {"target_id": o.person.pk}
    ),
    "retention:hold-release": NoPersonalData("POST only; releases a hold and redirects"),
    "retention:batches": ShowsPersonalData(who="dpo", needs=lambda o: o.sweep_batch),
    "retention:batch": ShowsPersonalData(
        who="dpo", kwargs=lambda o: {"batch_id": o.sweep_batch.pk}
    ),
    "retention:item": ShowsPersonalData(
        who="dpo", kwargs=lambda o: {"item_id": o.decision.items.get().pk}
    ),
    "retention:item-correct": ShowsPersonalData(
        who="dpo", kwargs=lambda o: {"item_id": o.decision.items.get().pk}
    ),
    "retention:dispute-stands": ShowsPersonalData(
        who="dpo",
        kwargs=lambda o: {"item_id": o.decision.items.get().pk, "dispute_id": o.dispute.pk},
    ),
    "retention:sar-search": NoPersonalData(
        "an empty search form (name, date of birth); the search is posted and recorded. "
        "Exports in review are listed by count, date and DPO only, naming nobody"
    ),
    "retention:sar-results": ShowsPersonalData(who="dpo", prepare=_found_for_subject_access),
    "retention:sar-review": ShowsPersonalData(
        who="dpo", kwargs=lambda o: {"review_id": o.sar_review.pk}
    ),
    "retention:sar-review-export": NoPersonalData(
        "POST only; the ZIP it answers is recorded as an export (export.downloaded)"
    ),
    "api:openapi-json": NoPersonalData("the API's OpenAPI description: schemas, no data"),
    "api:openapi-view": NoPersonalData("the interactive API docs page: loads openapi.json"),
    "api:api-root": NoPersonalData("the API's root: links to the docs, no data"),
}

API_OPERATIONS: dict[str, Classification] = {
    "POST /api/v1/decisions/evaluate": NoPersonalData(
        "the guidance's decision on the question sent; stores and looks up nothing"
    ),
    "GET /api/v1/decisions/{decision_id}": ShowsPersonalData(
        who="health_practitioner", kwargs=lambda o: {"decision_id": o.decision.pk}
    ),
    "GET /api/v1/consent/people/{person_id}/position": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"person_id": o.person.pk},
        query=lambda o: "agency=police",
    ),
    "POST /api/v1/consent/people/{person_id}/records": NoPersonalData(
        "a write: the service records consent.recorded with it; the answer echoes the new "
        "record's codes and dates"
    ),
    "GET /api/v1/requests/{request_id}": ShowsPersonalData(
        who="police_practitioner", kwargs=lambda o: {"request_id": o.request.pk}
    ),
    "POST /api/v1/people/search": NoPersonalData(
        "covered by tests/api/test_people_api.py: the words are in the body, the search is "
        "recorded (people.searched) with them sealed"
    ),
    "GET /api/v1/people/{indexed_person_id}/chronology": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"indexed_person_id": o.indexed_person.pk},
        expect="people.chronology_viewed",
    ),
    "GET /api/v1/consent/records/{record_id}/fhir": ShowsPersonalData(
        who="hub_practitioner",
        kwargs=lambda o: {"record_id": o.consent.pk},
        expect="export.downloaded",
    ),
}


# Objects for the admin's change/delete/history pages, by model label; a model an app
# registers in the admin needs one here (or any row in its table).
def _need_level(o: Objects) -> Any:
    from mash.enquiries.threshold import levels_for

    return levels_for(o.agencies["hub"])[0]


ADMIN_OBJECTS: dict[str, Callable[[Objects], Any]] = {
    "agencies.agency": lambda o: o.agencies["police"],
    "agencies.user": lambda o: o.cast["police_practitioner"],
    "auth.group": lambda o: o.group,
    "enquiries.enquiry": lambda o: o.enquiry,
    "enquiries.person": lambda o: o.person,
    "enquiries.needlevel": lambda o: _need_level(o),
    "sharing.informationrequest": lambda o: o.request,
    "sharing.decision": lambda o: o.decision,
    "sharing.sharingsettings": lambda o: o.sharing_settings,
    "consent.consentrecord": lambda o: o.consent,
    "timeliness.hubtimeliness": lambda o: o.hub_timeliness,
    "timeliness.notice": lambda o: _notice(o),
    "timeliness.workerheartbeat": lambda o: _heartbeat(),
    # django-axes: failed sign-ins and sign-in logs (the administrator unlocks here).
    "axes.accessattempt": lambda o: _axes_row("AccessAttempt", failures_since_start=1),
    "axes.accesslog": lambda o: _axes_row("AccessLog"),
    "axes.accessfailurelog": lambda o: _axes_row("AccessFailureLog"),
    "retention.retentionrule": lambda o: o.retention_rule,
    "retention.hold": lambda o: o.hold,
    "retention.tombstone": lambda o: o.tombstone,
    "retention.sweeprun": lambda o: o.tombstone.sweep,
    "retention.retentionsettings": lambda o: o.retention_settings,
    "guidance.sharingpurpose": lambda o: _purpose(),
    "guidance.agencylawfulbases": lambda o: _lawful_bases(o),
    "guidance.advicecontact": lambda o: o.advice_contact,
}


def _purpose() -> Any:
    from mash.guidance.models import SharingPurpose

    return SharingPurpose.objects.get_or_create(code="early_help", defaults={"name": "Early help"})[
        0
    ]


def _lawful_bases(o: Objects) -> Any:
    from mash.guidance.models import AgencyLawfulBases

    return AgencyLawfulBases.objects.get_or_create(
        agency=o.agencies["police"], defaults={"codes": ["6(1)(e)"]}
    )[0]


def _notice(o: Objects) -> Any:
    """A notice whose e-mail failed: the administrator's list of notices shows it."""
    from django.utils import timezone

    from mash.timeliness.models import Notice

    now = timezone.now()
    notice, _ = Notice.objects.get_or_create(
        key=f"escalation:{o.request.pk}:{o.request.deadline.isoformat()}",
        defaults={
            "kind": "escalation",
            "point": "overdue",
            "request": o.request,
            "deadline": o.request.deadline,
            "created_at": now,
            "email_attempts": 5,
            "email_error": "SMTPDataError 451",
            "email_failed_at": now,
        },
    )
    return notice


def _heartbeat() -> Any:
    """A background worker's heartbeat (no personal data: host, process, times)."""
    from django.utils import timezone

    from mash.timeliness.heartbeat import beat
    from mash.timeliness.models import WorkerHeartbeat

    now = timezone.now()
    beat(worker_id="worker-host-1", started_at=now, interval=5.0, faults=0, now=now)
    return WorkerHeartbeat.objects.get(worker_id="worker-host-1")


def _axes_row(model_name: str, **fields: Any) -> Any:
    from axes import models

    return getattr(models, model_name).objects.create(
        username="priya", ip_address="192.0.2.1", user_agent="test", path_info="/sign-in", **fields
    )


_ADMIN_REDIRECTS = NoPersonalData("redirects to another admin page (or 404s); shows nothing")


def classify_admin(url_name: str | None) -> Classification:
    """The rule for every page of the Django admin (namespace ``admin``)."""
    from django.contrib import admin

    from mash.records.middleware import ADMIN_PAGES_WITHOUT_PERSONAL_DATA

    if url_name is None or url_name == "view_on_site":
        return _ADMIN_REDIRECTS
    if url_name in ADMIN_PAGES_WITHOUT_PERSONAL_DATA:
        return NoPersonalData("admin sign-in/out, own password or JavaScript catalogue")
    if url_name == "index":
        return ShowsPersonalData(who="administrator", expect="admin.viewed")
    if url_name == "app_list":
        return ShowsPersonalData(
            who="administrator", kwargs=lambda o: {"app_label": "agencies"}, expect="admin.viewed"
        )
    if url_name == "autocomplete":
        return NoPersonalData(
            "answers 403 unless a ModelAdmin declares autocomplete_fields, and none does "
            "(test_every_view_is_classified checks; if one does, the middleware records it)"
        )
    if url_name == "auth_user_password_change":
        return ShowsPersonalData(
            who="administrator",
            kwargs=lambda o: {"id": o.cast["police_practitioner"].pk},
            expect="admin.viewed",
        )
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if not url_name.startswith(prefix):
            continue
        view = url_name[len(prefix) :]
        label = model._meta.label_lower

        def instance(o: Objects, label: str = label, model: Any = model) -> Any:
            if label in ADMIN_OBJECTS:
                return ADMIN_OBJECTS[label](o)
            found = model._default_manager.first()
            assert found is not None, (
                f"the admin shows {label}: add a factory for it to ADMIN_OBJECTS in "
                "tests/records/personal_data_views.py"
            )
            return found

        if view not in _ADMIN_MODEL_PAGES:
            continue

        def object_kwargs(
            o: Objects, instance: Callable[[Objects], Any] = instance
        ) -> dict[str, Any]:
            return {"object_id": instance(o).pk}

        on_object = view in {"change", "delete", "history"}
        kwargs = object_kwargs if on_object else _nothing
        if not _ADMIN_MODEL_PAGES[view](admin.site._registry[model], _superuser_request()):
            return RefusedToAll(who="administrator", kwargs=kwargs)
        return ShowsPersonalData(who="administrator", kwargs=kwargs, expect="admin.viewed")
    return _UNCLASSIFIED


# Whether a model's admin offers each of its pages to a superuser (Django asks the same
# questions before it shows them; the change page is shown read only with view rights).
_ADMIN_MODEL_PAGES: dict[str, Callable[[Any, Any], bool]] = {
    "changelist": lambda model_admin, request: model_admin.has_view_or_change_permission(request),
    "add": lambda model_admin, request: model_admin.has_add_permission(request),
    "change": lambda model_admin, request: model_admin.has_view_or_change_permission(request),
    "history": lambda model_admin, request: model_admin.has_view_or_change_permission(request),
    "delete": lambda model_admin, request: model_admin.has_delete_permission(request),
}


def _superuser_request() -> Any:
    """A request by an (unsaved) active superuser, to ask a ModelAdmin what it offers."""
    from django.test import RequestFactory

    from mash.agencies.models import User

    request = RequestFactory().get("/admin/")
    request.user = User(username="ada", is_active=True, is_staff=True, is_superuser=True)
    return request


_UNCLASSIFIED = NoPersonalData("")


def classify(view_name: str | None, namespace: str | None) -> Classification | None:
    """The classification of one URL pattern, or None if nobody classified it."""
    if namespace == "admin":
        found = classify_admin(view_name.split(":", 1)[1] if view_name else None)
        return None if found is _UNCLASSIFIED else found
    return URLS.get(view_name or "")
