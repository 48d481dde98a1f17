"""``mash sar PERSON_ID [PERSON_ID ...] --out FILE.zip [--same-person] [--by USERNAME]``:
a subject access export (ZIP: readable HTML and JSON) of everything the hub holds
about a person.

A person is named by the id of their record in an enquiry (a UUID: the DPO's search
page shows it, and the admin), never by name, so no personal data lands in shell
history. ``--same-person`` adds every record with the same name and date of birth (the
same person in other enquiries). ``--by`` names the DPO answering the request (the
record shows who exported; default: the system). The export is recorded.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mash.agencies.models import User
from mash.enquiries.models import Person
from mash.retention import sar


class Command(BaseCommand):
    help = "Export everything held about a person (subject access request) as a ZIP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", nargs="+", help="the id (UUID) of the person's record")
        parser.add_argument("--out", type=Path, required=True, help="the ZIP file to write")
        parser.add_argument(
            "--same-person",
            action="store_true",
            help="add every record with the same name and date of birth",
        )
        parser.add_argument("--by", help="username of the DPO answering the request")

    def handle(self, *args: Any, **options: Any) -> None:
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
        actor = None
        if options["by"]:
            actor = User.objects.filter(username=options["by"], is_active=True).first()
            if actor is None or not (actor.role == "dpo" and actor.agency and actor.agency.is_hub):
                raise CommandError("--by: not an active DPO of the hub", returncode=2)
        out: Path = options["out"]
        if out.exists():
            raise CommandError(f"{out} exists: choose a new file", returncode=2)
        try:
            content = sar.export(actor=actor, people=people, via="command line")
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from None
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        self.stdout.write(
            f"Wrote {out}: {len(people)} record{'s' if len(people) != 1 else ''} of the person "
            f"in {len({p.enquiry_id for p in people})} enquiries. The export is recorded."
        )
