"""Enrollment codes: a bench exchanges a short one-time code for its own API token, so nobody
pastes a token into a popup. Codes are stored as SHA-256 hashes, like tokens.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from server.models import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enrollment_codes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("token_name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("created_by", sa.String(100)),
        sa.Column("expires_at", UtcDateTime, nullable=False),
        sa.Column("used_at", UtcDateTime),
    )


def downgrade() -> None:
    op.drop_table("enrollment_codes")
