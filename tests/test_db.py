"""The Alembic migrations are the schema: they build it on every engine and match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from server.db import Database
from server.models import Base


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
