# Shortlists become the organisation's: step 3 of 3, the per-user fields go and each pair
# is on an organisation's list once.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("matching", "0008_shared_shortlists_data")]

    operations = [
        migrations.RemoveField(model_name="shortlistentry", name="note"),
        migrations.RemoveField(model_name="shortlistentry", name="owner"),
        migrations.AddConstraint(
            model_name="shortlistentry",
            constraint=models.UniqueConstraint(
                fields=("actor", "candidate"), name="shortlist_once_per_organisation"
            ),
        ),
    ]
