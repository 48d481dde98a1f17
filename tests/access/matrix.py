"""The access matrix: every page (URL pattern) and API operation of the hub, and for each
role and relationship whether it is allowed or denied (issue 6, part 3; DESIGN: "tested
as a matrix of role x agency x object x action"). One table, read by
tests/access/test_access_matrix.py, which makes a test case of every cell, asks the real
page through Django's test client and checks the answer, and fails if a URL pattern or
API operation is missing here.

Relationships: every object in the world below belongs to one case, and a user's agency
stands in one of three relationships to it:

- ``hub``: the hub agency, which owns the enquiry;
- ``own``: the partner agency the object is about (police: the request is to the police,
  the decision is the police's, the consent covers the police);
- ``other``: a partner agency with no part in the case (education).

Roles: practitioner (P), manager (M), data protection officer (D), administrator (A).
The administrator role looks after users and agencies, not cases: it is allowed no page
that shows a case. (The Django admin is for staff accounts only: none of the twelve is
staff, so every admin page sends them to the admin's sign-in. The system administrator's
own admin pages are recorded page by page; see tests/records/personal_data_views.py.)

Each row says which roles are allowed in each relationship: ``allow(hub="PMD", own="PM")``.
Allowed means the answer is 200 or a redirect (302) to somewhere other than sign-in,
or, for a form posted with incomplete data, 400 (past the permission check); denied means
403 or 404 and nothing written but the refusal. Whatever the answer, its body never
carries the markers planted in data the user's agency may not see (``markers_hidden_from``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from tests.sharing.factories import will_tell

ROLES = {"P": "practitioner", "M": "manager", "D": "dpo", "A": "administrator"}
RELATIONSHIPS = {"hub": "hub", "own": "police", "other": "education"}

# Planted in data only some agencies may see; never in any page shown to anyone else.
CONCERN = "MARKER-CONCERN-7f3a the hub's own narrative"
POLICE_ITEM = "MARKER-POLICE-91c2 police intelligence item"
HEALTH_ITEM = "MARKER-HEALTH-4b8e health record item"
HEALTH_REASONS = "MARKER-HEALTHWHY-2d11 health's justification"
# The restricted enquiry's narrative: only the hub manager (named on the restriction)
# and the hub practitioner (who broke the glass) may ever be shown it.
RESTRICTED = "MARKER-RESTRICTED-0c55 a staff member's child"
RESTRICTED_READERS = frozenset({("hub", "M"), ("hub", "P")})


class World:
    """The case every cell is asked about, made through the apps' services: an open
    enquiry (concern ``CONCERN``) with a child, an open request to the police, a health
    decision sharing ``HEALTH_ITEM``; a second enquiry whose police request is answered
    with a decision sharing ``POLICE_ITEM``; a draft; consent for the police; a
    restricted enquiry whose glass the hub practitioner broke. The users are twelve: each
    role in the hub, the police (own) and education (other), plus a health practitioner
    who answers for health."""

    def __init__(self, agencies: dict[str, Any]) -> None:
        from mash.agencies.models import Agency

        self.agencies = agencies
        if "health" not in agencies:
            agencies["health"] = Agency.objects.create(code="health", name="Health", kind="health")

    def user(self, relationship: str, role: str) -> Any:
        return self.users[(relationship, role)]

    @cached_property
    def users(self) -> dict[tuple[str, str], Any]:
        from mash.agencies.models import User

        made = {}
        for rel, agency in RELATIONSHIPS.items():
            for letter, role in ROLES.items():
                made[(rel, letter)] = User.objects.create_user(
                    username=f"{rel}-{role}",
                    password="not used: force_login",
                    first_name=f"{rel.title()}{letter}",
                    last_name="Matrix",
                    agency=self.agencies[agency],
                    role=role,
                )
        made[("health", "P")] = User.objects.create_user(
            username="health-practitioner",
            password="not used: force_login",
            agency=self.agencies["health"],
            role="practitioner",
        )
        return made

    def _open_enquiry(self, concern: str) -> Any:
        from django.utils import timezone

        from mash.enquiries import services

        actor = self.user("hub", "P")
        enquiry = services.start_enquiry(actor=actor)
        services.update_received(
            enquiry=enquiry, actor=actor, received_at=timezone.now() - timedelta(hours=1)
        )
        services.update_source(enquiry=enquiry, actor=actor, source="anonymous")
        services.update_concern(enquiry=enquiry, actor=actor, concern=concern)
        services.update_immediate_danger(enquiry=enquiry, actor=actor, immediate_danger=False)
        services.add_person(
            enquiry=enquiry,
            actor=actor,
            details=services.PersonDetails(
                kind="child", first_name="Matrixchild", last_name="Casefamily", estimated_age=6
            ),
        )
        services.update_consent_to_refer(
            enquiry=enquiry, actor=actor, consent="obtained", obtained_from="Mother"
        )
        services.update_urgency(enquiry=enquiry, actor=actor, rag="amber", rationale="Bruising")
        return services.submit_enquiry(enquiry=enquiry, actor=actor)

    def _ask(self, enquiry: Any, agency: str) -> Any:
        from django.utils import timezone

        from mash.sharing import services

        [request] = services.send_requests(
            actor=self.user("hub", "P"),
            enquiry=enquiry,
            agencies=[self.agencies[agency]],
            people=list(enquiry.people.all()),
            purpose="What is known about the child's home",
            deadline=timezone.now() + timedelta(hours=24),
        )
        return request

    def _share(self, request: Any, actor: Any, text: str, justification: str) -> Any:
        """A share over a refusal of consent, signed off by a manager of the sharing
        agency (the hub's sign-off setting is on by default), so the hub sees it."""
        from mash.agencies.models import User
        from mash.sharing import services

        decision = self._held_share(request, actor, text, justification)
        manager = User.objects.filter(agency=request.agency, role="manager").first()
        if manager is None:
            manager = User.objects.create_user(
                username=f"{request.agency.code}-signoff-manager",
                password="not used: force_login",
                agency=request.agency,
                role="manager",
            )
        return services.sign_off(actor=manager, decision=decision, approve=True)

    def _held_share(self, request: Any, actor: Any, text: str, justification: str) -> Any:
        from tests.sharing.factories import share_over_refusal

        return share_over_refusal(
            actor, request, text=text, source="Agency system", justification=justification
        )

    @cached_property
    def enquiry(self) -> Any:
        """The open enquiry, with health's decision (``HEALTH_ITEM``) and the police asked."""
        enquiry = self._open_enquiry(CONCERN)
        self._share(
            self._ask(enquiry, "health"), self.user("health", "P"), HEALTH_ITEM, HEALTH_REASONS
        )
        return enquiry

    @cached_property
    def person(self) -> Any:
        return self.enquiry.people.get()

    @cached_property
    def request(self) -> Any:
        """The open request to the police (own agency) on the enquiry."""
        return self._ask(self.enquiry, "police")

    @cached_property
    def decision(self) -> Any:
        """The police's decision (``POLICE_ITEM``) on a second enquiry."""
        second = self._open_enquiry(CONCERN + " (second)")
        return self._share(
            self._ask(second, "police"),
            self.user("own", "P"),
            POLICE_ITEM,
            "The child is at risk of significant harm.",
        )

    @cached_property
    def held_decision(self) -> Any:
        """A police share over a refusal on a third enquiry, waiting for a police
        manager's sign-off (the hub does not see it yet)."""
        third = self._open_enquiry(CONCERN + " (third)")
        return self._held_share(
            self._ask(third, "police"),
            self.user("own", "P"),
            POLICE_ITEM,
            "The child is at risk of significant harm.",
        )

    @cached_property
    def advice(self) -> Any:
        """The police practitioner's question to the police managers on the open request."""
        from mash.sharing import services

        return services.ask_advice(
            actor=self.user("own", "P"),
            request=self.request,
            adviser="agency_manager",
            question="Is the pattern of call-outs significant harm?",
        )

    @cached_property
    def hold(self) -> Any:
        """A retention hold the hub's data protection officer placed on the enquiry."""
        from mash.retention import services

        return services.place_hold(
            actor=self.user("hub", "D"),
            scope="enquiry",
            reason="A public inquiry has asked for these records",
            review_on=date(2027, 1, 31),
            enquiry=self.enquiry,
        )

    @cached_property
    def batch(self) -> Any:
        """A sweep batch awaiting the hub DPO's approval (the hub's settings ask for it):
        an enquiry closed long ago, past its retention."""
        from tests.retention.batches import pending_batch

        return pending_batch(self.agencies["hub"], self.user("hub", "P"))

    @cached_property
    def dispute(self) -> Any:
        """A challenge, still open, to the police's item about the child."""
        from django.utils import timezone

        from mash.retention import services

        item = self.decision.items.get()
        return services.record_dispute(
            actor=self.user("hub", "D"),
            item=item,
            person=item.people.first(),
            statement="That was not me",
            received_on=timezone.localdate(),
        )

    @cached_property
    def sar_review(self) -> Any:
        """The hub DPO's subject access export of the open enquiry's child, prepared
        for the review of its proposed redactions."""
        from mash.retention import services

        return services.prepare_subject_access_review(
            actor=self.user("hub", "D"), people=[self.person]
        )

    @cached_property
    def draft(self) -> Any:
        from mash.enquiries import services

        actor = self.user("hub", "P")
        enquiry = services.start_enquiry(actor=actor)
        services.add_person(
            enquiry=enquiry,
            actor=actor,
            details=services.PersonDetails(
                kind="child", first_name="Draftchild", last_name="Casefamily", estimated_age=4
            ),
        )
        return enquiry

    @cached_property
    def consent(self) -> Any:
        """Consent given for the police, recorded by the hub, with a signed form."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from mash.consent import services

        assert self.request.status == "open"  # the police see consent while asked
        from tests.consent.forms import pdf

        form = pdf()
        return services.record_consent(
            actor=self.user("hub", "P"),
            person=self.person,
            status="given",
            giver="parental_responsibility",
            giver_relationship="mother",
            agencies=[self.agencies["police"]],
            purpose="MASH enquiry",
            method="written",
            given_on=date(2026, 1, 3),
            evidence=SimpleUploadedFile("form.pdf", form, content_type="application/pdf"),
        )

    @cached_property
    def glass_break(self) -> Any:
        """A third enquiry, restricted to the hub manager; the hub practitioner broke
        the glass on it."""
        from mash.enquiries import services

        restricted = self._open_enquiry(RESTRICTED)
        services.restrict_enquiry(
            enquiry=restricted,
            actor=self.user("hub", "M"),
            users=[],
            reason="A staff member's child",
        )
        return services.break_glass(
            enquiry=restricted, actor=self.user("hub", "P"), reason="Covering the duty desk"
        )

    @cached_property
    def concern(self) -> Any:
        """A concern the police practitioner raised with the hub (a new contact)."""
        from tests.enquiries.concern_helpers import raise_one

        return raise_one(self.user("own", "P"), self.agencies["hub"])

    @cached_property
    def strategy(self) -> Any:
        """A strategy discussion on a fourth enquiry (its decision authorised), which
        the police attended, with an action the police practitioner owns."""
        from django.utils import timezone

        from mash.enquiries import strategy, threshold

        enquiry = self._open_enquiry(CONCERN + " (fourth)")
        level = threshold.levels_for(enquiry.hub_id)[3]
        decision = threshold.record_threshold_decision(
            enquiry=enquiry,
            actor=self.user("hub", "P"),
            level_id=str(level.pk),
            outcomes=["strategy_discussion"],
            referral_service="",
            rationale="Significant harm suspected.",
        )
        threshold.authorise_threshold_decision(decision=decision, actor=self.user("hub", "M"))
        police = self.agencies["police"]
        return strategy.record_strategy_discussion(
            decision=decision,
            actor=self.user("hub", "P"),
            meeting=strategy.Meeting(
                held_at=timezone.now() - timedelta(hours=1),
                chair_id=str(self.user("hub", "M").pk),
                decisions="Section 47 enquiries start",
                attendances=[
                    strategy.Attendance(
                        agency_id=str(police.pk), attendees="DS Matrix", contribution="Call-outs"
                    )
                ],
                actions=[
                    strategy.ActionInput(
                        description="Check the record",
                        owner_id=str(self.user("own", "P").pk),
                        due_on=timezone.localdate() + timedelta(days=2),
                    )
                ],
            ),
        )

    @cached_property
    def threshold_decision(self) -> Any:
        """The hub's threshold decision on the second enquiry (its police request is
        answered), waiting for a hub manager's authorisation."""
        from mash.enquiries import threshold

        enquiry = self.decision.request.enquiry
        level = threshold.levels_for(enquiry.hub_id)[0]
        return threshold.record_threshold_decision(
            enquiry=enquiry,
            actor=self.user("hub", "P"),
            level_id=str(level.pk),
            outcomes=["advice_and_information"],
            referral_service="",
            rationale="Advice to the referrer is enough.",
        )

    @cached_property
    def onward_ask(self) -> Any:
        """The hub asks the police (own) whether it may pass the police's item
        (``POLICE_ITEM``, "ask the agency first") on to health."""
        from mash.sharing import onward

        return onward.ask_to_pass_on(
            actor=self.user("hub", "P"),
            enquiry=self.decision.request.enquiry,
            item=self.decision.items.get(),
            recipient=self.agencies["health"],
            reason="The health visitor needs to know",
        )

    @cached_property
    def onward_share(self) -> Any:
        """Health shares an item the hub may pass on (no marker) on the second enquiry,
        signed off by a health manager; the hub passes it on to the police (own)."""
        from mash.agencies.models import User
        from mash.sharing import onward, services
        from tests.sharing.factories import PUBLIC_FUNCTION_OVERRIDE, an_item

        enquiry = self.decision.request.enquiry
        request = self._ask(enquiry, "health")
        # Not urgent, so it waits for sign-off (an urgent share is released at once and
        # reviewed after: Guidance, "If the need to share is urgent ... take immediate
        # action and share the information without consent").
        decision = services.record_decision(
            actor=self.user("health", "P"),
            request=request,
            question=PUBLIC_FUNCTION_OVERRIDE,
            justification="The child is at risk of significant harm.",
            informed=will_tell(),
            adequacy_confirmed=True,
            proportionality="The risk to the child outweighs the refusal.",
            items=[
                an_item(
                    list(request.people.all()),
                    text="Health visitor's note, may be passed on",
                    onward_sharing="may_pass_on",
                )
            ],
        )
        manager = User.objects.create_user(
            username="health-onward-manager",
            password="not used: force_login",
            agency=self.agencies["health"],
            role="manager",
        )
        services.sign_off(actor=manager, decision=decision, approve=True)
        return onward.pass_on(
            actor=self.user("hub", "P"),
            enquiry=enquiry,
            items=list(decision.items.all()),
            recipient=self.agencies["police"],
            purpose="The police need it for a welfare check",
            article_6="6(1)(e)",
        )

    @cached_property
    def suggestion(self) -> Any:
        """A possible match the index suggested: the second enquiry's child (an estimated
        age, so never certain) may be the first enquiry's."""
        from mash.people.models import MatchSuggestion

        return MatchSuggestion.objects.filter(person__enquiry=self.decision.request.enquiry).first()

    @cached_property
    def merge(self) -> Any:
        """A merge of two indexed people of the hub (with no records: nobody else's
        pages change), which the merge history can undo."""
        from mash.people.models import IndexedPerson
        from mash.people.services import merge

        kept = IndexedPerson.objects.create(hub=self.agencies["hub"])
        merged = IndexedPerson.objects.create(hub=self.agencies["hub"])
        return merge(kept=kept, merged=merged, actor=self.user("hub", "P"))

    @cached_property
    def search(self) -> Any:
        """A search the hub practitioner made (only they may see its results)."""
        from mash.people.services import record_search

        return record_search(
            actor=self.user("hub", "P"), terms={"names": ["casefamily"]}, results=1
        )

    def prepare(self) -> None:
        """Make every object up front, once (tests/access/conftest.py shares the world
        across a module's cells, each in a savepoint): an object first made inside one
        cell would be rolled back with it."""
        for name in (
            "users",
            "enquiry",
            "person",
            "request",
            "decision",
            "held_decision",
            "advice",
            "hold",
            "batch",
            "dispute",
            "sar_review",
            "draft",
            "consent",
            "glass_break",
            "threshold_decision",
            "concern",
            "strategy",
            "onward_ask",
            "onward_share",
            "suggestion",
            "merge",
            "search",
        ):
            getattr(self, name)


