"""Today's teams carried over: each region's establishment gets the standard teams (one per
kind of the former list, same codes), and each user with a team becomes its member in their
region. (Users with a team but no region had no inbox: nothing to carry.)"""

from django.db import migrations

# Frozen here: the names as they were when teams became a model.
STANDARD_NAMES = {
    "info_social": ("811 Info-Social", "811 Info-Social"),
    "social_consultation": ("consultation sociale (CLSC)", "social consultation (CLSC)"),
    "interprofessional": ("équipe interprofessionnelle (CLSC)", "interprofessional team (CLSC)"),
    "mobile_outreach": ("équipe mobile de proximité", "mobile outreach"),
    "emergency_psychosocial": (
        "services psychosociaux d’urgence",
        "emergency psychosocial services",
    ),
    "social_prescribing": ("prescription sociale", "social prescribing"),
}


def carry_over(apps, schema_editor):
    Region = apps.get_model("core", "Region")
    User = apps.get_model("core", "User")
    Team = apps.get_model("teams", "Team")
    Membership = apps.get_model("teams", "Membership")
    for region in Region.objects.all():
        for code, (name_fr, name_en) in STANDARD_NAMES.items():
            Team.objects.get_or_create(
                region=region,
                code=code,
                defaults={"kind": code, "name_fr": name_fr, "name_en": name_en},
            )
    teams = {(t.region_id, t.code): t for t in Team.objects.all()}
    for user in User.objects.exclude(team="").exclude(region=None).order_by("pk"):
        team = teams.get((user.region_id, user.team))
        if team is not None:
            Membership.objects.get_or_create(user=user, team=team)


def back(apps, schema_editor):
    """Each member's first team becomes their team again."""
    User = apps.get_model("core", "User")
    Membership = apps.get_model("teams", "Membership")
    for membership in Membership.objects.select_related("team").order_by("-since", "-pk"):
        User.objects.filter(pk=membership.user_id).update(team=membership.team.code)


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_initial"),
        ("core", "0009_user_work_phone"),
    ]

    operations = [migrations.RunPython(carry_over, back)]
