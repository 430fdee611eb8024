"""Read replica: public reads that tolerate a second of lag go to a PostgreSQL streaming
replica (alias "replica", set from DATABASE_REPLICA_URL); everything else to the primary.

A read goes to the replica only when every one of these holds; otherwise the primary:
- the request is a GET or HEAD from someone not signed in, to a view listed in
  REPLICA_VIEWS or a path under REPLICA_PATHS (the one place that lists them);
- the request has written nothing and holds no transaction open on the primary, so a
  write followed by a read of the same thing in one request reads the primary (writes
  are seen by the router and, raw SQL included, on the primary connection itself);
- the model belongs to an app of REPLICA_APPS (the public directory), never people,
  contacts, referrals, sessions or accounts.
Commands, background tasks and anything outside a request use the primary.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"

# The public pages and API whose reads may lag a second behind the primary. Later: the
# public indicators. A view not listed here reads the primary.
REPLICA_VIEWS = frozenset({"directory:search", "directory:service"})
REPLICA_PATHS = ("/api/hsds/",)
REPLICA_APPS = frozenset({"directory"})
SAFE_METHODS = frozenset({"GET", "HEAD"})
READ_STATEMENTS = ("SELECT", "SHOW", "EXPLAIN")


@dataclass
class _RequestState:
    replica_allowed: bool = False
    pinned: bool = False


_state: ContextVar[_RequestState | None] = ContextVar("proxima_replica", default=None)


@contextmanager
def replica_reads(allowed: bool = True) -> Iterator[None]:
    """Within this block (one request), reads may go to the replica until the first write."""
    token = _state.set(_RequestState(replica_allowed=allowed))
    try:
        yield
    finally:
        _state.reset(token)


def allow_replica_reads() -> None:
    """Let the current request read the replica (the middleware calls it for public views)."""
    state = _state.get()
    if state is not None:
        state.replica_allowed = True


def pin_to_primary() -> None:
    """From now on the current request reads the primary: it wrote, and reads its writes."""
    state = _state.get()
    if state is not None:
        state.pinned = True


def may_read_replica(model) -> bool:
    """Whether a read of this model, now, may go to the replica."""
    state = _state.get()
    return (
        state is not None
        and state.replica_allowed
        and not state.pinned
        and model._meta.app_label in REPLICA_APPS
        and REPLICA in connections.settings
        and not connections[PRIMARY].in_atomic_block
    )


def is_public_read(request) -> bool:
    """A GET or HEAD to a view or path listed as replica-allowed, by someone not signed in."""
    if request.method not in SAFE_METHODS:
        return False
    match = getattr(request, "resolver_match", None)
    listed = (
        match is not None and match.view_name in REPLICA_VIEWS
    ) or request.path_info.startswith(REPLICA_PATHS)
    if not listed:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated  # reads the session on the primary


def _pin_on_write(execute, sql, params, many, context):
    """An execute wrapper on the primary: any statement but a plain read pins the request."""
    if not (isinstance(sql, str) and sql.lstrip()[:7].upper().startswith(READ_STATEMENTS)):
        pin_to_primary()
    return execute(sql, params, many, context)


class PrimaryReplicaRouter:
    """Django database router: see the module's docstring for the rules."""

    def db_for_read(self, model, **hints) -> str:
        return REPLICA if may_read_replica(model) else PRIMARY

    def db_for_write(self, model, **hints) -> str:
        pin_to_primary()
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return False if db == REPLICA else None


class ReplicaMiddleware:
    """Gives each request its own routing state, and lets public reads use the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with replica_reads(allowed=False), connections[PRIMARY].execute_wrapper(_pin_on_write):
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_public_read(request):
            allow_replica_reads()
        return None
