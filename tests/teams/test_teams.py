"""Teams as a model: a referral to a team reaches its members (several teams allowed), never
a team of the same code in another region, nor a team the user left; a region names only
its own active teams; the administrator's changes of members are audited."""

import pytest
from django.test import Client

from proxima.core.models import AuditEvent, Region
from proxima.core.roles import Role
from proxima.referrals.models import Referral
from proxima.referrals.services import access, notify
from proxima.referrals.services.workflow import (
    ReferralInput,
    ReferralInputError,
    create_referral,
)
from proxima.teams.models import Team
from proxima.teams.services import forget_teams, join, standard_team, team_choices
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return Region.objects.create(code="03", name="Capitale-Nationale")


@pytest.fixture
def elsewhere():
    return Region.objects.create(code="06", name="Montréal")


def refer_to(team_code, *, by):
    return create_referral(
        ReferralInput("food", "Évaluation", "72h", target_team=team_code, anonymous=True),
        by=by,
        send_now=True,
    )


def test_a_referral_to_a_team_reaches_its_members_only(region, elsewhere):
    sender = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    member = UserFactory(role=Role.CLSC_WORKER, region=region, team="social_consultation")
    other_team = UserFactory(role=Role.CLSC_WORKER, region=region, team="interprofessional")
    same_code_elsewhere = UserFactory(
        role=Role.CLSC_WORKER, region=elsewhere, team="social_consultation"
    )
    referral = refer_to("social_consultation", by=sender)

    assert referral.target_team == Team.objects.get(region=region, code="social_consultation")
    assert referral.requester_team == Team.objects.get(region=region, code="info_social")
    assert list(access.received_by(member)) == [referral]
    assert access.side_of(member, referral) == "target"
    for outsider in (other_team, same_code_elsewhere):
        assert not access.received_by(outsider).exists()
        assert not access.visible_to(outsider).filter(pk=referral.pk).exists()
        assert access.side_of(outsider, referral) is None
    # The 811 colleague of the sender reads it on the requesting side (the team's sent box).
    colleague = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    assert list(access.sent_by(colleague)) == [referral]
    assert set(notify.target_side_users(referral)) == {member}


def test_a_member_of_two_teams_works_both_inboxes_until_leaving_one(region):
    sender = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    worker = UserFactory(role=Role.CLSC_WORKER, region=region, team="social_consultation")
    join(worker, standard_team(region, "mobile_outreach"))
    to_consultation = refer_to("social_consultation", by=sender)
    to_outreach = refer_to("mobile_outreach", by=sender)
    assert set(access.received_by(worker)) == {to_consultation, to_outreach}

    worker.memberships.filter(team__code="mobile_outreach").delete()
    forget_teams(worker)
    assert list(access.received_by(worker)) == [to_consultation]
    assert access.side_of(worker, to_outreach) is None
    client = Client()
    client.force_login(worker)
    assert client.get(f"/referrals/{to_outreach.pk}/").status_code == 404
    assert client.get(f"/referrals/{to_consultation.pk}/").status_code == 200


def test_a_team_the_region_does_not_have_is_refused_and_nothing_written(region):
    # bulk_create: a region without the standard teams the tests otherwise give each one.
    (bare,) = Region.objects.bulk_create([Region(code="09", name="Côte-Nord")])
    sender = UserFactory(role=Role.WORKER_811, region=bare)
    for code in ("social_consultation", "no-such-team", "x" * 200):
        with pytest.raises(ReferralInputError) as refused:
            refer_to(code, by=sender)
        assert "target" in refused.value.errors
    assert not Referral.objects.exists()
    assert team_choices(bare.pk) == []


def test_an_inactive_team_is_neither_offered_nor_reachable(region):
    sender = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    Team.objects.filter(region=region, code="mobile_outreach").update(active=False)
    assert "mobile_outreach" not in dict(team_choices(region.pk))
    assert "social_consultation" in dict(team_choices(region.pk))
    with pytest.raises(ReferralInputError):
        refer_to("mobile_outreach", by=sender)
    assert not Referral.objects.exists()


def test_a_draft_to_a_team_closed_since_is_not_sent(region):
    from proxima.referrals.services.workflow import send

    sender = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    draft = create_referral(
        ReferralInput("food", "Évaluation", "72h", target_team="mobile_outreach", anonymous=True),
        by=sender,
    )
    Team.objects.filter(region=region, code="mobile_outreach").update(active=False)
    with pytest.raises(ReferralInputError) as refused:
        send(draft, by=sender, version=draft.version)
    assert "target" in refused.value.errors
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_referral_form_offers_the_regions_teams_in_the_readers_language(region):
    Team.objects.create(
        region=region,
        code="clsc-limoilou",
        kind="social_consultation",
        name_fr="Accueil psychosocial CLSC Limoilou",
        name_en="CLSC Limoilou psychosocial intake",
    )
    worker = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    client = Client()
    client.force_login(worker)
    page = client.get("/referrals/new/").content.decode()
    assert 'value="clsc-limoilou"' in page and "Accueil psychosocial CLSC Limoilou" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/referrals/new/").content.decode()
    assert "CLSC Limoilou psychosocial intake" in page and "Accueil psychosocial" not in page
    response = client.post(
        "/referrals/new/",
        {
            "need_domain": "food",
            "request_text": "Évaluation",
            "priority": "72h",
            "target_team": "clsc-limoilou",
            "anonymous": "1",
            "send_now": "1",
        },
    )
    assert response.status_code == 302
    assert Referral.objects.get().target_team.code == "clsc-limoilou"


def test_the_admin_changes_members_and_the_change_is_audited(region):
    admin = UserFactory(role=Role.ADMIN, region=region, is_staff=True, is_superuser=True)
    worker = UserFactory(role=Role.CLSC_WORKER, region=region)
    team = Team.objects.get(region=region, code="social_consultation")
    client = Client()
    client.force_login(admin)
    form = {
        "region": region.pk,
        "code": team.code,
        "kind": team.kind,
        "name_fr": team.name_fr,
        "name_en": team.name_en,
        "organization": "",
        "territory": "",
        "active": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-user": worker.pk,
        "memberships-0-team": team.pk,
    }
    response = client.post(f"/admin/teams/team/{team.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(worker.teams.all()) == [team]
    event = AuditEvent.objects.get(action="change_team_members")
    assert event.actor == admin and event.object_id == str(team.pk)
    assert event.detail == {"added": [str(worker.pk)], "removed": []}
    assert event.region_id == region.pk
