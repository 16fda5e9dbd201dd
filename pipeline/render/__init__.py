"""Rendering: the verslag page, the advies letter (HTML, text, PDF) and the B1 summary."""

from pipeline.render.environment import make_environment
from pipeline.render.outputs import LetterContext, RenderedLetters, RenderOptions, render_outputs
from pipeline.render.reidentify import letter_mapping, reidentify_text

__all__ = ["LetterContext", "RenderOptions", "RenderedLetters", "letter_mapping", "make_environment", "reidentify_text", "render_outputs"]
