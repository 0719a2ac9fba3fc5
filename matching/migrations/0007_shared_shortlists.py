# Shortlists become the organisation's: step 1 of 3, the new fields and models beside the old
# ones (the data is carried over in 0008, the old per-user fields go in 0009). Split in three
# so that PostgreSQL never alters a table with row changes of the same transaction pending.

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import common.text


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0006_candidate_marks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DigestState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("top", models.JSONField(blank=True, default=list)),
                ("checked_at", models.DateTimeField()),
                ("actor", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="digest_state", to="directory.actor")),
            ],
        ),
        migrations.CreateModel(
            name="ShortlistNote",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.TextField(max_length=2000, validators=[common.text.validate_storable, django.core.validators.MaxLengthValidator(2000)])),
                ("written_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("author", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="shortlist_notes", to=settings.AUTH_USER_MODEL)),
                ("entry", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notes", to="matching.shortlistentry")),
            ],
            options={"ordering": ["written_at", "pk"]},
        ),
        migrations.RemoveConstraint(
            model_name="shortlistentry",
            name="shortlist_once_per_candidate",
        ),
        # Nullable for the way back: 0009 unapplied adds it again before 0008 fills it.
        migrations.AlterField(
            model_name="shortlistentry",
            name="owner",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="shortlist_entries", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="shortlistentry",
            name="added_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="shortlistentry",
            name="status",
            field=models.CharField(choices=[("to-contact", "to contact"), ("contacted", "contacted"), ("met", "met"), ("partner", "partner")], default="to-contact", max_length=20),
        ),
        migrations.AddField(
            model_name="shortlistentry",
            name="status_changed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="shortlistentry",
            name="status_changed_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL),
        ),
    ]
