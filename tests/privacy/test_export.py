"""Everything held on a person: a JSON document with a record of each kind, and nothing
of anyone else; a printable page; only for the privacy officers of the person's region,
for a reason, audited."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from proxima.core.models import AuditEvent

pytestmark = pytest.mark.django_db

REASON = "Demande d'accès du 3 décembre"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def download(network, file) -> dict:
    url = reverse("privacy:export_json", args=[file.person.pk])
    response = signed_in(network.officer).get(url, {"reason": REASON})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def test_the_document_holds_a_record_of_each_kind_and_nothing_of_another_person(
    network, lea, zephyrin
):
    document = download(network, lea)
    assert (document["format"], document["version"]) == ("proxima.person-export", 1)
    assert document["person"]["id"] == str(lea.person.pk)
    assert document["person"]["phone"] == "418 555-0101"
    assert document["household"] == [
        {
            "relationship": "parent",
            "relative": {
                "id": str(lea.relative.pk),
                "given_name": "Claude",
                "family_name": "Roy",
            },
        }
    ]
    consents = document["consents"]
    assert len(consents) == 2
    assert [c["withdrawal_reason"] for c in consents if c["withdrawn_at"]] == [
        "Léa a changé d'avis"
    ]
    [contact] = document["contacts"]
    assert contact["reason"] == "Léa appelle"
    assert contact["screenings"][0]["answers"]["q2"] is True
    assert contact["escalations"][0]["kind"] == "suicide"
    assert contact["escalations"][0]["actions"][0]["note"] == "Intervention Léa"
    assert contact["orientations"][0]["note"] == "Vers Léa"
    [referral] = document["referrals"]
    assert referral["id"] == str(lea.referral.pk) and referral["status"] == "accepted"
    assert [e["to_status"] for e in referral["events"]] == ["draft", "requested", "accepted"]
    assert referral["messages"][0]["body"] == "Bonjour, au sujet de Léa"
    [prescription] = document["prescriptions"]
    assert prescription["goals"][0]["ratings"][0]["rating"] == 3
    assert prescription["activities"][0]["service"]["name"] == "Orchestre des jeunes"
    assert prescription["supports"][0]["detail"] == "Billets pour Léa"
    assert len(prescription["follow_ups"]) == 1
    assert prescription["measurements"][0]["instrument"]["code"] == "k10"
    actions = {line["action"] for line in document["access_report"]}
    assert {
        "create_person",
        "read_person",
        "record_consent",
        "withdraw_consent",
        "link_household",
        "open_contact",
        "record_screening",
        "escalation",
        "create_referral",
        "referral_status",
        "referral_message",
        "read_referral",
        "create_prescription",
        "record_measure",
        "export_person",
    } <= actions
    text = json.dumps(document, ensure_ascii=False)
    for other in (
        "Zéphyrin",
        "Gagnon",
        "Dominique",
        str(zephyrin.person.pk),
        str(zephyrin.contact.pk),
        str(zephyrin.referral.pk),
        str(zephyrin.prescription.pk),
    ):
        assert other not in text


def test_the_export_is_audited_with_its_reason_and_shows_in_its_own_report(network, lea):
    document = download(network, lea)
    event = AuditEvent.objects.filter(action="export_person").get()
    assert (event.actor, event.object_id, event.reason) == (
        network.officer,
        str(lea.person.pk),
        REASON,
    )
    assert event.detail == {"format": "json"}
    assert document["access_report"][0]["action"] == "export_person"
    assert document["access_report"][0]["why"] == REASON


def test_a_merged_record_is_part_of_the_person(network, lea):
    from proxima.people.services.records import PersonInput, create_person, merge_people

    duplicate = create_person(PersonInput("Lea", "Roy"), by=network.worker, confirmed_new=True)
    merge_people(lea.person, duplicate, by=network.worker, reason="same person")
    document = download(network, lea)
    assert document["person"]["merged_records"][0]["id"] == str(duplicate.pk)


def test_the_page_reads_in_words_and_prints_in_either_language(network, lea):
    client = signed_in(network.officer)
    url = reverse("privacy:export", args=[lea.person.pk])
    page = client.get(url, {"reason": REASON}).content.decode()
    assert "Ce que Proxima détient à votre sujet" in page
    assert "appel au 811 Info-Social" in page and "risque suicidaire" in page
    assert "Léa appelle" in page and "Bonjour, au sujet de Léa" in page
    assert "data-print" in page and "onclick" not in page and "style=" not in page
    assert "export.json" in page
    english = client.get(url, {"reason": REASON, "lang": "en"}).content.decode()
    assert "What Proxima holds about you" in english and "811 Info-Social call" in english
    assert AuditEvent.objects.filter(action="export_person").count() == 2


def test_a_reason_is_asked_before_anything_is_read(network, lea):
    client = signed_in(network.officer)
    page = client.get(reverse("privacy:export", args=[lea.person.pk]))
    assert page.status_code == 200 and "Léa" not in page.content.decode()
    download_url = reverse("privacy:export_json", args=[lea.person.pk])
    assert client.get(download_url)["Location"] == reverse("privacy:export", args=[lea.person.pk])
    too_long = client.get(download_url, {"reason": "x" * 251})
    assert too_long.status_code == 400
    assert not AuditEvent.objects.filter(action="export_person").exists()
