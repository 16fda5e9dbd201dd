from __future__ import annotations

import stat

import pytest
from cryptography.fernet import Fernet

from pipeline.deid.engine import Span
from pipeline.deid.pseudonymise import PlaceholderBook, reidentify, replace_spans
from pipeline.deid.vault import load_or_create_key, load_vault, save_vault
from core.errors import VaultError


def test_key_file_created_0600_and_reused(tmp_path):
    key_file = tmp_path / "keys" / "vault.key"
    key = load_or_create_key(key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_or_create_key(key_file) == key


def test_key_from_settings_wins_and_is_checked(tmp_path):
    given = Fernet.generate_key().decode()
    assert load_or_create_key(tmp_path / "unused.key", given) == given.encode()
    assert not (tmp_path / "unused.key").exists()
    with pytest.raises(VaultError):
        load_or_create_key(tmp_path / "x.key", "not-a-key")


def test_vault_roundtrip_is_encrypted(tmp_path):
    key = Fernet.generate_key()
    path = tmp_path / "vault.bin"
    save_vault({"[INWONER]": "Sandra de Wit"}, path, key)
    assert b"Sandra" not in path.read_bytes()
    assert load_vault(path, key) == {"[INWONER]": "Sandra de Wit"}


@pytest.mark.parametrize("damage", ["wrong key", "damaged file"])
def test_vault_wrong_key_or_damage_gives_clear_error(tmp_path, damage):
    key = Fernet.generate_key()
    path = tmp_path / "vault.bin"
    save_vault({"[PERSOON-1]": "Rob"}, path, key)
    if damage == "wrong key":
        key = Fernet.generate_key()
    else:
        path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(VaultError, match="kan niet worden geopend"):
        load_vault(path, key)


def _span(text, sub, typ="PERSOON", case=None, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(sub, start + 1)
    return Span(start, start + len(sub), typ, 0.9, "test", case)


def test_same_entity_same_placeholder_and_partial_names_link():
    text = "Rob Hendriks belde. Later zei Rob dat Hendriks niet kon. Emma lachte. Bel 06-12345678 of 06 12345678."
    spans = [_span(text, "Rob Hendriks"), _span(text, "Rob", occurrence=1), _span(text, "Hendriks", occurrence=1),
             _span(text, "Emma"), _span(text, "06-12345678", "TELEFOON"), _span(text, "06 12345678", "TELEFOON")]
    book = PlaceholderBook()
    out, placeholders = replace_spans(text, spans, book)
    assert placeholders == ["[PERSOON-1]", "[PERSOON-1]", "[PERSOON-1]", "[PERSOON-2]", "[TELEFOON-1]", "[TELEFOON-1]"]
    assert "Rob" not in out and "Hendriks" not in out and "12345678" not in out
    assert reidentify(out, book.mapping).startswith("Rob Hendriks belde.")


def test_reidentify_leaves_unknown_placeholders_and_plain_text():
    assert reidentify("[INWONER] en [PERSOON-9]", {"[INWONER]": "Sandra"}) == "Sandra en [PERSOON-9]"
    assert reidentify("geen", {}) == "geen"
