"""The Dutch profile on top of HSDS 3.0: our enumerations, how they are stored, and a flat view.

HSDS has no fields for gemeente, levensdomein or voorziening type. Following the HSDS advice for
local classifications, each enumeration is a ``taxonomy`` with ``taxonomy_term`` rows, linked to a
service by an ``attribute`` (``link_entity = "service"``). The taxonomies of this profile:

============================  ===========================================================
taxonomy (name)               terms
============================  ===========================================================
``vg-regio``                  region slug of the service (``zorgzaam``, ``gooi``, ``landelijk`` ...)
``vg-domein``                 ``sociale-basis``, ``sociaal-domein``, ``ggz``, ``huisartsenzorg``, ``e-health``
``vg-voorziening-type``       see ``VOORZIENING_TYPES``
``vg-toegang``                see ``TOEGANG``
``vg-audience``               ``inwoner`` or ``professional``
``vg-levensdomein``           the 13 levensdomeinen (``LEVENSDOMEINEN``)
``vg-trefwoord``              free search words (HSDS has no keyword field)
``vg-extern-id``              the id the source uses (e.g. the seed slug); ``attribute.value`` holds it
``vg-herkomst``               evidence for the entry (seed: ``file:line``); ``attribute.value`` holds it
============================  ===========================================================

Gemeenten are ``service_area`` rows named after the gemeente; no gemeente area means the whole
region. Ids are UUIDv5 derived from stable names, so re-importing the same data gives the same ids.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from pipeline.kaart.hsds import Attribute, Service, TaxonomyTerm

NAMESPACE = uuid.UUID("5b0f3f7e-2b8e-4c55-9d53-6f1c0a7e9a11")

Audience = Literal["inwoner", "professional"]
VoorzieningType = Literal[
    "informeel", "algemene-voorziening", "maatwerkvoorziening", "behandeling", "zelfhulp", "advies-verwijzing"
]
Toegang = Literal["vrij-toegankelijk", "beschikking-nodig", "verwijzing-nodig", "onbekend"]
Domein = Literal["sociale-basis", "sociaal-domein", "ggz", "huisartsenzorg", "e-health"]
Levensdomein = Literal[
    "mentaal-welbevinden", "lichaamsfuncties", "zingeving", "kwaliteit-van-leven", "meedoen",
    "dagelijks-functioneren", "financien", "wonen", "werk-en-dagbesteding", "sociale-relaties",
    "verslaving", "opvoeding-en-gezin", "lvb",
]

VOORZIENING_TYPES: tuple[str, ...] = get_args(VoorzieningType)
TOEGANG: tuple[str, ...] = get_args(Toegang)
DOMEINEN: tuple[str, ...] = get_args(Domein)
LEVENSDOMEINEN: tuple[str, ...] = get_args(Levensdomein)
AUDIENCES: tuple[str, ...] = get_args(Audience)

LANDELIJK = "landelijk"

TAXONOMIES: dict[str, str] = {
    "vg-regio": "Regio (MGN-regio of landelijk) waarin het aanbod beschikbaar is.",
    "vg-domein": "Domein van de aanbieder.",
    "vg-voorziening-type": "Type voorziening volgens het Nederlandse profiel.",
    "vg-toegang": "Hoe een inwoner toegang krijgt.",
    "vg-audience": "Voor wie het aanbod bedoeld is: inwoner of professional.",
    "vg-levensdomein": "Levensdomeinen (Positieve Gezondheid en sociaal domein) die het aanbod raakt.",
    "vg-trefwoord": "Vrije zoekwoorden.",
    "vg-extern-id": "Id van het aanbod in de bron.",
    "vg-herkomst": "Bronvermelding van de gegevens.",
}

#: Taxonomies whose value is the term name (closed lists) vs. free values in ``attribute.value``.
_VALUE_TAXONOMIES = {"vg-extern-id", "vg-herkomst"}


def make_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def term(taxonomy: str, name: str) -> TaxonomyTerm:
    return TaxonomyTerm(
        id=make_id("term", taxonomy, name), name=name, taxonomy=taxonomy, taxonomy_id=make_id("taxonomy", taxonomy),
        description=name, language="nl",
    )


def attribute(service_id: str, taxonomy: str, value: str) -> Attribute:
    stored = term(taxonomy, taxonomy) if taxonomy in _VALUE_TAXONOMIES else term(taxonomy, value)
    return Attribute(
        id=make_id("attribute", service_id, taxonomy, value),
        link_id=service_id,
        link_entity="service",
        link_type="vg-profiel",
        taxonomy_term_id=stored.id,
        taxonomy_term=stored,
        value=value,
    )


def normalise_region(value: str | None) -> str | None:
    """``'t Gooi`` -> ``gooi``, ``Centraal Gelderland`` -> ``centraal-gelderland``."""
    if value is None or not value.strip():
        return None
    slug = value.strip().lower().replace("'t ", "").replace("’t ", "").replace(" ", "-")
    return {"regio-zorgzaam": "zorgzaam", "gooi-en-vechtstreek": "gooi", "nederland": LANDELIJK}.get(slug, slug)


