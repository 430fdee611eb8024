"""Two-factor authentication: a time-based one-time code (TOTP, any authenticator app)
for every account, with single-use recovery codes (django-otp's TOTP and static devices).

A session is fully signed in once a code was accepted in it (django-otp keeps the device
in the session); `accounts.middleware.TwoFactorRequiredMiddleware` lets nothing else
through before that.
"""

import io
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from proxima.accounts.services import audit
from proxima.core.audit import record_audit_event

AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"
RECOVERY_CODES = 10


def has_second_factor(user) -> bool:
    """The account has a confirmed authenticator."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user) -> TOTPDevice:
    """The authenticator being set up (one at a time; a new secret until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The secret as people type it into an authenticator app (base 32, in groups)."""
    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The authenticator's setup link as an SVG QR code (drawn here: nothing is fetched)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


@transaction.atomic
def confirm_authenticator(request, device: TOTPDevice, code: str) -> list[str] | None:
    """The code the app shows proves the setup: the authenticator is confirmed, the session
    fully signed in, and fresh recovery codes returned (to show once). None if wrong."""
    user = request.user
    if device.user_id != user.pk or device.confirmed or not device.verify_token(_digits(code)):
        audit.second_factor(user, request, accepted=False, kind="setup")
        return None
    replaced, _by_kind = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(user)
    django_otp.login(request, device)
    record_audit_event(user, "enrol_second_factor", user)
    audit.second_factor(user, request, accepted=True, kind="setup")
    if replaced and user.email:
        transaction.on_commit(lambda: _tell_owner(user, REPLACED_AUTHENTICATOR))
    return codes


def replacement_refused(request, *, kind: str = "replace_password") -> None:
    """A wrong password given to replace the authenticator or the recovery codes:
    audited, and counted like a wrong code (the wait before the next try doubles)."""
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        device.throttle_increment()
    audit.second_factor(request.user, request, accepted=False, kind=kind)


REPLACED_AUTHENTICATOR, NEW_RECOVERY_CODES = "authenticator", "recovery_codes"


def _tell_owner(user, what: str) -> None:
    """An email to the account's owner, in their language: if it was not them, they know."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        moment = formats.date_format(timezone.localtime(), "DATETIME_FORMAT")
        values = {"username": user.username, "moment": moment}
        if what == REPLACED_AUTHENTICATOR:
            subject = _("Proxima: your authenticator app was replaced")
            done = _(
                "The authenticator app of your Proxima account (%(username)s) was replaced "
                "on %(moment)s, and new recovery codes were made."
            )
        else:
            subject = _("Proxima: new recovery codes were made")
            done = _(
                "New recovery codes were made for your Proxima account (%(username)s) on "
                "%(moment)s; the former ones no longer work."
            )
        warning = _(
            "If you did not do this, call your administrator right away: someone else may "
            "be using your account."
        )
        send_mail(
            subject=subject,
            message=f"{done % values}\n\n{warning}",
            from_email=None,
            recipient_list=[user.email],
            fail_silently=True,
        )


def wait_seconds(user) -> int:
    """Seconds before the account may try another code (each wrong one doubles the wait)."""
    waits = []
    for device in [*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)]:
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            waits.append((details["locked_until"] - timezone.now()).total_seconds())
    return max(0, int(max(waits, default=0)) + 1) if waits else 0


def verify(request, code: str) -> bool:
    """A code from the authenticator, or one recovery code (used up), completes signing in."""
    user = request.user
    code = code.strip()
    if _digits(code).isdigit() and len(_digits(code)) == 6:
        device = _first(TOTPDevice.objects.filter(user=user, confirmed=True), _digits(code))
        kind = "authenticator"
    else:
        device = _first(StaticDevice.objects.filter(user=user, confirmed=True), _recovery(code))
        kind = "recovery code"
    if device is None:
        audit.second_factor(user, request, accepted=False, kind=kind)
        return False
    django_otp.login(request, device)
    audit.second_factor(user, request, accepted=True, kind=kind)
    return True


def _first(devices, token: str):
    with transaction.atomic():
        for device in devices.select_for_update():
            if device.verify_token(token):
                return device
    return None


def _digits(code: str) -> str:
    return "".join(code.split())


def _recovery(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def new_recovery_codes(user, *, tell_owner: bool = False) -> list[str]:
    """Ten new single-use recovery codes (the old ones stop working); `tell_owner`
    emails the account's owner once they are saved."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = []
    for _ in range(RECOVERY_CODES):
        token = StaticToken.random_token()
        device.token_set.create(token=token)
        codes.append(f"{token[:4]}-{token[4:]}")
    record_audit_event(user, "new_recovery_codes", user)
    if tell_owner and user.email:
        transaction.on_commit(lambda: _tell_owner(user, NEW_RECOVERY_CODES))
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def enrol_with_key(user, key_hex: str) -> TOTPDevice:
    """An authenticator with a known secret (the demo's accounts, whose secrets are
    printed beside their logins so that a newcomer and the browser tests can sign in)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, key=key_hex, confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The code the authenticator shows now (for tests and the demo's helper)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@transaction.atomic
def reset(users, *, by) -> int:
    """The administrator's help for a lost phone: the accounts' authenticators and recovery
    codes are removed (each owner sets up a new app at the next sign-in), and their open
    sessions no longer count as verified. Audited per account."""
    count = 0
    for user in users:
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record_audit_event(by, "reset_second_factor", user)
        count += 1
    return count
