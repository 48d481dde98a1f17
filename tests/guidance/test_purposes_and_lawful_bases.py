"""The hub's purposes list and each agency's lawful bases, set in the admin and seeded by
``mash demo``; the lawful bases feed the decision's ``lawful_basis.allowed``."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mash.agencies.models import User
from mash.guidance.models import AgencyLawfulBases, SharingPurpose
from mash.guidance.selectors import active_purposes, allowed_lawful_bases
from mash.guidance.services import ensure_defaults
from mash.policy import QuestionError, validate
from mash.records.models import RecordEntry


def _admin() -> Client:
    root = User.objects.create_superuser(username="root", password="x" * 20)
    client = Client()
    client.force_login(root)
    return client


def test_an_administrator_sets_an_agencys_lawful_bases(agencies: dict[str, Any]) -> None:
    police = agencies["police"]
    response = _admin().post(
        "/admin/guidance/agencylawfulbases/add/",
        {"agency": police.pk, "codes": ["6(1)(e)", "para_18", "9(2)(g)"]},
    )
    assert response.status_code == 302
    assert allowed_lawful_bases(police.pk) == ["6(1)(e)", "9(2)(g)", "para_18"]
    assert RecordEntry.objects.filter(action="admin.added").exists()


def test_an_unknown_code_is_refused(agencies: dict[str, Any]) -> None:
    response = _admin().post(
        "/admin/guidance/agencylawfulbases/add/",
        {"agency": agencies["police"].pk, "codes": ["6(1)(f)"]},
    )
    assert response.status_code == 200
    assert "codes" in response.context["adminform"].form.errors
    assert not AgencyLawfulBases.objects.exists()


def test_an_agency_with_no_bases_set_may_choose_any(agencies: dict[str, Any]) -> None:
    assert allowed_lawful_bases(agencies["health"].pk) is None


def test_the_agencys_list_refuses_a_basis_it_may_not_rely_on(agencies: dict[str, Any]) -> None:
    ensure_defaults(agencies.values())
    allowed = allowed_lawful_bases(agencies["police"].pk)
    assert allowed is not None and "6(1)(a)" not in allowed
    with pytest.raises(QuestionError) as error:
        validate({"lawful_basis": {"article_6": "6(1)(a)", "allowed": allowed}})
    assert error.value.paths == ["lawful_basis.article_6"]


def test_an_administrator_adds_a_purpose(db: Any) -> None:
    response = _admin().post(
        "/admin/guidance/sharingpurpose/add/",
        {"code": "missing_child", "name": "Missing child", "active": "on", "order": "9"},
    )
    assert response.status_code == 302
    assert ("missing_child", "Missing child") in active_purposes()


def test_the_demo_seeds_purposes_and_bases_once_without_overwriting(
    agencies: dict[str, Any],
) -> None:
    ensure_defaults(agencies.values())
    police = AgencyLawfulBases.objects.get(agency=agencies["police"])
    police.codes = ["6(1)(e)"]
    police.save()
    ensure_defaults(agencies.values())
    assert AgencyLawfulBases.objects.get(agency=agencies["police"]).codes == ["6(1)(e)"]
    assert SharingPurpose.objects.filter(code="child_protection").count() == 1
