"""The partnership agreements registry: who reads and who changes what, the status rules
and their history, the review reminders, the inventory's CSV and XLSX, and the access
mechanism shown on a referral. (Their live indicators are tested in
tests/indicators/test_agreement_figures.py.)"""

import io
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from proxima.agreements import services
from proxima.agreements.models import Agreement, StatusChange, TrainingSession
from proxima.core.models import AuditEvent, Region
from proxima.core.roles import Role
from tests.factories import OrganizationFactory, ServiceFactory, UserFactory, sent_referral

pytestmark = pytest.mark.django_db
MONTREAL = ZoneInfo("America/Montreal")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_each_reads_the_agreements_they_may_and_only_those(region, elsewhere, agreement, food_bank):
    coordinator = UserFactory(role=Role.COORDINATOR, region=region)
    evaluator = UserFactory(role=Role.EVALUATOR, region=region)
    other_coordinator = UserFactory(role=Role.COORDINATOR, region=elsewhere)
    party = UserFactory(role=Role.PARTNER_WORKER, organization=food_bank)
    not_party = UserFactory(role=Role.PARTNER_ADMIN, organization=OrganizationFactory())
    url = f"/agreements/{agreement.pk}/"
    for reader in (coordinator, evaluator, party):
        page = signed_in(reader).get(url)
        assert page.status_code == 200 and "Corridor 811" in page.content.decode()
        assert "Corridor 811" in signed_in(reader).get("/agreements/").content.decode()
    for outsider in (other_coordinator, not_party):
        assert signed_in(outsider).get(url).status_code == 404
        listing = signed_in(outsider).get("/agreements/").content.decode()
        assert "Corridor 811" not in listing
        assert (
            "Corridor 811" not in signed_in(outsider).get("/agreements/export.csv").content.decode()
        )
    assert Client().get(url).status_code == 302  # the public: the sign-in page
    assert (
        signed_in(UserFactory(role=Role.PRIVACY_OFFICER, region=region)).get(url).status_code == 403
    )
    assert signed_in(coordinator).get("/agreements/not-a-number/").status_code == 404


def test_only_the_regions_coordinators_change_it_and_nothing_is_written_otherwise(
    region, elsewhere, agreement, food_bank
):
    posts = {
        "status": {"status": "under_review", "version": 1},
        "meetings": {"held_on": "2026-11-20", "notes": "Bilan"},
        "indicators": {"kind": "referrals_sent"},
        "training": {"topic": "Crise", "held_on": "2026-11-20", "attendees": "12"},
    }
    for user, expected in (
        (UserFactory(role=Role.EVALUATOR, region=region), 403),
        (UserFactory(role=Role.PARTNER_ADMIN, organization=food_bank), 403),
        (UserFactory(role=Role.COORDINATOR, region=elsewhere), 404),
    ):
        client = signed_in(user)
        for action, body in posts.items():
            response = client.post(f"/agreements/{agreement.pk}/{action}/", body)
            assert response.status_code == expected, (user.role, action)
        if expected == 403:
            assert client.get("/agreements/new/").status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == "active" and agreement.version == 1
    assert not agreement.meetings.exists() and not agreement.indicators.exists()
    assert not TrainingSession.objects.exists() and not StatusChange.objects.exists()


def test_the_status_rules_and_their_history(region, agreement):
    coordinator = UserFactory(role=Role.COORDINATOR, region=region)
    client = signed_in(coordinator)
    url = f"/agreements/{agreement.pk}/status/"
    refused = client.post(url, {"status": "draft", "version": 1})
    assert refused.status_code == 400
    assert "ne peut pas passer à « brouillon »" in refused.content.decode()
    assert (
        client.post(url, {"status": "under_review", "version": 1, "note": "bilan"}).status_code
        == 302
    )
    stale = client.post(url, {"status": "active", "version": 1})
    assert stale.status_code == 409 and "rechargez" in stale.content.decode()
    assert client.post(url, {"status": "ended", "version": 2}).status_code == 302
    for status in ("active", "under_review", "expired", "draft"):
        assert client.post(url, {"status": status, "version": 3}).status_code == 400
    for junk in ({"status": "x" * 300, "version": 3}, {"status": "active", "version": "un"}, {}):
        assert client.post(url, junk).status_code == 400
    agreement.refresh_from_db()
    assert agreement.status == "ended"
    history = [(c.from_status, c.to_status, c.note) for c in agreement.status_changes.all()]
    assert history == [("active", "under_review", "bilan"), ("under_review", "ended", "")]
    assert AuditEvent.objects.filter(action="change_agreement_status").count() == 2


