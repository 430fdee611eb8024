"""Directory pages: search and service pages, the partner's editing pages, and who may do what."""

import pytest
from django.test import Client
from django.urls import reverse

from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from proxima.directory import models as m
from tests.factories import (
    SECRET_STREET,
    OrganizationFactory,
    UserFactory,
    make_confidential_shelter,
    make_service,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def food_bank(need_domains):
    return make_service(
        "Dépannage alimentaire",
        "Paniers de nourriture.",
        domain="food",
        point=(46.8139, -71.2247),
        hours=[("MO,TU,WE,TH,FR", "09:00", "17:00")],
        translations={"en": {"name": "Emergency food", "description": "Food baskets."}},
    )


@pytest.fixture
def shelter(need_domains):
    return make_confidential_shelter()


def logged_in(role: str, organization=None) -> tuple[Client, object]:
    user = UserFactory(role=role, organization=organization)
    client = Client()
    client.force_login(user)
    return client, user


def test_search_page_is_french_by_default_with_a_switch_to_english(food_bank):
    page = Client().get("/", {"q": "banque alimentaire"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'lang="fr"' in html and "Trouver une ressource communautaire" in html
    assert "Dépannage alimentaire" in html and "1 résultat" in html
    assert reverse("set_language") in html  # the language switch
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get("/", {"q": "food bank"}).content.decode()
    assert 'lang="en"' in english and "Find a community resource" in english
    assert "Emergency food" in english


def test_htmx_request_gets_only_the_results(food_bank):
    response = Client().get("/", {"q": "alimentaire"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Dépannage alimentaire" in html and "<html" not in html


def test_search_form_errors_are_in_the_users_language(food_bank):
    french = Client().get("/", {"postal_code": "ZZZ"}).content.decode()
    assert "code postal canadien" in french
    english = Client(headers={"accept-language": "en"})
    english.cookies["django_language"] = "en"
    assert "Canadian postal code" in english.get("/", {"postal_code": "ZZZ"}).content.decode()


def test_a_page_past_the_last_says_so_and_leads_back(need_domains):
    """Not "no service matches" under "3 results" (an outsider's probe), and numbers in
    the reader's format."""
    for n in range(3):
        make_service(f"Banque alimentaire {n}", "Paniers.", domain="food")
    page = Client().get("/", {"q": "banque alimentaire", "page": "12345"}).content.decode()
    assert "La page 12" in page and "345 est au-delà de la dernière page" in page
    assert "Aucun service ne correspond" not in page
    assert "Revenir à la première page" in page
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.cookies["django_language"] = "en"
    assert (
        "Page 12,345 is past the last page"
        in english.get(
            "/", {"q": "banque alimentaire", "page": "12345", "per_page": "2"}
        ).content.decode()
    )


def test_service_page_hides_a_confidential_address_from_the_public(shelter):
    html = Client().get(reverse("directory:service", args=[shelter.id])).content.decode()
    assert SECRET_STREET not in html and "46.8161" not in html
    assert "Adresse confidentielle" in html
    assert not AuditEvent.objects.exists()


def test_staff_see_a_confidential_address_and_the_read_is_audited(shelter):
    client, worker = logged_in(Role.CLSC_WORKER)
    html = client.get(reverse("directory:service", args=[shelter.id])).content.decode()
    assert SECRET_STREET in html
    event = AuditEvent.objects.exclude(action__startswith="login").get()
    assert (event.actor, event.action, event.object_type) == (
        worker,
        "read_confidential_location",
        "directory.location",
    )


def test_unknown_service_is_a_404(need_domains):
    assert Client().get(reverse("directory:service", args=["nope"])).status_code == 404


def test_partner_editor_updates_own_capacity_and_hours(food_bank):
    client, editor = logged_in(Role.PARTNER_ADMIN, food_bank.organization)
    url = reverse("directory:partner_edit", args=[food_bank.id])
    assert client.get(reverse("directory:partner_home")).status_code == 200
    response = client.post(url, {"action": "capacity", "capacity_status": "waitlist"})
    assert response.status_code == 302
    food_bank.refresh_from_db()
    assert food_bank.capacity_status == "waitlist" and food_bank.capacity_updated_at
    hours = {
        "action": "hours",
        "hours-TOTAL_FORMS": "1",
        "hours-INITIAL_FORMS": "0",
        "hours-0-weekday": "5",
        "hours-0-opens_at": "10:00",
        "hours-0-closes_at": "14:00",
    }
    assert client.post(url, hours).status_code == 302
    schedules = list(m.Schedule.objects.filter(service=food_bank))
    assert [(s.byday, s.opens_at, s.closes_at) for s in schedules] == [("SA", "10:00", "14:00")]
    assert client.post(url, {"action": "verify"}).status_code == 302
    food_bank.refresh_from_db()
    assert food_bank.last_verified_by == editor
    assert AuditEvent.objects.filter(actor=editor).count() >= 3


def test_partner_edit_form_errors_are_shown_and_nothing_changes(food_bank):
    client, _editor = logged_in(Role.PARTNER_ADMIN, food_bank.organization)
    url = reverse("directory:partner_edit", args=[food_bank.id])
    hours = {
        "action": "hours",
        "hours-TOTAL_FORMS": "1",
        "hours-INITIAL_FORMS": "0",
        "hours-0-weekday": "0",
        "hours-0-opens_at": "10:00",
        "hours-0-closes_at": "10:00",
    }
    response = client.post(url, hours)
    assert response.status_code == 400
    assert (
        "heures d’ouverture et de fermeture doivent être différentes" in response.content.decode()
    )
    assert m.Schedule.objects.filter(service=food_bank, byday="MO,TU,WE,TH,FR").exists()


def test_partner_editor_cannot_change_another_organizations_service(food_bank):
    client, _editor = logged_in(Role.PARTNER_ADMIN, OrganizationFactory())
    url = reverse("directory:partner_edit", args=[food_bank.id])
    assert client.get(url).status_code == 403
    response = client.post(url, {"action": "capacity", "capacity_status": "full"})
    assert response.status_code == 403
    food_bank.refresh_from_db()
    assert food_bank.capacity_status == "open"
    home = client.get(reverse("directory:partner_home")).content.decode()
    assert "Dépannage alimentaire" not in home


def test_partner_editor_without_organization_edits_nothing(food_bank):
    client, _editor = logged_in(Role.PARTNER_ADMIN, None)
    url = reverse("directory:partner_edit", args=[food_bank.id])
    assert client.post(url, {"action": "verify"}).status_code == 403


@pytest.mark.parametrize(
    "role",
    [Role.WORKER_811, Role.CLSC_WORKER, Role.SOCIAL_PRESCRIBER, Role.COORDINATOR, Role.EVALUATOR],
)
def test_other_roles_cannot_use_the_partner_pages(food_bank, role):
    client, _user = logged_in(role)
    assert client.get(reverse("directory:partner_home")).status_code == 403
    url = reverse("directory:partner_edit", args=[food_bank.id])
    assert client.post(url, {"action": "verify"}).status_code == 403


def test_anonymous_is_sent_to_login_for_partner_pages(food_bank):
    response = Client().get(reverse("directory:partner_home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_administrator_may_edit_any_service(food_bank):
    client, _admin = logged_in(Role.ADMIN)
    url = reverse("directory:partner_edit", args=[food_bank.id])
    assert client.post(url, {"action": "capacity", "capacity_status": "full"}).status_code == 302


def test_anonymous_and_non_staff_cannot_reach_the_admin(food_bank):
    response = Client().get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    for role in (Role.PARTNER_ADMIN, Role.WORKER_811, Role.COORDINATOR, Role.EVALUATOR):
        client, _user = logged_in(role)
        assert client.get("/admin/directory/service/").status_code == 302, role
    client, _admin = logged_in(Role.ADMIN)
    assert client.get("/admin/directory/service/").status_code == 200


def test_login_page_and_failed_login_message(need_domains):
    UserFactory(username="marie", role=Role.WORKER_811)
    page = Client().post(reverse("accounts:login"), {"username": "marie", "password": "wrong"})
    assert "Nom d’utilisateur ou mot de passe incorrect" in page.content.decode()
    ok = Client().post(
        reverse("accounts:login"), {"username": "marie", "password": "secret-pass-123"}
    )
    assert ok.status_code == 302


def test_a_places_directions_and_the_delivery_label_are_in_the_readers_language(need_domains):
    from django.test import Client

    from tests.factories import make_service

    service = make_service("Comptoir", "Dépannage.", point=(46.81, -71.22))
    location = service.service_at_locations.get().location
    location.transportation = "Autobus à proximité"
    location.text_language = "fr"
    location.translations = {"en": {"transportation": "Bus nearby"}}
    location.save()
    french = Client().get(f"/services/{service.id}/").content.decode()
    assert "Autobus à proximité" in french and "Bus nearby" not in french
    assert "Mode de prestation" in french
    client = Client()
    client.cookies["django_language"] = "en"
    english = client.get(f"/services/{service.id}/").content.decode()
    assert "Bus nearby" in english and "Autobus" not in english


def test_a_result_card_shows_todays_hours_that_hold_today_and_a_number_to_call(need_domains):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from proxima.directory import presenters
    from proxima.directory.models import Phone, Schedule
    from proxima.directory.services.indexing import reindex_services
    from tests.factories import make_service

    monday = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("America/Toronto"))  # 1st Monday
    ended = make_service("Fini", hours=[("MO", "09:00", "17:00")])
    Schedule.objects.filter(service=ended).update(valid_to="2020-01-01")
    second = make_service("Deuxième lundi", hours=[("MO", "09:00", "17:00")])
    Schedule.objects.filter(service=second).update(freq="MONTHLY", byday="2MO")
    reindex_services([ended.id, second.id])
    Phone.objects.create(
        id="00000000-0000-4000-8000-0000000000f1", service=ended, number="418 555-0000", type="fax"
    )
    Phone.objects.create(
        id="00000000-0000-4000-8000-0000000000f2",
        service=ended,
        number="418 555-0101",
        type="voice",
    )
    cards = presenters.result_cards([ended, second], monday)
    assert cards[ended.id].today == "" and cards[ended.id].closed_today
    assert cards[second.id].today == "" and not cards[second.id].open_now
    assert cards[ended.id].phone == "418 555-0101"  # a voice line, not the fax


@pytest.mark.parametrize(
    ("number", "dialled"),
    [
        ("418 555-0101", "4185550101"),
        ("+1 (581) 555-0000", "+15815550000"),
        ("418 555-0303 poste 12 ou +1 (581) 555-0000", ""),
        ("1-800-FOOD-NOW", ""),
        ('javascript:alert(1)"><b>', ""),
        ("911", ""),
    ],
)
def test_only_one_number_is_dialled(number, dialled):
    from proxima.core.templatetags.proxima import tel

    assert tel(number) == dialled
