"""The search service, on whichever database the suite runs against."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from proxima.directory.services.search import SearchInputError, SearchQuery, search_services
from proxima.directory.services.taxonomy import need_domain_term_id
from tests.factories import make_neighbourhood, make_service

pytestmark = pytest.mark.django_db
LOCAL = ZoneInfo("America/Toronto")
SAINT_ROCH = (46.8139, -71.2247)
LIMOILOU = (46.8283, -71.2164)
LEVIS = (46.8033, -71.1779)
VANIER_OTTAWA = (45.4393, -75.6610)


def names(results) -> list[str]:
    return [hit.service.name for hit in results.hits]


def find(**query) -> list[str]:
    return names(search_services(SearchQuery(**query)))


@pytest.fixture
def food_and_housing(need_domains):
    return {
        "depannage": make_service(
            "Dépannage alimentaire du quartier",
            "Paniers de nourriture d'urgence chaque semaine.",
            domain="food.emergency",
            point=SAINT_ROCH,
        ),
        "logements": make_service(
            "Comité des logements",
            "Aide pour trouver des logements abordables.",
            domain="housing",
            point=LIMOILOU,
        ),
        "chorale": make_service(
            "Chorale du mardi", "Chanter ensemble.", domain="arts", point=LEVIS
        ),
    }


def test_french_plural_finds_singular_and_back(food_and_housing):
    assert find(text="logement") == ["Comité des logements"]
    assert find(text="LOGEMENTS") == ["Comité des logements"]


def test_accents_do_not_matter(food_and_housing):
    assert "Dépannage alimentaire du quartier" in find(text="depannage")
    assert "Chorale du mardi" in find(text="CHORALE")


def test_food_bank_in_either_language_finds_food_aid_through_the_taxonomy(food_and_housing):
    """Neither query's words are in the listing: the need vocabulary bridges them."""
    assert find(text="banque alimentaire") == ["Dépannage alimentaire du quartier"]
    assert find(text="food bank") == ["Dépannage alimentaire du quartier"]


def test_everyday_words_map_to_need_domains(food_and_housing, need_domains):
    make_service("Maison des jeunes", "Lieu de rencontre pour ados.", domain="youth")
    assert find(text="on n'a plus rien dans le frigo") == ["Dépannage alimentaire du quartier"]
    assert find(text="my son has nothing to do after school") == ["Maison des jeunes"]


def test_english_query_finds_french_only_service_of_the_right_kind(need_domains):
    make_service(
        "Halte-garderie Les Lucioles",
        "Garde éducative pour les tout-petits.",
        domain="early_childhood",
    )
    results = search_services(SearchQuery(text="daycare"))
    assert names(results) == ["Halte-garderie Les Lucioles"]
    assert any("Petite enfance" in reason for reason in results.hits[0].reasons)


def test_translation_is_searchable(need_domains):
    make_service(
        "Clinique d'impôts",
        "Déclarations gratuites.",
        domain="income",
        translations={"en": {"name": "Tax clinic", "description": "Free tax returns."}},
    )
    assert find(text="tax returns") == ["Clinique d'impôts"]


def test_taxonomy_filter_includes_descendant_terms(food_and_housing):
    assert find(taxonomy_term_ids=[need_domain_term_id("food")]) == [
        "Dépannage alimentaire du quartier"
    ]
    assert find(taxonomy_term_ids=[need_domain_term_id("food.meals")]) == []


def test_distance_from_postal_code_filters_and_sorts(food_and_housing):
    results = search_services(SearchQuery(postal_code="G1K 3B2", max_km=3))
    assert names(results) == ["Dépannage alimentaire du quartier", "Comité des logements"]
    assert results.hits[0].distance_km < results.hits[1].distance_km <= 3
    assert "km" in results.hits[0].reasons[-1]


def test_distance_sorts_text_results_by_proximity(need_domains):
    make_service("Banque alimentaire de Lévis", "Dépannage.", domain="food", point=LEVIS)
    make_service("Banque alimentaire Saint-Roch", "Dépannage.", domain="food", point=SAINT_ROCH)
    # The places a worker picks are the territories' neighbourhoods.
    make_neighbourhood("quebec-saint-roch", "Saint-Roch", SAINT_ROCH)
    make_neighbourhood("levis", "Lévis", LEVIS, region_code="12")
    assert find(text="banque alimentaire", place="quebec-saint-roch") == [
        "Banque alimentaire Saint-Roch",
        "Banque alimentaire de Lévis",
    ]
    assert find(text="banque alimentaire", place="levis") == [
        "Banque alimentaire de Lévis",
        "Banque alimentaire Saint-Roch",
    ]


