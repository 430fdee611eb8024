"""A contact's summary sent to the person: by email or text, only with their agreement,
only what they were given (never the reason for the call), each send recorded."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from proxima.core import sms
from proxima.core.models import AuditEvent
from proxima.directory.models import Phone
from proxima.intake.models import SummarySent
from proxima.intake.services import episodes
from proxima.intake.services.questionnaires import ScreeningInputError
from proxima.intake.services.summaries import MAX_SENDS, items_of, send_summary, summary_text
from tests.factories import UserFactory, make_service

pytestmark = pytest.mark.django_db
REASON = "Mon conjoint me frappe, je n'ai plus rien à manger"


@pytest.fixture
def contact(worker, questionnaires, need_domains):
    food = make_service("Comptoir alimentaire", domain="food", point=(46.8139, -71.2247))
    Phone.objects.create(
        id="00000000-0000-4000-8000-00000000c0a2", service=food, number="418 555-0177"
    )
    episode = episodes.open_episode(by=worker, channel="phone_811", reason=REASON)
    episodes.record_orientation(episode, "information", by=worker, service=food)
    return episode


def test_an_email_carries_what_was_given_never_the_reason(contact, worker):
    sent = send_summary(
        contact, by=worker, channel="email", to="ana.roy@example.org", consented=True
    )
    (message,) = mail.outbox
    assert message.to == ["ana.roy@example.org"]
    assert message.subject == "Résumé de votre appel"
    assert "Comptoir alimentaire — 418 555-0177" in message.body
    assert "frappe" not in message.body and "manger" not in message.body
    assert sent.to_hint == "a…@ex….org" and sent.channel == "email"
    event = AuditEvent.objects.get(action="send_contact_summary")
    assert event.detail == {"channel": "email", "to": "a…@ex….org"}
    assert "ana.roy" not in json.dumps(event.detail)


def test_the_summary_is_in_the_language_of_the_call(contact, worker):
    contact.language = "en"
    contact.save()
    text = summary_text(contact)
    assert text.startswith("Proxima: what you were given on")
    # The emergency numbers always: their presence must not tell that a risk was found.
    assert "911 (Immediate danger" in text


def test_resources_that_say_why_the_person_called_are_offered_unticked(contact, worker):
    shelter = make_service("Maison d'hébergement", "Violence conjugale.", domain="violence")
    episodes.record_orientation(contact, "information", by=worker, service=shelter)
    listening = make_service("Ligne d'écoute", "Écoute.", domain="listening")
    episodes.record_orientation(contact, "information", by=worker, service=listening)
    items = {item.label: item for item in items_of(contact)}
    assert not items["Comptoir alimentaire"].sensitive
    assert items["Maison d'hébergement"].sensitive and items["Ligne d'écoute"].sensitive
    food = items["Comptoir alimentaire"].key
    send_summary(
        contact, by=worker, channel="email", to="ana@example.org", consented=True, keys=[food]
    )
    (message,) = mail.outbox
    assert "Comptoir alimentaire" in message.body and "hébergement" not in message.body
    with pytest.raises(ScreeningInputError) as refused:  # a line of another contact
        send_summary(
            contact, by=worker, channel="email", to="a@example.org", consented=True, keys=["o0"]
        )
    assert "items" in refused.value.errors


@pytest.mark.parametrize(
    ("channel", "to", "consented", "field"),
    [
        ("email", "ana.roy@example.org", False, "consented"),  # not agreed
        ("email", "ana.roy@", True, "to"),
        ("email", "", True, "to"),
        ("email", "a@localhost", True, "to"),
        ("email", "a@[127.0.0.1]", True, "to"),
        ("email", "a@serveur.local", True, "to"),
        ("email", "a@boite.internal", True, "to"),
        ("email", "a@b.c\nBcc: x@y.z", True, "to"),
        ("email", "a" * 250 + "@example.org", True, "to"),
        ("sms", "418 555-0101", True, "channel"),  # no text backend here
        ("fax", "418 555-0101", True, "channel"),
    ],
)
def test_a_send_without_agreement_or_to_no_address_is_refused(
    contact, worker, channel, to, consented, field, settings
):
    settings.PROXIMA_SMS_BACKEND = ""
    with pytest.raises(ScreeningInputError) as refused:
        send_summary(contact, by=worker, channel=channel, to=to, consented=consented)
    assert field in refused.value.errors
    assert not mail.outbox and not SummarySent.objects.exists()


def test_a_text_goes_to_the_file_backend(contact, worker, settings, tmp_path):
    settings.PROXIMA_SMS_BACKEND = "file"
    settings.PROXIMA_SMS_FILE_PATH = str(tmp_path)
    sent = send_summary(contact, by=worker, channel="sms", to="(418) 555-0101", consented=True)
    (written,) = tmp_path.iterdir()
    text = written.read_text(encoding="utf-8")
    assert text.startswith("To: +14185550101") and "Comptoir alimentaire" in text
    assert sent.to_hint == "…0101"
    with pytest.raises(ScreeningInputError) as refused:
        send_summary(contact, by=worker, channel="sms", to="555-0101", consented=True)
    assert "to" in refused.value.errors


class _Provider(BaseHTTPRequestHandler):
    """Answers like Twilio's Messages API; remembers what it was sent."""

    received: list = []
    status = 201

    def do_POST(self):  # noqa: N802 (the standard library's name)
        length = int(self.headers["Content-Length"])
        _Provider.received.append(
            (self.path, self.headers["Authorization"], parse_qs(self.rfile.read(length).decode()))
        )
        self.send_response(_Provider.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"status": "queued"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings):
    server = HTTPServer(("127.0.0.1", 0), _Provider)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Provider.received, _Provider.status = [], 201
    settings.PROXIMA_SMS_BACKEND = "twilio"
    settings.PROXIMA_SMS_API_URL = f"http://127.0.0.1:{server.server_port}"
    settings.PROXIMA_SMS_ACCOUNT, settings.PROXIMA_SMS_TOKEN = "AC123", "secret"
    settings.PROXIMA_SMS_FROM = "+15815550199"
    yield _Provider
    server.shutdown()