def markers_hidden_from(relationship: str) -> list[str]:
    """Planted text an agency in ``relationship`` may never be shown. The hub sees its
    enquiries and every answer to them; the police see their own decision and nothing of
    the enquiry beyond the request; education sees nothing."""
    if relationship == "hub":
        return []
    hidden = [CONCERN, HEALTH_ITEM, HEALTH_REASONS]
    if relationship == "other":
        hidden.append(POLICE_ITEM)
    return hidden


def _no_kwargs(world: World) -> dict[str, Any]:
    return {}


def _no_data(world: World) -> Any:
    return None


@dataclass(frozen=True)
class Row:
    """One page or API operation: who is allowed, and how to ask it."""

    allowed: frozenset[tuple[str, str]]
    kwargs: Callable[[World], dict[str, Any]] = field(default=_no_kwargs)
    method: str = "GET"
    query: str = ""
    data: Callable[[World], Any] = field(default=_no_data)
    json: bool = False
    # Answers, besides 200 and 302, that mean "let in" (a 400 for a form posted with
    # too little, a 201 for an API write, a 422 for an API body the guidance refuses).
    also_allowed: frozenset[int] = frozenset()
    note: str = ""
    # False where the URL's arguments name no object (a report's table): no id to guess.
    has_ids: bool = True


