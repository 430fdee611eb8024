"""Malformed numbers on the prescription pages (a goal's rating, a measure's answers):
the form's error in the user's language and nothing recorded, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from proxima.outcomes.models import Measurement
from proxima.prescriptions.models import GoalRating
from proxima.prescriptions.services.plans import PrescriptionInput, create_prescription

pytestmark = pytest.mark.django_db

UNREADABLE = ["²", "--1", "1.5", "", "99999999999999999999"]


@pytest.fixture
def prescription(family, orkidstra, prescriber):
    return create_prescription(
        family, PrescriptionInput("Bouger", "la famille", ["Jouer"], [orkidstra.pk]), by=prescriber
    )


@pytest.fixture
def client(prescriber):
    client = Client()
    client.force_login(prescriber)
    return client


@pytest.mark.parametrize("rating", UNREADABLE)
def test_an_unreadable_goal_rating_is_a_form_error(client, prescription, rating):
    goal = prescription.goals.get()
    response = client.post(
        reverse("prescriptions:detail", args=[prescription.pk]),
        {"action": "rate", "goal": goal.pk, "rating": rating},
    )
    assert response.status_code == 400
    assert "Évaluez de 1 (pas du tout) à 5 (pleinement)." in response.content.decode()
    assert not GoalRating.objects.exists()


@pytest.mark.parametrize("answer", UNREADABLE)
def test_an_unreadable_measure_answer_is_a_form_error(client, prescription, answer):
    answers = {f"phq9_{i}": "1" for i in range(1, 10)} | {"phq9_3": answer}
    response = client.post(
        reverse("prescriptions:measure", args=[prescription.pk, "phq9"]),
        {"occasion": "baseline", **answers},
    )
    assert response.status_code == 400
    assert "Choisissez une des réponses." in response.content.decode()
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1066-10-14"])
def test_a_follow_up_at_the_ends_of_the_calendar_is_a_form_error(client, family, day):
    from proxima.prescriptions.models import Prescription

    response = client.post(
        reverse("prescriptions:new"),
        {"person": family.pk, "what_matters": "Bouger", "follow_up_0": day},
    )
    assert response.status_code == 400
    assert "Donnez une date entre 1900 et 2199." in response.content.decode()
    assert not Prescription.objects.exists()


def test_a_next_follow_up_in_year_9999_is_a_form_error(client, prescription):
    from datetime import timedelta

    from django.utils import timezone

    follow_up = prescription.follow_ups.create(due_on=timezone.localdate() + timedelta(days=7))
    response = client.post(
        reverse("prescriptions:detail", args=[prescription.pk]),
        {"action": "follow_up", "follow_up": follow_up.pk, "note": "Vu", "next_on": "9999-12-31"},
    )
    assert response.status_code == 400
    assert "Donnez une date entre 1900 et 2199." in response.content.decode()
    assert prescription.follow_ups.count() == 1
