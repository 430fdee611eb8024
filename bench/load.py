"""Load benchmark: front-line workers against the production server on PostgreSQL.

    .venv/bin/python bench/load.py [--users 24] [--duration 60] [--servers gunicorn,runserver]
                                   [--workers N] [--threads N] [--database-url URL] [--fresh]

Fills its own PostgreSQL database (`proxima_load`, created when missing, reused after):
the demo territory (`proxima demo`), four regions of 500 people each, 2,000 referrals
accepted by the receiving team and shared among the bench accounts (CLSC workers, one per
simulated worker), each with a confirmed authenticator. Each run signs them in by writing
their sessions in the database (as a sign-in with password and one-time code would: the
user, the backend, the password hash, django-otp's verified device) with a CSRF token.

Then, per server (`proxima serve --production`: gunicorn; `runserver`: Django's development
server with the same production settings, DEBUG off), a second process (Locust as a
library, FastHttpUser, no think time, 127.0.0.1 only) runs `--users` workers for
`--warmup` + `--duration` seconds, measured after the warm-up:

    search page (`/?q=`)              25 %   everyday words, French and English
    HSDS search (`/api/hsds/services`) 25 %
    open a person                     15 %   GET /api/intake/people/{id} (audited)
    create a contact                  10 %   POST /api/intake/contacts (audited)
    update a referral                 15 %   POST /api/referrals/{id}/status, as the
                                             receiving team: in progress / on hold in turn,
                                             with the version last seen
    inbox                             10 %   GET /api/referrals?box=received

A request counts as an error unless it gets exactly its expected status (redirects are not
followed). Every acknowledged write is recorded by the load generator and looked for in
the database afterwards: the contacts by id, the status changes by their events and each
referral's version, and the audit lines of both. Prints requests/s and p50/p95/p99 overall
and per kind, for each server side by side, and ends with one line of JSON.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/proxima_load"
PYTHON = sys.executable

REGIONS = 4
PEOPLE = 2000
REFERRALS = 2000
ACCOUNT_PREFIX = "load-worker-"
TARGET = {"requests_per_second": 500, "p99_ms": 200}

KINDS = {
    # kind: (weight, method, expected status)
    "search page": (25, "GET", 200),
    "hsds search": (25, "GET", 200),
    "open person": (15, "GET", 200),
    "create contact": (10, "POST", 201),
    "update referral": (15, "POST", 200),
    "inbox": (10, "GET", 200),
}
SEARCHES = [
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
    "transport",
    "maltraitance aînés",
    "toxicomanie",
    "deuil",
    "parents d'ados",
    "food bank",
    "housing help",
    "my son has nothing to do after school",
    "legal aid",
    "crisis line",
    "newcomers",
    "job search",
    "parenting support",
    "lonely senior",
    "rent",
    "dentiste",
]
CONTACT_REASONS = [
    "Appel pour de l'aide alimentaire.",
    "Inquiète pour son fils adolescent.",
    "Cherche un logement abordable.",
    "Isolement depuis le décès de son conjoint.",
    "Demande d'information sur les ressources du quartier.",
]
# The receiving team's moves: accepted → in progress → on hold → in progress → ...
NEXT_STATUS = {"accepted": "in-progress", "in-progress": "on-hold", "on-hold": "in-progress"}


# --- The orchestrating process (Django) ----------------------------------------------------


def server_environment(database_url: str, secret_key: str) -> dict[str, str]:
    """What the servers, and this process, run with: production settings behind a proxy
    that terminates TLS (the load generator sends X-Forwarded-Proto: https)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_REPLICA_URL"}}
    env |= {
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PROXIMA_PRODUCTION": "1",
        "PROXIMA_BEHIND_PROXY": "1",
        "PROXIMA_STATIC_ROOT": str(RESULTS / "load-static"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "proxima.settings",
    }
    return env


def ensure_database(database_url: str, fresh: bool) -> bool:
    """Create the benchmark's database when missing (or anew with --fresh); True if new."""
    import psycopg
    from django.db.backends.postgresql.psycopg_any import sql

    name = database_url.rsplit("/", 1)[1].split("?")[0]
    maintenance = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and fresh:
            connection.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )
            exists = None
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return not exists


