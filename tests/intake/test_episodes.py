"""Contacts: anonymous then linked, escalation on a positive screen, closing rules, audit."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from proxima.core.models import AuditEvent, Region
from proxima.core.roles import Role
from proxima.intake.models import Priority, PriorityTarget
from proxima.intake.services.episodes import (
    EpisodeCannotClose,
    close_episode,
    link_person,
    open_episode,
    record_escalation_action,
    record_screening,
    set_priority,
)
from proxima.intake.services.questionnaires import ScreeningInputError
from proxima.people.services.records import PersonInput, create_person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SUICIDE_HIGH = {"q1": True, "q2": True, "q3": True, "q4": True, "q5": False, "q6": False}
NO_RISK = {"q1": False, "q2": False, "q6": False}


@pytest.fixture
def call(worker, questionnaires):
    return open_episode(by=worker, channel="phone_811", reason="Je n'en peux plus.")


def test_a_routine_call_opens_and_closes_anonymously(worker, call):
    record_screening(call, "cssrs-screen", NO_RISK, by=worker)
    record_screening(
        call, "needs-screen", {"need_food": {"severity": 2, "wants_help": True}}, by=worker
    )
    set_priority(call, Priority.WEEKS_2, by=worker)
    assert call.priority_due_at == call.started_at + timedelta(days=14)
    close_episode(call, by=worker)
    assert call.closed_at is not None and call.person is None
    actions = list(AuditEvent.objects.values_list("action", flat=True).order_by("id"))
    assert actions == [
        "open_contact",
        "record_screening",
        "record_screening",
        "set_priority",
        "close_contact",
    ]


def test_a_positive_suicide_screen_escalates_and_blocks_closing(worker, call):
    set_priority(call, Priority.DAYS_30, by=worker)
    result = record_screening(call, "cssrs-screen", SUICIDE_HIGH, by=worker)
    [escalation] = result.escalations
    call.refresh_from_db()
    assert (escalation.kind, escalation.level, call.priority) == ("suicide", "high", "immediate")
    assert AuditEvent.objects.filter(action="escalation", reason="suicide").exists()
    with pytest.raises(EpisodeCannotClose) as refused:
        close_episode(call, by=worker)
    assert "risque suicidaire" in refused.value.missing[0]
    with pytest.raises(ScreeningInputError):
        set_priority(call, Priority.URGENT, by=worker)  # stays immediate
    with pytest.raises(ScreeningInputError):
        record_escalation_action(escalation, "report_to_youth_protection", by=worker)
    with pytest.raises(ScreeningInputError):
        record_escalation_action(
            escalation,
            "crisis_intervention",
            by=worker,
            taken_at=timezone.now() + timedelta(hours=1),
        )
    record_escalation_action(
        escalation, "crisis_intervention", by=worker, note="Plan de crise fait"
    )
    close_episode(call, by=worker)
    assert AuditEvent.objects.filter(
        action="escalation_action", reason="crisis_intervention"
    ).exists()


def test_reporting_a_child_in_danger_cannot_be_skipped(worker, call):
    result = record_screening(
        call,
        "safety-screen",
        {"harm_to_others": False, "violence": True, "child_in_danger": True, "elder_abuse": False},
        by=worker,
    )
    kinds = {e.kind: e for e in result.escalations}
    assert set(kinds) == {"violence", "child_maltreatment"}
    record_escalation_action(kinds["violence"], "safety_plan", by=worker)
    with pytest.raises(EpisodeCannotClose) as refused:
        close_episode(call, by=worker)
    assert any("DPJ" in line for line in refused.value.missing)
    record_escalation_action(kinds["child_maltreatment"], "report_to_youth_protection", by=worker)
    close_episode(call, by=worker)


def test_a_closed_contact_takes_no_more_screenings(worker, call):
    close_episode(call, by=worker)
    with pytest.raises(ScreeningInputError):
        record_screening(call, "cssrs-screen", NO_RISK, by=worker)


def test_an_anonymous_contact_is_linked_to_a_person_later(worker, call):
    person = create_person(PersonInput("Marc", "Tremblay"), by=worker, confirmed_new=True)
    link_person(call, person, by=worker)
    assert list(person.contacts.all()) == [call]


def test_region_targets_override_default_delays(worker, call):
    PriorityTarget.objects.create(region=worker.region, priority=Priority.URGENT, target_hours=12)
    set_priority(call, Priority.URGENT, by=worker)
    assert call.priority_due_at == call.started_at + timedelta(hours=12)


def test_other_regions_and_partners_cannot_work_on_a_contact(worker, call):
    elsewhere = Region.objects.create(code="07", name="Outaouais")
    for user in (
        UserFactory(role=Role.CLSC_WORKER, region=elsewhere),
        UserFactory(role=Role.PARTNER_ADMIN, region=worker.region),
        UserFactory(role=Role.EVALUATOR, region=worker.region),
    ):
        with pytest.raises(PermissionDenied):
            record_screening(call, "cssrs-screen", NO_RISK, by=user)
    with pytest.raises(PermissionDenied):
        open_episode(
            by=UserFactory(role=Role.PARTNER_ADMIN, region=worker.region),
            channel="phone_811",
            reason="",
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"reason": "x" * 5001}, "reason"),
        ({"started_at": timezone.now() + timedelta(days=1)}, "started_at"),
    ],
)
def test_bad_contact_input_is_refused(worker, questionnaires, changes, field):
    arguments = {"channel": "phone_811", "reason": "Appel"} | changes
    with pytest.raises(ScreeningInputError) as raised:
        open_episode(by=worker, **arguments)
    assert field in raised.value.errors


def test_orientations_information_team_and_referral(worker, call, need_domains):
    from proxima.intake.services.episodes import record_orientation
    from tests.factories import make_service

    food_bank = make_service("Comptoir alimentaire", domain="food")
    record_orientation(call, "information", by=worker, note="Numéros utiles donnés")
    record_orientation(call, "internal_team", by=worker, team="social_consultation")
    referral = record_orientation(call, "referral", by=worker, service=food_bank)
    assert referral.service == food_bank
    assert list(call.orientations.values_list("kind", flat=True).order_by("id")) == [
        "information",
        "internal_team",
        "referral",
    ]
    for kind, extra, field in [
        ("teleport", {}, "kind"),
        ("internal_team", {"team": "nowhere"}, "team"),
        ("referral", {}, "service"),
    ]:
        with pytest.raises(ScreeningInputError) as raised:
            record_orientation(call, kind, by=worker, **extra)
        assert field in raised.value.errors
    assert call.orientations.count() == 3
