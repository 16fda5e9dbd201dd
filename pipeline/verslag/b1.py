"""'Wat we hebben afgesproken': a B1-level summary for the inwoner, made from the verslag.

Input is the verslag's items (never the transcript). The model rewrites them in plain language;
when it fails validation after the bounded retries, or there is nothing to rewrite, the summary is
built directly from the verslag fields (``bron="sjabloon"``): plainer, but never invented.
"""

from __future__ import annotations

import logging
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from models.llm.base import LLMBackend, Message
from pipeline.verslag.options import DraftOptions
from pipeline.verslag.prompts import load_prompt
from pipeline.verslag.schema import B1Punt, B1Summary, Item, Verslag
from pipeline.verslag.structured import generate_structured, schema_instruction

logger = logging.getLogger(__name__)


class B1Out(BaseModel):
    model_config = ConfigDict(extra="forbid")

    inleiding: str
    punten: Annotated[list[str], Field(max_length=10)]
    vragen: str | None


def _usable(item: Item | None, options: DraftOptions) -> bool:
    return item is not None and (options.b1_include_unsupported or item.status != "niet_onderbouwd")


def _points(verslag: Verslag, options: DraftOptions) -> list[tuple[str, str]]:
    """(path, text) of the statements the inwoner should read back."""
    points: list[tuple[str, str]] = []
    for i, a in enumerate(verslag.afspraken):
        if _usable(a, options):
            points.append((f"afspraken[{i}]", a.tekst))
    for i, s in enumerate(verslag.suggesties):
        if s.status == "geaccepteerd":
            points.append((f"suggesties[{i}]", f"U gaat naar {s.naam}" + (f" ({s.organisatie})" if s.organisatie else "") + "."))
    for i, o in enumerate(verslag.overbrugging):
        if _usable(o, options):
            points.append((f"overbrugging[{i}]", o.tekst))
    for name in ("regie", "evaluatiemoment"):
        item = getattr(verslag, name)
        if _usable(item, options):
            points.append((name, item.tekst))
    return points


def template_summary(verslag: Verslag, options: DraftOptions, diagnostics: list[str] | None = None) -> B1Summary:
    """The summary straight from the verslag fields, without a model."""
    intro = "In het gesprek hebben we samen gekeken naar wat u wilt en wat u nodig heeft."
    if _usable(verslag.hulpvraag, options):
        intro = f"In het gesprek ging het over uw vraag: {verslag.hulpvraag.tekst}"
    points = [B1Punt(tekst=text, bron=path) for path, text in _points(verslag, options)]
    vragen = verslag.vragen_naar.tekst if _usable(verslag.vragen_naar, options) else None
    return B1Summary(inleiding=intro, punten=points, vragen=vragen, bron="sjabloon", diagnostiek=diagnostics or [])


def summarise_b1(verslag: Verslag, llm: LLMBackend, options: DraftOptions) -> B1Summary:
    prompt = load_prompt("b1", "samenvatting")
    repair = load_prompt("verslag", "repair")
    points = _points(verslag, options)
    hulpvraag = verslag.hulpvraag.tekst if _usable(verslag.hulpvraag, options) else None
    vragen = verslag.vragen_naar.tekst if _usable(verslag.vragen_naar, options) else None
    if not points and hulpvraag is None:
        summary = template_summary(verslag, options, ["geen onderbouwde punten om samen te vatten"])
        summary.prompt_version = prompt.version_tag
        return summary
    lines = []
    if hulpvraag:
        lines.append(f"Hulpvraag: {hulpvraag}")
    lines += [f"- {text}" for _, text in points]
    if vragen:
        lines.append(f"Vragen: {vragen}")
    instruction = prompt.text
    if not llm.supports_json_schema:
        instruction += "\n\n" + schema_instruction(B1Out)
    messages = [Message(role="user", content=instruction + "\n\nPunten uit het verslag:\n" + "\n".join(lines))]
    result = generate_structured(
        llm,
        messages,
        B1Out,
        repair_prompt=repair,
        task="b1",
        max_tokens=options.b1_max_tokens,
        max_retries=options.max_retries,
        temperature=options.temperature,
        seed=options.seed,
    )
    if result.value is None or not (result.value.inleiding.strip() or result.value.punten):
        logger.info("B1 summary fell back to the template after %d attempt(s)", result.attempts)
        summary = template_summary(verslag, options, result.errors or ["het model gaf een lege samenvatting"])
    else:
        summary = B1Summary(
            inleiding=result.value.inleiding.strip(),
            punten=[B1Punt(tekst=p.strip()) for p in result.value.punten if p.strip()],
            vragen=(result.value.vragen or "").strip() or vragen,
            bron="llm",
            diagnostiek=result.errors,
        )
    summary.model = llm.model_ref
    summary.prompt_version = prompt.version_tag
    return summary
