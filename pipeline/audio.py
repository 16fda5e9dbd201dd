"""Audio input stage: decode a supported audio or video file to 16 kHz float32, per channel.

PyAV (FFmpeg, already a faster-whisper dependency) does the decoding, so wav, mp3, m4a, ogg/opus,
webm, flac and the audio track of mp4/webm/mkv video work without a system FFmpeg. Refuses files
that are not audio, empty, silent, too long or too large, with a message that says what to do.

FFmpeg can do far more than read a local file: its playlist (hls), concat, sdp, tee and image2
demuxers and its network protocols open other files and URLs named *inside* the input. An
uploaded ``.m3u8`` would make the product read any media file on the server, or connect out.
So every input is opened by :func:`open_local_container` only: a local regular file (never a
URL or ``protocol:`` string), through FFmpeg's ``file`` protocol alone
(``protocol_whitelist=file``), with only the demuxers of :data:`ALLOWED_DEMUXERS`
(``format_whitelist``). The format is recognised from the content, not from the file name.
The CLI and the service both reach it through :func:`decode_audio` (and :func:`probe_audio`).
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from core.errors import AudioError
from core.at_rest import is_sealed
from core.files import open_private

logger = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
SUPPORTED_SUFFIXES = {".wav", ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".webm", ".mp4", ".mkv", ".mov", ".flac"}
"""File names users are told about; what counts is the content (:data:`ALLOWED_DEMUXERS`)."""
ALLOWED_DEMUXERS = {"wav": "wav", "mp3": "mp3", "mov": "m4a/mp4/mov", "ogg": "ogg/opus", "matroska": "webm/mkv", "flac": "flac"}
"""FFmpeg demuxer name -> what the user knows it as. Everything else (hls, concat, sdp, image2,
tee, rtsp, raw streams ...) is refused before FFmpeg reads its header."""
FFMPEG_INPUT_OPTIONS = {"protocol_whitelist": "file", "format_whitelist": ",".join(ALLOWED_DEMUXERS)}
_FORMATS_HINT = "Gebruik wav, mp3, m4a, ogg/opus, webm, flac of een mp4/mkv-video. Een transcript kan ook: .vtt, transcript.json of .txt."
_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class AudioOptions(BaseModel):
    """Limits and thresholds for accepting a recording."""

    model_config = ConfigDict(extra="forbid")

    max_seconds: float = 3 * 3600
    """Longer recordings are refused (a VG lasts about an hour; two hours is the design maximum)."""
    max_file_mb: int = 2048
    silence_dbfs: float = -55.0
    """A recording whose loudest channel has RMS below this level is treated as silent."""
    max_channels: int = 8


class DecodedAudio(BaseModel):
    """Decoded audio: ``samples`` has shape (channels, n) at 16 kHz, float32 in [-1, 1]."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    samples: np.ndarray
    sample_rate: int = SAMPLE_RATE
    filename: str
    sha256: str
    codec: str | None = None
    original_channels: int
    original_sample_rate: int | None = None

    @property
    def channels(self) -> int:
        return int(self.samples.shape[0])

    @property
    def duration(self) -> float:
        return self.samples.shape[1] / self.sample_rate

    def mono(self) -> np.ndarray:
        """Average of all channels (what Whisper hears when channels are mixed)."""
        if self.channels == 1:
            return self.samples[0]
        return self.samples.mean(axis=0).astype(np.float32)

    def channel_dbfs(self) -> list[float]:
        return [rms_dbfs(ch) for ch in self.samples]


def rms_dbfs(samples: np.ndarray) -> float:
    if samples.size == 0:
        return -np.inf
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return 20 * np.log10(rms) if rms > 0 else -np.inf