def allow(*, hub: str = "", own: str = "", other: str = "") -> frozenset[tuple[str, str]]:
    """``allow(hub="PMD", own="PM")``: the roles (letters of ``ROLES``) let in, by
    relationship; every other cell is denied."""
    return frozenset(
        (rel, letter)
        for rel, letters in {"hub": hub, "own": own, "other": other}.items()
        for letter in letters
    )


EVERYONE = allow(hub="PMDA", own="PMDA", other="PMDA")
NOBODY = allow()


def _enquiry(w: World) -> dict[str, Any]:
    return {"enquiry_id": w.enquiry.pk}


def _draft(w: World) -> dict[str, Any]:
    return {"enquiry_id": w.draft.pk}


def _draft_person(w: World) -> dict[str, Any]:
    return {"enquiry_id": w.draft.pk, "person_id": w.draft.people.get().pk}


def _request(w: World) -> dict[str, Any]:
    return {"request_id": w.request.pk}


def _decision(w: World) -> dict[str, Any]:
    return {"decision_id": w.decision.pk}


def _told(w: World) -> dict[str, Any]:
    """A person the police's decision said would be told (the page to record it)."""
    return {"decision_id": w.decision.pk, "person_id": w.decision.informing.first().person_id}


def _person(w: World) -> dict[str, Any]:
    return {"person_id": w.person.pk}


