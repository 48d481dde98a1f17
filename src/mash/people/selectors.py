"""Reading the person index: "already known" for an enquiry's people (issue 14)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import F, QuerySet, Subquery
from django.db.models.functions import Coalesce

from mash.enquiries.models import Enquiry, Outcome, Person

from .models import MatchSuggestion, PersonLink, SuggestionStatus

#: Earlier enquiries read for the panel, across the enquiry's people.
EARLIER_LIMIT = 200


@dataclass(frozen=True)
class Earlier:
    enquiry_id: uuid.UUID
    reference: str
    when: dt.datetime
    outcome: str
    restricted: bool


@dataclass
class History:
    earlier: list[Earlier] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len({e.enquiry_id for e in self.earlier})

    @property
    def last_contact(self) -> dt.datetime | None:
        return max((e.when for e in self.earlier), default=None)

    @property
    def outcomes(self) -> list[str]:
        seen: list[str] = []
        for e in self.earlier:
            if e.outcome and not e.restricted and e.outcome not in seen:
                seen.append(e.outcome)
        return seen


@dataclass
class Known:
    """One person of the enquiry: whom they are linked to and what is suggested."""

    person: Any
    indexed_person_id: uuid.UUID | None
    how: str
    history: History
    suggestions: list[tuple[MatchSuggestion, History]]

    @property
    def anything(self) -> bool:
        return bool(self.history.earlier or self.suggestions)


def already_known(enquiry: Enquiry) -> list[Known]:
    """For each person of ``enquiry``: the earlier enquiries of the indexed person they
    are linked to (a certain or confirmed match) and the open suggestions with theirs
    (a repeat referral is ``mash.people.repeats``). Three queries whatever the history's length."""
    links = {
        link.person_id: link
        for link in PersonLink.objects.filter(person__enquiry=enquiry).select_related("person")
    }
    suggestions = list(
        MatchSuggestion.objects.filter(
            person__enquiry=enquiry, status=SuggestionStatus.OPEN
        ).order_by("person_id", "-score")
    )
    ip_ids = {link.indexed_person_id for link in links.values()} | {
        s.indexed_person_id for s in suggestions
    }
    rows = (
        PersonLink.objects.filter(indexed_person_id__in=ip_ids, person__enquiry__hub=enquiry.hub)
        .exclude(person__enquiry=enquiry)
        .annotate(
            when=Coalesce(F("person__enquiry__received_at"), F("person__enquiry__created_at"))
        )
        .values(
            "indexed_person_id",
            "person__enquiry_id",
            "person__enquiry__reference",
            "person__enquiry__outcome",
            "person__enquiry__restriction__id",
            "when",
        )
        .order_by("-when")[:EARLIER_LIMIT]
    )
    histories: dict[Any, History] = defaultdict(History)
    outcome_labels = dict(Outcome.choices)
    for row in rows:
        histories[row["indexed_person_id"]].earlier.append(
            Earlier(
                enquiry_id=row["person__enquiry_id"],
                reference=row["person__enquiry__reference"],
                when=row["when"],
                outcome=str(outcome_labels.get(row["person__enquiry__outcome"], "")),
                restricted=row["person__enquiry__restriction__id"] is not None,
            )
        )
    by_person: dict[Any, list[MatchSuggestion]] = defaultdict(list)
    for s in suggestions:
        by_person[s.person_id].append(s)
    known = []
    for link in links.values():
        history = histories.get(link.indexed_person_id, History())
        known.append(
            Known(
                person=link.person,
                indexed_person_id=link.indexed_person_id,
                how=link.get_how_display(),
                history=history,
                suggestions=[
                    (s, histories.get(s.indexed_person_id, History()))
                    for s in by_person.get(link.person_id, [])
                ],
            )
        )
    known.sort(key=lambda k: (k.person.created_at, str(k.person.pk)))
    return known


def viewed_details(known: list[Known]) -> dict[str, Any]:
    """What the panel showed, for its record entry (ids only)."""
    return {
        "indexed_people": sorted({str(k.indexed_person_id) for k in known}),
        "suggestions": sorted(str(s.pk) for k in known for s, _ in k.suggestions),
        "earlier_enquiries": sorted(
            {str(e.enquiry_id) for k in known for e in k.history.earlier}
            | {str(e.enquiry_id) for k in known for _, h in k.suggestions for e in h.earlier}
        ),
    }


