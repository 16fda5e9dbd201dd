"""Stage reuse cannot mix clients, and personal data on disk is private (issue 10, items 1 and 4).

Client A (a transcript file) is processed into ``out``; then client B (a recording) is processed
into the same ``out`` and interrupted or failed at each stage in turn by a fake backend. Nothing of
A may remain, and re-running B must give B's letter, reusing only B's own finished stages.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from core.errors import DraftError
from core.settings import Settings
from models.asr import AsrOptions, AsrResult, AsrSegment
from models.asr_faster_whisper import FakeASR
from models.llm.base import Generation, GenerationRequest
from models.llm.fake import FakeLLM
from pipeline.artefacts import RAW_TRANSCRIPT, RAW_TRANSCRIPT_ENCRYPTED, RENDERED_FILES, STAGES, VAULT_FILE
from pipeline.backends import Backends
from pipeline.case import CaseMetadata
from pipeline.deid.vault import decrypt_file
from pipeline.runner import ProcessOptions, run_pipeline
from pipeline.transcript import PseudonymisedTranscript

KEY = Fernet.generate_key().decode()
TRANSCRIPT_A = """GGZ: Welkom. Ik ben Ruud Verhoeven, POH-ggz.
Inwoner: Ik ben Sanne de Groot. Ik slaap slecht en ik heb schulden.
Inwoner: Ik wil weer rust in mijn hoofd.
Sociaal: Ik meld je deze week aan bij schuldhulpverlening van het wijkteam.
"""
CASE_A = CaseMetadata.model_validate({
    "inwoner": {"naam": "Sanne de Groot", "geboortedatum": "1992-03-14", "gemeente": "'s-Hertogenbosch"},
    "professionals": [{"naam": "Ruud Verhoeven", "rol": "ggz"}],
    "huisarts": {"naam": "P. van Dijk", "praktijk": "De Linde"},
    "regio": "zorgzaam",
})
SCRIPT_A = {
    "hulpvraag": '{"hulpvraag": {"tekst": "[INWONER] slaapt slecht.", "context": null, "bronnen": [2]}}',
    "ik_wil": '{"items": [{"tekst": "Weer rust in het hoofd.", "bronnen": [3]}]}',
    "ik_heb_nodig": '{"items": [{"tekst": "Hulp bij schulden", "bronnen": [2, 4]}]}',
}
MARKERS_A = ("Sanne", "Groot", "slaap", "rust in")
"""Text that only client A's artefacts contain (names, and A's words in transcript and verslag)."""

SEGMENTS_B = [
    AsrSegment(start=0.0, end=0.6, text="Goedemiddag, ik ben Ruud Verhoeven."),
    AsrSegment(start=0.6, end=1.3, text="Mijn naam is Karel Jansen en ik ben mijn baan kwijt."),
    AsrSegment(start=1.3, end=2.0, text="Ik zoek een nieuwe baan."),
]
CASE_B = CaseMetadata.model_validate({
    "inwoner": {"naam": "Karel Jansen", "geboortedatum": "1980-07-01", "gemeente": "Vught"},
    "professionals": [{"naam": "Ruud Verhoeven", "rol": "ggz"}],
    "huisarts": {"naam": "M. Bakker", "praktijk": "De Vliert"},
    "regio": "zorgzaam",
})
SCRIPT_B = {
    "hulpvraag": '{"hulpvraag": {"tekst": "[INWONER] is zijn baan kwijt.", "context": null, "bronnen": [2]}}',
    "ik_wil": '{"items": [{"tekst": "Een nieuwe baan.", "bronnen": [3]}]}',
    "ik_heb_nodig": '{"items": [{"tekst": "Hulp bij werk zoeken", "bronnen": [3]}]}',
}


class FailingLLM(FakeLLM):
    """Scripted LLM that raises ``error`` on the request for ``task``."""

    def __init__(self, script: dict[str, str], task: str, error: BaseException) -> None:
        super().__init__(script)
        self.fail_task, self.error = task, error

    def generate(self, request: GenerationRequest) -> Generation:
        if request.task == self.fail_task:
            raise self.error
        return super().generate(request)


class FailingASR(FakeASR):
    def __init__(self, error: BaseException) -> None:
        super().__init__(SEGMENTS_B)
        self.error = error

    def transcribe(self, audio, options: AsrOptions) -> AsrResult:  # noqa: ANN001 - the protocol's array
        raise self.error


class FailingDeidEngine:
    """The real engine, failing on the first text it analyses."""

    def __init__(self, engine, error: BaseException) -> None:  # noqa: ANN001
        self.engine, self.error = engine, error

    def case_entities(self, case: CaseMetadata):  # noqa: ANN201
        return self.engine.case_entities(case)

    def analyze(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        raise self.error


class FailingCatalogue:
    """Answers who it is (its sources) and fails on the search itself."""

    def __init__(self, catalogue, error: BaseException) -> None:  # noqa: ANN001
        self.catalogue, self.error = catalogue, error

    def sources(self):  # noqa: ANN201
        return self.catalogue.sources()

    def __getattr__(self, name: str):  # noqa: ANN204
        raise self.error


def _settings(tmp: Path) -> Settings:
    return Settings(data_dir=tmp / "data", asr_backend="fake", llm_backend="fake", diarization_backend="none",
                    vault_key=KEY, render_pdf=False)


def _backends(tmp: Path, engine, *, script: dict[str, str], **injected: object) -> Backends:  # noqa: ANN001
    injected.setdefault("llm", FakeLLM(script))
    injected.setdefault("asr", FakeASR(SEGMENTS_B))
    injected.setdefault("deid_engine", engine)
    return Backends(_settings(tmp), **injected)


def _wav(path: Path) -> Path:
    import av
    import numpy as np

    with av.open(str(path), "w") as container:
        stream = container.add_stream("pcm_s16le", rate=16000, layout="mono")
        t = np.arange(32000) / 16000
        samples = (0.3 * np.sin(2 * np.pi * 200 * t) * 32767).astype(np.int16)[None, :]
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate = 16000
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def _readable_text(out: Path) -> str:
    """Everything in ``out`` as text, with the encrypted files decrypted (as someone with the key reads it)."""
    parts = []
    for path in sorted(out.iterdir()):
        if path.name in (RAW_TRANSCRIPT_ENCRYPTED, VAULT_FILE):
            parts.append(decrypt_file(path, KEY.encode()).decode("utf-8"))
        elif path.is_file():
            parts.append(path.read_bytes().decode("utf-8", errors="ignore"))
    return json.dumps(parts, ensure_ascii=False)


@pytest.fixture(scope="module")
def client_a_out(tmp_path_factory: pytest.TempPathFactory, deid_engine) -> Path:  # noqa: ANN001
    """An output folder with client A's complete run (copied per test)."""
    tmp = tmp_path_factory.mktemp("client-a")
    transcript = tmp / "gesprek-a.txt"
    transcript.write_text(TRANSCRIPT_A, encoding="utf-8")
    record = run_pipeline(transcript, tmp / "out", case=CASE_A, backends=_backends(tmp, deid_engine, script=SCRIPT_A))
    assert record.status == "success"
    assert "Sanne de Groot" in (tmp / "out" / "advies-huisarts.txt").read_text(encoding="utf-8")
    return tmp / "out"


