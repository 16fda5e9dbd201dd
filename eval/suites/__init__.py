"""Evaluation suites, registered by name (see :mod:`eval.suites.base`)."""

from __future__ import annotations

import importlib
import logging

from eval.suites.base import SUITES, EvalConfig, EvalContext, SuiteInfo, suite

logger = logging.getLogger(__name__)

_MODULES = ("asr", "speakers", "pii", "verslag", "kaart", "e2e")


def load_suites() -> dict[str, SuiteInfo]:
    """Import every suite module so it registers; a suite whose optional parts are missing is skipped."""
    for name in _MODULES:
        try:
            importlib.import_module(f"eval.suites.{name}")
        except ModuleNotFoundError as exc:
            logger.info("suite %s not available: %s", name, exc.name)
    return SUITES


__all__ = ["SUITES", "EvalConfig", "EvalContext", "SuiteInfo", "load_suites", "suite"]
