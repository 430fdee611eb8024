"""The emergency pages: the events, declaring, an event (dashboard, fast registration,
people by household), a person with their follow-ups, closing, the tasks, one URL per
action; outsiders refused with nothing written; malformed input a form error in French
or English, never a 500; the 811 screens show the active event."""

import hashlib
import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from proxima.emergency import services
from proxima.emergency.models import (
    AffectedPerson,
    Event,
    EventContact,
    FollowUp,
    Household,
)
from proxima.intake.models import ContactEpisode
from tests.core.test_no_raw_codes import raw_in
from tests.emergency.conftest import client_of, person_of, register
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DECLARATION = {
    "kind": "fire",
    "title": "Incendie rue Principale",
    "place": "120 rue Principale",
    "occurred_on": "2026-11-28",
    "schedule": "72 h, 2 semaines, 1 mois, 6 mois",
}


def emergency_rows() -> str:
    rows = [
        list(model.objects.order_by("pk").values())
        for model in (Event, Household, AffectedPerson, FollowUp, EventContact)
    ]
    return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()


def declaration(lead, team, changes=None, **more) -> dict:
    return {**DECLARATION, "lead": str(lead.pk), "team": str(team.pk), **(changes or {}), **more}


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


# --- declaring ----------------------------------------------------------------------------


def test_a_team_lead_declares_with_a_custom_schedule(lead, team):
    client = client_of(lead)
    page = client.get(reverse("emergency:declare"))
    assert page.status_code == 200 and "72 h" in page.content.decode()
    response = client.post(
        reverse("emergency:declare"), declaration(lead, team, schedule="24 h, 1 sem, 3 mois")
    )
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/emergency/{event.pk}/"
    assert event.follow_up_offsets_hours == [24, 168, 90 * 24] and event.status == "declared"


@pytest.mark.parametrize(
    ("changes", "french"),
    [
        ({"schedule": "bientôt"}, "n’est pas un délai"),
        ({"schedule": "0 h"}, ""),
        ({"schedule": "72 h, 72 h"}, ""),
        ({"schedule": "1,2,3,4,5,6,7,8,9,10,11"}, ""),
        ({"schedule": "30 mois"}, ""),
        ({"occurred_on": "2026-02-30"}, ""),
        ({"occurred_on": "２０２６-11-28"}, ""),
        ({"kind": "meteor"}, ""),
        ({"lead": "abc"}, ""),
        ({"lead": "99999999999999999999999"}, ""),
        ({"team": "-1"}, ""),
        ({"territory": "1e5"}, ""),
        ({"title": ""}, ""),
        ({"title": "x" * 201}, ""),
        ({"title": "a\x00b"}, ""),
        ({"title": "\u200b"}, "Titre"),
        ({"place": "\u200b\u200d "}, "Lieu"),
        ({"occurred_on": "9999-12-31"}, "Date du sinistre"),
    ],
)
def test_a_bad_declaration_is_a_form_error_nothing_written(lead, team, changes, french):
    response = client_of(lead).post(reverse("emergency:declare"), declaration(lead, team, changes))
    assert response.status_code == 400
    # (A NUL character is refused before any page, by the site's middleware.)
    assert 'role="alert"' in response.content.decode() or "\x00" in changes.get("title", "")
    if french:  # said in the list of errors, under the field's name
        alert = re.search(r'role="alert">(.*?)</div>', response.content.decode(), re.S)
        assert alert and french in alert.group(1)
    assert not Event.objects.exists()


def test_a_bad_schedule_is_said_in_english_too(lead, team):
    client = english(client_of(lead))
    response = client.post(reverse("emergency:declare"), declaration(lead, team, schedule="soon"))
    assert response.status_code == 400
    assert "is not a delay" in response.content.decode()
    response = client.post(reverse("emergency:declare"), declaration(lead, team, schedule="0 h"))
    assert "Each follow-up comes from 1 hour to 2 years" in response.content.decode()


def test_a_worker_cannot_declare(worker, lead, team):
    client = client_of(worker)
    assert client.get(reverse("emergency:declare")).status_code == 403
    assert client.post(reverse("emergency:declare"), declaration(lead, team)).status_code == 403
    assert not Event.objects.exists()


