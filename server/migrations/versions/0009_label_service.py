"""The service a label was booked with, and who chose it (null: the mapping rules).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("labels") as labels:
        labels.add_column(sa.Column("carrier_service_code", sa.String(50), nullable=True))
        labels.add_column(sa.Column("service_chosen_by", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("labels") as labels:
        labels.drop_column("service_chosen_by")
        labels.drop_column("carrier_service_code")
