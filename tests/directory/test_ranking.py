"""How a text search ranks: by the needs a service serves and the words it holds, over a
pool taken in tiers (services/search.py: _text_search, _rank_pool)."""

import pytest

from proxima.directory.services import search
from proxima.directory.services.search import SearchQuery, search_services
from tests.factories import make_service

pytestmark = pytest.mark.django_db


def names(text: str, **criteria) -> list[str]:
    return [hit.service.name for hit in search_services(SearchQuery(text=text, **criteria)).hits]


def test_a_word_any_listing_may_hold_brings_nothing(need_domains):
    """The issue's example: "food bank" put a transport service at the top."""
    make_service("Transport bénévole", "Help getting to your appointments.", text_language="en")
    make_service("Banque alimentaire du quartier", "Paniers chaque jeudi.", domain="food")
    assert names("food bank help") == ["Banque alimentaire du quartier"]
    assert names("where can I get help") == []


def test_a_category_weighs_more_than_the_same_need_read_in_a_listing(need_domains):
    """Same words, same need: the one whose category says it comes first."""
    description = "On offre des paniers de nourriture aux familles."
    make_service("Entraide Limoilou", description)
    make_service("Entraide Vanier", description, domain="food.emergency")
    assert names("banque alimentaire")[:2] == ["Entraide Vanier", "Entraide Limoilou"]


def test_the_pool_takes_those_holding_every_word_and_a_need_first(need_domains, monkeypatch):
    """With more candidates than the pool holds, the tiers decide who is ranked: those
    holding every word and serving the need are never crowded out by the rest."""
    monkeypatch.setattr(search, "POOL_SIZE", 3)
    for number in range(6):
        make_service(f"Comptoir {number}", "Dépannage.", domain="food")
    best = make_service("Frigo partagé", "Frigo communautaire, dépannage.", domain="food")
    hits = search_services(SearchQuery(text="frigo")).hits
    assert [h.service.name for h in hits][:1] == [best.name]
    assert len(hits) == 3  # the pool, no more


def test_both_tiers_fill_the_pool_when_few_hold_every_word(need_domains, monkeypatch):
    monkeypatch.setattr(search, "POOL_SIZE", 4)
    make_service("Frigo partagé", "Frigo communautaire.", domain="food")
    for number in range(5):
        make_service(f"Comptoir {number}", "Dépannage.", domain="food")
    hits = search_services(SearchQuery(text="frigo vide")).hits
    assert hits[0].service.name == "Frigo partagé"
    assert len(hits) == 4


def test_a_search_about_a_course_finds_the_course_not_the_services(need_domains):
    make_service("Dépannage alimentaire", "Paniers de nourriture.", domain="food")
    make_service(
        "Food handler certification course",
        "A one-day course on food safety for kitchen volunteers.",
        text_language="en",
    )
    assert names("food handler certification course")[:1] == ["Food handler certification course"]


def test_the_pools_ranking_reads_the_texts_it_was_not_given(need_domains):
    """A row the search did not read its texts with is read by id: the same ranking."""
    from django.db import connection

    from proxima.directory.services.search_backends import Any_, Term, backend
    from proxima.directory.services.text import stems
    from tests.factories import make_service

    first = make_service("Banque alimentaire", "Paniers de nourriture.", domain="food")
    second = make_service("Cuisine collective", "Cuisiner ensemble, banque de recettes.")
    features = [Any_(tuple(Term(s) for s in stems("banque")))]
    engine = backend()
    read = engine.pool_scores(connection, {first.id: None, second.id: None}, features, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.service_id, {engine.texts_sql(engine.texts_carried)} "
            "FROM directory_searchdocument d "
            + (
                f"JOIN {engine.table} ON {engine.table}.rowid = d.id"
                if hasattr(engine, "table")
                else ""
            )
        )
        given = dict(cursor.fetchall())
    assert read == engine.pool_scores(connection, given, features, 1)
    assert read[first.id][0] > 0 and 0 in read[first.id][1]


def test_a_token_of_spaces_only_is_held_by_no_listing():
    """A rare character folds to spaces: such a "token" matches nothing in the pool's
    texts on either database (the spaces between a listing's tokens are not words)."""
    from proxima.directory.services import search_backends as engines

    texts = {"a": "aide  alimentaire\nrepas    chauds\n", "b": "   \n\n"}
    features = [engines.Term("  "), engines.Term("aide")]
    scores = engines._pool_ranks(engines._text_documents, texts, features, 2)
    assert scores["a"][1] == {1} and scores["b"][1] == set()
    vectors = {"a": "'aide':1A 'repas':2B", "b": "'  ':1A"}
    scores = engines._pool_ranks(engines._tsvector_documents, vectors, features, 2)
    assert scores["a"][1] == {1} and scores["b"][1] == set()


def test_a_hit_says_the_words_its_name_or_body_hold_not_its_categories(need_domains):
    """The reasons read a row's name and body in its index texts, on either database: a
    token only in its categories is not one of its words; nor is a token of spaces."""
    from django.db import connection

    from proxima.directory.services.search_backends import _texts_read, backend
    from proxima.directory.services.taxonomy import need_domain_term_id, term_token

    service = make_service("Banque alimentaire", "Paniers de nourriture.", domain="food")
    engine = backend()
    table = getattr(engine, "table", None)
    join = f"JOIN {table} ON {table}.rowid = d.id" if table else ""
    carried = engine.texts_sql(engine.texts_carried)
    text = _texts_read(connection, {service.id: None}, carried, join)[service.id]
    category = term_token(need_domain_term_id("food"))
    assert category in text  # in its index texts, in the categories' field
    assert engine.holds_word(text, ["banqu"]) and engine.holds_word(text, ["x", "panier"])
    assert not engine.holds_word(text, [category])
    assert not engine.holds_word(text, ["  ", "recett"])
    assert [hit.reasons[0] for hit in search_services(SearchQuery(text="banque")).hits] == [
        "Mots : banque"
    ]


def test_a_token_holding_a_space_is_read_in_each_database_s_texts_as_before():
    """A rare character folds to a space inside a token: in a vector's text the token is
    quoted whole (held, its positions after it); in FTS5's texts spaces separate tokens
    (never held)."""
    from proxima.directory.services.search_backends import PostgresTsvector, SqliteFts5

    vector = "'a b':1A 'c':2B 'tx_1':3C"
    assert PostgresTsvector.holds_word(vector, ["a b"])
    assert not PostgresTsvector.holds_word(vector, ["tx_1", "b"])
    texts = "centre a b\nrepas\ntx_1"
    assert not SqliteFts5.holds_word(texts, ["a b", "  "])
    assert SqliteFts5.holds_word(texts, ["b"]) and not SqliteFts5.holds_word(texts, ["tx_1"])


def test_a_vectors_positions_count_in_the_field_their_weight_letter_names():
    """PostgreSQL's vector text: one position or several, each in the field its letter
    names (A name, B body, C terms); a position without a letter (a filter token's) is in
    none, and the field lengths count every position."""
    from proxima.directory.services.search_backends import _tsvector_documents

    text = "'aide':1A,5B,9C 'banqu':2A 'repas':3B 'f_free' 'soir':4 'tx_food':7C,8C"
    wanted = frozenset({"aide", "banqu", "repas", "soir", "tx_food", "f_free", "absent"})
    [(service_id, counts, lengths)] = _tsvector_documents([("s", text)], wanted)
    assert service_id == "s" and lengths == (2, 2, 3)
    assert counts == {
        "aide": (1, 1, 1),
        "banqu": (1, 0, 0),
        "repas": (0, 1, 0),
        "tx_food": (0, 0, 2),
    }
