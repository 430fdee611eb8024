"""The administrator's site shows no authenticator secret and no audit log: an
administrator helps someone who lost their phone by resetting their two-factor
authentication, which is audited, and the owner's open sessions stop counting."""

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from proxima.accounts.services.two_factor import current_code, new_recovery_codes
from proxima.core.models import AuditEvent, Region
from proxima.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(db):
    return Region.objects.create(code="03", name="Capitale-Nationale")


@pytest.fixture
def admin_client(region):
    admin = UserFactory(role=Role.ADMIN, region=region, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    return client, admin


@pytest.fixture
def enrolled(region):
    worker = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    device = TOTPDevice.objects.create(user=worker, name="authenticator", confirmed=True)
    new_recovery_codes(worker)
    return worker, device


def test_no_secret_and_no_audit_log_on_the_admin_site(admin_client, enrolled):
    client, _admin = admin_client
    worker, device = enrolled
    assert client.get("/admin/").status_code == 200
    for url in (
        "/admin/otp_totp/totpdevice/",
        f"/admin/otp_totp/totpdevice/{device.pk}/change/",
        f"/admin/otp_totp/totpdevice/{device.pk}/config/",
        "/admin/otp_static/staticdevice/",
        "/admin/core/auditevent/",
        "/admin/axes/accessattempt/",
        "/admin/axes/accesslog/",
        "/admin/django_tasks_database/dbtaskresult/",
    ):
        assert client.get(url).status_code == 404, url
    page = client.get(f"/admin/core/user/{worker.pk}/change/").content.decode()
    assert device.key not in page


def test_the_admin_resets_a_lost_authenticator(admin_client, enrolled):
    client, admin = admin_client
    worker, device = enrolled
    owner = Client()
    owner.post("/login/", {"username": worker.username, "password": "secret-pass-123"})
    assert owner.post("/login/code/", {"code": current_code(device)}).status_code == 302
    assert owner.get("/people/").status_code == 200
    response = client.post(
        "/admin/core/user/",
        {"action": "reset_two_factor", "_selected_action": [worker.pk]},
        follow=True,
    )
    assert "Authentification à deux facteurs réinitialisée pour 1 compte." in (
        response.content.decode()
    )
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert not StaticDevice.objects.filter(user=worker).exists()
    event = AuditEvent.objects.get(action="reset_second_factor")
    assert event.actor == admin and event.object_id == str(worker.pk)
    # The owner's open session is no longer verified: a new app at the next step.
    assert owner.get("/people/").status_code == 302


def test_the_admin_cannot_change_their_own_role_and_every_change_is_audited(admin_client, region):
    """An administrator made themselves coordinator and read people's files, unaudited."""
    client, admin = admin_client
    url = f"/admin/core/user/{admin.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="role"' not in page and 'name="is_superuser"' not in page  # read-only
    worker = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    form = {
        "username": worker.username,
        "first_name": "Sam",
        "last_name": "Roy",
        "email": "",
        "is_active": "on",
        "role": Role.COORDINATOR,
        "region": region.pk,
        "organization": "",
        "preferred_language": "fr",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    response = client.post(f"/admin/core/user/{worker.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    worker.refresh_from_db()
    assert worker.role == Role.COORDINATOR
    event = AuditEvent.objects.get(action="change_account")
    assert event.actor == admin and event.object_id == str(worker.pk)
    assert event.detail["fields"]["role"] == [Role.WORKER_811, Role.COORDINATOR]
    assert event.region_id == region.pk  # in the region's log, for its privacy officer
    password = client.post(
        f"/admin/core/user/{worker.pk}/password/",
        {"password1": "une-phrase-assez-longue", "password2": "une-phrase-assez-longue"},
    )
    assert password.status_code == 302
    assert AuditEvent.objects.filter(action="set_account_password", object_id=str(worker.pk))
    # Where password resets and two-factor notices go is watched too.
    response = client.post(
        f"/admin/core/user/{worker.pk}/change/",
        {**form, "role": Role.COORDINATOR, "email": "x@evil.example"},
    )
    assert response.status_code == 302
    changed = AuditEvent.objects.filter(action="change_account").latest("sequence")
    assert changed.detail["fields"] == {"email": ["", "x@evil.example"]}


def test_failed_sign_ins_are_in_the_accounts_region_log(region):
    worker = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    Client().post("/login/", {"username": worker.username, "password": "wrong-password"})
    event = AuditEvent.objects.get(action="login_failed")
    assert event.region_id == region.pk and event.object_id == str(worker.pk)
