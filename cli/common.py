"""Shared CLI helpers: settings, logging, error reporting and progress."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

import typer
from rich.console import Console

from core.errors import VGError
from core.files import set_private_umask
from core.safe_logging import configure_safe_logging
from core.settings import Settings

console = Console(stderr=True)
logger = logging.getLogger(__name__)


def configure_entry_point(verbose: bool = False) -> None:
    """Once per ``vg`` command: private files (umask 077) and logs without personal data.

    Logging goes through :class:`core.safe_logging.SafeFormatter`: an unexpected exception is
    logged as its type and ``file:line`` frames only, never its message or local variables.
    """
    set_private_umask()
    configure_safe_logging(logging.DEBUG if verbose else logging.WARNING)



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
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback with personal data
            logger.error("unexpected error in %s", func.__name__, exc_info=True)
            console.print(f"[bold red]Onverwachte fout[/] ({type(exc).__name__}). Er is niets verstuurd; "
                          "voltooide stappen blijven bewaard.")
            console.print("[yellow]Wat nu:[/] probeer het opnieuw met --verbose en meld de foutregels "
                          "(die bevatten geen inhoud) aan de beheerder.")
            raise typer.Exit(1) from None

    return wrapper


@contextmanager
def status(message: str, quiet: bool) -> Iterator[None]:
    if quiet:
        yield
        return
    with console.status(message):
        yield


def app_sessions():  # noqa: ANN201 - a sqlalchemy sessionmaker; imported lazily (no web stack at `vg --help`)
    """The web app's database (``VG_DATABASE_URL`` or SQLite in the data directory), migrated."""
    from service.config import ServiceSettings
    from service.db import open_database

    from pipeline.deid.vault import settings_key

    settings = load_settings()
    return open_database(settings.data_dir, ServiceSettings().database_url, settings_key(settings))
