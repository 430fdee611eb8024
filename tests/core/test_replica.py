"""The read replica: public reads go to a real PostgreSQL streaming replica, everything else
(writes, the reads after them, signed-in pages) to the primary; what the primary writes
reaches the replica within two seconds. The router's rules are also checked without one."""

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections, router, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from proxima.core import db_router
from proxima.core.db_router import PRIMARY, REPLICA, ReplicaMiddleware, replica_reads
from proxima.core.models import User
from proxima.directory.models import Organization, Service
from proxima.people.models import Person
from tests.factories import UserFactory, make_service, new_id

ROUTER = "proxima.core.db_router.PrimaryReplicaRouter"
# The tests sharing the clusters run on one pytest-xdist worker: one pair started, not two.
one_pair_of_clusters = pytest.mark.xdist_group("replica")
MIDDLEWARE = "proxima.core.db_router.ReplicaMiddleware"


# --- The rules, without a replica (run on every database) ----------------------------------


@pytest.fixture
def a_replica_is_configured(monkeypatch):
    monkeypatch.setitem(connections.settings, REPLICA, {})


def test_outside_a_request_everything_reads_the_primary(a_replica_is_configured):
    assert db_router.PrimaryReplicaRouter().db_for_read(Service) == PRIMARY


def test_a_public_request_reads_public_data_on_the_replica_and_nothing_personal(
    a_replica_is_configured,
):
    routing = db_router.PrimaryReplicaRouter()
    with replica_reads():
        assert routing.db_for_read(Service) == REPLICA
        assert routing.db_for_read(Person) == PRIMARY
        assert routing.db_for_read(User) == PRIMARY
        assert routing.db_for_write(Service) == PRIMARY
        assert routing.db_for_read(Service) == PRIMARY, "pinned after a write"


def test_without_a_replica_nothing_reads_one():
    with replica_reads():
        assert db_router.PrimaryReplicaRouter().db_for_read(Service) == PRIMARY


def test_only_listed_public_views_by_visitors_may_read_the_replica(rf):
    def public(path, method="get", user=None):
        request = getattr(rf, method)(path)
        request.resolver_match = resolve(request.path_info)
        request.user = user or AnonymousUser()
        return db_router.is_public_read(request)

    assert public("/") and public("/services/abc/") and public("/api/hsds/services")
    assert not public("/", method="post")
    assert not public("/people/")
    assert not public("/", user=User(username="x"))


def test_the_replica_setting_installs_the_router_and_keeps_tests_on_one_database(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://proxima:pw@db1:5432/proxima",
        "DATABASE_REPLICA_URL": "postgres://proxima:pw@db2:5432/proxima",
        "DJANGO_SETTINGS_MODULE": "proxima.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    script = (
        "from django.conf import settings as s; r = s.DATABASES['replica']; "
        "print(r['HOST'], r['TEST'], s.DATABASE_ROUTERS, s.MIDDLEWARE[-1])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split(" ", 1)[0] == "db2"
    assert "{'MIRROR': 'default'}" in done.stdout and ROUTER in done.stdout
    assert done.stdout.strip().endswith(MIDDLEWARE)


# --- A real streaming replica --------------------------------------------------------------


def _server_bin() -> Path | None:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup"), key=lambda p: int(p.parts[-3])
    )
    return found[-1].parent if found else None


