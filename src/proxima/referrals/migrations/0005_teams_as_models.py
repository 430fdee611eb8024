"""Second step of teams as models: the codes' columns go, the teams' take their names (a
migration of its own: PostgreSQL does not alter a table in the transaction that updated
its rows under deferred foreign keys)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("referrals", "0004_team_references_filled")]

    operations = [
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
