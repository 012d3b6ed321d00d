"""One record of every create sent to Starshipit (alone or in an import), replacing the
``create_sent_at`` column: an order whose create was sent and never confirmed keeps a ``sent``
row, so it is looked up by number (and waited for while it may still land) before any resend.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from server.models import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    creates = op.create_table(
        "starshipit_creates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("send_id", sa.String(36), nullable=False, index=True),
        sa.Column(
            "sale_order_pk",
            sa.Integer,
            sa.ForeignKey("sale_orders.id", name="fk_starshipit_creates_sale_order"),
            nullable=False,
        ),
        sa.Column("account", sa.String(100)),
        sa.Column("order_number", sa.String(50), nullable=False),
        sa.Column("via", sa.String(10), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("sent_at", UtcDateTime, nullable=False),
        sa.Column("ended_at", UtcDateTime),
    )
    op.create_index("ix_starshipit_creates_sale_order", "starshipit_creates", ["sale_order_pk", "id"])
    # A create sent before this version and never confirmed stays "sent": looked up before any resend.
    orders = sa.table(
        "sale_orders",
        sa.column("id", sa.Integer),
        sa.column("starshipit_order_id", sa.Integer),
        sa.column("starshipit_order_number", sa.String),
        sa.column("customer_reference", sa.String),
        sa.column("numeric_id", sa.String),
        sa.column("create_sent_at", UtcDateTime),
    )
    pending = (
        op.get_bind()
        .execute(
            sa.select(orders.c.id, orders.c.customer_reference, orders.c.numeric_id, orders.c.create_sent_at).where(
                orders.c.create_sent_at.is_not(None), orders.c.starshipit_order_id.is_(None)
            )
        )
        .all()
    )
    if pending:
        op.bulk_insert(
            creates,
            [
                {
                    "send_id": f"migrated-{row.id}",
                    "sale_order_pk": row.id,
                    "account": None,
                    "order_number": (row.customer_reference or row.numeric_id or "")[:50],
                    "via": "create",
                    "outcome": "sent",
                    "sent_at": row.create_sent_at,
                    "ended_at": None,
                }
                for row in pending
            ],
        )
    with op.batch_alter_table("sale_orders") as batch:
        batch.drop_column("create_sent_at")


def downgrade() -> None:
    with op.batch_alter_table("sale_orders") as batch:
        batch.add_column(sa.Column("create_sent_at", UtcDateTime))
    op.drop_index("ix_starshipit_creates_sale_order", table_name="starshipit_creates")
    op.drop_table("starshipit_creates")
