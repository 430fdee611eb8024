"""A consent's recipient team points to a team (the person's region's team of the same
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
        migrations.RunPython(codes_to_teams, teams_to_codes),
        migrations.RemoveConstraint(model_name="consent", name="consent_has_a_recipient"),
        migrations.RemoveField(model_name="consent", name="recipient_team"),
        migrations.RenameField(
            model_name="consent", old_name="recipient_team_ref", new_name="recipient_team"
        ),
        migrations.AlterField(
            model_name="consent",
            name="recipient_team",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="teams.team",
                verbose_name="with the team",
            ),
        ),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("recipient_organization__isnull", True),
                    ("recipient_team__isnull", True),
                    _negated=True,
                ),
                name="consent_has_a_recipient",
            ),
        ),
    ]