# --- activating, the schedule, the event page ---------------------------------------------


def test_activating_opens_the_registration(declared, lead, worker):
    page = client_of(worker).get(reverse("emergency:event", args=[declared.pk]))
    assert "affected-given_name" not in page.content.decode()
    assert (
        client_of(worker).post(reverse("emergency:activate", args=[declared.pk])).status_code == 403
    )
    response = client_of(lead).post(reverse("emergency:activate", args=[declared.pk]))
    assert response.status_code == 302
    page = client_of(worker).get(reverse("emergency:event", args=[declared.pk]))
    assert 'id="affected-given_name"' in page.content.decode()
    again = client_of(lead).post(reverse("emergency:activate", args=[declared.pk]))
    assert again.status_code == 400


def test_the_schedule_changes_on_the_declared_event(declared, lead):
    client = client_of(lead)
    url = reverse("emergency:schedule", args=[declared.pk])
    assert client.post(url, {"schedule": "48 h, 1 mois"}).status_code == 302
    declared.refresh_from_db()
    assert declared.follow_up_offsets_hours == [48, 720]
    bad = client.post(url, {"schedule": "demain"})
    assert bad.status_code == 400
    declared.refresh_from_db()
    assert declared.follow_up_offsets_hours == [48, 720]


def test_a_responder_registers_people_in_a_household(event, worker_811, need_domains):
    client = client_of(worker_811)
    url = reverse("emergency:register", args=[event.pk])
    response = client.post(
        url,
        {
            "given_name": "Nathalie",
            "family_name": "Tremblay",
            "phone": "418 555-0141",
            "age_band": "25-64",
            "household_label": "12 rue des Saules",
            "household_size": "4",
            "need_domains": ["housing", "income"],
            "first_aid_given": "on",
        },
    )
    household = Household.objects.get()
    assert response.status_code == 302
    assert f"?household={household.pk}" in response["Location"]
    # The next member: the household chosen already.
    page = client.get(response["Location"])
    assert f'<option value="{household.pk}" selected>' in page.content.decode()
    client.post(url, {"given_name": "Léo", "age_band": "6-11", "household": str(household.pk)})
    assert household.members.count() == 2
    assert FollowUp.objects.count() == 8


@pytest.mark.parametrize(
    "changes",
    [
        {"given_name": ""},
        {"phone": "appelez-moi"},
        {"age_band": "old"},
        {"household": "abc"},
        {"household": "99999999999999999999999"},
        {"household": "-3"},
        {"household_size": "0"},
        {"household_label": "Famille", "household_size": "beaucoup"},
        {"need_domains": ["aliens"]},
        {"first_aid_notes": "x" * 2001},
    ],
)
def test_a_bad_registration_is_a_form_error_nothing_written(event, worker, need_domains, changes):
    body = {"given_name": "Léa", "age_band": "unknown", **changes}
    before = emergency_rows()
    response = client_of(worker).post(reverse("emergency:register", args=[event.pk]), body)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert emergency_rows() == before


