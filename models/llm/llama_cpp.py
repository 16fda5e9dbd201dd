"""llama.cpp backend (GGUF on CPU, the default), with JSON-schema constrained decoding.

``llama_cpp`` is imported when a backend is constructed, never at import time of this module.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from models.llm.base import Generation, GenerationRequest
from models.llm.schema_utils import inline_refs
from core.errors import DraftError, ModelError
from core.provenance import ModelRef

logger = logging.getLogger(__name__)


class LlamaCppBackend:
    """A GGUF model loaded once with llama-cpp-python."""

    name = "llama-cpp"
    supports_json_schema = True

    def __init__(
        self,
        model_path: Path,
        *,
        context_tokens: int = 8192,
        threads: int = 0,
        seed: int = 0,
        model_name: str | None = None,
        sha256: str | None = None,
        gpu_layers: int = 0,
    ) -> None:
        try:
            from llama_cpp import Llama
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise ModelError(
                "llama-cpp-python is niet geïnstalleerd of niet gecompileerd.",
                hint="Voer 'make setup' uit; de eerste keer compileert llama-cpp-python (~5 minuten).",
            ) from exc
        if not model_path.is_file() or model_path.suffix.lower() != ".gguf":
            raise ModelError(
                f"Het taalmodel '{model_path.name}' is geen GGUF-bestand.",
                hint="Wijs VG_LLM_MODEL naar een .gguf-bestand, of kies VG_LLM_BACKEND=transformers voor een modelmap.",
            )
        self.context_tokens = context_tokens
        self._seed = seed
        self._path = model_path
        self._model_name = model_name or model_path.stem
        self._sha256 = sha256
        self._grammars: dict[str, Any] = {}
        started = time.perf_counter()
        try:
            self._llm = Llama(
                model_path=str(model_path),
                n_ctx=context_tokens,
                n_threads=threads or os.cpu_count() or 1,
                n_gpu_layers=gpu_layers,
                seed=seed,
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:
            raise ModelError(
                f"Het taalmodel '{model_path.name}' kon niet worden geladen.",
                hint="Controleer of het bestand compleet is ('vg models pull' controleert de SHA-256).",
            ) from exc
        self.load_seconds = time.perf_counter() - started
        logger.info("llama.cpp model loaded in %.1f s", self.load_seconds)

    @property
    def model_ref(self) -> ModelRef:
        return ModelRef(backend=self.name, name=self._model_name, path=str(self._path), sha256=self._sha256)

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def _grammar(self, schema: dict[str, Any]) -> Any:
        """Grammar for a JSON schema, built once per schema (building takes up to seconds)."""
        key = json.dumps(schema, sort_keys=True)
        if key not in self._grammars:
            from llama_cpp import LlamaGrammar

            self._grammars[key] = LlamaGrammar.from_json_schema(json.dumps(inline_refs(schema)), verbose=False)
        return self._grammars[key]

    def _perf(self) -> Any | None:
        try:
            import llama_cpp

            return llama_cpp.llama_perf_context(self._llm._ctx.ctx)
        except Exception:  # noqa: BLE001 - timing is best effort, never fatal
            return None

    def _reset_perf(self) -> None:
        try:
            import llama_cpp

            llama_cpp.llama_perf_context_reset(self._llm._ctx.ctx)
        except Exception:  # noqa: BLE001
            pass

    def generate(self, request: GenerationRequest) -> Generation:
        kwargs: dict[str, Any] = {
            "messages": [m.model_dump() for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "seed": request.seed,
        }
        if request.json_schema is not None:
            kwargs["grammar"] = self._grammar(request.json_schema)
        self._reset_perf()
        started = time.perf_counter()
        try:
            out = self._llm.create_chat_completion(**kwargs)
        except ValueError as exc:
            raise DraftError(
                "De opdracht past niet in het contextvenster van het taalmodel.",
                hint="Verhoog VG_LLM_CONTEXT_TOKENS of verlaag het aantal tokens per sectie.",
            ) from exc
        wall = time.perf_counter() - started
        perf = self._perf()
        choice = out["choices"][0]
        usage = out.get("usage") or {}
        extra: dict[str, Any] = {}
        if perf is not None:
            extra = {"prompt_tokens_evaluated": int(perf.n_p_eval), "tokens_generated": int(perf.n_eval)}
        return Generation(
            text=choice["message"].get("content") or "",
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
            prompt_seconds=perf.t_p_eval_ms / 1000 if perf is not None else None,
            generation_seconds=perf.t_eval_ms / 1000 if perf is not None else None,
            wall_seconds=wall,
            finish_reason=choice.get("finish_reason"),
            extra=extra,
        )
