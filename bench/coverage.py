"""Coverage benchmark: the whole coverage table of a region, and territories assigned to
many locations at once.

    .venv/bin/python bench/coverage.py [--services 5000] [--territories 200]
                                       [--referrals 100000] [--points 100000]
                                       [--engines sqlite,postgresql]

Per engine, a child process fills its own database (bench/results/coverage.sqlite3, the
PostgreSQL database `proxima_bench_coverage`; rebuilt each run) with a region of
`--territories` neighbourhoods (a grid), `--services` services located in them (each
serving one or two need domains, with hours, languages and capacity), and `--referrals`
referrals to them; then times `coverage_table` (every neighbourhood × every need domain,
services within 2 km counted) and `assign_points` on `--points` random locations. Ends
with one line of JSON: {"sqlite": {"coverage_s": .., "assign_s": ..}, "postgresql": {...}}.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from audit import _fresh_postgres_database  # bench/ is on the path of its own scripts

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/proxima_bench_coverage"
WEST, SOUTH, CELL = -71.60, 46.60, 0.02  # the grid's corner and cell size (degrees)


def _fill(services: int, territories: int, referrals: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone
    from shapely.geometry import box

    from proxima.core.models import Region, User
    from proxima.directory import models as m
    from proxima.directory.services.taxonomy import load_need_domains, need_domain_term_id
    from proxima.referrals.models import Referral
    from proxima.territories.services import save_territory

    call_command("migrate", verbosity=0, interactive=False)
    load_need_domains()
    rng = random.Random(11)
    columns = 20
    rows = max(1, territories // columns)
    region_box = box(WEST, SOUTH, WEST + columns * CELL, SOUTH + rows * CELL)
    region, _ = save_territory("region", "BENCH", "Région du banc d'essai", region_box)
    for i in range(columns):
        for j in range(rows):
            west, south = WEST + i * CELL, SOUTH + j * CELL
            save_territory(
                "neighbourhood",
                f"N{i:02d}{j:02d}",
                f"Quartier {i}-{j}",
                box(west, south, west + CELL, south + CELL),
                parent=region,
            )
    domains = ["food", "housing", "youth", "mental_health", "employment", "isolation", "legal"]
    organization = m.Organization.objects.create(id="bench-org", name="Organisme")
    capacity = ["open", "open", "open", "waitlist", "full"]
    new_services, places, links, needs, languages = [], [], [], [], []
    for n in range(services):
        sid = f"bench-s{n}"
        new_services.append(
            m.Service(
                id=sid,
                organization=organization,
                name=f"Service {n}",
                capacity_status=rng.choice(capacity),
                is_free=rng.random() < 0.6,
                delivers_online=rng.random() < 0.1,
            )
        )
        lat = SOUTH + rng.random() * rows * CELL
        lon = WEST + rng.random() * columns * CELL
        places.append(m.Location(id=f"bench-l{n}", name="", latitude=lat, longitude=lon))
        links.append(
            m.ServiceAtLocation(id=f"bench-sal{n}", service_id=sid, location_id=f"bench-l{n}")
        )
        for domain in rng.sample(domains, rng.choice([1, 2])):
            needs.append(
                m.ServiceNeed(service_id=sid, need_id=need_domain_term_id(domain), source="term")
            )
        languages.append(
            m.Language(id=f"bench-lang{n}", service_id=sid, code=rng.choice(["fr", "fr", "en"]))
        )
    m.Service.objects.bulk_create(new_services, batch_size=2000)
    m.Location.objects.bulk_create(places, batch_size=2000)
    m.ServiceAtLocation.objects.bulk_create(links, batch_size=2000)
    m.ServiceNeed.objects.bulk_create(needs, batch_size=2000)
    m.Language.objects.bulk_create(languages, batch_size=2000)
    m.SearchDocument.objects.bulk_create(
        [
            m.SearchDocument(
                service_id=f"bench-s{n}",
                sort_name=f"service {n}",
                open_mon=rng.choice([0, (1 << 34) - (1 << 18), (1 << 40) - (1 << 34)]),
                open_sat=rng.choice([0, 0, (1 << 34) - (1 << 20)]),
            )
            for n in range(services)
        ],
        batch_size=2000,
    )
    core_region = Region.objects.get(code="BENCH")
    worker = User.objects.create(username="bench-worker", region=core_region, role="worker_811")
    now = timezone.now()
    batch = []
    for _ in range(referrals):
        sent = now - timedelta(days=rng.randrange(300), hours=rng.randrange(24))
        answered = rng.random() < 0.7
        batch.append(
            Referral(
                region=core_region,
                need_domain=rng.choice(domains),
                request_text="",
                priority="72h",
                requester=worker,
                service_id=f"bench-s{rng.randrange(services)}",
                target_organization=organization,
                anonymous=True,
                status="accepted" if answered else "requested",
                requested_at=sent,
                responded_at=sent + timedelta(hours=rng.randrange(1, 200)) if answered else None,
            )
        )
        if len(batch) == 5000:
            Referral.objects.bulk_create(batch)
            batch = []
    Referral.objects.bulk_create(batch)


def run_engine(engine: str, url: str, options) -> dict:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proxima.settings")
    import django

    django.setup()
    from proxima.coverage.services import coverage_table
    from proxima.territories.services import assign_points

    started = time.perf_counter()
    _fill(options.services, options.territories, options.referrals)
    fill_s = time.perf_counter() - started
    coverage_table(level="neighbourhood", reach_km=2, region_code="BENCH")  # warm
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        cells = coverage_table(level="neighbourhood", reach_km=2, region_code="BENCH")
        timings.append(time.perf_counter() - started)
    rng = random.Random(5)
    points = [
        (SOUTH + rng.random() * 0.2, WEST + rng.random() * 0.4) for _ in range(options.points)
    ]
    started = time.perf_counter()
    assigned = assign_points(points, level="neighbourhood")
    assign_s = time.perf_counter() - started
    flagged = sum(1 for c in cells if c.gaps or c.duplication)
    print(
        f"  {engine}: filled in {fill_s:.1f} s; coverage table ({len(cells)} cells, "
        f"{flagged} flagged) best {min(timings):.2f} s, worst {max(timings):.2f} s; "
        f"{options.points} points assigned in {assign_s:.2f} s "
        f"({sum(a is not None for a in assigned)} inside)",
        file=sys.stderr,
        flush=True,
    )
    return {
        "coverage_s": round(max(timings), 3),
        "assign_s": round(assign_s, 3),
        "cells": len(cells),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--territories", type=int, default=200)
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_COVERAGE_URL", DEFAULT_PG_URL))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        print(json.dumps(run_engine(options.worker, options.database_url, options)))
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = {}
    for engine in [e.strip() for e in options.engines.split(",") if e.strip()]:
        if engine == "sqlite":
            path = RESULTS / "coverage.sqlite3"
            for leftover in RESULTS.glob("coverage.sqlite3*"):
                leftover.unlink()
            url = f"sqlite:///{path}"
        elif engine == "postgresql":
            url = options.pg_url
            _fresh_postgres_database(url)
        else:
            parser.error(f"unknown engine {engine!r} (sqlite, postgresql)")
        command = [
            sys.executable,
            __file__,
            "--worker",
            engine,
            "--database-url",
            url,
            "--services",
            str(options.services),
            "--territories",
            str(options.territories),
            "--referrals",
            str(options.referrals),
            "--points",
            str(options.points),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        sys.stderr.write(done.stderr)
        if done.returncode != 0:
            raise SystemExit(f"{engine} failed")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        summary[engine] = {"coverage_s": result["coverage_s"], "assign_s": result["assign_s"]}
        print(
            f"== {engine}: coverage table {result['coverage_s']} s "
            f"({result['cells']} cells; target ≤ 2 s), "
            f"{options.points} points assigned in {result['assign_s']} s (target ≤ 10 s)"
        )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
