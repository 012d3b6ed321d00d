"""Shared fixtures: the database engines, the simulators on loopback, the app and its tokens.

The suite runs on SQLite always and on PostgreSQL too when LABELBRIDGE_TEST_POSTGRES_URL is set
(.ci/run sets it); tests that take the ``database_url`` fixture run once per engine.

It runs in parallel (pytest-xdist, ``-n``): each worker has a PostgreSQL database of its own
beside the configured one (``<database>_gw0``, ``_gw1``…, made when missing and kept for the next
run) and a Redis database of its own after the configured one. The suites that measure real
processes against the clock need the machine to themselves: they are marked ``serial`` and the
README's test command runs them in a second pass, alone (``--skip-serial``, ``--only-serial``).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from sqlalchemy import Engine, create_engine, make_url, text
from xdist.scheduler import LoadScopeScheduling

from server import create_app, tokens
from server.db import Database, get_database
from server.demo import BackgroundServer, DemoStack, sandbox_config
from server.models import Base
from server.sandbox.server import SandboxServer
from tests import kept_engines, lazy_url_builders

POSTGRES_URL = os.environ.get("LABELBRIDGE_TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("LABELBRIDGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
# The xdist worker running this process ("gw0", "gw1"…), or None in a run without workers.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
# The tests' printers listen on loopback on any free port: let jobs go there (tests/security
# checks that the defaults do not).
PRINTER_SIMULATORS = {"PRINTER_ALLOW_ANY_PORT": True, "PRINTER_ALLOW_LOOPBACK": True}
# The app fixture's upstream retries wait a tenth of a second at most (the same retries as the
# product's half a second and up, in less of the run's time).
SHORT_RETRIES = {"HTTP_RETRY_FIRST_SECONDS": 0.02}
# Starshipit's rate (calls a second) in the simulator and in the app fixture's pacing: the real
# 20 a second would have each test wait 50 ms before each Starshipit call. The tests of pacing
# and of the shared budget set the real rates themselves (tests/scale, tests/test_rate_budget.py,
# tests/sync/test_trigger.py).
TEST_STARSHIPIT_RATE = 1000
ENGINES = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
# Nearly every test makes an app: their URL rules compile their builders when first used.
lazy_url_builders.install()
# ... and an engine for its database, which compiles each statement it runs once: a process keeps
# one engine per database URL, its connections closed at the end of each test.
kept_engines.install()
# The suites that measure against the clock (real gunicorn and worker processes held to a rate
# limit, to the last 5%, or every 429 an injected one): run alone, in the serial pass, with the
# tests marked ``serial``. The other scale suites (kill -9, a database drop, an outage, 200 clicks
# at once) and the stateful interleavings assert outcomes, not times: they run in the parallel
# pass, first, beside the other tests, as a busy machine would run them.
SERIAL_MODULES = ("scale/test_shared_rate.py", "scale/test_faults.py")


# The parallel pass (xdist, --dist loadscope: a module's tests on one worker, in order) hands out
# the modules in collection order (tests/run.sh: --no-loadscope-reorder), these first, longest
# first (their time in the pass, measured with --durations=0): a long module started last would
# end the pass running alone on one core. The modules of SPLIT_BY_TEST, whose tests are
# independent of each other (no module-scoped state, none building on another), have each test
# handed out on its own, so that their minutes are shared between the workers.
LONGEST_FIRST = (
    "stateful/test_interleavings.py",
    "scale/test_database_drop.py",
    "scale/test_writeback_outage.py",
    "scale/test_kill.py",
    "scale/test_gunicorn_concurrency.py",
    "contract/test_schemathesis.py",
    "contract/test_documented_responses.py",
    "e2e/test_extension.py",
    "sync/test_workers.py",
    "api/test_batch.py",
    "sync/test_trigger.py",
    "sync/test_tracking.py",
    "test_security.py",
    "sync/test_webhooks.py",
    "test_accounts.py",
)
SPLIT_BY_TEST = ("stateful/test_interleavings.py", "contract/test_schemathesis.py", "sync/test_workers.py")


def pytest_addoption(parser):
    group = parser.getgroup("labelbridge")
    group.addoption("--skip-serial", action="store_true", help="Leave out the tests marked serial.")
    group.addoption("--only-serial", action="store_true", help="Run only the tests marked serial.")


def pytest_ignore_collect(collection_path: Path, config):
    """With --only-serial, the test files that cannot hold a serial test (not a serial module,
    and not naming ``serial``) are not even collected: the serial pass then imports and collects
    a few dozen tests rather than every one (seconds of each CI run)."""
    if not config.getoption("--only-serial") or collection_path.suffix != ".py":
        return None
    if not collection_path.name.startswith("test_"):
        return None
    if _module_of_path(collection_path) in SERIAL_MODULES:
        return None
    return "serial" not in collection_path.read_text(encoding="utf-8") or None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _module(item.nodeid) in SERIAL_MODULES:
            item.add_marker(pytest.mark.serial)
    longest_first = {module: rank for rank, module in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: longest_first.get(_module(item.nodeid), len(LONGEST_FIRST)))  # stable
    skip, only = config.getoption("--skip-serial"), config.getoption("--only-serial")
    if not (skip or only):
        return
    kept, left_out = [], []
    for item in items:
        (kept if (item.get_closest_marker("serial") is not None) == only else left_out).append(item)
    config.hook.pytest_deselected(items=left_out)
    items[:] = kept


def _module_of_path(path: Path) -> str:
    """The test module at ``path``, relative to tests/, with forward slashes (``scale/test_kill.py``)."""
    return Path(os.path.relpath(path, os.path.dirname(__file__))).as_posix()


def _module(nodeid: str) -> str:
    """The test module of ``nodeid``, relative to tests/ (``sync/test_workers.py``)."""
    return nodeid.split("::", 1)[0].removeprefix("tests/")


class _SplittingScheduling(LoadScopeScheduling):
    """loadscope, with each test of a SPLIT_BY_TEST module a unit of its own."""

    def _split_scope(self, nodeid: str) -> str:
        return nodeid if _module(nodeid) in SPLIT_BY_TEST else super()._split_scope(nodeid)


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    return _SplittingScheduling(config, log) if config.getvalue("dist") == "loadscope" else None


@pytest.fixture
def printer_simulators() -> dict[str, bool]:
    """The settings that let print jobs go to the tests' printers (loopback, any port)."""
    return dict(PRINTER_SIMULATORS)