def search_scope(user: Any) -> dict[str, Any]:
    """The hub whose index the user searches, and for a partner their agency (the
    people named in requests sent to it). Raises ``Http404`` where there is no hub."""
    from django.http import Http404

    from mash.agencies.models import Agency

    from . import permissions

    if permissions.is_hub_reader(user):
        return {"hub_id": user.agency_id, "agency_id": None}
    hub = Agency.objects.filter(is_hub=True, active=True).order_by("code").first()
    if hub is None:
        raise Http404
    return {"hub_id": hub.pk, "agency_id": user.agency_id}


# ---------------------------------------------------------------------------------------
# An indexed person's birth, as their records know it

_NEWEST = ("-created_at", "-pk")


def born_annotations(records: QuerySet[Person]) -> dict[str, Any]:
    """Annotations of an indexed person's birth from ``records`` (their records, the
    query correlated to the indexed person with ``OuterRef``): ``date_of_birth``, that of
    the latest record that has one (a later record may have only an estimated age, e.g.
    after a merge); ``estimated_age`` and ``estimated_on`` (when it was estimated: the
    enquiry's receipt), those of the latest record with an estimated age, shown only
    where no record has a date of birth."""
    dated = records.filter(date_of_birth__isnull=False).order_by(*_NEWEST)
    aged = records.filter(estimated_age__isnull=False).order_by(*_NEWEST)
    aged = aged.annotate(
        _estimated_on=Coalesce(F("enquiry__received_at"), F("enquiry__created_at"))
    )
    return {
        "date_of_birth": Subquery(
            dated.values("date_of_birth")[:1], output_field=models.DateField()
        ),
        "estimated_age": Subquery(
            aged.values("estimated_age")[:1], output_field=models.IntegerField()
        ),
        "estimated_on": Subquery(
            aged.values("_estimated_on")[:1], output_field=models.DateTimeField()
        ),
    }


@dataclass(frozen=True)
class Born:
    date_of_birth: dt.date | None = None
    estimated_age: int | None = None
    estimated_on: dt.datetime | None = None


def born_of(records: QuerySet[Person]) -> Born:
    """The birth of one indexed person from their records (at most two queries): the
    latest record's date of birth that has one, else the latest estimated age."""
    dated = records.filter(date_of_birth__isnull=False).order_by(*_NEWEST)
    born = dated.values_list("date_of_birth", flat=True).first()
    if born is not None:
        return Born(date_of_birth=born)
    aged = (
        records.filter(estimated_age__isnull=False)
        .order_by(*_NEWEST)
        .values_list("estimated_age", "enquiry__received_at", "enquiry__created_at")
        .first()
    )
    if aged is None:
        return Born()
    return Born(estimated_age=aged[0], estimated_on=aged[1] or aged[2])


#: People offered to merge with, at most (those sharing most blocking keys).
MERGE_CHOICES = 10


@dataclass(frozen=True)
class Described:
    """An indexed person as the merge pages show them: their latest record's name and
    date of birth, and how many records are linked to them."""

    indexed_person_id: uuid.UUID
    name: str
    date_of_birth: dt.date | None
    records: int
    references: list[str]
    estimated_age: int | None = None
    estimated_on: dt.datetime | None = None


