"""Evaluation of sociale-kaart matching: gold needs, retrieval metrics per mode, and the zwak flag."""

from eval.kaart.gold import GoldNeed, load_gold
from eval.kaart.evaluate import KaartEvalReport, ModeMetrics, evaluate_kaart

__all__ = ["GoldNeed", "KaartEvalReport", "ModeMetrics", "evaluate_kaart", "load_gold"]
