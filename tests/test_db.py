"""The Alembic migrations are the schema: they build it on every engine and match the models.
A one-row read (a lookup's, a reprint's) sees what is committed and never waits for a write; read
by the driver itself, it gives what SQLAlchemy would, and a connection that fails it is replaced.
A PostgreSQL connection is pinged before use only after it sat idle."""

import time
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import bindparam, create_engine, event, insert, inspect, select, text
from sqlalchemy.exc import OperationalError

from server import db
from server.db import Database, DriverRead, read_row
from server.models import Base, Label, SaleOrder
from server.orders import known


def test_migrations_build_the_schema_the_models_describe(database_url):
    database = Database(database_url)
    database.upgrade()
    with database.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) >= {t.name for t in Base.metadata.sorted_tables}
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    database.dispose()
    assert differences == []


def test_upgrade_twice_is_harmless(database_url):
    database = Database(database_url)
    database.upgrade()
    database.upgrade()
    database.dispose()


def test_a_one_row_read_sees_what_is_committed_without_waiting_for_a_write(database_url):
    """``read_row`` reads outside the session (which it leaves with no transaction open): not
    what another session holds uncommitted, and on SQLite while that session holds the write
    lock (a read that took the lock would wait for it, then fail)."""
    database = Database(database_url)
    database.upgrade()
    orders = SaleOrder.__table__
    statement = select(orders.c.customer_reference).where(orders.c.sale_order_id == bindparam("id"))
    reader, writer = database.sessions(), database.sessions()
    writer.add(SaleOrder(tenant_id="tenant", sale_order_id="so-1", customer_reference="REF-1"))
    writer.flush()  # on SQLite the write lock is held from here to the commit
    assert read_row(reader, statement, {"id": "so-1"}) is None
    assert not reader.in_transaction()
    writer.commit()
    assert read_row(reader, statement, {"id": "so-1"}).customer_reference == "REF-1"
    reader.close()
    writer.close()
    database.dispose()


def test_on_sqlite_a_write_waits_for_the_lock_and_a_read_does_not(tmp_path):
    """A transaction that may write takes SQLite's write lock when it begins: one that cannot get
    it within the busy timeout fails with SQLAlchemy's OperationalError (the API's 503), and its
    session can begin again once the lock is free. A read begins without the lock."""
    url = f"sqlite:///{tmp_path / 'locks.sqlite3'}"
    database, impatient = Database(url), Database(url)
    database.upgrade()
    event.listen(impatient.engine, "connect", lambda connection, _record: connection.execute("PRAGMA busy_timeout=50"))
    holder, waiter, reader = database.sessions(), impatient.sessions(), database.sessions()
    holder.add(SaleOrder(tenant_id="tenant", sale_order_id="so-1"))
    holder.flush()  # BEGIN IMMEDIATE: the write lock, held until the commit
    with pytest.raises(OperationalError, match="database is locked"):
        waiter.connection()
    assert db.read_only(reader).scalar(select(SaleOrder.id)) is None  # the holder's row is not committed
    reader.commit()
    holder.commit()
    waiter.add(SaleOrder(tenant_id="tenant", sale_order_id="so-2"))
    waiter.commit()
    written = db.read_only(reader).scalars(select(SaleOrder.sale_order_id).order_by(SaleOrder.id)).all()
    assert written == ["so-1", "so-2"]
    for session in (holder, waiter, reader):
        session.close()
    database.dispose()
    impatient.dispose()


def test_a_read_writes_nothing_whether_the_orm_or_a_core_statement_would(database_url):
    """In a read (``read_only``: on PostgreSQL an autocommit connection, where a write would
    commit alone at once) a flush and a Core INSERT on the session's connection are refused
    before they are sent; the session's next transaction writes as usual."""
    database = Database(database_url)
    database.upgrade()
    session = database.sessions()
    db.read_only(session).add(SaleOrder(tenant_id="tenant", sale_order_id="so-1"))
    with pytest.raises(RuntimeError, match="a write in a read-only transaction"):
        session.flush()
    session.rollback()
    db.read_only(session)
    with pytest.raises(RuntimeError, match="a write in a read-only transaction"):
        session.connection().execute(insert(SaleOrder.__table__), {"tenant_id": "tenant", "sale_order_id": "so-2"})
    session.rollback()
    assert session.scalars(select(SaleOrder.sale_order_id)).all() == []
    session.add(SaleOrder(tenant_id="tenant", sale_order_id="so-3"))
    session.commit()
    assert session.scalars(select(SaleOrder.sale_order_id)).all() == ["so-3"]
    session.close()
    database.dispose()


