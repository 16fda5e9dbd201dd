"""Orchestration of ``vg process``: input -> transcript -> pseudonymised transcript -> verslag -> letters.

Each artefact is written to the output directory as soon as its stage finishes. ``run.json``
records per stage the wall time, peak memory, models (with SHA-256), prompt versions, options and
a cache key; a re-run with the same ``--out`` reuses every stage whose key did not change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pipeline.audio import AudioOptions, file_sha256
from pipeline.backends import Backends
from pipeline.case import CaseMetadata
from core.settings import PROMPTS_DIR, TEMPLATES_DIR
from pipeline.measure import machine_info, measure, package_versions
from core.provenance import StageInfo
from pipeline.transcribe import TranscribeOptions
from pipeline.transcript import Role, Transcript

logger = logging.getLogger(__name__)

RUN_SCHEMA_VERSION = 1
Progress = Callable[[str, str], None]
"""``progress(stage, message)``: called when a stage starts, is reused or finishes."""


class ProcessOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    audio: AudioOptions = Field(default_factory=AudioOptions)
    transcribe: TranscribeOptions = Field(default_factory=TranscribeOptions)
    diarize: bool = True
    speakers: int | None = None
    """Number of speakers; default: the participants in CASE.json, else estimated."""
    role_overrides: dict[str, Role] = Field(default_factory=dict)
    """Confirmed roles per speaker label, e.g. ``{"SPREKER_2": "naaste"}``."""
    suggest_services: bool = True
    reuse: bool = True


class RunRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    schema_version: int = RUN_SCHEMA_VERSION
    input: dict[str, Any]
    started: str
    finished: str | None = None
    status: str = "started"
    stages: list[StageInfo] = Field(default_factory=list)
    cache_keys: dict[str, str] = Field(default_factory=dict)
    outputs: dict[str, str] = Field(default_factory=dict)
    packages: dict[str, str] = Field(default_factory=dict)
    machine: dict[str, Any] = Field(default_factory=dict)


def _key(*parts: Any) -> str:
    blob = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:32]


def _tree_hash(*roots: Path) -> str:
    digest = hashlib.sha256()
    for root in roots:
        for f in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(str(f.relative_to(root)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()[:32]


class _Run:
    """One execution of the pipeline into one output directory."""

    def __init__(self, out_dir: Path, backends: Backends, options: ProcessOptions, progress: Progress) -> None:
        self.out = out_dir
        self.backends = backends
        self.options = options
        self.progress = progress
        previous = out_dir / "run.json"
        self.previous_keys: dict[str, str] = {}
        if options.reuse and previous.is_file():
            try:
                self.previous_keys = json.loads(previous.read_text())["cache_keys"]
            except (ValueError, KeyError, TypeError):
                self.previous_keys = {}
        self.record: RunRecord | None = None

    def reusable(self, stage: str, key: str, *files: str) -> bool:
        return self.previous_keys.get(stage) == key and all((self.out / f).is_file() for f in files)

    def stage(self, name: str, key: str, fn: Callable[[StageInfo], Any], *files: str, loader: Callable[[], Any]) -> Any:
        assert self.record is not None
        self.record.cache_keys[name] = key
        if self.reusable(name, key, *files):
            self.progress(name, "hergebruikt")
            self.record.stages.append(StageInfo(stage=name, reused=True, input_sha256=key))
            return loader()
        self.progress(name, "bezig")
        info = StageInfo(stage=name, input_sha256=key)
        with measure() as m:
            result = fn(info)
        info.wall_seconds = round(m.wall_seconds, 3)
        info.peak_rss_mb = m.peak_rss_mb
        self.record.stages.append(info)
        self.progress(name, f"klaar ({m.wall_seconds:.1f} s)")
        self.save_record()
        return result

    def write(self, name: str, model: BaseModel) -> None:
        path = self.out / name
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(model.model_dump_json(indent=2), encoding="utf-8")
        tmp.replace(path)
        assert self.record is not None
        self.record.outputs[name.split(".")[0] if name != "transcript.pseudo.json" else "transcript_pseudo"] = name

    def save_record(self) -> None:
        assert self.record is not None
        (self.out / "run.json").write_text(self.record.model_dump_json(indent=2), encoding="utf-8")


def run_pipeline(
    input_path: Path,
    out_dir: Path,
    *,
    case: CaseMetadata,
    backends: Backends,
    options: ProcessOptions | None = None,
    progress: Progress | None = None,
) -> RunRecord:
    """Run every stage for one VG. Returns the run record (also written as ``run.json``)."""
    from pipeline import stages  # the stage adapters (kept apart to keep this module small)

    options = options or ProcessOptions()
    out_dir.mkdir(parents=True, exist_ok=True)
    run = _Run(out_dir, backends, options, progress or (lambda _s, _m: None))
    input_sha = file_sha256(input_path) if input_path.is_file() else "missing"
    run.record = RunRecord(
        input={"filename": input_path.name, "sha256": input_sha},
        started=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        packages=package_versions(),
        machine=machine_info(),
    )
    settings = backends.settings
    case_key = _key(case.model_dump(mode="json"))
    try:
        # 1-2. transcript (audio + transcription + diarization, or an imported transcript)
        k_transcript = _key(input_sha, options.audio, options.transcribe, options.diarize, options.speakers,
                            options.role_overrides, settings.asr_backend, settings.asr_model,
                            settings.diarization_backend, case_key)
        transcript: Transcript = run.stage(
            "transcript", k_transcript,
            lambda info: stages.make_transcript(run, input_path, case, info),
            "transcript.json", loader=lambda: Transcript.model_validate_json((out_dir / "transcript.json").read_text()),
        )
        # 3. de-identification
        k_pseudo = _key(k_transcript, case_key, settings.deid_config, settings.deid_ner_model, settings.region,
                        _tree_hash(Path(stages.deid_conf_dir())))
        pseudo, mapping = run.stage(
            "deidentify", k_pseudo,
            lambda info: stages.deidentify(run, transcript, case, info),
            "transcript.pseudo.json", stages.VAULT_FILE, loader=lambda: stages.load_pseudo(run),
        )
        # 4-5. verslag draft + grounding + sociale-kaart suggestions
        k_verslag = _key(k_pseudo, settings.llm_backend, settings.llm_model, settings.llm_base_url,
                         _tree_hash(PROMPTS_DIR), options.suggest_services, settings.embedding_model, case.regio,
                         case.inwoner.gemeente if case.inwoner else None, settings.kaart_top_k,
                         settings.kaart_llm_rerank, settings.kaart_synonyms, settings.llm_seed,
                         settings.llm_max_tokens_per_section)
        verslag = run.stage(
            "verslag", k_verslag,
            lambda info: stages.draft(run, pseudo, case, info),
            "verslag.json", loader=lambda: stages.load_verslag(run),
        )
        # 6. B1 summary and letters
        override = settings.templates_override_dir
        # The verslag file itself is part of the key: a reviewer who edits verslag.json (accepts a
        # sociale-kaart suggestion, corrects an item) and runs again gets new letters.
        k_render = _key(k_verslag, file_sha256(out_dir / "verslag.json"), case_key, _tree_hash(TEMPLATES_DIR),
                        _tree_hash(override) if override and override.is_dir() else None)
        run.stage(
            "render", k_render,
            lambda info: stages.render(run, verslag, case, mapping, info),
            *stages.RENDERED_FILES, loader=lambda: stages.reuse_rendered(run),
        )
        run.record.status = "success"
    except BaseException:
        run.record.status = "error"
        raise
    finally:
        run.record.finished = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        run.save_record()
    return run.record


__all__ = ["ProcessOptions", "RunRecord", "run_pipeline"]
