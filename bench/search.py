"""Directory search benchmark: the search service against a naive Django ORM baseline.

    .venv/bin/python bench/search.py [--services 100000] [--queries 1000]
                                     [--engines sqlite,postgresql] [--baseline-queries 120]

Per engine, a child process fills its own database with `--services` synthetic services
(reused when already there: bench/results/bench.sqlite3 and the PostgreSQL database
`proxima_bench`), then times the same fixed mix of queries (text in French and English,
everyday need words, taxonomy, distance, open now, combined) through
`search_services`, and through the baseline (`icontains` over name and description,
distance and opening hours computed in Python) on a balanced prefix of the same queries
(the baseline takes seconds per query at 100,000 services; the speedup compares the
same queries). Ends with one line of JSON.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/proxima_bench"
PAGE_SIZE = 20

FRENCH_TEXTS = [
    "banque alimentaire",
    "dépannage alimentaire",
    "logement",
    "aide aux devoirs",
    "on n'a plus rien dans le frigo",
    "soutien psychologique",
    "violence conjugale",
    "ligne d'écoute",
    "francisation",
    "aide juridique",
    "impôts gratuits",
    "halte-garderie",
    "cuisine collective",
    "emploi jeunes",
    "transport accompagnement",
    "maltraitance aînés",
    "toxicomanie",
    "musique enfants",
    "soccer",
    "parents d'ados",
]
ENGLISH_TEXTS = [
    "food bank",
    "housing help",
    "my son has nothing to do after school",
    "legal aid",
    "crisis line",
    "suicide prevention",
    "newcomers",
    "job search",
    "parenting support",
    "elder abuse",
    "addiction",
    "art classes",
    "free tax clinic",
    "lonely senior",
    "rent",
]
QUERY_KINDS = ["text_fr", "text_en", "taxonomy", "distance", "open_now", "combined"]


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49], 2),
        "p95_ms": round(cuts[94], 2),
        "p99_ms": round(cuts[98], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
        "max_ms": round(ordered[-1], 2),
    }


# --- child process: one engine -----------------------------------------------------------


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proxima.settings")
    import django

    django.setup()


def _fill(services: int) -> float:
    from django.core.management import call_command

    from proxima.directory.models import Service
    from proxima.directory.services.synthetic import generate_synthetic_services

    call_command("migrate", verbosity=0, interactive=False)
    if Service.objects.count() >= services:
        return 0.0
    started = time.perf_counter()
    generate_synthetic_services(
        services,
        on_progress=lambda n: print(f"  … {n} services written", file=sys.stderr, flush=True),
    )
    return time.perf_counter() - started


def _analyze() -> None:
    """Planner statistics; on PostgreSQL also VACUUM, which a freshly filled database
    needs for index-only scans (the visibility map) and autovacuum would do in service."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def build_queries(count: int, seed: int = 7) -> list[tuple[str, dict]]:
    """The fixed query mix, as (kind, SearchQuery keyword arguments); same seed, same mix."""
    from proxima.directory.models import TaxonomyTerm
    from proxima.directory.services.synthetic import synthetic_places
    from proxima.directory.services.taxonomy import need_domain_term_id

    rng = random.Random(seed)
    term_ids = sorted(
        TaxonomyTerm.objects.filter(id__in=_need_domain_ids(need_domain_term_id)).values_list(
            "id", flat=True
        )
    )
    postal_codes = [place[4] for place in synthetic_places()]
    monday = datetime(2026, 11, 23, 0, 0)
    queries = []
    for index in range(count):
        kind = QUERY_KINDS[index % len(QUERY_KINDS)]
        moment = monday + timedelta(days=rng.randrange(7), minutes=30 * rng.randrange(48))
        if kind == "text_fr":
            arguments = {"text": rng.choice(FRENCH_TEXTS)}
        elif kind == "text_en":
            arguments = {"text": rng.choice(ENGLISH_TEXTS)}
        elif kind == "taxonomy":
            arguments = {"taxonomy_term_ids": [rng.choice(term_ids)]}
        elif kind == "distance":
            arguments = {
                "postal_code": rng.choice(postal_codes),
                "max_km": rng.choice([2.0, 5.0, 10.0, 25.0]),
                "include_remote": False,
            }
        elif kind == "open_now":
            arguments = {"open_at": moment}
        else:
            arguments = {
                "text": rng.choice(FRENCH_TEXTS + ENGLISH_TEXTS),
                "postal_code": rng.choice(postal_codes),
                "max_km": rng.choice([5.0, 10.0, 25.0]),
                "open_at": moment if rng.random() < 0.5 else None,
                "languages": rng.choice([[], ["fr"], ["en"]]),
                "age": rng.choice([None, 8.0, 15.0, 35.0, 70.0]),
            }
        queries.append((kind, arguments))
    return queries


