"""Restricted enquiries and breaking the glass (issue 6, part 4): a hub manager restricts
an enquiry (a staff member's child, a high-profile family) to named users with a reason;
anyone else who could open it meets a "restricted" page and must break the glass with a
reason for time-limited access; each break is recorded and listed for the data
protection officer's review. Rules: mash/enquiries/permissions.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from mash.enquiries import services
from mash.enquiries.models import Enquiry, GlassBreak, Restriction
from mash.records.models import RecordEntry
from mash.sharing.models import InformationRequest
from tests.enquiries.sharing_helpers import ask, decide, disclose

REASON = "The child of a member of the hub's staff"
WHY = "Covering the duty desk: the police have rung about this child"
SECRET_ITEM = "Seen at the walk-in centre with a burn to the hand"


def _detail(enquiry: Enquiry) -> str:
    return reverse("enquiries:detail", kwargs={"enquiry_id": enquiry.pk})


def _child(enquiry: Enquiry) -> Any:
    return enquiry.people.get(kind="child")


def _entries(action: str) -> list[RecordEntry]:
    return list(RecordEntry.objects.filter(action=action))


@pytest.fixture
def police_request(enquiry: Enquiry, cast: dict[str, Any]) -> InformationRequest:
    request = ask(enquiry, cast["police_practitioner"].agency, cast["hub_practitioner"])
    disclose(decide(request, cast["police_practitioner"]), [_child(enquiry)], text=SECRET_ITEM)
    return request


@pytest.fixture
def restricted(enquiry: Enquiry, cast: dict[str, Any], police_request: Any) -> Enquiry:
    """Restricted by the hub manager (Harriet) to herself alone: the hub practitioner,
    the DPO and the police are not named."""
    services.restrict_enquiry(enquiry=enquiry, actor=cast["hub_manager"], users=[], reason=REASON)
    return enquiry


def _break(client: Client, enquiry: Enquiry, reason: str = WHY, nxt: str = "") -> Any:
    return client.post(
        reverse("enquiries:break-glass", kwargs={"enquiry_id": enquiry.pk}),
        {"reason": reason, "next": nxt or _detail(enquiry)},
    )


# --- restricting ----------------------------------------------------------------------


def test_a_hub_manager_restricts_an_enquiry_to_named_users_with_a_reason(
    client_for: Any, cast: dict[str, Any], enquiry: Enquiry
) -> None:
    client = client_for("hub_manager")
    url = reverse("enquiries:restrict", kwargs={"enquiry_id": enquiry.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "Restrict this enquiry to named people" in page.content.decode()
    answer = client.post(url, {"users": [str(cast["dpo"].pk)], "reason": REASON})
    assert answer.status_code == 302
    restriction = Restriction.objects.get(enquiry=enquiry)
    assert restriction.reason == REASON
    assert set(restriction.users.all()) == {cast["dpo"], cast["hub_manager"]}
    [entry] = _entries("enquiry.restricted")
    assert entry.actor_user_id == cast["hub_manager"].pk
    assert sorted(entry.details["users"]) == sorted(
        [str(cast["dpo"].pk), str(cast["hub_manager"].pk)]
    )
    assert REASON not in str(entry.details), "the record holds ids, never the free text"


def test_restricting_without_a_reason_is_refused_and_nothing_is_saved(
    client_for: Any, enquiry: Enquiry
) -> None:
    answer = client_for("hub_manager").post(
        reverse("enquiries:restrict", kwargs={"enquiry_id": enquiry.pk}), {"reason": "  "}
    )
    assert answer.status_code == 400
    assert "Enter why the enquiry is restricted" in answer.content.decode()
    assert not Restriction.objects.exists()
    assert not _entries("enquiry.restricted")


def test_a_restriction_may_name_only_staff_of_the_hub_or_the_agencies_asked(
    cast: dict[str, Any], enquiry: Enquiry
) -> None:
    with pytest.raises(Exception, match="Select people from the hub"):
        services.restrict_enquiry(
            enquiry=enquiry, actor=cast["hub_manager"], users=[cast["outsider"]], reason=REASON
        )
    assert not Restriction.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("hub_practitioner", 403), ("dpo", 403), ("police_manager", 404)]
)
def test_only_a_hub_manager_may_restrict(
    client_for: Any, enquiry: Enquiry, who: str, status: int
) -> None:
    url = reverse("enquiries:restrict", kwargs={"enquiry_id": enquiry.pk})
    assert client_for(who).get(url).status_code == status
    assert client_for(who).post(url, {"reason": REASON}).status_code == status
    assert not Restriction.objects.exists()


def test_a_manager_not_named_must_break_the_glass_before_changing_the_restriction(
    client_for: Any, cast: dict[str, Any], enquiry: Enquiry, agencies: dict[str, Any]
) -> None:
    from mash.agencies.models import User

    other = User.objects.create_user(
        username="hamid", password="x" * 20, agency=agencies["hub"], role="manager"
    )
    services.restrict_enquiry(enquiry=enquiry, actor=cast["hub_manager"], users=[], reason=REASON)
    client = Client()
    client.force_login(other)
    url = reverse("enquiries:restrict", kwargs={"enquiry_id": enquiry.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "taking it over"}).status_code == 403
    assert Restriction.objects.get().reason == REASON


# --- who meets the restricted page -------------------------------------------------------


def test_a_named_user_opens_a_restricted_enquiry_as_usual(
    client_for: Any, restricted: Enquiry
) -> None:
    page = client_for("hub_manager").get(_detail(restricted))
    assert page.status_code == 200
    body = page.content.decode()
    assert _child(restricted).first_name in body
    assert "Restricted enquiry" in body
    assert not GlassBreak.objects.exists()


def test_anyone_else_in_the_hub_meets_the_restricted_page_and_sees_nothing_of_the_enquiry(
    client_for: Any, cast: dict[str, Any], restricted: Enquiry
) -> None:
    page = client_for("hub_practitioner").get(_detail(restricted))
    assert page.status_code == 403
    body = page.content.decode()
    assert "This enquiry is restricted" in body
    assert restricted.reference in body
    for secret in (
        _child(restricted).first_name,
        _child(restricted).last_name,
        restricted.concern,
        SECRET_ITEM,
        REASON,
    ):
        assert secret not in body
    denied = RecordEntry.objects.filter(
        action="access.denied", actor_user_id=cast["hub_practitioner"].pk
    ).last()
    assert denied is not None and denied.object_id == str(restricted.pk)


def test_every_page_about_a_restricted_enquiry_is_restricted(
    client_for: Any, restricted: Enquiry, police_request: InformationRequest
) -> None:
    child = _child(restricted)
    decision = police_request.decisions.get()
    urls = [
        reverse("enquiries:close", kwargs={"enquiry_id": restricted.pk}),
        reverse("enquiries:step", kwargs={"enquiry_id": restricted.pk, "step": "concern"}),
        reverse(
            "enquiries:person-change", kwargs={"enquiry_id": restricted.pk, "person_id": child.pk}
        ),
        reverse("sharing:request-create", kwargs={"enquiry_id": restricted.pk}),
        reverse("sharing:request", kwargs={"request_id": police_request.pk}),
        reverse("sharing:decision", kwargs={"decision_id": decision.pk}),
        reverse("consent:person", kwargs={"person_id": child.pk}),
        reverse("consent:record", kwargs={"person_id": child.pk}),
    ]
    client = client_for("hub_practitioner")
    for url in urls:
        page = client.get(url)
        assert page.status_code == 403, url
        body = page.content.decode()
        assert "This enquiry is restricted" in body, url
        assert escape(child.last_name) not in body and SECRET_ITEM not in body, url


def test_the_api_refuses_a_restricted_enquirys_data_until_the_glass_is_broken(
    client_for: Any, restricted: Enquiry
) -> None:
    client = client_for("hub_practitioner")
    url = f"/api/v1/consent/people/{_child(restricted).pk}/position?agency=police"
    answer = client.get(url)
    assert answer.status_code == 403
    assert "restricted" in answer.json()["detail"]
    assert _break(client, restricted).status_code == 302
    assert client.get(url).status_code == 200


def test_someone_who_could_not_open_the_enquiry_anyway_still_gets_404(
    client_for: Any, restricted: Enquiry
) -> None:
    client = client_for("outsider")
    assert client.get(_detail(restricted)).status_code == 404
    assert _break(client, restricted).status_code == 404
    assert not GlassBreak.objects.exists()


# --- breaking the glass --------------------------------------------------------------------


def test_breaking_the_glass_with_a_reason_opens_the_enquiry_and_is_recorded(
    client_for: Any, cast: dict[str, Any], restricted: Enquiry
) -> None:
    client = client_for("hub_practitioner")
    answer = _break(client, restricted)
    assert answer.status_code == 302 and answer["Location"] == _detail(restricted)
    assert client.get(_detail(restricted)).status_code == 200
    glass = GlassBreak.objects.get()
    assert glass.user == cast["hub_practitioner"] and glass.reason == WHY
    assert glass.expires_at == glass.broken_at + timedelta(minutes=60)
    [entry] = _entries("enquiry.glass_broken")
    assert entry.actor_user_id == cast["hub_practitioner"].pk
    assert entry.enquiry_id == restricted.pk
    assert entry.details["glass_break"] == str(glass.pk)
    assert WHY not in str(entry.details)


def test_breaking_the_glass_without_a_reason_is_refused_and_nothing_is_saved(
    client_for: Any, restricted: Enquiry
) -> None:
    answer = _break(client_for("hub_practitioner"), restricted, reason="   ")
    assert answer.status_code == 400
    assert "Enter why you need to open this enquiry" in answer.content.decode()
    assert not GlassBreak.objects.exists()
    assert not _entries("enquiry.glass_broken")


def test_access_by_breaking_the_glass_runs_out(
    client_for: Any, restricted: Enquiry, settings: Any
) -> None:
    settings.BREAK_GLASS_MINUTES = 15
    client = client_for("hub_practitioner")
    _break(client, restricted)
    glass = GlassBreak.objects.get()
    assert glass.expires_at - glass.broken_at == timedelta(minutes=15)
    GlassBreak.objects.filter(pk=glass.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(_detail(restricted)).status_code == 403


def test_after_breaking_the_glass_only_a_path_on_this_site_is_followed(
    client_for: Any, restricted: Enquiry
) -> None:
    answer = _break(client_for("hub_practitioner"), restricted, nxt="https://evil.example/x")
    assert answer["Location"] == _detail(restricted)
    answer = _break(client_for("hub_practitioner"), restricted, nxt="//evil.example/x")
    assert answer["Location"] == _detail(restricted)


def test_a_partner_answering_the_hubs_request_must_break_the_glass_too(
    client_for: Any, restricted: Enquiry, police_request: InformationRequest
) -> None:
    client = client_for("police_practitioner")
    inbox = client.get(reverse("sharing:inbox")).content.decode()
    assert restricted.reference in inbox and "Restricted" in inbox
    assert escape(_child(restricted).last_name) not in inbox
    url = reverse("sharing:request", kwargs={"request_id": police_request.pk})
    page = client.get(url)
    assert page.status_code == 403 and "This enquiry is restricted" in page.content.decode()
    answer = _break(client, restricted, reason="Answering the hub's request", nxt=url)
    assert answer.status_code == 302 and answer["Location"] == url
    assert client.get(url).status_code == 200
    # Breaking the glass opens only what the partner could see anyway.
    assert client.get(_detail(restricted)).status_code == 404


# --- lists -------------------------------------------------------------------------------


def test_the_list_shows_a_restricted_enquiry_by_reference_only_to_those_not_named(
    client_for: Any, restricted: Enquiry
) -> None:
    child = _child(restricted)
    unnamed = client_for("hub_practitioner").get(reverse("enquiries:list")).content.decode()
    assert restricted.reference in unnamed and "Restricted" in unnamed
    assert child.first_name not in unnamed
    named = client_for("hub_manager").get(reverse("enquiries:list")).content.decode()
    assert child.first_name in named


# --- the data protection officer's review --------------------------------------------------


def test_the_dpo_lists_each_break_with_who_when_why_and_the_reference(
    client_for: Any, cast: dict[str, Any], restricted: Enquiry
) -> None:
    _break(client_for("hub_practitioner"), restricted)
    page = client_for("dpo").get(reverse("enquiries:glass-breaks"))
    assert page.status_code == 200
    body = page.content.decode()
    assert restricted.reference in body
    assert cast["hub_practitioner"].display_name in body
    assert WHY.replace("'", "&#x27;") in body
    assert _entries("glass_break.listed")


def test_the_dpo_marks_a_break_reviewed_and_that_is_recorded(
    client_for: Any, cast: dict[str, Any], restricted: Enquiry
) -> None:
    _break(client_for("hub_practitioner"), restricted)
    glass = GlassBreak.objects.get()
    url = reverse("enquiries:glass-break-review", kwargs={"glass_break_id": glass.pk})
    dpo = client_for("dpo")
    assert dpo.post(url).status_code == 302
    glass.refresh_from_db()
    assert glass.reviewed_by == cast["dpo"] and glass.reviewed_at is not None
    [entry] = _entries("glass_break.reviewed")
    assert entry.details["glass_break"] == str(glass.pk)
    # Reviewing again changes nothing and records nothing.
    assert dpo.post(url).status_code == 302
    assert len(_entries("glass_break.reviewed")) == 1
    # Reviewed breaks leave the "to review" list but stay in "all".
    assert restricted.reference not in dpo.get(reverse("enquiries:glass-breaks")).content.decode()
    assert (
        restricted.reference
        in dpo.get(reverse("enquiries:glass-breaks") + "?show=all").content.decode()
    )


@pytest.mark.parametrize(
    ("who", "status"), [("hub_practitioner", 403), ("hub_manager", 403), ("police_manager", 404)]
)
def test_only_the_hubs_dpo_reviews_breaks(
    client_for: Any, restricted: Enquiry, who: str, status: int
) -> None:
    _break(client_for("hub_practitioner"), restricted)
    glass = GlassBreak.objects.get()
    client = client_for(who)
    assert client.get(reverse("enquiries:glass-breaks")).status_code == status
    url = reverse("enquiries:glass-break-review", kwargs={"glass_break_id": glass.pk})
    assert client.post(url).status_code in {403, 404}
    glass.refresh_from_db()
    assert glass.reviewed_at is None


# --- lifting the restriction ---------------------------------------------------------------


def test_lifting_the_restriction_opens_the_enquiry_to_the_hub_again_and_is_recorded(
    client_for: Any, restricted: Enquiry
) -> None:
    answer = client_for("hub_manager").post(
        reverse("enquiries:unrestrict", kwargs={"enquiry_id": restricted.pk})
    )
    assert answer.status_code == 302
    assert not Restriction.objects.exists()
    assert _entries("enquiry.unrestricted")
    assert client_for("hub_practitioner").get(_detail(restricted)).status_code == 200


def test_a_practitioner_cannot_lift_a_restriction_even_after_breaking_the_glass(
    client_for: Any, restricted: Enquiry
) -> None:
    client = client_for("hub_practitioner")
    _break(client, restricted)
    answer = client.post(reverse("enquiries:unrestrict", kwargs={"enquiry_id": restricted.pk}))
    assert answer.status_code == 403
    assert Restriction.objects.exists()
