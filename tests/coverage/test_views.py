"""The coverage pages: the map's data and the table for a need, a territory's table for
every need, CSV, refused choices said in French."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from shapely.geometry import box

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.territories.services import save_territory
from tests.factories import UserFactory, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(need_domains):
    region, _ = save_territory("region", "03", "Capitale-Nationale", box(-72, 46, -70, 48))
    save_territory("neighbourhood", "A", "=Ouest", box(-71.30, 46.80, -71.25, 46.85), parent=region)
    save_territory("neighbourhood", "B", "Est", box(-71.25, 46.80, -71.20, 46.85), parent=region)
    make_service("Souper", domain="food", point=(46.82, -71.28), hours=[("SA", "17:00", "20:00")])
    client = Client()
    client.force_login(UserFactory(role=Role.COORDINATOR, region=Region.objects.get(code="03")))
    return client


def test_the_map_and_table_for_a_need(coordinator):
    page = coordinator.get(reverse("coverage:map"), {"domain": "food", "measure": "weekends"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Couverture des besoins par territoire" in html and "ouvert la fin de semaine" in html
    data = json.loads(json.dumps(page.context["map_data"]))  # what the page's script reads
    values = {f["properties"]["name"]: f["properties"]["value"] for f in data["features"]}
    assert values == {"=Ouest": 1, "Est": 0}
    east = next(f for f in data["features"] if f["properties"]["name"] == "Est")
    assert east["properties"]["gaps"] == ["rien d’accessible"]


def test_a_territorys_table_for_every_need(coordinator):
    page = coordinator.get(reverse("coverage:territory", args=["A"]))
    assert page.status_code == 200
    rows = page.context["rows"]
    assert len(rows) == 29 and any(r["cell"].services == 1 for r in rows)
    assert coordinator.get(reverse("coverage:territory", args=["nowhere"])).status_code == 404
    # The region itself, found at its own level without saying it.
    assert coordinator.get(reverse("coverage:territory", args=["03"])).status_code == 200


def test_csv_of_every_need_safe_in_a_spreadsheet(coordinator):
    response = coordinator.get(reverse("coverage:csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert text.startswith("\ufeff")  # a byte-order mark: spreadsheets read the accents
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["Code du territoire", "Territoire", "Besoin", "services accessibles"]
    assert len(rows) == 1 + 2 * 29
    assert {row[1] for row in rows[1:]} == {"'=Ouest", "Est"}  # never a formula


@pytest.mark.parametrize(
    "query",
    [{"level": "galaxy"}, {"measure": "__class__"}, {"reach_km": "abc"}, {"domain": "x" * 500}],
)
def test_a_choice_that_is_not_one_is_refused_in_french(coordinator, query):
    page = coordinator.get(reverse("coverage:map"), query)
    assert page.status_code == 400
    assert "Sélectionnez un choix valide" in page.content.decode()
    assert coordinator.get(reverse("coverage:csv"), query).status_code == 400
    # A territory's page too, on a page in French (not a bare text).
    territory = coordinator.get(reverse("coverage:territory", args=["A"]), query)
    assert territory.status_code == 400 and territory["Content-Type"].startswith("text/html")
    assert "Sélectionnez un choix valide" in territory.content.decode()


def test_the_lists_show_what_is_drawn(coordinator):
    page = coordinator.get(reverse("coverage:map"), {"domain": "food"})
    assert page.context["chosen"]["level"] == "neighbourhood"
    assert page.context["form"]["level"].value() == "neighbourhood"


def test_a_territory_name_is_never_markup_on_the_map(coordinator):
    from proxima.territories.models import Territory

    Territory.objects.filter(code="B").update(name_fr='<img src=x onerror="alert(1)">')
    page = coordinator.get(reverse("coverage:map")).content.decode()
    assert '<img src=x onerror="alert(1)">' not in page  # escaped in the table and the data
    from pathlib import Path

    import proxima.coverage

    script = Path(proxima.coverage.__file__).parent / "static" / "coverage" / "coverage.js"
    js = script.read_text(encoding="utf-8")
    assert "tip.textContent = text" in js and "bindTooltip(tip" in js


def test_staff_without_a_region_are_told_why(need_domains):
    client = Client()
    client.force_login(UserFactory(role=Role.EVALUATOR, region=None))
    assert client.get(reverse("coverage:map")).status_code == 403


def test_a_region_without_outlines_is_told_how_to_get_them(need_domains):
    client = Client()
    elsewhere = Region.objects.create(code="09", name="Côte-Nord")
    client.force_login(UserFactory(role=Role.COORDINATOR, region=elsewhere))
    page = client.get(reverse("coverage:map"))
    assert page.status_code == 200
    assert "import-territories" in page.content.decode()
