"""The contact screen, server side: a routine call, an escalation, the draft, permissions."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from proxima.core.roles import Role
from proxima.intake.models import ContactEpisode
from tests.factories import UserFactory, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(worker, questionnaires):
    client = Client()
    client.force_login(worker)
    return client


def new_call(client) -> ContactEpisode:
    response = client.post(reverse("intake:new_call"))
    assert response.status_code == 302
    return ContactEpisode.objects.get()


def test_routine_call_screen_orient_close(api, need_domains):
    make_service("Comptoir alimentaire", domain="food", point=(46.8139, -71.2247))
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    page = api.get(url).content.decode()
    assert "Risques" in page and "Alimentation" in page and "Alt+5 fermer" in page
    assert "9-8-8" not in page  # nothing said of a crisis: no emergency numbers
    screen = {
        "action": "screen",
        "reason": "Plus rien dans le frigo",
        "language": "fr",
        "needs-screen.need_food": "on",
        "needs-screen.need_food.severity": "3",
        "needs-screen.need_food.help": "on",
        "barrier.cost": "on",
        "postal_code": "G1K 3B2",
    }
    assert api.post(url, screen).status_code == 302
    page = api.get(url).content.decode()
    assert "Comptoir alimentaire" in page  # matched resource
    episode.refresh_from_db()
    assert episode.reason == "Plus rien dans le frigo"
    assert episode.screenings.count() == 3
    orient = {"action": "orient", "priority": "2w", "kind": "information"}
    assert api.post(url, orient).status_code == 302
    closed = api.post(url, {"action": "close"})
    summary = reverse("intake:summary", args=[episode.pk])
    assert closed.status_code == 302 and closed["Location"] == summary
    episode.refresh_from_db()
    assert episode.closed_at and episode.priority == "2w"


def test_positive_screen_blocks_closing_until_the_action(api):
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    screen = {
        "action": "screen",
        "cssrs-screen.q1": "on",
        "cssrs-screen.q2": "on",
        "cssrs-screen.q3": "on",
        "cssrs-screen.q4": "on",
    }
    page = api.post(url, screen, follow=True).content.decode()
    assert "risque suicidaire — élevé" in page and "— high" not in page  # words, not codes
    refused = api.post(url, {"action": "close"})
    assert refused.status_code == 400
    assert "Enregistrez ces actions avant de fermer" in refused.content.decode()
    escalation = episode.escalations.get()
    api.post(
        url,
        {"action": "escalation_action", "escalation": escalation.pk, "what": "crisis_intervention"},
    )
    assert api.post(url, {"action": "close"}).status_code == 302


def test_draft_is_saved_and_restored_and_bounded(api):
    episode = new_call(api)
    draft_url = reverse("intake:draft", args=[episode.pk])
    data = {"reason": "</script><script>alert(1)</script>", "needs-screen.need_food": "on"}
    assert api.post(draft_url, json.dumps(data), content_type="application/json").status_code == 204
    page = api.get(reverse("intake:call", args=[episode.pk])).content.decode()
    assert "\\u003C/script\\u003E" in page and "</script><script>alert(1)" not in page
    too_big = {"reason": "x" * 200_000}
    assert (
        api.post(draft_url, json.dumps(too_big), content_type="application/json").status_code == 400
    )
    assert api.post(draft_url, "not json", content_type="application/json").status_code == 400


def test_other_workers_cannot_open_the_screen(api, worker):
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    partner = Client()
    partner.force_login(UserFactory(role=Role.PARTNER_ADMIN, region=worker.region))
    assert partner.get(url).status_code == 403
    assert partner.get(reverse("intake:home")).status_code == 403
    assert Client().get(url).status_code == 302  # to the login page


def test_opening_the_contact_screen_is_audited(api, worker):
    from proxima.core.models import AuditEvent

    episode = new_call(api)
    api.get(reverse("intake:call", args=[episode.pk]))
    event = AuditEvent.objects.get(action="read_contact")
    assert (event.actor, event.object_id) == (worker, str(episode.pk))


def test_the_caller_is_found_or_created_from_the_screen(api, worker):
    from datetime import date

    from proxima.people.services.records import PersonInput, create_person

    existing = create_person(
        PersonInput("Élise", "Côté", date(1988, 3, 14)), by=worker, confirmed_new=True
    )
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    typed = {
        "action": "person",
        "given_name": "elise",
        "family_name": "cote",
        "birth_date": "1988-03-14",
    }
    page = api.post(url, typed).content.decode()
    assert "Cette personne a peut-être déjà un dossier" in page and "même date de naissance" in page
    episode.refresh_from_db()
    assert episode.person is None  # nothing linked until the worker decides
    api.post(url, {"action": "link_person", "person": existing.pk})
    episode.refresh_from_db()
    assert episode.person == existing
    assert "Élise Côté" in api.get(url).content.decode()


def test_a_new_caller_record_and_impossible_dates(api):
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    bad = api.post(
        url,
        {"action": "person", "given_name": "Ana", "family_name": "Roy", "birth_date": "2020-02-30"},
    )
    assert bad.status_code == 400 and "Cette date n’existe pas." in bad.content.decode()
    api.post(
        url,
        {"action": "person", "given_name": "Ana", "family_name": "Roy", "birth_date": "2019-05-01"},
    )
    episode.refresh_from_db()
    assert episode.person.given_name == "Ana"


def test_every_door_opens_a_contact_and_an_unknown_one_is_refused(api):
    home = api.get(reverse("intake:home")).content.decode()
    assert "visite à domicile" in home
    assert 'value="phone_811"' not in home.split('id="channel"')[1]  # the big button does it
    api.post(reverse("intake:new_call"), {"channel": "home_visit"})
    assert ContactEpisode.objects.get().channel == "home_visit"
    refused = api.post(reverse("intake:new_call"), {"channel": "carrier-pigeon"}, follow=True)
    assert "Porte d’entrée inconnue." in refused.content.decode()
    assert ContactEpisode.objects.count() == 1


def test_a_reason_that_speaks_of_a_crisis_shows_the_emergency_numbers(api):
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    api.post(
        url, {"action": "screen", "reason": "Sa fille dit qu'elle veut mourir", "language": "fr"}
    )
    page = api.get(url).content.decode()
    assert "9-8-8" in page and 'href="tel:988"' in page and "811, option 2" in page


def test_a_long_reason_or_an_autosaved_one_that_speaks_of_a_crisis_shows_the_numbers(api):
    """The whole reason is read (5,000 characters), and the draft's before it is saved."""
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    draft = reverse("intake:draft", args=[episode.pk])
    typed = {"reason": "ma fille veut se tuer"}
    saved = api.post(draft, json.dumps(typed), content_type="application/json")
    # The numbers for the page to show at once, as the reason is typed.
    assert saved.status_code == 200 and 'href="tel:988"' in saved.content.decode()
    assert 'href="tel:988"' in api.get(url).content.decode()
    calm = api.post(
        draft, json.dumps({"reason": "Question sur un bail"}), content_type="application/json"
    )
    assert calm.status_code == 204 and not calm.content
    assert 'href="tel:988"' not in api.get(url).content.decode()
    long = "Appel au sujet du logement et des factures. " * 13 + "Il veut mourir ce soir."
    api.post(url, {"action": "screen", "reason": long, "language": "fr"})
    assert 'href="tel:988"' in api.get(url).content.decode()


