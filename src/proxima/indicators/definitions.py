"""What each indicator counts, in words: its numerator, denominator and period, shown on
the dashboard beside the figure, printed in docs/indicators.md and written in the exports.
The code that computes each is the function of the same name in services.py."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Definition:
    code: str
    section: str
    title: Promise
    numerator: Promise
    denominator: Promise
    period: Promise


SECTIONS = {
    "access": _("Access"),
    "referrals": _("Referrals and closed loops"),
    "equity": _("Equity"),
    "intake": _("Intake: risks, barriers and strengths"),
    "prescriptions": _("Social prescriptions and well-being"),
    "partnerships": _("Partnerships"),
}

_CONTACT_PERIOD = _("Contacts that started between the first and the last day chosen.")
_REFERRAL_PERIOD = _("Referrals sent between the first and the last day chosen.")
_PRESCRIPTION_PERIOD = _("Prescriptions started between the first and the last day chosen.")

DEFINITIONS: list[Definition] = [
    Definition(
        "contacts_by_channel",
        "access",
        _("Contacts by channel"),
        _("Contacts that came in through each door (811 call, walk-in, outreach, partner…)."),
        _("All contacts."),
        _CONTACT_PERIOD,
    ),
    Definition(
        "contacts_by_hour",
        "access",
        _("Contacts by hour of the day (24/7 load)"),
        _("Contacts that started in each hour of the day, local time."),
        _("All contacts."),
        _CONTACT_PERIOD,
    ),
    Definition(
        "access_delay",
        "access",
        _("Access delay: from first contact to first service"),
        _(
            "Days from the start of the contact to the first appointment given by a service "
            "that accepted one of its referrals (the median, and contacts by delay)."
        ),
        _("Contacts with a first appointment."),
        _CONTACT_PERIOD,
    ),
    Definition(
        "repeat_contacts",
        "access",
        _("Repeat contacts within 30 days"),
        _("Contacts of a person who had another contact in the 30 days before."),
        _("Contacts linked to a person's record."),
        _CONTACT_PERIOD,
    ),
    Definition(
        "referrals_sent",
        "referrals",
        _("Referrals sent and accepted"),
        _(
            "Referrals accepted (answered without a refusal, whatever came after); the "
            "median hours from sending to the answer."
        ),
        _("Referrals sent (drafts and entries in error left out)."),
        _REFERRAL_PERIOD,
    ),
    Definition(
        "loop_closure",
        "referrals",
        _("Loop closure"),
        _(
            "Referrals whose outcome the referring side knows: declined, done, cancelled or "
            "failed (their status now, as in the table of statuses)."
        ),
        _("Referrals sent."),
        _REFERRAL_PERIOD,
    ),
    Definition(
        "declines_and_no_shows",
        "referrals",
        _("Declines by reason, and no-shows"),
        _(
            "Referrals declined, by the reason given; no-shows: referrals accepted that "
            "ended as failed (the person did not take up the service)."
        ),
        _("Referrals answered (declines); referrals accepted (no-shows)."),
        _REFERRAL_PERIOD,
    ),
    Definition(
        "reach_by_territory",
        "equity",
        _("People reached by territory"),
        _(
            "Different people with a contact, by the territory of their postal area's centre; "
            "per 1,000 inhabitants where the population is known."
        ),
        _("The territory's population."),
        _CONTACT_PERIOD,
    ),
    Definition(
        "reach_by_deprivation",
        "equity",
        _("People reached by material deprivation quintile"),
        _(
            "Different people with a contact, by the material deprivation quintile of the "
            "smallest territory holding their postal area's centre (1 least deprived, "
            "5 most)."
        ),
        _("People reached whose postal code is known."),
        _CONTACT_PERIOD,
    ),
    Definition(
        "priority_mix",
        "intake",
        _("Priority mix"),
        _("Contacts by the priority set at intake."),
        _("All contacts."),
        _CONTACT_PERIOD,
    ),
    Definition(
        "escalations",
        "intake",
        _("Escalations"),
        _(
            "Contacts where a risk screen escalated (suicide danger, violence…), and the "
            "escalations by risk."
        ),
        _("All contacts."),
        _CONTACT_PERIOD,
    ),
    Definition(
        "barriers",
        "intake",
        _("Barriers reported at intake"),
        _("Contacts where the person named each barrier (transport, cost, language, fear)."),
        _("All contacts."),
        _CONTACT_PERIOD,
    ),
    Definition(
        "protective_factors",
        "intake",
        _("Protective factors at intake"),
        _("Contacts whose needs screening found each strength (the latest screening)."),
        _("Contacts with a needs screening."),
        _CONTACT_PERIOD,
    ),
    Definition(
        "prescriptions",
        "prescriptions",
        _("Social prescriptions started, adhered to and completed"),
        _(
            "Adhered to: at least one activity started or done; completed: the plan ended as "
            "completed."
        ),
        _("Prescriptions started."),
        _PRESCRIPTION_PERIOD,
    ),
    Definition(
        "wellbeing_change",
        "prescriptions",
        _("Change of well-being scores"),
        _(
            "Per instrument, the mean change from the first to the latest measure of a "
            "prescription, with its confidence interval at 95 per cent (Student's t); positive when "
            "well-being improved, whichever way the instrument counts."
        ),
        _("Prescriptions measured at least twice with the instrument."),
        _PRESCRIPTION_PERIOD,
    ),
    Definition(
        "agreements_review",
        "partnerships",
        _("Agreements due for review"),
        _("Agreements in force whose review date is past or within 30 days."),
        _("Agreements in force."),
        _("On the last day chosen."),
    ),
    Definition(
        "agreement_indicators",
        "partnerships",
        _("Agreements' agreed indicators"),
        _(
            "Each agreement's indicators: computed from the referrals sent to its parties "
            "for the needs it covers while in force, or the figure the parties reported."
        ),
        _("As each indicator says."),
        _("While each agreement is in force."),
    ),
    Definition(
        "training_per_partner",
        "partnerships",
        _("Joint training sessions per partner"),
        _("Joint training sessions each organization took part in."),
        _("All sessions."),
        _("Sessions held between the first and the last day chosen."),
    ),
]

BY_CODE = {definition.code: definition for definition in DEFINITIONS}