def test_a_draft_goes_in_force_only_with_two_parties_and_a_start(region, food_bank):
    coordinator = UserFactory(role=Role.COORDINATOR, region=region)
    draft = Agreement.objects.create(region=region, title_fr="Ébauche", kind="memorandum")
    draft.parties.create(organization=food_bank)
    with pytest.raises(services.AgreementInputError) as problem:
        services.change_status(draft, "active", by=coordinator, version=1)
    assert "deux parties" in str(problem.value.errors["status"])
    draft.parties.create()
    with pytest.raises(services.AgreementInputError) as problem:
        services.change_status(draft, "active", by=coordinator, version=1)
    assert "vigueur" in str(problem.value.errors["status"])
    Agreement.objects.filter(pk=draft.pk).update(starts_on=date(2026, 1, 1))
    draft.refresh_from_db()
    assert services.change_status(draft, "active", by=coordinator, version=1).status == "active"


def test_a_coordinator_records_a_new_agreement_and_a_malformed_one_is_refused(region, food_bank):
    coordinator = UserFactory(role=Role.COORDINATOR, region=region)
    client = signed_in(coordinator)
    body = {
        "title_fr": "Protocole crise",
        "kind": "protocol",
        "need_domains": ["crisis"],
        "establishment": "on",
        "teams": [region.teams.get(code="info_social").pk],
        "organizations": [food_bank.pk],
        "starts_on": "2026-02-01",
        "ends_on": "2026-01-01",  # before the start
    }
    refused = client.post("/agreements/new/", body)
    assert refused.status_code == 400 and "La fin doit suivre le début." in refused.content.decode()
    for junk in (
        {**body, "ends_on": "", "kind": "truc"},
        {**body, "ends_on": "", "starts_on": "31/31"},
    ):
        assert client.post("/agreements/new/", junk).status_code == 400
    assert (
        client.post(
            "/agreements/new/", {**body, "organizations": [], "teams": [], "establishment": ""}
        ).status_code
        == 400
    )
    assert not Agreement.objects.exists()
    made = client.post("/agreements/new/", {**body, "ends_on": "2027-01-31"})
    assert made.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.status, agreement.region, agreement.need_domains) == (
        "draft",
        region,
        ["crisis"],
    )
    assert sorted(str(p) for p in agreement.parties.all()) == sorted(
        ["l’établissement de la région (CISSS / CIUSSS)", "811 Info-Social", "Comptoir alimentaire"]
    )


def test_review_reminders_go_once_and_past_agreements_expire(region, agreement, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    fr = UserFactory(role=Role.COORDINATOR, region=region, email="coordo@example.org")
    en = UserFactory(
        role=Role.COORDINATOR, region=region, email="coord@example.org", preferred_language="en"
    )
    UserFactory(role=Role.EVALUATOR, region=region, email="eval@example.org")
    today = date(2026, 12, 1)
    Agreement.objects.filter(pk=agreement.pk).update(review_on=today + timedelta(days=45))
    assert services.send_review_reminders(today) == 0  # not yet within 30 days
    Agreement.objects.filter(pk=agreement.pk).update(review_on=today + timedelta(days=20))
    assert services.send_review_reminders(today) == 1
    assert services.send_review_reminders(today) == 0  # once per review date
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        fr.email: "Entente à réviser : Corridor 811 – dépannage alimentaire",
        en.email: "Agreement to review: 811 – food aid corridor",
    }
    assert "21 décembre 2026" in next(m.body for m in mail.outbox if m.to == [fr.email])
    Agreement.objects.filter(pk=agreement.pk).update(ends_on=today - timedelta(days=1))
    assert services.expire_past_end(today) == 1
    agreement.refresh_from_db()
    assert agreement.status == "expired"
    assert agreement.status_changes.get().by is None


