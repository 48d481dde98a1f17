"""The versions of the guidance that the rules in this package implement.

Each decision names the version of the rules it applied (``guidance_version``), so a
decision recorded today can still be explained after the guidance is revised. The
guidance's own "Approval Log" gives a review date (version 4: February 2024); once it has
passed, pages say so (:func:`is_past_review`), since a hub must not keep deciding under
guidance its partnership has not reviewed without knowing it.

A hub can load a newer version of its guidance (text and review date) without code: the
Django side keeps loaded versions in the database and installs a provider here with
:func:`set_provider`, so :func:`current_version` answers for the whole product while this
package stays pure Python (no Django import). Without a provider the built-in version
below is current.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import resources


@dataclass(frozen=True, slots=True)
class GuidanceVersion:
    """One published version of the guidance (its "Version Log" and "Approval Log").

    ``review_date`` is the Approval Log's words ("February 2024"); ``review_by`` is the
    last day of that review date, the day after which the version is past its review.
    ``text`` is the guidance's text; when empty, the built-in text of ``id`` is read from
    the package (``texts/<id>.txt``).
    """

    id: str
    title: str
    publisher: str
    version: int
    issued: str
    review_date: str
    contract_version: int
    review_by: date | None = None
    text: str = ""

    def full_text(self) -> str:
        """The guidance's text as published (the built-in file when ``text`` is empty)."""
        if self.text:
            return self.text
        resource = resources.files("mash.policy").joinpath("texts", f"{self.id}.txt")
        if not resource.is_file():
            return ""
        return resource.read_text(encoding="utf-8")

    def is_past_review(self, today: date) -> bool:
        """Approval Log, "Review date": True once ``today`` is after the review date."""
        return self.review_by is not None and today > self.review_by

    @property
    def label(self) -> str:
        """e.g. "Herefordshire MASH Information Sharing Guidance, version 4, May 2023"."""
        return f"{self.title}, version {self.version}, {self.issued}"


HEREFORDSHIRE_MASH_V4 = GuidanceVersion(
    id="herefordshire-mash-v4-2023-05",
    title="Herefordshire MASH Information Sharing Guidance",
    publisher="Herefordshire Safeguarding Children Partnership",
    version=4,
    issued="May 2023",
    review_date="February 2024",
    contract_version=2,
    review_by=date(2024, 2, 29),
)

CURRENT = HEREFORDSHIRE_MASH_V4
"""The built-in version the rules implement (the current one unless a hub loaded a newer)."""

VERSIONS: dict[str, GuidanceVersion] = {HEREFORDSHIRE_MASH_V4.id: HEREFORDSHIRE_MASH_V4}

_provider: Callable[[], GuidanceVersion] | None = None


def set_provider(provider: Callable[[], GuidanceVersion] | None) -> None:
    """Install (or, with None, remove) the function that says which version is current,
    e.g. the hub's loaded versions in the database."""
    global _provider
    _provider = provider


def current_version() -> GuidanceVersion:
    """The version of the guidance the hub works under now (loaded by the hub, or built in)."""
    if _provider is not None:
        return _provider()
    return CURRENT


def is_past_review(today: date, version: GuidanceVersion | None = None) -> bool:
    """Has the current version's (or ``version``'s) review date passed on ``today``?

    For the review-date banner: ``is_past_review(date.today())``.
    """
    return (version or current_version()).is_past_review(today)


def get_version(version_id: str) -> GuidanceVersion | None:
    """A built-in version by its id (loaded versions are looked up by the Django side)."""
    return VERSIONS.get(version_id)
