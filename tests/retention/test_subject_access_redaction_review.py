"""The DPO's review of the redactions the hub proposes for a subject access export,
through the pages: the proposals listed in context with their reasons, each accepted
or rejected (or all accepted), the decisions stored and recorded, and the export
applying exactly the accepted ones, only once each is decided."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.utils import timezone
from django.utils.html import escape

from mash.records.models import RecordEntry
from mash.retention.models import ItemCorrection, RedactionProposal, SubjectAccessReview
from mash.retention.redaction import REDACTED
from tests.retention import subject_access


@pytest.fixture
def case(db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> dict[str, Any]:
    return subject_access.make_case(cast, agencies)


def _dpo(client_for: Any, case: dict[str, Any]) -> Any:
    client = client_for("dpo")
    client.post(
        "/retention/subject-access",
        {"first_name": case["child"][0], "last_name": case["child"][1]},
    )
    return client


def _review(client_for: Any, case: dict[str, Any]) -> tuple[Any, SubjectAccessReview]:
    client = _dpo(client_for, case)
    return client, subject_access.prepare(client, [case["subject"]])


def _proposed(review: SubjectAccessReview) -> list[tuple[str, str, str, str]]:
    return [(p.section, p.field, str(p.text), p.kind) for p in subject_access.proposals(review)]


def _names(case: dict[str, Any]) -> list[str]:
    return [case["mother"][0], case["referrer"][1], case["teacher"][1]]


def test_the_hub_proposes_the_other_peoples_names_and_not_the_subjects(
    client_for: Any, case: dict[str, Any]
) -> None:
    _, review = _review(client_for, case)
    mother, referrer, teacher = case["mother"], case["referrer"], case["teacher"]
    assert _proposed(review) == [
        ("enquiries", "referrer_name", f"Mrs {referrer[0]} {referrer[1]}", "referrer"),
        ("enquiries", "referrer_contact", "07700 900123", "referrer"),
        ("enquiries", "concern", f"{referrer[0]} {referrer[1]}", "referrer"),
        ("enquiries", "concern", f"{mother[0]} {mother[1]}", "other_person"),
        ("enquiries", "concern", mother[0], "other_person"),
        ("enquiries", "concern", referrer[0], "referrer"),
        ("disclosures", "text", f"{mother[0]} {mother[1]}", "other_person"),
        ("disclosures", "text", teacher[0], "opinion_author"),
        ("disclosures", "text", mother[0], "other_person"),
        ("disclosures", "source", f"Mr {teacher[0]} {teacher[1]}, class teacher", "opinion_author"),
    ]
    # The child's own name (and the family name she shares with her mother) never.
    assert not [p for p in _proposed(review) if p[2] in case["child"]]


def test_the_review_page_shows_each_proposal_in_context_with_its_reason(
    client_for: Any, case: dict[str, Any]
) -> None:
    client, review = _review(client_for, case)
    page = client.get(f"/retention/subject-access/reviews/{review.pk}")
    body = page.content.decode()
    assert page.status_code == 200
    mother, child = case["mother"], case["child"]
    assert (
        f'<mark class="mash-proposed">{mother[0]} {mother[1]}</mark> shouting at {child[0]}' in body
    )
    assert "Third party: another person in the enquiry (parent)" in body
    assert "Third party: the referrer" in body
    assert "Third party: the author of an opinion" in body
    assert "10 still to decide" in body
    assert "Download the export (ZIP)" not in body
    for proposal in subject_access.proposals(review):
        assert f'name="decision-{proposal.pk}" type="radio" value="accepted"' in body
        assert f'name="decision-{proposal.pk}" type="radio" value="rejected"' in body
    assert "Accept all proposals" in body


def test_the_review_page_is_recorded_as_a_view_of_personal_data(
    client_for: Any, case: dict[str, Any]
) -> None:
    client, review = _review(client_for, case)
    client.get(f"/retention/subject-access/reviews/{review.pk}")
    entry = RecordEntry.objects.filter(action="person.viewed").order_by("-seq").first()
    assert entry is not None and entry.actor_username == "dara"
    assert entry.object_id == str(review.pk)
    assert entry.details["page"] == "subject access review"
    assert entry.details["people"] == [str(case["subject"].pk)]
    prepared = RecordEntry.objects.get(action="sar.review_prepared")
    assert prepared.details["proposals"] == 10
    assert prepared.details["reasons"] == {"opinion_author": 2, "other_person": 4, "referrer": 4}
    for name in _names(case):
        assert name not in repr(entry.details) and name not in repr(prepared.details)


def test_the_opinions_author_counts_as_a_third_party_in_the_export(
    client_for: Any, case: dict[str, Any]
) -> None:
    client, review = _review(client_for, case)
    subject_access.decide_all(client, review, "rejected")
    _, data, _ = subject_access.download(client, review)
    items = {i["id"]: i for i in data["disclosures"]}
    assert items[str(case["health"].pk)]["review"]["other_people"] == 1
    assert items[str(case["health"].pk)]["review"]["concerns_others"] is True
    assert items[str(case["police"].pk)]["review"]["other_people"] == 0


def test_decisions_are_stored_and_recorded_without_the_names(
    client_for: Any, case: dict[str, Any]
) -> None:
    client, review = _review(client_for, case)
    proposals = subject_access.proposals(review)
    accept, reject = proposals[0], proposals[3]
    answer = client.post(
        f"/retention/subject-access/reviews/{review.pk}",
        {
            f"decision-{accept.pk}": "accepted",
            f"decision-{reject.pk}": "rejected",
            "action": "save",
        },
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"/retention/subject-access/reviews/{review.pk}"
    stored = {p.pk: p for p in subject_access.proposals(review)}
    assert (
        stored[accept.pk].decision == "accepted" and stored[accept.pk].decided_by.username == "dara"
    )
    assert stored[reject.pk].decision == "rejected"
    assert [p.decision for p in stored.values()].count("") == 8
    entry = RecordEntry.objects.get(action="sar.redactions_decided")
    assert entry.object_id == str(review.pk) and entry.actor_username == "dara"
    assert entry.details["undecided"] == 8
    assert entry.details["decisions"] == [
        {
            "proposal": str(accept.pk),
            "section": "enquiries",
            "object_id": str(case["enquiry"].pk),
            "field": "referrer_name",
            "reason": "referrer",
            "decision": "accepted",
        },
        {
            "proposal": str(reject.pk),
            "section": "enquiries",
            "object_id": str(case["enquiry"].pk),
            "field": "concern",
            "reason": "other_person",
            "decision": "rejected",
        },
    ]
    for name in _names(case):
        assert name not in repr(entry.details)
    # Coming back: the page shows the stored decisions selected.
    body = client.get(f"/retention/subject-access/reviews/{review.pk}").content.decode()
    assert f'name="decision-{accept.pk}" type="radio" value="accepted" checked' in body
    assert f'name="decision-{reject.pk}" type="radio" value="rejected" checked' in body


def test_decisions_are_not_saved_when_their_record_entry_cannot_be_written(
    client_for: Any, case: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mash.retention import services

    _client, review = _review(client_for, case)
    proposal = subject_access.proposals(review)[0]

    def refuse(**kwargs: Any) -> None:
        raise RuntimeError("the record is unavailable")

    monkeypatch.setattr(services, "record", refuse)
    with pytest.raises(RuntimeError):
        services.decide_redactions(
            actor=review.prepared_by, review=review, decisions={proposal.pk: "accepted"}
        )
    assert RedactionProposal.objects.get(pk=proposal.pk).decision == ""


def test_the_export_applies_exactly_the_accepted_redactions(
    client_for: Any, case: dict[str, Any]
) -> None:
    client, review = _review(client_for, case)
    proposals = subject_access.proposals(review)
    # Redact the mother everywhere and the teacher; release the referrer as written.
    accepted = {p.pk for p in proposals if p.kind in ("other_person", "opinion_author")}
    client.post(
        f"/retention/subject-access/reviews/{review.pk}",
        {
            **{
                f"decision-{p.pk}": "accepted" if p.pk in accepted else "rejected"
                for p in proposals
            },
            "action": "save",
        },
    )
    _, data, html = subject_access.download(client, review)
    mother, child, referrer, teacher = (
        case["mother"],
        case["child"],
        case["referrer"],
        case["teacher"],
    )
    [enquiry] = data["enquiries"]
    assert enquiry["concern"] == (
        f"{referrer[0]} {referrer[1]} heard {REDACTED} shouting at "
        f"{child[0]} late at night. {REDACTED} later told {referrer[0]} it was nothing."
    )
    assert enquiry["referrer_name"] == f"Mrs {referrer[0]} {referrer[1]}"
    assert enquiry["referrer_contact"] == "07700 900123"
    assert enquiry["review"]["redactions"] == 2
    items = {i["id"]: i for i in data["disclosures"]}
    assert (
        items[str(case["police"].pk)]["text"] == f"Officers attended after a call about {REDACTED}."
    )
    health = items[str(case["health"].pk)]
    assert (
        health["text"] == f"{REDACTED} thinks {child[0]} is withdrawn since {REDACTED} moved out."
    )
    assert health["source"] == REDACTED
    assert data["redactions"] == {
        "Third party: another person in the enquiry": 4,
        "Third party: the author of an opinion": 2,
    }
    assert mother[0] not in html and teacher[1] not in html
    assert f"{child[0]} late at night" in html and referrer[1] in html
    # The subject's own record is whole.
    assert data["people"][0]["first_name"] == child[0]
    entry = RecordEntry.objects.get(action="export.downloaded")
    assert entry.details["review"] == str(review.pk)
    assert sorted((r["field"], r["reason"]) for r in entry.details["redactions"]) == sorted(
        (p.field, p.kind) for p in proposals if p.pk in accepted
    )
    for name in _names(case):
        assert name not in repr(entry.details)
    assert SubjectAccessReview.objects.get(pk=review.pk).status == "released"


def test_accept_all_redacts_every_proposal(client_for: Any, case: dict[str, Any]) -> None:
    client, review = _review(client_for, case)
    answer = client.post(f"/retention/subject-access/reviews/{review.pk}", {"action": "accept_all"})
    assert answer.status_code == 302
    assert {p.decision for p in subject_access.proposals(review)} == {"accepted"}
    _, data, html = subject_access.download(client, review)
    for name in [*case["mother"][:1], *case["referrer"], *case["teacher"], "07700 900123"]:
        assert name not in html and escape(name) not in html
    assert escape(case["child"][0]) in html and html.count(REDACTED) >= 10
    assert sum(data["redactions"].values()) == 10


def test_rejected_proposals_stay_verbatim(client_for: Any, case: dict[str, Any]) -> None:
    client, review = _review(client_for, case)
    subject_access.decide_all(client, review, "rejected")
    _, data, html = subject_access.download(client, review)
    assert data["enquiries"][0]["concern"] == case["enquiry"].concern
    assert REDACTED not in html and data["redactions"] == {}


def test_the_export_waits_until_every_proposal_is_decided(
    client_for: Any, case: dict[str, Any]
) -> None:
    client, review = _review(client_for, case)
    first = subject_access.proposals(review)[0]
    client.post(
        f"/retention/subject-access/reviews/{review.pk}",
        {f"decision-{first.pk}": "accepted", "action": "save"},
    )
    answer = client.post(f"/retention/subject-access/reviews/{review.pk}/export", follow=True)
    body = answer.content.decode()
    assert answer.redirect_chain == [(f"/retention/subject-access/reviews/{review.pk}", 302)]
    assert "Decide each proposed redaction before the export is released" in body
    assert "9 still to decide" in body
    assert not RecordEntry.objects.filter(action="export.downloaded").exists()


def test_a_change_to_the_records_after_the_review_is_reviewed_before_release(
    client_for: Any, case: dict[str, Any], cast: dict[str, Any]
) -> None:
    client, review = _review(client_for, case)
    subject_access.decide_all(client, review, "accepted")
    ItemCorrection.objects.create(
        item=case["police"],
        version=1,
        text=f"Officers attended after {case['mother'][0]} called them herself.",
        reason="The police corrected who called",
        recorded_by=cast["police_practitioner"],
        recorded_at=timezone.now(),
    )
    answer = client.post(f"/retention/subject-access/reviews/{review.pk}/export", follow=True)
    body = answer.content.decode()
    assert "The records changed since the redactions were proposed" in body
    assert not RecordEntry.objects.filter(action="export.downloaded").exists()
    proposals = subject_access.proposals(review)
    assert len(proposals) == 11
    [new] = [p for p in proposals if p.decision == ""]
    assert new.field == "corrections.1.text" and str(new.text) == case["mother"][0]
    assert "1 still to decide" in body and "Correction 1" in body
    # Deciding the new one releases the export, the earlier decisions kept.
    subject_access.decide_all(client, review, "accepted")
    _, data, _ = subject_access.download(client, review)
    police = next(i for i in data["disclosures"] if i["id"] == str(case["police"].pk))
    assert (
        police["corrections"][0]["text"]
        == f"Officers attended after {REDACTED} called them herself."
    )


def test_an_unknown_decision_is_refused_naming_the_proposal(
    client_for: Any, case: dict[str, Any]
) -> None:
    client, review = _review(client_for, case)
    proposals = subject_access.proposals(review)
    answer = client.post(
        f"/retention/subject-access/reviews/{review.pk}",
        {
            f"decision-{proposals[0].pk}": "accepted",
            f"decision-{proposals[1].pk}": "perhaps",
            "action": "save",
        },
    )
    body = answer.content.decode()
    assert answer.status_code == 400
    assert "govuk-error-summary" in body
    assert (
        f'<a href="#decision-{proposals[1].pk}">Proposal 2: select redact or release as written'
        in body
    )
    assert {p.decision for p in subject_access.proposals(review)} == {""}
    assert not RecordEntry.objects.filter(action="sar.redactions_decided").exists()


def test_preparing_the_same_records_again_comes_back_to_the_same_review(
    client_for: Any, case: dict[str, Any]
) -> None:
    client, review = _review(client_for, case)
    first = subject_access.proposals(review)[0]
    client.post(
        f"/retention/subject-access/reviews/{review.pk}",
        {f"decision-{first.pk}": "rejected", "action": "save"},
    )
    again = subject_access.prepare(client, [case["subject"]])
    assert again.pk == review.pk
    assert RedactionProposal.objects.get(pk=first.pk).decision == "rejected"
    search = client.get("/retention/subject-access").content.decode()
    assert f"/retention/subject-access/reviews/{review.pk}" in search
    assert case["child"][0] not in search  # the list names no one


@pytest.mark.parametrize("who", ["hub_practitioner", "hub_manager", "police_manager", "outsider"])
def test_only_the_hubs_dpo_may_review_or_release(
    client_for: Any, case: dict[str, Any], who: str
) -> None:
    _, review = _review(client_for, case)
    proposal = subject_access.proposals(review)[0]
    client = client_for(who)
    url = f"/retention/subject-access/reviews/{review.pk}"
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "accept_all"}).status_code == 403
    assert client.post(url, {f"decision-{proposal.pk}": "accepted"}).status_code == 403
    assert client.post(f"{url}/export").status_code == 403
    assert RedactionProposal.objects.get(pk=proposal.pk).decision == ""
    assert not RecordEntry.objects.filter(action="export.downloaded").exists()
    assert not RecordEntry.objects.filter(action="sar.redactions_decided").exists()


def test_a_guessed_review_id_is_not_found(client_for: Any, case: dict[str, Any]) -> None:
    client = client_for("dpo")
    url = "/retention/subject-access/reviews/00000000-0000-4000-8000-000000000000"
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/export").status_code == 404


def test_the_export_is_a_post_only(client_for: Any, case: dict[str, Any]) -> None:
    client, review = _review(client_for, case)
    assert client.get(f"/retention/subject-access/reviews/{review.pk}/export").status_code == 405


def test_no_name_reaches_a_web_address_or_the_log(
    client_for: Any, case: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = _dpo(client_for, case)
    answer = client.post("/retention/subject-access/results", {"person": [str(case["subject"].pk)]})
    assert subject_access.REVIEW_URL.match(answer["Location"])
    review = SubjectAccessReview.objects.get()
    page = client.get(answer["Location"])
    for link in [answer["Location"], *_links(page.content.decode())]:
        for name in [*case["child"], *_names(case)]:
            assert name not in link
    client.post(answer["Location"], {"action": "accept_all"})
    subject_access.download(client, review)
    for name in [*case["child"], *_names(case)]:
        assert name not in caplog.text


def _links(html: str) -> list[str]:
    import re

    return re.findall(r'(?:href|action)="([^"]*)"', html)