def file_sha256(path: Path) -> str:
    """SHA-256 of the content (the plaintext of a sealed recording, so re-encryption keeps cache keys)."""
    digest = hashlib.sha256()
    with open_private(path) as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _check_file(path: Path, options: AudioOptions) -> None:
    if _URL_LIKE.match(str(path)):
        raise AudioError(
            f"{str(path)[:80]} is geen lokaal bestand.",
            hint="Alleen opnames die als bestand op deze computer staan worden gelezen; download de opname eerst.",
        )
    if not path.is_file():
        raise AudioError(f"Bestand niet gevonden: {path.name}", hint="Controleer het pad naar de opname.")
    size = path.stat().st_size
    if size == 0:
        raise AudioError(f"{path.name} is leeg (0 bytes).", hint="Exporteer de opname opnieuw uit de recorder of het videobelprogramma.")
    if size > options.max_file_mb * 1024 * 1024:
        raise AudioError(
            f"{path.name} is groter dan {options.max_file_mb} MB.",
            hint="Exporteer alleen het geluid (bijv. m4a of mp3), of verhoog VG_MAX_FILE_MB als dit bewust is.",
        )


class AudioProbe(BaseModel):
    """What :func:`probe_audio` learnt from a file's content, without decoding it."""

    model_config = ConfigDict(extra="forbid")

    demuxer: str
    codec: str | None
    channels: int
    duration: float | None


def open_local_container(path: Path) -> Any:
    """Open ``path`` for reading with FFmpeg restricted to local files and the allowed formats.

    Raises :class:`AudioError` (Dutch, with what to do) for anything else: URLs, playlists,
    concat lists, SDP, image sequences, unreadable or unknown content.
    """
    import av  # PyAV: imported here so importing the pipeline stays light

    path = Path(path)
    if _URL_LIKE.match(str(path)) or not path.is_file():
        _check_file(path, AudioOptions())
    not_audio = AudioError(f"{path.name} is geen leesbaar audio- of videobestand.", hint=_FORMATS_HINT)
    try:
        # "file:" + absolute path: the name itself is never read as a protocol ("concat:", "http:")
        if is_sealed(path):  # a recording encrypted at rest: FFmpeg reads the plaintext through a seekable reader
            container = av.open(open_private(path), metadata_errors="ignore", container_options=dict(FFMPEG_INPUT_OPTIONS))
        else:
            container = av.open("file:" + str(path.resolve()), metadata_errors="ignore",
                                container_options=dict(FFMPEG_INPUT_OPTIONS))
    except av.error.ArgumentError:  # FFmpeg: "Format not on whitelist"
        raise AudioError(
            f"{path.name} is geen ondersteund audioformaat (bijvoorbeeld een afspeellijst of verwijzing naar andere bestanden).",
            hint=_FORMATS_HINT,
        ) from None
    except (av.error.FFmpegError, UnicodeDecodeError, OSError):
        raise not_audio from None
    demuxer = container.format.name.split(",")[0]
    if demuxer not in ALLOWED_DEMUXERS:  # defence in depth; the whitelist already refused it
        container.close()
        raise AudioError(f"{path.name} heeft een niet-ondersteund formaat ({demuxer}).", hint=_FORMATS_HINT)
    return container


def _decode_head(container: Any, stream: Any, seconds: float) -> float:
    """Seconds of audio that decode from the start (up to ``seconds``); 0 if none do."""
    import av

    total = 0.0
    try:
        for frame in container.decode(stream):
            total += frame.samples / (frame.sample_rate or SAMPLE_RATE)
            if total >= seconds:
                break
    except av.error.FFmpegError:
        pass
    return total


