"""Territories: GeoJSON import (all or nothing, reprojected, refused when malformed),
the territories holding a point (holes, borders), many points at once, today's regions."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from proxima.core.models import Region
from proxima.territories.models import Territory
from proxima.territories.services import (
    TerritoryImportError,
    assign_points,
    import_territories,
    territories_at,
)

pytestmark = pytest.mark.django_db

# A fictional region: a square with a lake (a hole), and an island (a second polygon).
SQUARE = [[-71.40, 46.70], [-71.10, 46.70], [-71.10, 46.95], [-71.40, 46.95], [-71.40, 46.70]]
LAKE = [[-71.30, 46.80], [-71.25, 46.80], [-71.25, 46.85], [-71.30, 46.85], [-71.30, 46.80]]
ISLAND = [[-71.00, 46.90], [-70.90, 46.90], [-70.90, 46.95], [-71.00, 46.95], [-71.00, 46.90]]
# Two CLSC territories sharing the border at longitude -71.25.
WEST = [[-71.40, 46.70], [-71.25, 46.70], [-71.25, 46.95], [-71.40, 46.95], [-71.40, 46.70]]
EAST = [[-71.25, 46.70], [-71.10, 46.70], [-71.10, 46.95], [-71.25, 46.95], [-71.25, 46.70]]


def feature(properties: dict, geometry: dict) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def polygon(*rings) -> dict:
    return {"type": "Polygon", "coordinates": list(rings)}


def write(tmp_path, features, name="territories.geojson", **extra) -> str:
    path = tmp_path / name
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features, **extra}), encoding="utf-8"
    )
    return str(path)


@pytest.fixture
def region(tmp_path):
    multipolygon = {"type": "MultiPolygon", "coordinates": [[SQUARE, LAKE], [ISLAND]]}
    path = write(
        tmp_path,
        [
            feature(
                {"RSS_code": "99", "nom": "Région fictive", "name": "Fictional Region"},
                multipolygon,
            )
        ],
        "region.geojson",
    )
    import_territories(
        path, level="region", code_field="RSS_code", name_field="nom", name_en_field="name"
    )
    return Territory.objects.get(level="region", code="99")


@pytest.fixture
def clsc(tmp_path, region):
    path = write(
        tmp_path,
        [
            feature({"code": "C-W", "nom": "CLSC Ouest", "pop": "41250"}, polygon(WEST)),
            feature({"code": "C-E", "nom": "CLSC Est", "pop": 38000.0}, polygon(EAST)),
        ],
        "clsc.geojson",
    )
    return import_territories(
        path, level="clsc", code_field="code", name_field="nom", population_field="pop", parent="99"
    )


def codes(territories) -> list[str]:
    return [t.code for t in territories]


def test_a_region_with_a_hole_and_an_island(region):
    assert region.name_fr == "Région fictive" and region.name_en == "Fictional Region"
    assert region.region == Region.objects.get(code="99")  # the records' region, the same place
    assert codes(territories_at(46.75, -71.35)) == ["99"]
    assert codes(territories_at(46.825, -71.275)) == []  # in the lake
    assert codes(territories_at(46.92, -70.95)) == ["99"]  # on the island
    assert codes(territories_at(46.70, -71.20)) == ["99"]  # on its outer edge


def test_children_inside_their_parent_and_a_point_on_a_shared_border(clsc):
    assert clsc.created == 2 and clsc.updated == 0
    west = Territory.objects.get(code="C-W")
    assert west.parent.code == "99" and west.population == 41250
    assert codes(territories_at(46.75, -71.35)) == ["99", "C-W"]  # region first, then down
    # Exactly on the border between the two: held by both (each covers it).
    assert codes(territories_at(46.75, -71.25)) == ["99", "C-E", "C-W"]


def test_import_is_idempotent_by_level_and_code(tmp_path, clsc):
    path = write(
        tmp_path,
        [feature({"code": "C-W", "nom": "CLSC de l'Ouest", "pop": 1}, polygon(WEST))],
        "again.geojson",
    )
    report = import_territories(
        path, level="clsc", code_field="code", name_field="nom", population_field="pop", parent="99"
    )
    assert (report.created, report.updated) == (0, 1)
    assert Territory.objects.filter(level="clsc").count() == 2
    assert Territory.objects.get(code="C-W").name_fr == "CLSC de l'Ouest"


def test_another_coordinate_system_is_reprojected(tmp_path, region):
    """Quebec Lambert (EPSG:32198), as the government's files come; the outline is kept
    in longitude and latitude."""
    from pyproj import Transformer

    to_lambert = Transformer.from_crs("EPSG:4326", "EPSG:32198", always_xy=True)
    ring = [list(to_lambert.transform(lon, lat)) for lon, lat in WEST]
    path = write(
        tmp_path,
        [feature({"code": "L-1", "nom": "Quartier Lambert"}, polygon(ring))],
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32198"}},
    )
    import_territories(
        path, level="neighbourhood", code_field="code", name_field="nom", parent="99"
    )
    lambert = Territory.objects.get(code="L-1")
    assert lambert.min_longitude == pytest.approx(-71.40, abs=1e-6)
    assert lambert.max_latitude == pytest.approx(46.95, abs=1e-6)
    assert "L-1" in codes(territories_at(46.80, -71.30))


BOWTIE = [[-71.4, 46.7], [-71.1, 46.95], [-71.1, 46.7], [-71.4, 46.95], [-71.4, 46.7]]


@pytest.mark.parametrize(
    ("features", "extra", "where", "message"),
    [
        (
            [feature({"code": "X", "nom": "Noeud"}, polygon(BOWTIE))],
            {},
            "feature 1",
            "croise",
        ),
        ([feature({"code": "X", "nom": "Vide"}, polygon())], {}, "feature 1", "vide"),
        (
            [feature({"code": "X", "nom": "Point"}, {"type": "Point", "coordinates": [-71, 46]})],
            {},
            "feature 1",
            "Polygon ou un MultiPolygon",
        ),
        ([feature({"code": "X"}, polygon(WEST))], {}, "feature 1", "propriété nom"),
        ([feature({"nom": "Sans code"}, polygon(WEST))], {}, "feature 1", "propriété code"),
        (
            [
                feature({"code": "X", "nom": "Un"}, polygon(WEST)),
                feature({"code": "X", "nom": "Deux"}, polygon(EAST)),
            ],
            {},
            "feature 2",
            "deux fois",
        ),
        (
            [
                feature(
                    {"code": "X", "nom": "Lambert"},
                    polygon(
                        [[-200000, 500000], [-190000, 500000], [-190000, 510000], [-200000, 500000]]
                    ),
                )
            ],
            {},
            "feature 1",
            "système de coordonnées",
        ),
        (
            [feature({"code": "X", "nom": "Inconnu"}, polygon(WEST))],
            {"crs": {"type": "name", "properties": {"name": "EPSG:999999"}}},
            "crs",
            "Système de coordonnées inconnu",
        ),
        (
            [
                feature(
                    {"code": "X", "nom": "Mauvais"},
                    {"type": "Polygon", "coordinates": [[["a", "b"]]]},
                )
            ],
            {},
            "feature 1",
            "ne peut pas être lue",
        ),
    ],
)
def test_a_malformed_file_imports_nothing_and_says_why(
    tmp_path, region, features, extra, where, message
):
    path = write(
        tmp_path,
        [feature({"code": "OK", "nom": "Correct"}, polygon(WEST)), *features]
        if where == "crs"
        else features,
        **extra,
    )
    before = Territory.objects.count()
    with pytest.raises(TerritoryImportError) as refused:
        import_territories(path, level="clsc", code_field="code", name_field="nom", parent="99")
    assert where in refused.value.errors, refused.value.errors
    assert message.lower() in refused.value.errors[where].lower()
    assert Territory.objects.count() == before


@pytest.mark.parametrize(
    "content",
    ["not json", "[]", '{"type": "Feature"}', '{"type": "FeatureCollection", "features": []}'],
)
def test_a_file_that_is_not_a_feature_collection(tmp_path, content):
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TerritoryImportError) as refused:
        import_territories(path, level="region", code_field="c", name_field="n")
    assert "file" in refused.value.errors
    assert not Territory.objects.exclude(geometry="").exists()


def test_children_need_their_parent(tmp_path):
    path = write(tmp_path, [feature({"code": "C", "nom": "Orphelin"}, polygon(WEST))])
    for parent in (None, "nowhere"):
        with pytest.raises(TerritoryImportError) as refused:
            import_territories(
                path, level="clsc", code_field="code", name_field="nom", parent=parent
            )
        assert "parent" in refused.value.errors


def test_a_territory_outside_its_validity_dates_holds_nothing(region):
    region.valid_until = date(2020, 12, 31)
    region.save()
    assert territories_at(46.75, -71.35) == []
    assert codes(territories_at(46.75, -71.35, on=date(2020, 6, 1))) == ["99"]


def test_many_points_at_once(clsc):
    points = [(46.75, -71.35), (46.75, -71.15), (46.75, -71.25), (45.0, -73.0)]
    west, east = (Territory.objects.get(code=c).pk for c in ("C-W", "C-E"))
    # On the border: the lowest code (C-E) is kept; outside every territory: None.
    assert assign_points(points, level="clsc") == [west, east, east, None]
    assert assign_points([], level="clsc") == []


def test_the_commands(tmp_path, region):
    path = write(tmp_path, [feature({"code": "N1", "nom": "Quartier 1"}, polygon(WEST))])
    out = StringIO()
    call_command(
        "import_territories",
        path,
        "--level",
        "neighbourhood",
        "--code-field",
        "code",
        "--name-field",
        "nom",
        "--parent",
        "99",
        stdout=out,
    )
    assert out.getvalue().startswith("1 created, 0 updated")
    out = StringIO()
    call_command("locate", "46.75", "-71.35", stdout=out)
    assert out.getvalue().splitlines() == [
        "region 99 Région fictive",
        "neighbourhood N1 Quartier 1",
    ]
    bad = write(tmp_path, [feature({"code": "N2"}, polygon(WEST))], "bad.geojson")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command(
            "import_territories",
            bad,
            "--level",
            "neighbourhood",
            "--code-field",
            "code",
            "--name-field",
            "nom",
            "--parent",
            "99",
        )
    with pytest.raises(CommandError):
        call_command("locate", "91", "0")


def test_todays_regions_become_territories():
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "proxima.territories.migrations.0002_regions_as_territories"
    )
    capitale = Region.objects.create(code="03", name="Capitale-Nationale")
    migration.regions_to_territories(apps, None)
    migration.regions_to_territories(apps, None)  # twice: the same one territory
    territory = Territory.objects.get(level="region", code="03")
    assert territory.region == capitale and territory.name_fr == "Capitale-Nationale"
