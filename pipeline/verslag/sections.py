"""The sections the LLM drafts, one request each: output schema, retrieval query, and how the
validated output goes into the :class:`~pipeline.verslag.schema.Verslag`.

The output models are what the model must produce (no ``status``: that is the grounding check's
job). List lengths are bounded so a small model that starts repeating items stops early.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from pipeline.verslag import schema as s

# No maxLength on strings: llama.cpp expands it into a grammar that takes many seconds to build.
# ``max_tokens`` bounds the answer instead; lists are bounded with maxItems (cheap).
Text = str
Short = str
Bronnen = Annotated[list[int], Field(max_length=8)]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemOut(_Out):
    tekst: Text
    bronnen: Bronnen


class HulpvraagOut(_Out):
    tekst: Text
    context: Text | None
    bronnen: Bronnen


class PGOut(_Out):
    dimensie: s.Dimensie
    tekst: Text
    bronnen: Bronnen


class AfspraakOut(_Out):
    tekst: Text
    wie: Short | None
    wat: Short | None
    waar: Short | None
    wanneer: Short | None
    ondersteuning_naam: Short | None
    ondersteuning_vorm: Short | None
    bronnen: Bronnen


class RegieOut(_Out):
    wie: Short | None
    tekst: Text
    bronnen: Bronnen


class EvaluatieOut(_Out):
    wanneer: Short | None
    tekst: Text
    bronnen: Bronnen


class UitkomstOut(_Out):
    categorie: s.UitkomstCategorie
    tekst: Text
    bronnen: Bronnen


class GgzOut(_Out):
    nodig: bool
    tekst: Text
    bronnen: Bronnen


class HulpvraagSection(_Out):
    hulpvraag: HulpvraagOut | None


class PGSection(_Out):
    observaties: Annotated[list[PGOut], Field(max_length=6)]


class ItemsSection(_Out):
    items: Annotated[list[ItemOut], Field(max_length=6)]


class AfsprakenSection(_Out):
    afspraken: Annotated[list[AfspraakOut], Field(max_length=8)]


class VervolgSection(_Out):
    regie: RegieOut | None
    overbrugging: Annotated[list[ItemOut], Field(max_length=4)]
    evaluatiemoment: EvaluatieOut | None
    vragen_naar: ItemOut | None


class UitkomstSection(_Out):
    uitkomst: UitkomstOut | None
    ggz_verwijzing: GgzOut | None


class AdviesSection(_Out):
    advies_huisarts: ItemOut | None


def _apply_hulpvraag(v: s.Verslag, out: HulpvraagSection) -> None:
    v.hulpvraag = s.Hulpvraag(**out.hulpvraag.model_dump()) if out.hulpvraag else None


def _apply_pg(v: s.Verslag, out: PGSection) -> None:
    v.positieve_gezondheid = [s.PGObservatie(**o.model_dump()) for o in out.observaties]


def _apply_items(field: str) -> Callable[[s.Verslag, ItemsSection], None]:
    def apply(v: s.Verslag, out: ItemsSection) -> None:
        setattr(v, field, [s.Item(**o.model_dump()) for o in out.items])

    return apply


def _apply_afspraken(v: s.Verslag, out: AfsprakenSection) -> None:
    v.afspraken = [s.Afspraak(**o.model_dump()) for o in out.afspraken]


def _apply_vervolg(v: s.Verslag, out: VervolgSection) -> None:
    v.regie = s.Regie(**out.regie.model_dump()) if out.regie else None
    v.overbrugging = [s.Item(**o.model_dump()) for o in out.overbrugging]
    v.evaluatiemoment = s.Evaluatiemoment(**out.evaluatiemoment.model_dump()) if out.evaluatiemoment else None
    v.vragen_naar = s.Item(**out.vragen_naar.model_dump()) if out.vragen_naar else None


def _apply_uitkomst(v: s.Verslag, out: UitkomstSection) -> None:
    v.uitkomst = s.Uitkomst(**out.uitkomst.model_dump()) if out.uitkomst else None
    v.ggz_verwijzing_nodig = s.GgzVerwijzing(**out.ggz_verwijzing.model_dump()) if out.ggz_verwijzing else None


def _apply_advies(v: s.Verslag, out: AdviesSection) -> None:
    v.advies_huisarts = s.Item(**out.advies_huisarts.model_dump()) if out.advies_huisarts else None


@dataclass(frozen=True)
class SectionSpec:
    name: str
    """Section name; also the prompt file name under ``prompts/verslag/``."""
    output: type[BaseModel]
    apply: Callable[[s.Verslag, BaseModel], None]
    query: str
    """Dutch keywords used to retrieve relevant segments when the transcript is too long."""


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("hulpvraag", HulpvraagSection, _apply_hulpvraag,
                "vraag hulp probleem zorgen huisarts waarom hier komen last situatie"),
    SectionSpec("positieve_gezondheid", PGSection, _apply_pg,
                "slapen lichaam pijn moe somber angstig stress zin plezier werk vrienden meedoen "
                "dagelijks huishouden geld wonen gezondheid"),
    SectionSpec("ik_wil", ItemsSection, _apply_items("ik_wil"),
                "ik wil graag weer zou willen wens hoop doel belangrijk"),
    SectionSpec("ik_kan", ItemsSection, _apply_items("ik_kan"),
                "ik kan zelf lukt goed sterk helpen familie vrienden netwerk steun"),
    SectionSpec("ik_heb_nodig", ItemsSection, _apply_items("ik_heb_nodig"),
                "nodig hulp ondersteuning begeleiding behandeling hulpverlening zou helpen"),
    SectionSpec("afspraken", AfsprakenSection, _apply_afspraken,
                "afspraak afspreken afgesproken aanmelden contact opnemen loket wijkteam volgende week "
                "wanneer wie doet regelen bellen"),
    SectionSpec("vervolg", VervolgSection, _apply_vervolg,
                "regie casusregie wachtlijst wachttijd overbrugging evalueren terugkoppelen "
                "vragen bellen contactpersoon weken"),
    SectionSpec("uitkomst", UitkomstSection, _apply_uitkomst,
                "ggz verwijzing huisarts behandeling psycholoog sociaal domein wijkteam overlegtafel "
                "zelf netwerk"),
    SectionSpec("advies_huisarts", AdviesSection, _apply_advies,
                "huisarts advies verwijzing afspraak besloten samen vervolg"),
)

SECTION_NAMES: tuple[str, ...] = tuple(spec.name for spec in SECTIONS)


def section(name: str) -> SectionSpec:
    return next(spec for spec in SECTIONS if spec.name == name)
