"""``mash sar PERSON_ID [PERSON_ID ...] --by USERNAME --out FILE.zip [--same-person]``
and ``mash sar --review REVIEW_ID --by USERNAME --out FILE.zip``: a subject access
export (ZIP: readable HTML and JSON) of everything the hub holds about a person, with
the redactions the DPO accepted applied.

A person is named by the id of their record in an enquiry (a UUID: the DPO's search
page shows it, and the admin), never by name, so no personal data lands in shell
history. ``--same-person`` adds every record with the same name and date of birth (the
same person in other enquiries). ``--by`` names the DPO answering the request: the
review of the proposed redactions is theirs, and the record shows who exported.

As on the DPO's page, nothing is released before its review: given people, the command
prepares the review (the hub's proposed redactions of third parties' names) and writes
the export only if there is nothing to decide; otherwise it stops (exit 3), naming the
review page, where the DPO decides each proposal. ``--review`` then writes the export
of that review with the accepted redactions applied. Both are recorded.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from mash.agencies.models import User
from mash.enquiries.models import Person
from mash.retention import sar, services
from mash.retention.models import ProposalDecision, SubjectAccessReview

# Exit status when the export waits for the DPO's review of the proposed redactions.
AWAITS_REVIEW = 3


class Command(BaseCommand):
    help = "Export everything held about a person (subject access request) as a ZIP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", nargs="*", help="the id (UUID) of the person's record")
        parser.add_argument("--out", type=Path, required=True, help="the ZIP file to write")
        parser.add_argument(
            "--same-person",
            action="store_true",
            help="add every record with the same name and date of birth",
        )
        parser.add_argument(
            "--review", help="the id of a review decided on the DPO's page: export it"
        )
        parser.add_argument("--by", help="username of the DPO answering the request")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["person"]) == bool(options["review"]):
            raise CommandError("name the person's records, or --review, not both", returncode=2)
        actor = User.objects.filter(username=options["by"] or "", is_active=True).first()
        if actor is None or not (actor.role == "dpo" and actor.agency and actor.agency.is_hub):
            raise CommandError(
                "--by: name an active DPO of the hub (the review is theirs)", returncode=2
            )
        out: Path = options["out"]
        if out.exists():
            raise CommandError(f"{out} exists: choose a new file", returncode=2)
        if options["review"]:
            review = self._review(options["review"], actor)
        else:
            review = self._prepare(self._people(options), actor)
        try:
            content = services.release_subject_access(
                actor=actor, review=review, via="command line"
            )
        except services.ReviewOutOfDate as changed:
            raise CommandError(
                "the records changed since the review: review the proposals again at "
                + reverse("retention:sar-review", kwargs={"review_id": changed.review.pk}),
                returncode=AWAITS_REVIEW,
            ) from None
        except ValidationError as error:
            raise CommandError(
                "; ".join(m for ms in error.message_dict.values() for m in ms), returncode=2
            ) from None
        except (ValueError, PermissionDenied) as error:
            raise CommandError(str(error) or "not this DPO's review", returncode=2) from None
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        count = len(review.people)
        self.stdout.write(
            f"Wrote {out}: {count} record{'s' if count != 1 else ''} of the person, "
            f"{review.proposals.filter(decision=ProposalDecision.ACCEPTED).count()} "
            "redactions applied. The export is recorded."
        )

    def _people(self, options: dict[str, Any]) -> list[Person]:
        ids = []
        for value in options["person"]:
            try:
                ids.append(uuid.UUID(value))
            except ValueError:
                raise CommandError(f"not a person id (a UUID): {value!r}", returncode=2) from None
        people = list(Person.objects.filter(pk__in=ids).select_related("enquiry"))
        missing = set(ids) - {p.pk for p in people}
        if missing:
            raise CommandError(
                f"no person with id {', '.join(sorted(map(str, missing)))}", returncode=2
            )
        if options["same_person"]:
            found = {p.pk: p for p in people}
            for person in list(people):
                for other in sar.same_person(person).select_related("enquiry"):
                    found.setdefault(other.pk, other)
            people = list(found.values())
        return people

    def _prepare(self, people: list[Person], actor: Any) -> SubjectAccessReview:
        try:
            review = services.prepare_subject_access_review(actor=actor, people=people)
        except ValidationError as error:
            raise CommandError(
                "; ".join(m for ms in error.message_dict.values() for m in ms), returncode=2
            ) from None
        except ValueError as error:  # RestrictedRecords
            raise CommandError(str(error), returncode=2) from None
        undecided = review.proposals.filter(decision=ProposalDecision.UNDECIDED).count()
        if undecided:
            raise CommandError(
                f"{undecided} proposed redaction{'s' if undecided != 1 else ''} to review "
                "before release: decide each at "
                + reverse("retention:sar-review", kwargs={"review_id": review.pk})
                + f", then run: mash sar --review {review.pk} --by {actor.username} "
                "--out FILE.zip",
                returncode=AWAITS_REVIEW,
            )
        return review

    def _review(self, value: str, actor: Any) -> SubjectAccessReview:
        try:
            review_id = uuid.UUID(value)
        except ValueError:
            raise CommandError(
                f"--review: not a review id (a UUID): {value!r}", returncode=2
            ) from None
        review = SubjectAccessReview.objects.filter(pk=review_id, hub=actor.agency).first()
        if review is None:
            raise CommandError(f"--review: no review {review_id} in the hub", returncode=2)
        return review
