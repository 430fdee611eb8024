"""Data step of teams as models. A consent's recipient team points to a team (the person's region's team of the same
code), not to a code."""

import django.db.models.deletion
from django.db import migrations, models


def codes_to_teams(apps, schema_editor):
    Consent = apps.get_model("people", "Consent")
    Team = apps.get_model("teams", "Team")
    teams = {(t.region_id, t.code): t.pk for t in Team.objects.all()}
    pairs = (
        Consent.objects.exclude(recipient_team="")
        .values_list("person__region_id", "recipient_team")
        .distinct()
    )
    for region_id, code in pairs:
        team_id = teams.get((region_id, code))
        if team_id is None:
            team_id = Team.objects.create(
                region_id=region_id, code=code[:32], kind=code, name_fr=code, name_en=code
            ).pk
            teams[(region_id, code)] = team_id
        Consent.objects.filter(person__region_id=region_id, recipient_team=code).update(
            recipient_team_ref=team_id
        )


def teams_to_codes(apps, schema_editor):
    Consent = apps.get_model("people", "Consent")
    Team = apps.get_model("teams", "Team")
    for team in Team.objects.all():
        Consent.objects.filter(recipient_team_ref=team).update(recipient_team=team.code)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_consent_team_reference")]

    operations = [migrations.RunPython(codes_to_teams, teams_to_codes)]
