"""Return labels and end-of-day manifests: a label's kind (shipment or return), the return of a
sale order (its clone recorded before its label is printed), and the manifests handed to each
carrier, with the labels each one holds.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

from server.models import UtcDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "manifests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account", sa.String(100)),
        sa.Column("carrier", sa.String(100), nullable=False),
        sa.Column("manifest_number", sa.String(50)),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("order_count", sa.Integer, nullable=False),
        sa.Column("pdf", sa.LargeBinary),
        sa.Column("created_by", sa.String(100)),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("finished_at", UtcDateTime),
    )
    op.create_index("ix_manifests_created_at", "manifests", ["created_at"])
    with op.batch_alter_table("labels") as labels:
        labels.add_column(sa.Column("kind", sa.String(10), nullable=False, server_default="shipment"))
        labels.add_column(
            sa.Column("manifest_id", sa.Integer, sa.ForeignKey("manifests.id", name="fk_labels_manifest"))
        )
        labels.create_index("ix_labels_unmanifested", ["manifest_id", "kind", "created_at"])
    op.create_table(
        "return_shipments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "sale_order_pk",
            sa.Integer,
            sa.ForeignKey("sale_orders.id", name="fk_return_shipments_sale_order"),
            nullable=False,
            unique=True,
        ),
        sa.Column("source_order_id", sa.Integer, nullable=False),
        sa.Column("starshipit_order_id", sa.Integer),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("label_id", sa.String(36)),
        sa.Column("created_by", sa.String(100)),
        sa.Column("sent_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("return_shipments")
    with op.batch_alter_table("labels") as labels:
        labels.drop_index("ix_labels_unmanifested")
        labels.drop_column("manifest_id")
        labels.drop_column("kind")
    op.drop_index("ix_manifests_created_at", "manifests")
    op.drop_table("manifests")