def test_the_inventory_exports_to_csv_and_xlsx(region, agreement, need_domains):
    Agreement.objects.create(region=region, title_fr='=HYPERLINK("http://x")', kind="protocol")
    coordinator = UserFactory(role=Role.COORDINATOR, region=region)
    client = signed_in(coordinator)
    text = client.get("/agreements/export.csv").content.decode("utf-8-sig")
    header, injected, row = text.splitlines()[:3]
    assert injected.startswith('"\'=HYPERLINK(""http://x"")"')  # never run as a formula
    assert header.startswith("Entente,Type,Statut,Révision à venir,Parties")
    assert (
        "Corridor 811 – dépannage alimentaire" in row and "Corridor de référence,En vigueur" in row
    )
    assert ",Aide alimentaire," in row  # the need in words
    assert "2026-01-01" in row and "2027-06-01" in row
    workbook = load_workbook(io.BytesIO(client.get("/agreements/export.xlsx").content))
    sheet = workbook.active
    assert sheet["A1"].value == "Entente"
    # Text typed as text: shown as written, never run as a formula.
    assert sheet["A2"].value == '=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "Corridor 811 – dépannage alimentaire"
    assert sheet["M3"].value.date() == date(2026, 1, 1)  # a date, not text
    assert (
        client.get("/agreements/export.csv?status=ended").content.decode("utf-8-sig").count("\n")
        == 1
    )


def test_a_referral_to_a_party_shows_the_access_mechanism_while_in_force(
    region, agreement, food_bank
):
    worker = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    referral = sent_referral(region, food_bank, worker, "requested", (2026, 11, 30, 9))
    client = signed_in(worker)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Selon l’entente « Corridor 811" in page and "418 555-0142" in page
    # Before sending too: the form for a service of a party says how to reach it.
    service = ServiceFactory(organization=food_bank)
    form = client.get(f"/referrals/new/?service={service.id}").content.decode()
    assert "Selon l’entente « Corridor 811" in form and "Lundi au vendredi" in form
    outsider = UserFactory(role=Role.WORKER_811, region=Region.objects.create(code="09", name="N"))
    form = signed_in(outsider).get(f"/referrals/new/?service={service.id}").content.decode()
    assert "418 555-0142" not in form  # another region's agreement
    Agreement.objects.filter(pk=agreement.pk).update(status="ended")
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "418 555-0142" not in page


def test_the_demo_region_has_agreements_in_every_state(region, need_domains):
    from proxima.agreements.demo import load_demo_agreements

    assert load_demo_agreements(None) == 4
    assert load_demo_agreements(None) == 4  # reloading replaces them
    today = timezone.localdate()
    agreements = list(Agreement.objects.all())
    statuses = sorted(a.status for a in agreements)
    assert statuses == ["active", "active", "draft", "expired"]
    assert len(services.due_for_review(agreements, today)) == 1
    assert TrainingSession.objects.count() == 2
    # The corridor's signed text: a real PDF, as an upload would have to be.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from proxima.agreements.models import Document
    from proxima.core.uploads import check_document

    signed = Document.objects.get()
    assert signed.kind == "signed" and signed.agreement.kind == "referral_corridor"
    upload = SimpleUploadedFile(signed.file_name, bytes(signed.content))
    assert check_document(upload, max_bytes=10**6).kind == "pdf"
    assert bytes(signed.content).rstrip().endswith(b"%%EOF")


def test_the_daily_task_expires_and_reminds(region, agreement, settings):
    from proxima.agreements.tasks import review_agreements_daily

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    UserFactory(role=Role.COORDINATOR, region=region, email="coordo@example.org")
    today = timezone.localdate()
    Agreement.objects.filter(pk=agreement.pk).update(review_on=today + timedelta(days=3))
    past = Agreement.objects.create(
        region=region,
        title_fr="Ancienne entente",
        kind="protocol",
        status="under_review",
        starts_on=today - timedelta(days=400),
        ends_on=today - timedelta(days=1),
    )
    assert review_agreements_daily.call(requeue=False) == {"expired": 1, "reminded": 1}
    past.refresh_from_db()
    assert past.status == "expired" and len(mail.outbox) == 1


