"""Stage reuse can never mix clients (issue 10 item 1), and personal data on disk stays private (item 4).

Client A is processed completely; client B is then processed into the same ``--out`` and
interrupted (``KeyboardInterrupt``) or crashed (``RuntimeError``) inside each stage in turn, by a
fake backend that trips only while that stage runs. A re-run of B must then contain nothing of A.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import numpy as np
import pytest

from core.settings import Settings
from models.asr import AsrOptions, AsrResult, AsrSegment
from models.llm.base import GenerationRequest
from models.llm.fake import FakeLLM, minimal_instance
from pipeline.artefacts import STAGE_FILES, STAGES, load_raw_transcript
from pipeline.backends import Backends
from pipeline.case import CaseMetadata
from pipeline.deid.vault import load_vault
from pipeline.runner import ProcessOptions, run_pipeline

CLIENTS = {
    "A": {"text": "Ik ben Sanne de Groot en ik heb grote schulden.", "case": {"inwoner": {"naam": "Sanne de Groot"}},
          "topic": "schulden", "secrets": ("Sanne", "Groot", "schulden")},
    "B": {"text": "Ik ben Karel Jansen en ik voel me eenzaam.", "case": {"inwoner": {"naam": "Karel Jansen"}},
          "topic": "eenzaamheid", "secrets": ("Karel", "Jansen", "eenzaam")},
}


class Tripwire:
    """Knows which stage runs (from the progress callback) and makes fakes raise inside one of them."""

    def __init__(self) -> None:
        self.stage: str | None = None
        self.target: str | None = None
        self.exc: BaseException | None = None

    def progress(self, stage: str, _message: str) -> None:
        self.stage = stage

    def check(self) -> None:
        if self.target is not None and self.stage == self.target and self.exc is not None:
            raise self.exc


class ClientASR:
    name = "fake"

    def __init__(self, wire: Tripwire) -> None:
        self.wire = wire
        self.client = "A"
        self.calls = 0

    @property
    def model_ref(self):  # noqa: ANN201
        from core.provenance import ModelRef

        return ModelRef(backend="fake", name="client-asr")

    def transcribe(self, audio: np.ndarray, options: AsrOptions) -> AsrResult:
        self.calls += 1
        self.wire.check()
        text = CLIENTS[self.client]["text"]
        return AsrResult(language="nl", duration=len(audio) / 16000, segments=[AsrSegment(start=0.0, end=1.5, text=text)])


class Tripping:
    """Wraps a real object (de-identification engine, catalogue); every attribute access checks the wire."""

    def __init__(self, inner: object, wire: Tripwire) -> None:
        self._inner, self._wire = inner, wire

    def __getattr__(self, name: str) -> object:
        self._wire.check()
        return getattr(self._inner, name)


def client_llm(wire: Tripwire) -> FakeLLM:
    def respond(request: GenerationRequest) -> str:
        wire.check()
        prompt = " ".join(m.content for m in request.messages)
        topic = "schulden" if "schulden" in prompt else "eenzaamheid" if "eenzaam" in prompt else "onbekend"
        if request.task == "hulpvraag":
            return json.dumps({"hulpvraag": {"tekst": f"[INWONER] vraagt hulp bij {topic}.", "context": None, "bronnen": [1]}})
        if request.task == "ik_heb_nodig":
            return json.dumps({"items": [{"tekst": f"Hulp bij {topic}", "bronnen": [1]}]})
        return json.dumps(minimal_instance(request.json_schema)) if request.json_schema else f"Samenvatting over {topic}."

    return FakeLLM(respond)


def _wav(path: Path, freq: float) -> Path:
    import av

    with av.open(str(path), "w") as container:
        stream = container.add_stream("pcm_s16le", rate=16000, layout="mono")
        t = np.arange(32000) / 16000
        frame = av.AudioFrame.from_ndarray((0.3 * np.sin(2 * np.pi * freq * t) * 32767).astype(np.int16)[None, :],
                                           format="s16", layout="mono")
        frame.sample_rate = 16000
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return path


@pytest.fixture
def setup(tmp_path: Path, deid_engine):  # noqa: ANN201
    wire = Tripwire()
    settings = Settings(data_dir=tmp_path / "data", asr_backend="fake", llm_backend="fake", diarization_backend="none",
                        render_pdf=False, draft_mode="sections")  # PDF: tested elsewhere; the fake answers per section
    backends = Backends(settings, llm=client_llm(wire), asr=ClientASR(wire), deid_engine=Tripping(deid_engine, wire))
    backends.__dict__["catalogue"] = Tripping(backends.catalogue, wire)
    audio = {"A": _wav(tmp_path / "a.wav", 200), "B": _wav(tmp_path / "b.wav", 300)}
    return wire, backends, audio


def _run(client: str, out: Path, wire: Tripwire, backends: Backends, audio: dict[str, Path], **options: object):
    backends.asr.client = client
    return run_pipeline(audio[client], out, case=CaseMetadata.model_validate(CLIENTS[client]["case"]),
                        backends=backends, options=ProcessOptions(diarize=False, **options), progress=wire.progress)


def readable_text(out: Path, key: bytes) -> str:
    """Everything a reader of the output directory could see, with the raw transcript and vault decrypted."""
    parts = []
    for path in sorted(out.iterdir()):
        if path.name == "transcript.json.enc":
            parts.append(load_raw_transcript(out, key).model_dump_json())
        elif path.name == "pseudoniemen.vault":
            parts.append(json.dumps(load_vault(path, key)))
        else:
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), RuntimeError("kapot")], ids=["interrupt", "crash"])
@pytest.mark.parametrize("stage", STAGES)
def test_interrupted_or_failed_client_b_never_gets_client_a_results(setup, tmp_path: Path, stage: str,
                                                                    exc: BaseException) -> None:
    wire, backends, audio = setup
    out = tmp_path / "out"
    assert _run("A", out, wire, backends, audio).status == "success"
    assert "Sanne de Groot" in (out / "advies-huisarts.txt").read_text()

    wire.target, wire.exc = stage, exc
    with pytest.raises(type(exc)):
        _run("B", out, wire, backends, audio)
    run = json.loads((out / "run.json").read_text())
    later = STAGES[STAGES.index(stage):]
    assert run["status"] == "error"
    assert not set(later) & set(run["cache_keys"]), "a key is written only after its stage succeeded"
    for name in (f for s in later for f in STAGE_FILES[s]):
        assert not (out / name).exists(), f"{name} of client A left behind when {stage} failed"
    leftovers = readable_text(out, backends.vault_key)
    for secret in CLIENTS["A"]["secrets"]:
        assert secret not in leftovers

    wire.target = None
    record = _run("B", out, wire, backends, audio)
    assert record.status == "success"
    text = readable_text(out, backends.vault_key)
    for secret in CLIENTS["A"]["secrets"]:
        assert secret not in text, f"client A's {secret!r} reached client B's output"
    assert "Karel Jansen" in (out / "advies-huisarts.txt").read_text()
    assert "eenzaamheid" in (out / "verslag.json").read_text()


def test_different_input_same_case_reruns_everything(setup, tmp_path: Path) -> None:
    wire, backends, audio = setup
    out = tmp_path / "out"
    _run("A", out, wire, backends, audio)
    backends.asr.client = "B"
    record = run_pipeline(audio["B"], out, case=CaseMetadata.model_validate(CLIENTS["A"]["case"]), backends=backends,
                          options=ProcessOptions(diarize=False))
    assert not any(s.reused for s in record.stages), "the key covers the input file's hash"
    assert "schulden" not in (out / "verslag.json").read_text()


def _modes(out: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}


def test_outputs_are_private_and_raw_transcript_encrypted(setup, tmp_path: Path) -> None:
    wire, backends, audio = setup
    out = tmp_path / "nieuw" / "out"
    old = os.umask(0o022)  # as a careless parent process would leave it: modes must not depend on it
    try:
        _run("A", out, wire, backends, audio)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert stat.S_IMODE(out.parent.stat().st_mode) == 0o700
    modes = _modes(out)
    assert modes and all(mode == 0o600 for mode in modes.values()), modes
    assert "transcript.json" not in modes and "transcript.json.enc" in modes
    raw = (out / "transcript.json.enc").read_bytes()
    assert b"Sanne" not in raw and b"schulden" not in raw
    # What sits beside the vault (the pseudonymised transcript, run.json, the draft) names nobody.
    for name in ("transcript.pseudo.json", "run.json", "verslag.json", "verslag.draft.json", "verslag.html"):
        assert "Sanne" not in (out / name).read_text() and "Groot" not in (out / name).read_text()
    # The vault key lives outside the output and data trees.
    key_file = backends.settings.resolve_vault_key_file()
    assert key_file.is_file() and out not in key_file.parents and backends.settings.data_dir not in key_file.parents
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    # Reuse works with the encrypted raw transcript ...
    again = _run("A", out, wire, backends, audio)
    assert all(s.reused for s in again.stages)
    # ... --keep-raw turns it into plaintext without re-running anything, and back.
    kept = _run("A", out, wire, backends, audio, keep_raw=True)
    assert all(s.reused for s in kept.stages)
    assert "Sanne" in (out / "transcript.json").read_text() and not (out / "transcript.json.enc").exists()
    assert _modes(out)["transcript.json"] == 0o600
    _run("A", out, wire, backends, audio)
    assert not (out / "transcript.json").exists() and (out / "transcript.json.enc").is_file()


def test_unreadable_encrypted_transcript_is_recomputed_not_a_crash(setup, tmp_path: Path) -> None:
    wire, backends, audio = setup
    out = tmp_path / "out"
    _run("A", out, wire, backends, audio)
    (out / "transcript.json.enc").write_bytes(b"beschadigd")
    calls = backends.asr.calls
    record = _run("A", out, wire, backends, audio)
    assert record.status == "success" and backends.asr.calls == calls + 1
    assert not any(s.reused for s in record.stages)


def test_a_previous_output_as_input_into_the_same_folder_is_refused_not_deleted(setup, tmp_path: Path) -> None:
    from core.errors import InputError

    wire, backends, audio = setup
    out = tmp_path / "out"
    _run("A", out, wire, backends, audio, keep_raw=True)
    raw = (out / "transcript.json").read_bytes()
    with pytest.raises(InputError, match="uitvoerbestand"):
        run_pipeline(out / "transcript.json", out, case=CaseMetadata.model_validate(CLIENTS["A"]["case"]),
                     backends=backends)
    assert (out / "transcript.json").read_bytes() == raw
