"""Evidence mode, steps 3-5: write one item per evidence group, decide the closed fields, compose
``advies_huisarts`` from the items.

Step 3 asks for one short sentence per group from only that group's segments (the section's
instruction comes first in the prompt and the segments last, so consecutive requests of one section
share their prefix in llama.cpp's KV cache). The item's ``bronnen`` is the group. An item that fails
the grounding check is replaced by the speaker's own words (``herkomst="citaat"``).

Step 4 decides uitkomst and ggz_verwijzing_nodig with an enum-constrained request over the segments
labelled ``uitkomst``/``afspraken``; regie, overbrugging, evaluatiemoment and vragen_naar are items
written from their own evidence groups (step 3).

Step 5 composes ``advies_huisarts`` from the items with a fixed Dutch template (``herkomst=
"sjabloon"``): it never depends on a generation succeeding, so the letter is never empty while the
verslag has items.
"""

from __future__ import annotations

import re
import time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from models.llm.base import LLMBackend, Message
from pipeline.transcript import PseudonymisedSegment
from pipeline.verslag import schema as s
from pipeline.verslag.evidence import StepCounter, evidence_line
from pipeline.verslag.grounding import GroundingOptions, check_item
from pipeline.verslag.outcome import OutcomeDecision
from pipeline.verslag.prompts import Prompt
from pipeline.verslag.structured import generate_structured

QUOTE_MAX_WORDS = 40
INWONER_SECTIONS = frozenset({"ik_wil", "ik_kan", "ik_heb_nodig", "hulpvraag"})
LIST_OF_SENTENCES = frozenset({"ik_wil", "ik_kan", "ik_heb_nodig"})
"""Sections where one group may hold several wishes, strengths or needs: one item per sentence."""
_WANT = {"ik_wil": ("wil", "graag", "zou", "hoop", "wens"), "ik_kan": ("kan", "lukt", "doe", "help"),
         "ik_heb_nodig": ("nodig", "hulp", "iemand", "zou")}


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ZinOut(_Out):
    tekst: str


class ZinnenOut(_Out):
    zinnen: list[str] = Field(min_length=1, max_length=3)


class AfspraakZinOut(_Out):
    tekst: str
    wie: str | None
    wat: str | None
    wanneer: str | None


AFSPRAKEN_PER_GROUP = 3
"""A summary turn ("Dan vat ik het samen ...") holds several actions: up to this many afspraken."""


class AfsprakenOut(_Out):
    afspraken: list[AfspraakZinOut] = Field(min_length=1, max_length=AFSPRAKEN_PER_GROUP)


class BesluitOut(_Out):
    uitkomst: s.UitkomstCategorie
    ggz_verwijzing_nodig: bool


def _segment_lines(ids: list[int], segments: dict[int, PseudonymisedSegment]) -> str:
    return "\n".join(evidence_line(segments[i]) for i in ids if i in segments)


def _is_inwoner_side(segment: PseudonymisedSegment) -> bool:
    speaker = segment.speaker or ""
    return segment.role in ("inwoner", "naaste") or speaker == "[INWONER]" or speaker.startswith("[NAASTE")


def quote_item(section: str, group: list[int], segments: dict[int, PseudonymisedSegment]) -> s.Item:
    """The speaker's own words as the item: the inwoner's (or a naaste's) segment for the inwoner's
    sections, preferring one with the section's key words; else the group's first segment."""
    candidates = [segments[i] for i in group if i in segments]
    if section in INWONER_SECTIONS:
        own = [c for c in candidates if _is_inwoner_side(c)]
        candidates = own or candidates
    keys = _WANT.get(section, ())
    keyed = [c for c in candidates if any(re.search(rf"\b{k}\b", c.text.lower()) for k in keys)]
    chosen = (keyed or candidates)[0]
    words = chosen.text.split()
    text = " ".join(words[:QUOTE_MAX_WORDS]) + (" …" if len(words) > QUOTE_MAX_WORDS else "")
    return s.Item(tekst=text, bronnen=[chosen.id], herkomst="citaat")


