from __future__ import annotations

import csv
import io
from typing import Any

from mash.records.models import Action, RecordEntry
from mash.records.services import record
from tests.records.fixtures import make_enquiry


def _rows(response: Any) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_the_dpo_downloads_the_entries_about_an_enquiry_as_csv(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    enquiry = make_enquiry(cast, agencies)
    viewed = record(
        action=Action.ENQUIRY_VIEWED,
        actor=cast["police_practitioner"],
        obj=enquiry,
        enquiry=enquiry,
    )
    response = client_for("dpo").get(f"/record/activity.csv?enquiry={enquiry.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert [row["seq"] for row in rows] == [str(viewed.seq)]
    assert rows[0]["actor_username"] == "priya"
    assert rows[0]["hash"] == viewed.hash
    assert rows[0]["at"].endswith("Z")


def test_the_download_is_itself_recorded(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    enquiry = make_enquiry(cast, agencies)
    record(
        action=Action.ENQUIRY_VIEWED, actor=cast["hub_practitioner"], obj=enquiry, enquiry=enquiry
    )
    _rows(client_for("hub_manager").get(f"/record/activity.csv?enquiry={enquiry.pk}"))
    entry = RecordEntry.objects.get(action=Action.EXPORT_DOWNLOADED)
    assert entry.actor_user_id == cast["hub_manager"].pk
    assert entry.enquiry_id == enquiry.pk
    assert entry.details == {
        "page": "activity",
        "format": "csv",
        "filters": {"enquiry": str(enquiry.pk)},
        "rows": 1,
    }


def test_a_manager_downloads_only_their_agency(client_for: Any, cast: dict[str, Any]) -> None:
    record(action=Action.ENQUIRY_LISTED, actor=cast["hub_practitioner"])
    record(action=Action.ENQUIRY_LISTED, actor=cast["police_practitioner"])
    rows = _rows(client_for("police_manager").get("/record/activity.csv?action=enquiry.listed"))
    assert [row["actor_agency"] for row in rows] == ["police"]


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted(
    client_for: Any, cast: dict[str, Any]
) -> None:
    record(action=Action.ENQUIRY_LISTED, object_type="x", object_id="=HYPERLINK(1)")
    rows = _rows(client_for("dpo").get("/record/activity.csv?action=enquiry.listed"))
    assert rows[0]["object_id"] == "'=HYPERLINK(1)"
