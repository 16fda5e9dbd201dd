"""anonymous statistics per approved case; upload time on cases

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_stats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('gemeente', sa.String(length=100), nullable=False),
    sa.Column('uitkomst', sa.String(length=40), nullable=True),
    sa.Column('hours_to_approval', sa.Float(), nullable=False),
    sa.Column('ai_items', sa.Integer(), nullable=False),
    sa.Column('changed_items', sa.Integer(), nullable=False),
    sa.Column('ai_chars', sa.Integer(), nullable=False),
    sa.Column('edit_distance', sa.Integer(), nullable=False),
    sa.Column('suggestions', sa.Integer(), nullable=False),
    sa.Column('suggestions_accepted', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_stats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_stats_month'), ['month'], unique=False)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uploaded_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('uploaded_at')
    with op.batch_alter_table('case_stats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_stats_month'))
    op.drop_table('case_stats')
