"""A contact's summary, sent to the person who asked for it, by email or text message.

Only what the person was given goes out, and only the lines the worker ticks (resources
with their number and today's hours, where they were referred), with the emergency
numbers always: never the reason for the call, the screens or a note, since a phone or a
mailbox may be read by someone else.
The person agrees to receive it at that address (the worker ticks it, as they said it);
each send is recorded with the address partly hidden and written to the audit log.
"""

from dataclasses import dataclass

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


# Needs whose resources say why the person called: offered unticked, with a warning.
SENSITIVE_DOMAINS = (
    "crisis",
    "violence",
    "elder_abuse",
    "mental_health",
    "listening",
    "substance_use",
)
# The same, as the contact screen's needs name them (a referral's need), and the kinds of
# teams whose name says it.
SENSITIVE_NEEDS = ("mental_health", "substance_use", "safety")
SENSITIVE_TEAM_KINDS = ("emergency_psychosocial",)


@dataclass(frozen=True)
class Item:
    """One line the summary may carry: a resource given or a referral made."""

    key: str  # "o12" (an orientation), "r<uuid>" (a referral)
    label: str
    sensitive: bool


def items_of(episode: ContactEpisode) -> list[Item]:
    """What may go out, each line once: the resources given, then the referrals made;
    those serving a sensitive need (crisis, violence, mental health, substance use)
    marked, since their names say why the person called."""
    from proxima.referrals.models import Referral

    orientations = [
        o for o in episode.orientations.select_related("service").order_by("id") if o.service_id
    ]
    referrals = list(
        Referral.objects.filter(episode=episode)
        .select_related("target_organization", "target_team", "service")
        .order_by("created_at", "id")
    )
    services = {o.service_id for o in orientations} | {r.service_id for r in referrals}
    sensitive = _sensitive(services - {None})
    items, seen = [], set()
    for o in orientations:
        if o.service_id not in seen:
            seen.add(o.service_id)
            name = o.service.localized_name
            items.append(Item(f"o{o.pk}", name, o.service_id in sensitive))
    for r in referrals:
        label = r.service.localized_name if r.service_id else r.target_label
        said = (
            r.service_id in sensitive
            or r.need_domain in SENSITIVE_NEEDS
            or (r.target_team_id is not None and r.target_team.kind in SENSITIVE_TEAM_KINDS)
        )
        items.append(Item(f"r{r.pk}", label, said))
    return items


def _sensitive(service_ids: set[str]) -> set[str]:
    from proxima.directory.models import ServiceNeed
    from proxima.directory.services.taxonomy import need_domain_term_id, term_graph

    graph = term_graph()
    wanted = {need_domain_term_id(code) for code in SENSITIVE_DOMAINS}
    return {
        service_id
        for service_id, need_id in ServiceNeed.objects.filter(
            service_id__in=service_ids
        ).values_list("service_id", "need_id")
        if wanted.intersection(graph.ancestors_and_self(need_id))
    }


def summary_text(episode: ContactEpisode, keys: list[str] | None = None, moment=None) -> str:
    """The summary in the language of the call (French when another language was used):
    the lines chosen (all when `keys` is None), then the emergency numbers, always (their
    presence must not tell that a risk was found)."""
    from proxima.referrals.models import Referral

    moment = moment or timezone.now()
    chosen = set(keys) if keys is not None else None

    def wanted(key: str) -> bool:
        return chosen is None or key in chosen

    with translation.override(summary_language(episode)):
        orientations = [
            o
            for o in episode.orientations.select_related("service__organization", "team").order_by(
                "id"
            )
            if o.service_id and wanted(f"o{o.pk}")
        ]
        cards = presenters.result_cards([o.service for o in orientations], moment)
        day = django_formats.date_format(timezone.localtime(episode.started_at), "DATE_FORMAT")
        lines = [_("Proxima: what you were given on %s") % day]
        seen = set()
        for orientation in orientations:
            if orientation.service_id in seen:
                continue
            seen.add(orientation.service_id)
            service = orientation.service
            card = cards.get(service.id)
            parts = [service.localized_name]
            if card and card.phone:
                parts.append(card.phone)
            if card and card.today:
                parts.append(_("today: %s") % card.today)
            lines.append("- " + " — ".join(parts))
        for referral in Referral.objects.filter(episode=episode).select_related(
            "target_organization", "service"
        ):
            if wanted(f"r{referral.pk}"):
                target = (
                    referral.service.localized_name
                    if referral.service_id
                    else referral.target_label
                )
                lines.append("- " + _("Referred to %s") % target)
        lines.append(
            _("In an emergency: %s")
            % " · ".join(f"{n.number} ({n.label})" for n in EMERGENCY_NUMBERS)
        )
        return "\n".join(lines)


def _is_email(address: str) -> bool:
    """An address mail can reach: Django's check, at most 254 characters, a domain with
    a dot (not "localhost" nor an IP address in brackets)."""
    try:
        validate_email(address)
    except ValidationError:
        return False
    domain = address.rpartition("@")[2].lower()
    top = domain.rpartition(".")[2]
    return (
        len(address) <= 254
        and "." in domain
        and not domain.startswith("[")
        and not top.isdigit()
        and top not in PRIVATE_TOP_LEVELS
    )


# Names that only resolve inside a network (RFC 6761, 6762 and common practice).
PRIVATE_TOP_LEVELS = frozenset(
    {"local", "localhost", "internal", "invalid", "lan", "home", "corp", "intranet"}
)


def _hint(channel: str, address: str) -> str:
    """The address partly hidden: a…@ex….org, …0101 (enough for the worker to recognize
    it, not to write to it)."""
    if channel == SummaryChannel.EMAIL:
        local, _at, domain = address.partition("@")
        name, _dot, top = domain.rpartition(".")
        return f"{local[:1]}…@{name[:2]}….{top}"[:80]
    return f"…{address[-4:]}"


@transaction.atomic
def send_summary(
    episode: ContactEpisode,
    *,
    by,
    channel: str,
    to: str,
    consented: bool,
    keys: list[str] | None = None,
) -> SummarySent:
    """Send the summary where the person asked, with the lines chosen (`keys` of
    `items_of`; None: all); refused (with the reason, in the user's language) without
    their agreement, to an address that is not one, with a line that is not of this
    contact, past MAX_SENDS, or by text where none can be sent."""
    require_worker(by, episode)
    errors: dict[str, str] = {}
    address = (to or "").strip()
    if keys is not None and set(keys) - {item.key for item in items_of(episode)}:
        errors["items"] = _("Choose among the lines of this contact.")
    if channel not in dict(channels()):
        errors["channel"] = _("Choose how to send it.")
    elif channel == SummaryChannel.EMAIL:
        if not _is_email(address):
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
    text = summary_text(episode, keys)
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
