"""The stage runner: artefacts, run.json, reuse of unchanged stages, and failure handling.

Uses the real de-identification engine (it guards what reaches the LLM) with a fake ASR and a
scripted fake LLM, so the control flow is tested quickly and deterministically.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.asr import AsrSegment
from models.asr_faster_whisper import FakeASR
from models.llm.fake import FakeLLM
from pipeline.backends import Backends
from pipeline.case import CaseMetadata
from core.settings import Settings
from core.errors import AudioError
from pipeline.runner import ProcessOptions, run_pipeline
from pipeline.transcript import PseudonymisedTranscript

TRANSCRIPT = """GGZ: Welkom. Ik ben Ruud Verhoeven, POH-ggz.
Inwoner: Ik ben Sanne de Groot. Ik slaap slecht en ik heb schulden.
Inwoner: Ik wil weer rust in mijn hoofd.
Sociaal: Ik meld je deze week aan bij schuldhulpverlening van het wijkteam.
"""
CASE = CaseMetadata.model_validate({
    "inwoner": {"naam": "Sanne de Groot", "geboortedatum": "1992-03-14", "gemeente": "'s-Hertogenbosch"},
    "professionals": [{"naam": "Ruud Verhoeven", "rol": "ggz"}],
    "huisarts": {"naam": "P. van Dijk", "praktijk": "De Linde"},
    "regio": "zorgzaam",
})
SCRIPT = {
    "hulpvraag": '{"hulpvraag": {"tekst": "[INWONER] slaapt slecht en heeft schulden.", "context": null, "bronnen": [2]}}',
    "ik_wil": '{"items": [{"tekst": "Weer rust in het hoofd.", "bronnen": [3]}]}',
    "ik_heb_nodig": '{"items": [{"tekst": "Hulp bij schulden", "bronnen": [2, 4]}]}',
}


@pytest.fixture
def backends(tmp_path: Path, deid_engine) -> Backends:
    settings = Settings(data_dir=tmp_path / "data", asr_backend="fake", llm_backend="fake",
                        diarization_backend="none", draft_mode="sections")  # SCRIPT answers per section
    return Backends(settings, llm=FakeLLM(SCRIPT), asr=FakeASR([AsrSegment(start=0, end=2, text="Hallo.")]),
                    deid_engine=deid_engine)


@pytest.fixture
def transcript_file(tmp_path: Path) -> Path:
    path = tmp_path / "gesprek.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    return path


def test_run_writes_every_artefact_and_never_sends_names_to_the_llm(backends: Backends, transcript_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    stages_seen: list[tuple[str, str]] = []
    record = run_pipeline(transcript_file, out, case=CASE, backends=backends,
                          progress=lambda s, m: stages_seen.append((s, m)))
    assert record.status == "success"
    for name in ("transcript.json.enc", "transcript.pseudo.json", "pseudoniemen.vault", "verslag.draft.json",
                 "verslag.json", "verslag.html", "advies-huisarts.html", "advies-huisarts.txt", "advies-huisarts.pdf",
                 "samenvatting-b1.txt", "run.json"):
        assert (out / name).is_file(), name
    assert not (out / "transcript.json").exists(), "the raw transcript is kept encrypted unless --keep-raw"
    prompts = " ".join(m.content for r in backends.llm.requests for m in r.messages)
    for secret in ("Sanne", "Groot", "Ruud", "Verhoeven", "Dijk"):
        assert secret not in prompts
    assert "[INWONER]" in prompts
    assert "Sanne" not in (out / "pseudoniemen.vault").read_text()  # encrypted
    verslag = json.loads((out / "verslag.json").read_text())
    assert verslag["ik_heb_nodig"][0]["bronnen"] == [2, 4]
    assert verslag["suggesties"], "sociale-kaart suggestions for the ik-heb-nodig item"
    assert "Sanne de Groot" in (out / "advies-huisarts.txt").read_text()
    run = json.loads((out / "run.json").read_text())
    assert [s["stage"] for s in run["stages"]] == ["transcript", "deidentify", "verslag", "kaart", "render"]
    assert run["packages"]["presidio-analyzer"] and run["machine"]["cpu_count"]
    assert ("render", "bezig") in stages_seen


def test_rerun_reuses_unchanged_stages_and_redoes_changed_ones(backends: Backends, transcript_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_pipeline(transcript_file, out, case=CASE, backends=backends)
    calls = len(backends.llm.requests)
    again = run_pipeline(transcript_file, out, case=CASE, backends=backends)
    assert all(s.reused for s in again.stages), [(s.stage, s.reused) for s in again.stages]
    assert len(backends.llm.requests) == calls

    # A reviewer accepts a sociale-kaart suggestion in verslag.json: only the letters are redone.
    verslag_path = out / "verslag.json"
    verslag = json.loads(verslag_path.read_text())
    verslag["suggesties"][0]["status"] = "geaccepteerd"
    verslag_path.write_text(json.dumps(verslag), encoding="utf-8")
    edited = run_pipeline(transcript_file, out, case=CASE, backends=backends)
    assert {s.stage: s.reused for s in edited.stages} == {
        "transcript": True, "deidentify": True, "verslag": True, "kaart": True, "render": False}
    assert verslag["suggesties"][0]["naam"] in (out / "advies-huisarts.txt").read_text()

    other_case = CASE.model_copy(update={"regio": "gooi"})
    third = run_pipeline(transcript_file, out, case=other_case, backends=backends)
    reused = {s.stage: s.reused for s in third.stages}
    # the case decides speaker count and roles, and what is pseudonymised: everything is redone
    assert not any(reused.values())

    fresh = run_pipeline(transcript_file, out, case=CASE, backends=backends, options=ProcessOptions(reuse=False))
    assert not any(s.reused for s in fresh.stages)


def test_llm_garbage_leaves_sections_empty_not_a_crash(backends: Backends, transcript_file: Path, tmp_path: Path) -> None:
    backends.__dict__["llm"] = FakeLLM(lambda request: "dit is geen json {{{")
    record = run_pipeline(transcript_file, tmp_path / "out", case=CASE, backends=backends)
    assert record.status == "success"
    verslag = json.loads((tmp_path / "out" / "verslag.json").read_text())
    assert verslag["ik_wil"] == [] and verslag["hulpvraag"] is None
    assert any(s["status"] == "leeg_na_fouten" for s in verslag["draft"]["secties"])


def test_failure_is_recorded_and_earlier_output_kept(backends: Backends, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notities.txt").write_text("bewaren")
    bad = tmp_path / "opname.wav"
    bad.write_text("geen audio")
    with pytest.raises(AudioError):
        run_pipeline(bad, out, case=CASE, backends=backends)
    run = json.loads((out / "run.json").read_text())
    assert run["status"] == "error"
    assert (out / "notities.txt").read_text() == "bewaren"


def test_audio_input_uses_the_asr_backend(backends: Backends, tmp_path: Path) -> None:
    import av
    import numpy as np

    audio = tmp_path / "opname.wav"
    with av.open(str(audio), "w") as container:
        stream = container.add_stream("pcm_s16le", rate=16000, layout="mono")
        t = np.arange(32000) / 16000
        frame = av.AudioFrame.from_ndarray((0.3 * np.sin(2 * np.pi * 200 * t) * 32767).astype(np.int16)[None, :],
                                           format="s16", layout="mono")
        frame.sample_rate = 16000
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    run_pipeline(audio, tmp_path / "out", case=CASE, backends=backends)
    assert backends.asr.calls == 1
    pseudo = PseudonymisedTranscript.model_validate_json((tmp_path / "out" / "transcript.pseudo.json").read_text())
    assert pseudo.segments[0].text == "Hallo."


@pytest.mark.parametrize(("runs_here", "handed_to"), [
    (set(), "transcript"), ({"transcript"}, "deidentify"), ({"transcript", "deidentify"}, "verslag"),
    ({"transcript", "deidentify", "verslag"}, "kaart"), ({"transcript", "deidentify", "verslag", "kaart"}, "render"),
])
def test_a_stage_not_run_here_is_handed_off_before_it_touches_anything(
        backends: Backends, transcript_file: Path, tmp_path: Path, runs_here: set[str], handed_to: str) -> None:
    from pipeline.run_context import StageElsewhere

    out = tmp_path / "out"
    with pytest.raises(StageElsewhere) as caught:
        run_pipeline(transcript_file, out, case=CASE, backends=backends, runs_here=runs_here)
    assert caught.value.stage == handed_to
    assert json.loads((out / "run.json").read_text())["status"] == f"handed-off:{handed_to}"
    # the next worker (here: all stages allowed) reuses what was done and computes only the rest
    record = run_pipeline(transcript_file, out, case=CASE, backends=backends)
    assert record.status == "success"
    assert {s.stage for s in record.stages if s.reused} == runs_here