def test_remote_services_are_kept_in_distance_searches_unless_excluded(need_domains):
    make_service(
        "Ligne d'écoute",
        "Écoute anonyme.",
        domain="listening",
        delivers_by_phone=True,
        delivers_in_person=False,
    )
    make_service("Écoute à Ottawa", "Écoute.", domain="listening", point=VANIER_OTTAWA)
    assert find(text="écoute", postal_code="G1K", max_km=10) == ["Ligne d'écoute"]
    assert find(text="écoute", postal_code="G1K", max_km=10, include_remote=False) == []


def test_a_remote_service_with_a_far_office_is_kept_as_remote(need_domains):
    make_service(
        "Clavardage jeunesse",
        "Écoute en ligne.",
        domain="listening",
        point=VANIER_OTTAWA,
        delivers_online=True,
    )
    results = search_services(SearchQuery(text="écoute", postal_code="G1K", max_km=10))
    [hit] = results.hits
    assert hit.distance_km is None
    assert "Accessible à distance (en ligne ou par téléphone)" in hit.reasons
    assert find(text="écoute", postal_code="K1L", max_km=10) == ["Clavardage jeunesse"]
    near = search_services(SearchQuery(postal_code="K1L", max_km=10, include_remote=False))
    assert near.hits[0].distance_km < 10


def test_open_now_and_at_a_given_time(need_domains):
    make_service("Ouvert le jour", hours=[("MO,TU,WE,TH,FR", "09:00", "17:00")])
    make_service("Ouvert la nuit", hours=[("FR", "22:00", "02:00")])
    make_service("Toujours ouvert", hours=[("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")])
    tuesday_10h = datetime(2026, 11, 24, 10, 0, tzinfo=LOCAL)
    saturday_1h = datetime(2026, 11, 28, 1, 0, tzinfo=LOCAL)
    tuesday_17h10 = datetime(2026, 11, 24, 17, 10, tzinfo=LOCAL)
    assert sorted(find(open_at=tuesday_10h)) == ["Ouvert le jour", "Toujours ouvert"]
    assert sorted(find(open_at=saturday_1h)) == ["Ouvert la nuit", "Toujours ouvert"]
    # 17:10 is in the half hour that starts at 17:00: the exact check removes it.
    assert find(open_at=tuesday_17h10) == ["Toujours ouvert"]


def test_language_cost_age_mode_and_accessibility_filters(need_domains):
    make_service("Accueil arabophone", languages=("fr", "ar"), is_free=True)
    make_service("Cours payant", languages=("fr",), is_free=False, minimum_age=18, maximum_age=99)
    make_service("Club ado", minimum_age=12, maximum_age=17, delivers_online=True)
    make_service(
        "Local accessible", point=SAINT_ROCH, accessibility="Entrée accessible en fauteuil roulant"
    )
    assert find(languages=["ar"]) == ["Accueil arabophone"]
    assert find(free_only=True) == ["Accueil arabophone"]
    assert find(age=14) == ["Accueil arabophone", "Club ado", "Local accessible"]
    assert find(delivery_modes=["online"]) == ["Club ado"]
    assert find(wheelchair_accessible=True) == ["Local accessible"]


def test_each_hit_says_why_it_matched(food_and_housing):
    hit = search_services(SearchQuery(text="banque alimentaire", postal_code="G1K 3B2")).hits[0]
    assert any(reason.startswith("Besoin") or reason.startswith("Need") for reason in hit.reasons)
    assert any("km" in reason for reason in hit.reasons)


def test_inactive_services_are_not_found(need_domains):
    make_service("Service fermé", "Dépannage alimentaire.", status="defunct")
    assert find(text="dépannage") == []


def test_relaxes_to_some_words_when_no_service_has_them_all(food_and_housing):
    results = search_services(SearchQuery(text="mardi xylophone"))
    assert results.relaxed and names(results) == ["Chorale du mardi"]


