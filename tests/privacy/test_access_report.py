"""A person's access report: every audit line about them (record, consents, household,
contacts, referrals, prescriptions and measures), none about anyone else, as who / when /
what / why in words; a printable page in French or English, and a CSV."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from proxima.privacy.services.report import access_report, entries_about, related_ids

pytestmark = pytest.mark.django_db

REASON = "Demande de Léa Roy, 3 décembre"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_line_about_the_person_and_none_about_another(network, lea, zephyrin):
    ids = related_ids(lea.person)
    assert ids.contacts == [str(lea.contact.pk)] and ids.referrals == [str(lea.referral.pk)]
    entries = list(entries_about(ids))
    kinds = {(e.object_type, e.action) for e in entries}
    assert {
        ("people.person", "create_person"),
        ("people.person", "read_person"),
        ("people.person", "record_consent"),
        ("people.person", "withdraw_consent"),
        ("people.person", "link_household"),
        ("people.person", "create_prescription"),
        ("people.person", "record_measure"),
        ("people.person", "read_person_via_referral"),
        ("intake.contactepisode", "open_contact"),
        ("intake.contactepisode", "record_screening"),
        ("intake.contactepisode", "escalation"),
        ("intake.contactepisode", "escalation_action"),
        ("intake.contactepisode", "record_orientation"),
        ("referrals.referral", "create_referral"),
        ("referrals.referral", "referral_status"),
        ("referrals.referral", "referral_message"),
        ("referrals.referral", "read_referral"),
    } <= kinds
    others = {
        str(zephyrin.person.pk),
        str(zephyrin.relative.pk),
        str(zephyrin.contact.pk),
        str(zephyrin.referral.pk),
    }
    assert not {e.object_id for e in entries} & others
    assert [e.sequence for e in entries] == sorted((e.sequence for e in entries), reverse=True)


def test_the_relatives_own_household_link_is_in_their_report(network, lea):
    actions = [e.action for e in entries_about(related_ids(lea.relative))]
    assert "link_household" in actions  # written on Léa's record, about her parent


def test_each_line_says_who_when_what_and_why_in_words(network, lea):
    lines = access_report(lea.person, by=network.officer, reason=REASON)
    newest = lines[0]
    assert (newest.action, newest.who, newest.why) == ("read_access_report", "Odile", REASON)
    assert newest.role == str(Role.PRIVACY_OFFICER.label)  # in French here
    partner_read = next(line for line in lines if line.action == "read_referral")
    assert (
        partner_read.who == "Sam" and partner_read.organization == "Comptoir alimentaire Limoilou"
    )
    assert partner_read.what == "a lu une référence"
    assert partner_read.why == "côté qui reçoit"
    read = next(line for line in lines if line.action == "read_person")
    assert (read.who, read.team, read.why) == (
        "Marie Tremblay",
        "811 Info-Social",
        "page de la personne",
    )
    assert read.what == "a consulté le dossier"
    escalation = next(line for line in lines if line.action == "escalation")
    assert escalation.why == "risque suicidaire"


def test_the_page_prints_in_french_or_english_and_each_reading_is_audited(network, lea):
    client = signed_in(network.officer)
    url = reverse("privacy:access_report", args=[lea.person.pk])
    page = client.get(url, {"reason": REASON})
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    text = page.content.decode()
    assert "Qui a consulté votre dossier" in text and "Marie Tremblay" in text
    assert "a consulté le dossier" in text and "read_person" not in text
    assert "data-print" in text and "onclick" not in text and "style=" not in text
    english = client.get(url, {"reason": REASON, "lang": "en"}).content.decode()
    assert "Who accessed your file" in english and "read the record" in english
    assert "lang=fr" in english  # the way back to French
    events = AuditEvent.objects.filter(action="read_access_report", object_id=str(lea.person.pk))
    assert [e.reason for e in events] == [REASON, REASON]


def test_the_csv_has_one_row_per_line_and_no_formula(network, lea):
    client = signed_in(network.officer)
    url = reverse("privacy:access_report_csv", args=[lea.person.pk])
    response = client.get(url, {"reason": '=HYPERLINK("http://x")'})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Date et heure", "Qui", "Rôle", "Organisme", "Équipe", "Quoi", "Pourquoi"]
    assert rows[1][5] == "a téléchargé le rapport d’accès"
    assert rows[1][6] == '\'=HYPERLINK("http://x")'  # never run by a spreadsheet
    assert len(rows) - 1 == entries_about(related_ids(lea.person)).count()
    assert AuditEvent.objects.filter(action="download_access_report").count() == 1


def test_a_reason_is_asked_first_and_nothing_is_read_without_one(network, lea):
    client = signed_in(network.officer)
    url = reverse("privacy:access_report", args=[lea.person.pk])
    before = AuditEvent.objects.count()
    page = client.get(url)
    assert page.status_code == 200 and "Marie Tremblay" not in page.content.decode()
    assert client.get(url, {"reason": "   "}).status_code == 200
    csv_url = reverse("privacy:access_report_csv", args=[lea.person.pk])
    assert client.get(csv_url)["Location"] == url
    assert AuditEvent.objects.count() == before