def same_gemeente(a: str, b: str) -> bool:
    def norm(x: str) -> str:
        return x.strip().lower().replace("’", "'").replace(" ", "-")

    return norm(a) == norm(b)


class KaartEntry(BaseModel):
    """The flat, matching-oriented view of one stored HSDS service (derived, never stored)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    ref: str
    """The id users and the gold set see: the source's own id when it has one, else the HSDS id."""
    naam: str
    organisatie: str | None = None
    beschrijving: str = ""
    regio: str | None = None
    gemeenten: list[str] = Field(default_factory=list)
    domein: str | None = None
    voorziening_type: str | None = None
    toegang: str = "onbekend"
    audience: str = "inwoner"
    levensdomeinen: list[str] = Field(default_factory=list)
    doelgroep: str | None = None
    trefwoorden: list[str] = Field(default_factory=list)
    minimum_leeftijd: float | None = None
    maximum_leeftijd: float | None = None
    status: str = "active"
    alert: str | None = None
    contact: str | None = None
    bron: str = ""
    laatst_gewijzigd: dt.date | None = None
    """``assured_date`` when present (last check), else the date of ``last_modified``."""

    def search_text(self) -> str:
        """The text that lexical and dense retrieval index (name and keywords weigh double)."""
        parts = [self.naam, self.naam, " ".join(self.trefwoorden), " ".join(self.trefwoorden), self.beschrijving]
        parts += [self.doelgroep or "", " ".join(d.replace("-", " ") for d in self.levensdomeinen)]
        return "\n".join(p for p in parts if p)

    def age_days(self, today: dt.date) -> int | None:
        return None if self.laatst_gewijzigd is None else (today - self.laatst_gewijzigd).days


def _contact_text(service: Service) -> str | None:
    bits: list[str] = []
    phones = list(service.phones) + [p for c in service.contacts for p in c.phones]
    bits += [f"tel. {p.number}" for p in phones[:2]]
    emails = [service.email] + [c.email for c in service.contacts]
    bits += [e for e in emails if e][:1]
    if service.url:
        bits.append(service.url)
    for sal in service.service_at_locations[:1]:
        loc = sal.location
        if loc and loc.addresses:
            a = loc.addresses[0]
            bits.append(f"{a.address_1}, {a.postal_code} {a.city}".replace(" ,", ",").strip())
    return "; ".join(bits) or None


def to_entry(service: Service, *, bron: str, default_region: str | None = None) -> KaartEntry:
    values: dict[str, list[str]] = {}
    for attr in service.attributes:
        tax = attr.taxonomy_term.taxonomy if attr.taxonomy_term else None
        val = attr.value if tax in _VALUE_TAXONOMIES or not attr.taxonomy_term else attr.taxonomy_term.name
        if tax and val:
            values.setdefault(tax, []).append(val)
    areas = [a.name for a in service.service_areas if a.name]
    region = normalise_region((values.get("vg-regio") or [None])[0]) or normalise_region(default_region)
    gemeenten = [a for a in areas if normalise_region(a) not in {region, LANDELIJK}]
    if region is None and any(normalise_region(a) == LANDELIJK for a in areas):
        region = LANDELIJK
    if service.assured_date is not None:
        changed: dt.date | None = service.assured_date
    else:
        changed = service.last_modified.date() if service.last_modified else None
    return KaartEntry(
        id=service.id,
        ref=(values.get("vg-extern-id") or [service.id])[0],
        naam=service.name,
        organisatie=service.organization.name if service.organization else None,
        beschrijving=service.description or "",
        regio=region,
        gemeenten=gemeenten,
        domein=(values.get("vg-domein") or [None])[0],
        voorziening_type=(values.get("vg-voorziening-type") or [None])[0],
        toegang=(values.get("vg-toegang") or ["onbekend"])[0],
        audience=(values.get("vg-audience") or ["inwoner"])[0],
        levensdomeinen=values.get("vg-levensdomein", []),
        doelgroep=service.eligibility_description,
        trefwoorden=values.get("vg-trefwoord", []),
        minimum_leeftijd=service.minimum_age,
        maximum_leeftijd=service.maximum_age,
        status=service.status,
        alert=service.alert,
        contact=_contact_text(service),
        bron=bron,
        laatst_gewijzigd=changed,
    )
