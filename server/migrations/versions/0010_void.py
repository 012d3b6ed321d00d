"""Voided labels (when, why, by whom, and what Starshipit did), the shipments an order has had
voided (its next Starshipit order number is suffixed), and the outbox job's kind (a void clears
the written-back tracking).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

from server.models import UtcDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("labels") as labels:
        labels.add_column(sa.Column("voided_at", UtcDateTime, nullable=True))
        labels.add_column(sa.Column("void_reason", sa.Text(), nullable=True))
        labels.add_column(sa.Column("voided_by", sa.String(100), nullable=True))
        labels.add_column(sa.Column("void_action", sa.String(10), nullable=True))
        labels.add_column(sa.Column("starshipit_order_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("sale_orders") as sale_orders:
        sale_orders.add_column(sa.Column("voided_shipments", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("outbox_jobs") as jobs:
        jobs.add_column(sa.Column("kind", sa.String(20), nullable=False, server_default="tracking"))


def downgrade() -> None:
    with op.batch_alter_table("outbox_jobs") as jobs:
        jobs.drop_column("kind")
    with op.batch_alter_table("sale_orders") as sale_orders:
        sale_orders.drop_column("voided_shipments")
    with op.batch_alter_table("labels") as labels:
        labels.drop_column("starshipit_order_id")
        labels.drop_column("void_action")
        labels.drop_column("voided_by")
        labels.drop_column("void_reason")
        labels.drop_column("voided_at")
