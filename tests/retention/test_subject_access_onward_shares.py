"""Who the person's information went to (UK GDPR Article 15(1)(c): "the recipients ...
to whom the personal data have been or will be disclosed"): the hub passing an item about
them on to another agency is in the subject access export, with the recipient, the
purpose, the lawful basis and when; the purpose is read for names to redact like any other
text; and an onward share of an item about someone else is not in their export."""

from __future__ import annotations

from typing import Any

from mash.retention import sar
from tests.sharing.onward_helpers import PURPOSE, make_case, pass_free_item


def test_the_export_names_who_the_hub_passed_the_persons_information_to(
    db: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    case = make_case(cast, agencies)
    share = pass_free_item(cast["hub_practitioner"], case, agencies["health"])

    data = sar.bundle([case.child])

    [entry] = data["onward_shares"]
    assert entry["id"] == str(share.pk)
    assert entry["recipient"] == "health"
    assert entry["recipient_name"] == agencies["health"].name
    assert entry["purpose"] == PURPOSE
    assert entry["article_6"] == "6(1)(e)"
    assert entry["items"] == [str(case.free.pk)]
    assert entry["givers"] == ["police"]
    assert entry["enquiry_reference"] == case.enquiry.reference
    assert ("onward_shares", "Information the hub passed on to other agencies") in sar.SECTIONS
    # The purpose is free text: it is read for third parties' names like other text.
    assert sar.SCANNED["onward_shares"] == ("purpose",)


def test_someone_the_items_are_not_about_has_no_onward_share_in_their_export(
    db: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from mash.enquiries.models import Person

    case = make_case(cast, agencies)
    pass_free_item(cast["hub_practitioner"], case, agencies["health"])
    other = Person.objects.create(
        enquiry=case.enquiry, kind="parent", first_name="Sam", last_name="Other"
    )

    assert sar.bundle([other])["onward_shares"] == []


def test_the_export_file_has_the_section(
    db: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    import io
    import json
    import zipfile

    case = make_case(cast, agencies)
    pass_free_item(cast["hub_practitioner"], case, agencies["health"])
    archive = zipfile.ZipFile(io.BytesIO(sar.zip_bytes(sar.bundle([case.child]))))
    names = archive.namelist()
    data = json.loads(archive.read(next(n for n in names if n.endswith(".json"))))
    assert data["onward_shares"][0]["recipient"] == "health"
    html = next((archive.read(n).decode() for n in names if n.endswith(".html")), "")
    assert "Information the hub passed on to other agencies" in html


def test_a_third_partys_name_in_the_purpose_is_proposed_for_redaction(
    db: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from mash.sharing import onward

    case = make_case(cast, agencies)
    parent = case.enquiry.people.get(kind="parent")
    onward.pass_on(
        actor=cast["hub_practitioner"],
        enquiry=case.enquiry,
        items=[case.free],
        recipient=agencies["health"],
        purpose=f"The health visitor sees {parent.first_name} {parent.last_name} on Friday",
        article_6="6(1)(e)",
    )

    data = sar.bundle([case.child])
    found = [p for p in sar.proposals(data, [case.child]) if p.section == "onward_shares"]
    assert [(p.field, p.text) for p in found] == [
        ("purpose", f"{parent.first_name} {parent.last_name}")
    ]
