"""The taxonomy's stamp (services/taxonomy.py): kept a moment outside a transaction, read
again at once after this process changes the taxonomy (and at every search for a moment
after, a replica catching up), always read inside a transaction."""

import json
import uuid

import pytest

from proxima.directory import models as m
from proxima.directory.services import taxonomy


class Clock:
    """The process's monotonic clock, moved by the test."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(taxonomy, "time", clock)
    taxonomy.forget_taxonomy_stamp()
    clock.now += taxonomy.STAMP_MAX_AGE  # the last change is settled
    return clock


def term(code: str) -> m.TaxonomyTerm:
    return m.TaxonomyTerm.objects.create(id=str(uuid.uuid4()), code=code, name=code)


@pytest.mark.django_db(transaction=True)
def test_kept_outside_a_transaction_and_forgotten_by_every_change_made_here(
    clock, django_assert_num_queries
):
    first = taxonomy.taxonomy_stamp()
    with django_assert_num_queries(0):
        assert taxonomy.taxonomy_stamp() == first
    found, other = term("aliments"), term("nourriture")
    changes = [
        lambda: term("épicerie"),  # a term saved
        lambda: taxonomy._save_lexicon({(found.id, "fr", "épicerie"): False}),  # in bulk
        lambda: found.equivalent_terms.add(other),  # an equivalence
        lambda: other.delete(),  # a term deleted
    ]
    for change in changes:
        clock.now += taxonomy.STAMP_MAX_AGE
        before = taxonomy.taxonomy_stamp()
        with django_assert_num_queries(0):
            taxonomy.taxonomy_stamp()  # kept
        change()
        assert taxonomy.taxonomy_stamp() != before


@pytest.mark.django_db(transaction=True)
def test_for_a_moment_after_a_change_it_is_read_at_every_search(clock, django_assert_num_queries):
    """A read replica may not have the change yet: what it says then is not kept."""
    term("aliments")
    clock.now += taxonomy.STAMP_MAX_AGE / 2
    taxonomy.taxonomy_stamp()
    with django_assert_num_queries(1):
        taxonomy.taxonomy_stamp()
    clock.now += taxonomy.STAMP_MAX_AGE
    taxonomy.taxonomy_stamp()
    with django_assert_num_queries(0):
        taxonomy.taxonomy_stamp()


@pytest.mark.django_db(transaction=True)
def test_another_process_change_is_seen_once_the_kept_stamp_is_old(clock):
    first = taxonomy.taxonomy_stamp()
    # Written without a signal, as another process's change looks from here.
    m.TaxonomyTerm.objects.bulk_create([m.TaxonomyTerm(id=str(uuid.uuid4()), name="x")])
    assert taxonomy.taxonomy_stamp() == first
    clock.now += taxonomy.STAMP_MAX_AGE
    assert taxonomy.taxonomy_stamp() != first


@pytest.mark.django_db(transaction=True)
def test_an_import_of_terms_is_seen_at_once(clock, tmp_path):
    """The import writes its terms in bulk (no signal): the stamp is forgotten."""
    from proxima.directory.services.hsds_import import import_hsds

    before = taxonomy.taxonomy_stamp()
    path = tmp_path / "taxonomy_terms.json"
    record = {"id": str(uuid.uuid4()), "code": "x1", "name": "Dépannage", "description": "."}
    path.write_text(json.dumps([record]), encoding="utf-8")
    import_hsds(path)
    assert m.TaxonomyTerm.objects.filter(id=record["id"]).exists()
    assert taxonomy.taxonomy_stamp() != before


def test_always_read_inside_a_transaction(db, django_assert_num_queries):
    taxonomy.taxonomy_stamp()
    with django_assert_num_queries(1):
        taxonomy.taxonomy_stamp()
