"""The verslag schema: the structured draft of a Verkennend Gesprek (versioned).

Documented in Dutch and English in ``docs/verslag-schema.md``. Field names are Dutch because they
are what the gespreksduo reads in ``verslag.json``; they are part of the public contract.

Every statement is an :class:`Item` (or a subclass) that carries ``bronnen`` (ids of the
pseudonymised transcript segments it rests on) and a ``status``:

* ``onderbouwd``: the grounding check found support for it in the cited segments;
* ``niet_onderbouwd``: no (sufficient) support found; kept and shown visibly marked;
* ``handmatig``: written or confirmed by a person; the grounding check leaves it alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.provenance import ModelRef

SCHEMA_VERSION = 1

Status = Literal["onderbouwd", "niet_onderbouwd", "handmatig"]

Dimensie = Literal[
    "lichaamsfuncties",
    "mentaal welbevinden",
    "zingeving",
    "kwaliteit van leven",
    "meedoen",
    "dagelijks functioneren",
]
DIMENSIES: tuple[str, ...] = (
    "lichaamsfuncties",
    "mentaal welbevinden",
    "zingeving",
    "kwaliteit van leven",
    "meedoen",
    "dagelijks functioneren",
)

UitkomstCategorie = Literal[
    "ggz", "sociaal domein", "ggz en sociaal domein", "geen formele zorg", "overlegtafel"
]
UITKOMSTEN: tuple[str, ...] = (
    "ggz",
    "sociaal domein",
    "ggz en sociaal domein",
    "geen formele zorg",
    "overlegtafel",
)


class Item(BaseModel):
    """One statement in the verslag, traceable to transcript segments."""

    model_config = ConfigDict(extra="forbid")

    tekst: str
    bronnen: list[int] = Field(default_factory=list)
    """Ids of the pseudonymised transcript segments this statement rests on."""
    status: Status = "niet_onderbouwd"
    """Set by the grounding check; ``handmatig`` once a person wrote or confirmed it."""
    herkomst: Literal["model", "citaat", "sjabloon"] = "model"
    """``model``: written by the LLM; ``citaat``: the speaker's own words, kept because the written
    item failed the grounding check; ``sjabloon``: composed from other items by a fixed template."""

    def grounding_text(self) -> str:
        """All free text of the item the grounding check compares with the cited segments."""
        return self.tekst


class Hulpvraag(Item):
    """The hulpvraag in the inwoner's own terms (``tekst``) and its context."""

    context: str | None = None

    def grounding_text(self) -> str:
        return " ".join(t for t in (self.tekst, self.context) if t)


class PGObservatie(Item):
    """An observation for one Positieve Gezondheid dimension (only dimensions actually discussed)."""

    dimensie: Dimensie


class Afspraak(Item):
    """A concrete follow-up: wie doet wat, waar (loket), wanneer, which support and its form.

    ``tekst`` is a one-sentence summary of the afspraak.
    """

    wie: str | None = None
    wat: str | None = None
    waar: str | None = None
    """Loket or place where the inwoner should go."""
    wanneer: str | None = None
    ondersteuning_naam: str | None = None
    """Name of the care or support (e.g. ``Welzijn op recept``)."""
    ondersteuning_vorm: str | None = None
    """What it looks like (e.g. ``wekelijks gesprek met een welzijnscoach``)."""

    def grounding_text(self) -> str:
        parts = (self.tekst, self.wie, self.wat, self.waar, self.wanneer,
                 self.ondersteuning_naam, self.ondersteuning_vorm)
        return " ".join(p for p in parts if p)


class Regie(Item):
    """Who holds casusregie with (or for) the inwoner."""

    wie: str | None = None

    def grounding_text(self) -> str:
        return " ".join(t for t in (self.tekst, self.wie) if t)


class Evaluatiemoment(Item):
    """When (and by whom) the afspraken are evaluated."""

    wanneer: str | None = None

    def grounding_text(self) -> str:
        return " ".join(t for t in (self.tekst, self.wanneer) if t)


class Uitkomst(Item):
    """Outcome category of the VG; ``tekst`` explains it."""

    categorie: UitkomstCategorie


class GgzVerwijzing(Item):
    """Whether a ggz-verwijzing by the huisarts is needed; ``tekst`` gives the reason."""

    nodig: bool


class KaartSuggestie(BaseModel):
    """A sociale-kaart proposal for one ``ik_heb_nodig`` item (filled by the sociale-kaart stage)."""

    model_config = ConfigDict(extra="forbid")

    need: str
    """The ``ik_heb_nodig`` text the proposal answers."""
    need_index: int
    """Index into ``Verslag.ik_heb_nodig``."""
    service_id: str
    naam: str
    organisatie: str | None = None
    score: float
    reden: str
    """Why it matches, in plain Dutch."""
    contact: str | None = None
    bron: str
    """Name of the sociale kaart the entry comes from."""
    laatst_gewijzigd: dt.date | None = None
    verouderd: bool = False
    status: Literal["voorgesteld", "geaccepteerd", "afgewezen"] = "voorgesteld"
    zwak: bool = False
    """Weak match: show with caution."""


