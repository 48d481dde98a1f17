"""A database dump alone reveals no narrative text.

Narrative text goes in through the real services and pages (intake, requests, a
share with disclosure items, a decision not to share, a correction, a withdrawal, a
consent with its uploaded form, closing). Then every column of every table is read
with plain SQL, and on SQLite the database image's bytes too: none of the text is
there. A control (the enquiry's reference, stored in clear) proves the scan sees the
rows it searches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from mash.enquiries import services as enquiries
from mash.enquiries.models import Enquiry, Person
from mash.policy.informing import InformAnswer
from mash.sharing import services as sharing
from mash.sharing.models import Decision
from tests.consent.forms import pdf
from tests.consent.test_recording_consent import _form
from tests.sharing.factories import (
    NO_GROUND,
    PUBLIC_FUNCTION_OVERRIDE,
    SIGNIFICANT_HARM,
    an_item,
    make_request,
    will_tell,
)

from .helpers import open_enquiry

SECRETS = {
    "concern": "QXV-CONCERN-Bruises-seen-by-teacher-7301",
    "reason": "QXV-NOCONSENT-Mother-is-alleged-abuser-7302",
    "address": "QXV-ADDRESS-14-Hidden-Lane-7303",
    "purpose": "QXV-PURPOSE-What-police-hold-on-partner-7304",
    "justification": "QXV-JUSTIFY-Risk-of-significant-harm-7305",
    "proportionality": "QXV-PROPORTION-Outweighs-refusal-7306",
    "not_informed": "QXV-NOTTOLD-Telling-father-raises-risk-7307",
    "consent_details": "QXV-CONSENTDETAIL-Verbal-at-school-7308",
    "item": "QXV-ITEM-Arrested-for-assault-in-2019-7309",
    "historical": "QXV-HISTORIC-Pattern-of-violence-7310",
    "not_sharing": "QXV-NOTSHARING-Nothing-relevant-held-7311",
    "discussion": "QXV-DISCUSSION-Agreed-with-hub-7312",
    "correction": "QXV-CORRECTION-Wrong-date-entered-7313",
    "withdrawal": "QXV-WITHDRAWN-Information-came-elsewhere-7314",
    "consent_purpose": "QXV-CONSENTPURPOSE-School-nurse-referral-7315",
    "covered": "QXV-COVERED-Health-visitor-notes-7316",
    "outcome": "QXV-OUTCOME-Early-help-agreed-7317",
    "evidence": "QXV-EVIDENCE-Signed-by-grandmother-7318",
    "advice_question": "QXV-ADVICEQ-Is-one-call-out-enough-7319",
    "advice_answer": "QXV-ADVICEA-Share-the-pattern-7320",
    "signoff": "QXV-SIGNOFF-Override-is-proportionate-7321",
    "restriction": "QXV-RESTRICT-Child-of-duty-manager-7322",
    "glass": "QXV-GLASS-Covering-the-duty-desk-7323",
    "dispute": "QXV-DISPUTE-It-was-my-cousin-7324",
    "corrected": "QXV-CORRECTED-Arrested-in-2018-not-2019-7325",
    "correction_why": "QXV-CORRECTWHY-Police-checked-the-custody-log-7326",
    "batch_rejected": "QXV-REJECTBATCH-Inquiry-asked-us-to-wait-7330",
    "stands": "QXV-STANDS-Custody-record-confirms-the-date-7327",
    "hold_hub": "QXV-HOLDHUB-Inquiry-into-the-county-7328",
    "hold_person": "QXV-HOLDPERSON-Family-claim-7329",
}


def _text(value: Any) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def every_cell() -> Iterator[tuple[str, str]]:
    """(table, value as text) for every column of every row of every table."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if value is not None:
                        yield table, _text(value)


