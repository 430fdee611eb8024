"""The emergency mode's rules: declaring, activating, the follow-up schedule and its
generation from each registration, registering only while active, recording follow-ups
by the event's team, closing with a report, the dashboard's figures, who reads what, and
the audit of every read of affected people."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from proxima.emergency import services
from proxima.emergency.models import AffectedPerson, Event, FollowUp, Household
from proxima.emergency.services import AffectedInput, EmergencyInputError
from proxima.referrals.models import Referral
from proxima.teams.services import standard_team
from tests.emergency.conftest import event_input, person_of, register
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEFAULT_HOURS = [72, 14 * 24, 30 * 24, 180 * 24]


# --- declaring and activating -------------------------------------------------------------


def test_a_declared_event_waits_for_its_activation(declared, region):
    assert declared.status == "declared" and declared.region == region
    assert declared.follow_up_offsets_hours == DEFAULT_HOURS
    assert not services.active_events(region.pk).exists()
    assert AuditEvent.objects.filter(action="declare_emergency").count() == 1


def test_activating_shows_the_event_to_the_region_only(event, region, elsewhere):
    assert event.status == "active" and event.activated_at is not None
    assert list(services.active_events(region.pk)) == [event]
    assert not services.active_events(elsewhere.pk).exists()
    assert not services.active_events(None).exists()
    assert AuditEvent.objects.filter(action="activate_emergency").count() == 1


def test_an_event_is_activated_once(event, lead):
    with pytest.raises(EmergencyInputError):
        services.activate_event(event, by=lead)


@pytest.mark.parametrize("role", [Role.CLSC_WORKER, Role.WORKER_811, Role.EVALUATOR])
def test_only_coordinators_and_team_leads_declare(region, lead, team, role):
    with pytest.raises(PermissionDenied):
        services.declare_event(
            event_input(region, lead, team), by=UserFactory(role=role, region=region)
        )
    assert not Event.objects.exists()


def test_a_coordinator_of_another_region_cannot_activate(declared, elsewhere):
    with pytest.raises(PermissionDenied):
        services.activate_event(declared, by=UserFactory(role=Role.COORDINATOR, region=elsewhere))
    declared.refresh_from_db()
    assert declared.status == "declared"


def test_the_declaration_is_checked_field_by_field(region, elsewhere, lead, team):
    other_lead = UserFactory(role=Role.TEAM_LEAD, region=elsewhere)
    with pytest.raises(EmergencyInputError) as refused:
        services.declare_event(
            event_input(
                region,
                other_lead,
                standard_team(elsewhere, "info_social"),
                kind="meteor",
                title=" ",
                occurred_on=timezone.localdate() + timedelta(days=2),
            ),
            by=lead,
        )
    assert set(refused.value.errors) == {"kind", "title", "occurred_on", "lead", "team"}
    assert not Event.objects.exists()


def test_the_lead_must_respond_to_emergencies(region, lead, team):
    evaluator = UserFactory(role=Role.EVALUATOR, region=region)
    with pytest.raises(EmergencyInputError) as refused:
        services.declare_event(event_input(region, evaluator, team), by=lead)
    assert set(refused.value.errors) == {"lead"}


# --- the follow-up schedule ---------------------------------------------------------------


@pytest.mark.parametrize(
    "offsets",
    [
        [],
        list(range(1, 12)),  # 11 follow-ups
        [0],
        [72, 72],
        [2 * 365 * 24 + 1],
        ["72"],
        [True],
        [1.5],
        "72",
    ],
)
def test_a_schedule_out_of_bounds_is_refused(region, lead, team, offsets):
    with pytest.raises(EmergencyInputError) as refused:
        services.declare_event(
            event_input(region, lead, team, follow_up_offsets_hours=offsets), by=lead
        )
    assert "follow_up_offsets_hours" in refused.value.errors
    assert not Event.objects.exists()


def test_a_custom_schedule_is_kept_sorted(region, lead, team):
    event = services.declare_event(
        event_input(region, lead, team, follow_up_offsets_hours=[168, 24, 2 * 365 * 24]),
        by=lead,
    )
    assert event.follow_up_offsets_hours == [24, 168, 2 * 365 * 24]


def test_the_schedule_changes_before_the_activation_only(declared, lead):
    services.change_schedule(declared, [48, 24 * 7], by=lead)
    declared.refresh_from_db()
    assert declared.follow_up_offsets_hours == [48, 168]
    services.activate_event(declared, by=lead)
    with pytest.raises(EmergencyInputError):
        services.change_schedule(declared, [24], by=lead)
    declared.refresh_from_db()
    assert declared.follow_up_offsets_hours == [48, 168]


def test_the_schedule_in_words():
    assert services.schedule_label(DEFAULT_HOURS) == "+72 h, +2 semaines, +1 mois, +6 mois" or (
        services.schedule_label(DEFAULT_HOURS) == "+72 h, +2 weeks, +1 month, +6 months"
    )
    assert services.offset_label(5 * 24) == services.offset_label(120)


# --- registering affected people and their follow-ups -------------------------------------


def test_registration_plans_the_follow_ups_from_its_moment(event, worker_811):
    before = timezone.now()
    affected = register(event, worker_811)
    after = timezone.now()
    follow_ups = list(affected.follow_ups.order_by("sequence"))
    assert [f.sequence for f in follow_ups] == [1, 2, 3, 4]
    assert all(f.status == "due" for f in follow_ups)
    for follow_up, hours in zip(follow_ups, DEFAULT_HOURS, strict=True):
        assert follow_up.due_at == affected.registered_at + timedelta(hours=hours)
        assert before + timedelta(hours=hours) <= follow_up.due_at <= after + timedelta(hours=hours)


def test_a_custom_schedule_plans_its_own_follow_ups(region, lead, team, worker):
    event = services.declare_event(
        event_input(region, lead, team, follow_up_offsets_hours=[24, 24 * 7]), by=lead
    )
    services.activate_event(event, by=lead)
    affected = register(event, worker)
    hours = [
        (f.due_at - affected.registered_at) / timedelta(hours=1)
        for f in affected.follow_ups.order_by("sequence")
    ]
    assert hours == [24, 168]


def test_two_registrations_an_hour_apart_have_their_own_schedules(event, worker, monkeypatch):
    first = register(event, worker, "Ana")
    later = timezone.now() + timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    second = register(event, worker, "Béa")
    assert second.registered_at - first.registered_at >= timedelta(minutes=59)
    assert second.follow_ups.get(sequence=1).due_at - first.follow_ups.get(
        sequence=1
    ).due_at >= timedelta(minutes=59)


def test_nobody_is_registered_on_a_declared_event(declared, worker):
    with pytest.raises(EmergencyInputError) as refused:
        register(declared, worker)
    assert "event" in refused.value.errors
    assert not AffectedPerson.objects.exists() and not FollowUp.objects.exists()


def test_nobody_is_registered_on_a_closed_event(event, lead, worker):
    services.close_event(event, by=lead, report="Fin de l’intervention.")
    with pytest.raises(EmergencyInputError):
        register(event, worker)
    assert not AffectedPerson.objects.exists()


def test_a_household_groups_its_members(event, worker, need_domains):
    first = services.register_affected_person(
        event,
        AffectedInput(
            given_name="Nathalie",
            family_name="Tremblay",
            phone="418 555-0141 poste 12",
            age_band="25-64",
            need_domains=["housing", "food", "housing"],
            first_aid_given=True,
            first_aid_notes="Écoute",
            household_label="12 rue des Saules",
            household_size=4,
        ),
        by=worker,
    )
    second = register(event, worker, "Léo", household=first.household, age_band="6-11")
    household = Household.objects.get()
    assert household.label == "12 rue des Saules" and household.size_hint == 4
    assert set(household.members.all()) == {first, second}
    assert first.need_domains == ["food", "housing"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"given_name": "  "}, "given_name"),
        ({"phone": "pas de téléphone"}, "phone"),
        ({"phone": "12"}, "phone"),
        ({"phone": "４１８ ５５５ ０１０１"}, "phone"),
        ({"age_band": "40"}, "age_band"),
        ({"need_domains": ["aliens"]}, "need_domains"),
        ({"household_label": "x" * 201}, "household_label"),
        ({"household_label": "Famille", "household_size": 0}, "household_size"),
        ({"first_aid_notes": "a\x00b"}, "first_aid_notes"),
    ],
)
def test_a_registration_is_checked_field_by_field(event, worker, need_domains, changes, field):
    fields = {"given_name": "Léa", **changes}
    with pytest.raises(EmergencyInputError) as refused:
        services.register_affected_person(event, AffectedInput(**fields), by=worker)
    assert field in refused.value.errors
    assert not AffectedPerson.objects.exists() and not Household.objects.exists()


def test_a_household_of_another_event_is_refused(event, region, lead, team, worker):
    other = services.activate_event(
        services.declare_event(event_input(region, lead, team, title="Autre"), by=lead), by=lead
    )
    household = services.register_household(other, "Famille", by=worker)
    with pytest.raises(EmergencyInputError) as refused:
        register(event, worker, household=household)
    assert "household" in refused.value.errors


def test_a_record_of_another_region_is_never_linked(event, elsewhere, worker):
    with pytest.raises(EmergencyInputError):
        register(event, worker, person=person_of(elsewhere))
    assert not AffectedPerson.objects.exists()


def test_a_registration_linked_to_a_record_is_audited_against_it(event, region, worker):
    person = person_of(region)
    register(event, worker, person=person)
    line = AuditEvent.objects.get(action="register_affected_person")
    assert line.object_type == "people.person" and line.object_id == str(person.pk)
    assert line.region_id == region.pk


@pytest.mark.parametrize("role", [Role.PARTNER_ADMIN, Role.EVALUATOR, Role.ADMIN])
def test_only_responders_register(event, region, role):
    with pytest.raises(PermissionDenied):
        register(event, UserFactory(role=role, region=region))


def test_a_responder_of_another_region_does_not_register(event, elsewhere):
    with pytest.raises(PermissionDenied):
        register(event, UserFactory(role=Role.WORKER_811, region=elsewhere))
    assert not AffectedPerson.objects.exists()


# --- follow-ups ---------------------------------------------------------------------------


def test_the_team_records_a_follow_up(event, worker, worker_811):
    affected = register(event, worker_811)
    first = affected.follow_ups.get(sequence=1)
    services.record_follow_up(
        first, by=worker, status="done_reached", note="Va mieux", orientation="referral"
    )
    first.refresh_from_db()
    assert first.status == "done_reached" and first.done_by == worker
    assert first.orientation == "referral" and first.done_at is not None
    assert affected.follow_ups.filter(status="due").count() == 3
    assert AuditEvent.objects.filter(action="record_emergency_follow_up").count() == 1
    with pytest.raises(EmergencyInputError):
        services.record_follow_up(first, by=worker, status="unreachable")


def test_declining_cancels_the_follow_ups_left(event, worker):
    affected = register(event, worker)
    services.record_follow_up(affected.follow_ups.get(sequence=1), by=worker, status="declined")
    assert list(affected.follow_ups.order_by("sequence").values_list("status", flat=True)) == [
        "declined",
        "cancelled",
        "cancelled",
        "cancelled",
    ]


@pytest.mark.parametrize(
    ("status", "orientation"),
    [("due", "none"), ("cancelled", "none"), ("done", "none"), ("unreachable", "referral")],
)
def test_a_follow_up_result_is_checked(event, worker, status, orientation):
    follow_up = register(event, worker).follow_ups.get(sequence=1)
    with pytest.raises(EmergencyInputError):
        services.record_follow_up(follow_up, by=worker, status=status, orientation=orientation)
    follow_up.refresh_from_db()
    assert follow_up.status == "due"


def test_follow_ups_are_for_the_team_the_lead_and_the_declarers(event, region, lead, worker):
    affected = register(event, worker)
    follow_up = affected.follow_ups.get(sequence=1)
    other_team = UserFactory(role=Role.CLSC_WORKER, region=region, team="social_consultation")
    for outsider in (other_team, UserFactory(role=Role.WORKER_811, region=region)):
        with pytest.raises(PermissionDenied):
            services.record_follow_up(follow_up, by=outsider, status="done_reached")
    coordinator = UserFactory(role=Role.COORDINATOR, region=region)
    assert services.works_on_follow_ups(coordinator, event)
    assert services.works_on_follow_ups(lead, event)
    assert services.works_on_follow_ups(worker, event)


def test_follow_ups_go_on_after_the_closing(event, lead, worker):
    affected = register(event, worker)
    services.close_event(event, by=lead, report="Fin.")
    services.record_follow_up(affected.follow_ups.get(sequence=1), by=worker, status="unreachable")
    assert affected.follow_ups.filter(status="due").count() == 3


def test_the_tasks_are_the_teams_overdue_first(event, worker, lead, region):
    early = register(event, worker, "Ana")
    late = register(event, worker, "Béa")
    FollowUp.objects.filter(affected_person=early, sequence=1).update(
        due_at=timezone.now() - timedelta(days=2)
    )
    FollowUp.objects.filter(affected_person=late, sequence=1).update(
        due_at=timezone.now() + timedelta(days=2)
    )
    before = AuditEvent.objects.filter(action="list_affected_person").count()
    tasks = services.tasks_for(worker, days_ahead=7)
    assert [f.affected_person for f in tasks.overdue] == [early]
    assert [f.affected_person for f in tasks.coming] == [late]
    assert AuditEvent.objects.filter(action="list_affected_person").count() == before + 2
    # Not the team's: no task.
    other = UserFactory(role=Role.CLSC_WORKER, region=region, team="social_consultation")
    assert services.tasks_for(other).overdue == []
    # The lead sees them.
    assert len(services.tasks_for(lead).overdue) == 1


# --- closing ------------------------------------------------------------------------------


def test_closing_requires_a_report(event, lead):
    with pytest.raises(EmergencyInputError) as refused:
        services.close_event(event, by=lead, report="   ")
    assert "report" in refused.value.errors
    event.refresh_from_db()
    assert event.status == "active"


def test_closing_freezes_the_figures_and_keeps_the_report(event, lead, worker):
    register(event, worker, first_aid_given=True)
    register(event, worker, "Béa")
    services.close_event(event, by=lead, report="Deux personnes rencontrées.")
    event.refresh_from_db()
    assert event.status == "closed" and event.closed_by == lead
    assert event.report == "Deux personnes rencontrées."
    assert event.close_figures["registered"] == 2 and event.close_figures["first_aid"] == 1
    assert not services.active_events(event.region_id).exists()
    with pytest.raises(EmergencyInputError):
        services.close_event(event, by=lead, report="Encore")


def test_a_declared_event_is_not_closed(declared, lead):
    with pytest.raises(EmergencyInputError):
        services.close_event(declared, by=lead, report="Rapport")


def test_only_declarers_close(event, worker):
    with pytest.raises(PermissionDenied):
        services.close_event(event, by=worker, report="Rapport")


# --- the dashboard ------------------------------------------------------------------------


def test_the_dashboard_counts_what_a_lead_needs(event, region, worker, need_domains):
    household = services.register_household(event, "Famille Haddad", 3, by=worker)
    samira = register(
        event, worker, "Samira", household=household, need_domains=["food", "housing"]
    )
    karim = register(event, worker, "Karim", household=household, need_domains=["housing"])
    person = person_of(region, "Inès", "Haddad")
    ines = register(event, worker, "Inès", first_aid_given=True, person=person)
    # Samira reached at the first call and referred; Karim unreachable; Inès's first
    # call overdue.
    services.record_follow_up(
        samira.follow_ups.get(sequence=1), by=worker, status="done_reached", orientation="referral"
    )
    services.record_follow_up(karim.follow_ups.get(sequence=1), by=worker, status="unreachable")
    FollowUp.objects.filter(affected_person=ines, sequence=1).update(
        due_at=timezone.now() - timedelta(hours=1)
    )
    # A referral sent through the network for Inès since the activation, and one before.
    for requested_at in (timezone.now(), event.activated_at - timedelta(days=3)):
        Referral.objects.create(
            region=region,
            person=person,
            need_domain="housing",
            request_text="Relogement",
            priority="72h",
            requester=worker,
            requester_team=standard_team(region, "social_consultation"),
            target_team=standard_team(region, "social_consultation"),
            status="requested",
            requested_at=requested_at,
        )
    figures = services.dashboard(event)
    assert figures.registered == 3 and figures.households == 1
    assert figures.first_aid == 1
    assert figures.reached == 2  # Samira at a follow-up, Inès given first aid
    assert figures.follow_ups_done == 2
    assert figures.follow_ups_reached == 1 and figures.follow_ups_unreachable == 1
    assert figures.follow_ups_overdue == 1
    assert figures.follow_ups_due == 12 - 2 - 1
    assert figures.referrals_at_follow_up == 1 and figures.referrals_sent == 1
    assert figures.referrals == 2
    assert figures.by_need == {"housing": 2, "food": 1}


def test_the_dashboard_names_nobody_and_writes_nothing(event, worker):
    register(event, worker)
    before = AuditEvent.objects.count()
    services.dashboard(event)
    assert AuditEvent.objects.count() == before


# --- who reads ----------------------------------------------------------------------------


def test_events_are_read_in_their_region_by_responders(event, region, elsewhere, outsiders):
    for role in (Role.WORKER_811, Role.CLSC_WORKER, Role.SOCIAL_PRESCRIBER, Role.COORDINATOR):
        assert list(services.visible_to(UserFactory(role=role, region=region))) == [event]
    assert not services.visible_to(outsiders["other region"]).exists()
    for name in ("partner", "evaluator", "admin"):
        assert not services.visible_to(outsiders[name]).exists()
        with pytest.raises(PermissionDenied):
            services.event_for(outsiders[name], event.pk)
    with pytest.raises(Http404):
        services.event_for(outsiders["other region"], event.pk)


@pytest.mark.parametrize(
    "value", ["not-a-uuid", "1", "", "../", "00000000-0000-0000-0000-00000000000Z"]
)
def test_a_malformed_event_id_is_a_404(value, worker):
    with pytest.raises(Http404):
        services.event_for(worker, value)


def test_the_list_puts_active_events_first(region, lead, team):
    closed = services.declare_event(
        event_input(region, lead, team, title="Ancien", occurred_on=date(2026, 1, 5)), by=lead
    )
    services.activate_event(closed, by=lead)
    services.close_event(closed, by=lead, report="Fin")
    declared = services.declare_event(event_input(region, lead, team, title="Prévu"), by=lead)
    active = services.activate_event(
        services.declare_event(
            event_input(region, lead, team, title="En cours", occurred_on=date(2026, 1, 1)),
            by=lead,
        ),
        by=lead,
    )
    assert [e.pk for e in services.events_for(lead)] == [active.pk, declared.pk, closed.pk]


def test_every_list_of_affected_people_is_audited_per_person(event, region, worker):
    person = person_of(region)
    register(event, worker, "Ana", person=person)
    register(event, worker, "Béa")
    services.affected_people(event, by=worker)
    lines = AuditEvent.objects.filter(action="list_affected_person")
    assert lines.count() == 2
    assert {line.object_type for line in lines} == {"people.person", "emergency.affectedperson"}
    assert all(line.actor == worker and line.region_id == region.pk for line in lines)


def test_a_persons_page_read_is_audited(event, worker):
    affected = register(event, worker)
    follow_ups = services.read_affected_person(affected, by=worker)
    assert len(follow_ups) == 4
    line = AuditEvent.objects.get(action="read_affected_person")
    assert line.object_id == str(affected.pk)


def test_another_regions_responder_reads_no_affected_person(event, worker, outsiders):
    affected = register(event, worker)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.read_affected_person(affected, by=outsiders["other region"])
    with pytest.raises(PermissionDenied):
        services.affected_people(event, by=outsiders["other region"])
    assert AuditEvent.objects.count() == before