def test_a_coordinator_changes_the_details_and_parties_with_the_version_read(
    region, elsewhere, agreement, food_bank
):
    coordinator = UserFactory(role=Role.COORDINATOR, region=region)
    client = signed_in(coordinator)
    url = f"/agreements/{agreement.pk}/edit/"
    form = client.get(url).content.decode()
    assert 'value="Corridor 811 – dépannage alimentaire"' in form
    other = OrganizationFactory(name="Maison de la famille")
    body = {
        "version": 1,
        "title_fr": "Corridor 811 – aide alimentaire",
        "kind": "referral_corridor",
        "need_domains": ["food"],
        "organizations": [food_bank.pk, other.pk],  # the establishment leaves
        "starts_on": "2026-01-01",
        "how_to_refer": "Téléphoner d’abord.",
    }
    food_party = agreement.parties.get(organization=food_bank)
    assert client.post(url, body).status_code == 302
    agreement.refresh_from_db()
    assert (agreement.title_fr, agreement.how_to_refer, agreement.version) == (
        "Corridor 811 – aide alimentaire",
        "Téléphoner d’abord.",
        2,
    )
    parties = {str(p): p for p in agreement.parties.all()}
    assert set(parties) == {"Comptoir alimentaire", "Maison de la famille"}
    assert parties["Comptoir alimentaire"].pk == food_party.pk  # kept with its role
    assert parties["Comptoir alimentaire"].role == "service receveur"
    stale = client.post(url, {**body, "title_fr": "Autre"})  # version 1 again
    assert stale.status_code == 409 and "rechargez" in stale.content.decode()
    alone = client.post(url, {**body, "version": 2, "organizations": [food_bank.pk]})
    assert alone.status_code == 400 and "au moins deux parties" in alone.content.decode()
    agreement.refresh_from_db()
    assert (
        agreement.title_fr == "Corridor 811 – aide alimentaire" and agreement.parties.count() == 2
    )
    assert (
        signed_in(UserFactory(role=Role.COORDINATOR, region=elsewhere))
        .post(url, {**body, "version": 2})
        .status_code
        == 404
    )
    assert (
        signed_in(UserFactory(role=Role.PARTNER_ADMIN, organization=food_bank))
        .post(url, {**body, "version": 2})
        .status_code
        == 403
    )
    agreement.refresh_from_db()
    assert agreement.version == 2


def test_what_the_outsiders_probe_found_stays_fixed(region, agreement, food_bank):
    """A huge id is an invalid choice, not a 500; a partner does not learn the title of
    an agreement it is not party to through a training session; a refused status says
    why next to the field; the status is never preselected; French decimals."""
    coordinator = UserFactory(role=Role.COORDINATOR, region=region)
    client = signed_in(coordinator)
    for field in ("teams", "territories", "organizations"):
        response = client.post(
            "/agreements/new/",
            {"title_fr": "T", "kind": "protocol", "establishment": "on", field: "9" * 25},
        )
        assert response.status_code == 400, field
    assert not Agreement.objects.exclude(pk=agreement.pk).exists()

    secret = Agreement.objects.create(
        region=region, title_fr="Entente confidentielle", kind="protocol"
    )
    session = TrainingSession.objects.create(
        region=region, agreement=secret, topic="Crise", held_on=date(2026, 11, 1), attendees=5
    )
    session.organizations.set([food_bank])
    partner = UserFactory(role=Role.PARTNER_WORKER, organization=food_bank)
    listing = signed_in(partner).get("/agreements/").content.decode()
    assert "Crise" in listing and "Entente confidentielle" not in listing
    assert "Entente confidentielle" in client.get("/agreements/").content.decode()

    url = f"/agreements/{agreement.pk}/status/"
    for body, said in (
        ({"status": "bogus", "version": 1}, "Nouveau statut"),
        ({"status": "ended", "version": 1, "note": "x" * 501}, "Pourquoi"),
        ({"status": "ended"}, "Rechargez la page"),
    ):
        refused = client.post(url, body)
        assert refused.status_code == 400 and said in refused.content.decode(), body
    page = client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert '<option value="">—</option><option value="under_review">' in page
    assert (
        client.post(
            f"/agreements/{agreement.pk}/indicators/", {"kind": "acceptance_rate", "target": "12,5"}
        ).status_code
        == 302
    )
    assert str(agreement.indicators.get().target) == "12.50"