def test_a_registration_in_english_says_its_errors_in_english(event, worker):
    client = english(client_of(worker))
    response = client.post(
        reverse("emergency:register", args=[event.pk]), {"given_name": "", "age_band": "unknown"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_registering_on_a_closed_event_is_refused(event, lead, worker):
    services.close_event(event, by=lead, report="Fin")
    before = emergency_rows()
    response = client_of(worker).post(
        reverse("emergency:register", args=[event.pk]), {"given_name": "Léa", "age_band": "unknown"}
    )
    assert response.status_code == 400
    assert emergency_rows() == before


def test_a_registration_linked_to_a_record(event, region, elsewhere, worker):
    person = person_of(region, "Inès", "Haddad")
    client = client_of(worker)
    page = client.get(reverse("emergency:event", args=[event.pk]) + f"?person={person.pk}")
    assert 'value="Inès"' in page.content.decode()
    client.post(
        reverse("emergency:register", args=[event.pk]),
        {"given_name": "Inès", "age_band": "unknown", "person": str(person.pk)},
    )
    assert AffectedPerson.objects.get().person == person
    # A record of another region: 404, nothing written.
    before = emergency_rows()
    response = client.post(
        reverse("emergency:register", args=[event.pk]),
        {"given_name": "X", "age_band": "unknown", "person": str(person_of(elsewhere).pk)},
    )
    assert response.status_code == 404 and emergency_rows() == before


def test_the_event_page_groups_people_by_household_and_audits_them(event, worker):
    household = services.register_household(event, "Famille Haddad", 3, by=worker)
    register(event, worker, "Samira", household=household)
    register(event, worker, "Karim", household=household)
    register(event, worker, "Gérard")
    AuditEvent.objects.filter(action="list_affected_person").delete()
    page = client_of(worker).get(reverse("emergency:event", args=[event.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("Famille Haddad") < html.index("Samira") < html.index("Gérard")
    assert AuditEvent.objects.filter(action="list_affected_person").count() == 3
    assert not raw_in(html)


def test_the_events_list_active_first(event, region, lead, team, worker):
    from tests.emergency.conftest import event_input

    services.declare_event(event_input(region, lead, team, title="Prévu"), by=lead)
    html = client_of(worker).get(reverse("emergency:events")).content.decode()
    assert html.index(event.title) < html.index("Prévu")
    assert not raw_in(html)


# --- a person, follow-ups, tasks ----------------------------------------------------------


def test_the_team_records_a_follow_up_from_the_persons_page(event, worker, worker_811):
    affected = register(event, worker_811)
    follow_up = affected.follow_ups.get(sequence=1)
    page = client_of(worker).get(reverse("emergency:person", args=[event.pk, affected.pk]))
    assert page.status_code == 200 and not raw_in(page.content.decode())
    assert AuditEvent.objects.filter(action="read_affected_person").count() == 1
    url = reverse("emergency:follow_up", args=[event.pk, follow_up.pk])
    # The 811 worker is not of the follow-up team.
    assert client_of(worker_811).post(url, {"status": "done_reached"}).status_code == 403
    response = client_of(worker).post(
        url, {"status": "done_reached", "orientation": "referral", "note": "Va mieux"}
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "done_reached" and follow_up.orientation == "referral"
    again = client_of(worker).post(url, {"status": "unreachable", "orientation": "none"})
    assert again.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"status": "cancelled", "orientation": "none"},
        {"status": "due", "orientation": "none"},
        {"status": "unreachable", "orientation": "referral"},
        {"status": "done_reached", "orientation": "teleport"},
        {"status": "done_reached", "orientation": "none", "note": "x" * 2001},
    ],
)
def test_a_bad_follow_up_is_a_form_error(event, worker, body):
    follow_up = register(event, worker).follow_ups.get(sequence=1)
    before = emergency_rows()
    response = client_of(worker).post(
        reverse("emergency:follow_up", args=[event.pk, follow_up.pk]), body
    )
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert emergency_rows() == before


def test_a_follow_up_of_another_event_is_a_404(event, region, lead, team, worker):
    from tests.emergency.conftest import event_input

    other = services.activate_event(
        services.declare_event(event_input(region, lead, team, title="Autre"), by=lead), by=lead
    )
    follow_up = register(other, worker).follow_ups.get(sequence=1)
    response = client_of(worker).post(
        reverse("emergency:follow_up", args=[event.pk, follow_up.pk]),
        {"status": "done_reached", "orientation": "none"},
    )
    assert response.status_code == 404


def test_the_tasks_page_shows_overdue_first(event, worker):
    late = register(event, worker, "Ana")
    soon = register(event, worker, "Béa")
    FollowUp.objects.filter(affected_person=late, sequence=1).update(
        due_at=timezone.now() - timedelta(days=1)
    )
    FollowUp.objects.filter(affected_person=soon, sequence=1).update(
        due_at=timezone.now() + timedelta(days=3)
    )
    html = client_of(worker).get(reverse("emergency:tasks")).content.decode()
    assert html.index("Ana") < html.index("Béa")
    assert not raw_in(html)


# --- closing ------------------------------------------------------------------------------


def test_closing_shows_the_figures_then_the_report(event, lead, worker):
    register(event, worker, first_aid_given=True)
    client = client_of(lead)
    url = reverse("emergency:close", args=[event.pk])
    page = client.get(url)
    assert page.status_code == 200 and not raw_in(page.content.decode())
    refused = client.post(url, {"report": "  "})
    assert refused.status_code == 400
    event.refresh_from_db()
    assert event.status == "active"
    assert client.post(url, {"report": "Douze personnes rencontrées."}).status_code == 302
    html = client.get(reverse("emergency:event", args=[event.pk])).content.decode()
    assert "Douze personnes rencontrées." in html and not raw_in(html)
    assert client.get(url).status_code == 302  # closed: back to the event


def test_a_worker_cannot_close(event, worker):
    assert (
        client_of(worker)
        .post(reverse("emergency:close", args=[event.pk]), {"report": "Fin"})
        .status_code
        == 403
    )
    event.refresh_from_db()
    assert event.status == "active"


# --- outsiders ----------------------------------------------------------------------------


def _every_url(event, affected, follow_up, contact) -> list[tuple[str, str, dict | None]]:
    return [
        ("get", reverse("emergency:events"), None),
        ("get", reverse("emergency:tasks"), None),
        ("get", reverse("emergency:declare"), None),
        ("get", reverse("emergency:event", args=[event.pk]), None),
        ("get", reverse("emergency:close", args=[event.pk]), None),
        ("get", reverse("emergency:person", args=[event.pk, affected.pk]), None),
        ("post", reverse("emergency:activate", args=[event.pk]), {}),
        ("post", reverse("emergency:schedule", args=[event.pk]), {"schedule": "24 h"}),
        ("post", reverse("emergency:close", args=[event.pk]), {"report": "Fin"}),
        ("post", reverse("emergency:register", args=[event.pk]), {"given_name": "X"}),
        (
            "post",
            reverse("emergency:follow_up", args=[event.pk, follow_up.pk]),
            {"status": "done_reached", "orientation": "none"},
        ),
        ("post", reverse("emergency:link_contact", args=[event.pk, contact.pk]), {}),
    ]


@pytest.fixture
def contact(region, worker_811):
    return ContactEpisode.objects.create(
        region=region, channel="phone_811", started_at=timezone.now(), taken_by=worker_811
    )


@pytest.mark.parametrize("who", ["other region", "partner", "evaluator", "admin"])
def test_outsiders_are_refused_with_nothing_written(event, worker, outsiders, contact, who):
    affected = register(event, worker)
    follow_up = affected.follow_ups.get(sequence=1)
    client = client_of(outsiders[who])
    before, audit = emergency_rows(), AuditEvent.objects.count()
    expected = {404} if who == "other region" else {403}
    for method, url, body in _every_url(event, affected, follow_up, contact):
        response = getattr(client, method)(url, body or {})
        if who == "other region" and url in (
            reverse("emergency:events"),
            reverse("emergency:tasks"),
            reverse("emergency:declare"),
        ):
            # Their own region's pages: none of ours shown.
            assert response.status_code == 200, url
            assert event.title not in response.content.decode()
            continue
        assert response.status_code in expected, (url, response.status_code)
    assert emergency_rows() == before
    assert AuditEvent.objects.count() == audit


@pytest.mark.parametrize(
    "url",
    [
        "/emergency/not-a-uuid/",
        "/emergency/00000000-0000-0000-0000-00000000000Z/",
        "/emergency/１２/",
        "/emergency/{event}/people/abc/",
        "/emergency/{event}/people/99999999999999999999999/",
        "/emergency/{event}/people/-1/",
        "/emergency/{event}/people/１/",
    ],
)
def test_malformed_ids_are_404s(event, worker, url):
    response = client_of(worker).get(url.format(event=event.pk))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path", ["follow-ups/abc/", "follow-ups/99999999999999999999999/", "contacts/nope/link/"]
)
def test_malformed_ids_in_actions_are_404s(event, worker, path):
    before = emergency_rows()
    response = client_of(worker).post(f"/emergency/{event.pk}/{path}", {"status": "done_reached"})
    assert response.status_code == 404
    assert emergency_rows() == before


# --- the 811 screens ----------------------------------------------------------------------


def test_the_811_screens_show_the_active_event_and_link_the_call(
    event, declared, worker_811, contact, elsewhere
):
    from proxima.intake.services.questionnaires import load_questionnaires

    load_questionnaires()
    client = client_of(worker_811)
    home = client.get(reverse("intake:home")).content.decode()
    assert event.title in home and reverse("emergency:event", args=[event.pk]) in home
    call = client.get(reverse("intake:call", args=[contact.pk])).content.decode()
    link = reverse("emergency:link_contact", args=[event.pk, contact.pk])
    assert link in call
    response = client.post(link)
    assert response.status_code == 302 and EventContact.objects.filter(event=event).count() == 1
    client.post(link)  # once only
    assert EventContact.objects.count() == 1
    assert services.dashboard(event).contacts_811 == 1
    call = client.get(reverse("intake:call", args=[contact.pk])).content.decode()
    assert link not in call
    # Another region's 811 worker sees no banner.
    other = UserFactory(role=Role.WORKER_811, region=elsewhere, team="info_social")
    assert event.title not in client_of(other).get(reverse("intake:home")).content.decode()


def test_no_banner_without_an_active_event(declared, worker_811):
    html = client_of(worker_811).get(reverse("intake:home")).content.decode()
    assert declared.title not in html


def test_the_menu_shows_emergencies_to_responders_only(worker, outsiders):
    assert reverse("emergency:events") in client_of(worker).get("/intake/").content.decode()
    page = client_of(outsiders["evaluator"]).get(reverse("indicators:dashboard"))
    assert reverse("emergency:events") not in page.content.decode()


def test_pages_in_english_show_english_labels(event, lead, worker):
    register(event, worker, first_aid_given=True, age_band="65+")
    client = english(client_of(lead))
    html = client.get(reverse("emergency:event", args=[event.pk])).content.decode()
    assert "65 years or more" in html and "flood" in html.lower()
    assert not raw_in(html)


def test_a_call_is_recorded_from_the_tasks_page(event, worker):
    affected = register(event, worker, "Ana")
    follow_up = affected.follow_ups.get(sequence=1)
    FollowUp.objects.filter(pk=follow_up.pk).update(due_at=timezone.now() - timedelta(hours=2))
    client = client_of(worker)
    html = client.get(reverse("emergency:tasks")).content.decode()
    url = reverse("emergency:follow_up", args=[event.pk, follow_up.pk])
    assert url in html
    response = client.post(url, {"status": "unreachable", "orientation": "none", "next": "tasks"})
    assert response.status_code == 302 and response["Location"] == reverse("emergency:tasks")
    assert url not in client.get(reverse("emergency:tasks")).content.decode()


def test_the_persons_record_offers_the_active_event(event, region, worker):
    person = person_of(region, "Inès", "Haddad")
    client = client_of(worker)
    html = client.get(reverse("people:person", args=[person.pk])).content.decode()
    link = reverse("emergency:event", args=[event.pk]) + f"?person={person.pk}"
    assert link in html
    affected = register(event, worker, "Inès", person=person)
    html = client.get(reverse("people:person", args=[person.pk])).content.decode()
    assert reverse("emergency:person", args=[event.pk, affected.pk]) in html


def test_only_intake_contacts_since_the_event_began_are_linked(event, worker_811):
    from datetime import timedelta

    from proxima.intake.services.episodes import open_episode
    from proxima.intake.services.questionnaires import load_questionnaires

    load_questionnaires()
    client = client_of(worker_811)
    old = open_episode(
        by=worker_811,
        channel="phone_811",
        reason="Appel",
        started_at=event.activated_at - timedelta(days=2),
    )
    outreach = open_episode(by=worker_811, channel="mobile_outreach", reason="")
    for contact in (old, outreach):
        link = reverse("emergency:link_contact", args=[event.pk, contact.pk])
        assert link not in client.get(reverse("intake:call", args=[contact.pk])).content.decode()
        answer = client.post(link, follow=True).content.decode()
        assert "Seul un contact reçu à l’accueil depuis le début du sinistre" in answer
    assert not EventContact.objects.exists()


def test_a_declared_event_is_not_offered_for_closing(declared, lead):
    response = client_of(lead).get(reverse("emergency:close", args=[declared.pk]), follow=True)
    assert "Seul un sinistre actif peut être fermé." in response.content.decode()
    assert 'id="close-report"' not in response.content.decode()