def test_several_resources_are_oriented_at_once(api, need_domains):
    food = make_service("Comptoir alimentaire", domain="food", point=(46.8139, -71.2247))
    meals = make_service("Popote roulante", domain="food", point=(46.82, -71.22))
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    screen = {
        "action": "screen",
        "reason": "Plus rien dans le frigo",
        "language": "fr",
        "needs-screen.need_food": "on",
        "needs-screen.need_food.severity": "2",
        "needs-screen.need_food.help": "on",
    }
    api.post(url, screen)
    page = api.get(url).content.decode()
    assert page.count(f'id="svc-{food.id}"') == 1  # once, whichever needs it answers
    orient = {"action": "orient", "priority": "2w", "kind": "information"}
    assert api.post(url, {**orient, "service": [food.id, meals.id]}).status_code == 302
    assert {o.service_id for o in episode.orientations.all()} == {food.id, meals.id}


def test_an_internal_orientation_names_the_team_in_words(api):
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    api.post(
        url,
        {
            "action": "orient",
            "priority": "2w",
            "kind": "internal_team",
            "team": "social_consultation",
        },
    )
    page = api.get(url).content.decode()
    listed = page[page.index("Enregistrer l’orientation") :]
    assert "équipe interne — consultation sociale (CLSC)" in listed
    assert "social_consultation" not in listed


def test_closing_shows_what_the_caller_was_told(api, need_domains):
    from proxima.directory.models import Phone

    food = make_service("Comptoir alimentaire", domain="food", point=(46.8139, -71.2247))
    Phone.objects.create(
        id="00000000-0000-4000-8000-00000000c0a1", service=food, number="418 555-0177"
    )
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    api.post(
        url, {"action": "orient", "priority": "2w", "kind": "information", "service": [food.id]}
    )
    closed = api.post(url, {"action": "close"}, follow=True)
    page = closed.content.decode()
    assert "Résumé du contact" in page and "Contact fermé." in page
    assert "Comptoir alimentaire" in page and "418 555-0177" in page
    assert "dans les 2 semaines" in page


