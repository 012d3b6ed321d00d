"""Initial schema: tokens, sale orders, labels, outbox, idempotency keys, order events.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from server.models import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("last_used_at", UtcDateTime),
        sa.Column("revoked_at", UtcDateTime),
    )
    op.create_table(
        "sale_orders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("sale_order_id", sa.String(64), nullable=False),
        sa.Column("numeric_id", sa.String(32)),
        sa.Column("customer_reference", sa.String(200)),
        sa.Column("status", sa.String(40)),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("starshipit_order_id", sa.Integer),
        sa.Column("starshipit_order_number", sa.String(50)),
        sa.Column("carrier", sa.String(100)),
        sa.Column("tracking_numbers", sa.JSON, nullable=False),
        sa.Column("current_label_id", sa.String(36)),
        sa.Column("last_error_code", sa.String(50)),
        sa.Column("last_error_message", sa.Text),
        sa.Column("last_error_at", UtcDateTime),
        sa.Column("lock_token", sa.String(36)),
        sa.Column("locked_until", UtcDateTime),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.UniqueConstraint("tenant_id", "sale_order_id", name="uq_sale_orders_tenant_sale_order"),
    )
    op.create_index("ix_sale_orders_numeric_id", "sale_orders", ["tenant_id", "numeric_id"])
    op.create_index("ix_sale_orders_customer_reference", "sale_orders", ["tenant_id", "customer_reference"])
    op.create_table(
        "labels",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("sale_order_pk", sa.Integer, sa.ForeignKey("sale_orders.id"), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("carrier", sa.String(100)),
        sa.Column("tracking_numbers", sa.JSON, nullable=False),
        sa.Column("replaces_label_id", sa.String(36)),
        sa.Column("replaced_reason", sa.Text),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_labels_sale_order_pk", "labels", ["sale_order_pk"])
    op.create_table(
        "outbox_jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sale_order_pk", sa.Integer, sa.ForeignKey("sale_orders.id"), nullable=False),
        sa.Column("label_id", sa.String(36), nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UtcDateTime, nullable=False),
        sa.Column("claimed_by", sa.String(100)),
        sa.Column("claimed_until", UtcDateTime),
        sa.Column("last_error", sa.Text),
        sa.Column("steps_done", sa.JSON, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.Column("done_at", UtcDateTime),
    )
    op.create_index("ix_outbox_jobs_due", "outbox_jobs", ["state", "next_attempt_at"])
    op.create_index("ix_outbox_jobs_sale_order_pk", "outbox_jobs", ["sale_order_pk"])
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_name", sa.String(100), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("response_status", sa.Integer),
        sa.Column("response_body", sa.JSON),
        sa.Column("label_id", sa.String(36)),
        sa.Column("locked_until", UtcDateTime),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.UniqueConstraint("token_name", "key", name="uq_idempotency_token_key"),
    )
    op.create_table(
        "order_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sale_order_pk", sa.Integer, sa.ForeignKey("sale_orders.id"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(100)),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_order_events_sale_order_pk", "order_events", ["sale_order_pk"])


def downgrade() -> None:
    for table in ("order_events", "idempotency_keys", "outbox_jobs", "labels", "sale_orders", "api_tokens"):
        op.drop_table(table)
