"""A corpus of bad and hostile inputs, as an importable table.

Each :class:`HostileInput` builds its file(s) in a directory at test time (nothing binary is
committed) and says what the product must answer: a Dutch message (regex), the CLI exit code and
the HTTP status. Run by tests/hostile/test_cli_corpus.py (``vg process``) and
tests/hostile/test_http_corpus.py (today's upload route); a new web app can run the same table
through its own API::

    from tests.hostile.corpus import CORPUS
    for item in CORPUS:
        built = item.build(tmp_path / item.id)   # Built(path, filename, content, case_text)
        ...post built.content as built.filename with built.case_text...
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tests.hostile.media import FORMATS, tone, wav_bytes, write_media

AUDIO_REFUSED = r"geen leesbaar|geen ondersteund audioformaat|geen geluid|korter dan|geen geluidsspoor"
NOT_UTF8 = r"geen UTF-8"
NO_TEXT = r"bevat geen tekst|leeg bestand"
NOT_TRANSCRIPT = r"geen transcript\.json van dit programma|geen geldige JSON|te diep genest"


@dataclass(frozen=True)
class Built:
    path: Path
    """The input file as written (what ``vg process`` gets)."""
    filename: str
    """The name a client would upload it under."""
    case_path: Path | None = None
    """CASE.json to pass with ``--case``, when the case itself is the hostile part."""

    @property
    def content(self) -> bytes:
        return self.path.read_bytes()

    @property
    def case_text(self) -> str | None:
        return self.case_path.read_text(encoding="utf-8", errors="replace") if self.case_path else None


@dataclass(frozen=True)
class HostileInput:
    id: str
    filename: str
    make: Callable[[Path], None]
    """Writes the input to the path it is given."""
    message: str
    """Regex the Dutch error message must match (CLI output and HTTP ``fout``)."""
    exit_code: int = 2
    http_status: int = 400
    """202 where the upload itself is fine (path-like names): then only the stored name matters."""
    make_case: Callable[[Path], None] | None = None
    cli_xfail: str | None = None
    http_xfail: str | None = None
    http_filename: str | None = None
    """Upload under this name instead (path-like names that cannot exist on disk)."""
    http_async: bool = False
    """The upload is accepted (202) because finding the fault needs the whole recording decoded
    (silence); the job must then end in "fout" with :attr:`message`."""
    http_only: bool = False
    """Only meaningful for uploads (the upload name is the hostile part)."""

    def build(self, directory: Path) -> Built:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / self.filename
        self.make(path)
        case_path = None
        if self.make_case is not None:
            case_path = directory / "CASE.json"
            self.make_case(case_path)
        return Built(path, self.http_filename or self.filename, case_path)


# --- builders ----------------------------------------------------------------------------------

def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(data)


def _text(text: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda p: p.write_bytes(text.encode(encoding))


def _media_then(fmt: str, transform: Callable[[bytes], bytes], seconds: float = 2.0,
                level: float = 0.3) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        src = path.with_name("src-" + path.name + FORMATS[fmt][0])
        write_media(src, fmt, seconds, level)
        data = src.read_bytes()
        src.unlink()
        path.write_bytes(transform(data))
    return make


def _truncate(data: bytes) -> bytes:
    return data[: min(len(data) // 10, 300)]


def _corrupt(data: bytes) -> bytes:
    """Keep the first 12 bytes (the magic number), replace the rest with seeded noise bytes that
    never form a frame sync (0xFF) so no decoder finds audio in them."""
    rng = np.random.default_rng(12)
    noise = rng.integers(0, 0xF0, size=len(data) - 12, dtype=np.uint8).tobytes()
    return data[:12] + noise


def _nested(depth: int, open_: str = "[", close: str = "]") -> Callable[[Path], None]:
    return _text(open_ * depth + close * depth)


def _transcript_json(segments: list[dict], raw: bool = False) -> Callable[[Path], None]:
    doc = {"language": "nl", "duration": 10.0, "segments": segments,
           "source": {"kind": "text", "filename": "t.txt", "sha256": "0" * 64}}
    return _text(json.dumps(doc, allow_nan=True))


def _seg(i: int, start: float, end: float, text: str = "Ik wil graag hulp bij mijn schulden.") -> dict:
    return {"id": i, "start": start, "end": end, "speaker": "SPREKER_1", "text": text}


def _playlist(target: str) -> str:
    return f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2.0,\n{target}\n#EXT-X-ENDLIST\n"


def _with_local_media(template: str) -> Callable[[Path], None]:
    """A text file naming another local media file by absolute path (written beside it)."""
    def make(path: Path) -> None:
        media = write_media(path.with_name("elders.mp3"), "mp3")
        path.write_text(template.format(media=media))
    return make


def _png(path: Path) -> None:
    import av

    with av.open(str(path), "w", format="image2pipe") as out:
        s = out.add_stream("png", rate=1)
        s.width, s.height, s.pix_fmt = 8, 8, "rgb24"
        for packet in s.encode(av.VideoFrame.from_ndarray(np.zeros((8, 8, 3), np.uint8), format="rgb24")):
            out.mux(packet)


def _video_only(path: Path) -> None:
    import av

    with av.open(str(path), "w", format="mp4") as out:
        s = out.add_stream("mpeg4", rate=10)
        s.width, s.height, s.pix_fmt = 64, 48, "yuv420p"
        for i in range(5):
            frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            frame.pts = i
            for packet in s.encode(frame):
                out.mux(packet)
        for packet in s.encode(None):
            out.mux(packet)


TRANSCRIPT_TXT = "GGZ: Welkom.\nInwoner: Ik heb schulden en slaap slecht.\n"
VTT_OK_TAIL = "\n\n00:00:01.000 --> 00:00:03.000\n<v Inwoner>Ik heb schulden.\n"

# --- the corpus ----------------------------------------------------------------------------------

CORPUS: list[HostileInput] = [
    # audio: truncated and corrupt, every listed format
    *(HostileInput(f"truncated-{fmt}", f"afgebroken{FORMATS[fmt][0]}", _media_then(fmt, _truncate), AUDIO_REFUSED)
      for fmt in FORMATS),
    *(HostileInput(f"corrupt-{fmt}", f"beschadigd{FORMATS[fmt][0]}", _media_then(fmt, _corrupt), AUDIO_REFUSED)
      for fmt in FORMATS),
    # zero-length
    HostileInput("empty-wav", "leeg.wav", _bytes(b""), r"leeg"),
    HostileInput("empty-m4a", "leeg.m4a", _bytes(b""), r"leeg"),
    HostileInput("empty-txt", "leeg.txt", _bytes(b""), NO_TEXT),
    HostileInput("empty-json", "transcript.json", _bytes(b""), r"geen geldige JSON|geen tekst|leeg bestand"),
    HostileInput("empty-vtt", "gesprek.vtt", _bytes(b""), NO_TEXT + r"|geen geldig WebVTT"),
    # huge declared sizes
    HostileInput("wav-claims-4gb", "groot.wav", _bytes(wav_bytes(tone(0.2), riff_size=0xFFFFFFFF, data_size=0xFFFFFFF0)),
                 r"korter dan"),
    HostileInput("wav-claims-4gb-silent", "groot-stil.wav",
                 _bytes(wav_bytes(np.zeros((1, 16_000 * 3), np.float32), riff_size=0xFFFFFFFF, data_size=0xFFFFFFF0)),
                 r"is stil", http_status=202, http_async=True),
    HostileInput("mp4-box-claims-4gb", "groot.mp4",
                 _bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\xff\xff\xff\xffmoov" + b"\x00" * 64),
                 AUDIO_REFUSED),
    HostileInput("wav-65535-channels", "kanalen.wav", _bytes(wav_bytes(tone(1.0), channels=65535)),
                 AUDIO_REFUSED + r"|kanalen"),
    # playlists and other files that name files or URLs
    HostileInput("hls-playlist", "lijst.m3u8", _with_local_media(_playlist("{media}")), AUDIO_REFUSED),
    HostileInput("hls-playlist-as-wav", "lijst.wav", _with_local_media(_playlist("{media}")), AUDIO_REFUSED),
    HostileInput("hls-playlist-url", "lijst.m3u8", _text(_playlist("http://127.0.0.1:9/x.mp3")), AUDIO_REFUSED),
    HostileInput("ffconcat", "lijst.ffconcat", _with_local_media("ffconcat version 1.0\nfile '{media}'\n"), AUDIO_REFUSED),
    HostileInput("sdp", "stroom.sdp", _text("v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\n"
                                            "m=audio 5004 RTP/AVP 0\n"), AUDIO_REFUSED),
    # wrong extensions and other kinds of file
    HostileInput("text-as-mp3", "gesprek.mp3", _text(TRANSCRIPT_TXT * 20), AUDIO_REFUSED),
    HostileInput("png-as-wav", "foto.wav", _png, AUDIO_REFUSED),
    HostileInput("wav-as-txt", "gesprek.txt", _bytes(wav_bytes(tone(1.0))), NOT_UTF8),
    HostileInput("mp3-as-vtt", "gesprek.vtt", _media_then("mp3", lambda d: d), NOT_UTF8),
    HostileInput("video-without-sound", "video.mp4", _video_only, r"geen geluidsspoor"),
    HostileInput("silent-wav", "stil.wav", _bytes(wav_bytes(np.zeros((1, 16_000 * 3), np.float32))), r"is stil",
                 http_status=202, http_async=True),
    HostileInput("silent-flac", "stil.flac", _media_then("flac", lambda d: d, level=0.0), r"is stil",
                 http_status=202, http_async=True),
    # JSON: nested, huge, wrong shape, NaN and reversed timestamps
    HostileInput("nested-json-100k", "transcript.json", _nested(100_000), NOT_TRANSCRIPT),
    HostileInput("nested-object-100k", "transcript.json", _nested(100_000, '{"a":', "}"), NOT_TRANSCRIPT),
    HostileInput("huge-json-string", "transcript.json", _text(json.dumps({"segments": "x" * 8_000_000})), NOT_TRANSCRIPT),
    HostileInput("json-null", "transcript.json", _text("null"), NOT_TRANSCRIPT),
    HostileInput("json-nan-timestamps", "transcript.json", _transcript_json([_seg(1, float("nan"), float("nan"))]),
                 NOT_TRANSCRIPT + r"|tijd"),
    HostileInput("json-infinite-timestamps", "transcript.json", _transcript_json([_seg(1, 0.0, float("inf"))]),
                 NOT_TRANSCRIPT + r"|tijd"),
    HostileInput("json-reversed-timestamps", "transcript.json", _transcript_json([_seg(1, 9.0, 2.0)]),
                 NOT_TRANSCRIPT + r"|tijd"),
    HostileInput("vtt-reversed-timestamps", "gesprek.vtt",
                 _text("WEBVTT\n\n00:00:09.000 --> 00:00:02.000\n<v Inwoner>Ik heb schulden.\n"),
                 r"geen geldig WebVTT|tijd|geen geldige WebVTT"),
    HostileInput("vtt-garbage-timestamps", "gesprek.vtt", _text("WEBVTT\n\naa:bb:cc --> NaN\nIk heb schulden.\n"),
                 r"geen geldig WebVTT|geen geldige WebVTT"),
    # BOMs and encodings
    HostileInput("bom-only-txt", "gesprek.txt", _text("\ufeff"), NO_TEXT),
    HostileInput("utf16-bom-txt", "gesprek.txt", _text(TRANSCRIPT_TXT, "utf-16"), NOT_UTF8),
    HostileInput("utf32-vtt", "gesprek.vtt", _text("WEBVTT" + VTT_OK_TAIL, "utf-32"), NOT_UTF8),
    HostileInput("latin1-txt", "gesprek.txt", _text("Inwoner: Caf\u00e9 en cr\u00e8me br\u00fbl\u00e9e.\n", "latin-1"), NOT_UTF8),
    HostileInput("binary-vtt", "gesprek.vtt", _bytes(bytes(range(256)) * 8), NOT_UTF8),
    # invisible-only text
    HostileInput("invisible-only-txt", "gesprek.txt", _text("\u200b\u200c\u00ad\ufeff\u2060\n\u200b\n"), NO_TEXT),
    HostileInput("invisible-speaker-lines", "gesprek.txt", _text("A: \u200b\u200b\nB: \u00ad\n"), NO_TEXT),
    # CASE.json
    # (50k deep: stays under the 1 MB form-field limit of the upload route, still far past recursion)
    HostileInput("case-nested-50k", "gesprek.txt", _text(TRANSCRIPT_TXT), r"casus|CASE|geen geldige JSON|genest",
                 make_case=_nested(50_000, '{"inwoner":', "}")),
    HostileInput("case-not-utf8", "gesprek.txt", _text(TRANSCRIPT_TXT), r"casus|CASE|geen geldige JSON",
                 make_case=_text('{"inwoner": {"naam": "Jos\u00e9"}}', "latin-1"),
                 http_status=202),  # a form field is text: the client's bytes arrive as U+FFFD, a valid case
    HostileInput("case-wrong-types", "gesprek.txt", _text(TRANSCRIPT_TXT), r"casus|inwoner",
                 make_case=_text('{"inwoner": [1, 2, 3], "naasten": "iedereen"}')),
    # path-like names: the upload is fine, the stored name must be safe (HTTP), the CLI reads it
    HostileInput("name-dotdot", "gesprek.txt", _text(TRANSCRIPT_TXT), r"geen leesbaar", exit_code=0, http_status=400,
                 http_only=True,  # stored as "opname": no extension left, so read as audio, and refused
                 http_filename=".."),
    HostileInput("name-traversal", "gesprek.txt", _text(TRANSCRIPT_TXT), r"", exit_code=0, http_status=202, http_only=True,
                 http_filename="../../../etc/cron.d/x.txt"),
    HostileInput("name-256-chars", "gesprek.txt", _text(TRANSCRIPT_TXT), r"", exit_code=0, http_status=202, http_only=True,
                 http_filename="a" * 256 + ".txt"),
    HostileInput("name-control-chars", "gesprek.txt", _text(TRANSCRIPT_TXT), r"", exit_code=0, http_status=202, http_only=True,
                 http_filename="ge\x00spr\u202eek\n.txt"),
]

BY_ID = {item.id: item for item in CORPUS}
assert len(BY_ID) == len(CORPUS), "corpus ids must be unique"


def device_inputs() -> list[tuple[str, Path]]:
    """Paths that exist but are no regular file (CLI only): the product must not read them."""
    items = [("dev-zero", Path("/dev/zero")), ("directory", Path(os.sep))]
    return items
