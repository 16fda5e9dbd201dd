"""Human review of drafts with a PDQI-9-like rubric in Dutch: export sheets, import them, agreement.

The rubric follows the Physician Documentation Quality Instrument (PDQI-9, Stetson et al. 2012:
up-to-date, accurate, thorough, useful, organized, comprehensible, succinct, synthesized,
internally consistent), translated and adapted to the VG, plus one VG-specific item. Each item is
scored 1 (helemaal niet) to 5 (volledig). Sheets are CSV (semicolon-separated, opens in Excel or
LibreOffice in Dutch locales) with an HTML page per draft that shows the draft and the rubric.
Drafts are pseudonymised (``verslag.json``), so the sheets contain no personal data.
"""

from eval.review.sheets import RUBRIC, ReviewSummary, export_sheets, import_sheets, summarise

__all__ = ["RUBRIC", "ReviewSummary", "export_sheets", "import_sheets", "summarise"]