FAILURES = {
    "transcript": lambda backends, error: {"asr": FailingASR(error)},
    "deidentify": lambda backends, error: {"deid_engine": FailingDeidEngine(backends.deid_engine, error)},
    "verslag": lambda backends, error: {"llm": FailingLLM(SCRIPT_B, "hulpvraag", error)},
    "kaart": lambda backends, error: {"catalogue": FailingCatalogue(backends.catalogue, error)},
    "render": lambda backends, error: {"llm": FailingLLM(SCRIPT_B, "b1", error)},
}


@pytest.mark.parametrize("error", [KeyboardInterrupt(), DraftError("kapot")], ids=["interrupted", "failed"])
@pytest.mark.parametrize("stage", STAGES)
def test_client_b_never_gets_client_a_results(stage: str, error: BaseException, client_a_out: Path,
                                              tmp_path: Path, deid_engine) -> None:  # noqa: ANN001
    out = tmp_path / "out"
    shutil.copytree(client_a_out, out)
    audio_b = _wav(tmp_path / "opname-b.wav")
    working = _backends(tmp_path, deid_engine, script=SCRIPT_B)
    failing = _backends(tmp_path, deid_engine, script=SCRIPT_B, **FAILURES[stage](working, error))

    with pytest.raises(type(error)):
        run_pipeline(audio_b, out, case=CASE_B, backends=failing)

    left = _readable_text(out)
    for marker in MARKERS_A:
        assert marker not in left, f"client A's {marker!r} left after B failed in {stage}"
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["status"] == "error"
    done = STAGES[:STAGES.index(stage)]
    assert list(run["cache_keys"]) == list(done), "only B's finished stages have a key"

    again = run_pipeline(audio_b, out, case=CASE_B, backends=working)
    assert {s.stage: s.reused for s in again.stages} == {s: s in done for s in STAGES}
    letter = (out / "advies-huisarts.txt").read_text(encoding="utf-8")
    assert "Karel Jansen" in letter and "Sanne" not in letter
    assert "baan" in (out / "verslag.json").read_text(encoding="utf-8")


