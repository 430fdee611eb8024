"""Migration 0011 gives each index row its point: copied from its points when the index
was written by 0010, the index written again when it is older (no category rows)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from proxima.directory import models as m
from proxima.directory.services.indexing import reindex_services
from tests.factories import LocationFactory, make_service, new_id

LIMOILOU = (46.8283, -71.2164)
LEVIS = (46.8033, -71.1779)
BEFORE = [("directory", "0010_search_category")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def points() -> dict[str, tuple]:
    return {
        d.service.name: (d.point_count, d.latitude, d.longitude)
        for d in m.SearchDocument.objects.select_related("service")
    }


@pytest.mark.django_db(transaction=True)
def test_each_index_row_gets_its_point_whichever_index_it_had(need_domains):
    make_service("Un lieu", domain="food", point=LIMOILOU)
    two = make_service("Deux lieux", domain="food", point=LEVIS)
    other = LocationFactory(latitude=LIMOILOU[0], longitude=LIMOILOU[1], organization=None)
    m.ServiceAtLocation.objects.create(id=new_id(), service=two, location=other)
    reindex_services([two.id])
    make_service("En ligne", domain="food", delivers_online=True)
    expected = {
        "Un lieu": (1, *LIMOILOU),
        "Deux lieux": (2, None, None),
        "En ligne": (0, None, None),
    }
    assert points() == expected
    categories = m.SearchCategory.objects.count()
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes()

    migrate(BEFORE)  # an index written by 0010: its points are copied
    migrate(leaf)
    assert points() == expected

    migrate(BEFORE)  # an index older than 0010 (no category rows): written again
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM directory_searchcategory")
    migrate(leaf)
    assert points() == expected
    assert m.SearchCategory.objects.count() == categories


@pytest.mark.django_db(transaction=True)
def test_0012_reads_the_lexicon_again_and_writes_the_index_again(need_domains):
    """A word with a ligature is indexed spelt out, and "crise" alone is no longer read in
    listings: the lexicon where it was loaded, and the index, are written again."""
    from proxima.directory.services.search import SearchQuery, search_services

    make_service("Entraide main-d'œuvre", "Pour ma sœur et les autres.", domain="employment")
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes()
    migrate([("directory", "0011_search_document_single_point")])
    # As 0011 left them: the flag of before, an index without these rows.
    m.NeedLexiconEntry.objects.filter(phrase__in=["crise", "crisis"]).update(query_only=False)
    m.SearchDocument.objects.all().delete()
    migrate(leaf)
    assert set(
        m.NeedLexiconEntry.objects.filter(phrase__in=["crise", "crisis"]).values_list(
            "query_only", flat=True
        )
    ) == {True}
    found = search_services(SearchQuery(text="main-d'oeuvre soeur")).hits
    assert [hit.service.name for hit in found] == ["Entraide main-d'œuvre"]
