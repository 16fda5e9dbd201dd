"""LLM backends behind one Protocol (see ``models.llm.base``)."""

from models.llm.base import Generation, GenerationRequest, LLMBackend, Message

__all__ = ["Generation", "GenerationRequest", "LLMBackend", "Message"]
