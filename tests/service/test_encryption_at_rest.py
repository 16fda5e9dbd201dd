"""Encryption at rest in the app: after a whole case (upload, processing, review, approval, letter) no
file under the data directory and no database row holds the client's personal data in the clear,
the app still serves all of it, and ``vg keys rotate`` re-encrypts everything under a new key."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from core import at_rest
from service.keys import encrypted_columns
from tests.service.helpers import SAMPLES, auth, new_case, processed_case, wait
from tests.service.servers import DATABASES

# what the sample conversation and its CASE.json say about the inwoner and her family
PERSONAL = ("Sanne", "de Groot", "Marja", "Lotte", "Populierenlaan", "5221 AB", "14 maart 1992", "1992-03-14")


def _plaintext_on_disk(data_dir: Path) -> list[tuple[str, str]]:
    found = []
    for path in data_dir.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            found += [(str(path.relative_to(data_dir)), word) for word in PERSONAL
                      if word.encode() in content or word.encode("utf-16-le") in content]
    return found


def _plaintext_in_database(client) -> list[tuple[str, str]]:  # noqa: ANN001
    found = []
    with client.app.state.sessions() as db:
        for table in ("cases", "item_edits", "letters", "stage_progress", "audit_log", "case_stats", "users"):
            for row in db.execute(text(f"SELECT * FROM {table}")).fetchall():
                found += [(table, word) for word in PERSONAL if word in " ".join(map(str, row))]
    return found


def _approved_case(client) -> tuple[str, str]:  # noqa: ANN001
    case_id = processed_case(client)
    gv = auth(client, "gv1")
    assert client.put(f"/api/casussen/{case_id}/verslag/items/hulpvraag", json={"tekst": "Sanne wil rust en overzicht."},
                      headers=gv).status_code == 200
    assert client.post(f"/api/casussen/{case_id}/vaststellen", headers=gv).status_code == 202
    wait(client, case_id, states=("vastgesteld",))
    return case_id, client.get("/api/brieven", headers=auth(client, "ha1")).json()[0]["id"]


@pytest.mark.parametrize("database", DATABASES, indirect=True)
def test_no_personal_data_in_the_clear_on_disk_or_in_the_database(client) -> None:
    case_id, letter_id = _approved_case(client)
    waiting = new_case(client)  # a case whose recording is still there (deleted at approval)
    ogg = (SAMPLES / "gesprek.ogg").read_bytes()
    assert client.put(f"/api/casussen/{waiting}/opname", params={"naam": "Sanne de Groot.ogg"}, content=ogg,
                      headers=auth(client, "gv1")).status_code == 202
    data_dir: Path = client.app.state.processing.settings.data_dir
    recording = data_dir / "cases" / waiting / "invoer" / "opname.ogg"
    assert at_rest.is_sealed(recording) and ogg[:4096] not in recording.read_bytes()

    assert _plaintext_on_disk(data_dir) == []
    assert _plaintext_in_database(client) == []
    # ... while the people allowed to see it still do
    gv, ha = auth(client, "gv1"), auth(client, "ha1")
    assert "Sanne" in client.get(f"/api/casussen/{case_id}/transcript", headers=gv).text
    assert client.get(f"/api/casussen/{case_id}/verslag", headers=gv).json()["hulpvraag"]["tekst"] == "Sanne wil rust en overzicht."
    assert client.get(f"/api/casussen/{waiting}", headers=gv).json()["bestand"] == "Sanne de Groot.ogg"
    letter = client.get(f"/api/brieven/{letter_id}/txt", headers=ha)
    assert letter.status_code == 200 and "Sanne de Groot" in letter.text
    assert client.get(f"/api/brieven/{letter_id}/pdf", headers=ha).content.startswith(b"%PDF")


def test_the_recording_streams_with_byte_ranges_from_its_sealed_file(client) -> None:
    case_id = new_case(client)
    ogg = (SAMPLES / "gesprek.ogg").read_bytes()
    gv = auth(client, "gv1")
    assert client.put(f"/api/casussen/{case_id}/opname", params={"naam": "g.ogg"}, content=ogg, headers=gv).status_code == 202
    whole = client.get(f"/api/casussen/{case_id}/audio", headers=gv)
    assert whole.status_code == 200 and whole.content == ogg and whole.headers["accept-ranges"] == "bytes"
    for header, (start, end) in (("bytes=0-99", (0, 99)), ("bytes=1000-", (1000, len(ogg) - 1)), ("bytes=-50", (len(ogg) - 50, len(ogg) - 1))):
        part = client.get(f"/api/casussen/{case_id}/audio", headers={**gv, "Range": header})
        assert part.status_code == 206 and part.content == ogg[start: end + 1]
        assert part.headers["content-range"] == f"bytes {start}-{end}/{len(ogg)}"
    assert client.get(f"/api/casussen/{case_id}/audio", headers={**gv, "Range": f"bytes={len(ogg) + 5}-"}).status_code == 416


def test_every_personal_column_is_encrypted() -> None:
    assert encrypted_columns() == {
        "cases": ("id", ["title", "case_json", "consent_by", "input_name"]),
        "item_edits": ("id", ["original", "edited"]),
        "letters": ("id", ["title"]),
    }


def test_vg_keys_rotate_re_encrypts_everything_and_retires_the_old_key(client, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from cli.main import app as cli

    case_id, letter_id = _approved_case(client)
    settings = client.app.state.processing.settings
    monkeypatch.setenv("VG_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("VG_DATABASE_URL", raising=False)
    key_file = settings.resolve_vault_key_file()
    monkeypatch.setenv("VG_VAULT_KEY_FILE", str(key_file))
    old_key = key_file.read_bytes().strip()
    older = settings.data_dir / "cases" / case_id / "uitvoer" / "van-voor-versleuteling.txt"
    older.write_text("Sanne de Groot", encoding="utf-8")  # a file from a version without encryption at rest
    files_before = {p: p.read_bytes() for p in (settings.data_dir / "cases").rglob("*") if p.is_file()}

    result = CliRunner().invoke(cli, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "Opnieuw versleuteld" in result.output and "oude sleutel is verwijderd" in result.output
    new_key = key_file.read_bytes().strip()
    assert new_key != old_key and len(at_rest.Keyring.parse(new_key).keys) == 1
    changed = [p for p, before in files_before.items() if p.read_bytes() != before]
    assert len(changed) == len(files_before)  # every file in the case folders was encrypted, so every one changed
    assert at_rest.is_sealed(older) and b"Sanne" not in older.read_bytes()  # the older plaintext file is sealed now

    # a restarted app (only the new key) reads everything; the old key reads nothing any more
    at_rest.seal_tree(settings.data_dir / "cases", new_key)
    client.app.state.processing.backends.__dict__.pop("vault_key", None)  # the cached key, as after a restart
    gv, ha = auth(client, "gv1"), auth(client, "ha1")
    assert "Sanne" in client.get(f"/api/casussen/{case_id}/transcript", headers=gv).text
    assert "Sanne de Groot" in client.get(f"/api/brieven/{letter_id}/txt", headers=ha).text
    assert at_rest.unseal(older) == "Sanne de Groot".encode()
    assert client.get(f"/api/casussen/{case_id}", headers=gv).json()["toestemming"]["door"]
    old = at_rest.Keyring.parse(old_key)
    with pytest.raises(Exception, match="sleutel"):
        at_rest.unseal(settings.data_dir / "cases" / case_id / "uitvoer" / "verslag.json", old)
    assert "sleutel-vervangen" in client.get("/api/audit", headers=auth(client, "bh")).text


def test_keys_given_in_vg_vault_key_are_rotated_by_hand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cryptography.fernet import Fernet
    from typer.testing import CliRunner

    from cli.main import app as cli

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    data = tmp_path / "data"
    monkeypatch.setenv("VG_DATA_DIR", str(data))
    monkeypatch.delenv("VG_DATABASE_URL", raising=False)
    monkeypatch.setenv("VG_VAULT_KEY", old)
    sealed = data / "cases" / "c1" / "uitvoer" / "verslag.json"
    sealed.parent.mkdir(parents=True)
    sealed.write_bytes(at_rest.seal(b'{"naam": "Sanne"}', at_rest.Keyring.parse(old)))
    runner = CliRunner()
    status = runner.invoke(cli, ["keys", "status"])
    assert status.exit_code == 0 and "VG_VAULT_KEY (1 sleutel(s)" in status.output and old not in status.output
    refused = runner.invoke(cli, ["keys", "rotate"])
    assert refused.exit_code == 2 and "VG_VAULT_KEY=nieuw,oud" in refused.output

    monkeypatch.setenv("VG_VAULT_KEY", f"{new},{old}")  # step 1 by hand: the new key first
    done = runner.invoke(cli, ["keys", "rotate", "--alleen-hersleutelen"])
    assert done.exit_code == 0, done.output
    assert at_rest.unseal(sealed, at_rest.Keyring.parse(new)) == b'{"naam": "Sanne"}'  # step 3: the old key can go