def fill(users: int) -> None:
    """Demo territory, bench regions, people, accounts with an authenticator, referrals."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from proxima.core.models import Region, User
    from proxima.core.roles import Role
    from proxima.people.models import InternalTeam, Person
    from proxima.people.services.records import name_key
    from proxima.referrals.models import Referral

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code="LOAD-1").exists():
        started = time.monotonic()
        call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"  demo territory loaded in {time.monotonic() - started:.0f} s", flush=True)
        rng = random.Random(8)
        with transaction.atomic():
            regions = [
                Region.objects.create(code=f"LOAD-{i + 1}", name=f"Région de charge {i + 1}")
                for i in range(REGIONS)
            ]
            given = ["Amina", "Jean", "Léa", "Karim", "Sophie", "Marc", "Chloé", "Nadia", "Luc"]
            family = ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Diallo", "Nguyen", "Ali"]
            people = []
            for i in range(PEOPLE):
                first, last = rng.choice(given), f"{rng.choice(family)}-{i}"
                people.append(
                    Person(
                        region=regions[i % REGIONS],
                        given_name=first,
                        family_name=last,
                        name_key=name_key(first, last),
                        birth_date=timezone.now().date() - timedelta(days=rng.randint(6000, 30000)),
                        postal_code="G1K 3A1",
                    )
                )
            Person.objects.bulk_create(people, batch_size=500)
        print(f"  {PEOPLE} people in {REGIONS} regions", flush=True)
    regions = list(Region.objects.filter(code__startswith="LOAD-").order_by("code"))
    teams = list(InternalTeam.values)
    accounts = list(User.objects.filter(username__startswith=ACCOUNT_PREFIX).order_by("pk"))
    for i in range(len(accounts), users):
        account = User.objects.create_user(
            f"{ACCOUNT_PREFIX}{i:03d}",
            password=secrets.token_urlsafe(24),
            role=Role.CLSC_WORKER,
            region=regions[i % REGIONS],
            team=teams[(i // REGIONS) % len(teams)],
        )
        TOTPDevice.objects.create(user=account, name="authenticator", confirmed=True)
        accounts.append(account)
    accounts = accounts[:users]
    # Each simulated worker owns a share of the referrals sent to its team (and no one
    # else changes them: a 409 in the run would be a real error).
    owned = Referral.objects.filter(external_id__startswith="load:").values_list(
        "external_id", flat=True
    )
    owners = {external_id.split(":")[1] for external_id in owned}
    missing = [a for a in accounts if a.username not in owners]
    if missing:
        rng = random.Random(len(owners))
        requester = User.objects.filter(role=Role.WORKER_811).order_by("pk").first()
        now = timezone.now()
        people_of = {
            r.pk: list(Person.objects.filter(region=r).values_list("pk", flat=True))
            for r in regions
        }
        share = max(REFERRALS // users, 1)
        rows = [
            Referral(
                region_id=account.region_id,
                person_id=rng.choice(people_of[account.region_id]),
                need_domain=rng.choice(["food", "housing", "mental_health", "isolation"]),
                request_text="Besoin d'un suivi psychosocial; rappeler en soirée.",
                priority="72h",
                requester=requester,
                requester_team="info_social",
                target_team=account.team,
                status="accepted",
                requested_at=now - timedelta(days=rng.randint(1, 60)),
                responded_at=now,
                first_appointment_at=now + timedelta(days=7),
                external_id=f"load:{account.username}:{n}",
            )
            for account in missing
            for n in range(share)
        ]
        Referral.objects.bulk_create(rows, batch_size=500)
        print(f"  {len(rows)} referrals for {len(missing)} accounts", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would, after a bulk fill


def sign_in(account) -> dict[str, str]:
    """A session as a completed sign-in leaves it (password and one-time code), and a
    CSRF token: the cookies and header a browser would send."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.middleware.csrf import CSRF_SESSION_KEY, _get_new_csrf_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    backends = settings.AUTHENTICATION_BACKENDS
    backend = next((b for b in backends if b.endswith("ModelBackend")), backends[-1])
    device = TOTPDevice.objects.get(user=account, confirmed=True)
    csrf = _get_new_csrf_string()
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(account.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = account.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session["last_activity"] = int(time.time())
    session[CSRF_SESSION_KEY] = csrf  # used only when CSRF_USE_SESSIONS
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    if not settings.CSRF_USE_SESSIONS:
        cookie += f"; {settings.CSRF_COOKIE_NAME}={csrf}"
    return {"Cookie": cookie, settings.CSRF_HEADER_NAME[5:].replace("_", "-").title(): csrf}


def make_plan(users: int) -> dict:
    """What each simulated worker needs: its headers, people of its region, its referrals
    with their current status and version."""
    from proxima.core.models import User
    from proxima.people.models import Person
    from proxima.referrals.models import Referral

    accounts = list(User.objects.filter(username__startswith=ACCOUNT_PREFIX).order_by("pk"))
    slots = []
    for account in accounts[:users]:
        referrals = Referral.objects.filter(external_id__startswith=f"load:{account.username}:")
        slots.append(
            {
                "account": account.username,
                "headers": sign_in(account),
                "people": [
                    str(pk)
                    for pk in Person.objects.filter(region_id=account.region_id).values_list(
                        "pk", flat=True
                    )
                ],
                "referrals": [
                    [str(pk), status, version]
                    for pk, status, version in referrals.values_list("pk", "status", "version")
                    if status in NEXT_STATUS
                ],
            }
        )
    return {"slots": slots, "searches": SEARCHES, "reasons": CONTACT_REASONS}


def database_counts(usernames: list[str]) -> dict:
    """What the bench accounts have written so far: contacts, status events, audit lines."""
    from django.db.models import Count

    from proxima.core.models import AuditEvent
    from proxima.intake.models import ContactEpisode
    from proxima.referrals.models import ReferralEvent

    audit = dict(
        AuditEvent.objects.filter(actor__username__in=usernames)
        .values_list("action")
        .annotate(n=Count("pk"))
    )
    return {
        "contacts": ContactEpisode.objects.filter(taken_by__username__in=usernames).count(),
        "status_events": ReferralEvent.objects.filter(actor__username__in=usernames).count(),
        "audit": audit,
    }


def check_writes(before: dict, after: dict, acks: dict) -> dict:
    """Every acknowledged write found in the database, and nothing more."""
    from proxima.intake.models import ContactEpisode
    from proxima.referrals.models import Referral

    contact_ids = acks["contacts"]
    found_contacts = ContactEpisode.objects.filter(pk__in=contact_ids).count()
    last_version = {}
    for referral_id, version in acks["status_changes"]:
        last_version[referral_id] = max(version, last_version.get(referral_id, 0))
    versions = dict(Referral.objects.filter(pk__in=list(last_version)).values_list("pk", "version"))
    stale = sum(1 for pk, v in last_version.items() if versions.get(_uuid(pk)) != v)

    def new(key, action=None):
        if action:
            return after["audit"].get(action, 0) - before["audit"].get(action, 0)
        return after[key] - before[key]

    report = {
        "contacts_acknowledged": len(contact_ids),
        "contacts_found": found_contacts,
        "contacts_new_in_database": new("contacts"),
        "status_changes_acknowledged": len(acks["status_changes"]),
        "status_events_new_in_database": new("status_events"),
        "referrals_at_acknowledged_version": len(last_version) - stale,
        "referrals_changed": len(last_version),
        "person_reads_acknowledged": acks["person_reads"],
        "audit_read_person_new": new(None, "read_person"),
        "audit_open_contact_new": new(None, "open_contact"),
        "audit_referral_status_new": new(None, "referral_status"),
    }
    report["lost_writes"] = (
        (len(contact_ids) - found_contacts)
        + max(len(acks["status_changes"]) - report["status_events_new_in_database"], 0)
        + stale
    )
    report["ok"] = (
        report["lost_writes"] == 0
        and report["contacts_new_in_database"] == len(contact_ids)
        and report["status_events_new_in_database"] == len(acks["status_changes"])
        and report["audit_open_contact_new"] == len(contact_ids)
        and report["audit_referral_status_new"] == len(acks["status_changes"])
        and report["audit_read_person_new"] == acks["person_reads"]
    )
    return report


def _uuid(text: str):
    import uuid

    return uuid.UUID(text)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(kind: str, port: int, env: dict, args) -> subprocess.Popen:
    """`proxima serve --production` (gunicorn) or Django's runserver, logs to a file."""
    log = open(RESULTS / f"load-{kind}.log", "w")  # noqa: SIM115 - closed with the process
    env = dict(env)
    if kind == "gunicorn":
        command = [PYTHON, "-m", "proxima.manage", "serve", "--production", f"127.0.0.1:{port}"]
        if args.workers:
            command += ["--workers", str(args.workers)]
        if args.threads:
            env["PROXIMA_WEB_THREADS"] = str(args.threads)
    else:
        subprocess.run(  # the pages' static files, as serve --production collects them
            [PYTHON, "-m", "proxima.manage", "collectstatic", "--noinput", "-v", "0"],
            env=env,
            check=True,
        )
        command = [PYTHON, "-m", "proxima.manage", "runserver", f"127.0.0.1:{port}", "--noreload"]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=RESULTS)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/hsds/", headers={"X-Forwarded-Proto": "https"})
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.3)
    process.kill()
    raise SystemExit(f"{kind} did not start: see {RESULTS / f'load-{kind}.log'}")


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user and system) used so far by one process; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user and system) used so far by a process and all its descendants, those
    that ended included."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            # Its own time, and its children's that ended (gunicorn restarts its workers
            # after so many requests: their time moves to the master's cutime/cstime).
            used = int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
            cpu[int(entry.name)] = used / tick
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += cpu.get(current, 0.0)
        todo += [child for child, parent in parents.items() if parent == current]
    return total


