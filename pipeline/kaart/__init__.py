"""Sociale kaart: an Open Referral HSDS 3.0 catalogue with importers, storage and explainable matching.

Public API used by the runner::

    from pipeline.kaart import KaartOptions, open_catalogue, suggest
    catalogue = open_catalogue(settings.database_path)          # imports the bundled seed on first use
    suggestions = suggest(verslag_needs, catalogue, kaart_options(settings),  # pipeline.stage_options,
                          gemeente=case.gemeente, regio=settings.region, levensdomeinen=[...])
"""

from pipeline.kaart.match import suggest
from pipeline.kaart.options import KaartOptions
from pipeline.kaart.store import Catalogue, ImportResult, SourceInfo, open_catalogue

__all__ = ["Catalogue", "ImportResult", "KaartOptions", "SourceInfo", "open_catalogue", "suggest"]
