"""The Alembic migrations are the schema: they build it on every engine and match the models.
A one-row read (a lookup's, a reprint's) sees what is committed and never waits for a write."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import bindparam, inspect, select

from server.db import Database, read_row
from server.models import Base, SaleOrder


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
