"""Data step of teams as models. A referral's referring and receiving teams point to teams (teams.Team, the region's team
of the same code: teams 0002 made every region's standard teams), not to a code."""

import django.db.models.deletion
from django.db import migrations, models


def codes_to_teams(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    Team = apps.get_model("teams", "Team")
    teams = {(t.region_id, t.code): t.pk for t in Team.objects.all()}
    for field in ("requester_team", "target_team"):
        pairs = (
            Referral.objects.exclude(**{field: ""})
            .values_list("region_id", field)
            .distinct()
        )
        for region_id, code in pairs:
            team_id = teams.get((region_id, code))
            if team_id is None:  # a code no region team holds: a team of that code, made
                team_id = Team.objects.create(
                    region_id=region_id, code=code[:32], kind=code, name_fr=code, name_en=code
                ).pk
                teams[(region_id, code)] = team_id
            Referral.objects.filter(region_id=region_id, **{field: code}).update(
                **{f"{field}_ref": team_id}
            )


def teams_to_codes(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    Team = apps.get_model("teams", "Team")
    for team in Team.objects.all():
        Referral.objects.filter(requester_team_ref=team).update(requester_team=team.code)
        Referral.objects.filter(target_team_ref=team).update(target_team=team.code)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_team_references")]

    operations = [migrations.RunPython(codes_to_teams, teams_to_codes)]
