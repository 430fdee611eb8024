"""A user's team is now a membership (teams.Membership, carried over by teams 0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_user_work_phone"),
        ("teams", "0002_standard_teams_and_members"),
    ]

    operations = [
        migrations.RemoveField(model_name="user", name="team"),
    ]
