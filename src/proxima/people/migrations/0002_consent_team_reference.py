"""A consent's recipient team points to a team (the person's region's team of the same
code), not to a code."""

import django.db.models.deletion
from django.db import migrations, models



class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("teams", "0002_standard_teams_and_members"),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="recipient_team_ref",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="teams.team",
            ),
        ),
    ]