class PostgresCpu:
    """CPU time used by the PostgreSQL backends serving the benchmark's database (opened
    by the server under test), read twice a second while it runs, so that a backend closed
    on the way (CONN_MAX_AGE) still counts up to its last reading."""

    def __init__(self, database_url: str):
        import threading

        import psycopg

        self.name = database_url.rsplit("/", 1)[1].split("?")[0]
        self.connection = psycopg.connect(
            database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True
        )
        self.seen: dict[int, float] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.watch, daemon=True)
        self.thread.start()

    def watch(self) -> None:
        while not self.done.wait(0.5):
            rows = self.connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.name]
            ).fetchall()
            for (pid,) in rows:
                self.seen[pid] = max(self.seen.get(pid, 0.0), process_cpu_seconds(pid))

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        self.connection.close()
        return sum(self.seen.values())


def _children_cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def stop_server(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_server(kind: str, env: dict, args) -> dict:
    """One measured run against one server; the writes checked afterwards."""
    from django.db import connections

    plan = make_plan(args.users)
    usernames = [slot["account"] for slot in plan["slots"]]
    plan_path = RESULTS / f"load-plan-{kind}.json"
    plan_path.write_text(json.dumps(plan))
    before = database_counts(usernames)
    connections.close_all()
    port = free_port()
    server = start_server(kind, port, env, args)
    out_path = RESULTS / f"load-result-{kind}.json"
    server_cpu = tree_cpu_seconds(server.pid)
    generator_cpu = _children_cpu_seconds()
    database_cpu = PostgresCpu(args.database_url)
    try:
        subprocess.run(
            [
                PYTHON,
                __file__,
                "--drive",
                str(plan_path),
                "--host",
                f"http://127.0.0.1:{port}",
                "--users",
                str(args.users),
                "--duration",
                str(args.duration),
                "--warmup",
                str(args.warmup),
                "--out",
                str(out_path),
            ],
            check=True,
        )
        server_cpu = tree_cpu_seconds(server.pid) - server_cpu
        generator_cpu = _children_cpu_seconds() - generator_cpu
    finally:
        database_cpu = database_cpu.stop()
        stop_server(server)
    result = json.loads(out_path.read_text())
    completed = max(result["completed_requests"], 1)
    result["cpu_ms_per_request"] = {
        "server": round(server_cpu * 1000 / completed, 2),
        "postgresql": round(database_cpu * 1000 / completed, 2),
        "load_generator": round(generator_cpu * 1000 / completed, 2),
    }
    after = database_counts(usernames)
    result["writes"] = check_writes(before, after, result.pop("acks"))
    plan_path.unlink()
    return result


def print_report(results: dict[str, dict], args) -> None:
    servers = list(results)
    print()
    print(f"{args.users} workers, no think time, {args.duration} s measured after {args.warmup} s")
    header = f"{'':<18}" + "".join(f"{s:>34}" for s in servers)
    print(header)
    print(f"{'':<18}" + "".join(f"{'req/s  p50  p95  p99 ms  errors':>34}" for _ in servers))
    for kind in ["all", *KINDS]:
        row = f"{kind:<18}"
        for server in servers:
            k = results[server]["kinds"].get(kind)
            if not k:
                row += f"{'-':>34}"
                continue
            row += (
                f"{k['requests_per_second']:>9.1f}{k['p50_ms']:>6.0f}{k['p95_ms']:>6.0f}"
                f"{k['p99_ms']:>8.0f}{k['errors']:>5}/{k['requests']:<7}"
            )
        print(row)
    for server in servers:
        w = results[server]["writes"]
        print(
            f"{server}: writes acknowledged/found: contacts {w['contacts_acknowledged']}/"
            f"{w['contacts_found']} (new rows {w['contacts_new_in_database']}), status changes "
            f"{w['status_changes_acknowledged']}/{w['status_events_new_in_database']} events "
            f"({w['referrals_at_acknowledged_version']}/{w['referrals_changed']} referrals at "
            f"the acknowledged version); audit lines: read_person {w['audit_read_person_new']}/"
            f"{w['person_reads_acknowledged']}, open_contact {w['audit_open_contact_new']}, "
            f"referral_status {w['audit_referral_status_new']}; lost {w['lost_writes']}"
        )
        cpu = results[server]["cpu_ms_per_request"]
        spent = sum(cpu.values())
        print(
            f"{server}: CPU per request: server {cpu['server']} ms, PostgreSQL "
            f"{cpu['postgresql']} ms, load generator {cpu['load_generator']} ms; "
            f"{os.cpu_count()} cores wholly for this would do at most "
            f"{os.cpu_count() * 1000 / spent if spent else 0:.0f} requests/s"
        )
        for sample in results[server].get("error_samples", [])[:5]:
            print(f"  error: {sample}")


def profile(args) -> None:
    """Where the time goes, without the network or the other processes: each kind of
    request through Django's test client in this process, its time (wall and CPU) and
    its database queries; `--profile-sql` prints the queries of one request of each kind."""
    from urllib.parse import quote

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    plan = make_plan(1)
    slot = plan["slots"][0]
    client = Client(
        HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="fr", HTTP_X_FORWARDED_PROTO="https"
    )
    for pair in slot["headers"]["Cookie"].split("; "):
        name, value = pair.split("=", 1)
        client.cookies[name] = value
    rng = random.Random(1)
    referrals = [list(r) for r in slot["referrals"]]

    def request(kind: str):
        if kind == "search page":
            return client.get("/?q=" + quote(rng.choice(SEARCHES)), secure=True)
        if kind == "hsds search":
            path = "/api/hsds/services?search=" + quote(rng.choice(SEARCHES))
            return client.get(path, secure=True)
        if kind == "open person":
            return client.get(f"/api/intake/people/{rng.choice(slot['people'])}", secure=True)
        if kind == "create contact":
            body = {"channel": "clsc_walk_in", "reason": "Profil", "person_id": slot["people"][0]}
            return client.post(
                "/api/intake/contacts", body, content_type="application/json", secure=True
            )
        if kind == "update referral":
            referral = referrals[rng.randrange(len(referrals))]
            body = {"status": NEXT_STATUS[referral[1]], "version": referral[2]}
            response = client.post(
                f"/api/referrals/{referral[0]}/status",
                body,
                content_type="application/json",
                secure=True,
            )
            if response.status_code == 200:
                referral[1], referral[2] = response.json()["status"], response.json()["version"]
            return response
        return client.get("/api/referrals?box=received", secure=True)

    print(f"{'':<18}{'wall ms':>9}{'cpu ms':>9}{'queries':>9}")
    for kind, (_weight, _method, expected) in KINDS.items():
        for _ in range(3):  # warm: templates, URL resolvers, translations
            request(kind)
        walls, cpus, queries = [], [], []
        for _ in range(args.profile):
            with CaptureQueriesContext(connection) as captured:
                wall, cpu = time.perf_counter(), time.process_time()
                response = request(kind)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            if response.status_code != expected:
                raise SystemExit(f"{kind}: {response.status_code} {response.content[:300]!r}")
            queries.append(len(captured))
        print(
            f"{kind:<18}{statistics.median(walls):>9.1f}{statistics.median(cpus):>9.1f}"
            f"{statistics.median(queries):>9.0f}"
        )
        if args.profile_sql:
            for query in captured.captured_queries:
                print(f"    {query['time']}s {query['sql'][:220]}")


def orchestrate(args) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    secret_key = secrets.token_urlsafe(60)
    env = server_environment(args.database_url, secret_key)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    new = ensure_database(args.database_url, args.fresh)
    import django

    django.setup()
    print(f"Database {args.database_url.rsplit('/', 1)[1]} ({'new' if new else 'reused'})")
    fill(args.users)
    if args.profile:
        profile(args)
        return
    results = {}
    for kind in args.servers.split(","):
        print(f"Running {args.users} workers against {kind} for {args.warmup}+{args.duration} s")
        results[kind] = run_server(kind, env, args)
    print_report(results, args)
    summary = {
        "users": args.users,
        "duration_s": args.duration,
        "cpu_cores": os.cpu_count(),
        "target": TARGET,
        "servers": {
            kind: {
                "requests_per_second": r["kinds"]["all"]["requests_per_second"],
                "p50_ms": r["kinds"]["all"]["p50_ms"],
                "p95_ms": r["kinds"]["all"]["p95_ms"],
                "p99_ms": r["kinds"]["all"]["p99_ms"],
                "errors": r["kinds"]["all"]["errors"],
                "requests": r["kinds"]["all"]["requests"],
                "warm_up_errors": r["kinds"]["all"]["warm_up_errors"],
                "lost_writes": r["writes"]["lost_writes"],
                "cpu_ms_per_request": r["cpu_ms_per_request"],
                "writes_ok": r["writes"]["ok"],
                "per_kind": {
                    kind_name: {k: v for k, v in figures.items() if k != "requests"}
                    for kind_name, figures in r["kinds"].items()
                    if kind_name != "all"
                },
            }
            for kind, r in results.items()
        },
    }
    print(json.dumps(summary))


# --- The load generator (a second process: Locust, no Django) ------------------------------


def percentiles(samples: list[float]) -> dict[str, float]:
    if len(samples) < 2:
        value = round(samples[0], 1) if samples else 0.0
        return {"p50_ms": value, "p95_ms": value, "p99_ms": value}
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "p99_ms": round(cuts[98], 1),
    }


