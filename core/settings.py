"""The one settings class. Entry points (cli, service, eval) build stage options from it.

Values come from environment variables prefixed ``VG_`` (e.g. ``VG_MODELS_DIR``), from a ``.env``
file in the working directory, or from defaults. Stages never read these directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.resources import package_path

REPO_ROOT = Path(__file__).resolve().parents[1]
"""The source checkout, when running from one (git revision in evaluation logs, benchmarks)."""
PROMPTS_DIR = package_path("prompts")
TEMPLATES_DIR = package_path("templates")


WORD_TIMESTAMPS_DEFAULT = False
"""Shared by ``Settings.asr_word_timestamps`` and ``models.asr.AsrOptions.word_timestamps``."""


def _default_models_dir() -> Path:
    return Path.home() / ".cache" / "vg" / "models"


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "vg"


def _default_secrets_dir() -> Path:
    return Path.home() / ".config" / "vg"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="VG_", env_file=".env", extra="ignore", protected_namespaces=()
    )

    environment: Literal["development", "production"] = "development"

    # --- where things live -------------------------------------------------------------------
    models_dir: Path = Field(default_factory=_default_models_dir)
    """Bundled models are assembled here by ``vg models pull``."""
    data_dir: Path = Field(default_factory=_default_data_dir)
    """Database (sociale kaart, reviews) and other state."""
    secrets_dir: Path = Field(default_factory=_default_secrets_dir)
    """Keys (the vault key); kept apart from the data and output trees so a copy of those is not
    enough to open the vault. Created 0700."""
    keep_raw: bool = False
    """Keep the raw (not pseudonymised) transcript as plaintext ``transcript.json``; by default it is
    stored encrypted with the vault key (``transcript.json.enc``)."""

    # --- audio limits ------------------------------------------------------------------------
    max_audio_seconds: float = 3 * 3600
    max_file_mb: int = 2048

    # --- speech recognition ------------------------------------------------------------------
    asr_backend: Literal["faster-whisper", "fake"] = "faster-whisper"
    asr_model: str = "whisper-base"
    """A bundled model name (see ``vg models list``) or a local CTranslate2 model directory."""
    asr_device: Literal["auto", "cpu", "cuda"] = "auto"
    asr_compute_type: str = "default"
    """``default`` picks int8 on CPU and float16 on CUDA."""
    asr_beam_size: int = 5
    asr_batch_size: int = 0
    """0: sequential decoding. Chosen by measurement on real speech (docs/asr.md): batched decoding
    was faster but more than 1 WER point worse on the dev half of speech-nl."""
    asr_word_timestamps: bool = WORD_TIMESTAMPS_DEFAULT
    """Word-level timestamps (cross-attention alignment). Off by default: on real speech they cost
    ~25% of decoding time and attributed speakers worse than Whisper's own segment timestamps
    (held-out DER 0.106 vs 0.087, docs/asr.md)."""
    asr_threads: int = 0

    # --- language model ----------------------------------------------------------------------
    llm_backend: Literal["llama-cpp", "transformers", "openai-compatible", "fake"] = "llama-cpp"
    llm_model: str = "qwen2.5-coder-1.5b-instruct"
    """Bundled model name, a local GGUF file, a local Hugging Face model directory, or (for
    ``openai-compatible``) the model name the server expects."""
    llm_base_url: str | None = None
    """For ``openai-compatible``: e.g. ``http://127.0.0.1:8000/v1`` (a server on your own network)."""
    llm_api_key: str | None = None
    llm_context_tokens: int = 8192
    llm_threads: int = 0
    llm_max_retries: int = 2
    llm_seed: int = 0
    llm_device: Literal["auto", "cpu", "cuda"] = "auto"
    """``transformers`` only; llama.cpp runs on CPU unless ``llm_gpu_layers`` is set."""
    llm_gpu_layers: int = 0
    llm_max_tokens_per_section: int = 512
    draft_mode: Literal["evidence", "sections"] = "evidence"
    """Drafting: ``evidence`` (label once, group, write per group) or ``sections`` (one request per section)."""
    llm_timeout_seconds: float = 600.0
    """``openai-compatible`` only."""
    templates_override_dir: Path | None = None
    """Region-specific templates searched before ``templates/`` (same file names)."""
    render_pdf: bool = True
    """Also write ``advies-huisarts.pdf`` (WeasyPrint); off: HTML and text only."""

    # --- embeddings (optional) ---------------------------------------------------------------
    embedding_model: str | None = None
    """Local sentence-transformers model directory; unset disables dense retrieval/grounding."""

    # --- de-identification -------------------------------------------------------------------
    deid_config: Path | None = None
    """YAML with recognizers, context words and allow-list; default ``pipeline/deid/conf/nl.yaml``."""
    vault_key_file: Path | None = None
    """Fernet key file for the pseudonym vault; default ``<secrets_dir>/vault.key`` (created 0600)."""
    vault_key: str | None = None
    """Fernet key given directly (takes precedence over ``vault_key_file``)."""
    deid_ner_model: Path | None = None
    """Local directory of a Dutch NER model (transformers token classification); off when unset."""

    # --- diarization -------------------------------------------------------------------------
    diarization_backend: Literal["resemblyzer", "pyannote", "none"] = "resemblyzer"
    pyannote_pipeline_dir: Path | None = None
    """Local directory with a pyannote ``config.yaml`` and its model files (see docs/diarization.md)."""
    diarization_speakers: int | None = None
    """Number of speakers when known for every recording; otherwise CASE.json or an estimate."""
    diarization_max_speakers: int = 6
    diarization_window_seconds: float = 1.6
    """Resemblyzer: length of each embedding window."""
    diarization_step_seconds: float = 0.4
    """Resemblyzer: hop between embedding windows (smaller finds shorter turns, costs more CPU)."""
    diarization_clustering: Literal["spectral", "agglomerative"] = "spectral"
    diarization_channels: Literal["auto", "mix", "split"] = "auto"
    """Multi-channel audio: ``split`` transcribes each channel separately (hybrid recordings)."""

    # --- sociale kaart -----------------------------------------------------------------------
    region: str | None = None
    stale_after_days: int = 365
    kaart_top_k: int = 3
    """Sociale-kaart suggestions per ``ik heb nodig`` item."""
    kaart_llm_rerank: bool = False
    """Re-rank sociale-kaart candidates with the LLM (slower; off by default)."""
    kaart_synonyms: Path | None = None
    """Own synonym YAML for matching; default ``pipeline/kaart/synonyms.yaml``."""

    def resolve_vault_key_file(self) -> Path:
        """The configured key file, else ``<secrets_dir>/vault.key``.

        A key left by an older version in ``<data_dir>/vault.key`` is still used while no key
        exists in the secrets directory, so existing vaults stay readable (move it to migrate).
        """
        if self.vault_key_file:
            return self.vault_key_file
        default = self.secrets_dir / "vault.key"
        legacy = self.data_dir / "vault.key"
        if not default.exists() and legacy.is_file():
            return legacy
        return default

    @property
    def database_path(self) -> Path:
        return self.data_dir / "vg.sqlite3"
