# syntax=docker/dockerfile:1
# GPU deployment image for vg-verslag: `vg serve` on port 8000, models mounted read-only at /models.
# See docs/deployment.md for how to run it and how to point each stage at production models.
#
# Untested here: the development machines have no Docker engine. Kept deliberately simple; the
# install path follows the Makefile's, without requirements/lock.txt (that lock pins the CPU torch):
# the two metadata-patched wheels (scripts/patch_wheels.py), then pip install -e . (docs/dependencies.md).
#
#   docker build -t vg-verslag .
#   docker run --gpus all -p 127.0.0.1:8000:8000 -v /srv/vg/models:/models:ro -v /srv/vg/data:/data vg-verslag

# CUDA 12 + cuDNN 9: what the PyPI wheel of ctranslate2 4.8 (faster-whisper) loads (libcublas.so.12,
# cuDNN 9). torch brings its own CUDA libraries as pip wheels. Host driver: >= 570 for CUDA 12.8.
ARG CUDA_VERSION=12.8.1
ARG UBUNTU_VERSION=22.04
ARG LLAMA_CPP_VERSION=0.3.36

# ---------------------------------------------------------------------------------------------------
# Stage 1: build llama-cpp-python with CUDA (needs nvcc, only in the -devel image). PyPI has no
# prebuilt wheel; a plain `pip install` would compile a CPU-only build.
FROM nvidia/cuda:${CUDA_VERSION}-cudnn-devel-ubuntu${UBUNTU_VERSION} AS llama-build
ARG LLAMA_CPP_VERSION
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
    && apt-get install -y --no-install-recommends software-properties-common gpg-agent build-essential git \
    && add-apt-repository -y ppa:deadsnakes/ppa \
    && apt-get install -y --no-install-recommends python3.11 python3.11-dev python3.11-venv \
    && rm -rf /var/lib/apt/lists/*
RUN python3.11 -m venv /opt/build && /opt/build/bin/pip install --no-cache-dir --upgrade "pip>=24"
# Architectures: Turing (T4) .. Hopper (H100). Narrow this to your GPU to shorten the build.
ENV CMAKE_ARGS="-DGGML_CUDA=on -DCMAKE_CUDA_ARCHITECTURES=75;80;86;89;90" \
    CMAKE_BUILD_PARALLEL_LEVEL=8
RUN /opt/build/bin/pip wheel --no-cache-dir --no-deps -w /wheels "llama-cpp-python==${LLAMA_CPP_VERSION}"

# ---------------------------------------------------------------------------------------------------
# Stage 2: runtime.
FROM nvidia/cuda:${CUDA_VERSION}-cudnn-runtime-ubuntu${UBUNTU_VERSION}
ENV DEBIAN_FRONTEND=noninteractive \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# System packages: the Makefile's APT_PACKAGES minus chromium (only used for browser tests, not by
# `vg serve`). espeak-ng and sox are kept so the bundled sample can be regenerated in the container.
RUN apt-get update \
    && apt-get install -y --no-install-recommends software-properties-common gpg-agent ca-certificates \
    && add-apt-repository -y ppa:deadsnakes/ppa \
    && apt-get install -y --no-install-recommends \
        python3.11 python3.11-venv \
        espeak-ng sox hunspell-nl libpango-1.0-0 libpangoft2-1.0-0 \
        libgomp1 \
    && apt-get purge -y software-properties-common gpg-agent && apt-get autoremove -y \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN python3.11 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

# The CUDA build of llama-cpp-python first, so `pip install -e .` finds the pinned version satisfied.
COPY --from=llama-build /wheels /tmp/wheels
RUN pip install --no-cache-dir --upgrade "pip>=24" \
    && pip install --no-cache-dir /tmp/wheels/llama_cpp_python-*.whl \
    && rm -rf /tmp/wheels

# Same install path as `make setup`. On Linux x86_64, PyPI's torch==2.13.0 wheel is the CUDA build.
# The whole tree (minus .dockerignore) is copied: code, prompts/, templates/, data/ (sociale-kaart seed),
# eval/ data and samples/ are all read from the repository at run time (editable install).
COPY . /app
RUN python scripts/patch_wheels.py --out /tmp/vg-wheels \
    && pip install --no-cache-dir --find-links /tmp/vg-wheels -e . \
    && pip check && rm -rf /tmp/vg-wheels

# Build Deduce's lookup structures once, into the (root-owned, read-only at run time) site-packages,
# so the first request does not spend ~80 s on it.
RUN python -c "from pipeline.deid import warm_up; warm_up()"

# Nothing may reach a model hub or telemetry at run time: belt and braces next to local-path configuration.
ENV HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    HF_DATASETS_OFFLINE=1 \
    HF_HUB_DISABLE_TELEMETRY=1 \
    DO_NOT_TRACK=1 \
    VG_ENVIRONMENT=production \
    VG_MODELS_DIR=/models \
    VG_DATA_DIR=/data \
    VG_ASR_DEVICE=auto

# Non-root user; /data (database, jobs, vault key) must be writable by uid 1000 on the host volume.
RUN useradd --uid 1000 --create-home --shell /usr/sbin/nologin vg \
    && mkdir -p /models /data && chown vg:vg /data
USER vg
VOLUME ["/models", "/data"]

EXPOSE 8000
ENTRYPOINT ["vg"]
# Listen on all interfaces *inside* the container; publish the port only to localhost or an internal
# network (see docs/deployment.md), never to the internet without a reverse proxy with TLS and login.
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
