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
            "élément 1",
            "croise",
        ),
        ([feature({"code": "X", "nom": "Vide"}, polygon())], {}, "élément 1", "vide"),
        (
            [feature({"code": "X", "nom": "Point"}, {"type": "Point", "coordinates": [-71, 46]})],
            {},
            "élément 1",
            "Polygon ou un MultiPolygon",
        ),
        ([feature({"code": "X"}, polygon(WEST))], {}, "élément 1", "propriété nom"),
        ([feature({"nom": "Sans code"}, polygon(WEST))], {}, "élément 1", "propriété code"),
        (
            [
                feature({"code": "X", "nom": "Un"}, polygon(WEST)),
                feature({"code": "X", "nom": "Deux"}, polygon(EAST)),
            ],
            {},
            "élément 2",
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
            "élément 1",
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
            "élément 1",
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
        "import-territories",
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
    assert out.getvalue().startswith("créés : 1, mis à jour : 0")
    out = StringIO()
    call_command("locate", "46.75", "-71.35", stdout=out)
    assert out.getvalue().splitlines() == [
        "region 99 Région fictive",
        "neighbourhood N1 Quartier 1",
    ]
    bad = write(tmp_path, [feature({"code": "N2"}, polygon(WEST))], "bad.geojson")
    with pytest.raises(CommandError, match="Rien n’a été importé"):
        call_command(
            "import-territories",
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


def refused(tmp_path, features, *, level="clsc", parent="99", **extra) -> dict:
    path = write(tmp_path, features, "refused.geojson", **extra)
    before = Territory.objects.count()
    with pytest.raises(TerritoryImportError) as error:
        import_territories(path, level=level, code_field="code", name_field="nom", parent=parent)
    assert Territory.objects.count() == before
    return error.value.errors


OPEN_RING = [[-71.40, 46.70], [-71.25, 46.70], [-71.25, 46.95], [-71.40, 46.95]]


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (
            polygon([["-71.4", "46.7"], ["-71.25", "46.7"], ["-71.25", "46.9"], ["-71.4", "46.7"]]),
            "ne peut pas être lue",
        ),
        (polygon([[True, False], [1, 0], [1, 1], [True, False]]), "ne peut pas être lue"),
        ({"type": "Polygon", "coordinates": {"a": 1}}, "ne peut pas être lue"),
        ({"type": "Polygon"}, "ne peut pas être lue"),
        (
            polygon([[10**400, 46.7], [-71.25, 46.7], [-71.25, 46.9], [10**400, 46.7]]),
            "ne peut pas être lue",
        ),
        (polygon(OPEN_RING), "n’est pas fermé"),
        (
            polygon([[179.0, 50.0], [-179.0, 50.0], [-179.0, 51.0], [179.0, 51.0], [179.0, 50.0]]),
            "180e méridien",
        ),
    ],
)
def test_coordinates_that_are_not_a_closed_ring_of_numbers(tmp_path, region, geometry, message):
    errors = refused(tmp_path, [feature({"code": "X", "nom": "X"}, geometry)])
    assert message in errors["élément 1"]


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        ({"code": True, "nom": "Vrai"}, "doit être du texte"),
        ({"code": [1, 2], "nom": "Liste"}, "doit être du texte"),
        ({"code": "X", "nom": "Ligne\nsuivante"}, "caractères de contrôle"),
        ({"code": "X", "nom": "\u202eesrever"}, "caractères de contrôle"),
        ({"code": "X", "nom": "nul\x00"}, "caractères de contrôle"),
        ({"code": "X" * 33, "nom": "Long"}, "dépasse 32 caractères"),
        ({"code": "X", "nom": "N" * 201}, "dépasse 200 caractères"),
    ],
)
def test_codes_and_names_are_short_plain_text(tmp_path, region, properties, message):
    errors = refused(tmp_path, [feature(properties, polygon(WEST))])
    assert message in errors["élément 1"]


def test_a_code_written_as_a_number_is_kept_as_its_digits(tmp_path, region):
    path = write(tmp_path, [feature({"code": 311, "nom": "RLS 311"}, polygon(WEST))])
    import_territories(
        path, level="local_network", code_field="code", name_field="nom", parent="99"
    )
    assert Territory.objects.get(level="local_network").code == "311"


def test_a_region_code_fits_the_regions_of_records(tmp_path):
    errors = refused(
        tmp_path,
        [feature({"code": "R" * 17, "nom": "Trop long"}, polygon(WEST))],
        level="region",
        parent=None,
    )
    assert "dépasse 16 caractères" in errors["élément 1"]