class ItemCheck(BaseModel):
    """The grounding check's verdict on one item."""

    model_config = ConfigDict(extra="forbid")

    pad: str
    """Location in the verslag, e.g. ``ik_wil[0]`` or ``hulpvraag``."""
    status: Status
    redenen: list[str] = Field(default_factory=list)
    """Why it failed, in Dutch (empty when ``onderbouwd``)."""
    lexicale_overlap: float = 0.0
    embedding_overlap: float | None = None
    ontbrekende_bronnen: list[int] = Field(default_factory=list)
    niet_gevonden: list[str] = Field(default_factory=list)
    """Names, numbers, dates or placeholders in the item that are absent from its bronnen."""


class GroundingResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    gecontroleerd: int = 0
    onderbouwd: int = 0
    niet_onderbouwd: int = 0
    handmatig: int = 0
    items: list[ItemCheck] = Field(default_factory=list)
    options: dict[str, Any] = Field(default_factory=dict)
    embedding_model: ModelRef | None = None


class SectionRun(BaseModel):
    """Diagnostics of generating one section: timings, tokens, retries, failures."""

    model_config = ConfigDict(extra="forbid")

    sectie: str
    prompt_version: str
    status: Literal["ok", "leeg_na_fouten", "overgeslagen"]
    """``leeg_na_fouten``: every attempt failed validation; the section was left empty."""
    pogingen: int = 0
    seconds: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    segmenten_in_prompt: list[int] = Field(default_factory=list)
    fouten: list[str] = Field(default_factory=list)
    """Validation errors per failed attempt (no transcript text)."""
    ruwe_uitvoer: list[str] = Field(default_factory=list)
    """Raw model output of failed attempts (pseudonymised text only), for inspection."""


class StepStats(BaseModel):
    """Tokens and time of one drafting step (evidence mode), for ``run.json`` and ``bench/``."""

    model_config = ConfigDict(extra="forbid")

    stap: Literal["bewijs", "groeperen", "schrijven", "beslissen", "samenstellen"]
    verzoeken: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    fouten: list[str] = Field(default_factory=list)
    """Failed windows or items (no transcript text)."""


class DraftInfo(BaseModel):
    """How the draft was produced."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    model: ModelRef
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)
    lange_context: Literal["volledig", "retrieval"] = "volledig"
    """``retrieval``: the transcript exceeded the context, relevant segments were selected per section."""
    transcript_tokens: int = 0
    secties: list[SectionRun] = Field(default_factory=list)
    modus: Literal["evidence", "sections"] = "sections"
    stappen: list[StepStats] = Field(default_factory=list)
    """Per-step statistics (evidence mode; the sections mode reports per section in ``secties``)."""
    bewijs: dict[str, list[int]] = Field(default_factory=dict)
    """Evidence mode: section label -> ids of the segments labelled as evidence for it."""
    wall_seconds: float = 0.0


class Verslag(BaseModel):
    """The draft verslag. ``verslag.json`` is ``model_dump_json(indent=2)`` of this."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    schema_version: int = SCHEMA_VERSION
    hulpvraag: Hulpvraag | None = None
    positieve_gezondheid: list[PGObservatie] = Field(default_factory=list)
    ik_wil: list[Item] = Field(default_factory=list)
    ik_kan: list[Item] = Field(default_factory=list)
    ik_heb_nodig: list[Item] = Field(default_factory=list)
    afspraken: list[Afspraak] = Field(default_factory=list)
    regie: Regie | None = None
    overbrugging: list[Item] = Field(default_factory=list)
    evaluatiemoment: Evaluatiemoment | None = None
    vragen_naar: Item | None = None
    uitkomst: Uitkomst | None = None
    ggz_verwijzing_nodig: GgzVerwijzing | None = None
    advies_huisarts: Item | None = None
    suggesties: list[KaartSuggestie] = Field(default_factory=list)
    grounding: GroundingResult = Field(default_factory=GroundingResult)
    draft: DraftInfo | None = None

    @property
    def prompt_versions(self) -> dict[str, str]:
        """Prompt id -> version tag of the prompts that produced this draft (empty if none)."""
        return dict(self.draft.prompt_versions) if self.draft else {}

    def iter_items(self) -> Iterator[tuple[str, Item]]:
        """Every statement with its path (``ik_wil[0]``, ``hulpvraag`` ...), in document order."""
        for name in ITEM_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, list):
                for i, item in enumerate(value):
                    yield f"{name}[{i}]", item
            else:
                yield name, value


ITEM_FIELDS: tuple[str, ...] = (
    "hulpvraag",
    "positieve_gezondheid",
    "ik_wil",
    "ik_kan",
    "ik_heb_nodig",
    "afspraken",
    "regie",
    "overbrugging",
    "evaluatiemoment",
    "vragen_naar",
    "uitkomst",
    "ggz_verwijzing_nodig",
    "advies_huisarts",
)


class B1Punt(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tekst: str
    bron: str | None = None
    """Path of the verslag item it restates (e.g. ``afspraken[0]``)."""


class B1Summary(BaseModel):
    """'Wat we hebben afgesproken': a B1-level summary for the inwoner, made from the verslag."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    schema_version: int = SCHEMA_VERSION
    inleiding: str = ""
    punten: list[B1Punt] = Field(default_factory=list)
    vragen: str | None = None
    """Where the inwoner can go with questions."""
    bron: Literal["llm", "sjabloon"] = "sjabloon"
    """``llm``: rewritten by the model; ``sjabloon``: built directly from the verslag fields."""
    model: ModelRef | None = None
    prompt_version: str | None = None
    diagnostiek: list[str] = Field(default_factory=list)
