from __future__ import annotations

import os
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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


def test_processes_starting_together_agree_on_one_key(tmp_path):
    """The app and its workers start at once on an empty secrets folder (the region's compose
    file): each must end up with the same, complete key, and none may fail or read a half-written file."""
    for attempt in range(20):
        key_file = tmp_path / str(attempt) / "vault.key"
        barrier = threading.Barrier(12)

        def create() -> bytes:
            barrier.wait()
            return load_or_create_key(key_file)

        with ThreadPoolExecutor(12) as pool:
            keys = list(pool.map(lambda _: create(), range(12)))
        assert len(set(keys)) == 1 and keys[0] == key_file.read_bytes().strip()
        assert [p.name for p in key_file.parent.iterdir()] == ["vault.key"], "no temporary files left behind"


def test_a_process_that_loses_the_race_uses_the_winners_key(tmp_path, monkeypatch):
    key_file = tmp_path / "vault.key"
    winner = Fernet.generate_key()
    link = os.link

    def another_process_is_first(source, target):
        Path(target).write_bytes(winner + b"\n")
        return link(source, target)

    monkeypatch.setattr(os, "link", another_process_is_first)
    assert load_or_create_key(key_file) == winner
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vault.key"]


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
