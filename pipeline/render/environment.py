"""The Jinja2 environment: StrictUndefined, autoescaping for HTML, region overrides first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from core.settings import TEMPLATES_DIR
from core.errors import RenderError

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")

STATUS_LABELS = {
    "onderbouwd": "onderbouwd",
    "niet_onderbouwd": "niet onderbouwd: controleren",
    "handmatig": "handmatig",
}


def dutch_date(value: dt.date | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def make_environment(override_dir: Path | None = None, templates_dir: Path = TEMPLATES_DIR) -> Environment:
    """Templates in ``override_dir`` (a region's own wording and layout) win over ``templates/``."""
    if override_dir is not None and not override_dir.is_dir():
        raise RenderError(
            f"De map met regionale sjablonen bestaat niet: {override_dir}",
            hint="Controleer VG_TEMPLATES_OVERRIDE_DIR; laat hem leeg om de standaardsjablonen te gebruiken.",
        )
    loaders = [FileSystemLoader(str(d)) for d in (override_dir, templates_dir) if d is not None]
    env = Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["datum"] = dutch_date
    env.filters["status_label"] = lambda s: STATUS_LABELS.get(s, s)
    return env
