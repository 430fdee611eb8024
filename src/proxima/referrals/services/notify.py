"""Telling the other side: an in-app notice per user, emailed at once or gathered in a
daily digest. Notices name the referral and its status, never the person (an email
may be read anywhere)."""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from proxima.core.models import User
from proxima.core.roles import (
    OVERSEE_REGION_REFERRALS,
    READ_PERSONAL_RECORDS,
    RECEIVE_FOR_ORGANIZATION,
    WORK_IN_TEAM_INBOX,
    roles_with,
)
from proxima.intake.services.questionnaires import need_label
from proxima.referrals.lifecycle import Side
from proxima.referrals.models import Notification, Referral


def requester_side_users(referral: Referral):
    users = Q(pk=referral.requester_id)
    if referral.requester_organization_id:
        users |= Q(
            organization_id=referral.requester_organization_id,
            role__in=roles_with(RECEIVE_FOR_ORGANIZATION),
        )
    return User.objects.filter(users, is_active=True)


def target_side_users(referral: Referral):
    if referral.target_organization_id:
        users = Q(
            organization_id=referral.target_organization_id,
            role__in=roles_with(RECEIVE_FOR_ORGANIZATION),
        ) | Q(
            organization_id=referral.target_organization_id,
            region_id=referral.region_id,
            role__in=roles_with(READ_PERSONAL_RECORDS),
        )
    else:
        users = Q(
            memberships__team_id=referral.target_team_id,
            region_id=referral.region_id,
            role__in=roles_with(WORK_IN_TEAM_INBOX),
        )
    return User.objects.filter(users, is_active=True)


def coordinators(referral: Referral):
    return User.objects.filter(
        role__in=roles_with(OVERSEE_REGION_REFERRALS), region_id=referral.region_id, is_active=True
    )


def _once(*groups) -> list:
    """The users of every group, each once (someone can be on both sides)."""
    return list({user.pk: user for group in groups for user in group}.values())


def _link(referral: Referral) -> str:
    return f"{settings.PROXIMA_BASE_URL}/referrals/{referral.pk}/"


def notify(users, referral: Referral, kind: str, make_text, *, skip=None) -> int:
    """One notice per user (in the user's language), emailed unless they chose the
    digest. `make_text()` is called with the user's language active."""
    sent = 0
    for user in users:
        if skip is not None and user.pk == skip.pk:
            continue
        with translation.override(user.preferred_language or "fr"):
            text = str(make_text())[:300]
            notice = Notification.objects.create(user=user, referral=referral, kind=kind, text=text)
            if not user.referral_digest and user.email:
                # Sent once the change is committed: never for a change rolled back, and
                # the mail server's delay never holds the referral's lock (nor the audit's).
                transaction.on_commit(partial(_email, notice.pk, user.email, text, _link(referral)))
        sent += 1
    return sent


def _email(notice_id: int, address: str, text: str, link: str) -> None:
    send_mail(
        subject=f"Proxima — {text}"[:150],
        message=f"{text}\n\n{link}",
        from_email=None,
        recipient_list=[address],
        fail_silently=True,
    )
    Notification.objects.filter(pk=notice_id).update(emailed_at=timezone.now())


def status_changed(referral: Referral, *, by, side: str) -> int:
    """The other side learns of the change without asking."""
    users = requester_side_users(referral) if side == Side.TARGET else target_side_users(referral)

    def text():
        return _("Referral for %(need)s to %(target)s: %(status)s") % {
            "need": need_label(referral.need_domain),
            "target": referral.target_label,
            "status": referral.get_status_display(),
        }

    return notify(users, referral, f"status:{referral.status}", text, skip=by)


def overdue(referral: Referral) -> int:
    """No answer in time: the referrer, the receiving side and the coordinators."""

    def text():
        return _("No answer yet to the referral for %(need)s sent to %(target)s") % {
            "need": need_label(referral.need_domain),
            "target": referral.target_label,
        }

    everyone = _once(
        requester_side_users(referral), target_side_users(referral), coordinators(referral)
    )
    return notify(everyone, referral, "overdue", text)


def stale(referral: Referral) -> int:
    """Accepted but no news for weeks: both sides are asked where it stands."""

    def text():
        return _("No news for a month on the referral for %(need)s to %(target)s: where is it?") % {
            "need": need_label(referral.need_domain),
            "target": referral.target_label,
        }

    both_sides = _once(requester_side_users(referral), target_side_users(referral))
    return notify(both_sides, referral, "stale", text)


def send_digests(now=None) -> int:
    """Email each digest user the notices not yet emailed, in one message; returns how
    many emails were sent."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, user__referral_digest=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = {}
    for notice in pending:
        by_user.setdefault(notice.user_id, []).append(notice)
    for notices in by_user.values():
        user = notices[0].user
        with translation.override(user.preferred_language or "fr"):
            lines = [f"- {n.text}\n  {_link(n.referral)}" for n in notices]
            send_mail(
                subject=_("Proxima: %d referral notifications") % len(notices),
                message="\n".join(lines),
                from_email=None,
                recipient_list=[user.email],
                fail_silently=True,
            )
        Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=now)
    return len(by_user)
