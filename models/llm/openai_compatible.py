"""Backend for an OpenAI-compatible chat-completions server the organisation runs itself.

Works with vLLM, Ollama and ``llama.cpp``'s server. It talks only to the configured base URL
(``httpx`` with ``trust_env=False``: no proxy or other endpoint from the environment).
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from models.llm.base import Generation, GenerationRequest
from models.llm.schema_utils import inline_refs
from core.errors import DraftError, ModelError
from core.provenance import ModelRef

logger = logging.getLogger(__name__)


class OpenAICompatibleBackend:
    name = "openai-compatible"

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        context_tokens: int = 8192,
        timeout_seconds: float = 600.0,
        supports_json_schema: bool = True,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ModelError(
                f"'{base_url}' is geen geldige server-URL voor het taalmodel.",
                hint="Gebruik bijvoorbeeld VG_LLM_BASE_URL=http://127.0.0.1:8000/v1 (een server in uw eigen netwerk).",
            )
        self.base_url = base_url.rstrip("/")
        self.context_tokens = context_tokens
        self.supports_json_schema = supports_json_schema
        self._model = model
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=timeout_seconds,
            trust_env=False,
            follow_redirects=False,
            transport=transport,
        )

    @property
    def model_ref(self) -> ModelRef:
        return ModelRef(backend=self.name, name=self._model, path=self.base_url)

    def count_tokens(self, text: str) -> int:
        """Conservative estimate (servers differ in how they expose their tokenizer)."""
        return int(len(text) / 3.0) + 1 if text else 0

    def close(self) -> None:
        self._client.close()

    def generate(self, request: GenerationRequest) -> Generation:
        body: dict[str, Any] = {
            "model": self._model,
            "messages": [m.model_dump() for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "seed": request.seed,
        }
        if request.json_schema is not None and self.supports_json_schema:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": request.task or "antwoord", "schema": inline_refs(request.json_schema)},
            }
        started = time.perf_counter()
        try:
            response = self._client.post("/chat/completions", json=body)
        except httpx.HTTPError as exc:
            raise DraftError(
                f"De taalmodelserver op {self.base_url} is niet bereikbaar ({type(exc).__name__}).",
                hint="Controleer of de server draait en VG_LLM_BASE_URL klopt.",
            ) from None
        wall = time.perf_counter() - started
        if response.status_code != 200:
            raise DraftError(
                f"De taalmodelserver gaf foutcode {response.status_code}.",
                hint="Controleer de modelnaam (VG_LLM_MODEL) en de serverlogs.",
            )
        try:
            data = response.json()
            choice = data["choices"][0]
            text = choice["message"].get("content") or ""
        except (ValueError, KeyError, IndexError, TypeError):
            raise DraftError(
                "De taalmodelserver gaf een antwoord in een onbekend formaat.",
                hint="Gebruik een server met een OpenAI-compatibele /chat/completions (vLLM, Ollama, llama.cpp).",
            ) from None
        usage = data.get("usage") or {}
        return Generation(
            text=text,
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            wall_seconds=wall,
            finish_reason=choice.get("finish_reason"),
        )
