"""Every indicator on a small network built by hand, with the figures worked out by hand;
the scopes (a team, an organization, a territory, another region, the period's bounds);
and small cells hidden in a real indicator.

The network, region 03, February 2026 (Eastern Standard Time, UTC-5: no change of hour in
the month). Every count shown is 0 or at least 5, and so is what remains of its whole, so
that every figure is shown; the tests of the scopes show some hidden.

Contacts in the period (15), hour of the day in local time:
  morning   09:00-09:50  P1 P2 P3 (10 Feb), P4 P5 (3 Feb)   811 call, worker A, urgent
  afternoon 14:00-14:40  P4 P5 (17 Feb), P6 P7 (12 Feb), one anonymous (20 Feb)
                                                           811 call, worker A, no priority
  night     23:10-23:59  P8 P9 P10 (12 Feb 23:30-23:50: 04:30-04:50 UTC on the 13th),
                         two anonymous (20 Feb 23:10, 28 Feb 23:59: 1 March in UTC)
                                                           CLSC walk-in, worker B, immediate
Left out: P1-P3 on 20 January and P6 on 1 December (they count only as earlier contacts),
an anonymous contact on 31 January 23:59 and one on 1 March 00:00, five in region 07.
P1-P5 live in G1V (CLSC territory A, neighbourhood N1), P6-P10 in G1R (CLSC territory B).
Worker A is in the 811 Info-Social team, worker B in the CLSC's social consultation.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from shapely.geometry import box

from proxima.agreements.models import Agreement, Indicator, TrainingSession
from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.directory.services.geo import fsa_points
from proxima.indicators import services
from proxima.indicators.services import Scope, Value
from proxima.intake.models import Channel, ContactEpisode, Escalation, Priority, Screening
from proxima.intake.services.questionnaires import load_questionnaires, questionnaire
from proxima.outcomes.models import Instrument, Measurement
from proxima.outcomes.services.instruments import load_instruments
from proxima.people.models import Person
from proxima.prescriptions.models import Activity, Prescription
from proxima.referrals.models import Referral
from proxima.teams.services import standard_team
from proxima.territories.services import save_territory
from tests.factories import OrganizationFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db
MONTREAL = ZoneInfo("America/Montreal")
FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    """A moment in local time (Quebec)."""
    return datetime(year, month, day, hour, minute, tzinfo=MONTREAL)


def shown(value: Value):
    """A figure as the reader sees it: its number, or "hidden"."""
    return "hidden" if value.hidden else value.number


def headline(result) -> list:
    return [shown(value) for _label, value in result.headline]


def table(result) -> dict:
    return {line.key: [shown(value) for value in line.values] for line in result.lines}


def zeros(keys, *, width: int = 2) -> dict:
    """Rows of a distribution with no one: a count of 0 and a share of 0.0 (then None)."""
    return {key: [0, 0.0, *([None] * (width - 2))] for key in keys}


def box_around(fsa: str, half: float):
    latitude, longitude, _city = fsa_points()[fsa]
    return box(longitude - half, latitude - half, longitude + half, latitude + half)


def contact(region, worker, started, channel, *, person=None, priority="", barriers=()):
    return ContactEpisode.objects.create(
        region=region,
        taken_by=worker,
        started_at=started,
        channel=channel,
        person=person,
        reason="Besoin d'aide",
        priority=priority,
        barriers=list(barriers),
    )


def referral(region, requester, status, requested, target, **fields):
    """A referral sent at `requested`, answered `answered_after` hours later (if given)."""
    answered_after = fields.pop("answered_after", None)
    return Referral.objects.create(
        region=region,
        anonymous=True,
        need_domain=fields.pop("need", "food"),
        request_text="Panier",
        priority="72h",
        requester=requester,
        target_organization=target,
        status=status,
        requested_at=requested,
        responded_at=requested + timedelta(hours=answered_after) if answered_after else None,
        **fields,
    )


def prescription(region, person, prescriber, created, **fields):
    made = Prescription.objects.create(
        region=region,
        person=person,
        prescriber=prescriber,
        link_worker=prescriber,
        what_matters="Sortir de chez moi",
        **fields,
    )
    Prescription.objects.filter(pk=made.pk).update(created_at=created)  # auto_now_add
    return made


def measure(plan, instrument, by, *scores):
    for index, score in enumerate(scores):
        Measurement.objects.create(
            person=plan.person,
            prescription=plan,
            instrument=instrument,
            occasion="baseline" if index == 0 else "follow_up",
            answers={},
            raw_score=score,
            score=Decimal(score),
            taken_by=by,
        )


@pytest.fixture
def network():
    load_questionnaires()
    load_instruments()
    # Territories: the region (also the core Region 03), CLSC territories A around G1V's
    # centre and B around G1R's, and the neighbourhood N1 inside A.
    whole, _ = save_territory("region", "03", "Capitale-Nationale", box(-72.5, 46.0, -70.5, 47.5))
    region = Region.objects.get(code="03")
    clsc_a, _ = save_territory(
        "clsc", "A", "CLSC A", box_around("G1V", 0.01), parent=whole, population=2000
    )
    clsc_b, _ = save_territory(
        "clsc", "B", "CLSC B", box_around("G1R", 0.01), parent=whole, population=4000
    )
    n1, _ = save_territory(
        "neighbourhood",
        "N1",
        "Quartier 1",
        box_around("G1V", 0.005),
        parent=clsc_a,
        population=1000,
    )
    for territory, quintile in ((clsc_a, 1), (clsc_b, 5), (n1, 2)):
        territory.material_deprivation = quintile
        territory.save()
    elsewhere = Region.objects.create(code="07", name="Outaouais")

    worker_a = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    worker_b = UserFactory(role=Role.CLSC_WORKER, region=region, team="social_consultation")
    prescriber = UserFactory(role=Role.SOCIAL_PRESCRIBER, region=region, team="social_prescribing")
    outsider = UserFactory(role=Role.WORKER_811, region=elsewhere, team="info_social")
    food_bank = OrganizationFactory(name="Comptoir alimentaire")
    family = OrganizationFactory(name="Maison de la famille")

    people = [None] + [  # people[1] is P1
        Person.objects.create(
            region=region,
            given_name=f"P{n}",
            family_name="Essai",
            postal_code="G1V 1A1" if n <= 5 else "g1r 2b2",
        )
        for n in range(1, 11)
    ]
    p = people

    # --- contacts ---
    morning = [
        contact(region, worker_a, at(2, 10, 9, 0), "phone_811", person=p[1], priority="urgent",
                barriers=["transport", "cost"]),
        contact(region, worker_a, at(2, 10, 9, 15), "phone_811", person=p[2], priority="urgent",
                barriers=["transport", "cost"]),
        contact(region, worker_a, at(2, 10, 9, 30), "phone_811", person=p[3], priority="urgent",
                barriers=["transport", "cost"]),
        contact(region, worker_a, at(2, 3, 9, 45), "phone_811", person=p[4], priority="urgent",
                barriers=["transport", "cost"]),
        # A barrier named twice counts once; a word that is no barrier is not counted.
        contact(region, worker_a, at(2, 3, 9, 50), "phone_811", person=p[5], priority="urgent",
                barriers=["cost", "transport", "cost", "housing"]),
    ]  # fmt: skip
    afternoon = [
        contact(region, worker_a, at(2, 17, 14, 0), "phone_811", person=p[4], barriers=["cost"]),
        contact(region, worker_a, at(2, 17, 14, 10), "phone_811", person=p[5], barriers=["cost"]),
        contact(region, worker_a, at(2, 12, 14, 20), "phone_811", person=p[6], barriers=["cost"]),
        contact(region, worker_a, at(2, 12, 14, 30), "phone_811", person=p[7], barriers=["cost"]),
        contact(region, worker_a, at(2, 20, 14, 40), "phone_811", barriers=["cost"]),
    ]
    night = [
        contact(region, worker_b, at(2, 12, 23, 30), "clsc_walk_in", person=p[8],
                priority="immediate"),
        contact(region, worker_b, at(2, 12, 23, 40), "clsc_walk_in", person=p[9],
                priority="immediate"),
        contact(region, worker_b, at(2, 12, 23, 50), "clsc_walk_in", person=p[10],
                priority="immediate"),
        contact(region, worker_b, at(2, 20, 23, 10), "clsc_walk_in", priority="immediate"),
        contact(region, worker_b, at(2, 28, 23, 59), "clsc_walk_in", priority="immediate"),
    ]  # fmt: skip
    # Before and after the period (each would change a figure if it were counted).
    for n in (1, 2, 3):
        contact(region, worker_a, at(1, 20, 10), "phone_811", person=p[n])
    contact(region, worker_a, at(12, 1, 10, year=2025), "phone_811", person=p[6])
    contact(region, worker_a, at(1, 31, 23, 59), "home_visit", priority="2w", barriers=["fear"])
    after = contact(region, worker_b, at(3, 1, 0, 0), "home_visit", priority="2w",
                    barriers=["fear"])  # fmt: skip
    # Another region: people in G1V too.
    stranger = Person.objects.create(
        region=elsewhere, given_name="Q", family_name="Essai", postal_code="G1V 1A1"
    )
    for day in range(2, 7):
        contact(elsewhere, outsider, at(2, day, 11), "mobile_outreach", person=stranger,
                priority="30d", barriers=["language"])  # fmt: skip

    # --- screenings ---
    risk_screen, needs_screen = questionnaire("cssrs-screen"), questionnaire("needs-screen")
    for episode in [*night, after]:
        screening = Screening.objects.create(
            episode=episode,
            questionnaire=risk_screen,
            answers={},
            outcome={"escalates": True},
            recorded_by=worker_b,
        )
        for kind in ("suicide", "violence"):
            Escalation.objects.create(
                episode=episode, screening=screening, kind=kind, level="high", required_actions=[]
            )

    def strengths(episode, *found):
        Screening.objects.create(
            episode=episode,
            questionnaire=needs_screen,
            answers={},
            outcome={"strengths": list(found)},
            recorded_by=worker_a,
        )

    for episode in morning:  # an earlier screening, then the latest one (which counts)
        strengths(episode, "belonging")
        strengths(episode, "physical_activity", "supportive_relationships")
    for episode in afternoon:
        strengths(episode, "physical_activity")
    strengths(after, "belonging", "self_confidence")

    # --- referrals sent in February (25) ---
    info_social = standard_team(region, "info_social")
    for i, episode in enumerate(morning):  # accepted after 10 h; an appointment 36 h after
        referral(region, worker_a, "accepted", at(2, 11, 10 + i), food_bank, answered_after=10,
                 requester_team=info_social, episode=episode,
                 first_appointment_at=episode.started_at + timedelta(hours=36))  # fmt: skip
    for i, episode in enumerate(afternoon):  # done; an appointment 300 h (12.5 days) after
        sent = at(2, 18, 10 + i)
        referral(region, worker_a, "completed", sent, food_bank, answered_after=20,
                 requester_team=info_social, episode=episode, closed_at=sent + timedelta(days=2),
                 first_appointment_at=episode.started_at + timedelta(hours=300))  # fmt: skip
    for i in range(5):  # declined (no capacity) after 30 h
        sent = at(2, 19, 9 + i)
        referral(region, worker_a, "rejected", sent, food_bank, answered_after=30,
                 reject_reason="full", closed_at=sent + timedelta(hours=30))  # fmt: skip
    for i, episode in enumerate(afternoon):  # accepted after 40 h, the person never came;
        # closed after the period. Their later appointment (20 days) is not the first.
        referral(region, worker_a, "failed", at(2, 20, 9 + i), food_bank, answered_after=40,
                 episode=episode, closed_at=at(3, 5, 9),
                 first_appointment_at=episode.started_at + timedelta(hours=480))  # fmt: skip
    for i in range(5):  # not answered yet, to another organization
        referral(region, worker_a, "requested", at(2, 25, 9 + i), family)
    # Never counted: a draft, an entry in error (its 24 h appointment would be the first of
    # an afternoon contact), one sent in March, five in region 07.
    referral(region, worker_a, "draft", at(2, 15, 9), food_bank)
    referral(region, worker_a, "entered-in-error", at(2, 15, 10), food_bank, answered_after=1,
             episode=afternoon[0],
             first_appointment_at=afternoon[0].started_at + timedelta(hours=24))  # fmt: skip
    referral(region, worker_a, "rejected", at(3, 2, 9), family, answered_after=1,
             reject_reason="not_eligible")  # fmt: skip
    for i in range(5):
        referral(elsewhere, outsider, "accepted", at(2, 9, 9 + i), food_bank, answered_after=10)

    # --- prescriptions started in February (11) ---
    activity = ServiceFactory(organization=family)
    plans = [prescription(region, p[n], prescriber, at(2, 2 + n, 10)) for n in range(1, 11)] + [
        prescription(region, p[1], prescriber, at(2, 27, 10))
    ]
    for plan, status in zip(
        plans[:5], ["started", "started", "started", "done", "done"], strict=True
    ):
        Activity.objects.create(prescription=plan, service=activity, status=status)
    Activity.objects.create(prescription=plans[0], service=activity, status="proposed")
    Activity.objects.create(prescription=plans[5], service=activity, status="proposed")
    Activity.objects.create(prescription=plans[6], service=activity, status="stopped")
    for index in (3, 4, 7, 8, 9, 10):
        Prescription.objects.filter(pk=plans[index].pk).update(status="completed")
    k10 = Instrument.objects.filter(code="k10").first()
    phq9 = Instrument.objects.filter(code="phq9").first()
    measure(plans[0], k10, prescriber, 30, 26, 20)  # the middle measure is not used
    measure(plans[1], k10, prescriber, 28, 22)
    measure(plans[2], k10, prescriber, 25, 25)
    measure(plans[3], k10, prescriber, 32, 24)
    measure(plans[4], k10, prescriber, 20, 24)
    measure(plans[5], k10, prescriber, 30)  # measured once: no change
    measure(plans[0], phq9, prescriber, 15, 10)
    measure(plans[1], phq9, prescriber, 12, 6)
    # Never counted: started on 1 March, and in region 07.
    late = prescription(region, p[2], prescriber, at(3, 1, 0), status="completed")
    Activity.objects.create(prescription=late, service=activity, status="done")
    measure(late, k10, prescriber, 40, 10)
    prescription(elsewhere, stranger, outsider, at(2, 10, 10))

    # --- agreements ---
    def agreement(title, status, review_on, *, on=region, **parties):
        made = Agreement.objects.create(
            region=on,
            title_fr=title,
            kind="referral_corridor",
            status=status,
            need_domains=["food"] if title == "Corridor" else [],
            starts_on=date(2026, 1, 1),
            review_on=review_on,
        )
        # Its history: drafted, then its status since 2 January (in force in February).
        made.status_changes.create(to_status="draft")
        made.status_changes.create(from_status="draft", to_status=status)
        made.status_changes.update(at=at(1, 2, 9))
        for organization in parties.get("organizations", []):
            made.parties.create(organization=organization)
        for team in parties.get("teams", []):
            made.parties.create(team=team)
        return made

    corridor = agreement("Corridor", "active", date(2026, 3, 15), organizations=[food_bank])
    corridor.parties.create(role="établissement")
    protocol = agreement(
        "Protocole", "under_review", date(2026, 1, 31), organizations=[family], teams=[info_social]
    )
    agreement("Entente", "active", date(2026, 6, 1), organizations=[family])
    agreement("Brouillon", "draft", date(2026, 2, 1), organizations=[food_bank])
    agreement("Ailleurs", "active", date(2026, 2, 15), on=elsewhere, organizations=[food_bank])
    indicators = [
        Indicator.objects.create(agreement=corridor, kind=kind, target=target, **reported)
        for kind, target, reported in (
            ("referrals_sent", None, {}),
            ("referrals_accepted", None, {}),
            ("acceptance_rate", 80, {}),
            ("median_response_hours", 72, {}),
            ("other", 150, {"label": "Paniers", "reported_value": 112}),
        )
    ]

    # --- joint training ---
    for held_on, organizations, on in (
        (date(2026, 2, 5), [food_bank, family], region),
        (date(2026, 2, 20), [food_bank], region),
        (date(2026, 1, 31), [food_bank], region),
        (date(2026, 3, 1), [family], region),
        (date(2026, 2, 10), [food_bank], elsewhere),
    ):
        session = TrainingSession.objects.create(
            region=on, topic="Crise", held_on=held_on, attendees=8
        )
        session.organizations.set(organizations)

    return SimpleNamespace(
        region=region,
        elsewhere=elsewhere,
        clsc_a=clsc_a,
        clsc_b=clsc_b,
        n1=n1,
        info_social=info_social,
        food_bank=food_bank,
        family=family,
        corridor=corridor,
        protocol=protocol,
        indicators=indicators,
    )


def period(network, **narrowed) -> Scope:
    return Scope(network.region.pk, *FEBRUARY, **narrowed)


CHANNELS = [value for value, _label in Channel.choices]
HOURS = [f"{hour:02d}" for hour in range(24)]


def test_contacts_by_channel_and_by_hour_in_local_time(network):
    scope = period(network)
    by_channel = services.contacts_by_channel(scope)
    # 10 calls (5 morning + 5 afternoon) and 5 walk-ins of 15: 66.7 % and 33.3 %.
    assert headline(by_channel) == [15]
    assert table(by_channel) == {
        **zeros(CHANNELS),
        "phone_811": [10, 66.7],
        "clsc_walk_in": [5, 33.3],
    }
    # 5 each at 09, 14 and 23 h local time (5 of 15 = 33.3 %). The night's contacts are
    # at 04 h in UTC, some on the next day (23:59 on 28 February is 1 March in UTC): none
    # at 04 h, and the one of 28 February is in the period.
    by_hour = services.contacts_by_hour(scope)
    assert headline(by_hour) == [15]
    assert table(by_hour) == {
        **zeros(HOURS),
        "09": [5, 33.3],
        "14": [5, 33.3],
        "23": [5, 33.3],
    }
    assert by_hour.lines[9].label == "9 h à 10 h"


def test_access_delay_median_and_bands(network):
    # Morning contacts: first appointment 36 h later = 1.5 days (band "0-1", the day after).
    # Afternoon contacts: 300 h = 12.5 days (the 480 h appointment of the failed referral
    # comes later; the 24 h one was entered in error): band "8-30".
    # 10 delays: five 1.5 and five 12.5; median (1.5 + 12.5) / 2 = 7.0 days.
    result = services.access_delay(period(network))
    assert headline(result) == [10, 7.0]
    assert table(result) == {
        **zeros(["0-1", "2-7", "8-30", "31+"]),
        "0-1": [5, 50.0],
        "8-30": [5, 50.0],
    }


def test_repeat_contacts_count_an_earlier_contact_before_the_period(network):
    # 12 contacts linked to a person. Repeats: P1-P3 on 10 Feb (their 20 Jan contact, 21
    # days before, precedes the period), P4 and P5 on 17 Feb (3 Feb, 14 days before): 5.
    # Not repeats: P4 and P5 on 3 Feb, P6 (1 Dec is 73 days before), P7-P10: 7.
    # Share 5 / 12 = 41.7 %.
    assert headline(services.repeat_contacts(period(network))) == [12, 5, 41.7]


STATUSES = [
    "requested",
    "accepted",
    "rejected",
    "cancelled",
    "in-progress",
    "on-hold",
    "completed",
    "failed",
]


def test_referrals_sent_loop_closure_declines_and_no_shows(network):
    scope = period(network)
    sent = services.referrals_sent(scope)
    # 25 sent (the draft, the entry in error, March's and region 07's left out).
    # Accepted: accepted 5 + completed 5 + failed 5 = 15 (declined and unanswered are
    # not): 15 / 25 = 60.0 %. Hours to the answer of the 20 answered: five each of 10, 20,
    # 30 and 40; the median is the mean of the 10th and 11th, (20 + 30) / 2 = 25.0.
    assert headline(sent) == [25, 15, 60.0, 25.0]
    assert table(sent) == {
        **zeros(STATUSES),
        "requested": [5, 20.0],
        "accepted": [5, 20.0],
        "rejected": [5, 20.0],
        "completed": [5, 20.0],
        "failed": [5, 20.0],
    }
    # Closed (a final status now, as in the table): completed 5 + declined 5 + failed 5
    # = 15 of 25 = 60.0 %.
    assert headline(services.loop_closure(scope)) == [25, 15, 60.0]
    declines = services.declines_and_no_shows(scope)
    # Answered 20; declined 5 (all "full"); accepted 15, of which 5 failed: 33.3 %.
    assert headline(declines) == [20, 5, 15, 5, 33.3]
    assert table(declines) == {
        **zeros(["full", "not_eligible", "out_of_territory", "unreachable",
                 "declined_by_person", "other"]),
        "full": [5, 100.0],
    }  # fmt: skip


def test_reach_by_territory_and_by_deprivation(network):
    scope = period(network)
    # 10 different people reached (P4 and P5 came twice; anonymous contacts are no one):
    # P1-P5 in G1V, inside CLSC A (2,000 inhabitants): 5 / 2,000 x 1,000 = 2.5;
    # P6-P10 in G1R (written in lower case), inside CLSC B (4,000): 5 / 4,000 x 1,000 = 1.25.
    reach = services.reach_by_territory(scope)
    assert headline(reach) == [10]
    assert table(reach) == {
        str(network.clsc_a.pk): [5, 50.0, 2.5],
        str(network.clsc_b.pk): [5, 50.0, 1.25],
        "unknown": [0, 0.0, None],
    }
    # The finest territory with a quintile: G1V in neighbourhood N1 (quintile 2, not CLSC
    # A's 1), G1R in CLSC B (quintile 5).
    deprivation = services.reach_by_deprivation(scope)
    assert headline(deprivation) == [10]
    assert table(deprivation) == {
        **zeros(["1", "2", "3", "4", "5", "unknown"]),
        "2": [5, 50.0],
        "5": [5, 50.0],
    }


def test_priority_escalations_barriers_and_protective_factors(network):
    scope = period(network)
    # Immediate: the 5 night contacts; urgent: the 5 morning ones; none set: 5 afternoon.
    priority = services.priority_mix(scope)
    assert headline(priority) == [15]
    assert table(priority) == {
        **zeros([value for value, _label in Priority.choices] + ["unknown"]),
        "immediate": [5, 33.3],
        "urgent": [5, 33.3],
        "unknown": [5, 33.3],
    }
    # 5 of the 15 contacts escalated (5 / 15 = 33.3 %), each for suicide and violence: 10
    # escalations, half each (the one on 1 March left out).
    escalations = services.escalations(scope)
    assert headline(escalations) == [15, 5, 33.3]
    assert table(escalations) == {
        **zeros(["suicide", "harm_to_others", "violence", "child_maltreatment", "elder_abuse"]),
        "suicide": [5, 50.0],
        "violence": [5, 50.0],
    }
    # Transport: the 5 morning contacts (5 / 15 = 33.3 %); cost: morning and afternoon,
    # 10 / 15 = 66.7 % (named twice by P5: once); "housing" is no barrier.
    barriers = services.barriers(scope)
    assert headline(barriers) == [15]
    assert table(barriers) == {
        "transport": [5, 33.3],
        "cost": [10, 66.7],
        "language": [0, 0.0],
        "fear": [0, 0.0],
    }
    # 10 contacts screened for needs; by the latest screening: physical activity 10 / 10,
    # supportive relationships 5 / 10 (morning); belonging only in the morning's earlier
    # screenings: 0.
    factors = services.protective_factors(scope)
    assert headline(factors) == [10]
    assert table(factors) == {
        "physical_activity": [10, 100.0],
        "self_confidence": [0, 0.0],
        "supportive_relationships": [5, 50.0],
        "community_involvement": [0, 0.0],
        "belonging": [0, 0.0],
    }


def test_prescriptions_and_the_change_of_wellbeing(network):
    scope = period(network)
    # 11 started in February. Adhered: R1-R3 (an activity started), R4-R5 (done) = 5,
    # 5 / 11 = 45.5 % (R6 only proposed, R7 stopped); completed: R4, R5, R8-R11 = 6,
    # 6 / 11 = 54.5 %.
    uptake = services.prescription_uptake(scope)
    assert headline(uptake) == [11]
    assert table(uptake) == {"adhered": [5, 45.5], "completed": [6, 54.5]}
    # K10 (lower is better: a drop is an improvement), first and latest measures:
    #   R1 30 -> 20: +10;  R2 28 -> 22: +6;  R3 25 -> 25: 0;  R4 32 -> 24: +8;
    #   R5 20 -> 24: -4 (worse).  R6 measured once: left out.
    # n = 5, mean = 20 / 5 = 4.0. Deviations 6, 2, -4, 4, -8; squares 36 + 4 + 16 + 16 + 64
    # = 136; variance 136 / 4 = 34; sd = 5.8310; standard error 5.8310 / sqrt(5) = 2.6077;
    # t(4 df, 95 %) = 2.776; margin 2.776 x 2.6077 = 7.2389.
    # Interval 4.0 - 7.2389 = -3.24 to 4.0 + 7.2389 = 11.24.
    # PHQ-9: only 2 prescriptions measured twice: hidden.
    wellbeing = services.wellbeing_change(scope)
    assert table(wellbeing) == {
        "k10": [5, 4.0, -3.24, 11.24],
        "phq9": ["hidden"] * 4,
    }
    # Prescriptions measured twice with some instrument: R1-R5 (R1 and R2 with both), 5;
    # hidden, since a row is: the headline minus the rows shown would bound the hidden.
    assert headline(wellbeing) == ["hidden"]


def test_agreements_due_for_review_their_indicators_and_training(network):
    scope = period(network)
    # In force on 28 February: Corridor, Protocole (under review), Entente; the draft and
    # region 07's are not counted. Due within 30 days: Protocole (31 January, 28 days
    # past) and Corridor (15 March, 15 days left); Entente (1 June) is not.
    review = services.agreements_review(scope)
    assert headline(review) == [3, 2]
    assert table(review) == {
        str(network.protocol.pk): [date(2026, 1, 31), -28],
        str(network.corridor.pk): [date(2026, 3, 15), 15],
    }
    # The corridor's indicators, from every referral to the food bank for food since 1
    # January (whatever the period): 20 sent (the 5 requested went to another
    # organization), accepted 15 (accepted, completed, failed): 75.0 %; median hours of
    # the 20 answered (5 x 10, 20, 30, 40) = 25.0. The reported figure: 112.
    corridor = [f"{network.corridor.pk}-{indicator.pk}" for indicator in network.indicators]
    assert table(services.agreement_indicators(scope)) == dict(
        zip(
            corridor,
            [[20, None], [15, None], [75.0, 80.0], [25.0, 72.0], [112.0, 150.0]],
            strict=True,
        )
    )
    # Sessions in February: 5 Feb (food bank and family) and 20 Feb (food bank); 31 Jan,
    # 1 March and region 07's are not counted. By organization, by name.
    training = services.training_per_partner(scope)
    assert headline(training) == [2]
    assert table(training) == {
        network.food_bank.pk: [2, date(2026, 2, 20)],
        network.family.pk: [1, date(2026, 2, 5)],
    }
    assert [line.key for line in training.lines] == [network.food_bank.pk, network.family.pk]


def test_every_indicator_is_computed_for_the_dashboard(network):
    results = services.dashboard(period(network))
    assert [r.definition.code for r in results] == list(services.INDICATORS)
    assert all(r.applicable for r in results)


def test_a_team_counts_its_members_work(network):
    scope = period(network, team=network.info_social)
    # Worker A's contacts: the 10 calls, 5 at 09 h and 5 at 14 h.
    assert table(services.contacts_by_channel(scope))["phone_811"] == [10, 100.0]
    assert headline(services.contacts_by_channel(scope)) == [10]
    by_hour = table(services.contacts_by_hour(scope))
    assert by_hour["09"] == by_hour["14"] == [5, 50.0] and by_hour["23"] == [0, 0.0]
    # The referrals the team sent: 5 accepted (10 h) and 5 completed (20 h): all accepted,
    # 100.0 %, median (10 + 20) / 2 = 15.0 hours.
    assert headline(services.referrals_sent(scope)) == [10, 10, 100.0, 15.0]
    # The agreement the team is party to: Protocole, due.
    assert headline(services.agreements_review(scope)) == [1, 1]
    # No one in the team prescribes; the prescribers' team counts all 11.
    assert headline(services.prescription_uptake(scope)) == [0]
    prescribing = period(network, team=standard_team(network.region, "social_prescribing"))
    assert headline(services.prescription_uptake(prescribing)) == [11]


def test_an_organization_counts_its_referrals_and_no_contacts(network):
    scope = period(network, organization=network.food_bank)
    not_counted = [
        "contacts_by_channel",
        "contacts_by_hour",
        "access_delay",
        "repeat_contacts",
        "reach_by_territory",
        "reach_by_deprivation",
        "priority_mix",
        "escalations",
        "barriers",
        "protective_factors",
        "prescriptions",
        "wellbeing_change",
    ]
    for code in not_counted:
        result = services.INDICATORS[code](scope)
        assert not result.applicable and result.reason and not result.lines, code
    # The 20 referrals to the food bank: 15 accepted (75.0 %), median 25.0 hours; 15
    # closed (completed, declined, failed: 75.0 %); 5 no-shows of 15 accepted (33.3 %).
    assert headline(services.referrals_sent(scope)) == [20, 15, 75.0, 25.0]
    assert headline(services.loop_closure(scope)) == [20, 15, 75.0]
    assert headline(services.declines_and_no_shows(scope)) == [20, 5, 15, 5, 33.3]
    assert headline(services.agreements_review(scope)) == [1, 1]  # the corridor
    assert len(services.agreement_indicators(scope).lines) == 5
    # Its sessions (5 and 20 Feb); not the other organizations that took part in them.
    training = services.training_per_partner(scope)
    assert headline(training) == [2]
    assert table(training) == {network.food_bank.pk: [2, date(2026, 2, 20)]}


def test_a_territory_counts_the_people_living_there(network):
    scope = period(network, territory=network.clsc_a)
    # P1-P5 (G1V): 7 contacts, all calls.
    by_channel = services.contacts_by_channel(scope)
    assert headline(by_channel) == [7]
    assert table(by_channel)["phone_811"] == [7, 100.0]
    # 5 at 09 h and 2 at 14 h: the 2 are hidden, and the 5 with them (7 - 5 = 2).
    by_hour = table(services.contacts_by_hour(scope))
    assert by_hour["09"] == by_hour["14"] == ["hidden", "hidden"]
    assert by_hour["23"] == [0, 0.0]
    # Repeats 5 of 7: the 2 others could be counted: hidden with the share.
    assert headline(services.repeat_contacts(scope)) == [7, "hidden", "hidden"]
    # People by the level below the CLSC: neighbourhood N1 (1,000 inhabitants), 5.0 per
    # 1,000.
    reach = services.reach_by_territory(scope)
    assert headline(reach) == [5]
    assert table(reach) == {str(network.n1.pk): [5, 100.0, 5.0], "unknown": [0, 0.0, None]}
    territory_b = period(network, territory=network.clsc_b)
    assert headline(services.contacts_by_channel(territory_b)) == [5]
    # Within B, which has nothing below it, B itself is the one row: 5 of 4,000 people.
    reach_b = services.reach_by_territory(territory_b)
    assert table(reach_b) == {str(network.clsc_b.pk): [5, 100.0, 1.25], "unknown": [0, 0.0, None]}


def test_another_regions_figures_are_its_own(network):
    # Everything above counted nothing of region 07; its own figures count only its own.
    scope = Scope(network.elsewhere.pk, *FEBRUARY)
    by_channel = services.contacts_by_channel(scope)
    assert headline(by_channel) == [5]
    assert table(by_channel)["mobile_outreach"] == [5, 100.0]
    assert headline(services.referrals_sent(scope)) == [5, 5, 100.0, 10.0]
    assert headline(services.agreements_review(scope)) == [1, 1]
    assert headline(services.training_per_partner(scope)) == [1]
    assert headline(services.prescription_uptake(scope)) == ["hidden"]  # 1


def test_the_period_runs_from_midnight_to_midnight_local_time(db):
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    worker = UserFactory(role=Role.WORKER_811, region=region)
    for _ in range(5):
        contact(region, worker, at(2, 28, 23, 59), "clsc_walk_in")  # 04:59 UTC on 1 March
        contact(region, worker, at(3, 1, 0, 0), "phone_811")  # 05:00 UTC on 1 March
        contact(region, worker, at(2, 1, 0, 0), "home_visit")  # 05:00 UTC on 1 February
        contact(region, worker, at(1, 31, 23, 59), "mobile_outreach")
    february = services.contacts_by_channel(Scope(region.pk, *FEBRUARY))
    assert headline(february) == [10]
    assert {key: row[0] for key, row in table(february).items() if row[0]} == {
        "clsc_walk_in": 5,
        "home_visit": 5,
    }
    by_hour = table(services.contacts_by_hour(Scope(region.pk, *FEBRUARY)))
    assert by_hour["23"] == by_hour["00"] == [5, 50.0]
    march = table(
        services.contacts_by_channel(Scope(region.pk, date(2026, 3, 1), date(2026, 3, 1)))
    )
    assert {key: row[0] for key, row in march.items() if row[0]} == {"phone_811": 5}
    one_day_less = Scope(region.pk, date(2026, 2, 1), date(2026, 2, 27))
    assert headline(services.contacts_by_channel(one_day_less)) == [5]


def test_small_cells_are_hidden_with_a_second_one_in_a_real_indicator(db):
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    worker = UserFactory(role=Role.WORKER_811, region=region)
    for channel, count in (("phone_811", 3), ("clsc_walk_in", 6), ("home_visit", 7)):
        for minute in range(count):
            contact(region, worker, at(2, 10, 10, minute), channel)
    result = services.contacts_by_channel(Scope(region.pk, *FEBRUARY))
    # 3 calls hidden; the total (16) and the 7 home visits would give them back (16 - 7
    # - 6 = 3) if the walk-ins were shown: the smallest other cell, the 6, is hidden too.
    assert headline(result) == [16]
    assert table(result) == {
        **zeros(CHANNELS),
        "phone_811": ["hidden", "hidden"],
        "clsc_walk_in": ["hidden", "hidden"],
        "home_visit": [7, 43.8],
    }
    # With fewer than five in all, even the total is hidden, and every row with it.
    one_day = Scope(region.pk, date(2026, 2, 10), date(2026, 2, 10))
    ContactEpisode.objects.exclude(channel="phone_811").delete()
    few = services.contacts_by_channel(one_day)
    assert headline(few) == ["hidden"]
    assert all(row == ["hidden", "hidden"] for row in table(few).values())


def test_declined_reasons_are_hidden_when_the_accepted_could_be_counted_from_them(db):
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    worker = UserFactory(role=Role.WORKER_811, region=region)
    food_bank = OrganizationFactory()
    for i, (status, reason) in enumerate(
        [("rejected", "full")] * 5 + [("rejected", "not_eligible")] * 5 + [("accepted", "")] * 3
    ):
        referral(region, worker, status, at(2, 10, 9, i), food_bank, answered_after=2,
                 reject_reason=reason)  # fmt: skip
    result = services.declines_and_no_shows(Scope(region.pk, *FEBRUARY))
    # Cells: declined "full" 5, declined "not eligible" 5, accepted 3. The 3 is hidden,
    # and one more so that it cannot be recomputed from the total: "full" (the smallest,
    # first by name). Answered (13) holds both hidden cells: shown. Declined and accepted
    # each hold one: hidden (13 - 10 = 3). No one failed (0 is shown); the rate of 3 is
    # not. "Not eligible" is a cell shown (5); its share of the hidden declined is not.
    # What is shown gives full + accepted = 13 - 5 = 8, never either one.
    assert headline(result) == [13, "hidden", "hidden", 0, "hidden"]
    assert table(result)["full"] == ["hidden", "hidden"]
    assert table(result)["not_eligible"] == [5, "hidden"]


def test_no_referral_figure_gives_back_a_hidden_one_across_the_indicators(db):
    """The outsider's probe: the loop closed minus the final statuses shown gave back the
    hidden "cancelled"; the declines' "accepted" gave back a hidden "declined". Every
    referral figure is now a sum of one protected set of cells."""
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    worker = UserFactory(role=Role.WORKER_811, region=region)
    food_bank = OrganizationFactory()
    plan = (
        [("rejected", "full")] * 8
        + [("cancelled", "")] * 4
        + [("completed", "")] * 30
        + [("failed", "")] * 6
        + [("requested", "")] * 7
    )
    for i, (status, reason) in enumerate(plan):
        answered = None if status == "requested" else 2
        referral(region, worker, status, at(2, 1 + i % 27, 9, i % 60), food_bank,
                 answered_after=answered, reject_reason=reason)  # fmt: skip
    scope = Scope(region.pk, *FEBRUARY)
    statuses = table(services.referrals_sent(scope))
    closed = headline(services.loop_closure(scope))[1]
    finals = [statuses[s][0] for s in ("rejected", "cancelled", "completed", "failed")]
    assert "hidden" in finals  # the 4 cancelled
    # The loop closed is hidden, or two final statuses are: never closed - shown = one.
    assert closed == "hidden" or finals.count("hidden") >= 2
    declines = headline(services.declines_and_no_shows(scope))
    answered, declined, accepted = declines[:3]
    if declined == "hidden":
        assert "hidden" in (answered, accepted)
    # Accepted is the same figure, hidden or shown, in both indicators.
    assert headline(services.referrals_sent(scope))[1] == accepted


def test_agreements_in_force_are_those_of_the_last_day_chosen(db):
    """By their status history and dates, not by their status today."""
    region = Region.objects.create(code="03", name="Capitale-Nationale")

    def agreement(title, history, starts_on):
        made = Agreement.objects.create(
            region=region, title_fr=title, kind="memorandum", status=history[-1][1],
            starts_on=starts_on, review_on=date(2024, 7, 15),
        )  # fmt: skip
        for moment, status in history:
            change = made.status_changes.create(to_status=status)
            made.status_changes.filter(pk=change.pk).update(at=moment)
        return made

    # In force through 2024, expired since: in force on 30 June 2024.
    agreement("Ancienne", [(at(1, 10, 9, year=2024), "active"), (at(1, 2, 9, year=2025), "expired")],
              date(2024, 1, 1))  # fmt: skip
    # Signed in November 2025: not yet in force in 2024.
    agreement("Récente", [(at(11, 1, 9, year=2025), "active")], date(2025, 11, 1))
    result = services.agreements_review(Scope(region.pk, date(2024, 1, 1), date(2024, 6, 30)))
    assert headline(result) == [1, 1]  # the old one, its review 15 days ahead
    assert [line.label for line in result.lines] == ["Ancienne"]
    assert table(result) == {next(iter(table(result))): [date(2024, 7, 15), 15]}
    today = services.agreements_review(Scope(region.pk, date(2026, 1, 1), date(2026, 6, 30)))
    # In 2026 the recent one is in force, its review long overdue (negative days left).
    assert headline(today) == [1, 1] and [line.label for line in today.lines] == ["Récente"]
    assert table(today)[next(iter(table(today)))][1] == (date(2024, 7, 15) - date(2026, 6, 30)).days


def test_hidden_referral_cells_are_never_pinned_by_what_is_shown(db):
    """The outsider's second probe, a partner's month: 9 sent, 6 completed, 2 declined
    (one out of territory, one declined by the person), 1 failed. The three 1s hidden
    sum to 3 over three cells (each is then 1, a shown 0 telling it is not 0): the 6
    is hidden too; 9 over four cells leaves each possibly 5 or more."""
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    worker = UserFactory(role=Role.WORKER_811, region=region)
    food_bank = OrganizationFactory()
    plan = [("completed", "")] * 6 + [
        ("rejected", "out_of_territory"),
        ("rejected", "declined_by_person"),
        ("failed", ""),
    ]
    for i, (status, reason) in enumerate(plan):
        referral(region, worker, status, at(2, 3 + i, 9), food_bank, answered_after=2,
                 reject_reason=reason)  # fmt: skip
    scope = Scope(region.pk, *FEBRUARY)
    statuses = table(services.referrals_sent(scope))
    assert statuses["completed"][0] == statuses["rejected"][0] == statuses["failed"][0] == "hidden"
    assert headline(services.referrals_sent(scope))[:2] == [9, "hidden"]
    declines = services.declines_and_no_shows(scope)
    assert headline(declines)[1:4] == ["hidden", "hidden", "hidden"]
    reasons = table(declines)
    assert reasons["out_of_territory"][0] == reasons["declined_by_person"][0] == "hidden"


def test_an_evaluator_sees_one_figure_for_the_same_people_however_asked(network):
    from dataclasses import replace

    def perturbed(**narrowed):
        return replace(period(network, **narrowed), perturbed=True)

    region, clsc_a, n1 = (
        perturbed(),
        perturbed(territory=network.clsc_a),
        perturbed(territory=network.n1),
    )
    # P1-P5 live in neighbourhood N1 of CLSC A: the region's row for A, A's total, A's
    # row for N1, N1's total and A's deprivation headline count the same five people:
    # one number however asked (else several noisy reads of one figure would pin it).
    reach_a = services.reach_by_territory(clsc_a)
    figures = {
        table(services.reach_by_territory(region))[str(network.clsc_a.pk)][0],
        headline(reach_a)[0],
        table(reach_a)[str(network.n1.pk)][0],
        headline(services.reach_by_territory(n1))[0],
        headline(services.reach_by_deprivation(clsc_a))[0],
    }
    assert len(figures) == 1 and abs(figures.pop() - 5) <= 2
    # The region's ten people: one number in both equity indicators, moved by 2 at most.
    both = headline(services.reach_by_territory(region)) + headline(
        services.reach_by_deprivation(region)
    )
    assert both[0] == both[1] and abs(both[0] - 10) <= 2
    # The exact figures are untouched for those who read the records.
    assert headline(services.reach_by_territory(period(network))) == [10]
