"""Triggers that make the record append-only in the database (see mash.records.triggers)."""

from django.db import migrations


def install(apps, schema_editor):
    from mash.records import triggers

    triggers.install(schema_editor.connection, triggers.FIRST_TABLES)


def remove(apps, schema_editor):
    from mash.records import triggers

    triggers.remove(schema_editor.connection, triggers.FIRST_TABLES)


class Migration(migrations.Migration):

    dependencies = [
        ("records", "0002_checkpoints_and_verification"),
    ]

    operations = [migrations.RunPython(install, remove)]
