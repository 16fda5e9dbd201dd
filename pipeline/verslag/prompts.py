"""Versioned prompt files (``prompts/<group>/<name>.v<N>.md`` with a small header).

Header::

    ---
    id: verslag/hulpvraag
    version: 1
    ---

The recorded version is ``v<N>#<first 12 hex of the body's SHA-256>``, so an edit without a version
bump is still visible in every artefact.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.settings import PROMPTS_DIR
from core.errors import DraftError

_FILE = re.compile(r"^(?P<name>[a-z0-9_]+)\.v(?P<version>\d+)\.md$")
_HEADER = re.compile(r"\A---\n(?P<header>.*?)\n---\n", re.DOTALL)


@dataclass(frozen=True)
class Prompt:
    id: str
    version: int
    text: str

    @property
    def version_tag(self) -> str:
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:12]
        return f"v{self.version}#{digest}"


def parse_prompt(raw: str, source: str) -> Prompt:
    match = _HEADER.match(raw)
    if not match:
        raise DraftError(
            f"Promptbestand {source} mist de kop met id en versie.",
            hint="Begin het bestand met '---', 'id: ...', 'version: N', '---'.",
        )
    fields = dict(
        line.split(":", 1) for line in match.group("header").splitlines() if ":" in line
    )
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    try:
        return Prompt(id=fields["id"], version=int(fields["version"]), text=raw[match.end():].strip())
    except (KeyError, ValueError):
        raise DraftError(
            f"Promptbestand {source} heeft geen geldige id of versie in de kop.",
            hint="De kop moet 'id: groep/naam' en 'version: <getal>' bevatten.",
        ) from None


@lru_cache(maxsize=128)
def load_prompt(group: str, name: str, version: int | None = None, prompts_dir: Path = PROMPTS_DIR) -> Prompt:
    """Load ``prompts/<group>/<name>.v<version>.md``; the highest version when not given."""
    folder = prompts_dir / group
    candidates: dict[int, Path] = {}
    for path in folder.glob(f"{name}.v*.md"):
        match = _FILE.match(path.name)
        if match and match.group("name") == name:
            candidates[int(match.group("version"))] = path
    if not candidates or (version is not None and version not in candidates):
        raise DraftError(
            f"Prompt '{group}/{name}' (versie {version or 'laatste'}) niet gevonden.",
            hint=f"Controleer de map {folder}.",
        )
    chosen = candidates[version if version is not None else max(candidates)]
    return parse_prompt(chosen.read_text(encoding="utf-8"), chosen.name)
