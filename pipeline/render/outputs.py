"""Render the verslag, the advies letter (HTML, text, PDF) and the B1 summary into the output dir."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from jinja2 import TemplateError
from pydantic import BaseModel, ConfigDict, Field

from pipeline.case import CaseMetadata
from core.errors import RenderError
from core.files import private_dir, write_private_text
from core.settings import TEMPLATES_DIR
from pipeline.render.environment import make_environment
from pipeline.render.pdf import write_pdf
from pipeline.render.reidentify import letter_mapping, reidentify_model
from pipeline.verslag.schema import B1Summary, ItemCheck, KaartSuggestie, Verslag

logger = logging.getLogger(__name__)

ROLE_LABELS = {
    "ggz": "ggz-professional",
    "sociaal": "professional sociaal domein",
    "ervaringsdeskundige": "ervaringsdeskundige",
    "poh": "POH-ggz",
}


class RenderOptions(BaseModel):
    """Options of the rendering stage."""

    model_config = ConfigDict(extra="forbid")

    templates_override_dir: Path | None = None
    """A region's templates, searched before ``templates/`` (same file names)."""
    reidentify_verslag_html: bool = False
    """``verslag.html`` is the pseudonymised working draft unless this is set."""
    letter_include_unsupported: bool = True
    """Show ``niet_onderbouwd`` items in the letter, marked 'nog te controleren' (else leave them out)."""
    pdf: bool = True
    datum: dt.date | None = None
    """Date on the letter; default the conversation date from CASE.json, else today."""


class RenderedLetters(BaseModel):
    """The result of rendering: which files were written (all 0600), by file name."""

    model_config = ConfigDict(extra="forbid")

    directory: Path
    files: dict[str, Path]
    """File name -> path, e.g. ``advies-huisarts.pdf``."""

    def __getitem__(self, name: str) -> Path:
        return self.files[name]

    @property
    def names(self) -> list[str]:
        return sorted(self.files)


class Deelnemer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    naam: str
    rol: str


class LetterContext(BaseModel):
    """Everything the letter templates may use (typed; nothing else reaches a template)."""

    model_config = ConfigDict(extra="forbid")

    datum: dt.date
    datum_gesprek: dt.date | None
    regio: str | None
    inwoner_naam: str
    inwoner_geboortedatum: dt.date | None
    huisarts_naam: str | None
    huisarts_praktijk: str | None
    deelnemers: list[Deelnemer]
    verslag: Verslag
    geaccepteerd: list[KaartSuggestie]
    toon_niet_onderbouwd: bool


class VerslagContext(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verslag: Verslag
    checks: dict[str, ItemCheck]
    gepseudonimiseerd: bool
    datum_gesprek: dt.date | None
    regio: str | None


class B1Context(BaseModel):
    model_config = ConfigDict(extra="forbid")

    samenvatting: B1Summary
    inwoner_naam: str | None
    datum_gesprek: dt.date | None


def _participants(case: CaseMetadata) -> list[Deelnemer]:
    people = []
    if case.inwoner:
        people.append(Deelnemer(naam=case.inwoner.naam, rol="inwoner"))
    people += [Deelnemer(naam=n.naam, rol=f"naaste ({n.relatie})" if n.relatie else "naaste") for n in case.naasten]
    for p in case.professionals:
        role = ROLE_LABELS.get(p.rol, p.rol) + (f", {p.organisatie}" if p.organisatie else "")
        people.append(Deelnemer(naam=p.naam, rol=role))
    return people


def letter_context(verslag: Verslag, case: CaseMetadata, mapping: dict[str, str], options: RenderOptions) -> LetterContext:
    allowed = letter_mapping(case, mapping)
    letter_verslag = reidentify_model(verslag, allowed)
    return LetterContext(
        datum=options.datum or case.datum_gesprek or dt.date.today(),
        datum_gesprek=case.datum_gesprek,
        regio=case.regio,
        inwoner_naam=case.inwoner.naam if case.inwoner else "de inwoner",
        inwoner_geboortedatum=case.inwoner.geboortedatum if case.inwoner else None,
        huisarts_naam=case.huisarts.naam if case.huisarts else None,
        huisarts_praktijk=case.huisarts.praktijk if case.huisarts else None,
        deelnemers=_participants(case),
        verslag=letter_verslag,
        geaccepteerd=[s for s in letter_verslag.suggesties if s.status == "geaccepteerd"],
        toon_niet_onderbouwd=options.letter_include_unsupported,
    )


def _render(env, name: str, context: BaseModel) -> str:  # noqa: ANN001 - jinja2 Environment
    try:
        template = env.get_template(name)
        # Top-level fields of the typed context become template variables (still typed models).
        return template.render({field: getattr(context, field) for field in type(context).model_fields})
    except TemplateError as exc:
        raise RenderError(
            f"Sjabloon {name} kon niet worden opgemaakt ({type(exc).__name__}: {exc.message or ''}).",
            hint="Controleer het sjabloon (ook een regionale versie in VG_TEMPLATES_OVERRIDE_DIR) op onbekende velden.",
        ) from exc


def render_outputs(
    verslag: Verslag,
    b1: B1Summary,
    case: CaseMetadata,
    mapping: dict[str, str],
    out_dir: Path,
    options: RenderOptions,
) -> RenderedLetters:
    """Write the rendered files (six, five without PDF), each private (0600) and atomically."""
    env = make_environment(options.templates_override_dir)
    private_dir(out_dir)
    allowed = letter_mapping(case, mapping)
    shown = reidentify_model(verslag, allowed) if options.reidentify_verslag_html else verslag
    verslag_ctx = VerslagContext(
        verslag=shown,
        checks={c.pad: c for c in verslag.grounding.items},
        gepseudonimiseerd=not options.reidentify_verslag_html,
        datum_gesprek=case.datum_gesprek,
        regio=case.regio,
    )
    letter = letter_context(verslag, case, mapping, options)
    b1_ctx = B1Context(
        samenvatting=reidentify_model(b1, allowed, skip=("diagnostiek", "model")),
        inwoner_naam=case.inwoner.naam if case.inwoner else None,
        datum_gesprek=case.datum_gesprek,
    )
    texts = {
        "verslag.html": _render(env, "verslag.html.j2", verslag_ctx),
        "advies-huisarts.html": _render(env, "advies-huisarts.html.j2", letter),
        "advies-huisarts.txt": _render(env, "advies-huisarts.txt.j2", letter),
        "samenvatting-b1.html": _render(env, "samenvatting-b1.html.j2", b1_ctx),
        "samenvatting-b1.txt": _render(env, "samenvatting-b1.txt.j2", b1_ctx),
    }
    paths: dict[str, Path] = {}
    for name, text in texts.items():
        paths[name] = write_private_text(out_dir / name, text)
    if options.pdf:
        base = options.templates_override_dir or TEMPLATES_DIR
        paths["advies-huisarts.pdf"] = write_pdf(texts["advies-huisarts.html"], out_dir / "advies-huisarts.pdf", base)
    logger.info("rendered %d files", len(paths))
    return RenderedLetters(directory=out_dir, files=paths)
