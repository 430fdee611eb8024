"""Matching benchmark: `match()` (two needs, barriers) on the search benchmark's databases.

    .venv/bin/python bench/matching.py [--cases 300] [--engines sqlite,postgresql]

Run bench/search.py first (it fills the databases with --services synthetic services);
prints p50/p95/p99 per engine and ends with one line of JSON.
"""

import argparse
import json
import random
import subprocess
import sys
import time

from search import DEFAULT_PG_URL, RESULTS, ROOT, _setup_django, percentiles


def build_cases(count: int, seed: int = 11) -> list[dict]:
    from proxima.directory.services.synthetic import synthetic_places
    from proxima.matching.services import BARRIERS, DIRECTORY_DOMAINS

    rng = random.Random(seed)
    postal_codes = [place[4] for place in synthetic_places()]
    domains = sorted(DIRECTORY_DOMAINS)
    cases = []
    for _ in range(count):
        cases.append(
            {
                "needs": {d: {"severity": rng.randint(1, 3)} for d in rng.sample(domains, 2)},
                "postal_code": rng.choice(postal_codes),
                "age": rng.choice([None, 9.0, 16.0, 35.0, 72.0]),
                "barriers": frozenset(rng.sample(BARRIERS, rng.randint(0, 2))),
                "language": rng.choice(["", "", "fr", "en"]),
            }
        )
    return cases


def run(database_url: str, count: int) -> dict:
    _setup_django(database_url)
    from proxima.directory.models import Service
    from proxima.matching.services import MatchConstraints, match

    if Service.objects.count() < 1000:
        sys.exit("Run bench/search.py first: the database holds no synthetic directory.")
    cases = build_cases(count)
    timings = []
    for index, case in enumerate(cases):
        constraints = MatchConstraints(
            postal_code=case["postal_code"],
            age=case["age"],
            barriers=case["barriers"],
            language=case["language"],
        )
        started = time.perf_counter()
        match(case["needs"], None, constraints)
        if index >= 20:  # the first ones warm the caches
            timings.append((time.perf_counter() - started) * 1000)
    return {"services": Service.objects.count(), "cases": len(timings), **percentiles(timings)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        print(json.dumps(run(options.worker, options.cases)))
        return
    summary = {"cases": options.cases}
    for engine in [e.strip() for e in options.engines.split(",") if e.strip()]:
        url = (
            f"sqlite:///{RESULTS / f'bench-{options.services}.sqlite3'}"
            if engine == "sqlite"
            else options.pg_url
        )
        command = [sys.executable, __file__, "--worker", url, "--cases", str(options.cases)]
        output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        result = json.loads(output.stdout.strip().splitlines()[-1])
        summary[engine] = result
        print(
            f"== {engine}: match() with 2 needs over {result['services']} services: "
            + "  ".join(f"{k}={v}" for k, v in result.items() if k.endswith("_ms"))
        )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
