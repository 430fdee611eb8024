"""Malformed input on the contact screen, its autosave and the intake API: a form error or
a 4xx with the reason in the user's language, never a 500."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from proxima.intake.models import CallDraft, ContactEpisode, EscalationAction, Screening

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(worker, questionnaires):
    client = Client()
    client.force_login(worker)
    return client


@pytest.fixture
def episode(client) -> ContactEpisode:
    assert client.post(reverse("intake:new_call")).status_code == 302
    return ContactEpisode.objects.get()


@pytest.mark.parametrize("severity", ["²", "--1", "x", "9"])
def test_an_unreadable_need_severity_is_a_form_error(client, episode, severity):
    response = client.post(
        reverse("intake:call", args=[episode.pk]),
        {
            "action": "screen",
            "needs-screen.need_food": "on",
            "needs-screen.need_food.severity": severity,
        },
    )
    assert response.status_code == 400
    assert "Indiquez une gravité de 0 à 3." in response.content.decode()
    assert not Screening.objects.filter(questionnaire__code="needs-screen").exists()


@pytest.mark.parametrize("taken_at", ["2026-02-30T09:00", "2026-12-01T25:61", "demain"])
def test_an_impossible_time_for_an_escalation_action_is_a_form_error(client, episode, taken_at):
    url = reverse("intake:call", args=[episode.pk])
    positive = {"action": "screen", **{f"cssrs-screen.q{i}": "on" for i in range(1, 5)}}
    assert client.post(url, positive).status_code == 302
    escalation = episode.escalations.get()
    response = client.post(
        url,
        {
            "action": "escalation_action",
            "escalation": escalation.pk,
            "what": "crisis_intervention",
            "taken_at": taken_at,
        },
    )
    assert response.status_code == 400
    assert "Saisissez une date et une heure valides." in response.content.decode()
    assert not EscalationAction.objects.exists()


def test_the_autosave_takes_what_a_browser_posts(client, episode):
    """JSON from the page's script; form fields (multipart or urlencoded) from a browser
    without it, or from navigator.sendBeacon."""
    url = reverse("intake:draft", args=[episode.pk])
    assert client.post(url, {"reason": "Loyer", "barrier.cost": "on"}).status_code == 204
    assert CallDraft.objects.get().data == {"reason": "Loyer", "barrier.cost": "on"}
    encoded = "reason=Faim&postal_code=G1K+3B2"
    response = client.post(url, encoded, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 204
    assert CallDraft.objects.get().data == {"reason": "Faim", "postal_code": "G1K 3B2"}
    as_json = client.post(url, json.dumps({"reason": "Froid"}), content_type="application/json")
    assert as_json.status_code == 204 and CallDraft.objects.get().data == {"reason": "Froid"}


@pytest.mark.parametrize(
    ("body", "content_type", "status", "reason"),
    [
        ("reason=Faim", "text/plain", 415, "Envoyez le brouillon en JSON"),
        (b"\xff\xfe{", "application/json", 400, "Le brouillon n’est pas du JSON lisible."),
        ("[" * 100_000, "application/json", 400, "Le brouillon n’est pas du JSON lisible."),
        ("[]", "application/json", 400, "Un brouillon est un ensemble de champs de formulaire."),
        ('{"a": {"b": null}}', "application/json", 400, "Un brouillon est un ensemble"),
    ],
)
def test_an_unreadable_autosave_is_a_4xx_with_the_reason(
    client, episode, body, content_type, status, reason
):
    response = client.post(
        reverse("intake:draft", args=[episode.pk]), body, content_type=content_type
    )
    assert response.status_code == status and reason in response.content.decode()
    assert not CallDraft.objects.exists()


@pytest.mark.parametrize(
    "need",
    [{"severity": "x"}, {"severity": [1]}, {"severity": None}, {"severity": 4}, "food", None],
)
def test_a_malformed_need_to_match_is_a_422(client, need):
    response = client.post(
        "/api/intake/match", {"needs": {"food": need}}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["errors"]


@pytest.mark.parametrize("severity", ["NaN", "Infinity", "1e400"])
def test_a_need_severity_beyond_numbers_is_a_422(client, severity):
    body = '{"needs": {"food": {"severity": ' + severity + "}}}"
    response = client.post("/api/intake/match", body, content_type="application/json")
    assert response.status_code == 422


@pytest.mark.parametrize("language", ["a'", "fr'); --", "f r", "français"])
def test_a_malformed_language_to_match_is_a_400_with_the_reason(client, need_domains, language):
    """A quote in a language code broke PostgreSQL's full-text query (a 500)."""
    response = client.post(
        "/api/intake/match",
        {"needs": {"food": {"severity": 1}}, "language": language},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Code de langue inconnu" in response.json()["detail"]


def test_the_matching_service_refuses_a_malformed_severity_itself(need_domains):
    from proxima.matching.services import MatchConstraints, MatchInputError, match

    for severity in ("x", [1], None, 1.5, True):
        with pytest.raises(MatchInputError):
            match({"food": {"severity": severity}}, None, MatchConstraints())


@pytest.mark.parametrize("taken_at", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:30:00-05:00"])
def test_an_escalation_action_at_the_ends_of_the_calendar_is_a_400(client, episode, taken_at):
    url = reverse("intake:call", args=[episode.pk])
    client.post(url, {"action": "screen", **{f"cssrs-screen.q{i}": "on" for i in range(1, 5)}})
    escalation = episode.escalations.get()
    response = client.post(
        f"/api/intake/escalations/{escalation.pk}/actions",
        {"action": "crisis_intervention", "taken_at": taken_at},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["taken_at"] == "Donnez une date entre 1900 et 2199."
    page = client.post(
        url,
        {
            "action": "escalation_action",
            "escalation": escalation.pk,
            "what": "crisis_intervention",
            "taken_at": "9999-12-31T23:30",
        },
    )
    assert page.status_code == 400
    assert "Donnez une date entre 1900 et 2199." in page.content.decode()
    assert not EscalationAction.objects.exists()
