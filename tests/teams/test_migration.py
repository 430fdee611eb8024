"""Teams were an enum copied into text fields; the migrations carry today's data over:
each region gets its standard teams, each user with a team becomes a member, and
referrals, consents and orientations point to the region's team of their code."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from proxima.core.models import User
from proxima.intake.models import Orientation
from proxima.people.models import Consent
from proxima.referrals.models import Referral
from proxima.teams.models import Team

BEFORE = [
    ("core", "0009_user_work_phone"),
    ("referrals", "0002_external_fhir"),
    ("people", "0001_initial"),
    ("intake", "0005_summary_sent"),
    ("territories", "0002_regions_as_territories"),
]


@pytest.mark.django_db(transaction=True)
def test_codes_become_teams_of_their_region_and_users_members():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE + [("teams", None)])
    old = executor.loader.project_state(BEFORE).apps
    OldRegion, OldUser = old.get_model("core", "Region"), old.get_model("core", "User")
    quebec = OldRegion.objects.create(code="03", name="Capitale-Nationale")
    montreal = OldRegion.objects.create(code="06", name="Montréal")
    sam = OldUser.objects.create(username="sam", region=quebec, team="info_social")
    alex = OldUser.objects.create(username="alex", region=montreal, team="social_consultation")
    OldUser.objects.create(username="nowhere", region=None, team="info_social")
    OldUser.objects.create(username="none", region=quebec, team="")
    person = old.get_model("people", "Person").objects.create(
        region=montreal, given_name="Léa", family_name="Roy", name_key="roy lea"
    )
    consent = old.get_model("people", "Consent").objects.create(
        person=person,
        categories=["needs"],
        recipient_team="social_consultation",
        purpose="Suivi",
        method="verbal",
        given_at="2026-11-01T10:00Z",
    )
    referral = old.get_model("referrals", "Referral").objects.create(
        region=montreal,
        person=person,
        need_domain="food",
        request_text="Évaluation",
        priority="72h",
        requester=alex,
        requester_team="social_consultation",
        target_team="mobile_outreach",
    )
    contact = old.get_model("intake", "ContactEpisode").objects.create(
        region=quebec, channel="phone_811", started_at="2026-11-24T10:00Z", taken_by=sam
    )
    orientation = old.get_model("intake", "Orientation").objects.create(
        episode=contact, kind="internal_team", team="interprofessional", decided_by=sam
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Team.objects.filter(region_id=quebec.pk).count() == 6
    assert Team.objects.filter(region_id=montreal.pk).count() == 6
    social = Team.objects.get(region_id=montreal.pk, code="social_consultation")
    assert (social.kind, social.name_fr, social.name_en) == (
        "social_consultation",
        "consultation sociale (CLSC)",
        "social consultation (CLSC)",
    )
    members = {
        user.username: sorted((t.region_id, t.code) for t in user.teams.all())
        for user in User.objects.all()
    }
    assert members == {
        "sam": [(quebec.pk, "info_social")],
        "alex": [(montreal.pk, "social_consultation")],
        "nowhere": [],  # no region, no inbox: nothing to carry
        "none": [],
    }
    moved = Referral.objects.get(pk=referral.pk)
    assert (moved.requester_team, moved.target_team.code, moved.target_team.region_id) == (
        social,
        "mobile_outreach",
        montreal.pk,
    )
    assert Consent.objects.get(pk=consent.pk).recipient_team == social
    oriented = Orientation.objects.get(pk=orientation.pk).team
    assert (oriented.code, oriented.region_id) == ("interprofessional", quebec.pk)


@pytest.mark.django_db(transaction=True)
def test_the_migrations_go_back_to_codes():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE + [("teams", None)])
    old = executor.loader.project_state(BEFORE).apps
    region = old.get_model("core", "Region").objects.create(code="03", name="Québec")
    old.get_model("core", "User").objects.create(username="sam", region=region, team="info_social")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert User.objects.get(username="sam").teams.get().code == "info_social"

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE + [("teams", None)])
    back = executor.loader.project_state(BEFORE).apps
    assert back.get_model("core", "User").objects.get(username="sam").team == "info_social"
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
