"""Every stage's options, built from :class:`core.settings.Settings` in this one place.

Each stage of ``vg process`` gets one options object. Its ``model_dump`` is the stage's part of the
cache key (with the input artefact's hash), so every setting that changes a stage's output must be
reachable from that object: the options of the stage itself, the identity of the model it uses
(backend, name, pinned SHA-256 or file fingerprint) and hashes of the prompt, template and
configuration files it reads. Settings that only change speed or where things live (threads,
device, timeouts, directories) are left out; ``tests/pipeline/test_stage_options.py`` holds every
settings field to one of the two.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import InputError
from core.settings import PROMPTS_DIR, TEMPLATES_DIR, Settings
from models.asr import AsrOptions
from pipeline.audio import AudioOptions
from pipeline.deid.options import DeidOptions
from pipeline.kaart.options import KaartOptions
from pipeline.render.outputs import RenderOptions
from pipeline.transcribe import TranscribeOptions
from pipeline.transcript import Role
from pipeline.verslag import DraftOptions

_STRICT = ConfigDict(extra="forbid", protected_namespaces=())


class ProcessOptions(BaseModel):
    """What the caller of :func:`pipeline.runner.run_pipeline` decides per run (CLI flags, web app)."""

    model_config = ConfigDict(extra="forbid")

    audio: AudioOptions = Field(default_factory=AudioOptions)
    transcribe: TranscribeOptions = Field(default_factory=TranscribeOptions)
    diarize: bool = True
    speakers: int | None = None
    """Number of speakers; default: the participants in CASE.json, else estimated."""
    role_overrides: dict[str, Role] = Field(default_factory=dict)
    """Confirmed roles per speaker label, e.g. ``{"SPREKER_2": "naaste"}``. Changing them re-runs
    de-identification and what follows, never transcription."""
    suggest_services: bool = True
    reuse: bool = True
    keep_raw: bool = False
    """Keep the raw transcript as plaintext ``transcript.json`` (default: encrypted with the vault key)."""


# --- identities of models and files ------------------------------------------------------------


def tree_sha256(*roots: Path | None) -> str | None:
    """SHA-256 over the names and contents of every file under ``roots`` (a file is hashed alone)."""
    digest = hashlib.sha256()
    seen = False
    for root in roots:
        if root is None or not root.exists():
            continue
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for f in files:
            seen = True
            digest.update(str(f.relative_to(root) if f != root else f.name).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest() if seen else None


def model_fingerprint(spec: str | None) -> str | None:
    """The pinned SHA-256 of a bundled model, else size and mtime of a local model file or folder.

    Cheap by design: the key is computed on every run, and hashing a 1 GB model each time is not.
    """
    if not spec:
        return None
    from models.registry import bundled_models

    bundled = bundled_models().get(spec)
    if bundled is not None:
        return f"sha256:{bundled.main_sha256()}"
    path = Path(spec).expanduser()
    if not path.exists():
        return None  # a server-side model name (openai-compatible): the name is the identity
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    stats = [(str(f.relative_to(path) if f != path else f.name), f.stat().st_size, f.stat().st_mtime_ns) for f in files]
    return "stat:" + hashlib.sha256(repr(stats).encode()).hexdigest()


class ModelIdentity(BaseModel):
    model_config = _STRICT

    backend: str
    name: str | None
    fingerprint: str | None = None


class LlmSetup(BaseModel):
    """The language model as far as it changes what is written."""

    model_config = _STRICT

    model: ModelIdentity
    base_url: str | None = None
    context_tokens: int
    """Decides whether the whole transcript fits in one prompt or sections retrieve segments."""


class DiarizerSetup(BaseModel):
    model_config = _STRICT

    backend: str
    pipeline_fingerprint: str | None = None
    max_speakers: int
    window_seconds: float
    step_seconds: float
    clustering: str


# --- per-stage options ------------------------------------------------------------------------


class TranscriptStageOptions(BaseModel):
    """Input file (+ CASE.json) -> raw transcript with proposed roles. Roles confirmed later do not count."""

    model_config = _STRICT

    audio: AudioOptions
    transcribe: TranscribeOptions
    diarize: bool
    speakers: int | None
    asr: ModelIdentity
    asr_compute_type: str
    diarizer: DiarizerSetup


class DeidStageOptions(BaseModel):
    model_config = _STRICT

    deid: DeidOptions
    config_sha256: str | None
    """The recognizer configuration, lists and allow-list files the engine reads."""
    ner_fingerprint: str | None = None
    spacy_ner_fingerprint: str | None = None
    """The bundled spaCy NER (``nl-ner-enp``) by its pinned SHA-256."""


class DraftStageOptions(BaseModel):
    model_config = _STRICT

    draft: DraftOptions
    llm: LlmSetup
    embedding_model: ModelIdentity | None
    prompts_sha256: str | None


class KaartStageOptions(BaseModel):
    model_config = _STRICT

    enabled: bool
    kaart: KaartOptions
    region: str | None
    embedding_model: ModelIdentity | None
    rerank_llm: LlmSetup | None


class RenderStageOptions(BaseModel):
    model_config = _STRICT

    render: RenderOptions
    b1: DraftOptions
    """The B1 summary is written by the LLM with the drafting options."""
    llm: LlmSetup
    prompts_sha256: str | None
    templates_sha256: str | None
    override_templates_sha256: str | None


class StageOptions(BaseModel):
    """All options of one run, one object per stage."""

    model_config = _STRICT

    transcript: TranscriptStageOptions
    deidentify: DeidStageOptions
    verslag: DraftStageOptions
    kaart: KaartStageOptions
    render: RenderStageOptions
    role_overrides: dict[str, Role]
    keep_raw: bool
    reuse: bool


def catalogue_identity(sources: list[BaseModel]) -> str:
    """Identity of the sociale-kaart contents: every imported source with its file hash and import time.

    Taken from the catalogue's own records, not from the SQLite file (whose bytes change when a
    connection checkpoints or closes), so a new import gives new suggestions and nothing else does.
    """
    blob = json.dumps([s.model_dump(mode="json") for s in sources], sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


# --- builders ---------------------------------------------------------------------------------


def process_options(settings: Settings, **overrides: object) -> ProcessOptions:
    """Per-run defaults from settings (audio limits, ASR decoding), then the caller's choices."""
    values: dict[str, object] = {
        "audio": AudioOptions(max_seconds=settings.max_audio_seconds, max_file_mb=settings.max_file_mb),
        "transcribe": TranscribeOptions(
            asr=AsrOptions(beam_size=settings.asr_beam_size, batch_size=settings.asr_batch_size,
                           word_timestamps=settings.asr_word_timestamps),
            channels=settings.diarization_channels,
        ),
        "speakers": settings.diarization_speakers,
        "keep_raw": settings.keep_raw,
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return ProcessOptions.model_validate(values)


def draft_options(settings: Settings, **overrides: object) -> DraftOptions:
    values: dict[str, object] = {
        "max_tokens_per_section": settings.llm_max_tokens_per_section,
        "max_retries": settings.llm_max_retries,
        "seed": settings.llm_seed,
        "mode": settings.draft_mode,
    }
    values.update(overrides)
    return DraftOptions.model_validate(values)


def kaart_options(settings: Settings, **overrides: object) -> KaartOptions:
    values: dict[str, object] = {
        "stale_after_days": settings.stale_after_days,
        "top_k": settings.kaart_top_k,
        "llm_rerank": settings.kaart_llm_rerank,
    }
    if settings.kaart_synonyms is not None:
        values["synonyms_path"] = settings.kaart_synonyms
    values.update(overrides)
    try:
        return KaartOptions.model_validate(values)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(
            f"Ongeldige zoekoptie '{'.'.join(str(p) for p in err['loc'])}': {err['msg']}.",
            hint="Zie 'vg kaart zoek --help' en docs/sociale-kaart.md voor de toegestane waarden.",
        ) from None


def render_options(settings: Settings, **overrides: object) -> RenderOptions:
    return RenderOptions.model_validate(
        {"templates_override_dir": settings.templates_override_dir, "pdf": settings.render_pdf, **overrides})


def deid_options(settings: Settings) -> DeidOptions:
    values: dict[str, object] = {"region": settings.region, "spacy_ner_model": settings.models_dir / "nl-ner-enp"}
    if settings.deid_config:
        values["config_path"] = settings.deid_config
    if settings.deid_ner_model:
        values["ner_model"] = settings.deid_ner_model
    return DeidOptions.model_validate(values)


def _llm_setup(settings: Settings) -> LlmSetup:
    return LlmSetup(
        model=ModelIdentity(backend=settings.llm_backend, name=settings.llm_model,
                            fingerprint=model_fingerprint(settings.llm_model)),
        base_url=settings.llm_base_url if settings.llm_backend == "openai-compatible" else None,
        context_tokens=settings.llm_context_tokens,
    )


def _embedding(settings: Settings) -> ModelIdentity | None:
    if not settings.embedding_model:
        return None
    return ModelIdentity(backend="sentence-transformers", name=settings.embedding_model,
                         fingerprint=model_fingerprint(settings.embedding_model))


def _deid_conf_dir() -> Path:
    return Path(__file__).resolve().parent / "deid" / "conf"


def build_stage_options(settings: Settings, process: ProcessOptions) -> StageOptions:
    """The options of every stage for one run (cheap: hashes of small files, no model loading)."""
    deid = deid_options(settings)
    draft = draft_options(settings)
    kaart = kaart_options(settings)
    llm = _llm_setup(settings)
    prompts = tree_sha256(PROMPTS_DIR)
    override = settings.templates_override_dir
    return StageOptions(
        transcript=TranscriptStageOptions(
            audio=process.audio, transcribe=process.transcribe, diarize=process.diarize, speakers=process.speakers,
            asr=ModelIdentity(backend=settings.asr_backend, name=settings.asr_model,
                              fingerprint=model_fingerprint(settings.asr_model)),
            asr_compute_type=settings.asr_compute_type,
            diarizer=DiarizerSetup(
                backend=settings.diarization_backend if process.diarize else "none",
                pipeline_fingerprint=model_fingerprint(str(settings.pyannote_pipeline_dir))
                if settings.pyannote_pipeline_dir else None,
                max_speakers=settings.diarization_max_speakers,
                window_seconds=settings.diarization_window_seconds,
                step_seconds=settings.diarization_step_seconds,
                clustering=settings.diarization_clustering,
            ),
        ),
        deidentify=DeidStageOptions(
            deid=deid,
            config_sha256=tree_sha256(_deid_conf_dir(), deid.config_path, deid.hunspell_dic,
                                       deid.hunspell_dic.with_suffix(".aff") if deid.hunspell_dic else None),
            ner_fingerprint=model_fingerprint(str(deid.ner_model)) if deid.ner_model else None,
            spacy_ner_fingerprint=model_fingerprint("nl-ner-enp"),
        ),
        verslag=DraftStageOptions(draft=draft, llm=llm, embedding_model=_embedding(settings), prompts_sha256=prompts),
        kaart=KaartStageOptions(
            enabled=process.suggest_services, kaart=kaart, region=settings.region,
            embedding_model=_embedding(settings), rerank_llm=llm if kaart.llm_rerank else None,
        ),
        render=RenderStageOptions(
            render=render_options(settings), b1=draft, llm=llm, prompts_sha256=prompts,
            templates_sha256=tree_sha256(TEMPLATES_DIR),
            override_templates_sha256=tree_sha256(override) if override else None,
        ),
        role_overrides=dict(process.role_overrides),
        keep_raw=process.keep_raw,
        reuse=process.reuse,
    )
