"""Second step of teams as models: the codes' columns go, the teams' take their names (a
migration of its own: PostgreSQL does not alter a table in the transaction that updated
its rows under deferred foreign keys)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("people", "0003_consent_team_reference_filled")]

    operations = [
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
