"""Logs never carry personal data from unexpected exceptions (issue 10 item 5)."""

from __future__ import annotations

import io
import logging

import pytest

from core.errors import DraftError
from core.safe_logging import SafeFormatter, scrubbed_exception

SECRET = "Sanne de Groot, BSN 171973069"


def _log(record_call) -> str:  # noqa: ANN001
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(SafeFormatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("test.safe_logging")
    logger.handlers, logger.propagate = [handler], False
    try:
        record_call(logger)
    finally:
        logger.handlers = []
    return stream.getvalue()


def _raise_nested() -> None:
    try:
        {"Sanne": 1}["Karel de Vries"]
    except KeyError as exc:
        raise ValueError(f"kon {SECRET} niet verwerken") from exc


@pytest.mark.parametrize(
    "call",
    [
        lambda log: log.exception("verwerking mislukt"),
        lambda log: log.error("mislukt", exc_info=True),
        lambda log: log.warning("mislukt: %s", ValueError(SECRET)),
        lambda log: log.warning("mislukt: %(fout)s", {"fout": KeyError(SECRET)}),
    ],
    ids=["exception", "exc_info", "exception-as-argument", "exception-in-mapping"],
)
def test_unexpected_exception_logs_type_and_lines_only(call) -> None:  # noqa: ANN001
    try:
        _raise_nested()
    except ValueError:
        text = _log(call)
    assert "Sanne" not in text and "171973069" not in text and "Karel" not in text
    assert "ValueError" in text or "KeyError" in text
    if "melding weggelaten" in text:  # a traceback was logged: frames by file:line, cause chained
        assert "test_safe_logging.py:" in text and "in _raise_nested" in text and "caused by:" in text


def test_domain_error_message_is_kept_because_it_is_written_without_personal_data() -> None:
    try:
        raise DraftError("Het taalmodel gaf geen bruikbaar antwoord.", hint="Probeer opnieuw.")
    except DraftError as exc:
        text = scrubbed_exception((type(exc), exc, exc.__traceback__))
    assert "Het taalmodel gaf geen bruikbaar antwoord." in text


def test_plain_messages_are_unchanged() -> None:
    assert _log(lambda log: log.warning("stage %s: %d segmenten", "deidentify", 12)).strip() == (
        "WARNING stage deidentify: 12 segmenten")