def write_items(
    section: str,
    group: list[int],
    segments: dict[int, PseudonymisedSegment],
    llm: LLMBackend,
    prompt: Prompt,
    repair: Prompt,
    grounding: GroundingOptions,
    *,
    max_tokens: int,
    max_retries: int,
    seed: int,
    counter: StepCounter,
) -> list[s.Item]:
    """The items for ``group`` (one; up to three for the inwoner's lists, four afspraken); the speaker's words
    when generation fails or no written sentence passes the grounding check."""
    afspraak = section == "afspraken"
    output: type[_Out] = AfsprakenOut if afspraak else ZinnenOut if section in LIST_OF_SENTENCES else ZinOut
    messages = [
        Message(role="system", content=prompt.text),
        Message(role="user", content=f"Sectie: {section}\nSegmenten:\n{_segment_lines(group, segments)}"),
    ]
    started = time.perf_counter()
    result = generate_structured(llm, messages, output, repair_prompt=repair, task=f"schrijf:{section}",
                                 max_tokens=max_tokens * AFSPRAKEN_PER_GROUP if afspraak else max_tokens, max_retries=max_retries, seed=seed)
    counter.requests += result.attempts
    counter.prompt_tokens += result.prompt_tokens
    counter.completion_tokens += result.completion_tokens
    counter.seconds += time.perf_counter() - started
    quote = _as_section(section, quote_item(section, group, segments))
    value = result.value
    if value is None:
        counter.failures.append(f"{section} {group}: geen geldig antwoord")
        return [quote]
    if isinstance(value, AfsprakenOut):  # one afspraak per action: a summary turn often holds several
        unique = {a.tekst.strip(): a for a in value.afspraken}.values()
        written: list[s.Item] = [s.Afspraak(tekst=a.tekst, wie=a.wie, wat=a.wat, wanneer=a.wanneer,
                                            bronnen=list(group)) for a in unique]
    elif isinstance(value, ZinnenOut):
        written = [s.Item(tekst=z, bronnen=list(group)) for z in dict.fromkeys(z.strip() for z in value.zinnen)]
    else:
        written = [s.Item(tekst=value.tekst, bronnen=list(group))]  # type: ignore[attr-defined]
    texts = {i: f"{seg.speaker or ''}: {seg.text}" for i, seg in segments.items()}
    kept = [item for item in written
            if item.tekst.strip() and check_item(section, item, texts, grounding).status == "onderbouwd"]
    for item in kept:
        item.status = "onderbouwd"
    return kept or [quote]


def _as_section(section: str, item: s.Item) -> s.Item:
    if section == "afspraken":
        return s.Afspraak(tekst=item.tekst, bronnen=item.bronnen, herkomst=item.herkomst)
    return item


def decision_ids(evidence: dict[str, list[int]], max_segments: int) -> list[int]:
    """The segments the closed fields are decided on: uitkomst evidence first, then afspraken."""
    return list(dict.fromkeys(evidence.get("uitkomst", []) + evidence.get("afspraken", [])))[:max_segments]


