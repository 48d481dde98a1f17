"""A consent writer to kill (tests/consent/test_upload_killed_mid_write.py), run as
``python -m tests.consent.evidence_writer MODE ...`` against a real SQLite file
(``MASH_DATA_DIR``):

- ``setup``: a hub, a practitioner, an enquiry with a child; prints the child's id;
- ``write PERSON [hang]``: records consent with a 4 MB form through the real service;
  ``hang`` = ``before-commit`` stops (prints ``stored``) after the file is written and
  before the row commits, ``after-commit`` stops (prints ``committed``) after the commit
  and before the file is made final: the parent kills it there with SIGKILL;
- ``sweep``: the daily evidence sweep with no grace; prints its counts as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from typing import Any

import django


def _hang(message: str) -> None:
    print(message, flush=True)
    time.sleep(120)


def main(argv: list[str]) -> None:
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mash.agencies.models import Agency, User
    from mash.consent import evidence, services
    from mash.enquiries.models import Enquiry, Person

    mode = argv[0]
    if mode == "setup":
        hub = Agency.objects.create(
            code="hub", name="MASH", kind="childrens_social_care", is_hub=True
        )
        Agency.objects.create(code="police", name="Police", kind="police")
        user = User.objects.create_user(username="hana", agency=hub, role="practitioner")
        enquiry = Enquiry.objects.create(
            reference="MASH-KILL-1", hub=hub, status="open", created_by=user
        )
        child = Person.objects.create(enquiry=enquiry, kind="child", first_name="A", last_name="B")
        print(child.pk, flush=True)
        return
    if mode == "sweep":
        result = services.sweep_evidence(grace=dt.timedelta(0))
        print(json.dumps(result.__dict__), flush=True)
        return
    person = Person.objects.get(pk=argv[1])
    hang = argv[2] if len(argv) > 2 else ""
    if hang == "before-commit":
        real_store = evidence.store

        def store(*args: Any, **kwargs: Any) -> str:
            name = real_store(*args, **kwargs)
            _hang("stored")
            return name

        evidence.store = store  # type: ignore[assignment]
    elif hang == "after-commit":
        evidence.promote = lambda name: _hang("committed")  # type: ignore[assignment]
    form = b"%PDF-1.7\n" + b"0" * (4 * 1024 * 1024) + b"\n%%EOF\n"
    services.record_consent(
        actor=User.objects.get(username="hana"),
        person=person,
        status="given",
        giver="parental_responsibility",
        giver_relationship="Mother",
        purpose="MASH enquiry",
        method="written",
        given_on=dt.date(2026, 1, 5),
        evidence=SimpleUploadedFile("form.pdf", form, content_type="application/pdf"),
    )
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