def _skip_reason() -> str | None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "the replica test runs when the tests run on PostgreSQL (DATABASE_URL)"
    bindir = _server_bin()
    if bindir is None or not (bindir / "initdb").exists():
        return "PostgreSQL's server binaries (initdb, pg_ctl, pg_basebackup) are not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root with no 'postgres' user to run the servers as"
        if not shutil.which("runuser"):
            return "running as root without runuser to switch to the 'postgres' user"
        probe = subprocess.run(
            ["runuser", "-u", "postgres", "--", "true"], capture_output=True, text=True, check=False
        )
        if probe.returncode != 0:
            return f"cannot switch to the 'postgres' user: {probe.stderr.strip()}"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Clusters:
    """A temporary primary and its streaming replica, in one temporary folder."""

    def __init__(self):
        self.bindir = _server_bin()
        self.folder = Path(tempfile.mkdtemp(prefix="proxima-replica-"))
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.primary_port, self.replica_port = _free_port(), _free_port()
        self.started: list[Path] = []

    def run(self, tool: str, *arguments: str) -> None:
        done = subprocess.run(
            [*self.as_postgres, str(self.bindir / tool), *arguments],
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stdout}\n{done.stderr}")

    def start(self, data: Path, port: int) -> None:
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nport = {port}\n")
        self.run("pg_ctl", "-D", str(data), "-l", str(data) + ".log", "-w", "-t", "30", "start")
        self.started.append(data)

    def create(self) -> None:
        primary = self.folder / "primary"
        self.run(
            "initdb", "-D", str(primary), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"
        )
        with (primary / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.folder}'\n"
                "wal_level = replica\nmax_wal_senders = 4\nfsync = off\n"
                "full_page_writes = off\nshared_buffers = 16MB\nmax_connections = 30\n"
            )
        self.start(primary, self.primary_port)
        with self.connect(self.primary_port, "postgres") as admin:
            admin.execute("CREATE DATABASE proxima")
        replica = self.folder / "replica"
        self.run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.primary_port),
            "-U",
            "postgres",
            "-D",
            str(replica),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
            "--no-sync",
        )
        self.start(replica, self.replica_port)
        self.wait_for_streaming()

    def connect(self, port: int, name: str = "proxima") -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname=name, autocommit=True
        )

    def wait_for_streaming(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self.connect(self.replica_port, "postgres") as replica:
                    in_recovery = replica.execute("SELECT pg_is_in_recovery()").fetchone()[0]
                    status = replica.execute("SELECT status FROM pg_stat_wal_receiver").fetchone()
                if in_recovery and status and status[0] == "streaming":
                    return
            except psycopg.OperationalError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the replica did not start streaming")
            time.sleep(0.1)

    def destroy(self) -> None:
        """Stop both servers (whatever state they are in) and delete their folder."""
        for data in reversed(self.started):
            subprocess.run(
                [*self.as_postgres, str(self.bindir / "pg_ctl"), "-D", str(data)]
                + ["-m", "immediate", "-w", "stop"],
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def pointed_at(clusters: Clusters) -> Iterator[None]:
    """The app's default database moved to the temporary primary, with the alias 'replica'
    on its streaming replica and the router and middleware on, as DATABASE_REPLICA_URL
    would set them; everything put back afterwards."""
    default = connections[PRIMARY]
    saved = dict(default.settings_dict)
    routing = override_settings(
        DATABASE_ROUTERS=[ROUTER], MIDDLEWARE=[*settings.MIDDLEWARE, MIDDLEWARE]
    )
    try:
        default.close()
        default.settings_dict.update(
            NAME="proxima",
            HOST="127.0.0.1",
            PORT=str(clusters.primary_port),
            USER="postgres",
            PASSWORD="",
        )
        connections.settings[REPLICA] = {
            **default.settings_dict,
            "PORT": str(clusters.replica_port),
        }
        routing.enable()
        yield
    finally:
        routing.disable()
        for alias in (PRIMARY, REPLICA):
            if alias in connections.settings:
                connections[alias].close()
        if hasattr(connections._connections, REPLICA):
            del connections[REPLICA]
        connections.settings.pop(REPLICA, None)
        default.settings_dict.clear()
        default.settings_dict.update(saved)
        ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def clusters(django_db_blocker):
    """A primary with the app's tables and its streaming replica, started once for the
    tests that need them (one pytest-xdist worker), stopped and deleted at the end."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    pair = Clusters()
    try:
        pair.create()
        with django_db_blocker.unblock(), pointed_at(pair):
            call_command("migrate", verbosity=0)
        yield pair
    finally:
        pair.destroy()


@pytest.fixture
def replicated(clusters, django_db_blocker):
    """The app pointed at the clusters for one test."""
    with django_db_blocker.unblock(), pointed_at(clusters):
        yield clusters


def wait_on_replica(sql: str, params: list, timeout: float = 5) -> float:
    """Seconds until the query finds a row on the replica."""
    started = time.monotonic()
    while True:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(sql, params)
            if cursor.fetchone():
                return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not on the replica after {timeout} s: {sql} {params}")
        time.sleep(0.01)


def directory_queries(captured) -> list[str]:
    return [query["sql"] for query in captured.captured_queries if "directory_" in query["sql"]]


@one_pair_of_clusters
def test_public_pages_and_the_hsds_api_read_the_replica_and_signed_in_pages_the_primary(
    replicated,
):
    service = make_service("Comptoir alimentaire Limoilou", "Dépannage alimentaire")
    wait_on_replica("SELECT 1 FROM directory_searchdocument WHERE service_id = %s", [service.id])
    visitor, worker = Client(), Client()
    worker.force_login(UserFactory())
    for path, params in (
        ("/", {"q": "comptoir alimentaire"}),
        (f"/services/{service.id}/", {}),
        ("/api/hsds/services", {"search": "comptoir"}),
    ):
        with (
            CaptureQueriesContext(connections[PRIMARY]) as on_primary,
            CaptureQueriesContext(connections[REPLICA]) as on_replica,
        ):
            response = visitor.get(path, params)
        assert response.status_code == 200 and "Comptoir alimentaire Limoilou" in response.text
        assert directory_queries(on_replica), f"{path} read the replica"
        assert directory_queries(on_primary) == [], f"{path} read nothing public on the primary"
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            response = worker.get(path, params)
        assert response.status_code == 200 and on_replica.captured_queries == []


def public_request(view):
    """Run a view as Django's handler would with the middleware: anonymous GET of the
    public search page."""
    request = RequestFactory().get("/")
    request.resolver_match = resolve("/")
    request.user = AnonymousUser()

    def get_response(request):
        middleware.process_view(request, view, (), {})
        return view(request)

    middleware = ReplicaMiddleware(get_response)
    return middleware(request)


@one_pair_of_clusters
def test_a_write_then_a_read_in_one_request_reads_the_primary(replicated):
    with replicated.connect(replicated.replica_port) as replica:
        replica.execute("SELECT pg_wal_replay_pause()")  # the replica now lags for sure
        try:
            seen = {}

            def writes_then_reads(request):
                seen["before"] = router.db_for_read(Organization)
                organization = Organization.objects.create(id=new_id(), name="Nouvel organisme")
                seen["found"] = Organization.objects.filter(pk=organization.pk).exists()
                seen["after"] = router.db_for_read(Organization)
                seen["id"] = organization.pk
                return HttpResponse()

            def raw_write_then_read(request):
                with connections[PRIMARY].cursor() as cursor:
                    cursor.execute(
                        "UPDATE directory_organization SET name = 'Renommé' WHERE id = %s",
                        [seen["id"]],
                    )
                seen["renamed"] = Organization.objects.get(pk=seen["id"]).name
                return HttpResponse()

            def in_a_transaction(request):
                with transaction.atomic():
                    seen["in_transaction"] = router.db_for_read(Organization)
                return HttpResponse()

            public_request(writes_then_reads)
            public_request(raw_write_then_read)
            public_request(in_a_transaction)
            on_replica = replica.execute(
                "SELECT count(*) FROM directory_organization WHERE id = %s", [seen["id"]]
            ).fetchone()[0]
        finally:
            replica.execute("SELECT pg_wal_replay_resume()")
    assert seen["before"] == REPLICA and on_replica == 0, "the replica lags behind"
    assert seen["found"] and seen["after"] == PRIMARY
    assert seen["renamed"] == "Renommé" and seen["in_transaction"] == PRIMARY


@one_pair_of_clusters
def test_what_the_primary_writes_reaches_the_replica_within_two_seconds(replicated):
    lags = []
    for number in range(5):
        organization = Organization.objects.create(id=new_id(), name=f"Organisme {number}")
        lags.append(
            wait_on_replica("SELECT 1 FROM directory_organization WHERE id = %s", [organization.pk])
        )
    print(f"\nreplica lag: {', '.join(f'{lag * 1000:.0f} ms' for lag in lags)}")
    assert max(lags) < 2
