"""Search relevance: does the public search API put a right service in the first five?

    .venv/bin/python bench/relevance.py [--engines sqlite,postgresql]
                                        [--directory bench/relevance/directory.json]
                                        [--queries bench/relevance/queries.json]
                                        [--show-misses]

Per engine, a child process builds a fresh database (a temporary SQLite file, or the
PostgreSQL database `proxima_relevance`, created and dropped around the run; the
development database and the test suite's are never touched), migrates, loads
Proxima's own taxonomy as `proxima load-taxonomy` does at set-up (not the demo
services), imports the directory with the ordinary HSDS import, then asks
`GET /api/hsds/services?search=<query>&per_page=5` for every query, as any API caller
would, and reads the ids returned in order.

Prints recall@5 (share of queries with a right answer in the top five) and MRR (mean
of 1/rank of the first right answer, 0 when none is in the top five), overall, per kind
and per language; the crisis-banner rate (`proxima_crisis` present) on crisis queries
and its rate on the other queries; the misses (with --show-misses); and ends with one
line of JSON. The directory and queries are bench/relevance/ (see its README); any set
in the same format can be scored with --directory and --queries.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "bench" / "relevance"
DEFAULT_PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "proxima_relevance"
TOP = 5
API_URL = "/api/hsds/services"


# --- child process: one engine -----------------------------------------------------------


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    # A key for this run only: settings would otherwise write one into the working directory.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proxima.settings")
    import django

    django.setup()


def _build(directory: Path) -> int:
    from django.core.management import call_command

    from proxima.directory.models import Service
    from proxima.directory.services.hsds_import import import_hsds
    from proxima.directory.services.indexing import reindex_services
    from proxima.directory.services.taxonomy import load_need_domains

    call_command("migrate", verbosity=0, interactive=False)
    load_need_domains()  # what `proxima load-taxonomy` does
    reindex_services()
    import_hsds(directory)
    return Service.objects.count()


def run_engine(database_url: str, directory: Path, queries_path: Path) -> dict:
    _setup_django(database_url)
    from django.db import connection
    from django.test import Client

    from proxima.directory.models import Service

    services = _build(directory)
    queries = json.loads(queries_path.read_text(encoding="utf-8"))
    client = Client()
    answers = []
    for query in queries:
        response = client.get(API_URL, {"search": query["query"], "per_page": TOP})
        if response.status_code != 200:
            raise SystemExit(
                f"{query['id']}: {API_URL} answered {response.status_code}: "
                f"{response.content[:300]!r}"
            )
        page = response.json()
        answers.append(
            {
                "id": query["id"],
                "returned": [item["id"] for item in page["contents"]],
                "total": page["total_items"],
                "crisis": page.get("proxima_crisis") is not None,
            }
        )
    names = dict(Service.objects.values_list("id", "name"))
    return {
        "vendor": connection.vendor,
        "services": services,
        "answers": answers,
        "names": names,
    }


# --- scoring -----------------------------------------------------------------------------


def first_right_rank(expected: list[str], returned: list[str]) -> int | None:
    right = set(expected)
    for rank, service_id in enumerate(returned[:TOP], start=1):
        if service_id in right:
            return rank
    return None


def figures(ranks: list[int | None]) -> dict:
    count = len(ranks)
    if not count:
        return {"recall_at_5": None, "mrr": None, "queries": 0}
    found = [r for r in ranks if r is not None]
    return {
        "recall_at_5": round(len(found) / count, 3),
        "mrr": round(sum(1 / r for r in found) / count, 3),
        "queries": count,
    }


def score(queries: list[dict], result: dict) -> dict:
    by_id = {answer["id"]: answer for answer in result["answers"]}
    ranks, per_kind, per_language = [], defaultdict(list), defaultdict(list)
    misses = []
    crisis_flags, other_flags = [], []
    for query in queries:
        answer = by_id[query["id"]]
        rank = first_right_rank(query["expected"], answer["returned"])
        ranks.append(rank)
        per_kind[query["kind"]].append(rank)
        per_language[query["language"]].append(rank)
        (crisis_flags if query["kind"] == "crisis" else other_flags).append(answer["crisis"])
        if rank is None:
            misses.append({"query": query, "answer": answer})
    summary = figures(ranks)
    summary["services"] = result["services"]
    summary["by_kind"] = {kind: figures(r) for kind, r in sorted(per_kind.items())}
    summary["by_language"] = {lang: figures(r) for lang, r in sorted(per_language.items())}
    summary["crisis_banner_rate"] = (
        round(sum(crisis_flags) / len(crisis_flags), 3) if crisis_flags else None
    )
    summary["banner_on_other_queries"] = (
        round(sum(other_flags) / len(other_flags), 3) if other_flags else None
    )
    summary["misses"] = len(misses)
    return {"summary": summary, "misses": misses}


def _line(label: str, figures_: dict) -> str:
    return (
        f"  {label:<18} recall@5 {figures_['recall_at_5']:.3f}   MRR {figures_['mrr']:.3f}"
        f"   ({figures_['queries']} queries)"
    )


def report(engine: str, queries: list[dict], result: dict, show_misses: bool) -> dict:
    scored = score(queries, result)
    summary = scored["summary"]
    names = result["names"]
    flags = {answer["id"]: answer["crisis"] for answer in result["answers"]}
    print(f"== {engine} ({result['vendor']}): {summary['services']} services")
    print(_line("all", summary))
    for kind, kind_figures in summary["by_kind"].items():
        print(_line(f"kind {kind}", kind_figures))
    for language, language_figures in summary["by_language"].items():
        print(_line(f"language {language}", language_figures))
    if summary["crisis_banner_rate"] is not None:
        print(f"  crisis banner on crisis queries: {summary['crisis_banner_rate']:.3f}")
    if summary["banner_on_other_queries"] is not None:
        print(f"  crisis banner on other queries:  {summary['banner_on_other_queries']:.3f}")
    print(f"  misses: {summary['misses']}")
    if show_misses:
        for miss in scored["misses"]:
            query, answer = miss["query"], miss["answer"]
            print(f"  - {query['id']} [{query['kind']}/{query['language']}] {query['query']!r}")
            expected = "; ".join(names.get(i, i) for i in query["expected"])
            print(f"      expected: {expected}")
            returned = "; ".join(names.get(i, i) for i in answer["returned"]) or "(nothing)"
            print(f"      returned: {returned}  [{answer['total']} found]")
        unflagged = [q for q in queries if q["kind"] == "crisis" and not flags[q["id"]]]
        if unflagged:
            print("  crisis queries without the crisis banner:")
        for query in unflagged:
            print(f"  - {query['id']} [{query['language']}] {query['query']!r}")
    return summary


# --- parent process ----------------------------------------------------------------------


def _postgres(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def _run_child(engine: str, url: str, options) -> dict:
    command = [
        sys.executable,
        __file__,
        "--worker",
        engine,
        "--database-url",
        url,
        "--directory",
        str(options.directory),
        "--queries",
        str(options.queries),
    ]
    output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="sqlite")
    parser.add_argument("--directory", type=Path, default=SET / "directory.json")
    parser.add_argument("--queries", type=Path, default=SET / "queries.json")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument(
        "--pg-server",
        default=os.environ.get("RELEVANCE_PG_SERVER", DEFAULT_PG_SERVER),
        help=f"PostgreSQL server URL without a database; `{PG_DATABASE}` is created there",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    options = parser.parse_args()
    options.directory = options.directory.resolve()
    options.queries = options.queries.resolve()

    if options.worker:
        print(json.dumps(run_engine(options.database_url, options.directory, options.queries)))
        return

    queries = json.loads(options.queries.read_text(encoding="utf-8"))
    print(f"{len(queries)} queries from {options.queries}; directory {options.directory}")
    final: dict = {}
    for engine in [e.strip() for e in options.engines.split(",") if e.strip()]:
        if engine == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="proxima-relevance-"))
            try:
                result = _run_child(engine, f"sqlite:///{folder / 'relevance.sqlite3'}", options)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        elif engine == "postgresql":
            server = options.pg_server.rstrip("/")
            _postgres(server, f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
            _postgres(server, f'CREATE DATABASE "{PG_DATABASE}"')
            try:
                result = _run_child(engine, f"{server}/{PG_DATABASE}", options)
            finally:
                _postgres(server, f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        else:
            parser.error(f"unknown engine {engine!r} (sqlite, postgresql)")
        summary = report(engine, queries, result, options.show_misses)
        final[engine] = {
            key: summary[key]
            for key in (
                "recall_at_5",
                "mrr",
                "queries",
                "services",
                "by_kind",
                "by_language",
                "crisis_banner_rate",
                "banner_on_other_queries",
            )
        }
    print(json.dumps(final))


if __name__ == "__main__":
    main()
