"""Checks an input before any work is queued for it: a safe stored name, and content the pipeline
can read (a supported recording, by content; or a transcript that parses).

The service calls these at upload so a bad file is answered at once with 400 and a Dutch message,
instead of a queued job that fails later; the CLI reaches the same checks through the stages.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from core.errors import InputError, TranscriptFormatError
from pipeline.audio import AudioOptions, AudioProbe, probe_audio
from pipeline.transcript import Transcript
from pipeline.transcript_io import is_transcript_file, read_transcript_file

MAX_NAME_CHARS = 100
_UNSAFE = re.compile(r"[^\w.\- ]+")


def safe_upload_name(filename: str | None, default: str = "opname") -> str:
    """A file name that is safe to store: no directories, no ``..``, no control or invisible
    characters, at most :data:`MAX_NAME_CHARS` characters, the extension kept."""
    name = unicodedata.normalize("NFKC", (filename or "").replace("\\", "/")).split("/")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name or set(name) <= {".", "_", " "}:
        return default
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        stem, suffix = name, ""
    stem = stem[: MAX_NAME_CHARS - len(suffix) - 1].rstrip(" .") or default
    return f"{stem}.{suffix.lower()}" if suffix else stem


def check_input(path: Path, audio: AudioOptions | None = None) -> Transcript | AudioProbe:
    """Read enough of ``path`` to know the pipeline can process it; raise an :class:`InputError`
    (Dutch, with what to do) if not."""
    path = Path(path)
    if is_transcript_file(path):
        try:
            return read_transcript_file(path)
        except RecursionError:  # "[[[[..." nested thousands deep
            raise TranscriptFormatError(
                f"{path.name} is te diep genest om als transcript te lezen.",
                hint="Gebruik een transcript.json zoals vg process het schrijft, of .vtt/.txt.",
            ) from None
    try:
        return probe_audio(path, audio)
    except InputError:
        raise
    except (OSError, ValueError) as exc:
        raise InputError(f"{path.name} kan niet worden gelezen ({type(exc).__name__}).") from None