@pytest.mark.parametrize("population", [True, "12.6", 12.6, -3, "beaucoup"])
def test_a_population_is_a_whole_number(tmp_path, region, population):
    path = write(tmp_path, [feature({"code": "X", "nom": "X", "pop": population}, polygon(WEST))])
    with pytest.raises(TerritoryImportError) as error:
        import_territories(
            path,
            level="clsc",
            code_field="code",
            name_field="nom",
            population_field="pop",
            parent="99",
        )
    assert "nombre entier" in error.value.errors["élément 1"]


@pytest.mark.parametrize(
    ("crs", "message"),
    [
        ({"type": "name", "properties": "x"}, "doit nommer"),
        ({}, "doit nommer"),
        (False, "doit nommer"),
        (
            {"type": "name", "properties": {"name": "EPSG:5703"}},
            "pas un système de coordonnées de carte",
        ),
        # Quebec Lambert named, but the coordinates are longitudes and latitudes.
        (
            {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32198"}},
            "ressemblent à des longitudes",
        ),
    ],
)
def test_a_coordinate_system_that_cannot_be_right(tmp_path, region, crs, message):
    errors = refused(tmp_path, [feature({"code": "X", "nom": "X"}, polygon(WEST))], crs=crs)
    said = " ".join(errors.values())
    assert message in said, errors


def test_an_outline_outside_its_systems_area_is_refused(tmp_path, region):
    far = [[3e6, 3e6], [3.1e6, 3e6], [3.1e6, 3.1e6], [3e6, 3.1e6], [3e6, 3e6]]
    crs = {"type": "name", "properties": {"name": "EPSG:32198"}}
    errors = refused(tmp_path, [feature({"code": "X", "nom": "Loin"}, polygon(far))], crs=crs)
    assert "hors de la zone" in errors["élément 1"]


def test_the_nearest_level_above_is_the_parent(tmp_path, region):
    path = write(tmp_path, [feature({"code": "99", "nom": "Réseau 99"}, polygon(WEST))])
    import_territories(
        path, level="local_network", code_field="code", name_field="nom", parent="99"
    )
    path = write(tmp_path, [feature({"code": "C", "nom": "CLSC"}, polygon(WEST))], "clsc.geojson")
    import_territories(path, level="clsc", code_field="code", name_field="nom", parent="99")
    assert Territory.objects.get(level="clsc").parent.level == "local_network"


def test_files_that_are_not_small_regular_utf8_files(tmp_path, region, monkeypatch):
    from proxima.territories import services

    path = write(tmp_path, [feature({"code": "X", "nom": "Avec BOM"}, polygon(WEST))])
    from pathlib import Path

    Path(path).write_bytes(b"\xef\xbb\xbf" + Path(path).read_bytes())
    import_territories(path, level="clsc", code_field="code", name_field="nom", parent="99")
    assert Territory.objects.filter(code="X").exists()  # a byte-order mark is fine
    for special in ("/dev/zero", str(tmp_path)):
        with pytest.raises(TerritoryImportError) as error:
            import_territories(
                special, level="clsc", code_field="code", name_field="nom", parent="99"
            )
        assert "pas un fichier" in error.value.errors["file"]
    monkeypatch.setattr(services, "MAX_FILE_BYTES", 100)
    with pytest.raises(TerritoryImportError) as error:
        import_territories(path, level="clsc", code_field="code", name_field="nom", parent="99")
    assert "dépasse" in error.value.errors["file"]
    monkeypatch.setattr(services, "MAX_FILE_BYTES", 10**8)
    monkeypatch.setattr(services, "MAX_POINTS_PER_FEATURE", 4)
    with pytest.raises(TerritoryImportError) as error:
        import_territories(path, level="clsc", code_field="code", name_field="nom", parent="99")
    assert "trop de points" in error.value.errors["élément 1"]


@pytest.mark.parametrize("typed", ["46_5", "４６", "nan", "inf", "46.5e1"])
def test_locate_reads_plain_degrees_only(region, typed):
    with pytest.raises(CommandError):
        call_command("locate", typed, "-71.35")


def test_locate_takes_a_decimal_comma_and_says_when_nothing_holds_the_point(region):
    out, err = StringIO(), StringIO()
    call_command("locate", "46,75", "-71,35", stdout=out, stderr=err)
    assert out.getvalue().splitlines() == ["region 99 Région fictive"]
    call_command("locate", "10", "10", stdout=out, stderr=err)
    assert "Aucun territoire ne contient ce point." in err.getvalue()
