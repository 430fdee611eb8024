"""Data step of teams as models. An internal orientation's team points to a team (the contact's region's team of the
same code), not to a code."""

import django.db.models.deletion
from django.db import migrations, models


def codes_to_teams(apps, schema_editor):
    Orientation = apps.get_model("intake", "Orientation")
    Team = apps.get_model("teams", "Team")
    teams = {(t.region_id, t.code): t.pk for t in Team.objects.all()}
    pairs = (
        Orientation.objects.exclude(team="").values_list("episode__region_id", "team").distinct()
    )
    for region_id, code in pairs:
        team_id = teams.get((region_id, code))
        if team_id is None:
            team_id = Team.objects.create(
                region_id=region_id, code=code[:32], kind=code, name_fr=code, name_en=code
            ).pk
            teams[(region_id, code)] = team_id
        Orientation.objects.filter(episode__region_id=region_id, team=code).update(
            team_ref=team_id
        )


def teams_to_codes(apps, schema_editor):
    Orientation = apps.get_model("intake", "Orientation")
    Team = apps.get_model("teams", "Team")
    for team in Team.objects.all():
        Orientation.objects.filter(team_ref=team).update(team=team.code)


class Migration(migrations.Migration):
    dependencies = [("intake", "0006_orientation_team_reference")]

    operations = [migrations.RunPython(codes_to_teams, teams_to_codes)]