def test_confidential_location_is_coarsened_in_the_index(need_domains):
    shelter = make_service(
        "Maison d'hébergement",
        "Violence conjugale.",
        domain="violence",
        point=(46.81234, -71.22871),
        confidential=True,
    )
    point = shelter.search_document.points.get()
    assert (point.latitude, point.longitude) != (46.81234, -71.22871)
    assert abs(point.latitude - 46.81234) < 0.02


def test_pagination(need_domains):
    for number in range(25):
        make_service(f"Atelier {number:02d}", "Atelier de cuisine.")
    first = search_services(SearchQuery(text="atelier", per_page=10))
    third = search_services(SearchQuery(text="atelier", per_page=10, page=3))
    assert first.total == 25 and first.page_count == 3
    assert len(first.hits) == 10 and len(third.hits) == 5
    listing = search_services(SearchQuery(per_page=10, page=2))
    assert names(listing) == [f"Atelier {n:02d}" for n in range(10, 20)]


@pytest.mark.parametrize(
    "query, message",
    [
        (SearchQuery(postal_code="ZZZ"), "postal"),
        (SearchQuery(max_km=5), "distance"),
        (SearchQuery(latitude=95, longitude=0), "Latitude"),
        (SearchQuery(text="x" * 600), "long"),
        (SearchQuery(page=0), "page"),
        (SearchQuery(per_page=1000), "page"),
        (SearchQuery(delivery_modes=["teleport"]), "teleport"),
        (SearchQuery(text="repas", languages=["fr'"]), "fr'"),
        (SearchQuery(languages=["en", "'; --"]), "'; --"),
        (SearchQuery(languages=[""]), "langue"),
    ],
)
def test_bad_input_is_refused_with_a_message(need_domains, query, message):
    with pytest.raises(SearchInputError) as error:
        search_services(query)
    assert message.lower() in str(error.value).lower() or str(error.value)


def test_nearest_services_are_found_in_growing_circles(need_domains, monkeypatch):
    from proxima.directory.services import search as search_module

    monkeypatch.setattr(search_module, "CANDIDATE_LIMIT", 2)
    # About 1, 3 and 9 km north of the G1K area's centroid.
    centre = search_module.geo.postal_code_point("G1K")
    for name, km in (("Neuf", 9), ("Un", 1), ("Trois", 3)):
        latitude = centre.latitude + km / search_module.geo.KM_PER_DEGREE
        make_service(name, "Aide.", point=(latitude, centre.longitude))
    results = search_services(
        SearchQuery(postal_code="G1K", max_km=20, include_remote=False, per_page=5)
    )
    assert [hit.service.name for hit in results.hits] == ["Un", "Trois"]
    assert results.total_is_capped


def test_pages_of_a_nearest_search_are_slices_of_one_order_with_its_count(need_domains):
    """Only the page asked leaves the database, with how many are within the radius: each
    page is its slice of the nearest-first order, and a page past the last still says
    how many there are."""
    from proxima.directory.services import search as search_module

    centre = search_module.geo.postal_code_point("G1K")
    for km in (5, 2, 7, 1, 3, 6, 4):
        latitude = centre.latitude + km / search_module.geo.KM_PER_DEGREE
        make_service(f"À {km} km", "Aide.", point=(latitude, centre.longitude))
    around = {"postal_code": "G1K", "max_km": 20, "include_remote": False}
    whole = search_services(SearchQuery(per_page=50, **around))
    assert names(whole) == [f"À {km} km" for km in range(1, 8)]
    for page in (1, 2, 3):
        results = search_services(SearchQuery(per_page=3, page=page, **around))
        assert names(results) == names(whole)[(page - 1) * 3 : page * 3]
        assert (results.total, results.total_is_capped) == (7, False)
        assert all(hit.distance_km is not None for hit in results.hits)
    past = search_services(SearchQuery(per_page=3, page=9, **around))
    assert (past.hits, past.total) == ([], 7)
    narrow = search_services(SearchQuery(postal_code="G1K", max_km=2.5, include_remote=False))
    assert names(narrow) == ["À 1 km", "À 2 km"] and narrow.total == 2


