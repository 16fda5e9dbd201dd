"""Read existing transcripts so transcription can be skipped.

Supported: WebVTT as video-call platforms export it (``<v Name>`` voice tags or ``Name: text``
cues keep the speaker), our own ``transcript.json``, and plain text with one ``Spreker: tekst``
turn per line.
"""

from __future__ import annotations

import io
import unicodedata
import json
import re
from pathlib import Path

from pydantic import ValidationError

from pipeline.audio import file_sha256
from core.errors import TranscriptFormatError
from core.files import read_private_bytes
from core.safe_json import MAX_DEPTH, JsonTooDeepError, loads_limited
from pipeline.transcript import Segment, Transcript, TranscriptSource

TRANSCRIPT_SUFFIXES = {".vtt", ".json", ".txt"}

_VOICE_TAG = re.compile(r"<v(?:\.[^ >]+)*\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]+>")
_SPEAKER_LINE = re.compile(r"^\s*([^:]{1,60}?)\s*:\s+(.+)$")
_SECONDS_PER_WORD = 0.4  # only for plain-text turns, which carry no timing


def _visible(text: str) -> str:
    """The text without invisible format characters (zero-width spaces, soft hyphens, BOMs) and outer spaces."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()


def _check_times(segments: list[Segment], name: str) -> None:
    for segment in segments:
        if segment.end < segment.start:
            raise TranscriptFormatError(
                f"{name}: segment {segment.id} eindigt vóór het begint (tijd {segment.start:.2f} -> {segment.end:.2f} s).",
                hint="Controleer de tijdcodes of exporteer het transcript opnieuw.",
            )


def is_transcript_file(path: Path) -> bool:
    return path.suffix.lower() in TRANSCRIPT_SUFFIXES


def read_transcript_file(path: Path) -> Transcript:
    path = Path(path)
    if not path.is_file():
        raise TranscriptFormatError(f"Bestand niet gevonden: {path.name}")
    try:
        text = read_private_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TranscriptFormatError(
            f"{path.name} is geen UTF-8-tekst.", hint="Sla het transcript op als UTF-8 en probeer opnieuw."
        ) from None
    suffix = path.suffix.lower()
    if suffix == ".vtt" or text.lstrip().startswith("WEBVTT"):
        segments, kind = _parse_webvtt(text, path.name), "webvtt"
    elif suffix == ".json":
        return _parse_json(text, path)
    else:
        segments, kind = _parse_plain(text, path.name), "text"
    if not segments:
        raise TranscriptFormatError(
            f"{path.name} bevat geen tekst.", hint="Een leeg transcript kan niet worden verwerkt."
        )
    _check_times(segments, path.name)
    return Transcript(
        duration=max(s.end for s in segments),
        segments=segments,
        source=TranscriptSource(kind=kind, filename=path.name, sha256=file_sha256(path)),
    )


def _parse_webvtt(text: str, name: str) -> list[Segment]:
    import webvtt

    try:
        captions = webvtt.from_buffer(io.StringIO(text))
    except Exception as exc:  # noqa: BLE001 - webvtt raises several unrelated types on bad input
        raise TranscriptFormatError(
            f"{name} is geen geldig WebVTT-bestand ({type(exc).__name__}).",
            hint="Exporteer het transcript opnieuw uit het videobelprogramma als .vtt.",
        ) from None
    if not captions and len(text.strip().splitlines()) > 1:
        raise TranscriptFormatError(
            f"{name} bevat geen geldige WebVTT-tekstblokken (tijdcodes onleesbaar).",
            hint="Exporteer het transcript opnieuw uit het videobelprogramma als .vtt.",
        )
    segments: list[Segment] = []
    for cap in captions:
        start, end = _seconds(cap.start), _seconds(cap.end)
        raw = cap.raw_text if hasattr(cap, "raw_text") else cap.text
        speaker = None
        if match := _VOICE_TAG.search(raw):
            speaker = match.group(1).strip()
        body = " ".join(_TAG.sub("", raw).split())
        if speaker is None and (m := _SPEAKER_LINE.match(body)):
            speaker, body = m.group(1).strip(), m.group(2).strip()
        if not _visible(body):
            continue
        if segments and segments[-1].speaker == speaker and speaker is not None and start - segments[-1].end < 1.0:
            prev = segments[-1]
            prev.text = f"{prev.text} {body}"
            prev.end = end
            continue
        segments.append(Segment(id=len(segments) + 1, start=start, end=end,
                                speaker=speaker, text=body))
    return segments


def _seconds(timestamp: str) -> float:
    parts = [float(p) for p in timestamp.replace(",", ".").split(":")]
    return sum(v * 60**i for i, v in enumerate(reversed(parts)))


def _parse_plain(text: str, name: str) -> list[Segment]:
    segments: list[Segment] = []
    clock = 0.0
    for line_no, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _SPEAKER_LINE.match(line)
        speaker, body = (match.group(1).strip(), match.group(2).strip()) if match else (None, line)
        if not _visible(body):
            continue
        duration = max(1.0, len(body.split()) * _SECONDS_PER_WORD)
        segments.append(Segment(id=len(segments) + 1, start=round(clock, 2), end=round(clock + duration, 2),
                                speaker=speaker, text=body))
        clock += duration
    return segments


def _parse_json(text: str, path: Path) -> Transcript:
    try:
        data = loads_limited(text)
    except JsonTooDeepError:
        raise TranscriptFormatError(
            f"{path.name} is te diep genest (meer dan {MAX_DEPTH} niveaus) en is dus geen transcript.json.",
            hint="Gebruik een transcript.json uit een eerdere 'vg process'-run, of een .vtt/.txt-transcript.",
        ) from None
    except json.JSONDecodeError as exc:
        raise TranscriptFormatError(f"{path.name} is geen geldige JSON (regel {exc.lineno}).") from None
    try:
        transcript = Transcript.model_validate(data)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors()[:5])
        raise TranscriptFormatError(
            f"{path.name} is geen transcript.json van dit programma (controleer: {fields}).",
            hint="Gebruik een transcript.json uit een eerdere 'vg process'-run, of een .vtt/.txt-transcript.",
        ) from None
    if not transcript.segments or not any(_visible(s.text) for s in transcript.segments):
        raise TranscriptFormatError(f"{path.name} bevat geen tekst.", hint="Een leeg transcript kan niet worden verwerkt.")
    _check_times(transcript.segments, path.name)
    return transcript