def _need_domain_ids(need_domain_term_id) -> list[str]:
    import json as json_module

    from proxima.directory.services.taxonomy import NEED_DOMAINS_FILE

    data = json_module.loads(NEED_DOMAINS_FILE.read_text(encoding="utf-8"))
    codes = []

    def walk(domains):
        for domain in domains:
            codes.append(domain["code"])
            walk(domain.get("children", []))

    walk(data["domains"] if isinstance(data, dict) else data)
    return [need_domain_term_id(code) for code in codes]


def _time_search(queries) -> list[float]:
    from proxima.directory.services.search import SearchQuery, search_services

    timings = []
    for _kind, arguments in queries:
        query = SearchQuery(per_page=PAGE_SIZE, **arguments)
        started = time.perf_counter()
        results = search_services(query, now=query.open_at)
        [hit.service.name for hit in results.hits]
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def naive_search(arguments: dict) -> list:
    """What a first version would do: icontains, then distance and hours in Python."""
    from django.db.models import Q

    from proxima.directory.models import Attribute, Service
    from proxima.directory.services import geo, hours

    services = Service.objects.filter(status="active")
    words = [w for w in arguments.get("text", "").replace("'", " ").split() if len(w) > 2]
    if words:
        condition = Q()
        for word in words:
            condition |= Q(name__icontains=word) | Q(description__icontains=word)
        services = services.filter(condition)
    if arguments.get("taxonomy_term_ids"):
        linked = Attribute.objects.filter(
            taxonomy_term_id__in=arguments["taxonomy_term_ids"]
        ).values("link_id")
        services = services.filter(id__in=linked)
    if arguments.get("languages"):
        services = services.filter(languages__code__in=arguments["languages"]).distinct()
    age = arguments.get("age")
    if age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=age),
        )
    point = (
        geo.postal_code_point(arguments["postal_code"]) if arguments.get("postal_code") else None
    )
    moment = arguments.get("open_at")
    if point is None and moment is None:
        return list(services.order_by("name")[:PAGE_SIZE])
    services = services.prefetch_related("schedules", "service_at_locations__location")
    kept = []
    for service in services.iterator(chunk_size=500):
        if moment is not None:
            intervals = [i for s in service.schedules.all() for i in hours.schedule_intervals(s)]
            if not hours.is_open_at(intervals, moment):
                continue
        distance = None
        if point is not None:
            distances = [
                geo.distance_km(point.latitude, point.longitude, loc.latitude, loc.longitude)
                for loc in (sal.location for sal in service.service_at_locations.all())
                if loc is not None and loc.has_valid_point
            ]
            if not distances or min(distances) > arguments["max_km"]:
                continue
            distance = min(distances)
        kept.append((distance if distance is not None else 0, service.name, service))
    kept.sort(key=lambda row: (row[0], row[1]))
    return [service for _d, _n, service in kept[:PAGE_SIZE]]


