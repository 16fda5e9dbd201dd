"""Rebuild two upstream wheels with corrected dependency metadata, byte for byte reproducibly.

- deduce 3.0.6 pins ``regex<2025``; transformers 5 needs ``regex>=2025.10``. Deduce runs with the
  newer regex (tests/pipeline/deid cover it), so ``deduce-3.0.6+vg1`` only relaxes that pin.
- resemblyzer 0.1.4 requires ``webrtcvad``, whose import needs ``pkg_resources`` (setuptools<81,
  a deprecation warning on every run), and the Python-2 ``typing`` backport.
  ``resemblyzer-0.1.4+vg1`` requires ``webrtcvad-wheels`` instead (same ``webrtcvad`` module,
  uses ``importlib.metadata``) and drops ``typing``.

Nothing but the metadata changes (see docs/dependencies.md). The originals are downloaded by
pip with their SHA-256 checked, so the output is the same on every machine, and its hash is
pinned in requirements/lock.txt. Run: ``python scripts/patch_wheels.py [--out .wheels]``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

LOCAL_TAG = "vg1"
PATCHES = {
    # name: (version, wheel file, sha256 of the original, {old Requires-Dist line: new line or None})
    "deduce": ("3.0.6", "deduce-3.0.6-py3-none-any.whl",
               "8f927455e4a9e88d4af815cf1abb78f652db0a9899539d982c38503c30ea3c4c",
               {"Requires-Dist: regex (>=2024.11.6,<2025.0.0)": "Requires-Dist: regex (>=2024.11.6)"}),
    "resemblyzer": ("0.1.4", "Resemblyzer-0.1.4-py3-none-any.whl",
                    "8f12eb2f1a9982d32e8db7856de754709b59c93a77bcf0ff536584b619a9dd1f",
                    {"Requires-Dist: webrtcvad >=2.0.10": "Requires-Dist: webrtcvad-wheels >=2.0.14",
                     "Requires-Dist: typing": None}),
}
_EPOCH = (2016, 1, 1, 0, 0, 0)


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def patch_wheel(original: Path, out_dir: Path, version: str, edits: dict[str, str | None]) -> Path:
    """Write ``<name>-<version>+vg1-...whl`` with the METADATA edits applied; deterministic."""
    with zipfile.ZipFile(original) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    old_info = next(n.split("/")[0] for n, _ in entries if n.endswith(".dist-info/METADATA"))
    dist = old_info[: -len(f"-{version}.dist-info")]
    new_version = f"{version}+{LOCAL_TAG}"
    new_info = f"{dist}-{new_version}.dist-info"
    files: dict[str, bytes] = {}
    for name, data in entries:
        if name.startswith(old_info + "/"):
            name = new_info + name[len(old_info):]
        if name == f"{new_info}/METADATA":
            lines = data.decode("utf-8").replace("\r\n", "\n").split("\n")
            missing = [old for old in edits if old not in lines]
            if missing:
                raise SystemExit(f"{original.name}: METADATA lacks {missing}; upstream changed, review the patch")
            lines = [edits.get(line, line) if line in edits else line for line in lines]
            lines = [line for line in lines if line is not None]
            lines = [f"Version: {new_version}" if line.startswith("Version: ") else line for line in lines]
            data = "\n".join(lines).encode("utf-8")
        if not name.endswith(".dist-info/RECORD"):
            files[name] = data
    record_name = f"{new_info}/RECORD"
    record = "".join(f"{n},{_record_hash(d)},{len(d)}\n" for n, d in files.items()) + f"{record_name},,\n"
    files[record_name] = record.encode()
    tail = original.name[len(f"{original.name.split('-')[0]}-{version}"):]
    target = out_dir / f"{re.sub(r'[^A-Za-z0-9.]+', '_', dist)}-{new_version}{tail}"
    out_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data, compresslevel=9)
    return target


def _download(name: str, version: str, sha256: str, dest: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:",
                    "-d", str(dest), f"{name}=={version}"], check=True)
    path = next(dest.glob(f"*{version}*.whl"))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if sha256 and digest != sha256:
        raise SystemExit(f"{path.name}: sha256 {digest} is not the pinned {sha256}")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path(".wheels"))
    parser.add_argument("--from-dir", type=Path, help="use originals already downloaded here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, (version, filename, sha256, edits) in PATCHES.items():
            original = args.from_dir / filename if args.from_dir else _download(name, version, sha256, Path(tmp) / name)
            digest = hashlib.sha256(original.read_bytes()).hexdigest()
            if sha256 and digest != sha256:
                raise SystemExit(f"{original.name}: sha256 {digest} is not the pinned {sha256}")
            target = patch_wheel(original, args.out, version, edits)
            print(f"{target}  sha256={hashlib.sha256(target.read_bytes()).hexdigest()}")


if __name__ == "__main__":
    main()
