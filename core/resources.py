"""Files shipped inside the product's packages (prompts, templates, YAML, the seed catalogue...).

Everything the product reads at run time is package data, found through :mod:`importlib.resources`,
so an installed wheel works without the source tree.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def package_path(package: str, *parts: str) -> Path:
    """Path of a file or directory shipped in ``package`` (installed as plain files, not zipped)."""
    resource = files(package).joinpath(*parts)
    path = Path(str(resource))
    if not path.exists():
        raise FileNotFoundError(f"package data missing: {package}/{'/'.join(parts)}")
    return path
