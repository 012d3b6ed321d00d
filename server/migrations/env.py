"""Alembic environment: the connection comes from server.db.Database.upgrade."""

from alembic import context

from server.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
