"""Domain errors. Every message says what went wrong and what the user can do about it.

Messages are Dutch (the people who read them are the gespreksduo and beheerders); the class
names and docstrings are English. Messages never contain transcript text or personal data.
"""

from __future__ import annotations


class VGError(Exception):
    """Base class for all expected, user-facing errors of the product."""

    #: Process exit code used by the CLI for this kind of error.
    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message}\nWat nu: {hint}")


class InputError(VGError):
    """An input file is missing, of the wrong type or malformed."""

    exit_code = 2


class AudioError(InputError):
    """Audio cannot be decoded, is empty, silent, too long or too large."""


class TranscriptFormatError(InputError):
    """A transcript file (WebVTT, transcript.json, 'Spreker: tekst') cannot be read."""


class CaseFileError(InputError):
    """CASE.json is malformed."""


class ModelError(VGError):
    """A model is missing, incomplete, or fails its checksum."""

    exit_code = 3


class TranscriptionError(VGError):
    """Speech recognition failed or produced no text."""

    exit_code = 4


class DiarizationError(VGError):
    """Speaker diarization failed."""

    exit_code = 4


class DeidentificationError(VGError):
    """De-identification failed; nothing downstream may run on the raw text."""

    exit_code = 5


class VaultError(DeidentificationError):
    """The encrypted pseudonym vault cannot be read or written (wrong key, damaged file)."""


class DraftError(VGError):
    """The LLM draft could not be produced."""

    exit_code = 6


class RenderError(VGError):
    """A letter or page could not be rendered."""

    exit_code = 7


class CatalogueError(InputError):
    """A sociale-kaart import is malformed; carries row-level problems."""

    def __init__(self, message: str, *, problems: list[str] | None = None, hint: str | None = None) -> None:
        self.problems = problems or []
        super().__init__(message, hint=hint)


class EvaluationError(VGError):
    """An evaluation dataset or configuration is malformed."""

    exit_code = 8


class DatabaseError(VGError):
    """The database (SQLite file or PostgreSQL server) cannot be reached or opened."""

    exit_code = 9


class QueueError(VGError):
    """The job queue (SQLite file or Redis server) is misconfigured or cannot be reached."""

    exit_code = 9
