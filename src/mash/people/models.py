"""The person index: one child (or adult) across the hub's enquiries (issue 14).

Each ``enquiries.Person`` (someone recorded in one enquiry) is linked to one
``IndexedPerson`` (the master record) by a ``PersonLink``. Matching
(``mash.people.matching``) decides: a certain match links automatically, a possible
match becomes a ``MatchSuggestion`` for a practitioner to confirm or reject, and never a
link on its own.

What the index stores, and what it does not: the indexed person holds no name, date of
birth or address of its own. Those stay where the hub keeps them, on each
``enquiries.Person`` (names and dates of birth plain, the address sealed under its
enquiry's data key), and are destroyed with it under retention. The index keeps only
blocking keys (``BlockingKey``): Metaphone codes of names, years of birth and the
postcode's sector ("HR1 2"), which find candidates without reading every person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class IndexedPerson(models.Model):
    """One person as the hub knows them across enquiries. ``merged_into`` is set when a
    practitioner merged this record into another (the merge can be undone)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    hub = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    # The latest record linked (its ``created_at``), kept by the services whenever links
    # move, so search's page is one join and sorts by a column (issue 14, "Search").
    # A pointer, not a copy: the name stays on the record and goes with it.
    latest_person = models.ForeignKey(
        "enquiries.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    latest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "indexed person"
        verbose_name_plural = "indexed people"
        indexes = [models.Index(fields=["hub", "-latest_at"], name="people_ip_hub_latest")]

    def __str__(self) -> str:
        return f"Indexed person {self.pk}"


class LinkedBy(models.TextChoices):
    AUTOMATIC = "automatic", "Automatically (a certain match)"
    NEW = "new", "New to the hub (no match)"
    CONFIRMED = "confirmed", "Confirmed by a practitioner"
    MERGED = "merged", "Merged by a practitioner"


class PersonLink(models.Model):
    """How one person recorded in an enquiry is linked to the indexed person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.OneToOneField(
        "enquiries.Person", on_delete=models.CASCADE, related_name="index_link"
    )
    # No index of its own: (indexed_person, linked_at) below begins with it.
    indexed_person = models.ForeignKey(
        IndexedPerson, on_delete=models.PROTECT, related_name="links", db_index=False
    )
    how = models.CharField(max_length=20, choices=LinkedBy.choices)
    score = models.FloatField(null=True, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["indexed_person", "linked_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} -> {self.indexed_person_id} ({self.how})"


class BlockingKey(models.Model):
    """One key of one linked person, e.g. ``fy:HKS:2015`` (the family name's Metaphone
    code and the year of birth). Candidates are the indexed people sharing a key."""

    id = models.BigAutoField(primary_key=True)
    link = models.ForeignKey(PersonLink, on_delete=models.CASCADE, related_name="keys")
    # No index of its own: (indexed_person, key) below begins with it. Every index of
    # this table is written for each of the nine or so keys of each person indexed.
    indexed_person = models.ForeignKey(
        IndexedPerson, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    key = models.CharField(max_length=60)

    class Meta:
        indexes = [
            models.Index(fields=["key", "indexed_person"]),
            models.Index(fields=["indexed_person", "key"]),
        ]

    def __str__(self) -> str:
        return self.key


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Awaiting a practitioner"
    CONFIRMED = "confirmed", "Confirmed: the same person"
    REJECTED = "rejected", "Rejected: not the same person"


class MatchSuggestion(models.Model):
    """A possible match: this person may be the indexed person. Never a link until a
    practitioner confirms it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the unique (person, indexed_person) begins with it.
    person = models.ForeignKey(
        "enquiries.Person",
        on_delete=models.CASCADE,
        related_name="match_suggestions",
        db_index=False,
    )
    indexed_person = models.ForeignKey(
        IndexedPerson, on_delete=models.CASCADE, related_name="suggestions"
    )
    match_class = models.CharField(max_length=10)
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "indexed_person"], name="people_one_suggestion_a_pair"
            )
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person_id} ~ {self.indexed_person_id} ({self.status})"


class RelationshipKind(models.TextChoices):
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    SIBLING = "sibling", "Sibling"
    HOUSEHOLD = "household", "Household member"
    PARTNER = "partner", "Partner"


class Relationship(models.Model):
    """``from_person`` is ``kind`` of ``to_person`` (a parent of the child)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the unique (from_person, to_person, kind, enquiry) begins
    # with it. (to_person's is the foreign key's own.)
    from_person = models.ForeignKey(
        IndexedPerson, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    to_person = models.ForeignKey(IndexedPerson, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    enquiry = models.ForeignKey(
        "enquiries.Enquiry", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_person", "to_person", "kind", "enquiry"],
                name="people_one_relationship",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_person_id} {self.kind} of {self.to_person_id}"


class Merge(models.Model):
    """A merge of ``merged`` into ``kept``: which links and relationships moved, so an
    unmerge can put back exactly what was before."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kept = models.ForeignKey(IndexedPerson, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(IndexedPerson, on_delete=models.PROTECT, related_name="+")
    moved_links = models.JSONField(default=list)
    moved_relationships = models.JSONField(default=dict)
    # Each moved link as it was before the merge (link id -> [how, linked by, linked at]),
    # restored by an unmerge.
    previous_how = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField()
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.merged_id} into {self.kept_id}"


class Search(models.Model):
    """One search of the index. The terms are sealed (``mash.people.sealing``): the
    record entry names this row, never the words searched for."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    sealed_terms = models.TextField()
    results = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"Search {self.pk}"
