"""PostgreSQL: every change to what a lookup or a reprint reads of a sale order (its row, its
labels, its writeback jobs, its return) notifies the processes listening on ``labelbridge_orders``
with the order's id, at commit (``server/orders/known_cache.py``). A TRUNCATE notifies ``*``.
New sale orders are not announced: what a process keeps is only ever an order it has read.
SQLite has no notifications and keeps nothing: nothing to do there.

Revision ID: 0012
Revises: 0011
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

CHANNEL = "labelbridge_orders"
# The table, the column naming its sale order, and the changes announced.
WATCHED = (
    ("sale_orders", "id", "UPDATE OR DELETE"),
    ("labels", "sale_order_pk", "INSERT OR UPDATE OR DELETE"),
    ("outbox_jobs", "sale_order_pk", "INSERT OR UPDATE OR DELETE"),
    ("return_shipments", "sale_order_pk", "INSERT OR UPDATE OR DELETE"),
)


def _row_function(column: str) -> str:
    return f"""
        CREATE FUNCTION labelbridge_order_changed_by_{column}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                IF OLD.{column} IS NOT NULL THEN PERFORM pg_notify('{CHANNEL}', OLD.{column}::text); END IF;
            ELSIF NEW.{column} IS NOT NULL THEN
                PERFORM pg_notify('{CHANNEL}', NEW.{column}::text);
            END IF;
            RETURN NULL;
        END $$
    """


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in sorted({column for _table, column, _changes in WATCHED}):
        op.execute(_row_function(column))
    op.execute(f"""
        CREATE FUNCTION labelbridge_orders_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', '*');
            RETURN NULL;
        END $$
    """)
    for table, column, changes in WATCHED:
        op.execute(
            f"CREATE TRIGGER labelbridge_order_changed AFTER {changes} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION labelbridge_order_changed_by_{column}()"
        )
        op.execute(
            f"CREATE TRIGGER labelbridge_orders_truncated AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION labelbridge_orders_truncated()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, _column, _changes in WATCHED:
        op.execute(f"DROP TRIGGER labelbridge_order_changed ON {table}")
        op.execute(f"DROP TRIGGER labelbridge_orders_truncated ON {table}")
    op.execute("DROP FUNCTION labelbridge_orders_truncated()")
    for column in sorted({column for _table, column, _changes in WATCHED}):
        op.execute(f"DROP FUNCTION labelbridge_order_changed_by_{column}()")
