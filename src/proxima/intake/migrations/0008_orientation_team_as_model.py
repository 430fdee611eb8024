"""Second step of teams as models: the codes' columns go, the teams' take their names (a
migration of its own: PostgreSQL does not alter a table in the transaction that updated
its rows under deferred foreign keys)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("intake", "0007_orientation_team_reference_filled")]

    operations = [
        migrations.RemoveField(model_name="orientation", name="team"),
        migrations.RenameField(model_name="orientation", old_name="team_ref", new_name="team"),
        migrations.AlterField(
            model_name="orientation",
            name="team",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="teams.team",
                verbose_name="team",
            ),
        ),
    ]
