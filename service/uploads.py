"""Uploads: streamed to disk in chunks with the size limit checked while streaming, then the
type is probed by content (audio container via FFmpeg restricted to local files, or a WebVTT /
plain-text transcript). Nothing is left behind when an upload is refused.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from core import at_rest
from core.errors import InputError
from core.files import open_private
from core.settings import Settings

CHUNK = 1024 * 1024
# FFmpeg container name -> the suffix the pipeline expects (only these formats are accepted).
CONTAINERS = {"ogg": ".ogg", "wav": ".wav", "mp3": ".mp3", "flac": ".flac", "aac": ".aac",
              "matroska,webm": ".webm", "mov,mp4,m4a,3gp,3g2,mj2": ".m4a"}


def clean_name(name: str | None) -> str:
    """The client's file name, for display only; never used as a path. Refuses odd names."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name or name in {".", ".."} or "/" in name or "\\" in name or len(name.encode()) > 255:
        raise InputError("Ongeldige bestandsnaam.", hint="Geef het bestand een gewone naam (zonder / of ..) van hoogstens 255 tekens.")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise InputError("De bestandsnaam bevat onzichtbare of stuurtekens.", hint="Geef het bestand een gewone naam.")
    return name


async def stream_to_file(chunks: AsyncIterator[bytes], target: Path, max_bytes: int) -> int:
    """Write ``chunks`` to ``target`` (0600, sealed in a sealed tree); stops and removes the file as
    soon as it is too large. The file appears only when complete."""
    size = 0
    keyring = at_rest.sealing_keyring(target)
    if keyring is not None:
        out: Any = at_rest.SealedWriter(target, keyring)
        done, abort = out.commit, out.abort
    else:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        out = os.fdopen(fd, "wb")
        done, abort = out.close, lambda: (out.close(), target.unlink(missing_ok=True))
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                raise InputError(f"Het bestand is groter dan {max_bytes // (1024 * 1024)} MB.",
                                 hint="Exporteer alleen het geluid (bijv. m4a of mp3) of vraag de beheerder de limiet te verhogen.")
            out.write(chunk)
        if size == 0:
            raise InputError("Leeg bestand ontvangen.", hint="Kies de opname opnieuw.")
    except BaseException:
        abort()
        raise
    done()
    return size


def _text_kind(head: bytes) -> str | None:
    text = head.removeprefix(b"\xef\xbb\xbf")
    if text.startswith(b"WEBVTT"):
        return ".vtt"
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError as exc:  # a multi-byte character cut at the end of the sample is fine
        if exc.start < len(text) - 4:
            return None
        decoded = text[: exc.start].decode("utf-8")
    if "\x00" in decoded or not decoded.strip() or decoded.lstrip().startswith("#EXTM3U"):
        return None
    first = decoded.strip().splitlines()[0]
    return ".txt" if re.match(r"^[^:#/]{1,60}:\s", first) else None  # "Spreker: tekst" lines


def probe(path: Path, settings: Settings) -> str:
    """The suffix for the stored file, decided by content; raises ``InputError`` for anything else."""
    with open_private(path) as handle:
        head = handle.read(4096)
    kind = _text_kind(head)
    if kind:
        return kind
    import av

    try:
        source = open_private(path) if at_rest.is_sealed(path) else str(path)
        container = av.open(source, options={"protocol_whitelist": "file"})
    except Exception:  # noqa: BLE001 - PyAV raises many error types for junk input
        raise InputError("Dit bestand is geen bruikbare opname of transcript.",
                         hint="Upload een geluidsopname (m4a, mp3, ogg, wav, webm, flac) of een WebVTT-transcript.") from None
    try:
        suffix = CONTAINERS.get(container.format.name)
        if suffix is None or not container.streams.audio:
            raise InputError("Dit bestandstype wordt niet geaccepteerd.",
                             hint="Upload een geluidsopname (m4a, mp3, ogg, wav, webm, flac) of een WebVTT-transcript.")
        seconds = (container.duration or 0) / 1_000_000
        if seconds > settings.max_audio_seconds:
            raise InputError(f"De opname duurt langer dan {settings.max_audio_seconds / 60:.0f} minuten.",
                             hint="Knip de opname in delen of vraag de beheerder de limiet te verhogen.")
        return suffix
    finally:
        container.close()
