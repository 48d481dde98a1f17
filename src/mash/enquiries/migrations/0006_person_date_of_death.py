from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0005_encrypt_restriction_reasons"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="date_of_death",
            field=models.DateField(
                blank=True,
                help_text="Recorded when the hub learns of it; starts retention kept from a death.",
                null=True,
            ),
        ),
    ]
