"""Co-producing and following a social prescription; well-being before and after."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from proxima.outcomes.services.measures import changes, record_measurement
from proxima.prescriptions.services.plans import (
    PrescriptionInput,
    PrescriptionInputError,
    SupportInput,
    create_prescription,
    rate_goal,
    read_prescription,
    record_follow_up,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def plan(orkidstra, soccer, **changes):
    data = {
        "what_matters": "Jouer du violon comme son cousin; se faire des amis",
        "co_produced_with": "Ousmane et sa mère",
        "goals": ["Aller à la musique deux fois par semaine", "Se faire un ami", ""],
        "service_ids": [orkidstra.pk, soccer.pk],
        "supports": [
            SupportInput("transport", "Billets d’autobus", orkidstra.pk),
            SupportInput("equipment", "Prêt d’un violon", orkidstra.pk),
            SupportInput("fee_subsidy", "Inscription payée par le fonds", soccer.pk),
        ],
        "follow_ups": [timezone.localdate() + timedelta(days=14)],
    }
    data.update(changes)
    return PrescriptionInput(**data)


def test_a_plan_with_goals_activities_supports_and_follow_ups(
    family, prescriber, orkidstra, soccer
):
    prescription = create_prescription(family, plan(orkidstra, soccer), by=prescriber)
    assert [g.text for g in prescription.goals.all()] == [
        "Aller à la musique deux fois par semaine",
        "Se faire un ami",
    ]
    assert [a.service for a in prescription.activities.all()] == [orkidstra, soccer]
    supports = {(s.kind, s.activity.service.pk) for s in prescription.supports.all()}
    assert supports == {
        ("transport", orkidstra.pk),
        ("equipment", orkidstra.pk),
        ("fee_subsidy", soccer.pk),
    }
    assert prescription.link_worker == prescriber and prescription.follow_ups.count() == 1
    assert AuditEvent.objects.filter(action="create_prescription").exists()


def test_what_is_missing_is_said_and_nothing_is_saved(family, prescriber, orkidstra, soccer):
    bad = plan(
        orkidstra,
        soccer,
        what_matters=" ",
        goals=["", ""],
        service_ids=[],
        follow_ups=[timezone.localdate() - timedelta(days=1)],
    )
    with pytest.raises(PrescriptionInputError) as refused:
        create_prescription(family, bad, by=prescriber)
    assert set(refused.value.errors) == {
        "what_matters",
        "goals",
        "activities",
        "supports",
        "follow_ups",
    }
    assert not family.prescriptions.exists()


def test_goals_follow_ups_and_well_being_change(family, prescriber, orkidstra, soccer):
    prescription = create_prescription(family, plan(orkidstra, soccer), by=prescriber)
    goal = prescription.goals.first()
    rate_goal(goal, 2, by=prescriber)
    rate_goal(goal, 4, by=prescriber)
    assert [r.rating for r in goal.ratings.all()] == [2, 4]
    with pytest.raises(PrescriptionInputError):
        rate_goal(goal, 6, by=prescriber)
    follow_up = prescription.follow_ups.get()
    record_follow_up(
        follow_up, "Va à la musique", by=prescriber, next_on=timezone.localdate() + timedelta(30)
    )
    assert prescription.follow_ups.count() == 2 and follow_up.done_at

    k10 = {f"k10_{i}": 3 for i in range(1, 11)}  # 30: very high distress
    record_measurement(
        family, "k10", k10, by=prescriber, occasion="baseline", prescription=prescription
    )
    later = {**k10, **{f"k10_{i}": 2 for i in range(1, 8)}}  # 23
    record_measurement(
        family, "k10", later, by=prescriber, occasion="follow_up", prescription=prescription
    )
    [change] = changes(family, prescription=prescription)
    assert (change.first.score, change.latest.score, change.delta) == (30, 23, -7)
    assert change.direction == "better" and change.meaningful


def test_only_network_staff_of_the_region_follow_it(family, prescriber, orkidstra, soccer, region):
    prescription = create_prescription(family, plan(orkidstra, soccer), by=prescriber)
    for user in (
        UserFactory(role=Role.PARTNER_ADMIN),
        UserFactory(role=Role.WORKER_811, region=None),
        UserFactory(role=Role.EVALUATOR, region=region),
    ):
        with pytest.raises(PermissionDenied):
            read_prescription(prescription.pk, by=user, reason="test")
