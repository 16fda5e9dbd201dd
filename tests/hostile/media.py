"""Small media files made at test time (PyAV), for the hostile-input corpus."""

from __future__ import annotations

import struct
from fractions import Fraction
from pathlib import Path

import numpy as np

RATE = 16_000
# format -> (file suffix, codec, sample rate, with a video stream)
FORMATS = {
    "wav": (".wav", "pcm_s16le", 16_000, False),
    "mp3": (".mp3", "libmp3lame", 16_000, False),
    "m4a": (".m4a", "aac", 16_000, False),
    "ogg": (".ogg", "libopus", 48_000, False),
    "webm": (".webm", "libopus", 48_000, False),
    "flac": (".flac", "flac", 16_000, False),
    "mkv": (".mkv", "libopus", 48_000, True),
    "mp4": (".mp4", "aac", 16_000, True),
}


def tone(seconds: float, rate: int = RATE, channels: int = 1, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return np.stack([(level * np.sin(2 * np.pi * 220 * t)).astype(np.float32)] * channels)


def write_media(path: Path, fmt: str, seconds: float = 2.0, level: float = 0.3) -> Path:
    """A ``seconds`` long tone in ``fmt`` (see :data:`FORMATS`) at ``path``."""
    import av

    _, codec, rate, video = FORMATS[fmt]
    samples = tone(seconds, rate, level=level)
    with av.open(str(path), "w", format={"m4a": "mp4", "mkv": "matroska", "webm": "webm", "ogg": "ogg"}.get(fmt)) as out:
        if video:
            vstream = out.add_stream("mpeg4", rate=10)
            vstream.width, vstream.height, vstream.pix_fmt = 64, 48, "yuv420p"
        stream = out.add_stream(codec, rate=rate, layout="mono")
        fmt_name = stream.codec_context.format.name if stream.codec_context.format else "fltp"
        frame_size = stream.codec_context.frame_size or 1024
        for pts in range(0, samples.shape[1], frame_size):
            chunk = np.ascontiguousarray(samples[:, pts:pts + frame_size])
            if fmt_name == "s16":
                frame = av.AudioFrame.from_ndarray((chunk * 32767).astype(np.int16), format="s16", layout="mono")
            elif fmt_name == "s32":
                frame = av.AudioFrame.from_ndarray((chunk * 2**31 * 0.99).astype(np.int32), format="s32", layout="mono")
            else:
                frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = rate, pts, Fraction(1, rate)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
        if video:
            for i in range(3):
                img = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), dtype=np.uint8), format="rgb24")
                img.pts = i
                for packet in vstream.encode(img):
                    out.mux(packet)
            for packet in vstream.encode(None):
                out.mux(packet)
    return path


def wav_bytes(samples: np.ndarray, rate: int = RATE, riff_size: int | None = None, data_size: int | None = None,
              channels: int | None = None) -> bytes:
    """A 16-bit PCM WAV; the RIFF and data sizes in the header can be set to lie."""
    channels = channels or samples.shape[0]
    pcm = (np.clip(samples.T, -1, 1) * 32767).astype("<i2").tobytes()
    data_size = len(pcm) if data_size is None else data_size
    riff_size = 36 + len(pcm) if riff_size is None else riff_size
    header = b"RIFF" + struct.pack("<I", riff_size) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, (rate * channels * 2) & 0xFFFFFFFF, (channels * 2) & 0xFFFF, 16)
    return header + b"data" + struct.pack("<I", data_size) + pcm
