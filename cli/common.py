"""Shared CLI helpers: settings, logging, error reporting and progress."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

import typer
from rich.console import Console

from core.settings import Settings
from core.errors import VGError

console = Console(stderr=True)


def configure_logging(verbose: bool = False) -> None:
    """Log levels and format only; transcript text and personal data are never logged."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def load_settings() -> Settings:
    return Settings()


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain errors into a clear message and the error's exit code (no traceback)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except VGError as exc:
            console.print(f"[bold red]Fout:[/] {exc.message}")
            if exc.hint:
                console.print(f"[yellow]Wat nu:[/] {exc.hint}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            console.print("[red]Afgebroken.[/] Voltooide stappen blijven bewaard en worden bij een nieuwe run hergebruikt.")
            raise typer.Exit(130) from None

    return wrapper


@contextmanager
def status(message: str, quiet: bool) -> Iterator[None]:
    if quiet:
        yield
        return
    with console.status(message):
        yield
