"""Stage cache keys come from each stage's options object (issue 11): nothing can go stale.

Every settings field is either reachable from the options of the first stage whose output it
changes, or listed here as not changing any output (speed, places, secrets). A new settings field
that is in neither list fails ``test_every_settings_field_is_classified``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from core.settings import Settings
from models.asr import AsrSegment
from models.asr_faster_whisper import FakeASR
from models.llm.fake import FakeLLM
from pipeline.artefacts import STAGES, load_raw_transcript
from pipeline.backends import Backends
from pipeline.runner import ProcessOptions, run_pipeline
from pipeline.stage_options import build_stage_options, process_options
from tests.pipeline.test_runner import CASE, SCRIPT, TRANSCRIPT

# settings field -> (new value, first stage whose output it changes); values that need files are
# made by ``_value`` below.
OUTPUT_FIELDS: dict[str, tuple[object, str]] = {
    "max_audio_seconds": (60.0, "transcript"),
    "max_file_mb": (10, "transcript"),
    "asr_backend": ("fake", "transcript"),
    "asr_model": ("/ergens/anders/whisper", "transcript"),
    "asr_compute_type": ("float32", "transcript"),
    "asr_beam_size": (1, "transcript"),
    "asr_word_timestamps": (True, "transcript"),
    "draft_mode": ("sections", "verslag"),
    "asr_batch_size": (8, "transcript"),
    "diarization_backend": ("pyannote", "transcript"),
    "pyannote_pipeline_dir": ("dir", "transcript"),
    "diarization_speakers": (2, "transcript"),
    "diarization_max_speakers": (3, "transcript"),
    "diarization_window_seconds": (2.0, "transcript"),
    "diarization_step_seconds": (0.5, "transcript"),
    "diarization_clustering": ("agglomerative", "transcript"),
    "diarization_channels": ("split", "transcript"),
    "deid_config": ("file", "deidentify"),
    "deid_ner_model": ("dir", "deidentify"),
    "region": ("gooi", "deidentify"),
    "llm_backend": ("fake", "verslag"),
    "llm_model": ("/ergens/model.gguf", "verslag"),
    "llm_base_url": ("http://127.0.0.1:9/v1", "verslag"),
    "llm_context_tokens": (4096, "verslag"),
    "llm_max_retries": (5, "verslag"),
    "llm_seed": (7, "verslag"),
    "llm_max_tokens_per_section": (256, "verslag"),
    "embedding_model": ("dir", "verslag"),
    "stale_after_days": (30, "kaart"),
    "kaart_top_k": (1, "kaart"),
    "kaart_llm_rerank": (True, "kaart"),
    "kaart_synonyms": ("file", "kaart"),
    "templates_override_dir": ("dir", "render"),
    "render_pdf": (False, "render"),
}
NO_OUTPUT_EFFECT = {
    "environment",
    "models_dir",  # models are identified by name and pinned SHA-256, wherever they are stored
    "data_dir",  # the sociale-kaart database in it is hashed by content into the kaart key
    "secrets_dir", "vault_key_file", "vault_key",  # a different key makes old files unreadable -> recomputed
    "keep_raw",  # only how the raw transcript is stored
    "asr_device", "asr_threads", "llm_threads", "llm_device", "llm_gpu_layers", "llm_timeout_seconds",
    "llm_api_key",
}
BASE_FOR = {"llm_base_url": {"llm_backend": "openai-compatible"}}


def test_every_settings_field_is_classified() -> None:
    fields = set(Settings.model_fields)
    assert not set(OUTPUT_FIELDS) & NO_OUTPUT_EFFECT
    assert fields == set(OUTPUT_FIELDS) | NO_OUTPUT_EFFECT, (
        "classify the new settings field: reachable from a stage's options (OUTPUT_FIELDS) or not (NO_OUTPUT_EFFECT)")


def _value(kind: object, tmp_path: Path) -> object:
    if kind == "dir":
        path = tmp_path / "map"
        path.mkdir(exist_ok=True)
        (path / "inhoud.txt").write_text("x")
        return path
    if kind == "file":
        path = tmp_path / "bestand.yaml"
        path.write_text("x: 1\n")
        return path
    return kind


def _dumps(settings: Settings) -> dict[str, str]:
    opts = build_stage_options(settings, process_options(settings))
    return {stage: getattr(opts, stage).model_dump_json() for stage in STAGES}


@pytest.mark.parametrize(("field", "change"), OUTPUT_FIELDS.items(), ids=list(OUTPUT_FIELDS))
def test_each_output_setting_reaches_its_stage_options(field: str, change: tuple[object, str], tmp_path: Path) -> None:
    value, stage = change
    values = {"data_dir": tmp_path / "data", **BASE_FOR.get(field, {})}
    base = Settings(**values)
    new = _value(value, tmp_path)
    changed = Settings(**values, **{field: str(new) if field == "embedding_model" else new})
    before, after = _dumps(base), _dumps(changed)
    position = STAGES.index(stage)
    assert before[stage] != after[stage], f"{field} does not reach the options of {stage}"
    for upstream in STAGES[:position]:
        assert before[upstream] == after[upstream], f"{field} needlessly changes {upstream}"


@pytest.mark.parametrize("field", sorted(NO_OUTPUT_EFFECT - {"environment"}))
def test_settings_without_output_effect_keep_every_key(field: str, tmp_path: Path) -> None:
    base = Settings(data_dir=tmp_path / "data")
    new = {"models_dir": tmp_path / "m", "data_dir": tmp_path / "d2", "secrets_dir": tmp_path / "s",
           "vault_key_file": tmp_path / "k", "vault_key": "x", "keep_raw": True, "asr_device": "cpu",
           "asr_threads": 3, "llm_threads": 3, "llm_device": "cpu", "llm_gpu_layers": 9,
           "llm_timeout_seconds": 5.0, "llm_api_key": "geheim"}[field]
    assert _dumps(base) == _dumps(Settings(**{"data_dir": tmp_path / "data", field: new}))


# --- end to end: change one thing, see which stages run again -----------------------------------


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory, deid_engine) -> tuple[Path, Path, dict]:
    root = tmp_path_factory.mktemp("basis")
    source = root / "gesprek.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    settings = {"data_dir": root / "data", "secrets_dir": root / "secrets", "asr_backend": "fake",
                "llm_backend": "fake", "diarization_backend": "none", "render_pdf": False}
    backends = _backends(Settings(**settings), deid_engine)
    record = run_pipeline(source, root / "out", case=CASE, backends=backends)
    assert record.status == "success"
    return source, root / "out", settings


def _backends(settings: Settings, deid_engine) -> Backends:  # noqa: ANN001
    return Backends(settings, llm=FakeLLM(SCRIPT), asr=FakeASR([AsrSegment(start=0, end=2, text="Hallo.")]),
                    deid_engine=deid_engine)


ROWS = [
    ("asr_beam_size", {"settings": {"asr_beam_size": 2}}, "transcript"),
    ("diarization_max_speakers", {"settings": {"diarization_max_speakers": 2}}, "transcript"),
    ("role_overrides", {"roles": True}, "deidentify"),
    ("region", {"settings": {"region": "gooi"}}, "deidentify"),
    ("llm_max_retries", {"settings": {"llm_max_retries": 0}}, "verslag"),
    ("llm_context_tokens", {"settings": {"llm_context_tokens": 2048}}, "verslag"),
    ("llm_seed", {"settings": {"llm_seed": 3}}, "verslag"),
    ("stale_after_days", {"settings": {"stale_after_days": 10}}, "kaart"),
    ("kaart_top_k", {"settings": {"kaart_top_k": 1}}, "kaart"),
    ("suggest_services", {"process": {"suggest_services": False}}, "kaart"),
    ("templates_override_dir", {"settings": {"templates_override_dir": "dir"}}, "render"),
    ("keep_raw", {"process": {"keep_raw": True}}, None),
]


@pytest.mark.parametrize(("name", "change", "first"), ROWS, ids=[r[0] for r in ROWS])
def test_changing_one_option_reruns_that_stage_and_later_only(baseline, deid_engine, tmp_path: Path, name: str,
                                                              change: dict, first: str | None) -> None:
    source, base_out, base_settings = baseline
    out = tmp_path / "out"
    shutil.copytree(base_out, out)
    settings_values = {**base_settings, **{k: _value(v, tmp_path) for k, v in change.get("settings", {}).items()}}
    settings = Settings(**settings_values)
    backends = _backends(settings, deid_engine)
    process = process_options(settings, **change.get("process", {}))
    if change.get("roles"):
        raw = load_raw_transcript(out, backends.vault_key)
        label = sorted({s.speaker for s in raw.segments if s.speaker})[0]
        process = process.model_copy(update={"role_overrides": {label: "naaste"}})
    record = run_pipeline(source, out, case=CASE, backends=backends, options=process)
    reused = {s.stage: s.reused for s in record.stages}
    expected = {stage: first is None or STAGES.index(stage) < STAGES.index(first) for stage in STAGES}
    assert reused == expected
    assert backends.asr.calls == 0 and json.loads((out / "run.json").read_text())["status"] == "success"