@pytest.mark.parametrize("service", ["999999", "abc", "-1", "x" * 300])
def test_orienting_to_a_resource_that_is_not_one_is_refused(api, service):
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    response = api.post(url, {"action": "orient", "kind": "information", "service": service})
    assert response.status_code == 400
    assert "Ressource inconnue ou inactive." in response.content.decode()
    assert not episode.orientations.exists()


def test_an_inactive_resource_cannot_be_given_and_a_second_click_records_nothing(api, need_domains):
    closed = make_service("Comptoir fermé", domain="food", point=(46.8139, -71.2247))
    closed.status = "inactive"
    closed.save()
    food = make_service("Comptoir ouvert", domain="food", point=(46.8139, -71.2247))
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    given = {"action": "orient", "kind": "information", "service": closed.id}
    assert api.post(url, given).status_code == 400
    given["service"] = food.id
    first = api.post(url, given)
    assert first.status_code == 302 and first["Location"].endswith("#orient-title")
    api.post(url, given)
    assert episode.orientations.get().service == food


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"cssrs-screen.q1": "maybe"}, "répondez oui, non ou non posée"),
        ({"cssrs-screen.q1": "x" * 100_000}, "répondez oui, non ou non posée"),
        ({"cssrs-screen.q2": "no", "cssrs-screen.q4": "yes"}, "ne se pose qu’après un oui"),
        ({"needs-screen.need_food": "on"}, "gravité"),  # a need without its severity
    ],
)
def test_a_bad_screen_is_refused_whole_with_nothing_written(api, fields, message):
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    response = api.post(url, {"action": "screen", "reason": "Un motif", **fields})
    assert response.status_code == 400
    assert message in response.content.decode().lower()
    episode.refresh_from_db()
    assert episode.reason == "" and not episode.screenings.exists()
    assert not episode.escalations.exists()


def test_a_screen_left_unasked_is_not_said_to_find_no_risk(api):
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    api.post(url, {"action": "screen", "cssrs-screen.q1": "no"})
    page = api.get(url).content.decode()
    assert "Enregistré : aucun risque trouvé aux questions posées ; 2 questions non posées." in page
    assert "Enregistré : pas fait (aucune question posée) ; 4 questions non posées." in page
    suicide = episode.screenings.get(questionnaire__code="cssrs-screen")
    assert suicide.answers == {"q1": False, "q2": None, "q6": None}


def test_closing_with_screen_answers_not_saved_is_refused(api):
    """A risk "yes" ticked after the last save (kept in the draft) would be lost by
    closing: the contact stays open until the screening is saved."""
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    no_risk = {"cssrs-screen.q1": "no", "cssrs-screen.q2": "no", "cssrs-screen.q6": "no"}
    assert api.post(url, {"action": "screen", **no_risk}).status_code == 302
    draft = reverse("intake:draft", args=[episode.pk])
    typed = {**no_risk, "cssrs-screen.q1": "yes"}
    api.post(draft, json.dumps(typed), content_type="application/json")
    refused = api.post(url, {"action": "close"})
    assert refused.status_code == 400
    assert "Des réponses aux dépistages ne sont pas enregistrées" in refused.content.decode()
    episode.refresh_from_db()
    assert episode.is_open
    # Saved, the answer is on record (a low risk: no escalation) and closing goes.
    api.post(url, {"action": "screen", **typed})
    latest = episode.screenings.filter(questionnaire__code="cssrs-screen").last()
    assert latest.answers["q1"] is True and latest.outcome["level"] == "low"
    assert api.post(url, {"action": "close"}).status_code == 302


def test_a_refused_orientation_changes_no_priority(api):
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    response = api.post(
        url, {"action": "orient", "priority": "2w", "kind": "information", "service": "nope"}
    )
    assert response.status_code == 400
    episode.refresh_from_db()
    assert episode.priority == ""
    too_many = {"action": "orient", "kind": "information", "service": [str(i) for i in range(21)]}
    assert api.post(url, too_many).status_code == 400


def test_an_unknown_language_is_refused(api):
    episode = new_call(api)
    url = reverse("intake:call", args=[episode.pk])
    response = api.post(url, {"action": "screen", "language": "xx"})
    assert response.status_code == 400
    assert "Choisissez la langue utilisée." in response.content.decode()
