"""Offline, no-telemetry process environment. Import this module FIRST in every entry point
(``cli.main``, ``service.main``, ``bench``, ``eval``): several libraries read these variables
once, when they are imported (huggingface_hub's constants, pyannote's metrics switch).

What it guarantees, and what it does not: the variables below switch off every model-hub lookup
and usage-telemetry path the product's libraries have. It does not block sockets; the proof that
nothing connects is tests/test_offline_native.py, which runs ``vg process`` and the service in a
network namespace without any route out.
"""

from __future__ import annotations

import os

OFFLINE_ENV: dict[str, str] = {
    # Hugging Face hub, transformers, sentence-transformers, datasets: local files only
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "HF_HUB_DISABLE_UPDATE_CHECK": "1",
    # pyannote.audio >= 4 sends usage metrics unless switched off
    "PYANNOTE_METRICS_ENABLED": "false",
    # the cross-tool convention (consoledonottrack.com), honoured by several libraries
    "DO_NOT_TRACK": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "WANDB_MODE": "disabled",
}


#: Defaults read at import by numeric libraries, kept when the caller sets them. numpy's OpenBLAS
#: starts a thread per core that competes with the process's own work on small matrices: with one,
#: de-identification (spaCy NER) runs 5-10% faster on the 2-core machine (bench_deid, A/B runs).
#: CTranslate2, llama.cpp and torch keep their own thread settings.
THREAD_DEFAULTS: dict[str, str] = {"OPENBLAS_NUM_THREADS": "1"}


def apply() -> None:
    """Set :data:`OFFLINE_ENV` (overriding what the caller's environment says: being offline is not
    a preference), default :data:`THREAD_DEFAULTS`, and make tldextract use its bundled
    public-suffix snapshot instead of fetching."""
    os.environ.update(OFFLINE_ENV)
    for key, value in THREAD_DEFAULTS.items():
        os.environ.setdefault(key, value)
    _tldextract_offline()


def _tldextract_offline() -> None:
    """Presidio's URL/e-mail helpers call ``tldextract.extract``, whose default extractor fetches
    the public-suffix list over HTTP on first use. Replace it by one that never fetches."""
    try:
        import tldextract
        import tldextract.tldextract as impl
    except ImportError:  # not installed: nothing can fetch
        return
    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    impl.TLD_EXTRACTOR = offline
    tldextract.extract = offline


apply()
