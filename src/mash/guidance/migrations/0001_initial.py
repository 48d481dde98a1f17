from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from typing import Any

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def load_builtin(apps: Any, schema_editor: Any) -> None:
    """The built-in version (Herefordshire MASH v4, May 2023), so decisions already made
    under it link to its text and the admin lists it."""
    from mash.policy.versions import CURRENT

    GuidanceVersion = apps.get_model("guidance", "GuidanceVersion")
    GuidanceVersion.objects.get_or_create(
        version_id=CURRENT.id,
        defaults={
            "title": CURRENT.title,
            "publisher": CURRENT.publisher,
            "version": CURRENT.version,
            "issued": CURRENT.issued,
            "review_date": CURRENT.review_by or date(2024, 2, 29),
            "text": CURRENT.full_text(),
            "loaded_at": datetime(2023, 5, 1, tzinfo=timezone.utc),
        },
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="GuidanceVersion",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("version_id", models.SlugField(help_text="A short, unique name for this version, e.g. herefordshire-mash-v5-2025-01. Decisions made under it name it.", max_length=40, unique=True, verbose_name="identifier")),
                ("title", models.CharField(default="Herefordshire MASH Information Sharing Guidance", max_length=200)),
                ("publisher", models.CharField(default="Herefordshire Safeguarding Children Partnership", max_length=200)),
                ("version", models.PositiveIntegerField(help_text="The number in the guidance's Version Log.")),
                ("issued", models.CharField(help_text="When it was issued, as the guidance says it, e.g. May 2023.", max_length=40)),
                ("review_date", models.DateField(help_text="The Approval Log's review date: after it, pages say the guidance is past its review date.")),
                ("text", models.TextField(help_text="The guidance's full text, as published.")),
                ("loaded_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ("loaded_by", models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "guidance version",
                "ordering": ["-loaded_at"],
                "indexes": [models.Index(fields=["-loaded_at"], name="guidance_loaded_at")],
            },
        ),
        migrations.RunPython(load_builtin, migrations.RunPython.noop),
    ]