def _own_database(url: str, worker: str) -> str:
    """The worker's database beside ``url`` (``<database>_<worker>``), created when missing."""
    own = make_url(url).set(database=f"{make_url(url).database}_{worker}")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database})
        if exists.first() is None:
            connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    return own.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_database() -> str | None:
    """This process's PostgreSQL database: the configured one, or the worker's own beside it."""
    if POSTGRES_URL and WORKER:
        return _own_database(POSTGRES_URL, WORKER)
    return POSTGRES_URL


@pytest.fixture(scope="session")
def redis_url() -> str:
    """This process's Redis database: the configured one, or the worker's own after it (gw0: the
    next, gw1: the one after…)."""
    if not WORKER:
        return REDIS_URL
    parts = urlsplit(REDIS_URL)
    number = int(parts.path.lstrip("/") or 0) + 1 + int(WORKER.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{number}"))


# This process's PostgreSQL database as ``database_url`` last left it migrated: its URL, and its
# tables and Alembic revision then (``postgres_url``'s empty schema forgets it).
_migrated_postgres: dict[str, object] = {}

_SCHEMA_STATE = text(
    "SELECT (SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public')"
    " || ' at ' || (SELECT string_agg(version_num, ',') FROM alembic_version)"
)


def _reset_postgres(url: str) -> None:
    _migrated_postgres.clear()
    with _resetting_engine(url).begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


def _empty_migrated_postgres(url: str) -> None:
    """``url``'s schema at the head with no rows, as a migration of an empty schema leaves it:
    the first time in a process by that migration, then by emptying its tables and restarting
    its sequences, in one round trip on a connection kept for the process (DELETE: a
    millisecond on a test's few rows, where TRUNCATE of twenty tables takes 25 to 35). A schema a
    test changed is migrated again."""
    with _resetting_engine(url).begin() as connection:
        unchanged = _migrated_postgres.get("url") == url
        unchanged = unchanged and connection.execute(_SCHEMA_STATE).scalar() == _migrated_postgres["state"]
        if unchanged:
            connection.exec_driver_sql(_migrated_postgres["emptying"])  # several statements: no parameters
            return
    _reset_postgres(url)
    database = Database(url)
    database.upgrade()
    with database.engine.connect() as connection:
        state = connection.execute(_SCHEMA_STATE).scalar()
        sequences = connection.scalars(text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"))
        emptying = [f'DELETE FROM "{table.name}"' for table in reversed(Base.metadata.sorted_tables)]
        emptying += [f"SELECT setval('\"{sequence}\"', 1, false)" for sequence in sequences]
    database.dispose()
    _migrated_postgres.update(url=url, state=state, emptying="; ".join(emptying))


@functools.cache
def _resetting_engine(url: str) -> Engine:
    """One engine a URL for emptying the tests' databases, its connection kept open between tests
    (the apps' engines close theirs at each test's end); pre-ping: a test may have had the server
    drop every connection (tests/scale)."""
    return create_engine(url, pool_size=1, pool_pre_ping=True)


@pytest.fixture(autouse=True)
def instance_folder(tmp_path, monkeypatch):
    """Every app a test makes keeps its instance files (key file, SQLite) in the test's folder."""
    folder = tmp_path / "instance"
    monkeypatch.setenv("LABELBRIDGE_INSTANCE_PATH", str(folder))
    return folder


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite database migrated to the head once per process: each test gets a copy (a copy
    takes a millisecond, the migrations a quarter of a second)."""
    path = tmp_path_factory.mktemp("migrated") / "labelbridge.sqlite3"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    database.dispose()  # the last connection closed: the write-ahead log is folded into the file
    return path


@pytest.fixture(params=ENGINES)
def database_url(request, tmp_path) -> str:
    """A database of the test's own, migrated to the head and empty: PostgreSQL's emptied
    (``_empty_migrated_postgres``), SQLite's a copy of one migrated once per process."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_database_required")
        _empty_migrated_postgres(url)
        return url
    migrated = request.getfixturevalue("migrated_sqlite")
    path = migrated.parent.parent / "tests-database" / "labelbridge.sqlite3"  # one path a process: one engine
    return kept_engines.fresh_sqlite_copy(path, migrated)


@pytest.fixture
def postgres_database_required(postgres_database) -> str:
    """This process's PostgreSQL database. Without LABELBRIDGE_TEST_POSTGRES_URL the scale suites
    are skipped on a developer's machine, and fail in CI (which must run them)."""
    if not postgres_database:
        message = "the scale suites run on PostgreSQL: set LABELBRIDGE_TEST_POSTGRES_URL (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return postgres_database


@pytest.fixture
def postgres_url(postgres_database_required) -> str:
    """This process's PostgreSQL database with an empty schema."""
    _reset_postgres(postgres_database_required)
    return postgres_database_required


@pytest.fixture(scope="session")
def sandbox_server():
    with SandboxServer() as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server):
    """The simulators, reset to their seed data for each test, Starshipit's rate limit raised
    (``TEST_STARSHIPIT_RATE``)."""
    sandbox_server.state.reset()
    sandbox_server.state.set_starshipit_rate_limit(TEST_STARSHIPIT_RATE)
    return sandbox_server


@pytest.fixture
def app(sandbox, database_url, instance_folder):
    # instance_folder named here: pytest-flask's autouse fixtures ask for ``app`` before this
    # file's autouse ones run, which left the key file in the checkout's instance/. Its database
    # is at the head already (``database_url``): no upgrade to look for (a tenth of a second).
    app = create_app(
        {
            **sandbox_config(sandbox),
            "STARSHIPIT_RATE_PER_SECOND": TEST_STARSHIPIT_RATE,
            "DATABASE_URL": database_url,
            "TESTING": True,
            **PRINTER_SIMULATORS,
            **SHORT_RETRIES,
        }
    )
    yield app
    get_database(app).dispose()


@pytest.fixture
def make_token(app):
    def make(name: str = "bench-1", role: str = "packer", expires_at=None) -> str:
        with get_database(app).sessions() as session:
            return tokens.create_token(session, name, role, expires_at)

    return make


@pytest.fixture
def auth(make_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token()}"}


@pytest.fixture
def live_backend(app):
    """The app on a threaded server on loopback, for tests that need real concurrency."""
    server = BackgroundServer(app, "127.0.0.1", 0).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def live_stack():
    """What `labelbridge demo` runs: sandbox, backend, token and worker (for the e2e tests)."""
    with DemoStack(worker_poll_seconds=0.2, config=PRINTER_SIMULATORS) as stack:
        yield stack


@pytest.fixture
def fresh_stack(live_stack):
    """The live stack with the simulators reset and the backend forgetting every order."""
    live_stack.sandbox.state.reset()
    with get_database(live_stack.app).engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "api_tokens":
                connection.execute(table.delete())
    return live_stack


class SandboxControl:
    """The simulators' /_sandbox/ control API, as the tests use it."""

    def __init__(self, url: str) -> None:
        self.url = url

    def _call(self, method: str, path: str, **kwargs):
        response = requests.request(method, f"{self.url}/_sandbox{path}", timeout=10, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def info(self) -> dict:
        return self._call("GET", "/info")

    def sale_order(self, customer_reference: str) -> dict:
        return next(o for o in self.info()["sale_orders"] if o["customer_reference"] == customer_reference)

    def starshipit_orders(self, order_number: str | None = None) -> list[dict]:
        body = self._call("GET", "/starshipit/orders")
        orders = body["orders"] if isinstance(body, dict) else body
        return [o for o in orders if order_number is None or o["order_number"] == order_number]

    def counters(self, service: str) -> dict[str, int]:
        return self._call("GET", "/counters")[service]

    def fault(self, **fault) -> None:
        self._call("POST", "/faults", json=fault)

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def set_status(self, sale_order_id: str, status: str) -> None:
        self._call("POST", f"/sale-orders/{sale_order_id}/status", json={"status": status})

    def create_sale_order(self, order: dict) -> dict:
        return self._call("POST", "/sale-orders", json=order)

    def print_in_starshipit(self, order_id: int) -> dict:
        """The "print" of the Starshipit app (not its API): the shipment, as the API answers it."""
        return self._call("POST", f"/starshipit/orders/{order_id}/print")


@pytest.fixture
def control(sandbox) -> SandboxControl:
    return SandboxControl(sandbox.url)


@pytest.fixture
def print_label(client, auth):
    def call(headers: dict | None = None, **sale_order):
        return client.post("/api/v1/labels", json={"sale_order": sale_order}, headers={**auth, **(headers or {})})

    return call


@pytest.fixture
def ship(client, auth, sandbox):
    """Print the label of a new shippable sale order with this customer reference (``service``:
    the packer's pick, e.g. ``{"carrier": "StarTrack", "carrier_service_code": "EXP"}``); the answer."""
    from tests.scale.stack import shippable_sale_order

    numbers = iter(range(1, 1000))

    def ship(reference: str, service: dict | None = None) -> dict:
        sandbox.state.create_sale_order(shippable_sale_order(reference, next(numbers)))
        body = {"sale_order": {"customer_reference": reference}, **({"service": service} if service else {})}
        response = client.post("/api/v1/labels", json=body, headers=auth)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return ship
