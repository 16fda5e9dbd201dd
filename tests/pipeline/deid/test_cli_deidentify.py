"""``vg deidentify`` end to end: pseudonymised JSON without originals, encrypted vault beside it."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from cli.main import app
from eval.pii.dataset import DEFAULT_CASE
from pipeline.deid.vault import load_or_create_key, load_vault


@pytest.mark.slow
def test_deidentify_command_writes_no_originals(tmp_path, monkeypatch):
    monkeypatch.setenv("VG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VG_VAULT_KEY", raising=False)
    monkeypatch.delenv("VG_VAULT_KEY_FILE", raising=False)
    src = tmp_path / "gesprek.txt"
    src.write_text("Sandra: Ik ben Sandra de Wit, bel me op 06-12345678.\nSPREKER_2: Mijn dochter Emma woont in Arnhem.\n", encoding="utf-8")
    out = tmp_path / "out" / "gesprek.deid.json"
    result = CliRunner().invoke(app, ["deidentify", "--in", str(src), "--out", str(out), "--case", str(DEFAULT_CASE), "-q"])
    assert result.exit_code == 0, result.output
    raw = out.read_text(encoding="utf-8")
    for path in (out, out.with_suffix(".vault")):
        assert os.stat(path).st_mode & 0o777 == 0o600, path.name
    assert os.stat(out.parent).st_mode & 0o777 == 0o700
    for secret in ("Sandra", "06-12345678", "Emma", "Arnhem"):
        assert secret not in raw
    data = json.loads(raw)
    assert data["segments"][0]["speaker"] == "[INWONER]"
    assert set(data["entities"][0]) == {"segment_id", "start", "end", "type", "score", "recognizer", "evidence", "placeholder"}
    from core.settings import Settings

    key = load_or_create_key(Settings().resolve_vault_key_file())
    mapping = load_vault(out.with_suffix(".vault"), key)
    assert mapping["[INWONER]"] == "Sandra de Wit"


def test_deidentify_command_missing_input_is_clear(tmp_path, monkeypatch):
    monkeypatch.setenv("VG_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["deidentify", "--in", str(tmp_path / "nee.txt"), "--out", str(tmp_path / "o.json")])
    assert result.exit_code == 2