def test_a_text_through_the_provider(contact, worker, provider):
    send_summary(contact, by=worker, channel="sms", to="+33 6 12 34 56 78", consented=True)
    ((path, authorization, form),) = provider.received
    assert path == "/2010-04-01/Accounts/AC123/Messages.json"
    assert authorization == "Basic QUMxMjM6c2VjcmV0"  # AC123:secret
    assert form["To"] == ["+33612345678"] and form["From"] == ["+15815550199"]
    assert "Comptoir alimentaire" in form["Body"][0]


def test_a_provider_refusal_records_nothing(contact, worker, provider):
    provider.status = 400
    with pytest.raises(ScreeningInputError) as refused:
        send_summary(contact, by=worker, channel="sms", to="418 555-0101", consented=True)
    assert "channel" in refused.value.errors
    assert not SummarySent.objects.exists()
    assert not AuditEvent.objects.filter(action="send_contact_summary").exists()


def test_at_most_a_few_sends_per_contact(contact, worker):
    for _ in range(MAX_SENDS):
        send_summary(contact, by=worker, channel="email", to="a@example.org", consented=True)
    with pytest.raises(ScreeningInputError):
        send_summary(contact, by=worker, channel="email", to="a@example.org", consented=True)
    assert len(mail.outbox) == MAX_SENDS


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("418 555-0101", "+14185550101"),
        ("1-418-555-0101", "+14185550101"),
        ("(581) 555.0101", "+15815550101"),
        ("+44 20 7946 0958", "+442079460958"),
        ("555-0101", None),
        ("418 555-010", None),
        ("018 555-0101", None),
        ("418 555-0101 poste 2", None),
        ("911-555-0101", None),  # an N11 code is a service, not an area
        ("418 976-0101", None),  # a premium-rate exchange
        ("+0123456789", None),  # no country code begins with 0
        ("+1234", None),
        ("", None),
        ("418555010\N{FULLWIDTH DIGIT ONE}", None),  # digits of another script
        ("1 800 555-0101", None),  # toll-free
        ("+1 900 555 0101", None),  # premium rate
    ],
)
def test_phone_numbers_a_text_can_go_to(typed, number):
    assert sms.phone_number(typed) == number


def test_the_summary_page_sends_and_says_so_in_french(contact, worker):
    client = Client()
    client.force_login(worker)
    url = reverse("intake:send_summary", args=[contact.pk])
    refused = client.post(url, {"channel": "email", "to": "ana.roy@example.org"})
    assert refused.status_code == 400
    assert "La personne doit accepter de le recevoir à cette adresse." in refused.content.decode()
    done = client.post(
        url, {"channel": "email", "to": "ana.roy@example.org", "consented": "on"}, follow=True
    )
    page = done.content.decode()
    assert "Résumé envoyé par courriel à a…@ex….org." in page
    assert len(mail.outbox) == 1


def test_a_worker_of_another_region_cannot_send_it(contact):
    from proxima.core.models import Region
    from proxima.core.roles import Role

    elsewhere = Region.objects.create(code="07", name="Outaouais")
    client = Client()
    client.force_login(UserFactory(role=Role.WORKER_811, region=elsewhere))
    response = client.post(
        reverse("intake:send_summary", args=[contact.pk]),
        {"channel": "email", "to": "ana.roy@example.org", "consented": "on"},
    )
    assert response.status_code == 404
    assert not mail.outbox and not SummarySent.objects.exists()
