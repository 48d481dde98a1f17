"""The versions of the guidance that the rules in this package implement.

Each decision names the version of the rules it applied (``guidance_version``), so a
decision recorded today can still be explained after the guidance is revised. When the
Herefordshire Safeguarding Children Partnership publishes a new version, add an entry
here, change the rules (citing the new sections) and point ``CURRENT`` at it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GuidanceVersion:
    """One published version of the guidance (its "Version Log" and "Approval Log")."""

    id: str
    title: str
    publisher: str
    version: int
    issued: str
    review_date: str
    contract_version: int


HEREFORDSHIRE_MASH_V4 = GuidanceVersion(
    id="herefordshire-mash-v4-2023-05",
    title="Herefordshire MASH Information Sharing Guidance",
    publisher="Herefordshire Safeguarding Children Partnership",
    version=4,
    issued="May 2023",
    review_date="February 2024",
    contract_version=1,
)

CURRENT = HEREFORDSHIRE_MASH_V4

VERSIONS: dict[str, GuidanceVersion] = {HEREFORDSHIRE_MASH_V4.id: HEREFORDSHIRE_MASH_V4}