def test_a_driver_read_gives_what_sqlalchemy_reads(database_url):
    """A lookup's row read by the driver has SQLAlchemy's values, converted by its types: times,
    JSON lists, bytes, numbers; and, like ``read_row``, only what is committed."""
    database = Database(database_url)
    database.upgrade()
    session = database.sessions()
    record = SaleOrder(
        tenant_id="tenant",
        sale_order_id="so-1",
        customer_reference="REF-1",
        starshipit_order_id=42,
        tracking_numbers=["TN1", "TN2"],
        blocked_reasons=[{"field": "postcode", "message": "missing"}],
        locked_until=datetime(2026, 12, 4, 9, 30, 15, 123456, tzinfo=UTC),
    )
    session.add(record)
    session.flush()
    label = Label(sale_order_pk=record.id, format="pdf", content=b"%PDF-\x00\xff", tracking_numbers=["TN1"])
    session.add(label)
    session.flush()
    record.current_label_id = label.id
    reader = database.sessions()
    read = known._query("customer_reference", True)
    values = {"tenant": "tenant", "value": "REF-1"}
    assert read.first(reader, values) is None  # not committed yet
    session.commit()
    by_driver = read.first(reader, values)
    by_sqlalchemy = read_row(reader, read.statement, values)
    assert by_driver._asdict() == dict(by_sqlalchemy._mapping)
    assert by_driver.tracking_numbers == ["TN1", "TN2"]
    assert by_driver.label_content == b"%PDF-\x00\xff"
    assert by_driver.locked_until.replace(tzinfo=UTC) == datetime(2026, 12, 4, 9, 30, 15, 123456, tzinfo=UTC)
    assert not reader.in_transaction()
    for open_session in (reader, session):
        open_session.close()
    database.dispose()


def test_a_driver_read_on_a_connection_the_server_dropped_is_made_again(postgres_url, pool_clock):
    """A pooled connection dropped within the idle time (no ping) fails the driver's read: that
    connection is discarded and the read made again by SQLAlchemy on a new one. The caller gets
    its row; the dead connection never comes back from the pool."""
    database = Database(postgres_url)
    database.upgrade()
    with database.sessions() as session:
        session.add(SaleOrder(tenant_id="tenant", sale_order_id="so-1", customer_reference="REF-1"))
        session.commit()
    read = DriverRead(
        select(SaleOrder.__table__.c.sale_order_id).where(SaleOrder.__table__.c.customer_reference == bindparam("ref"))
    )
    dropped = _backend_of(database)
    _terminate(postgres_url, dropped)
    reader = database.sessions()
    assert read.first(reader, {"ref": "REF-1"}) == ("so-1",)
    assert _backend_of(database) != dropped
    assert read.first(reader, {"ref": "REF-1"}).sale_order_id == "so-1"
    reader.close()
    database.dispose()


def _backend_of(database: Database) -> int:
    with database.engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(url: str, pid: int) -> None:
    """End the server process behind a pooled connection, and wait until it is gone."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        gone = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
        deadline = time.monotonic() + 10
        while connection.execute(gone, {"pid": pid}).scalar_one():
            assert time.monotonic() < deadline, "the server process never ended"
    admin.dispose()


@pytest.fixture
def pool_clock(monkeypatch):
    """The pool's idea of now (server/db.py's ``time.monotonic``), moved on by hand."""
    now = {"seconds": 1_000.0}
    monkeypatch.setattr(db.time, "monotonic", lambda: now["seconds"])
    return now


def test_an_idle_connection_the_server_dropped_is_replaced_before_use(postgres_database_required, pool_clock):
    database = Database(postgres_database_required)
    dropped = _backend_of(database)
    _terminate(postgres_database_required, dropped)
    pool_clock["seconds"] += db.PING_AFTER_IDLE_SECONDS + 1
    assert _backend_of(database) != dropped  # pinged, found dead, replaced: the caller saw nothing
    database.dispose()


def test_a_pinged_connection_is_handed_over_with_no_transaction_open(postgres_url, pool_clock):
    """The ping leaves nothing behind: a read in autocommit (a lookup's) and a transaction (a
    print's) both work on the connection it checked."""
    database = Database(postgres_url)
    database.upgrade()
    _backend_of(database)
    pool_clock["seconds"] += db.PING_AFTER_IDLE_SECONDS + 1
    session = database.sessions()
    assert read_row(session, select(text("1")), {}) == (1,)
    pool_clock["seconds"] += db.PING_AFTER_IDLE_SECONDS + 1
    session.add(SaleOrder(tenant_id="tenant", sale_order_id="so-1"))
    session.commit()
    session.close()
    database.dispose()


def test_a_connection_used_moments_ago_is_not_pinged(postgres_database_required, pool_clock):
    """The trade made for the round trips: a connection dropped within the idle time fails its
    first statement (the API answers a retryable 503); the pool then replaces its connections."""
    database = Database(postgres_database_required)
    dropped = _backend_of(database)
    _terminate(postgres_database_required, dropped)
    pool_clock["seconds"] += db.PING_AFTER_IDLE_SECONDS / 2
    with pytest.raises(OperationalError):
        _backend_of(database)
    assert _backend_of(database) != dropped
    database.dispose()
