"""The whole product on the bundled sample, with the real bundled models, and no network at all.

This is the walking-skeleton acceptance test: `vg process` on a real (synthetic) recording
produces every promised artefact while every internet socket and DNS lookup is blocked.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import SAMPLE_DIR

EXPECTED = [
    "transcript.json.enc", "transcript.pseudo.json", "verslag.draft.json", "verslag.json", "verslag.html",
    "advies-huisarts.html", "advies-huisarts.txt", "advies-huisarts.pdf",
    "samenvatting-b1.html", "samenvatting-b1.txt", "run.json",
]


@pytest.fixture
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VG_VAULT_KEY", raising=False)
    return tmp_path


@pytest.mark.slow
def test_vg_process_sample_offline(no_network: list, isolated_settings: Path) -> None:
    out = isolated_settings / "out"
    case_path = SAMPLE_DIR / "case.json"
    args = ["process", str(SAMPLE_DIR / "gesprek.ogg"), "--case", str(case_path), "--out", str(out), "--quiet"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert no_network == []
    for name in EXPECTED:
        assert (out / name).is_file(), name
        assert (out / name).stat().st_size > 0, name

    assert not (out / "transcript.json").exists(), "the raw transcript is stored encrypted unless --keep-raw"
    from core.settings import Settings
    from pipeline.artefacts import load_raw_transcript
    from pipeline.deid.vault import load_or_create_key

    key = load_or_create_key(Settings().resolve_vault_key_file())
    transcript = json.loads(load_raw_transcript(out, key).model_dump_json())
    assert transcript["language"] == "nl"
    assert transcript["segments"] and all({"id", "start", "end", "speaker", "text"} <= s.keys() for s in transcript["segments"])
    assert transcript["model"]["name"] == "whisper-base"

    case = json.loads(case_path.read_text())
    names = [case["inwoner"]["naam"], *(n["naam"] for n in case["naasten"]), *(p["naam"] for p in case["professionals"])]
    pseudo_text = (out / "transcript.pseudo.json").read_text()
    for name in names:
        for part in name.split():
            if len(part) > 3:
                assert part not in pseudo_text, "a CASE name survived de-identification"
    assert "[INWONER]" in pseudo_text or "[PERSOON" in pseudo_text

    verslag = json.loads((out / "verslag.json").read_text())
    for field in ("hulpvraag", "ik_wil", "ik_kan", "ik_heb_nodig", "afspraken", "uitkomst", "advies_huisarts"):
        assert field in verslag

    letter = (out / "advies-huisarts.txt").read_text()
    assert case["inwoner"]["naam"] in letter  # re-identified for the huisarts
    assert (out / "advies-huisarts.pdf").read_bytes().startswith(b"%PDF")

    run = json.loads((out / "run.json").read_text())
    assert run["status"] == "success"
    stages = {s["stage"]: s for s in run["stages"]}
    assert {"transcript", "deidentify", "verslag", "kaart", "render"} <= stages.keys()
    assert stages["transcript"]["models"][0]["sha256"]
    assert all(s["wall_seconds"] > 0 and s["peak_rss_mb"] for s in stages.values())

    # A second run into the same directory reuses every stage.
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    rerun = json.loads((out / "run.json").read_text())
    assert all(s["reused"] for s in rerun["stages"])