def _consent(w: World) -> dict[str, Any]:
    return {"record_id": w.consent.pk}


def _held(w: World) -> dict[str, Any]:
    return {"decision_id": w.held_decision.pk}


def _advice(w: World) -> dict[str, Any]:
    return {"advice_id": w.advice.pk}


def _item(w: World) -> dict[str, Any]:
    return {"item_id": w.decision.items.get().pk}


def _hold(w: World) -> dict[str, Any]:
    return {"hold_id": w.hold.pk}


def _batch(w: World) -> dict[str, Any]:
    return {"batch_id": w.batch.pk}


def _sar_review(w: World) -> dict[str, Any]:
    return {"review_id": w.sar_review.pk}


def _indexed_person(w: World) -> dict[str, Any]:
    return {"indexed_person_id": w.person.index_link.indexed_person_id}


def _glass(w: World) -> dict[str, Any]:
    return {"glass_break_id": w.glass_break.pk}


_HUB_WORKERS = allow(hub="PM")
_HUB_READERS = allow(hub="PMD")
_RECORD_READERS = allow(hub="MD", own="MD", other="MD")
_POLICE_WORKERS = allow(own="PM")
# Everyone in the hub but its administrator; the asked agency's staff but its administrator.
_CASE_READERS = allow(hub="PMD", own="PMD")
_FORM_400 = frozenset({400})