def describe(ip_ids: list[Any]) -> dict[Any, Described]:
    """Each of these indexed people, described (two queries whatever their number),
    with the best date of birth their records know (``born_annotations``)."""
    from django.db.models import Count, OuterRef

    from .models import IndexedPerson

    records = Person.objects.filter(index_link__indexed_person_id=OuterRef("pk"))
    rows = (
        IndexedPerson.objects.filter(pk__in=ip_ids)
        .annotate(records=Count("links"))
        .annotate(**born_annotations(records))
        .values(
            "pk",
            "records",
            "latest_person__first_name",
            "latest_person__last_name",
            "date_of_birth",
            "estimated_age",
            "estimated_on",
        )
    )
    refs: dict[Any, list[str]] = defaultdict(list)
    for ip_id, reference in (
        PersonLink.objects.filter(indexed_person_id__in=ip_ids)
        .order_by("-person__created_at")
        .values_list("indexed_person_id", "person__enquiry__reference")
    ):
        if reference not in refs[ip_id]:
            refs[ip_id].append(reference)
    return {
        row["pk"]: Described(
            indexed_person_id=row["pk"],
            name=" ".join(
                n for n in (row["latest_person__first_name"], row["latest_person__last_name"]) if n
            ),
            date_of_birth=row["date_of_birth"],
            records=row["records"],
            references=refs.get(row["pk"], []),
            estimated_age=None if row["date_of_birth"] else row["estimated_age"],
            estimated_on=None if row["date_of_birth"] else row["estimated_on"],
        )
        for row in rows
    }


def describe_merged(merges: list[Any]) -> dict[Any, Described]:
    """Each merge's merged person as they were: described by the records the merge moved
    (one query whatever the number of merges). Once merged, a person has no records of
    their own, so ``describe`` would say "Not known" in the merge history."""
    wanted = {str(link_id): m.pk for m in merges for link_id in m.moved_links}
    if not wanted:
        return {}
    people: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
    for link_id, created, first, last, born, reference, age, received, started in (
        PersonLink.objects.filter(pk__in=list(wanted))
        .order_by("-person__created_at", "-person__pk")
        .values_list(
            "pk",
            "person__created_at",
            "person__first_name",
            "person__last_name",
            "person__date_of_birth",
            "person__enquiry__reference",
            "person__estimated_age",
            "person__enquiry__received_at",
            "person__enquiry__created_at",
        )
    ):
        people[wanted[str(link_id)]].append(
            (created, first, last, born, reference, age, received or started)
        )
    described = {}
    for m in merges:
        rows = people.get(m.pk, [])
        latest = rows[0] if rows else None
        references: list[str] = []
        for row in rows:
            if row[4] not in references:
                references.append(row[4])
        # The latest record with a date of birth; else the latest with an estimated age.
        dated = next((row for row in rows if row[3] is not None), None)
        aged = None if dated else next((row for row in rows if row[5] is not None), None)
        described[m.pk] = Described(
            indexed_person_id=m.merged_id,
            name=" ".join(n for n in (latest[1], latest[2]) if n) if latest else "",
            date_of_birth=dated[3] if dated else None,
            records=len(rows),
            references=references,
            estimated_age=aged[5] if aged else None,
            estimated_on=aged[6] if aged else None,
        )
    return described


def merge_choices(person: Any) -> list[Described]:
    """The indexed people of the same hub who may be ``person`` (not merged into anyone):
    those sharing most blocking keys with their records, then most recent first; never
    someone recorded in an enquiry with them (two people of one enquiry are two)."""
    from django.db.models import Count

    from .models import BlockingKey

    theirs = BlockingKey.objects.filter(indexed_person_id=person.pk).values("key")
    with_them = PersonLink.objects.filter(
        person__enquiry_id__in=PersonLink.objects.filter(indexed_person_id=person.pk).values(
            "person__enquiry_id"
        )
    ).values("indexed_person_id")
    ranked = list(
        BlockingKey.objects.filter(
            key__in=theirs,
            indexed_person__hub_id=person.hub_id,
            indexed_person__merged_into__isnull=True,
        )
        .exclude(indexed_person_id=person.pk)
        .exclude(indexed_person_id__in=with_them)
        .values("indexed_person_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "indexed_person_id")[:MERGE_CHOICES]
    )
    ids = [row["indexed_person_id"] for row in ranked]
    described = describe(ids)
    return [described[i] for i in ids if i in described]


def merges_of(person: Any) -> list[Any]:
    """The merges ``person`` took part in (kept or merged), newest first."""
    from django.db.models import Q

    from .models import Merge

    return list(
        Merge.objects.filter(Q(kept=person) | Q(merged=person))
        .select_related("merged_by", "undone_by")
        .order_by("-merged_at")[:100]
    )
