"""Walking the DPO's subject access pages as the DPO does: the chosen records are
prepared for review, each proposed redaction is decided, and the export downloaded."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

from mash.retention.models import RedactionProposal, SubjectAccessReview

REVIEW_URL = re.compile(r"^/retention/subject-access/reviews/([0-9a-f-]{36})$")


def prepare(client: Any, people: list[Any]) -> SubjectAccessReview:
    """Post the chosen records from the results page: the hub prepares the review."""
    response = client.post(
        "/retention/subject-access/results", {"person": [str(p.pk) for p in people]}
    )
    assert response.status_code == 302, response.status_code
    found = REVIEW_URL.match(response["Location"])
    assert found, response["Location"]
    return SubjectAccessReview.objects.get(pk=found.group(1))


def decide_all(client: Any, review: SubjectAccessReview, decision: str) -> Any:
    """Post the same decision for every proposal, as the radios would."""
    data = {f"decision-{p.pk}": decision for p in review.proposals.all()}
    response = client.post(
        f"/retention/subject-access/reviews/{review.pk}", {**data, "action": "save"}
    )
    assert response.status_code == 302, response.status_code
    return response


def download(client: Any, review: SubjectAccessReview) -> tuple[Any, dict[str, Any], str]:
    response = client.post(f"/retention/subject-access/reviews/{review.pk}/export")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["subject-access.html", "subject-access.json"]
    data = json.loads(archive.read("subject-access.json"))
    return response, data, archive.read("subject-access.html").decode()


def proposals(review: SubjectAccessReview) -> list[RedactionProposal]:
    return list(RedactionProposal.objects.filter(review=review).order_by("position"))
