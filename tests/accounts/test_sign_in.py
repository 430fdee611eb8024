"""Signing in: a password, then a one-time code; nothing else is reachable in between;
wrong passwords lock the account out from that address; everything is audited."""

import re
import time

import pytest
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from proxima.accounts.services.two_factor import current_code
from proxima.core.models import AuditEvent, Region
from proxima.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-123"


@pytest.fixture
def worker(db):
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    return UserFactory(
        role=Role.WORKER_811, region=region, team="info_social", email="sam@example.org"
    )


@pytest.fixture
def enrolled(worker):
    TOTPDevice.objects.create(user=worker, name="authenticator", confirmed=True)
    return worker


def sign_in(client: Client, user, password=PASSWORD, next_url="/people/"):
    return client.post(
        f"/login/?next={next_url}", {"username": user.username, "password": password}
    )


def actions_of(user) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="core.user", object_id=str(user.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_first_sign_in_sets_up_the_authenticator_and_gives_recovery_codes(worker):
    client = Client()
    response = sign_in(client, worker)
    assert response.status_code == 302 and response["Location"].startswith("/account/two-factor/")
    # Signed in with the password only: nothing else opens yet.
    assert client.get("/people/").status_code == 302
    assert client.get("/api/intake/people?q=roy").status_code == 401
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=worker, confirmed=False)
    wrong = client.post("/account/two-factor/", {"code": "000000"})
    assert wrong.status_code == 400
    retry_at_once = client.post("/account/two-factor/", {"code": current_code(device)})
    assert "secondes" in retry_at_once.content.decode()  # wrong codes slow the next ones
    device.refresh_from_db()
    device.throttling_failure_timestamp = None
    device.save()
    codes_page = client.post(
        "/account/two-factor/?next=/people/", {"code": current_code(device), "next": "/people/"}
    )
    assert codes_page.status_code == 200
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", codes_page.content.decode())
    assert len(codes) == 10
    assert client.get("/people/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert "enrol_second_factor" in actions_of(worker)


def test_a_returning_account_gives_its_code_before_anything_else(enrolled):
    client = Client()
    response = sign_in(client, enrolled)
    assert response["Location"].startswith("/login/code/")
    assert client.get("/intake/").status_code == 302
    assert client.get("/api/referrals").status_code == 401
    wrong = client.post("/login/code/", {"code": "123456", "next": "/people/"})
    assert wrong.status_code == 400 and "pas valide" in wrong.content.decode()
    device = TOTPDevice.objects.get(user=enrolled)
    device.throttling_failure_count = 0  # the wrong code above slowed further tries down
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post("/login/code/", {"code": current_code(device), "next": "/people/"})
    assert right.status_code == 302 and right["Location"] == "/people/"
    assert client.get("/people/").status_code == 200
    assert actions_of(enrolled)[-3:] == [
        "login_password",
        "second_factor_failed",
        "login_second_factor",
    ]


def test_a_code_is_refused_from_another_site_as_next(enrolled):
    client = Client()
    sign_in(client, enrolled, next_url="https://evil.example/")
    device = TOTPDevice.objects.get(user=enrolled)
    response = client.post(
        "/login/code/", {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and not response["Location"].startswith("https://evil")


def test_a_recovery_code_signs_in_once(enrolled):
    from proxima.accounts.services.two_factor import new_recovery_codes

    [first, *_] = new_recovery_codes(enrolled)
    client = Client()
    sign_in(client, enrolled)
    assert client.post("/login/code/", {"code": first.upper()}).status_code == 302
    assert client.get("/people/").status_code == 200
    again = Client()
    sign_in(again, enrolled)
    assert again.post("/login/code/", {"code": first}).status_code == 400


def test_the_password_alone_never_replaces_an_authenticator(enrolled):
    client = Client()
    sign_in(client, enrolled)
    response = client.get("/account/two-factor/")
    assert response.status_code == 302 and response["Location"].startswith("/login/code/")
    client.post("/account/two-factor/", {"code": "000000"})
    assert TOTPDevice.objects.filter(user=enrolled).count() == 1


def test_replacing_the_authenticator_asks_for_the_password_and_tells_the_owner(
    enrolled, django_capture_on_commit_callbacks
):
    """A session left open is not enough to take the account over: without the password
    the authenticator stays; with it, it is replaced and the owner receives an email."""
    old = TOTPDevice.objects.get(user=enrolled)
    client = Client()
    sign_in(client, enrolled)
    assert client.post("/login/code/", {"code": current_code(old)}).status_code == 302
    page = client.get("/account/two-factor/")
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    new = TOTPDevice.objects.get(user=enrolled, confirmed=False)
    for password in ("", "wrong-password"):
        refused = client.post(
            "/account/two-factor/", {"code": current_code(new), "password": password}
        )
        assert refused.status_code == 400
        assert TOTPDevice.objects.get(user=enrolled, confirmed=True) == old
        old.refresh_from_db()
        assert old.throttling_failure_timestamp is not None  # counted like a wrong code
        old.throttling_failure_timestamp = None
        old.save()
    assert "Ce n’est pas votre mot de passe." in refused.content.decode()
    assert actions_of(enrolled).count("second_factor_failed") == 2
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        with_password = client.post(
            "/account/two-factor/", {"code": current_code(new), "password": PASSWORD}
        )
    assert with_password.status_code == 200
    assert list(TOTPDevice.objects.filter(user=enrolled).values_list("pk", flat=True)) == [new.pk]
    [email] = mail.outbox
    assert email.to == ["sam@example.org"] and "remplacée" in email.subject
    assert enrolled.username in email.body


def test_while_the_wait_runs_the_password_is_not_even_checked(enrolled):
    """Each answer during the wait told whether a guessed password was right, at full
    speed: the page now says only that one must wait."""
    old = TOTPDevice.objects.get(user=enrolled)
    client = Client()
    sign_in(client, enrolled)
    client.post("/login/code/", {"code": current_code(old)})
    client.post("/account/two-factor/", {"code": "000000", "password": "wrong-one"})
    new = TOTPDevice.objects.get(user=enrolled, confirmed=False)
    answers = {
        password: client.post(
            "/account/two-factor/", {"code": current_code(new), "password": password}
        ).content.decode()
        for password in ("guess-1", PASSWORD)
    }
    for page in answers.values():
        assert "secondes" in page and "Ce n’est pas votre mot de passe." not in page
    assert TOTPDevice.objects.get(user=enrolled, confirmed=True) == old


def test_new_recovery_codes_ask_for_the_password_and_tell_the_owner(
    enrolled, django_capture_on_commit_callbacks
):
    from proxima.accounts.services.two_factor import new_recovery_codes

    [first, *_] = new_recovery_codes(enrolled)
    device = TOTPDevice.objects.get(user=enrolled)
    client = Client()
    sign_in(client, enrolled)
    client.post("/login/code/", {"code": current_code(device)})
    refused = client.post("/account/recovery-codes/", {"password": "wrong-password"})
    assert refused.status_code == 400
    assert "Ce n’est pas votre mot de passe." in refused.content.decode()
    assert "second_factor_failed" in actions_of(enrolled)
    device.refresh_from_db()
    device.throttling_failure_timestamp = None
    device.save()
    again = Client()
    sign_in(again, enrolled)
    assert again.post("/login/code/", {"code": first}).status_code == 302  # still valid
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post("/account/recovery-codes/", {"password": PASSWORD})
    assert made.status_code == 200
    [email] = mail.outbox
    assert email.to == ["sam@example.org"] and "codes de secours" in email.subject


def test_wrong_passwords_lock_the_account_out_from_that_address(enrolled, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, enrolled, password="wrong-password").status_code == 200
    assert sign_in(client, enrolled, password="wrong-password").status_code == 429
    locked = sign_in(client, enrolled)  # even the right password, now
    assert locked.status_code == 429 and "bloquée" in locked.content.decode()
    assert client.get("/people/").status_code == 302  # not signed in
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")  # the account itself still works elsewhere
    assert sign_in(elsewhere, enrolled).status_code == 302
    actions = actions_of(enrolled)
    assert actions.count("login_failed") >= settings.AXES_FAILURE_LIMIT
    assert "login_locked_out" in actions


def test_an_unknown_username_is_audited_without_keeping_what_was_typed(db):
    Client().post("/login/", {"username": "mon-mot-de-passe", "password": "x"})
    event = AuditEvent.objects.get(action="login_failed")
    assert event.object_id == "" and "mon-mot-de-passe" not in str(event.detail)


def test_a_session_ends_after_inactivity(worker, settings):
    client = Client()
    client.force_login(worker)
    assert client.get("/people/").status_code == 200
    idle = settings.PROXIMA_SESSION_IDLE_MINUTES * 60
    session = client.session
    # The recorded activity may lag the last request by up to a minute (it is written
    # once a minute): 30 s past the time by the record is not yet certainly idle.
    session["last_activity"] = int(time.time()) - idle - 30
    session.save()
    assert client.get("/people/").status_code == 200
    session = client.session
    session["last_activity"] = int(time.time()) - idle - 61
    session.save()
    response = client.get("/people/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/api/intake/people?q=roy").status_code == 401
    assert AuditEvent.objects.filter(action="logout", reason="inactivity").exists()


def test_a_forgotten_password_is_reset_by_email_and_the_code_is_still_asked(enrolled, settings):
    settings.PROXIMA_BASE_URL = "https://proxima.example.org"
    client = Client(HTTP_HOST="localhost")  # the link never follows the Host named
    response = client.post("/password/reset/", {"email": enrolled.email})
    assert response.status_code == 302
    assert client.post("/password/reset/", {"email": "nobody@example.org"}).status_code == 302
    [message] = mail.outbox  # nothing tells whether the other address has an account
    link = re.search(r"https://proxima\.example\.org(/password/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new = "une-nouvelle-phrase-secrete"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    fresh = Client()
    assert sign_in(fresh, enrolled, password=new)["Location"].startswith("/login/code/")
    assert fresh.get("/people/").status_code == 302  # still needs the code


def test_the_admin_signs_in_through_the_same_steps(db):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_behind_the_proxy_a_lockout_holds_the_client_not_everyone(enrolled, settings):
    """nginx connects from 127.0.0.1 for everyone: the client is the address it appended
    last to X-Forwarded-For, so one client's wrong passwords do not lock out the others
    (and a forged first entry changes nothing)."""
    settings.PROXIMA_BEHIND_PROXY = True
    attacker = Client(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, enrolled, password="wrong-password")
    assert sign_in(attacker, enrolled).status_code == 429
    forged = Client(HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.9")
    assert sign_in(forged, enrolled).status_code == 429  # same client, whatever it claims
    colleague = Client(HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert sign_in(colleague, enrolled)["Location"].startswith("/login/code/")
    event = AuditEvent.objects.filter(action="login_failed").first()
    assert event.detail["address"] == "203.0.113.9"


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.WORKER_811, "/intake/"),
        (Role.CLSC_WORKER, "/referrals/"),
        (Role.SOCIAL_PRESCRIBER, "/referrals/"),
        (Role.TEAM_LEAD, "/referrals/"),
        (Role.COORDINATOR, "/referrals/"),
        (Role.PARTNER_ADMIN, "/referrals/"),
        (Role.PARTNER_WORKER, "/referrals/"),
        (Role.PRIVACY_OFFICER, "/privacy/"),
        (Role.EVALUATOR, "/indicators/"),
        (Role.ADMIN, "/admin/"),
    ],
)
def test_signing_in_without_a_page_asked_lands_on_the_roles_work(role, home):
    from tests.factories import OrganizationFactory

    region = Region.objects.create(code="03", name="Capitale-Nationale")
    partner = role in (Role.PARTNER_ADMIN, Role.PARTNER_WORKER)
    user = UserFactory(
        role=role,
        region=None if partner or role == Role.ADMIN else region,
        organization=OrganizationFactory() if partner else None,
        team="info_social" if role == Role.WORKER_811 else "",
        is_staff=role == Role.ADMIN,
    )
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    client = Client()
    step = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert step.status_code == 302 and step["Location"].startswith("/login/code/")
    code = client.get(step["Location"]).content.decode()
    next_url = re.search(r'name="next" value="([^"]*)"', code).group(1)
    done = client.post("/login/code/", {"code": current_code(device), "next": next_url})
    assert done.status_code == 302 and done["Location"] == "/home/"
    landed = client.get("/home/")
    assert landed.status_code == 302 and landed["Location"] == home
    assert client.get(home).status_code == 200  # a page the role may open


def test_staff_not_yet_in_a_region_land_on_the_directory_not_a_refusal(db):
    user = UserFactory(role=Role.CLSC_WORKER, region=None)
    client = Client()
    client.force_login(user)
    landed = client.get("/home/")
    assert landed["Location"] == "/" and client.get("/").status_code == 200