def drive(args) -> None:
    from gevent import monkey

    monkey.patch_all()
    from http.cookiejar import CookieJar, DefaultCookiePolicy
    from itertools import count
    from urllib.parse import quote

    import gevent
    from locust import FastHttpUser, constant, task
    from locust.env import Environment
    from locust.exception import StopUser

    plan = json.loads(Path(args.drive).read_text())
    searches, reasons = plan["searches"], plan["reasons"]
    numbers = count()
    acks = {"contacts": [], "status_changes": [], "person_reads": 0}
    samples: dict[str, list[float]] = {kind: [] for kind in KINDS}
    errors: dict[str, int] = dict.fromkeys([*KINDS, "warm-up"], 0)
    error_samples: list[str] = []
    measuring = {"from": None, "stopping": False, "in_flight": 0}
    completed = {"requests": 0}  # warm-up and measured: for the CPU time per request

    class Worker(FastHttpUser):
        host = args.host
        wait_time = constant(0)

        def on_start(self):
            self.slot = plan["slots"][next(numbers) % len(plan["slots"])]
            # Cookies are sent as a browser would have them; none set by answers are kept
            # (the session and CSRF cookies are Secure and this is plain HTTP on 127.0.0.1).
            self.client.cookiejar = CookieJar(DefaultCookiePolicy(allowed_domains=[]))
            origin = "https://127.0.0.1" + args.host[args.host.rindex(":") :]
            self.headers = {
                **self.slot["headers"],
                "X-Forwarded-Proto": "https",
                "Origin": origin,
                "Referer": origin + "/",
                "Accept-Language": "fr",
            }
            self.referrals = [list(r) for r in self.slot["referrals"]]
            self.rng = random.Random(self.slot["account"])

        def call(self, kind: str, path: str, body=None):
            """One request; its answer must have exactly the expected status."""
            _weight, method, expected = KINDS[kind]
            if measuring["stopping"]:
                raise StopUser  # no new request; those in flight finish and are counted
            measuring["in_flight"] += 1
            started, began = time.perf_counter(), time.monotonic()
            with self.client.request(
                method,
                path,
                headers=self.headers,
                json=body,
                name=kind,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                elapsed = (time.perf_counter() - started) * 1000
                measuring["in_flight"] -= 1
                completed["requests"] += 1
                ok = response.status_code == expected
                if ok:
                    response.success()
                else:
                    response.failure(f"{response.status_code}")
                measured = measuring["from"] is not None and began >= measuring["from"]
                if measured:
                    samples[kind].append(elapsed)
                if not ok:
                    errors[kind if measured else "warm-up"] += 1
                    if len(error_samples) < 20:
                        text = (response.text or "")[:200].replace("\n", " ")
                        error_samples.append(f"{kind} {response.status_code}: {text}")
                return response if ok else None

        @task(KINDS["search page"][0])
        def search_page(self):
            self.call("search page", "/?q=" + quote(self.rng.choice(searches)))

        @task(KINDS["hsds search"][0])
        def hsds_search(self):
            self.call(
                "hsds search", "/api/hsds/services?search=" + quote(self.rng.choice(searches))
            )

        @task(KINDS["open person"][0])
        def open_person(self):
            person = self.rng.choice(self.slot["people"])
            if self.call("open person", f"/api/intake/people/{person}") is not None:
                acks["person_reads"] += 1

        @task(KINDS["create contact"][0])
        def create_contact(self):
            body = {
                "channel": "clsc_walk_in",
                "reason": self.rng.choice(reasons),
                "person_id": self.rng.choice(self.slot["people"]),
            }
            response = self.call("create contact", "/api/intake/contacts", body)
            if response is not None:
                acks["contacts"].append(response.json()["id"])

        @task(KINDS["update referral"][0])
        def update_referral(self):
            if not self.referrals:
                return
            referral = self.referrals[self.rng.randrange(len(self.referrals))]
            referral_id, status, version = referral
            body = {"status": NEXT_STATUS[status], "version": version}
            response = self.call("update referral", f"/api/referrals/{referral_id}/status", body)
            if response is not None:
                answer = response.json()
                referral[1], referral[2] = answer["status"], answer["version"]
                acks["status_changes"].append([referral_id, answer["version"]])
            else:
                self.referrals.remove(referral)  # its version is unknown now: left alone

        @task(KINDS["inbox"][0])
        def inbox(self):
            self.call("inbox", "/api/referrals?box=received")

    environment = Environment(user_classes=[Worker])
    runner = environment.create_local_runner()
    runner.start(args.users, spawn_rate=args.users)
    measuring["from"] = time.monotonic() + args.warmup
    gevent.sleep(args.warmup + args.duration)
    # Let the requests in flight finish, so every write the server made was answered and
    # recorded here (a killed request could have written without an answer).
    measuring["stopping"] = True
    deadline = time.monotonic() + 60
    while measuring["in_flight"] and time.monotonic() < deadline:
        gevent.sleep(0.05)
    runner.quit()
    runner.greenlet.join()

    kinds = {}
    everything = []
    for kind, values in samples.items():
        everything += values
        kinds[kind] = {
            "requests": len(values),
            "requests_per_second": round(len(values) / args.duration, 1),
            **percentiles(values),
            "errors": errors[kind],
        }
    kinds["all"] = {
        "requests": len(everything),
        "requests_per_second": round(len(everything) / args.duration, 1),
        **percentiles(everything),
        "errors": sum(errors.values()) - errors["warm-up"],
        "warm_up_errors": errors["warm-up"],
    }
    result = {
        "kinds": kinds,
        "acks": acks,
        "error_samples": error_samples,
        "completed_requests": completed["requests"],
    }
    Path(args.out).write_text(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=24, help="simulated workers")
    parser.add_argument("--duration", type=int, default=60, help="measured seconds")
    parser.add_argument("--warmup", type=int, default=5, help="seconds before measuring")
    parser.add_argument("--servers", default="gunicorn,runserver")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=None, help="threads per gunicorn worker")
    parser.add_argument(
        "--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_PG_URL)
    )
    parser.add_argument("--fresh", action="store_true", help="drop and fill the database anew")
    parser.add_argument(
        "--profile", type=int, default=0, help="time N requests of each kind in-process instead"
    )
    parser.add_argument("--profile-sql", action="store_true", help="with --profile: the queries")
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    parser.add_argument("--host", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("the load benchmark runs on PostgreSQL (--database-url postgres://...)")
    if args.drive:
        drive(args)
    else:
        orchestrate(args)


if __name__ == "__main__":
    main()
