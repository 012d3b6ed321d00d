"""Automatic transfer and tracking writeback: sync cursors, the webhook/poll inbox, and the
columns the trigger and tracking need on sale orders and outbox jobs.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from server.models import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sale_orders") as batch:
        batch.add_column(sa.Column("source_version", sa.Integer))
        batch.add_column(sa.Column("source_modified_at", UtcDateTime))
        batch.add_column(sa.Column("create_sent_at", UtcDateTime))
        batch.add_column(sa.Column("blocked_fingerprint", sa.String(80)))
        batch.add_column(sa.Column("blocked_reasons", sa.JSON))
        batch.add_column(sa.Column("tracking_status", sa.String(40)))
        batch.add_column(sa.Column("tracking_updated_at", UtcDateTime))
        batch.create_index("ix_sale_orders_pending", ["tenant_id", "starshipit_order_id", "status"])
        batch.create_index("ix_sale_orders_starshipit_order_id", ["starshipit_order_id"])
        batch.create_index("ix_sale_orders_starshipit_order_number", ["tenant_id", "starshipit_order_number"])
    with op.batch_alter_table("outbox_jobs") as batch:
        # A tracking number found in Starshipit (printed in its app) has no stored label.
        batch.alter_column("label_id", existing_type=sa.String(36), nullable=True)
        batch.add_column(sa.Column("tracking_numbers", sa.JSON))
        batch.add_column(sa.Column("carrier", sa.String(100)))
    op.create_table(
        "sync_cursors",
        sa.Column("name", sa.String(60), primary_key=True),
        sa.Column("position", UtcDateTime),
        sa.Column("next_run_at", UtcDateTime),
        sa.Column("lease_owner", sa.String(100)),
        sa.Column("lease_until", UtcDateTime),
        sa.Column("last_started_at", UtcDateTime),
        sa.Column("last_finished_at", UtcDateTime),
        sa.Column("last_summary", sa.JSON),
        sa.Column("last_error", sa.Text),
        sa.Column("consecutive_failures", sa.Integer, nullable=False),
    )
    op.create_table(
        "sync_inbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("dedupe_key", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UtcDateTime, nullable=False),
        sa.Column("claimed_by", sa.String(100)),
        sa.Column("claimed_until", UtcDateTime),
        sa.Column("outcome", sa.String(200)),
        sa.Column("last_error", sa.Text),
        sa.Column("received_at", UtcDateTime, nullable=False),
        sa.Column("done_at", UtcDateTime),
        sa.UniqueConstraint("source", "dedupe_key", name="uq_sync_inbox_source_key"),
    )
    op.create_index("ix_sync_inbox_due", "sync_inbox", ["state", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_sync_inbox_due", "sync_inbox")
    op.drop_table("sync_inbox")
    op.drop_table("sync_cursors")
    with op.batch_alter_table("outbox_jobs") as batch:
        batch.drop_column("carrier")
        batch.drop_column("tracking_numbers")
        batch.alter_column("label_id", existing_type=sa.String(36), nullable=False)
    with op.batch_alter_table("sale_orders") as batch:
        batch.drop_index("ix_sale_orders_starshipit_order_number")
        batch.drop_index("ix_sale_orders_starshipit_order_id")
        batch.drop_index("ix_sale_orders_pending")
        for column in (
            "tracking_updated_at",
            "tracking_status",
            "blocked_reasons",
            "blocked_fingerprint",
            "create_sent_at",
            "source_modified_at",
            "source_version",
        ):
            batch.drop_column(column)
