"""Printing at the bench: network printers, workstation preferences, packing slips, batches.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from server.models import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "printers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("port", sa.Integer, nullable=False),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("dpi", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("label_layout", sa.String(20), nullable=False, server_default="original"))
        batch.add_column(
            sa.Column(
                "printer_id",
                sa.Integer,
                sa.ForeignKey("printers.id", name="fk_api_tokens_printer", ondelete="SET NULL"),
            )
        )
        batch.add_column(sa.Column("packing_slip", sa.Boolean, nullable=False, server_default=sa.false()))
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("label_layout", server_default=None)
        batch.alter_column("packing_slip", server_default=None)
    op.create_table(
        "packing_slips",
        sa.Column("label_id", sa.String(36), sa.ForeignKey("labels.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "print_batches",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("token_name", sa.String(100), nullable=False, index=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("results", sa.JSON, nullable=False),
        sa.Column("format", sa.String(10)),
        sa.Column("content", sa.LargeBinary),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.Column("finished_at", UtcDateTime),
    )


def downgrade() -> None:
    op.drop_table("print_batches")
    op.drop_table("packing_slips")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("packing_slip")
        batch.drop_column("printer_id")
        batch.drop_column("label_layout")
    op.drop_table("printers")
