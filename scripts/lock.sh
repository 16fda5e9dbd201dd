#!/usr/bin/env bash
# Regenerate requirements/lock.txt (every package of the environment, pinned, with SHA-256 hashes)
# from pyproject.toml (+ the dev extra). Run after changing dependencies: `make lock`.
# Needs: python3.11 with pip; reaches PyPI (and this machine kind's local torch CPU wheel).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
WHEELS=${WHEELS:-.wheels}
TORCH_WHEELS=${TORCH_WHEELS:-/opt/wheels}
TOOLS=${TOOLS:-.venv-lock}
# 1. the two metadata-patched wheels (deterministic; see docs/dependencies.md)
"$PYTHON" scripts/patch_wheels.py --out "$WHEELS"
# 2. uv (pinned) in a small tool venv of its own, so the lock never depends on the project venv
if [ ! -x "$TOOLS/bin/uv" ]; then
  "$PYTHON" -m venv "$TOOLS"
  "$TOOLS/bin/pip" install -q uv==0.13.8
fi
# 3. resolve for CPython 3.11 on x86_64 Linux; torch is the CPU build (2.13.0+cpu), never CUDA
"$TOOLS/bin/uv" pip compile pyproject.toml --extra dev \
  --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
  --generate-hashes --no-header \
  --find-links "$WHEELS" --find-links "$TORCH_WHEELS" \
  --override requirements/overrides.txt \
  --index-strategy unsafe-best-match \
  -o requirements/lock.txt
echo "requirements/lock.txt: $(grep -c '^[a-zA-Z]' requirements/lock.txt) packages"