def test_a_place_on_the_radius_is_counted_and_shown_alike(need_domains):
    """A place whose distance rounds to just past the radius in kilometres, yet within it
    in the database's own test: counted and shown, not counted and then dropped (a short
    or empty page)."""
    make_service("Près", point=(46.8140, -71.2247))
    make_service("Au bord", point=(46.55737727844629, -71.2170276477765))
    around = {"latitude": 46.8139, "longitude": -71.2247, "max_km": 28.53}
    pages = [
        search_services(SearchQuery(include_remote=False, page=page, per_page=1, **around))
        for page in (1, 2)
    ]
    assert [names(page) for page in pages] == [["Près"], ["Au bord"]]
    assert [page.total for page in pages] == [2, 2]
    with_text = search_services(SearchQuery(text="aide", include_remote=False, **around))
    assert with_text.total == 0 or all(h.distance_km is not None for h in with_text.hits)


def test_postgresql_scans_start_at_the_first_row(db):
    """A scan of a large table otherwise starts where another recently was, and the pool
    of a broad search (the first matches a scan gives) changed between two runs of it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronize_seqscans")
        assert cursor.fetchone()[0] == "off"


def test_a_full_reindex_leaves_no_emptied_pages_on_postgresql(need_domains):
    """Deleted index rows left their space at the head of the table, which a search's
    pool (a scan stopping at its first matches) read first: 50 ms instead of 2 after a
    reindex of 100,000 listings. The table is emptied by TRUNCATE instead, also inside a
    transaction that wrote rows (an import)."""
    from django.db import connection, transaction

    from proxima.directory.services.indexing import reindex_services

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL keeps a deleted row's space in its table")
    for n in range(40):
        make_service(f"Service {n}", "Paniers de nourriture. " * 20, domain="food")

    def pages() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_relation_size('directory_searchdocument')")
            return cursor.fetchone()[0]

    reindex_services()
    first = pages()
    with transaction.atomic():
        make_service("Un de plus", "Paniers.", domain="food")  # rows written before it
        reindex_services()
    reindex_services()
    assert pages() <= first * 1.1
    assert len(search_services(SearchQuery(text="paniers", per_page=100)).hits) == 41


def test_territory_served_by_postal_prefix(need_domains):
    from proxima.directory import models as m
    from proxima.directory.services.indexing import reindex_services
    from tests.factories import new_id

    areas = {"Toute la région": "G1", "Saint-Roch": "G1K", "Lévis": "G6V, G6W", "Partout": ""}
    for name, prefixes in areas.items():
        service = make_service(name, "Aide.", domain="food", index=False)
        if prefixes:
            m.ServiceArea.objects.create(id=new_id(), service=service, postal_prefixes=prefixes)
        reindex_services([service.id])
    found = find(served_postal_code="g1k 3b2", per_page=10)
    assert sorted(found) == ["Partout", "Saint-Roch", "Toute la région"]
    assert sorted(find(served_postal_code="G6W")) == ["Lévis", "Partout"]


def test_a_listing_counts_up_to_a_cap_and_says_more(need_domains, monkeypatch):
    """A category's listing counts its services only so far (counting 17,000 took
    longer than finding the page): past the cap the total says "more than"; never less
    than the page shown."""
    from proxima.directory.services import search

    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 5)
    for number in range(8):
        make_service(f"Cuisine {number}", domain="food")
    food = [need_domain_term_id("food")]
    first = search_services(SearchQuery(taxonomy_term_ids=food, per_page=2))
    assert (first.total, first.total_is_capped) == (5, True)
    assert names(first) == ["Cuisine 0", "Cuisine 1"]
    last = search_services(SearchQuery(taxonomy_term_ids=food, per_page=4, page=2))
    assert (last.total, last.total_is_capped) == (8, False)
    assert names(last) == ["Cuisine 4", "Cuisine 5", "Cuisine 6", "Cuisine 7"]
    alone = search_services(SearchQuery(taxonomy_term_ids=food, per_page=20))
    assert (alone.total, alone.total_is_capped) == (8, False)  # the first page holds them all


def test_a_capped_listing_pages_on_and_the_api_counts_them_all(need_domains, monkeypatch):
    """Past the cap the page says "more than" (its number in the reader's format) and
    offers the next page while pages are full; the HSDS API still counts every item (it
    says how many pages there are)."""
    from django.test import Client

    from proxima.directory.services import search

    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 5)
    for number in range(30):
        make_service(f"Cuisine {number:02d}", domain="food")
    food = need_domain_term_id("food")
    first = Client().get("/", {"category": food}).content.decode()  # 20 a page
    assert "Plus de 20 résultats" in first and "Suivant" in first and "Page 1 sur" not in first
    last = Client().get("/", {"category": food, "page": 2}).content.decode()
    assert "30 résultats" in last and "Cuisine 29" in last and "Suivant" not in last
    api = Client().get("/api/hsds/services", {"postcode": "G1K 3B2", "per_page": 5}).json()
    assert api["total_items"] == 30 and api["total_pages"] == 6 and not api["last_page"]


def test_equal_distances_are_ordered_the_same_way_on_every_database(need_domains):
    for number in range(4):
        make_service("Même nom", f"Numéro {number}.", point=LIMOILOU)
    results = search_services(SearchQuery(postal_code="G1K 3B2", max_km=25, include_remote=False))
    ids = [hit.service.id for hit in results.hits]
    assert ids == sorted(ids)


def test_near_a_pole_a_text_search_finds_what_the_distance_allows(need_domains):
    make_service(
        "Banque alimentaire boréale", "Banque alimentaire.", domain="food", point=(89.95, 100)
    )
    found = find(
        text="banque alimentaire", latitude=90, longitude=0, max_km=10, include_remote=False
    )
    assert found == ["Banque alimentaire boréale"]


def test_a_category_listing_reads_the_category_index_as_the_full_text_index_would(
    need_domains,
):
    """A listing of one category reads its own index (name order, a page at a time):
    the same services, in the same order, as the full-text index finds them: the
    category's sub-categories, a need read in a listing's own words, never an inactive
    or removed listing; a listing moved out of the category leaves it."""
    from proxima.directory.models import Attribute, SearchCategory, Service
    from proxima.directory.services import search
    from proxima.directory.services.indexing import reindex_services
    from proxima.directory.services.search_backends import All, Term
    from proxima.directory.services.taxonomy import term_token

    make_service("Zèbre solidaire", "Repas chauds.", domain="food.meals")
    make_service("Abri du quartier", "Paniers.", domain="food.emergency")
    make_service("Épicerie", "Une banque alimentaire pour les familles.")
    make_service("Chorale", "Chanter ensemble.", domain="arts")
    closed = make_service("Ancien comptoir", "Paniers.", domain="food")
    moved = make_service("Bibliothèque", "Des livres.", domain="food")
    closed.status = "inactive"
    closed.save()
    reindex_services([closed.id])
    Service.objects.filter(id=moved.id).update(description="Des livres et des contes.")
    Attribute.objects.filter(link_id=moved.id).delete()
    reindex_services([moved.id])

    for code in ("food", "food.meals", "arts", "housing"):
        token = term_token(need_domain_term_id(code))
        query = SearchQuery(taxonomy_term_ids=[need_domain_term_id(code)])
        assert search._only_category([Term(token)], query) == token
        order = "d.sort_name, d.service_id"
        for limit, offset in ((20, 0), (2, 0), (2, 1)):
            by_category, count = search._fetch_category(token, query, limit, offset)
            by_text, text_count = search._fetch(
                All((Term(token),)), query, None, None, order, limit, offset, with_total=True
            )
            assert [r[0] for r in by_category] == [r[0] for r in by_text]
            assert count == text_count
    food = find(taxonomy_term_ids=[need_domain_term_id("food")])
    assert food == ["Abri du quartier", "Épicerie", "Zèbre solidaire"]
    assert not SearchCategory.objects.filter(service_id__in=[closed.id, moved.id]).exists()
    # Other filters with it: the full-text index, as before.
    query = SearchQuery(taxonomy_term_ids=[need_domain_term_id("food")], free_only=True)
    assert search._only_category([Term("tx_x"), Term("f_free")], query) is None
    assert search._only_category([Term("tx_x")], SearchQuery(organization_id="x")) is None


@pytest.mark.parametrize("expected", [None, 0.0, 10_000.0])
def test_the_pool_holds_the_same_listings_whichever_tier_is_asked_first(
    need_domains, monkeypatch, expected
):
    """Those holding every word and serving the need go in the pool first, whether the
    index is asked for them first (many expected, or the database cannot say) or for
    every word first (few expected): a full pool never leaves them out."""
    from proxima.directory.services import search, search_backends

    monkeypatch.setattr(search, "POOL_SIZE", 3)
    for number in range(4):
        make_service(f"Atelier {number}", "Atelier de tricot et de couture.", domain="arts")
    for number in range(2):
        make_service(f"Banque {number}", "Atelier de tricot, paniers de nourriture.", domain="food")
    monkeypatch.setattr(
        search_backends.backend().__class__, "estimated_rows", lambda self, db, expr: expected
    )
    hits = names(search_services(SearchQuery(text="atelier de tricot pour la nourriture")))
    assert sorted(hits[:2]) == ["Banque 0", "Banque 1"]
    assert len(hits) == 3


@pytest.mark.parametrize("one_does_not_serve", [False, True])
def test_a_full_pool_whose_rows_all_serve_the_need_is_read_once(
    need_domains, monkeypatch, one_does_not_serve
):
    """With a place (the words read first), a full pool whose every row also serves a
    need named is the pool of those serving it: the index is not read again for them.
    When one does not, those serving it are read apart and come first, as before."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from proxima.directory.services import search

    monkeypatch.setattr(search, "POOL_SIZE", 3)
    if one_does_not_serve:  # the first the index gives: every word, not the need
        text = "Une banque de laine; ateliers sur la chaîne alimentaire."
        make_service("Atelier", text, domain="arts", point=LEVIS)
    for number in range(5):
        text = "Banque alimentaire du quartier."
        make_service(f"Banque {number}", text, domain="food", point=SAINT_ROCH)
    query = SearchQuery(text="banque alimentaire", postal_code="G1K 3G5", max_km=25)
    with CaptureQueriesContext(connection) as queries:
        hits = names(search_services(query))
    pools = [q for q in queries.captured_queries if " AS texts" in q["sql"]]
    assert len(pools) == (2 if one_does_not_serve else 1)
    assert len(hits) == 3 and all(name.startswith("Banque") for name in hits)


def test_a_pool_near_a_place_reads_each_row_texts_as_by_id(need_domains):
    """The texts the ranking reads come with the pool's rows (made once the rows kept
    are known, on PostgreSQL) and are those read by id; a row past the radius is not
    kept."""
    from django.db import connection

    from proxima.directory.services import search
    from proxima.directory.services.search_backends import Term, _texts_read, backend

    near = make_service("Banque du quartier", "Paniers de nourriture.", point=SAINT_ROCH)
    make_service("Banque lointaine", "Paniers de nourriture.", point=VANIER_OTTAWA)
    remote = make_service(
        "Banque au téléphone",
        "Paniers de nourriture.",
        delivers_by_phone=True,
        delivers_in_person=False,
    )
    query = SearchQuery(text="banque", postal_code="G1K 3G5", max_km=25)
    point = search._validate(query)
    rows, _total = search._fetch(Term("banqu"), query, point, None, None, 10, with_texts=True)
    engine = backend()
    table = getattr(engine, "table", None)
    join = f"JOIN {table} ON {table}.rowid = d.id" if table else ""
    carried = engine.texts_sql(engine.texts_carried)
    expected = _texts_read(connection, {near.id: None, remote.id: None}, carried, join)
    assert {row[0]: row[4] for row in rows} == expected
    assert all(expected.values())


def test_statistics_estimate_how_many_listings_match(need_domains):
    """On PostgreSQL the index's statistics (ANALYZE) say what share of listings hold a
    token: the search asks the index first for what they expect to be few, and leaves out
    of its query a facet that most listings hold."""
    from django.db import connection

    from proxima.directory.services.search_backends import All, Any_, Term, backend

    if connection.vendor != "postgresql":
        pytest.skip("the statistics are PostgreSQL's (SQLite's search does not use them)")
    from proxima.directory.services import search, search_backends

    for number in range(30):
        make_service(f"Cuisine {number}", "Repas communautaires.", domain="food")
    make_service("Chorale", "Chanter ensemble.", domain="arts")
    make_service("Repas des petits", "Repas communautaires.", domain="food", maximum_age=12)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_searchdocument")
    search_backends._statistics.clear()
    engine = backend()
    shares = engine.token_shares(connection)
    assert shares["f_status_active"] == pytest.approx(1.0)
    common = engine.estimated_rows(connection, Term("f_status_active"))
    rare = engine.estimated_rows(connection, All((Term("repa"), Term("chant"))))
    assert common == pytest.approx(32, abs=1)
    assert rare < 32 / 2
    assert engine.estimated_rows(connection, Any_((Term("f_status_active"),) * 3)) <= 32
    # "Every age" is held by most listings here: an age is checked on the rows found.
    query = SearchQuery(text="repas", age=40)
    assert search._narrowing_expr(query, None) == []
    found = find(text="repas", age=40, per_page=40)
    assert len(found) == 30 and "Repas des petits" not in found
    assert "Repas des petits" in find(text="repas", age=8, per_page=40)


def test_the_index_is_asked_for_the_narrow_parts_and_the_broad_ones_checked_on_rows():
    """A group most listings hold (a language all of them offer) is checked on the rows
    found; a common alternative among rare ones (remote, among a radius's cells) is asked
    apart; without statistics, or with nothing narrower, the query is asked whole."""
    from proxima.directory.services.search_backends import All, Any_, Term, _index_plan

    words, french = Term("cuisin"), Any_((Term("f_lang_fr"),))
    place = Any_((Term("f_g0_1_2"), Term("f_g0_1_3"), Term("f_remote")))
    expr = All((words, french, place))
    shares = {"f_lang_fr": 1.0, "f_remote": 0.3, "f_g0_1_2": 0.01, "cuisin": 0.05}
    branches, checked = _index_plan(expr, shares)
    assert checked == [french]
    assert branches == [
        All((words, Any_((Term("f_g0_1_2"), Term("f_g0_1_3"))))),
        All((words, Any_((Term("f_remote"),)))),
    ]
    assert _index_plan(expr, {}) == ([expr], [])
    assert _index_plan(All((french,)), shares) == ([All((french,))], [])
    assert _index_plan(words, shares) == ([words], [])


def test_a_search_reads_the_same_rows_however_the_index_is_asked(need_domains, monkeypatch):
    """On PostgreSQL, with statistics saying French is everywhere and remote common, a
    search near a place asks the index in two parts and checks the language on the rows:
    the same pages as the query asked whole."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from proxima.directory.services import search_backends

    if connection.vendor != "postgresql":
        pytest.skip("the statistics are PostgreSQL's (FTS5 plans its queries itself)")
    for number in range(6):
        make_service(f"Cuisine {number}", "Repas communautaires.", domain="food", point=LIMOILOU)
    for number in range(4):
        make_service(
            f"Repas au téléphone {number}",
            "Repas communautaires livrés.",
            domain="food",
            delivers_by_phone=True,
            delivers_in_person=False,
        )
    make_service("Repas à Ottawa", "Repas communautaires.", domain="food", point=VANIER_OTTAWA)
    for number in range(41):  # a third of the listings remote, few near the place
        remote = {"delivers_by_phone": True, "delivers_in_person": False}
        make_service(
            f"Chorale {number}",
            "Chanter ensemble.",
            domain="arts",
            **(remote if number < 12 else {"point": VANIER_OTTAWA}),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_searchdocument")
    search_backends._statistics.clear()
    query = SearchQuery(text="repas", postal_code="G1K 3G5", max_km=10, languages=["fr"])
    with CaptureQueriesContext(connection) as queries:
        planned = search_services(query)
    asked = " ".join(q["sql"] for q in queries.captured_queries)
    assert "OR d.tsv @@ CAST(" in asked and "IS TRUE" in asked
    monkeypatch.setattr(search_backends.PostgresTsvector, "token_shares", lambda self, db: {})
    whole = search_services(query)
    assert [h.service.id for h in planned.hits] == [h.service.id for h in whole.hits]
    assert [h.score for h in planned.hits] == [h.score for h in whole.hits]
    assert len(planned.hits) == 10 and "Repas à Ottawa" not in names(planned)


def test_the_page_services_are_read_as_the_orm_reads_them(need_domains, django_assert_num_queries):
    """The hits' services come from one prepared query, not the ORM's: every field the
    same (texts, translations, dates, amounts, flags, empty values), the organization
    with them or none, and nothing more read when the page shows them."""
    from datetime import UTC
    from decimal import Decimal

    from proxima.directory.models import Service
    from proxima.directory.services.search import _services_with_organization

    full = make_service(
        "Épicerie solidaire",
        "Fruits et légumes.",
        translations={"en": {"name": "Community grocery"}},
        last_modified=datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC),
        income_ceiling=Decimal("42000"),
        is_free=True,
        minimum_age=16.5,
    )
    bare = make_service("Sans organisme", is_free=None)
    Service.objects.filter(pk=bare.pk).update(organization=None)
    # A link kept to an organization not in the dataset (no constraint): none, as the ORM.
    dangling = make_service("Organisme absent")
    Service.objects.filter(pk=dangling.pk).update(organization_id="not-in-the-dataset")
    ids = [full.pk, bare.pk, dangling.pk, "not-a-service"]
    expected = Service.objects.filter(id__in=ids).select_related("organization").in_bulk()
    with django_assert_num_queries(1):
        found = _services_with_organization(ids)
        assert found[full.pk].organization.name == expected[full.pk].organization.name
        assert found[bare.pk].organization is None
        assert found[dangling.pk].organization is None
    assert found.keys() == expected.keys() == {full.pk, bare.pk, dangling.pk}
    for service_id, service in found.items():
        for model_field in Service._meta.concrete_fields:
            name = model_field.attname
            assert getattr(service, name) == getattr(expected[service_id], name), name
    organization = expected[full.pk].organization
    for model_field in type(organization)._meta.concrete_fields:
        name = model_field.attname
        assert getattr(found[full.pk].organization, name) == getattr(organization, name), name
    assert found[full.pk].translations == {"en": {"name": "Community grocery"}}
    assert found[full.pk].income_ceiling == Decimal("42000") and found[full.pk].is_free is True
    assert found[full.pk].last_modified == datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)
    assert not found[full.pk]._state.adding and found[full.pk]._state.db == "default"
    assert _services_with_organization([]) == {}


def test_a_page_service_is_made_by_the_orm_when_a_signal_listens(need_domains):
    """The page's services are set up without `Model.__init__` only when nothing listens
    to it: a receiver of post_init is called for each, with the same values."""
    from django.db.models.signals import post_init

    from proxima.directory.models import Service
    from proxima.directory.services.search import _services_with_organization

    service = make_service("Épicerie solidaire", "Fruits et légumes.")
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.name)

    post_init.connect(receiver, sender=Service)
    try:
        found = _services_with_organization([service.pk])
    finally:
        post_init.disconnect(receiver, sender=Service)
    assert seen == ["Épicerie solidaire"]
    assert found[service.pk].description == "Fruits et légumes."
    assert _services_with_organization([service.pk])[service.pk].name == "Épicerie solidaire"
    assert seen == ["Épicerie solidaire"]  # no receiver any more: set up directly


def test_a_text_search_measures_each_listing_from_its_nearest_place(need_domains):
    """A listing keeps its only point in its index row (read without looking its points
    up); one with several is measured from the nearest; one without has no distance."""
    from proxima.directory import models as m
    from proxima.directory.models import SearchDocument
    from proxima.directory.services.indexing import reindex_services
    from tests.factories import LocationFactory, new_id

    one = make_service("Cuisine du quartier", "Repas.", domain="food", point=LIMOILOU)
    several = make_service("Cuisine des deux rives", "Repas.", domain="food", point=LEVIS)
    near = LocationFactory(
        latitude=SAINT_ROCH[0], longitude=SAINT_ROCH[1], organization=several.organization
    )
    m.ServiceAtLocation.objects.create(id=new_id(), service=several, location=near)
    reindex_services([several.id])
    nowhere = make_service("Cuisine en ligne", "Repas.", domain="food", delivers_online=True)
    rows = {
        d.service_id: (d.point_count, d.latitude, d.longitude) for d in SearchDocument.objects.all()
    }
    assert rows[one.id] == (1, *LIMOILOU)
    assert rows[several.id] == (2, None, None) and rows[nowhere.id] == (0, None, None)
    results = search_services(SearchQuery(text="repas", postal_code="G1K 3B2", max_km=10))
    km = {hit.service.name: hit.distance_km for hit in results.hits}
    assert km["Cuisine des deux rives"] < km["Cuisine du quartier"] < 3  # Saint-Roch, not Lévis
    assert km["Cuisine en ligne"] is None
    unbounded = search_services(SearchQuery(text="repas", postal_code="G1K 3B2"))
    assert {h.service.name: h.distance_km for h in unbounded.hits} == km
