"""Signing in (password, then a one-time code), setting up the authenticator, recovery
codes, signing out, and resetting a forgotten password by email."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from proxima.accounts.forms import CodeForm, SetupForm
from proxima.accounts.services import two_factor


def _next(request, default: str = "") -> str:
    """Where to go after signing in: the page asked for (this site only), else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse("home")  # each role's work (core.roles.HOME_OF_ROLE)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _wait_message(user) -> str:
    """Said instead of trying the code while wrong ones still slow the account down."""
    wait = two_factor.wait_seconds(user)
    if not wait:
        return ""
    return _("Too many wrong codes: wait %(seconds)d seconds, then try again.") % {"seconds": wait}


def _code_refused(*, setup: bool = False) -> str:
    if setup:
        return _("This code is not the one the app shows. Try the next one.")
    return _("This code is not valid (or was already used). Wait for a new one.")


class LoginView(auth_views.LoginView):
    """Step one: username and password (failures counted and locked out by django-axes,
    audited). Step two follows: the code, or setting up the authenticator."""

    template_name = "accounts/login.html"

    def get_success_url(self):
        step = (
            "accounts:verify"
            if two_factor.has_second_factor(self.request.user)
            else "accounts:setup"
        )
        return _with_next(reverse(step), _next(self.request))


def verify(request):
    """Step two: the one-time code (or a recovery code)."""
    if not request.user.is_authenticated:
        return redirect(_with_next(reverse("accounts:login"), _next(request)))
    if request.user.is_verified():
        return redirect(_next(request))
    if not two_factor.has_second_factor(request.user):
        return redirect(_with_next(reverse("accounts:setup"), _next(request)))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _wait_message(request.user):
        form.add_error("code", _wait_message(request.user))
    elif request.method == "POST" and form.is_valid():
        if two_factor.verify(request, form.cleaned_data["code"]):
            left = two_factor.recovery_codes_left(request.user)
            if left <= 3:
                messages.warning(
                    request,
                    _("Only %(n)d recovery codes left: make new ones on your account page.")
                    % {"n": left},
                )
            return redirect(_next(request))
        form.add_error("code", _code_refused())
    status = 400 if form.errors else 200
    return render(
        request, "accounts/verify.html", {"form": form, "next": _next(request)}, status=status
    )


def setup(request):
    """Set up the authenticator app: at first sign-in, or to replace it once signed in
    fully (the password alone never replaces an authenticator that exists)."""
    if not request.user.is_authenticated:
        return redirect(_with_next(reverse("accounts:login"), _next(request)))
    if two_factor.has_second_factor(request.user) and not request.user.is_verified():
        return redirect(_with_next(reverse("accounts:verify"), _next(request)))
    device = two_factor.pending_authenticator(request.user)
    replacing = two_factor.has_second_factor(request.user)
    posted = request.POST if request.method == "POST" else None
    wait = _wait_message(request.user) if posted is not None else ""
    # While the wait runs nothing is checked, the password least of all (each answer
    # would tell whether a guess was right, at full speed).
    form = SetupForm(None if wait else posted, user=request.user, replacing=replacing)
    if wait:
        pass
    elif request.method == "POST" and not form.is_valid():
        if "password" in form.errors:
            two_factor.replacement_refused(request)
    elif request.method == "POST":
        codes = two_factor.confirm_authenticator(request, device, form.cleaned_data["code"])
        if codes is not None:
            context = {"codes": codes, "next": _next(request)}
            return render(request, "accounts/recovery_codes.html", context)
        form.add_error("code", _code_refused(setup=True))
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_svg(device),
        "secret": two_factor.secret_of(device),
        "next": _next(request),
        "replacing": replacing,
        "wait": wait,
    }
    refused = wait or form.errors
    return render(request, "accounts/setup.html", context, status=400 if refused else 200)


@login_required
def account(request, refusal: str = ""):
    """The account page: two-factor status, recovery codes, password."""
    context = {
        "has_second_factor": two_factor.has_second_factor(request.user),
        "codes_left": two_factor.recovery_codes_left(request.user),
        "refusal": refusal,
    }
    return render(request, "accounts/account.html", context, status=400 if refusal else 200)


@login_required
@require_POST
def recovery_codes(request):
    """New recovery codes (shown once; the old ones stop working), for the account's
    password (a session left open must not be enough); the owner is emailed."""
    if wait := _wait_message(request.user):
        return account(request, refusal=wait)
    if not request.user.check_password(request.POST.get("password", "")):
        two_factor.replacement_refused(request, kind="recovery_codes_password")
        return account(request, refusal=_("This is not your password."))
    codes = two_factor.new_recovery_codes(request.user, tell_owner=True)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:account")},
    )


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        """The link goes to the address people use (as referral emails do), never to
        the Host the request named."""
        return {"base_url": settings.PROXIMA_BASE_URL}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def locked_out(request, credentials=None, *args, **kwargs):
    """What django-axes answers during a lockout: a page in the person's language (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"lockout_minutes": minutes}, status=429)