def test_files_are_private_and_the_key_lives_outside_the_data_and_output_trees(
        tmp_path: Path, deid_engine, _private_secrets_dir: Path) -> None:  # noqa: ANN001
    settings = _settings(tmp_path).model_copy(update={"vault_key": None})
    backends = Backends(settings, llm=FakeLLM(SCRIPT_B), asr=FakeASR(SEGMENTS_B), deid_engine=deid_engine)
    out = tmp_path / "uitvoer" / "client-b"
    old_umask = os.umask(0o022)  # as if a parent process left a permissive umask: modes are explicit
    try:
        run_pipeline(_wav(tmp_path / "opname.wav"), out, case=CASE_B, backends=backends)
    finally:
        os.umask(old_umask)
    for directory in (out, out.parent):
        assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700, directory
    files = sorted(out.iterdir())
    assert {f.name for f in files} >= {"run.json", RAW_TRANSCRIPT_ENCRYPTED, VAULT_FILE, "advies-huisarts.txt"}
    for path in files:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path.name
    key_file = settings.resolve_vault_key_file()
    assert key_file.is_file() and key_file.parent == _private_secrets_dir
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    for tree in (out, settings.data_dir):
        assert not key_file.resolve().is_relative_to(tree.resolve())


def test_raw_transcript_is_encrypted_unless_kept_and_reuse_works_either_way(tmp_path: Path, deid_engine) -> None:  # noqa: ANN001
    transcript = tmp_path / "gesprek-a.txt"
    transcript.write_text(TRANSCRIPT_A, encoding="utf-8")
    backends = _backends(tmp_path, deid_engine, script=SCRIPT_A)
    out = tmp_path / "out"

    run_pipeline(transcript, out, case=CASE_A, backends=backends)
    assert (out / RAW_TRANSCRIPT_ENCRYPTED).is_file() and not (out / RAW_TRANSCRIPT).exists()
    # Beside the vault, nothing readable without the key carries the names: the pseudonymised
    # transcript's entity offsets point into a raw text that is only stored encrypted.
    for path in out.iterdir():
        if path.name not in RENDERED_FILES:  # the letters carry the names by design
            assert "Sanne" not in path.read_bytes().decode("utf-8", errors="ignore"), path.name
    pseudo = PseudonymisedTranscript.model_validate_json((out / "transcript.pseudo.json").read_text(encoding="utf-8"))
    assert pseudo.entities, "offsets are kept (the review screen uses them) ..."
    assert "Sanne" in decrypt_file(out / RAW_TRANSCRIPT_ENCRYPTED, KEY.encode()).decode(), "... the raw text only encrypted"

    kept = run_pipeline(transcript, out, case=CASE_A, backends=backends, options=ProcessOptions(keep_raw=True))
    assert all(s.reused for s in kept.stages)
    assert "Sanne" in (out / RAW_TRANSCRIPT).read_text(encoding="utf-8")
    assert not (out / RAW_TRANSCRIPT_ENCRYPTED).exists()

    back = run_pipeline(transcript, out, case=CASE_A, backends=backends)
    assert all(s.reused for s in back.stages)
    assert not (out / RAW_TRANSCRIPT).exists() and (out / RAW_TRANSCRIPT_ENCRYPTED).is_file()


def test_a_wrong_key_makes_the_encrypted_transcript_unreadable_and_the_stage_runs_again(
        tmp_path: Path, deid_engine) -> None:  # noqa: ANN001
    transcript = tmp_path / "gesprek-a.txt"
    transcript.write_text(TRANSCRIPT_A, encoding="utf-8")
    out = tmp_path / "out"
    run_pipeline(transcript, out, case=CASE_A, backends=_backends(tmp_path, deid_engine, script=SCRIPT_A))
    other = Backends(_settings(tmp_path).model_copy(update={"vault_key": Fernet.generate_key().decode()}),
                     llm=FakeLLM(SCRIPT_A), deid_engine=deid_engine)
    record = run_pipeline(transcript, out, case=CASE_A, backends=other)
    assert not any(s.reused for s in record.stages)