def probe_audio(path: Path, options: AudioOptions | None = None) -> AudioProbe:
    """Check that ``path`` is a supported recording with a sound track whose first seconds decode.
    Cheap enough to answer an upload at once (the service does, before queuing the job); length,
    silence and damage further on are found by :func:`decode_audio`."""
    options = options or AudioOptions()
    path = Path(path)
    _check_file(path, options)
    with open_local_container(path) as container:
        if not container.streams.audio:
            raise AudioError(
                f"{path.name} bevat geen geluidsspoor.",
                hint="Controleer of de video-opname met geluid is gemaakt, of exporteer het geluid apart.",
            )
        stream = container.streams.audio[0]
        channels = stream.codec_context.channels or 1
        if channels > options.max_channels:
            raise AudioError(f"{path.name} heeft {channels} kanalen; maximaal {options.max_channels} worden ondersteund.")
        # the declared duration is not checked here: a header may claim hours that are not
        # there (decode_audio counts the real samples)
        duration = container.duration / 1_000_000 if container.duration else None
        decoded = _decode_head(container, stream, seconds=2.0)
        if decoded == 0:
            raise AudioError(f"{path.name} is geen leesbaar audio- of videobestand.", hint=_FORMATS_HINT)
        if decoded < 0.5:
            raise AudioError(f"{path.name} is korter dan een halve seconde.", hint="Controleer of de juiste opname is gekozen.")
        return AudioProbe(demuxer=container.format.name.split(",")[0], codec=stream.codec_context.name,
                          channels=channels, duration=duration)


def decode_audio(path: Path, options: AudioOptions | None = None) -> DecodedAudio:
    """Decode ``path`` into per-channel 16 kHz float32 samples."""
    import av  # PyAV: imported here so importing the pipeline stays light

    options = options or AudioOptions()
    path = Path(path)
    _check_file(path, options)
    not_audio = AudioError(f"{path.name} is geen leesbaar audio- of videobestand.", hint=_FORMATS_HINT)
    container = open_local_container(path)
    with container:
        if not container.streams.audio:
            raise AudioError(
                f"{path.name} bevat geen geluidsspoor.",
                hint="Controleer of de video-opname met geluid is gemaakt, of exporteer het geluid apart.",
            )
        stream = container.streams.audio[0]
        n_channels = stream.codec_context.channels or 1
        if n_channels > options.max_channels:
            raise AudioError(f"{path.name} heeft {n_channels} kanalen; maximaal {options.max_channels} worden ondersteund.")
        layout = stream.codec_context.layout.name if n_channels > 2 else ("stereo" if n_channels == 2 else "mono")
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
        chunks: list[np.ndarray] = []
        total = 0
        max_samples = int(options.max_seconds * SAMPLE_RATE)
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    arr = out.to_ndarray()
                    chunks.append(arr)
                    total += arr.shape[1]
                if total > max_samples:
                    raise AudioError(
                        f"{path.name} is langer dan {options.max_seconds / 3600:.1f} uur.",
                        hint="Knip de opname in delen of verhoog VG_MAX_AUDIO_SECONDS.",
                    )
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray())
        except av.error.FFmpegError:
            if not chunks:
                raise not_audio from None
            logger.warning("decoding stopped early on a damaged frame; keeping %d samples", total)
        codec = stream.codec_context.name
        original_rate = stream.codec_context.sample_rate
    if not chunks:
        raise AudioError(f"{path.name} bevat geen geluid (0 seconden).", hint="Controleer de opname.")
    samples = np.concatenate(chunks, axis=1).astype(np.float32, copy=False)
    if samples.shape[0] != n_channels and n_channels <= 2:
        samples = samples[:n_channels]
    audio = DecodedAudio(
        samples=np.ascontiguousarray(samples),
        filename=path.name,
        sha256=file_sha256(path),
        codec=codec,
        original_channels=n_channels,
        original_sample_rate=original_rate,
    )
    if audio.duration < 0.5:
        raise AudioError(f"{path.name} is korter dan een halve seconde.", hint="Controleer of de juiste opname is gekozen.")
    loudest = max(audio.channel_dbfs())
    if loudest < options.silence_dbfs:
        raise AudioError(
            f"{path.name} is stil (gemiddeld niveau {loudest:.0f} dBFS).",
            hint="Controleer of de microfoon aan stond en of het juiste kanaal is opgenomen.",
        )
    logger.info("decoded %s: %.1f s, %d channel(s), codec %s", "audio", audio.duration, audio.channels, codec)
    return audio