def decide(
    evidence: dict[str, list[int]],
    segments: dict[int, PseudonymisedSegment],
    llm: LLMBackend,
    prompt: Prompt,
    repair: Prompt,
    *,
    max_segments: int,
    max_retries: int,
    seed: int,
    counter: StepCounter,
) -> BesluitOut | None:
    """Uitkomst and ggz_verwijzing_nodig from the segments labelled uitkomst (then afspraken)."""
    ids = decision_ids(evidence, max_segments)
    if not ids:
        return None
    messages = [
        Message(role="system", content=prompt.text),
        Message(role="user", content="Segmenten:\n" + _segment_lines(sorted(ids), segments)),
    ]
    started = time.perf_counter()
    result = generate_structured(llm, messages, BesluitOut, repair_prompt=repair, task="beslis",
                                 max_tokens=64, max_retries=max_retries, seed=seed)
    counter.requests += result.attempts
    counter.prompt_tokens += result.prompt_tokens
    counter.completion_tokens += result.completion_tokens
    counter.seconds += time.perf_counter() - started
    if result.value is None:
        counter.failures.append("besluit: geen geldig antwoord")
    return result.value


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def compose_advies(verslag: s.Verslag, max_bronnen: int = 6) -> s.Item | None:
    """``advies_huisarts`` from the items by a fixed template; None when the verslag has no items."""
    parts: list[str] = []
    bronnen: list[int] = []
    if verslag.uitkomst is not None:
        parts.append(f"Uitkomst van het gesprek: {verslag.uitkomst.categorie}.")
        if verslag.uitkomst.herkomst == "citaat":  # the duo's own proposal says why
            parts.append(_sentence(verslag.uitkomst.tekst))
        bronnen += verslag.uitkomst.bronnen
    if verslag.ggz_verwijzing_nodig is not None:
        parts.append("Een ggz-verwijzing door de huisarts is nodig." if verslag.ggz_verwijzing_nodig.nodig
                     else "Een ggz-verwijzing door de huisarts is niet nodig.")
        bronnen += verslag.ggz_verwijzing_nodig.bronnen
    sources: list[tuple[str, list[s.Item]]] = [("Afgesproken", list(verslag.afspraken)),
                                                 ("Nodig", list(verslag.ik_heb_nodig))]
    for label, items in sources:
        usable = [i for i in items if i.status != "niet_onderbouwd"] or items
        if usable:
            parts.append(f"{label}: " + " ".join(_sentence(i.tekst) for i in usable[:3]))
            for i in usable[:3]:
                bronnen += i.bronnen
    if not parts and verslag.hulpvraag is not None:
        parts.append("Hulpvraag: " + _sentence(verslag.hulpvraag.tekst))
        bronnen += verslag.hulpvraag.bronnen
    if not parts:
        return None
    return s.Item(tekst=" ".join(parts), bronnen=list(dict.fromkeys(bronnen))[:max_bronnen], herkomst="sjabloon")


def uitkomst_items(
    besluit: BesluitOut | None, uitkomst_item: s.Item | None, decided_on: list[int],
) -> tuple[s.Uitkomst | None, s.GgzVerwijzing | None]:
    """Closed fields as items: the decision's category with the written uitkomst item's text and
    bronnen, or (no uitkomst evidence) a template sentence citing the first segments decided on."""
    if besluit is None:
        return None, None
    tekst = uitkomst_item.tekst if uitkomst_item else f"Uitkomst: {besluit.uitkomst}."
    bronnen = uitkomst_item.bronnen if uitkomst_item else sorted(decided_on)[:4]
    herkomst: Literal["model", "citaat", "sjabloon"] = uitkomst_item.herkomst if uitkomst_item else "sjabloon"
    return (s.Uitkomst(categorie=besluit.uitkomst, tekst=tekst, bronnen=bronnen, herkomst=herkomst),
            s.GgzVerwijzing(nodig=besluit.ggz_verwijzing_nodig, tekst=tekst, bronnen=bronnen, herkomst=herkomst))


def outcome_items(decision: OutcomeDecision) -> tuple[s.Uitkomst, s.GgzVerwijzing]:
    """Closed fields decided by the rule: the professionals' own sentences as the text (a quote)."""
    tekst = " ".join(_sentence(z) for z in decision.zinnen) or f"Uitkomst: {decision.uitkomst}."
    common = {"tekst": tekst, "bronnen": decision.bronnen, "herkomst": "citaat"}
    return (s.Uitkomst(categorie=decision.uitkomst, **common),  # type: ignore[arg-type]
            s.GgzVerwijzing(nodig=decision.ggz_verwijzing_nodig, **common))  # type: ignore[arg-type]