URLS: dict[str, Row] = {
    "start": Row(EVERYONE, note="the start page (redirects a signed-in user to their list)"),
    "sign-in": Row(EVERYONE, note="the sign-in form"),
    "sign-out": Row(EVERYONE, method="POST", note="signs out"),
    "decision-check": Row(EVERYONE, note="stores and looks up nothing"),
    "guidance:version": Row(
        EVERYONE,
        query="version=herefordshire-mash-v4-2023-05",
        note="the guidance's published text (Group Access: Public)",
    ),
    "guidance:golden-rules": Row(
        EVERYONE, note="the guidance's 7 golden rules and the hub's advice contacts (public)"
    ),
    "healthz": Row(EVERYONE, note="the load balancer's health check: ok or failing, nobody's data"),
    # Two-factor sign-in and one's own account: each shows only the signed-in user's own.
    "two-factor": Row(EVERYONE, note="the code step; a verified session is sent on"),
    "two-factor-set-up": Row(EVERYONE, note="one's own authenticator, nobody else's"),
    "recovery-codes": Row(EVERYONE, note="one's own codes, shown once after set-up"),
    "account": Row(EVERYONE, note="one's own username and sign-out everywhere"),
    "sign-out-everywhere": Row(EVERYONE, method="POST", note="ends one's own sessions"),
    "admin-sign-in": Row(EVERYONE, note="sends the admin's sign-in to the hub's"),
    "oidc_authentication_init": Row(
        EVERYONE, also_allowed=frozenset({404}), note="404 while OpenID Connect is off"
    ),
    "oidc_authentication_callback": Row(
        EVERYONE, also_allowed=frozenset({404}), note="404 while OpenID Connect is off"
    ),
    # The record: the hub's DPO sees all of it, managers and DPOs their agency's entries.
    "records:dashboard": Row(_RECORD_READERS),
    "records:activity": Row(_RECORD_READERS, query="enquiry={enquiry}"),
    "records:export": Row(_RECORD_READERS, query="enquiry={enquiry}"),
    "records:denied": Row(_RECORD_READERS),
    # The hub's enquiry pages: partner agencies never reach them.
    "enquiries:list": Row(_HUB_READERS),
    "enquiries:start": Row(_HUB_WORKERS),
    "enquiries:detail": Row(_HUB_READERS, kwargs=_enquiry),
    "enquiries:people": Row(_HUB_WORKERS, kwargs=_draft),
    "enquiries:person-add": Row(_HUB_WORKERS, kwargs=_draft),
    "enquiries:person-change": Row(_HUB_WORKERS, kwargs=_draft_person),
    "enquiries:person-remove": Row(_HUB_WORKERS, kwargs=_draft_person),
    "enquiries:person-date-of-death": Row(
        _HUB_WORKERS,
        kwargs=lambda w: {"enquiry_id": w.enquiry.pk, "person_id": w.person.pk},
        note="on an open or closed enquiry",
    ),
    "enquiries:check": Row(_HUB_WORKERS, kwargs=_draft),
    "enquiries:submitted": Row(_HUB_READERS, kwargs=_enquiry),
    "enquiries:close": Row(_HUB_WORKERS, kwargs=_enquiry),
    "enquiries:step": Row(_HUB_WORKERS, kwargs=lambda w: {**_draft(w), "step": "concern"}),
    "enquiries:restrict": Row(allow(hub="M"), kwargs=_enquiry),
    "enquiries:unrestrict": Row(
        allow(hub="M"), kwargs=_enquiry, method="POST", note="not restricted: says so"
    ),
    # Not restricted, so it sends back; those who could open the enquiry (or its
    # request) get that redirect, anyone else 404.
    "enquiries:break-glass": Row(_CASE_READERS, kwargs=_enquiry),
    "enquiries:glass-breaks": Row(allow(hub="D")),
    # Allocation (issue 17): any hub worker takes from the queue; managers assign.
    "my-work": Row(_HUB_READERS, note="the user's own work and the hub's team queue"),
    "enquiries:take": Row(_HUB_WORKERS, kwargs=_enquiry, method="POST"),
    "enquiries:allocate": Row(allow(hub="M"), kwargs=_enquiry),
    # The threshold decision: the hub reads it; a hub manager authorises (the form).
    "enquiries:threshold-review": Row(
        _HUB_READERS,
        kwargs=lambda w: {
            "enquiry_id": w.threshold_decision.enquiry_id,
            "decision_id": w.threshold_decision.pk,
        },
    ),
    "enquiries:glass-break-review": Row(allow(hub="D"), kwargs=_glass, method="POST"),
    # Partners raise concerns: each partner agency's workers, their own agency's only.
    "concerns:list": Row(allow(own="PM", other="PM"), note="the agency's own concerns"),
    "concerns:new": Row(allow(own="PM", other="PM")),
    "concerns:detail": Row(allow(own="PM"), kwargs=lambda w: {"concern_id": w.concern.pk}),
    # The raising agency offers what it holds without being asked (its own request).
    "sharing:offer": Row(
        allow(own="PM"), kwargs=lambda w: {"concern_id": w.concern.pk}, method="POST"
    ),
    # The strategy discussion: the hub records it (no decision calling for one on the
    # open enquiry: sent back); an agency that attended sees its part; the owner marks
    # an action done.
    "enquiries:strategy": Row(_HUB_READERS, kwargs=_enquiry),
    "strategy:list": Row(allow(own="PM", other="PM"), note="the agency's own part, or none"),
    "strategy:record": Row(allow(own="PM"), kwargs=lambda w: {"discussion_id": w.strategy.pk}),
    "strategy:action-done": Row(
        allow(own="P"),
        kwargs=lambda w: {"action_id": w.strategy.actions.get().pk},
        method="POST",
    ),
    # Feedback to the referrer: hub workers (no authorised decision yet: sent back).
    "enquiries:feedback": Row(_HUB_WORKERS, kwargs=_enquiry),
    # Requests and decisions.
    "sharing:inbox": Row(EVERYONE, note="each agency's own requests; an empty list else"),
    "sharing:request-create": Row(_HUB_WORKERS, kwargs=_enquiry),
    "sharing:request": Row(_CASE_READERS, kwargs=_request),
    "sharing:withdraw": Row(_HUB_WORKERS, kwargs=_request),
    "sharing:answer-start": Row(_POLICE_WORKERS, kwargs=_request, method="POST"),
    "sharing:answer-decision": Row(_POLICE_WORKERS, kwargs=_request),
    "sharing:answer": Row(_POLICE_WORKERS, kwargs=lambda w: {**_request(w), "step": "purpose"}),
    "sharing:decision": Row(_CASE_READERS, kwargs=_decision),
    "sharing:correct": Row(_POLICE_WORKERS, kwargs=_decision, method="POST"),
    "sharing:told": Row(_POLICE_WORKERS, kwargs=_told),
    # Advice (golden rule 3): the asker and the managers it is addressed to; sign-off:
    # another manager of the sharing agency. The lists show each user only their own.
    "sharing:advice-list": Row(EVERYONE, note="the user's own questions and advice"),
    "sharing:advice-ask": Row(_POLICE_WORKERS, kwargs=_request),
    "sharing:advice": Row(allow(own="PM"), kwargs=_advice),
    "sharing:signoff-list": Row(EVERYONE, note="the manager's agency's held shares, or none"),
    "sharing:signoff": Row(allow(own="M"), kwargs=_held),
    # Onward sharing by the hub: the hub's workers pass on and ask; the agency that gave
    # the item (own: the police) reads and answers the ask; the agency passed to (own:
    # the police, for health's item) reads the share; nobody else.
    "sharing:onward-received": Row(EVERYONE, note="what reached the user's agency, or none"),
    "sharing:onward-new": Row(_HUB_WORKERS, kwargs=_enquiry),
    "sharing:onward-ask": Row(
        _HUB_WORKERS,
        kwargs=lambda w: {
            "enquiry_id": w.decision.request.enquiry_id,
            "item_id": w.decision.items.get().pk,
        },
    ),
    "sharing:onward-answer": Row(allow(own="PMD"), kwargs=lambda w: {"ask_id": w.onward_ask.pk}),
    "sharing:onward-share": Row(_CASE_READERS, kwargs=lambda w: {"share_id": w.onward_share.pk}),
    # Reports: the hub's managers and data protection officer.
    "reports:performance": Row(allow(hub="MD")),
    "reports:dashboard": Row(allow(hub="MD")),
    # Printed records: whoever may open the page printed.
    "reports:print-decision": Row(_CASE_READERS, kwargs=_decision),
    "reports:print-enquiry": Row(_HUB_READERS, kwargs=_enquiry),
    "reports:guidance": Row(allow(hub="MD")),
    "reports:decisions": Row(
        allow(hub="MD"),
        query="figure=basis&value=consent&from_day=1&from_month=1&from_year=2026"
        "&to_day=31&to_month=12&to_year=2026",
    ),
    "reports:feedback": Row(
        allow(hub="MD"),
        query="value=owed&from_day=1&from_month=1&from_year=2026"
        "&to_day=31&to_month=12&to_year=2026",
    ),
    "reports:export": Row(
        allow(hub="MD"),
        kwargs=lambda w: {"table": "decisions-by-basis", "fmt": "xlsx"},
        has_ids=False,
        query="from_day=1&from_month=1&from_year=2026&to_day=31&to_month=12&to_year=2026",
    ),
    "reports:performance-csv": Row(
        allow(hub="MD"),
        query="from_day=1&from_month=1&from_year=2026&to_day=31&to_month=12&to_year=2026",
    ),
    # Notifications: each user's own.
    "timeliness:notifications": Row(EVERYONE, note="the user's own notifications"),
    # Retention and people's rights: the hub's data protection officer alone.
    "retention:preview": Row(allow(hub="D")),
    "retention:holds": Row(allow(hub="D")),
    "retention:hold-hub": Row(allow(hub="D")),
    "retention:hold-enquiry": Row(allow(hub="D"), kwargs=lambda w: {"target_id": w.enquiry.pk}),
    "retention:hold-person": Row(allow(hub="D"), kwargs=lambda w: {"target_id": w.person.pk}),
    "retention:hold-release": Row(allow(hub="D"), kwargs=_hold, method="POST"),
    "retention:batches": Row(allow(hub="D")),
    "retention:batch": Row(allow(hub="D"), kwargs=_batch),
    "retention:item": Row(allow(hub="D"), kwargs=_item),
    "retention:item-correct": Row(allow(hub="D"), kwargs=_item),
    "retention:dispute-stands": Row(
        allow(hub="D"), kwargs=lambda w: {**_item(w), "dispute_id": w.dispute.pk}
    ),
    "retention:sar-search": Row(allow(hub="D")),
    "retention:sar-results": Row(allow(hub="D"), note="sends back to the search without one"),
    "retention:sar-review": Row(allow(hub="D"), kwargs=_sar_review),
    "retention:sar-review-export": Row(
        allow(hub="D"),
        kwargs=_sar_review,
        method="POST",
        note="the ZIP once every proposal is decided; else back to the review",
    ),
    # Consent: the hub; the asked agency while its request is open.
    "consent:person": Row(_CASE_READERS, kwargs=_person),
    "consent:record": Row(_CASE_READERS, kwargs=_person),
    "consent:withdraw": Row(_CASE_READERS, kwargs=_consent),
    "consent:evidence": Row(_CASE_READERS, kwargs=_consent),
    "consent:fhir": Row(_CASE_READERS, kwargs=_consent),
    # The person index: the hub's workers confirm or reject a possible match; everyone
    # with a case role searches (partners among the people in requests sent to them);
    # a search's results are the searcher's own.
    "people:suggestion-confirm": Row(
        _HUB_WORKERS, kwargs=lambda w: {"suggestion_id": w.suggestion.pk}, method="POST"
    ),
    "people:suggestion-reject": Row(
        _HUB_WORKERS, kwargs=lambda w: {"suggestion_id": w.suggestion.pk}, method="POST"
    ),
    "people:search": Row(allow(hub="PMD", own="PMD", other="PMD")),
    "people:results": Row(allow(hub="P"), kwargs=lambda w: {"search_id": w.search.pk}),
    # A child's chronology: the hub; the police (asked about the child) see their own part.
    "people:chronology": Row(_CASE_READERS, kwargs=_indexed_person),
    "people:chronology-pdf": Row(_HUB_READERS, kwargs=_indexed_person),
    # Merging and unmerging: the hub's workers, in their own hub's index.
    "people:merge": Row(_HUB_WORKERS, kwargs=_indexed_person),
    "people:merges": Row(_HUB_WORKERS, kwargs=_indexed_person),
    "people:unmerge": Row(_HUB_WORKERS, kwargs=lambda w: {"merge_id": w.merge.pk}, method="POST"),
    # The API's documents.
    "api:openapi-json": Row(EVERYONE),
    "api:openapi-view": Row(EVERYONE),
    "api:api-root": Row(EVERYONE, also_allowed=frozenset({404}), note="ninja has no root page"),
}