def _hold_everything(cast: dict[str, Any], agencies: dict[str, Any], client_for: Any) -> Enquiry:
    hub = cast["hub_practitioner"]
    enquiry = open_enquiry(
        hub, concern=SECRETS["concern"], address=SECRETS["address"], reason=SECRETS["reason"]
    )
    people = list(Person.objects.filter(enquiry=enquiry).order_by("kind"))
    police, health, education = sharing.send_requests(
        actor=hub,
        enquiry=enquiry,
        agencies=[agencies["police"], agencies["health"], agencies["education"]],
        people=people,
        purpose=SECRETS["purpose"],
        deadline=timezone.now() + dt.timedelta(hours=24),
    )
    item = sharing.ItemInput(
        text=SECRETS["item"],
        nature="fact",
        recorded_on=timezone.localdate() - dt.timedelta(days=900),
        source="Police national computer",
        currency="historical",
        historical_explanation=SECRETS["historical"],
        people=people[:1],
        sensitive=False,
        onward_sharing="ask_first",
    )
    shared = {
        "actor": cast["police_practitioner"],
        "request": police,
        "question": SIGNIFICANT_HARM,
        "justification": SECRETS["justification"],
        "proportionality": SECRETS["proportionality"],
        "informed": InformAnswer("not_told", ground="risk_of_harm", reason=SECRETS["not_informed"]),
        "adequacy_confirmed": True,
        "consent_details": SECRETS["consent_details"],
        "items": [item],
    }
    advice = sharing.ask_advice(
        actor=cast["police_practitioner"],
        request=police,
        adviser="agency_manager",
        question=SECRETS["advice_question"],
    )
    sharing.answer_advice(
        actor=cast["police_manager"], advice=advice, answer=SECRETS["advice_answer"]
    )
    first = sharing.record_decision(**shared)
    # A share over a refusal waits for a police manager's sign-off (on by default).
    sharing.record_decision(
        **{**shared, "supersedes": first, "correction_reason": SECRETS["correction"]}
    )
    sharing.record_decision(
        actor=cast["health_practitioner"],
        request=health,
        question=NO_GROUND,
        not_sharing_reasons=SECRETS["not_sharing"],
        discussed_at=timezone.now(),
        discussed_with="MASH duty social worker",
        discussion_notes=SECRETS["discussion"],
    )
    sharing.withdraw_request(actor=hub, request=education, reason=SECRETS["withdrawal"])
    # A share over a refusal waits for a police manager's sign-off (on by default).
    # A share over a refusal (on another enquiry, with no consent in the register) waits
    # for a police manager's sign-off, on by default; the manager's note is narrative.
    again = make_request(cast=cast, agency=agencies["police"])
    # Not urgent (a public function): an urgent share is released at once and reviewed
    # after (Guidance: "If the need to share is urgent ... take immediate action").
    held = sharing.record_decision(
        actor=cast["police_practitioner"],
        request=again,
        question=PUBLIC_FUNCTION_OVERRIDE,
        justification=SECRETS["justification"],
        informed=will_tell(),
        adequacy_confirmed=True,
        proportionality=SECRETS["proportionality"],
        items=[an_item([again.people.first()], text=SECRETS["item"])],
    )
    assert held.release == "awaiting_signoff"
    sharing.sign_off(
        actor=cast["police_manager"], decision=held, approve=True, note=SECRETS["signoff"]
    )

    form = pdf(SECRETS["evidence"])
    response = client_for("hub_practitioner").post(
        f"/consent/people/{people[0].pk}/record",
        {
            **_form(purpose=SECRETS["consent_purpose"], information_covered=SECRETS["covered"]),
            "evidence": SimpleUploadedFile("consent.pdf", form, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    from mash.retention import services as retention

    shared_item = Decision.objects.get(pk=first.pk).items.get()
    dispute = retention.record_dispute(
        actor=cast["dpo"],
        item=shared_item,
        person=people[0],
        statement=SECRETS["dispute"],
        received_on=timezone.localdate(),
    )
    retention.correct_item(
        actor=cast["dpo"],
        item=shared_item,
        text=SECRETS["corrected"],
        reason=SECRETS["correction_why"],
        dispute=dispute,
    )
    from tests.retention.batches import pending_batch

    retention.reject_batch(
        actor=cast["dpo"],
        batch=pending_batch(agencies["hub"], hub),
        reason=SECRETS["batch_rejected"],
    )
    again = retention.record_dispute(
        actor=cast["dpo"],
        item=shared_item,
        person=people[0],
        statement=SECRETS["dispute"] + " again",
        received_on=timezone.localdate(),
    )
    retention.close_dispute_item_stands(actor=cast["dpo"], dispute=again, reason=SECRETS["stands"])
    review = timezone.localdate() + dt.timedelta(days=30)
    retention.place_hold(
        actor=cast["dpo"],
        scope="hub",
        reason=SECRETS["hold_hub"],
        review_on=review,
        hub=agencies["hub"],
    )
    retention.place_hold(
        actor=cast["dpo"],
        scope="person",
        reason=SECRETS["hold_person"],
        review_on=review,
        person=people[0],
    )
    enquiries.restrict_enquiry(
        enquiry=Enquiry.objects.get(pk=enquiry.pk),
        actor=cast["hub_manager"],
        users=[],
        reason=SECRETS["restriction"],
    )
    enquiries.break_glass(
        enquiry=Enquiry.objects.get(pk=enquiry.pk),
        actor=cast["hub_practitioner"],
        reason=SECRETS["glass"],
    )
    enquiries.close_enquiry(
        enquiry=Enquiry.objects.get(pk=enquiry.pk),
        actor=cast["hub_manager"],
        outcome="early_help",
        rationale=SECRETS["outcome"],
    )
    return enquiry


def test_the_raw_tables_hold_none_of_the_narrative_text(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    enquiry = _hold_everything(cast, agencies, client_for)

    # Through the hub, everything reads back.
    fresh = Enquiry.objects.get(pk=enquiry.pk)
    assert fresh.concern == SECRETS["concern"]
    assert fresh.outcome_rationale == SECRETS["outcome"]
    latest = Decision.objects.get(
        request__enquiry=enquiry, agency__code="police", supersedes__isnull=False
    )
    assert latest.correction_reason == SECRETS["correction"]
    assert latest.items.get().historical_explanation == SECRETS["historical"]

    cells = list(every_cell())
    assert any(enquiry.reference in value for _, value in cells)  # the scan sees rows
    found = {
        (name, table)
        for table, value in cells
        for name, secret in SECRETS.items()
        if secret in value or secret.lower() in value.lower()
    }
    assert found == set()

    # The evidence file on disk holds none of it either.
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            assert SECRETS["evidence"].encode() not in path.read_bytes()

    if connection.vendor == "sqlite":
        connection.ensure_connection()
        image = connection.connection.serialize()
        assert enquiry.reference.encode() in image
        for secret in SECRETS.values():
            assert secret.encode() not in image, secret
        name = str(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-journal"):
            path = Path(name + suffix)
            if path.is_file():
                raw = path.read_bytes()
                for secret in SECRETS.values():
                    assert secret.encode() not in raw, secret
