"""Audit log benchmark: the cost of one append (`record_audit_event`), alone and with
concurrent writers, and the time `verify-audit` takes over a long chain.

    .venv/bin/python bench/audit.py [--appends 3000] [--writers 4] [--entries 100000]
                                    [--engines sqlite,postgresql]

Per engine, a child process migrates a fresh database (bench/results/audit.sqlite3, the
PostgreSQL database `proxima_audit_bench`, both recreated), then times `--appends` appends
one by one in autocommit, as a read of a person's record does (each is its own
transaction); then `--writers` processes append at once and the chain is checked for
forks; then the log is filled to `--entries` chained entries and the whole chain is
verified (`--writers 0` and `--entries 0` skip those parts). Ends with one line of JSON.
Run it against an older checkout (PYTHONPATH=...) to compare: the parts that need the
chain are skipped there.
"""

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/proxima_audit_bench"


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proxima.settings")
    import django

    django.setup()


def _figures(samples_us: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(sorted(samples_us), n=100, method="inclusive")
    return {
        "mean_us": round(statistics.fmean(samples_us), 1),
        "p50_us": round(cuts[49], 1),
        "p99_us": round(cuts[98], 1),
    }


def _append_many(count: int, user_id: int) -> list[float]:
    from proxima.core.audit import record_audit_event
    from proxima.core.models import User

    user = User.objects.get(pk=user_id)
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        record_audit_event(
            user,
            "read_person",
            object_type="people.person",
            object_id=str(uuid.uuid4()),
            reason="person page",
        )
        samples.append((time.perf_counter() - started) * 1e6)
    return samples


def _writer(database_url: str, count: int, user_id: int, start) -> None:
    _setup_django(database_url)
    start.wait()
    _append_many(count, user_id)


def _concurrent(database_url: str, appends: int, writers: int, user_id: int) -> dict:
    """`writers` processes append at once: appends per second, all writers together."""
    from django.db import connection

    connection.close()
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(writers + 1)
    per_writer = max(appends // writers, 1)
    processes = [
        context.Process(target=_writer, args=(database_url, per_writer, user_id, start))
        for _ in range(writers)
    ]
    for process in processes:
        process.start()
    start.wait()
    started = time.perf_counter()
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    return {
        "writers": writers,
        "appends": per_writer * writers,
        "appends_per_s": round(per_writer * writers / elapsed),
    }


def _fill_chain(total: int) -> None:
    """Chained entries up to `total`, written in batches (much faster than one by one)."""
    from django.db import transaction
    from django.utils import timezone

    from proxima.core import audit_chain
    from proxima.core.models import AuditEvent

    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", "entry_hash").first()
    sequence, previous = head if head else (0, audit_chain.GENESIS_HASH)
    while sequence < total:
        batch = []
        for _ in range(min(5000, total - sequence)):
            sequence += 1
            event = AuditEvent(
                sequence=sequence,
                previous_hash=previous,
                at=timezone.now(),
                actor_role="worker_811",
                action="list_person",
                object_type="people.person",
                object_id=str(uuid.uuid4()),
                reason="person search",
                detail={"n": sequence},
            )
            event.entry_hash = previous = audit_chain.entry_hash(event)
            batch.append(event)
        with transaction.atomic():
            AuditEvent.objects.bulk_create(batch)


def run_engine(engine: str, database_url: str, appends: int, writers: int, entries: int) -> dict:
    _setup_django(database_url)
    from django.core.management import call_command

    from proxima.core.models import User
    from proxima.core.roles import Role

    call_command("migrate", verbosity=0, interactive=False)
    user = User.objects.create(username="bench", role=Role.WORKER_811)
    _append_many(50, user.pk)  # warm up
    result: dict = {"engine": engine, "appends": appends}
    result["append"] = _figures(_append_many(appends, user.pk))

    try:
        from proxima.core import audit_chain
    except ImportError:
        audit_chain = None
    if writers:
        result["concurrent"] = _concurrent(database_url, appends, writers, user.pk)
        if audit_chain is not None:
            report = audit_chain.verify_chain()
            result["concurrent"].update(chain_ok=report.ok, entries=report.entries)
    if audit_chain is None:
        return result
    if entries == 0:
        return result
    _fill_chain(entries)
    started = time.perf_counter()
    report = audit_chain.verify_chain()
    seconds = time.perf_counter() - started
    result["verify"] = {
        "entries": report.entries,
        "ok": report.ok,
        "seconds": round(seconds, 2),
        "entries_per_s": round(report.entries / seconds),
    }
    return result


def _fresh_postgres_database(url: str) -> None:
    import psycopg

    database = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appends", type=int, default=3000)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument(
        "--pg-url", default=os.environ.get("BENCH_AUDIT_DATABASE_URL", DEFAULT_PG_URL)
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.worker:
        result = run_engine(
            options.worker, options.database_url, options.appends, options.writers, options.entries
        )
        print(json.dumps(result))
        return

    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = {}
    for engine in [e.strip() for e in options.engines.split(",") if e.strip()]:
        if engine == "sqlite":
            path = RESULTS / "audit.sqlite3"
            for leftover in RESULTS.glob("audit.sqlite3*"):
                leftover.unlink()
            url = f"sqlite:///{path}"
        elif engine == "postgresql":
            url = options.pg_url
            _fresh_postgres_database(url)
        else:
            parser.error(f"unknown engine {engine!r} (sqlite, postgresql)")
        command = [sys.executable, __file__, "--worker", engine, "--database-url", url]
        for name in ("appends", "writers", "entries"):
            command += [f"--{name}", str(getattr(options, name))]
        output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
        result = json.loads(output.stdout.strip().splitlines()[-1])
        summary[engine] = result
        print(f"== {engine}")
        print("  one append   " + "  ".join(f"{k}={v}" for k, v in result["append"].items()))
        if "concurrent" in result:
            print(
                "  concurrent   " + "  ".join(f"{k}={v}" for k, v in result["concurrent"].items())
            )
        if "verify" in result:
            print("  verify-audit " + "  ".join(f"{k}={v}" for k, v in result["verify"].items()))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
