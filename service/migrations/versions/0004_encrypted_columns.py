"""encrypt the columns that hold what was typed about a client (encryption at rest)

Case title, CASE.json, consent, uploaded file name, review edits (original and edited text) and the
letter title become ``EncryptedText`` (Text holding ``enc:`` + a Fernet token, see service.db):
the length-limited ones widen to Text (on SQLite the declared length was never enforced), and
the values already there are encrypted with the at-rest keyring, which ``open_database`` loads
before migrating. Downgrade decrypts them again.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

from core import at_rest

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

PREFIX = "enc:"
COLUMNS = {
    "cases": ("id", ("title", "case_json", "consent_by", "input_name")),
    "item_edits": ("id", ("original", "edited")),
    "letters": ("id", ("title",)),
}
WIDENED = {("cases", "title"): 200, ("cases", "consent_by"): 200, ("cases", "input_name"): 300, ("letters", "title"): 200}


def _keyring() -> at_rest.Keyring:
    keyring = at_rest.current_keyring()
    if keyring is None:
        raise RuntimeError("migration 0004 needs the at-rest keyring (open the database with service.db.open_database)")
    return keyring


def _convert(encrypt: bool) -> None:
    conn = op.get_bind()
    for table, (key, columns) in COLUMNS.items():
        rows = conn.execute(sa.text(f"SELECT {key}, {', '.join(columns)} FROM {table}")).fetchall()
        if not rows:
            continue
        keyring = _keyring()
        for row in rows:
            values = {}
            for name, value in zip(columns, row[1:]):
                if value is None:
                    continue
                if encrypt and not value.startswith(PREFIX):
                    values[name] = PREFIX + keyring.encrypt(value.encode("utf-8")).decode("ascii")
                elif not encrypt and value.startswith(PREFIX):
                    values[name] = keyring.decrypt(value[len(PREFIX):].encode("ascii")).decode("utf-8")
            if values:
                assignments = ", ".join(f"{name} = :{name}" for name in values)
                conn.execute(sa.text(f"UPDATE {table} SET {assignments} WHERE {key} = :key_"), {**values, "key_": row[0]})


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for (table, column), length in WIDENED.items():
            op.alter_column(table, column, type_=sa.Text(), existing_type=sa.String(length=length))
    _convert(encrypt=True)


def downgrade() -> None:
    _convert(encrypt=False)
    if op.get_bind().dialect.name == "postgresql":
        for (table, column), length in WIDENED.items():
            op.alter_column(table, column, type_=sa.String(length=length), existing_type=sa.Text())
