"""Prescription pages: co-produced in a form, followed, measured, printed for the family."""

import pytest
from django.test import Client
from django.urls import reverse

from proxima.prescriptions.models import Prescription

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(prescriber):
    client = Client()
    client.force_login(prescriber)
    return client


def test_from_the_person_page_to_the_printed_prescription(client, family, orkidstra, soccer):
    person_page = client.get(reverse("people:person", args=[family.pk])).content.decode()
    assert "Coproduire une prescription sociale" in person_page
    picker = client.get(reverse("prescriptions:activities"), {"q": "musique"}).content.decode()
    assert "Orchestre des jeunes du quartier" in picker
    response = client.post(
        reverse("prescriptions:new"),
        {
            "person": family.pk,
            "co_produced_with": "Ousmane et sa mère",
            "what_matters": "Jouer du violon",
            "goal_0": "Aller à la musique deux fois par semaine",
            "services": [orkidstra.pk, soccer.pk],
            "support_0_kind": "transport",
            "support_0_detail": "Billets d’autobus",
            "follow_up_0": "2099-01-15",
        },
    )
    prescription = Prescription.objects.get()
    assert response.status_code == 302
    detail = client.get(reverse("prescriptions:detail", args=[prescription.pk])).content.decode()
    assert "Aller à la musique" in detail and "Billets d’autobus" in detail

    measure = reverse("prescriptions:measure", args=[prescription.pk, "phq9"])
    form = client.get(measure).content.decode()
    assert "Peu d’intérêt ou de plaisir" in form
    incomplete = client.post(measure, {"occasion": "baseline", "phq9_1": "1"})
    assert (
        incomplete.status_code == 400
        and "Répondez à chaque question." in incomplete.content.decode()
    )
    answers = {f"phq9_{i}": "1" for i in range(1, 10)}
    done = client.post(measure, {"occasion": "baseline", **answers}, follow=True)
    assert "évaluez le risque suicidaire maintenant" in done.content.decode()
    assert "<td>léger" in done.content.decode()  # the band, named in French
    assert "Mesure enregistrée : 9,00." in done.content.decode()  # a decimal comma
    assert "Mesurer (PHQ9)" not in done.content.decode()  # the instrument's name, not code

    french = client.get(reverse("prescriptions:print", args=[prescription.pk])).content.decode()
    assert "Ma prescription sociale" in french and "12, rue du Parvis" in french
    assert "Transport" in french or "transport" in french
    english = client.get(reverse("prescriptions:print", args=[prescription.pk]), {"lang": "en"})
    assert "My social prescription" in english.content.decode()
    # Colons as each language writes them: "Transport : …" in French, "Transport: …" in English.
    assert "\xa0: Billets d’autobus" in french
    assert ": Billets d’autobus" in english.content.decode()
    assert " : " not in english.content.decode().split("<body")[1]


def test_bad_form_input_is_named_and_nothing_saved(client, family):
    response = client.post(
        reverse("prescriptions:new"),
        {
            "person": family.pk,
            "co_produced_with": "",
            "what_matters": "",
            "follow_up_0": "2026-02-30",
        },
    )
    assert response.status_code == 400
    assert "Cette date n’existe pas." in response.content.decode()
    assert not Prescription.objects.exists()


def test_malformed_ids_are_404s(client, family, orkidstra):
    from proxima.prescriptions.services.plans import PrescriptionInput, create_prescription

    assert client.get(reverse("prescriptions:new"), {"person": "nope"}).status_code == 404
    prescription = create_prescription(
        family,
        PrescriptionInput("Bouger", "la famille", ["Jouer"], [orkidstra.pk]),
        by=family.created_by,
    )
    url = reverse("prescriptions:detail", args=[prescription.pk])
    for action, field in (("rate", "goal"), ("follow_up", "follow_up"), ("activity", "activity")):
        assert client.post(url, {"action": action, field: "x1"}).status_code == 404
    assert client.get(reverse("referrals:new"), {"person": "x"}).status_code == 404
    assert (
        client.get(reverse("prescriptions:measure", args=[prescription.pk, "nope"])).status_code
        == 404
    )
    unknown = "6b1f2a4e-0000-4000-8000-000000000000"
    for name in ("prescriptions:detail", "prescriptions:print"):
        assert client.get(reverse(name, args=[unknown])).status_code == 404


def test_the_print_carries_each_activitys_hours_and_contact_and_the_link_workers_number(
    client, prescriber, family, need_domains
):
    from tests.factories import make_service

    violin = make_service(
        "Violon du samedi",
        "Cours de violon.",
        domain="arts",
        hours=[("SA", "13:00", "16:30")],
        email="violon@example.org",
    )
    prescriber.work_phone = "418 555-0199"
    prescriber.save()
    client.post(
        reverse("prescriptions:new"),
        {
            "person": family.pk,
            "co_produced_with": "Ousmane",
            "what_matters": "Le violon",
            "goal_0": "Jouer",
            "services": [violin.pk],
        },
    )
    prescription = Prescription.objects.get()
    url = reverse("prescriptions:print", args=[prescription.pk])
    french = client.get(url).content.decode()
    assert "samedi\xa0: 13 h à 16 h 30" in french.lower()
    assert "violon@example.org" in french and "418 555-0199" in french
    english = client.get(url, {"lang": "en"}).content.decode()
    assert "Saturday: 1 p.m. to 4:30 p.m." in english


def test_made_together_with_the_person_and_their_household(client, prescriber, family, soccer):
    from datetime import date

    from proxima.core.audit import AuditEvent
    from proxima.people.services.records import PersonInput, create_person, link_household

    mother = create_person(
        PersonInput("Aïssata", "Diallo", date(1985, 2, 1)), by=prescriber, confirmed_new=True
    )
    link_household(family, mother, "parent", by=prescriber)
    stranger = create_person(
        PersonInput("Paul", "Roy", date(1970, 1, 1)), by=prescriber, confirmed_new=True
    )
    form = client.get(reverse("prescriptions:new"), {"person": family.pk}).content.decode()
    assert f'value="{mother.pk}"' in form and "Aïssata Diallo" in form
    base = {
        "person": family.pk,
        "what_matters": "Bouger",
        "goal_0": "Jouer au soccer",
        "services": [soccer.pk],
    }
    refused = client.post(reverse("prescriptions:new"), {**base, "made_with": [stranger.pk]})
    assert refused.status_code == 400 and "membres de son ménage" in refused.content.decode()
    for junk in ("not-a-uuid", "x" * 500):
        assert (
            client.post(reverse("prescriptions:new"), {**base, "made_with": [junk]}).status_code
            == 400
        )
    assert not Prescription.objects.exists()
    client.post(reverse("prescriptions:new"), {**base, "made_with": [family.pk, mother.pk]})
    prescription = Prescription.objects.get()
    assert set(prescription.made_with.all()) == {family, mother}
    before = AuditEvent.objects.filter(action="show_person_name", object_id=str(mother.pk)).count()
    page = client.get(reverse("prescriptions:detail", args=[prescription.pk])).content.decode()
    assert "Aïssata Diallo" in page
    after = AuditEvent.objects.filter(action="show_person_name", object_id=str(mother.pk)).count()
    assert after == before + 1


def test_a_new_prescription_without_a_person_asks_for_the_record_first(client):
    response = client.get(reverse("prescriptions:new"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("people:search")
    assert "Trouvez d’abord le dossier de la personne" in response.content.decode()
