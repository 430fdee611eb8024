"""Outreach sync and emergency dashboard benchmark: how long a phone's queue takes to be
stored through /outreach/sync/ (50 contacts a request, as the page sends them), and the
same queue replayed (every contact found again, nothing written); how long an emergency's
dashboard and its page take with many people registered.

    .venv/bin/python bench/outreach.py [--contacts 1000] [--people 1000]
                                       [--engines sqlite,postgresql]

Per engine, a child process migrates a fresh database (bench/results/outreach.sqlite3, the
PostgreSQL database `proxima_outreach_bench`, both recreated), makes a region, a mobile
outreach worker and an active emergency, then times the requests through Django's test
client (the whole stack but the network). Ends with one line of JSON.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/proxima_outreach_bench"
BATCH = 50


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proxima.settings")
    import django

    django.setup()


def _world():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from proxima.core.models import Region, User
    from proxima.core.roles import Role
    from proxima.emergency import services as emergency
    from proxima.emergency.services import EventInput
    from proxima.teams.services import ensure_standard_teams, join, standard_team

    region = Region.objects.create(code="03", name="Capitale-Nationale")
    ensure_standard_teams(region)
    team = standard_team(region, "mobile_outreach")
    worker = User.objects.create_user("bench-worker", role=Role.TEAM_LEAD, region=region)
    join(worker, team)
    TOTPDevice.objects.create(user=worker, name="bench", confirmed=True)
    from django.utils import timezone

    event = emergency.declare_event(
        EventInput(
            kind="flood",
            title="Crue",
            place="Rue des Saules",
            occurred_on=timezone.localdate(),
            lead=worker,
            team=team,
        ),
        by=worker,
    )
    return worker, emergency.activate_event(event, by=worker)


def _client(worker):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(worker)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=worker).persistent_id
    session.save()
    return client


def _queue(count: int, event) -> list[dict]:
    from django.utils import timezone

    now = timezone.now()
    return [
        {
            "id": str(uuid.uuid4()),
            "met_at": (now - timedelta(seconds=3 * (count - n))).isoformat(),
            "place": f"Parc {n % 40}",
            "people_count": str(1 + n % 3),
            "age_band": "25-64",
            "need_domains": ["food", "housing"][: 1 + n % 2],
            "help_given": ["listening", "material"],
            "orientation": "information",
            "note": "Rencontre au parc.",
            "event": str(event.pk) if n % 2 else "",
        }
        for n in range(count)
    ]


def _send(client, queue: list[dict]) -> tuple[list[float], list[str]]:
    timings, statuses = [], []
    for start in range(0, len(queue), BATCH):
        body = json.dumps({"contacts": queue[start : start + BATCH]})
        began = time.perf_counter()
        answer = client.post("/outreach/sync/", body, content_type="application/json")
        timings.append((time.perf_counter() - began) * 1000)
        assert answer.status_code == 200, answer.content[:300]
        statuses += [result["status"] for result in answer.json()["results"]]
    return timings, statuses


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "max_ms": round(ordered[-1], 1),
        "per_contact_ms": round(sum(ordered) / (len(ordered) * BATCH), 2),
    }


def run_engine(database_url: str, contacts: int, people: int) -> dict:
    _setup_django(database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from proxima.emergency import services as emergency
    from proxima.emergency.services import AffectedInput
    from proxima.outreach.models import OutreachContact

    worker, event = _world()
    client = _client(worker)
    queue = _queue(contacts, event)
    stored, statuses = _send(client, queue)
    assert statuses.count("stored") == contacts, statuses[:5]
    replayed, statuses = _send(client, queue)
    assert statuses.count("duplicate") == contacts and OutreachContact.objects.count() == contacts
    for n in range(people):
        emergency.register_affected_person(
            event,
            AffectedInput(
                given_name=f"Personne {n}",
                need_domains=["housing"],
                first_aid_given=bool(n % 2),
                household_label=f"{n // 3} rue des Saules" if n % 3 == 0 else "",
            ),
            by=worker,
        )
    timings = []
    for _ in range(5):
        began = time.perf_counter()
        figures = emergency.dashboard(event)
        timings.append((time.perf_counter() - began) * 1000)
    assert figures.registered == people and figures.outreach_contacts == contacts // 2
    page = []
    for _ in range(3):
        began = time.perf_counter()
        answer = client.get(f"/emergency/{event.pk}/")
        page.append((time.perf_counter() - began) * 1000)
        assert answer.status_code == 200
    return {
        "sync": _ms(stored),
        "replay": _ms(replayed),
        "dashboard_ms": round(min(timings), 1),
        "event_page_ms": round(min(page), 1),
    }


def _child(args) -> None:
    result = run_engine(args.database_url, args.contacts, args.people)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = {}
    for engine in args.engines.split(","):
        if engine == "sqlite":
            path = RESULTS / "outreach.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            url = f"sqlite:///{path}"
        else:
            url = os.environ.get("PROXIMA_BENCH_PG_URL", DEFAULT_PG_URL)
            name = url.rsplit("/", 1)[1]
            subprocess.run(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-qc",
                    f"DROP DATABASE IF EXISTS {name}",
                ],
                check=False,
            )
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"],
                check=True,
            )
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--database-url",
                url,
                "--contacts",
                str(args.contacts),
                "--people",
                str(args.people),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if child.returncode:
            print(child.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"{engine}: the benchmark failed")
        result = json.loads(child.stdout.strip().splitlines()[-1])
        summary[engine] = result
        sync, replay = result["sync"], result["replay"]
        print(
            f"{engine}: {args.contacts} contacts synced, {BATCH} a request: median "
            f"{sync['median_ms']} ms a request ({sync['per_contact_ms']} ms a contact), "
            f"max {sync['max_ms']} ms"
        )
        print(
            f"{engine}: the same queue replayed (all found again): median "
            f"{replay['median_ms']} ms a request, max {replay['max_ms']} ms"
        )
        print(
            f"{engine}: emergency of {args.people} people: dashboard {result['dashboard_ms']} ms, "
            f"event page {result['event_page_ms']} ms"
        )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