def _time_baseline(queries) -> list[float]:
    timings = []
    for _kind, arguments in queries:
        started = time.perf_counter()
        [service.name for service in naive_search(arguments)]
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def run_engine(
    engine: str, database_url: str, services: int, count: int, baseline_count: int
) -> dict:
    _setup_django(database_url)
    from django.db import connection

    from proxima.directory.models import Service

    fill_seconds = _fill(services)
    _analyze()
    queries = build_queries(count)
    _time_search(queries[:50])  # warm the caches (vocabulary, taxonomy graph, database pages)
    timings = _time_search(queries)
    by_kind = {
        kind: percentiles([t for (k, _a), t in zip(queries, timings, strict=True) if k == kind])
        for kind in QUERY_KINDS
    }
    result = {
        "engine": engine,
        "vendor": connection.vendor,
        "services_in_database": Service.objects.count(),
        "fill_seconds": round(fill_seconds, 1),
        "search": percentiles(timings),
        "search_by_kind": by_kind,
    }
    if baseline_count:
        sample = queries[:baseline_count]  # the mix rotates kinds, so any prefix is balanced
        result["baseline"] = percentiles(_time_baseline(sample))
        result["baseline_queries"] = len(sample)
        result["search_on_baseline_queries"] = percentiles(
            [t for t, _q in zip(timings, sample, strict=False)]
        )
    return result


# --- parent process ----------------------------------------------------------------------


def _ensure_postgres_database(url: str) -> None:
    import psycopg

    database = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{database}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG_URL))
    parser.add_argument(
        "--baseline-queries",
        type=int,
        default=120,
        help="how many of the queries (a balanced prefix of the mix) the naive baseline runs; "
        "it takes seconds per query at 100,000 services (0 skips it)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.worker:
        result = run_engine(
            options.worker,
            options.database_url,
            options.services,
            options.queries,
            min(options.baseline_queries, options.queries),
        )
        print(json.dumps(result))
        return

    RESULTS.mkdir(parents=True, exist_ok=True)
    summary: dict = {"services": options.services, "queries": options.queries}
    for engine in [e.strip() for e in options.engines.split(",") if e.strip()]:
        if engine == "sqlite":
            url = f"sqlite:///{RESULTS / f'bench-{options.services}.sqlite3'}"
        elif engine == "postgresql":
            url = options.pg_url
            _ensure_postgres_database(url)
        else:
            parser.error(f"unknown engine {engine!r} (sqlite, postgresql)")
        print(f"== {engine}: {options.services} services, {options.queries} queries", flush=True)
        command = [
            sys.executable,
            __file__,
            "--worker",
            engine,
            "--database-url",
            url,
            "--services",
            str(options.services),
            "--queries",
            str(options.queries),
        ]
        command += ["--baseline-queries", str(options.baseline_queries)]
        output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        result = json.loads(output.stdout.strip().splitlines()[-1])
        summary[engine] = result["search"]
        summary[f"{engine}_by_kind"] = result["search_by_kind"]
        summary[f"{engine}_fill_seconds"] = result["fill_seconds"]
        line = "  search    " + "  ".join(f"{k}={v}" for k, v in result["search"].items())
        print(line)
        for kind, figures in result["search_by_kind"].items():
            print(f"    {kind:<9} p50={figures['p50_ms']} p95={figures['p95_ms']}")
        if "baseline" in result:
            summary[f"baseline_{engine}"] = result["baseline"]
            summary["baseline_queries"] = result["baseline_queries"]
            same = result["search_on_baseline_queries"]
            ratio = result["baseline"]["p95_ms"] / max(same["p95_ms"], 0.001)
            summary[f"speedup_p95_{engine}"] = round(ratio, 1)
            print("  baseline  " + "  ".join(f"{k}={v}" for k, v in result["baseline"].items()))
            print(
                f"  speedup at p95 on the same {result['baseline_queries']} queries: {ratio:.1f}x"
                f" (search p95 on them: {same['p95_ms']} ms)"
            )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