def _consent_body(w: World) -> dict[str, Any]:
    return {
        "status": "refused",
        "giver": "parental_responsibility",
        "giver_relationship": "father",
        "agencies": ["police"],
        "purpose": "MASH enquiry",
        "method": "verbal",
        "given_on": "2026-01-05",
    }


_QUESTION = {
    "purpose": {"legitimate": True},
    "identifies_individual": False,
}

API_OPERATIONS: dict[str, Row] = {
    "POST /api/v1/decisions/evaluate": Row(
        EVERYONE,
        method="POST",
        data=lambda w: _QUESTION,
        json=True,
        also_allowed=frozenset({422}),
        note="the guidance on the question sent; stores and looks up nothing",
    ),
    # A recorded decision: whoever may see its decision record page.
    "GET /api/v1/decisions/{decision_id}": Row(_CASE_READERS, kwargs=_decision),
    # A request: whoever may see its page (the asked agency and the hub).
    "GET /api/v1/requests/{request_id}": Row(_CASE_READERS, kwargs=_request),
    "GET /api/v1/consent/people/{person_id}/position": Row(
        _CASE_READERS, kwargs=_person, query="agency=police"
    ),
    "POST /api/v1/consent/people/{person_id}/records": Row(
        _CASE_READERS,
        kwargs=_person,
        method="POST",
        data=_consent_body,
        json=True,
        also_allowed=frozenset({201}),
    ),
    "GET /api/v1/consent/records/{record_id}/fhir": Row(_CASE_READERS, kwargs=_consent),
    # The person index: everyone with a case role searches (partners among their own);
    # a chronology as its page.
    "POST /api/v1/people/search": Row(
        allow(hub="PMD", own="PMD", other="PMD"),
        method="POST",
        data=lambda w: {"q": "Matrixchild Casefamily"},
        json=True,
    ),
    "GET /api/v1/people/{indexed_person_id}/chronology": Row(_CASE_READERS, kwargs=_indexed_person),
}

# The Django admin: for staff accounts only; none of the twelve is staff.
ADMIN = Row(NOBODY, note="the Django admin sends anyone who is not staff to its sign-in")


def body_for(row: Row, world: World) -> tuple[Any, str | None]:
    """The data to post, and its content type (JSON for the API)."""
    data = row.data(world)
    if data is None:
        return {}, None
    if row.json:
        return json.dumps(data), "application/json"
    return data, None
