"""Log formatting that never writes personal data from unexpected exceptions.

An unexpected exception's message can carry transcript text or a name (a ``KeyError('Sanne')``,
a ``ValueError`` quoting its input). Entry points install :class:`SafeFormatter`: for exceptions
that are not domain errors (:class:`core.errors.VGError`, whose messages are written to contain no
personal data) it logs only the exception type and the stack frames' ``file:line``, never the
message, the arguments or local variables. The log message itself is the caller's format string
and arguments, as always; modules never pass transcript text there.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from types import TracebackType

from core.errors import VGError

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def scrubbed_exception(exc_info: ExcInfo) -> str:
    """``ExcType`` plus ``file:line in function`` per frame (and per chained cause), nothing else."""
    lines: list[str] = []
    exc: BaseException | None = exc_info[1]
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        name = f"{type(exc).__module__}.{type(exc).__qualname__}".removeprefix("builtins.")
        if isinstance(exc, VGError):
            lines.append(f"{name}: {exc.message}")
        else:
            lines.append(f"{name} (melding weggelaten: kan persoonsgegevens bevatten)")
        for frame in traceback.extract_tb(exc.__traceback__):
            lines.append(f"  at {os.path.basename(frame.filename)}:{frame.lineno} in {frame.name}")
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
        if exc is not None:
            lines.append("caused by:")
    return "\n".join(lines)


def _scrub_arg(value: object) -> object:
    if isinstance(value, BaseException) and not isinstance(value, VGError):
        return type(value).__name__
    return value


class SafeFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # ``logger.warning("failed: %s", exc)`` would print the exception's message: type only.
        if isinstance(record.args, tuple):
            record.args = tuple(_scrub_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _scrub_arg(v) for k, v in record.args.items()}
        return super().format(record)

    def formatException(self, ei) -> str:  # noqa: N802, ANN001 - logging's API
        return scrubbed_exception(ei)

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return "(stack weggelaten)"


def configure_safe_logging(level: int, fmt: str = "%(asctime)s %(levelname)s %(name)s: %(message)s") -> None:
    """Root logging for an entry point: one stderr handler with :class:`SafeFormatter`."""
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_vg_safe", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.setFormatter(SafeFormatter(fmt))
    handler._vg_safe = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    for other in root.handlers:
        if other is not handler:
            other.setFormatter(SafeFormatter(fmt))
    install_safe_excepthooks()


def _write_scrubbed(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    sys.stderr.write(scrubbed_exception((exc_type, exc, tb)) + "\n")


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        _write_scrubbed(args.exc_type, args.exc_value, args.exc_traceback)


def install_safe_excepthooks() -> None:
    """An exception nobody caught (main thread or a worker thread) is printed scrubbed, not as a traceback."""
    sys.excepthook = _write_scrubbed
    threading.excepthook = _thread_hook
