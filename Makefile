# Two commands for a new machine (see README):
#   make demo   set everything up and process the bundled sample VG recording
#   make test   set everything up and run the test suite (what CI runs)
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
VG := $(VENV)/bin/vg
APT_PACKAGES := espeak-ng sox hunspell-nl libpango-1.0-0 libpangoft2-1.0-0 chromium postgresql redis-server
WHEELS ?= .wheels
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements/lock.txt scripts/patch_wheels.py | sha256sum | cut -c1-12)

.PHONY: setup system-packages venv models warmup demo test test-fast bench serve clean help lock

help:
	@echo "make demo   - set up (venv, packages, models) and process samples/vg-demo"
	@echo "make test   - set up and run the whole test suite (CI runs this)"
	@echo "make bench  - run the benchmarks in bench/ and print figures"
	@echo "make serve  - start the review web app on http://127.0.0.1:8000"

system-packages:
	@bash scripts/install-system-packages.sh $(APT_PACKAGES)

# Every package comes from requirements/lock.txt, pinned and hash-checked (docs/dependencies.md);
# the project itself is installed editable without dependencies on top, then `pip check`.
$(STAMP): pyproject.toml requirements/lock.txt scripts/patch_wheels.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade "pip>=24"
	$(PY) scripts/patch_wheels.py --out $(WHEELS)
	@# webrtcvad (replaced by webrtcvad-wheels, same module) must go before its successor is installed
	@$(PY) -m pip uninstall -q -y webrtcvad 2>/dev/null || true
	@echo "Installing Python packages (the first time compiles llama-cpp-python: ~5 min on 2 cores)"
	CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(PY) -m pip install -q --disable-pip-version-check \
	  --require-hashes --find-links $(WHEELS) -r requirements/lock.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# Regenerate requirements/lock.txt from pyproject.toml after a dependency change (then `make setup`).
lock:
	PYTHON=$(PYTHON) WHEELS=$(WHEELS) bash scripts/lock.sh

venv: system-packages $(STAMP)

models: venv
	$(VG) models pull

warmup: venv
	$(VG) models warmup

setup: venv models warmup

demo: setup
	@echo "== Invoer 1: opname samples/vg-demo/gesprek.ogg (synthetische espeak-stem, slechte herkenning) -> out/demo/audio"
	$(VG) process samples/vg-demo/gesprek.ogg --case samples/vg-demo/case.json --out out/demo/audio
	@echo "== Invoer 2: transcript van het belplatform samples/vg-demo/gesprek.vtt (WebVTT) -> out/demo/vtt"
	$(VG) process samples/vg-demo/gesprek.vtt --case samples/vg-demo/case.json --out out/demo/vtt
	@echo "== Uitvoer per invoer:"
	@echo "   opname  (gesprek.ogg): out/demo/audio/verslag.json, out/demo/audio/advies-huisarts.txt"
	@echo "   WebVTT  (gesprek.vtt): out/demo/vtt/verslag.json, out/demo/vtt/advies-huisarts.txt"
	@echo "== Brief uit het WebVTT-transcript (out/demo/vtt/advies-huisarts.txt):"
	@cat out/demo/vtt/advies-huisarts.txt

test: setup
	PYTHONPATH=$(CURDIR) $(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest

test-fast: venv
	$(PY) -m pytest -m "not slow"

bench: setup
	$(PY) -m bench

serve: setup
	$(VG) serve

clean:
	rm -rf out .pytest_cache
