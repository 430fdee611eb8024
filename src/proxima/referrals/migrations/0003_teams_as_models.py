"""A referral's referring and receiving teams point to teams (teams.Team, the region's team
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
        migrations.RunPython(codes_to_teams, teams_to_codes),
        migrations.RemoveConstraint(model_name="referral", name="referral_has_one_target"),
        migrations.RemoveIndex(model_name="referral", name="referral_team_inbox"),
        migrations.RemoveField(model_name="referral", name="requester_team"),
        migrations.RemoveField(model_name="referral", name="target_team"),
        migrations.RenameField(
            model_name="referral", old_name="requester_team_ref", new_name="requester_team"
        ),
        migrations.RenameField(
            model_name="referral", old_name="target_team_ref", new_name="target_team"
        ),
        migrations.AlterField(
            model_name="referral",
            name="requester_team",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="referrals_sent",
                to="teams.team",
                verbose_name="referring team",
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="target_team",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="referrals_received",
                to="teams.team",
                verbose_name="receiving team",
            ),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                fields=["region", "target_team", "status"], name="referral_team_inbox"
            ),
        ),
        migrations.AddConstraint(
            model_name="referral",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(target_organization__isnull=False, target_team__isnull=True),
                    models.Q(target_organization__isnull=True, target_team__isnull=False),
                    _connector="OR",
                ),
                name="referral_has_one_target",
            ),
        ),
    ]
