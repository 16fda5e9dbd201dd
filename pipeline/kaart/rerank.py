"""Optional LLM re-ranking of sociale-kaart candidates (off by default; see ``KaartOptions.llm_rerank``)."""

from __future__ import annotations

import logging

from pydantic import BaseModel, ConfigDict, ValidationError

from models.llm.base import GenerationRequest, LLMBackend, Message
from pipeline.kaart.candidate import Candidate
from pipeline.kaart.profile import KaartEntry

logger = logging.getLogger(__name__)

PROMPT_VERSION = "kaart-rerank-1"
_SYSTEM = (
    "Je helpt een gespreksduo passend lokaal aanbod te kiezen. Je krijgt een hulpvraag en genummerde "
    "kandidaten uit de sociale kaart. Zet de nummers in volgorde van best passend naar minst passend. "
    "Gebruik alleen de gegeven nummers. Antwoord met JSON: {\"volgorde\": [nummers]}."
)


class RerankAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    volgorde: list[int]


def rerank(need: str, candidates: list[Candidate], entries: list[KaartEntry], llm: LLMBackend) -> list[Candidate]:
    """Reorder candidates by the LLM's judgement; on unusable output keep the retrieval order.

    Re-ranking only reorders what retrieval found (it cannot add services), so keeping the
    retrieval order on a bad answer loses nothing; the failure is logged without content.
    """
    lines = [f"{n}. {entries[c.index].naam}: {entries[c.index].beschrijving[:300]}" for n, c in enumerate(candidates, 1)]
    request = GenerationRequest(
        messages=[
            Message(role="system", content=_SYSTEM),
            Message(role="user", content=f"Hulpvraag: {need}\n\nKandidaten:\n" + "\n".join(lines)),
        ],
        json_schema=RerankAnswer.model_json_schema(),
        max_tokens=64,
    )
    raw = llm.generate(request).text
    try:
        order = RerankAnswer.model_validate_json(raw).volgorde
    except ValidationError:
        logger.warning("LLM re-ranking returned invalid JSON (%d chars); retrieval order kept", len(raw))
        return candidates
    seen: list[int] = []
    for n in order:
        if 1 <= n <= len(candidates) and n - 1 not in seen:
            seen.append(n - 1)
    seen += [i for i in range(len(candidates)) if i not in seen]
    return [candidates[i] for i in seen]
