"""An index on the outbox's label: every lookup and reprint reads its label's writeback state.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outbox_jobs_label_id", "outbox_jobs", ["label_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_jobs_label_id", table_name="outbox_jobs")
