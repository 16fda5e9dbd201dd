"""Hugging Face transformers backend: a local model directory, or a local GGUF file (dequantised).

GPU when CUDA is available. No constrained decoding here: the drafting stage validates and repairs.
Only local files are read (``local_files_only=True``); nothing is fetched from a hub.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from models.llm.base import Generation, GenerationRequest
from core.errors import ModelError
from core.provenance import ModelRef

logger = logging.getLogger(__name__)


class TransformersBackend:
    name = "transformers"
    supports_json_schema = False

    def __init__(
        self,
        model_path: Path,
        *,
        context_tokens: int = 8192,
        device: str = "auto",
        threads: int = 0,
        seed: int = 0,
        model_name: str | None = None,
        sha256: str | None = None,
    ) -> None:
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise ModelError("transformers/torch zijn niet geïnstalleerd.", hint="Voer 'make setup' uit.") from exc
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if threads:
            torch.set_num_threads(threads)
        self._torch = torch
        self._device = device
        self._seed = seed
        self._path = model_path
        self._model_name = model_name or model_path.name
        self._sha256 = sha256
        kwargs: dict[str, Any] = {"local_files_only": True}
        if model_path.is_file():
            if model_path.suffix.lower() != ".gguf":
                raise ModelError(
                    f"'{model_path.name}' is geen modelmap en geen GGUF-bestand.",
                    hint="Wijs VG_LLM_MODEL naar een Hugging Face-modelmap of een .gguf-bestand.",
                )
            source, kwargs["gguf_file"] = str(model_path.parent), model_path.name
        else:
            source = str(model_path)
        started = time.perf_counter()
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(source, **kwargs)
            dtype = torch.float16 if device == "cuda" else torch.float32
            self._model = AutoModelForCausalLM.from_pretrained(source, dtype=dtype, **kwargs).to(device)
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"Het taalmodel '{model_path.name}' kon niet met transformers worden geladen.",
                hint="Controleer of de map config.json, tokenizer en gewichten bevat (alleen lokale bestanden).",
            ) from exc
        self._model.eval()
        limit = getattr(self._model.config, "max_position_embeddings", None) or context_tokens
        self.context_tokens = min(context_tokens, int(limit))
        self.load_seconds = time.perf_counter() - started
        logger.info("transformers model loaded in %.1f s on %s", self.load_seconds, device)

    @property
    def model_ref(self) -> ModelRef:
        return ModelRef(backend=self.name, name=self._model_name, path=str(self._path), sha256=self._sha256)

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer(text, add_special_tokens=False)["input_ids"])

    def generate(self, request: GenerationRequest) -> Generation:
        torch = self._torch
        messages = [m.model_dump() for m in request.messages]
        if getattr(self._tokenizer, "chat_template", None):
            prompt = self._tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        else:
            prompt = "\n\n".join(f"{m['role']}: {m['content']}" for m in messages) + "\n\nassistant: "
        inputs = self._tokenizer(prompt, return_tensors="pt", add_special_tokens=False).to(self._device)
        n_prompt = int(inputs["input_ids"].shape[1])
        torch.manual_seed(request.seed)
        sampling: dict[str, Any] = {"do_sample": False}
        if request.temperature > 0:
            sampling = {"do_sample": True, "temperature": request.temperature}
        started = time.perf_counter()
        with torch.inference_mode():
            output = self._model.generate(
                **inputs,
                max_new_tokens=request.max_tokens,
                pad_token_id=self._tokenizer.pad_token_id or self._tokenizer.eos_token_id,
                **sampling,
            )
        wall = time.perf_counter() - started
        new_tokens = output[0, n_prompt:]
        text = self._tokenizer.decode(new_tokens, skip_special_tokens=True)
        n_new = int(new_tokens.shape[0])
        return Generation(
            text=text,
            prompt_tokens=n_prompt,
            completion_tokens=n_new,
            generation_seconds=wall,
            wall_seconds=wall,
            finish_reason="length" if n_new >= request.max_tokens else "stop",
        )