def test_the_inventory_narrows_to_one_organization_with_its_training(region, agreement, food_bank):
    other = OrganizationFactory(name="Maison de la famille")
    second = Agreement.objects.create(
        region=region, title_fr="Protocole famille", kind="protocol", status="draft"
    )
    second.parties.create(organization=other)
    for topic, day, organizations in (
        ("Crise suicidaire", date(2026, 10, 1), [food_bank, other]),
        ("Violence conjugale", date(2026, 11, 5), [food_bank]),
        ("Premier contact", date(2026, 9, 1), [other]),
    ):
        session = TrainingSession.objects.create(
            region=region, topic=topic, held_on=day, attendees=10
        )
        session.organizations.set(organizations)
    client = signed_in(UserFactory(role=Role.COORDINATOR, region=region))
    page = client.get("/agreements/").content.decode()
    assert "Corridor 811" in page and "Protocole famille" in page
    # Per organization: sessions taken part in and the last one's date.
    assert "Formations communes par organisme" in page
    assert "5 novembre 2026" in page
    narrowed = client.get("/agreements/", {"organization": food_bank.pk}).content.decode()
    assert "Corridor 811" in narrowed and "Protocole famille" not in narrowed
    assert "Violence conjugale" in narrowed and "Premier contact" not in narrowed
    csv_text = client.get("/agreements/export.csv", {"organization": other.pk}).content.decode()
    assert "Protocole famille" in csv_text and "Corridor 811" not in csv_text
    for unknown in ("nope", "x" * 5000, "0"):
        response = client.get("/agreements/", {"organization": unknown})
        assert response.status_code == 200
        assert "Corridor 811" not in response.content.decode()
    # A partner narrowing to another organization sees nothing more than its own.
    partner = signed_in(UserFactory(role=Role.PARTNER_WORKER, organization=food_bank))
    theirs = partner.get("/agreements/", {"organization": other.pk}).content.decode()
    assert "Protocole famille" not in theirs and "Premier contact" not in theirs


def test_a_coordinator_writes_each_partys_role_and_commitments(
    region, elsewhere, agreement, food_bank
):
    party = agreement.parties.get(organization=food_bank)
    url = f"/agreements/{agreement.pk}/parties/{party.pk}/"
    body = {"role": "Organisme receveur", "commitments": "Rappeler la personne en 48 h."}
    # Those who may not edit: refused, nothing written.
    for user, expected in (
        (UserFactory(role=Role.PARTNER_ADMIN, organization=food_bank), 403),
        (UserFactory(role=Role.EVALUATOR, region=region), 403),
        (UserFactory(role=Role.COORDINATOR, region=elsewhere), 404),
    ):
        assert signed_in(user).post(url, body).status_code == expected
    party.refresh_from_db()
    assert party.role == "service receveur" and party.commitments == ""
    client = signed_in(UserFactory(role=Role.COORDINATOR, region=region))
    page = client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert "Rôle et engagements : Comptoir alimentaire" in page
    assert client.post(url, body).status_code == 302
    party.refresh_from_db()
    assert (party.role, party.commitments) == (body["role"], body["commitments"])
    assert (
        "Rappeler la personne en 48 h."
        in client.get(f"/agreements/{agreement.pk}/").content.decode()
    )
    detail = f"http://testserver/agreements/{agreement.pk}/"
    response = client.post(url, {"role": "x" * 301}, HTTP_REFERER=detail)
    assert response.status_code == 400 and "301" in response.content.decode()
    # Switching language from that page goes back to the agreement's page, not to an
    # address that only takes forms.
    assert f'name="next" type="hidden" value="{detail}"' in response.content.decode()
    switched = client.post("/i18n/setlang/", {"language": "en", "next": detail})
    assert switched.status_code == 302 and switched["Location"] == detail
    other = Agreement.objects.create(region=region, title_fr="Autre", kind="protocol")
    stranger = other.parties.create(role="autre")
    for bad in (stranger.pk, "abc", "１"):
        assert client.post(f"/agreements/{agreement.pk}/parties/{bad}/", body).status_code == 404
    stranger.refresh_from_db()
    assert stranger.role == "autre"


def test_the_edit_form_shows_the_dates_it_holds_in_every_language(agreement, region):
    # A date input takes ISO days only: a French "01/01/2026" would show an empty field,
    # and the form saved as shown would lose the date.
    client = signed_in(UserFactory(role=Role.COORDINATOR, region=region))
    for language in ("fr", "en"):
        client.cookies["django_language"] = language
        page = client.get(reverse("agreements:edit", args=[agreement.pk])).content.decode()
        assert 'value="2026-01-01"' in page and 'value="2027-06-01"' in page, language
