"""Who may do what with the hub's enquiries: a matrix of role x agency x action.

Hub practitioners and managers see and change their hub's enquiries; the hub's DPO
sees them (403 on change pages, since they know the enquiry exists); partner agency
staff get 404 on every hub page, exactly as if it did not exist; anonymous visitors are
sent to sign in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mash.enquiries import permissions
from mash.enquiries.models import Enquiry

HUB_STAFF = ["hub_practitioner", "hub_manager"]
PARTNERS = ["police_practitioner", "police_manager", "health_practitioner", "outsider"]

# (action name, method, path template, data). {e} is the enquiry id, {p} a person's id.
ACTIONS: list[tuple[str, str, str, dict[str, str]]] = [
    ("list", "get", "/enquiries/", {}),
    ("list closed", "get", "/enquiries/?show=closed", {}),
    ("start page", "get", "/enquiries/new", {}),
    ("start", "post", "/enquiries/new", {}),
    ("view", "get", "/enquiries/{e}/", {}),
    ("received page", "get", "/enquiries/{e}/received", {}),
    ("answer concern", "post", "/enquiries/{e}/concern", {"concern": "Changed"}),
    ("people page", "get", "/enquiries/{e}/people", {}),
    (
        "add person",
        "post",
        "/enquiries/{e}/people/add",
        {"kind": "parent", "first_name": "A", "last_name": "B"},
    ),
    ("change person page", "get", "/enquiries/{e}/people/{p}/change", {}),
    ("remove person", "post", "/enquiries/{e}/people/{p}/remove", {}),
    ("check page", "get", "/enquiries/{e}/check", {}),
    ("submitted page", "get", "/enquiries/{e}/submitted", {}),
    ("close page", "get", "/enquiries/{e}/close", {}),
    # No level of need chosen: refused with a 400 past the permission check.
    ("close", "post", "/enquiries/{e}/close", {"outcomes": "early_help", "rationale": "x"}),
]

# What each of the hub's people gets: status code per action (open enquiry).
EXPECTED_HUB = {
    "list": 200,
    "list closed": 200,
    "start page": 200,
    "start": 302,
    "view": 200,
    "received page": 200,
    "answer concern": 302,
    "people page": 200,
    "add person": 302,
    "change person page": 200,
    "remove person": 400,  # refused only because an agency was asked about the child
    "check page": 302,  # an open enquiry has no check page: back to the enquiry
    "submitted page": 200,
    "close page": 200,
    "close": 400,
}
EXPECTED_DPO = {
    **dict.fromkeys(EXPECTED_HUB, 403),
    "list": 200,
    "list closed": 200,
    "view": 200,
    "submitted page": 200,
}


def run(c: Client, action: str, enquiry: Enquiry) -> int:
    _name, method, template, data = next(a for a in ACTIONS if a[0] == action)
    person = enquiry.people.first()
    path = template.format(e=enquiry.pk, p=person.pk if person else "")
    return getattr(c, method)(path, data).status_code


@pytest.fixture
def asked(enquiry: Enquiry, cast: dict[str, Any], agencies: dict[str, Any]) -> Enquiry:
    from tests.enquiries.sharing_helpers import ask

    ask(enquiry, agencies["police"], cast["hub_practitioner"], status="answered")
    return enquiry


@pytest.mark.parametrize("who", HUB_STAFF)
@pytest.mark.parametrize("action", [a[0] for a in ACTIONS])
def test_hub_staff_see_and_change_their_hubs_enquiries(
    client_for: Any, asked: Enquiry, who: str, action: str
) -> None:
    assert run(client_for(who), action, asked) == EXPECTED_HUB[action]


@pytest.mark.parametrize("action", [a[0] for a in ACTIONS])
def test_the_hubs_dpo_may_view_but_not_change(client_for: Any, asked: Enquiry, action: str) -> None:
    assert run(client_for("dpo"), action, asked) == EXPECTED_DPO[action]


@pytest.mark.parametrize("who", PARTNERS)
@pytest.mark.parametrize("action", [a[0] for a in ACTIONS])
def test_partner_agency_staff_get_not_found_on_every_hub_page(
    client_for: Any, asked: Enquiry, who: str, action: str
) -> None:
    before = Enquiry.objects.get(pk=asked.pk)
    assert run(client_for(who), action, asked) == 404
    after = Enquiry.objects.get(pk=asked.pk)
    assert (after.status, after.concern, after.people.count()) == (
        before.status,
        before.concern,
        before.people.count(),
    )
    assert Enquiry.objects.count() == 1


@pytest.mark.parametrize("action", [a[0] for a in ACTIONS])
def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client, asked: Enquiry, action: str
) -> None:
    _name, method, template, data = next(a for a in ACTIONS if a[0] == action)
    person = asked.people.first()
    assert person is not None
    response = getattr(client, method)(template.format(e=asked.pk, p=person.pk), data)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in?next=")


@pytest.mark.parametrize("who", [*HUB_STAFF, "dpo"])
def test_another_hubs_staff_get_not_found(
    who: str, asked: Enquiry, agencies: dict[str, Any], cast: dict[str, Any]
) -> None:
    from mash.agencies.models import Agency, User

    other = Agency.objects.create(
        code="other-hub", name="Other MASH", kind="childrens_social_care", is_hub=True
    )
    stranger = User.objects.create_user(username=f"other-{who}", agency=other, role=cast[who].role)
    c = Client()
    c.force_login(stranger)
    for action in ["view", "received page", "answer concern", "close page", "close"]:
        assert run(c, action, asked) == 404


def test_a_missing_enquiry_is_not_found(client_for: Any, cast: dict[str, Any]) -> None:
    c = client_for("hub_practitioner")
    assert c.get("/enquiries/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_a_user_without_an_agency_gets_not_found(db: Any, asked: Enquiry) -> None:
    from mash.agencies.models import User

    admin = User.objects.create_superuser(username="root", password="x" * 16)
    c = Client()
    c.force_login(admin)
    assert c.get("/enquiries/").status_code == 404
    assert c.get(f"/enquiries/{asked.pk}/").status_code == 404


def test_hub_staff_may_change_only_until_the_enquiry_is_closed(
    client_for: Any, closed: Enquiry, cast: dict[str, Any]
) -> None:
    for who in HUB_STAFF:
        assert permissions.can_change_enquiry(cast[who], closed)
        response = client_for(who).post(f"/enquiries/{closed.pk}/concern", {"concern": "x"})
        assert response.status_code == 302
        assert response["Location"] == f"/enquiries/{closed.pk}/"
    closed.refresh_from_db()
    assert closed.concern != "x"


def test_the_rules_as_a_table(cast: dict[str, Any], enquiry: Enquiry) -> None:
    """The permission functions themselves, for every member of the cast."""
    table = {
        who: (
            permissions.can_use_hub_pages(user),
            permissions.can_record_enquiry(user),
            permissions.can_view_enquiry(user, enquiry),
            permissions.can_change_enquiry(user, enquiry),
            permissions.can_close_enquiry(user, enquiry),
        )
        for who, user in cast.items()
    }
    assert table == {
        "hub_practitioner": (True, True, True, True, True),
        "hub_manager": (True, True, True, True, True),
        "dpo": (True, False, True, False, False),
        "police_practitioner": (False, False, False, False, False),
        "police_manager": (False, False, False, False, False),
        "health_practitioner": (False, False, False, False, False),
        "outsider": (False, False, False, False, False),
    }


def test_an_inactive_hub_user_is_refused(cast: dict[str, Any], enquiry: Enquiry) -> None:
    user = cast["hub_practitioner"]
    user.is_active = False
    assert not permissions.can_view_enquiry(user, enquiry)
