"""The outreach pages: the form (with and without its script), a phone's queue sent as
JSON (replayed, conflicting, refused, another worker's), the list, the service worker
and the manifest; refusals for others, malformed input answered 4xx in the language."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from proxima.intake.models import ContactEpisode
from proxima.outreach.models import OutreachContact
from tests.outreach.conftest import client_of, event_of, sent

pytestmark = pytest.mark.django_db

SYNC = "/outreach/sync/"


def post_json(client, body, **headers):
    return client.post(SYNC, json.dumps(body), content_type="application/json", **headers)


def test_the_form_is_phone_sized_installable_and_shows_the_emergency(worker, event):
    page = client_of(worker).get("/outreach/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'rel="manifest"' in html and "outreach/outreach.js" in html
    assert "Mode urgence" in html and event.title in html
    assert "Nom d’utilisateur" not in html  # the form itself, not the sign-in page


def test_the_form_in_english(worker):
    client = client_of(worker)
    client.cookies["django_language"] = "en"
    html = client.get("/outreach/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Outreach contact" in html and "Waiting to be sent" in html


def test_the_form_sent_without_its_script_records_once(worker):
    client = client_of(worker)
    page = client.get("/outreach/").content.decode()
    made_at = re.search(r'name="met_at" value="([^"]+)"', page).group(1)
    contact_id = str(uuid.uuid4())
    form = {
        "id": contact_id,
        "met_at": made_at,  # the moment the form was made, sent with it
        "place": "Parc Victoria",
        "people_count": "1",
        "age_band": "18-24",
        "need_domains": ["food"],
        "help_given": ["information"],
        "orientation": "none",
    }
    first = client.post("/outreach/new/", form)
    again = client.post("/outreach/new/", form)  # the form sent twice
    assert first.status_code == again.status_code == 302
    assert OutreachContact.objects.filter(pk=contact_id, was_queued=False).count() == 1


def test_a_form_with_errors_says_them_in_french_and_writes_nothing(worker):
    page = client_of(worker).post(
        "/outreach/new/", {"id": "pas-un-uuid", "place": "", "people_count": "mille"}
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Ce champ est obligatoire" in html and "Saisissez un nombre entier" in html
    assert not OutreachContact.objects.exists()


def test_a_queue_is_stored_and_a_replay_stores_nothing_more(worker):
    client = client_of(worker)
    queue = [sent(recorded_by=str(worker.pk)), sent(people_count="3")]
    first = post_json(client, {"contacts": queue})
    assert first.status_code == 200
    assert [r["status"] for r in first.json()["results"]] == ["stored", "stored"]
    replay = post_json(client, {"contacts": queue})
    assert [r["status"] for r in replay.json()["results"]] == ["duplicate", "duplicate"]
    assert OutreachContact.objects.filter(was_queued=True).count() == 2
    assert ContactEpisode.objects.count() == 2


def test_conflicts_other_workers_and_refusals_are_said_per_contact(worker, teammate):
    taken = sent()
    post_json(client_of(teammate), {"contacts": [taken]})
    queue = [
        dict(taken),  # the same id, recorded by the teammate
        sent(recorded_by=str(teammate.pk)),  # waits for the teammate to sign in
        sent(place="", age_band="40", met_at=(timezone.now() + timedelta(days=1)).isoformat()),
        sent(),
    ]
    answer = post_json(client_of(worker), {"contacts": queue}).json()["results"]
    assert [r["status"] for r in answer] == ["conflict", "other_user", "rejected", "stored"]
    reasons = answer[2]["errors"]
    assert set(reasons) == {"place", "age_band"}
    assert reasons["place"].startswith("Lieu") and "obligatoire" in reasons["place"]
    assert OutreachContact.objects.filter(recorded_by=worker).count() == 1
    assert OutreachContact.objects.filter(recorded_by=teammate).count() == 1


def test_refusals_are_said_in_english_to_an_english_reader(worker):
    client = client_of(worker)
    client.cookies["django_language"] = "en"
    answer = post_json(client, {"contacts": [sent(place="")]}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.json()["results"][0]["errors"]["place"] == "Place: This field is required."


def test_a_contact_of_an_emergency_closed_while_the_phone_was_offline(worker, region, coordinator):
    closed = event_of(region, coordinator, closed=True)
    during = sent(event=str(closed.pk), met_at=(timezone.now() - timedelta(hours=2)).isoformat())
    after = sent(event=str(closed.pk))
    answer = post_json(client_of(worker), {"contacts": [during, after]}).json()["results"]
    assert [r["status"] for r in answer] == ["stored", "rejected"]
    assert "event" in answer[1]["errors"]


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'{"contacts": []}',
        b'{"contacts": "x"}',
        b'{"contacts": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        # A NUL character, which no text column of PostgreSQL holds: the whole queue is
        # refused (the phone then sends its contacts one by one to find which).
        json.dumps({"contacts": [sent(place="Parc\u0000Victoria")]}).encode(),
        json.dumps({"contacts": [sent() for _ in range(51)]}).encode(),
    ],
)
def test_malformed_queues_are_400_with_a_reason(worker, body):
    answer = client_of(worker).post(SYNC, body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["error"]
    assert not OutreachContact.objects.exists()


@pytest.mark.parametrize(
    "item",
    [
        "a string",
        None,
        {"id": 12},
        {**sent(), "id": "not-a-uuid"},
        {**sent(), "id": "{" + str(uuid.uuid4()) + "}"},
        {**sent(), "id": uuid.uuid4().hex},
        {**sent(), "id": str(uuid.uuid4()).upper()},
        {**sent(), "met_at": ""},
        {**sent(), "place": "\u200b \u200d"},
        {**sent(), "need_domains": "food"},
        {**sent(), "help_given": [1, 2]},
        {**sent(), "people_count": True},
        {**sent(), "people_count": {"n": 1}},
        {**sent(), "event": str(uuid.uuid4())},
        {**sent(), "event": "x" * 300},
        {**sent(), "territory": "99999999999999999999999"},
        {**sent(), "met_at": "2026-02-30T10:00"},
        {**sent(), "met_at": "9999-12-31T23:59:59-05:00"},
        {**sent(), "met_at": "2026-12-06T10:00:00+25:00"},
        {**sent(), "people_count": "1e9999"},
        {**sent(), "need_domains": ["food", "x" * 5000]},
    ],
)
def test_malformed_contacts_are_refused_one_by_one(worker, item):
    answer = post_json(client_of(worker), {"contacts": [item, sent()]})
    assert answer.status_code == 200
    statuses = [r["status"] for r in answer.json()["results"]]
    assert statuses == ["rejected", "stored"]
    assert OutreachContact.objects.count() == 1


def test_an_emergency_of_another_region_is_refused(worker, elsewhere, stranger):
    foreign = event_of(elsewhere, stranger)
    answer = post_json(client_of(worker), {"contacts": [sent(event=str(foreign.pk))]})
    assert answer.json()["results"][0]["status"] == "rejected"
    assert not OutreachContact.objects.exists()


def test_signed_out_phones_and_other_roles_are_refused(refused_roles):
    assert post_json(Client(), {"contacts": [sent()]}).status_code == 401
    for user in refused_roles.values():
        client = client_of(user)
        assert post_json(client, {"contacts": [sent()]}).status_code == 403
        assert client.get("/outreach/").status_code == 403
        assert client.post("/outreach/new/", {"id": str(uuid.uuid4())}).status_code == 403
    assert not OutreachContact.objects.exists()


def test_the_sync_takes_only_posts(worker):
    assert client_of(worker).get(SYNC).status_code == 405


def test_the_sync_needs_the_csrf_token(worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    assert post_json(client, {"contacts": [sent()]}).status_code == 403
    assert not OutreachContact.objects.exists()


def test_the_list_shows_what_the_reader_may_read(worker, other_team, coordinator, stranger):
    post_json(client_of(worker), {"contacts": [sent(place="Parc Victoria")]})
    post_json(client_of(other_team), {"contacts": [sent(place="Gare du Palais")]})
    post_json(client_of(stranger), {"contacts": [sent(place="Parc Jacques-Cartier")]})
    mine = client_of(worker).get("/outreach/contacts/").content.decode()
    assert "Parc Victoria" in mine and "Gare du Palais" not in mine
    everyone = client_of(coordinator).get("/outreach/contacts/").content.decode()
    assert "Parc Victoria" in everyone and "Gare du Palais" in everyone
    assert "Parc Jacques-Cartier" not in everyone
    assert "Aide alimentaire" in mine  # the need seen, in words


def test_the_service_worker_keeps_only_the_form_and_its_files(client):
    script = client.get("/outreach/sw.js")
    assert script.status_code == 200 and script["Content-Type"].startswith("text/javascript")
    body = script.content.decode()
    assert "__VERSION__" not in body and "__FILES__" not in body
    assert '"/outreach/"' in body and "outreach.js" in body


def test_the_manifest_makes_the_form_installable(client):
    manifest = client.get("/outreach/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    body = manifest.json()
    assert body["start_url"] == "/outreach/" and body["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in body["icons"]}


def test_a_phone_clock_ahead_or_behind_is_corrected_and_a_replay_is_still_the_same(worker):
    client = client_of(worker)
    now = timezone.now()
    ahead = timedelta(hours=3)  # the phone's clock is 3 hours ahead of the server's
    item = sent(met_at=(now + ahead - timedelta(minutes=20)).isoformat())
    first = post_json(client, {"contacts": [{**item, "sent_at": (now + ahead).isoformat()}]})
    assert first.json()["results"][0]["status"] == "stored"
    stored = OutreachContact.objects.get().met_at
    assert abs(stored - (now - timedelta(minutes=20))) < timedelta(seconds=30)
    later = timezone.now() + ahead + timedelta(seconds=40)
    again = post_json(client, {"contacts": [{**item, "sent_at": later.isoformat()}]})
    assert again.json()["results"][0]["status"] == "duplicate"
    behind = sent(met_at=(now - timedelta(days=2)).isoformat())
    answer = post_json(
        client, {"contacts": [{**behind, "sent_at": (now - timedelta(days=2)).isoformat()}]}
    )
    assert answer.json()["results"][0]["status"] == "stored"
    assert OutreachContact.objects.filter(met_at__gte=now - timedelta(hours=1)).count() == 2


def test_a_phone_time_without_its_offset_corrects_nothing(worker):
    item = sent(met_at=(timezone.now() - timedelta(minutes=20)).isoformat())
    answer = post_json(client_of(worker), {"contacts": [{**item, "sent_at": "2026-01-01T00:00"}]})
    assert answer.json()["results"][0]["status"] == "stored"
    stored = OutreachContact.objects.get().met_at
    assert abs(stored - (timezone.now() - timedelta(minutes=20))) < timedelta(minutes=1)
