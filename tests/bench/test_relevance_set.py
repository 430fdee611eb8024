"""The relevance set (bench/relevance/): a directory written apart from Proxima's lexicon
and the queries scored against it by bench/relevance.py. These tests check the set
itself, not how well search does on it."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

SET = Path(__file__).resolve().parents[2] / "bench" / "relevance"
KINDS = {"everyday", "specific", "crisis", "cross_language", "near_miss_guard"}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def _load(name: str):
    return json.loads((SET / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services() -> list[dict]:
    return _load("directory.json")


@pytest.fixture(scope="module")
def queries() -> list[dict]:
    return _load("queries.json")


def _languages(service: dict) -> set[str]:
    return {language["code"] for language in service.get("languages", [])}


def _names(service: dict) -> set[str]:
    names = {service["name"], service.get("alternate_name", "")}
    for texts in service.get("proxima", {}).get("translations", {}).values():
        names.add(texts.get("name", ""))
    return {name.strip().lower() for name in names if name}


@pytest.mark.django_db
def test_the_directory_imports_without_problems(services):
    from proxima.directory.models import Organization, Service, TaxonomyTerm
    from proxima.directory.services.hsds_import import import_hsds

    report = import_hsds(SET / "directory.json")

    assert report.indexed_services == len(services)
    assert Service.objects.count() == len(services)
    assert Organization.objects.count() == len({s["organization"]["id"] for s in services})
    assert TaxonomyTerm.objects.filter(code__startswith="RQ-").count() >= 25


def test_the_directory_is_large_and_mixed(services):
    assert len(services) >= 60
    assert len({s["organization"]["id"] for s in services}) >= 35
    mix = Counter(tuple(sorted(_languages(s))) for s in services)
    for languages in (("fr",), ("en",), ("en", "fr")):
        assert mix[languages] >= len(services) // 4, mix
    assert any(not s.get("attributes") for s in services), "some services are untagged"


def test_every_id_is_a_uuid(services):
    text = (SET / "directory.json").read_text(encoding="utf-8")
    ids = re.findall(r'"id": "([^"]+)"', text)
    assert ids and all(UUID.fullmatch(i) for i in ids)


def test_queries_are_well_formed(queries):
    assert len(queries) >= 150
    assert len({q["id"] for q in queries}) == len(queries)
    assert len({q["query"].strip().lower() for q in queries}) == len(queries)
    for query in queries:
        assert query["kind"] in KINDS, query
        assert query["language"] in ("fr", "en"), query
        assert query["query"].strip(), query
        assert query["expected"], f"{query['id']} has no right answer"
        assert len(set(query["expected"])) == len(query["expected"]), query


def test_kinds_are_covered(queries):
    kinds = Counter(q["kind"] for q in queries)
    assert kinds["crisis"] >= 20
    assert kinds["cross_language"] >= 30
    assert kinds["near_miss_guard"] >= 5
    assert kinds["everyday"] >= 40
    assert kinds["specific"] >= 30
    languages = Counter(q["language"] for q in queries)
    assert min(languages.values()) >= len(queries) // 3


def test_every_expected_id_is_a_service(services, queries):
    known = {s["id"] for s in services}
    for query in queries:
        assert set(query["expected"]) <= known, query["id"]


def test_cross_language_answers_are_only_in_the_other_language(services, queries):
    by_id = {s["id"]: s for s in services}
    cross = [q for q in queries if q["kind"] == "cross_language"]
    assert {q["language"] for q in cross} == {"fr", "en"}
    for query in cross:
        other = "en" if query["language"] == "fr" else "fr"
        for service_id in query["expected"]:
            assert _languages(by_id[service_id]) == {other}, (query["id"], service_id)


def test_no_query_is_a_service_name(services, queries):
    names = set().union(*(_names(s) for s in services))
    for query in queries:
        assert query["query"].strip().lower() not in names, query
