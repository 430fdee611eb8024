"""A referral's referring and receiving teams point to teams (teams.Team, the region's team
of the same code: teams 0002 made every region's standard teams), not to a code."""

import django.db.models.deletion
from django.db import migrations, models



class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_external_fhir"),
        ("teams", "0002_standard_teams_and_members"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="requester_team_ref",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="teams.team",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="target_team_ref",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="teams.team",
            ),
        ),
    ]
