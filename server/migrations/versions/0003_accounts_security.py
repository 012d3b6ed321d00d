"""Accounts, routing, settings, token roles and expiry, and a general audit log.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from server.models import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        # Tokens made before roles existed keep the power they had: admin.
        batch.add_column(sa.Column("role", sa.String(20), nullable=False, server_default="admin"))
        batch.add_column(sa.Column("expires_at", UtcDateTime))
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("role", server_default=None)
    with op.batch_alter_table("sale_orders") as batch:
        batch.add_column(sa.Column("starshipit_account", sa.String(100)))
    with op.batch_alter_table("order_events") as batch:
        batch.alter_column("sale_order_pk", existing_type=sa.Integer, nullable=True)
    op.create_table(
        "starshipit_accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("api_key_encrypted", sa.Text, nullable=False),
        sa.Column("subscription_key_encrypted", sa.Text, nullable=False),
        sa.Column("rate_per_second", sa.Double, nullable=False),
        sa.Column("is_default", sa.Boolean, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "routing_rules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("match_field", sa.String(20), nullable=False),
        sa.Column("match_value", sa.String(200), nullable=False),
        sa.Column(
            "account_id", sa.Integer, sa.ForeignKey("starshipit_accounts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.UniqueConstraint("match_field", "match_value", name="uq_routing_rules_match"),
    )
    op.create_table(
        "cartoncloud_connections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("base_url", sa.String(200), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("tenant_slug", sa.String(100)),
        sa.Column("client_id", sa.String(200), nullable=False),
        sa.Column("client_secret_encrypted", sa.Text, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.JSON, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.Column("updated_by", sa.String(100)),
    )


def downgrade() -> None:
    for table in ("settings", "cartoncloud_connections", "routing_rules", "starshipit_accounts"):
        op.drop_table(table)
    with op.batch_alter_table("order_events") as batch:
        batch.alter_column("sale_order_pk", existing_type=sa.Integer, nullable=False)
    with op.batch_alter_table("sale_orders") as batch:
        batch.drop_column("starshipit_account")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
        batch.drop_column("role")
