"""Service areas are territories: search by the place a person lives, the `proxima`
extension and an area's name at import, and the listing's editor picking them."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from shapely.geometry import box

from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from proxima.directory import models as m
from proxima.directory.services.hsds_export import serialize
from proxima.directory.services.hsds_import import HsdsImportError, import_hsds
from proxima.directory.services.indexing import reindex_services
from proxima.directory.services.search import SearchQuery, search_services
from proxima.territories.services import save_territory
from tests.factories import UserFactory, make_service, new_id

pytestmark = pytest.mark.django_db
# The centre of G1K (Saint-Roch) lies in the east half, that of G1V (Sainte-Foy) in none.
WEST = box(-71.30, 46.80, -71.25, 46.85)
EAST = box(-71.25, 46.80, -71.20, 46.85)


@pytest.fixture
def territories(need_domains):
    region, _ = save_territory("region", "R", "Région test", box(-72, 46, -70, 48))
    west, _ = save_territory("neighbourhood", "OUEST", "Quartier Ouest", WEST, parent=region)
    east, _ = save_territory(
        "neighbourhood", "EST", "Quartier de l'Est", EAST, parent=region, name_en="East End"
    )
    return {"region": region, "west": west, "east": east}


def serving(name: str, *territories) -> m.Service:
    service = make_service(name, "Paniers de nourriture.", domain="food")
    for territory in territories:
        m.ServiceArea.objects.create(id=new_id(), service=service, territory=territory)
    reindex_services([service.id])
    return service


def found(postal_code: str) -> set[str]:
    query = SearchQuery(text="paniers", served_postal_code=postal_code, per_page=50)
    return {hit.service.name for hit in search_services(query).hits}


def test_search_keeps_the_services_whose_territory_holds_the_persons_place(territories):
    serving("Paniers de l'Est", territories["east"])
    serving("Paniers de l'Ouest", territories["west"])
    serving("Paniers de la région", territories["region"])
    serving("Paniers partout")
    assert found("G1K 3B2") == {"Paniers de l'Est", "Paniers de la région", "Paniers partout"}
    # A postal area whose centre is in no territory: only the services of no territory.
    assert found("K1L 5A1") == {"Paniers partout"}


def test_an_import_names_territories_by_code_or_by_an_unambiguous_name(territories, tmp_path):
    save_territory("neighbourhood", "EST-2", "Quartier Ouest", box(-75, 45, -74.9, 45.1))
    services = []
    for name, area in (
        (
            "Par code",
            {"name": "Zone", "proxima": {"territory": {"level": "neighbourhood", "code": "EST"}}},
        ),
        ("Par nom anglais", {"name": "  east END "}),
        ("Par nom français sans accents", {"name": "quartier de l est"}),
        ("Nom ambigu", {"name": "Quartier Ouest"}),  # two territories have it
        ("Nom inconnu", {"name": "Ailleurs"}),
    ):
        service_id = new_id()
        services.append(
            {
                "id": service_id,
                "name": name,
                "status": "active",
                "service_areas": [{"id": new_id(), "service_id": service_id, **area}],
            }
        )
    path = tmp_path / "services.json"
    path.write_text(json.dumps(services), encoding="utf-8")
    import_hsds(path)
    linked = {
        a.service.name: a.territory.code if a.territory else None
        for a in m.ServiceArea.objects.select_related("service", "territory")
    }
    assert linked == {
        "Par code": "EST",
        "Par nom anglais": "EST",
        "Par nom français sans accents": "EST",
        "Nom ambigu": None,
        "Nom inconnu": None,
    }
    # The export names the territory, and reading it back links the same one.
    exported = serialize("service", m.Service.objects.get(name="Par nom anglais"), extensions=True)
    assert exported["service_areas"][0]["proxima"]["territory"] == {
        "level": "neighbourhood",
        "code": "EST",
    }


@pytest.mark.parametrize(
    "territory",
    [
        {"level": "neighbourhood", "code": "NULLE-PART"},
        {"level": "county", "code": "EST"},
        {"level": "neighbourhood"},
        "EST",
        {"level": "neighbourhood", "code": 12},
    ],
)
def test_an_import_naming_an_unknown_territory_is_refused_whole(territories, tmp_path, territory):
    service_id = new_id()
    area = {"id": new_id(), "service_id": service_id, "proxima": {"territory": territory}}
    path = tmp_path / "services.json"
    path.write_text(
        json.dumps([{"id": service_id, "name": "X", "status": "active", "service_areas": [area]}]),
        encoding="utf-8",
    )
    with pytest.raises(HsdsImportError, match="territory"):
        import_hsds(path)
    assert not m.Service.objects.exists() and not m.ServiceArea.objects.exists()


def test_the_listings_editor_picks_the_territories_served(territories):
    service = make_service("Dépannage", "Paniers de nourriture.", domain="food")
    m.ServiceArea.objects.create(id=new_id(), service=service, postal_prefixes="G1K")
    editor = UserFactory(role=Role.PARTNER_ADMIN, organization=service.organization)
    client = Client()
    client.force_login(editor)
    url = reverse("directory:partner_edit", args=[service.id])
    page = client.get(url).content.decode()
    assert "Territoires desservis" in page and "Quartier de l&#x27;Est — quartier" in page
    east, west = territories["east"], territories["west"]
    body = {"action": "territories", "territories": [east.pk, west.pk]}
    assert client.post(url, body).status_code == 302
    areas = service.service_areas.all()
    assert sorted(a.territory_id for a in areas if a.territory_id) == sorted([east.pk, west.pk])
    assert [a.postal_prefixes for a in areas if not a.territory_id] == ["G1K"]  # kept
    assert client.post(url, {"action": "territories", "territories": [east.pk]}).status_code == 302
    assert [a.territory_id for a in service.service_areas.exclude(territory=None)] == [east.pk]
    assert AuditEvent.objects.filter(action="set_territories_served").count() == 2
    # Malformed or unknown territories: refused with the reason, nothing changed.
    for bad in (["abc"], [str(10**30)], ["999999"]):
        response = client.post(url, {"action": "territories", "territories": bad})
        assert response.status_code == 400
        assert "Sélectionnez un choix valide" in response.content.decode()
    assert [a.territory_id for a in service.service_areas.exclude(territory=None)] == [east.pk]
    # Another organization's editor changes nothing.
    other = UserFactory(role=Role.PARTNER_ADMIN, organization=make_service("Autre").organization)
    outsider = Client()
    outsider.force_login(other)
    assert outsider.post(url, {"action": "territories", "territories": []}).status_code == 403
    assert service.service_areas.exclude(territory=None).count() == 1
