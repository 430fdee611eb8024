"""A contact's summary, sent to the person who asked for it, by email or text message.

Only what the person was given goes out (resources with their number and today's hours,
where they were referred, the emergency numbers after a risk): never the reason for the
call, the screens or a note, since a phone or a mailbox may be read by someone else.
The person agrees to receive it at that address (the worker ticks it, as they said it);
each send is recorded with the address partly hidden and written to the audit log.
"""

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import formats as django_formats
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from proxima.core import sms
from proxima.core.audit import record_audit_event
from proxima.directory import presenters
from proxima.directory.services.crisis import EMERGENCY_NUMBERS
from proxima.intake.models import ContactEpisode, SummaryChannel, SummarySent
from proxima.intake.services.episodes import require_worker
from proxima.intake.services.questionnaires import ScreeningInputError

MAX_SENDS = 5  # per contact: a mistyped address can be corrected, not used to spam


def channels() -> list[tuple[str, str]]:
    """The ways a summary can go out here (text messages only where a backend is set)."""
    return [
        (code, label)
        for code, label in SummaryChannel.choices
        if code != SummaryChannel.SMS or sms.is_enabled()
    ]


def summary_language(episode: ContactEpisode) -> str:
    return episode.language if episode.language in ("fr", "en") else "fr"


def summary_text(episode: ContactEpisode, moment=None) -> str:
    """The summary in the language of the call (French when another language was used)."""
    from proxima.referrals.models import Referral

    moment = moment or timezone.now()
    with translation.override(summary_language(episode)):
        orientations = list(episode.orientations.select_related("service__organization"))
        services = [o.service for o in orientations if o.service_id]
        cards = presenters.result_cards(services, moment)
        day = django_formats.date_format(timezone.localtime(episode.started_at), "DATE_FORMAT")
        lines = [_("Proxima: what you were given on %s") % day]
        for orientation in orientations:
            if orientation.service_id:
                service = orientation.service
                card = cards.get(service.id)
                parts = [service.localized_name]
                if card and card.phone:
                    parts.append(card.phone)
                if card and card.today:
                    parts.append(_("today: %s") % card.today)
                lines.append("- " + " — ".join(parts))
        for referral in Referral.objects.filter(episode=episode).select_related(
            "target_organization"
        ):
            lines.append("- " + _("Referred to %s") % referral.target_label)
        if len(lines) == 1:
            lines.append("- " + _("Information given by phone."))
        if episode.escalations.exists():
            lines.append(
                _("In an emergency: %s")
                % " · ".join(f"{n.number} ({n.label})" for n in EMERGENCY_NUMBERS)
            )
        return "\n".join(lines)


def _hint(channel: str, address: str) -> str:
    """The address partly hidden: j…@example.org, …0101."""
    if channel == SummaryChannel.EMAIL:
        local, _at, domain = address.partition("@")
        return f"{local[:1]}…@{domain}"[:80]
    return f"…{address[-4:]}"


@transaction.atomic
def send_summary(
    episode: ContactEpisode, *, by, channel: str, to: str, consented: bool
) -> SummarySent:
    """Send the summary where the person asked; refused (with the reason, in the user's
    language) without their agreement, to an address that is not one, past MAX_SENDS,
    or by text where none can be sent."""
    require_worker(by, episode)
    errors: dict[str, str] = {}
    address = (to or "").strip()
    if channel not in dict(channels()):
        errors["channel"] = _("Choose how to send it.")
    elif channel == SummaryChannel.EMAIL:
        try:
            validate_email(address)
        except ValidationError:
            errors["to"] = _("Enter a valid email address.")
    else:
        address = sms.phone_number(address) or ""
        if not address:
            errors["to"] = _("Enter a phone number that can receive texts.")
    if not consented:
        errors["consented"] = _("The person must agree to receive it at this address.")
    if SummarySent.objects.filter(episode=episode).count() >= MAX_SENDS:
        errors["channel"] = _("This summary was already sent %d times.") % MAX_SENDS
    if errors:
        raise ScreeningInputError(errors)
    text = summary_text(episode)
    try:
        if channel == SummaryChannel.EMAIL:
            with translation.override(summary_language(episode)):
                subject = _("Summary of your call")
            send_mail(subject, text, None, [address])
        else:
            sms.send_text(address, text)
    except (sms.SmsNotSent, OSError) as failed:
        raise ScreeningInputError(
            {"channel": _("The summary could not be sent: try again, or read it out.")}
        ) from failed
    sent = SummarySent.objects.create(
        episode=episode, channel=channel, to_hint=_hint(channel, address), sent_by=by
    )
    record_audit_event(
        by,
        "send_contact_summary",
        episode,
        reason="the person asked for it and agreed to this address",
        detail={"channel": channel, "to": sent.to_hint},
    )
    return sent
