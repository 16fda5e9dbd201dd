"""Audio decoding: every supported container decodes; bad input is refused with a clear error."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from pipeline.audio import AudioOptions, decode_audio
from core.errors import AudioError

RATE = 16_000


def _tone(seconds: float = 2.0, channels: int = 1, rate: int = RATE, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    base = (level * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    rows = [base * (1.0 if c == 0 else 0.5) for c in range(channels)]
    return np.stack(rows)


def _write(path: Path, samples: np.ndarray, codec: str, rate: int = RATE, video: bool = False) -> Path:
    layout = {1: "mono", 2: "stereo"}[samples.shape[0]]
    with av.open(str(path), "w") as container:
        if video:
            vstream = container.add_stream("mpeg4", rate=10)
            vstream.width, vstream.height, vstream.pix_fmt = 64, 48, "yuv420p"
        stream = container.add_stream(codec, rate=rate, layout=layout)
        fmt = stream.codec_context.format.name if stream.codec_context.format else "fltp"
        frame_size = stream.codec_context.frame_size or 1024
        pts = 0
        for start in range(0, samples.shape[1], frame_size):
            chunk = np.ascontiguousarray(samples[:, start:start + frame_size])
            if fmt == "s16":
                frame = av.AudioFrame.from_ndarray((chunk * 32767).astype(np.int16).T.reshape(1, -1), format="s16", layout=layout)
            elif fmt == "flt":
                frame = av.AudioFrame.from_ndarray(chunk.T.reshape(1, -1), format="flt", layout=layout)
            elif fmt == "s16p":
                frame = av.AudioFrame.from_ndarray((chunk * 32767).astype(np.int16), format="s16p", layout=layout)
            else:
                frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
            frame.sample_rate = rate
            frame.pts = pts
            frame.time_base = Fraction(1, rate)
            pts += chunk.shape[1]
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
        if video:
            for i in range(5):
                img = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), dtype=np.uint8), format="rgb24")
                img.pts = i
                for packet in vstream.encode(img):
                    container.mux(packet)
            for packet in vstream.encode(None):
                container.mux(packet)
    return path


@pytest.mark.parametrize(
    ("name", "codec", "channels", "rate", "video"),
    [
        ("gesprek.wav", "pcm_s16le", 1, 16000, False),
        ("gesprek-stereo.wav", "pcm_s16le", 2, 44100, False),
        ("gesprek.mp3", "libmp3lame", 1, 44100, False),
        ("gesprek.m4a", "aac", 2, 48000, False),
        ("gesprek.ogg", "libopus", 2, 48000, False),
        ("gesprek.flac", "flac", 1, 16000, False),
        ("gesprek.webm", "libopus", 1, 48000, False),
        ("videobel.mp4", "aac", 2, 48000, True),
    ],
)
def test_decodes_supported_formats(tmp_path: Path, name: str, codec: str, channels: int, rate: int, video: bool) -> None:
    path = _write(tmp_path / name, _tone(2.0, channels, rate), codec, rate, video)
    audio = decode_audio(path)
    assert audio.sample_rate == RATE
    assert audio.channels == channels
    assert audio.samples.dtype == np.float32
    assert abs(audio.duration - 2.0) < 0.15
    assert audio.mono().shape == (audio.samples.shape[1],)
    assert max(audio.channel_dbfs()) > -20
    assert len(audio.sha256) == 64


def test_keeps_channels_apart(tmp_path: Path) -> None:
    samples = _tone(1.5, 2)
    samples[1] = 0.0  # call channel silent
    audio = decode_audio(_write(tmp_path / "hybride.wav", samples, "pcm_s16le"))
    left, right = audio.channel_dbfs()
    assert left > -20 and right == -np.inf


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p.write_text("dit is geen audio maar tekst " * 50), "geen leesbaar"),
        (lambda p: p.write_bytes(b""), "leeg"),
        (lambda p: p.write_bytes(bytes(range(256)) * 40), "geen leesbaar"),
    ],
    ids=["text-as-wav", "empty", "random-bytes"],
)
def test_refuses_non_audio(tmp_path: Path, setup, message: str) -> None:
    path = tmp_path / "opname.wav"
    setup(path)
    with pytest.raises(AudioError, match=message) as info:
        decode_audio(path)
    assert info.value.hint  # says what to do


def test_refuses_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="niet gevonden"):
        decode_audio(tmp_path / "bestaat-niet.wav")


def test_refuses_silence(tmp_path: Path) -> None:
    path = _write(tmp_path / "stil.wav", np.zeros((1, RATE * 3), dtype=np.float32), "pcm_s16le")
    with pytest.raises(AudioError, match="stil"):
        decode_audio(path)


def test_refuses_too_long(tmp_path: Path) -> None:
    path = _write(tmp_path / "lang.wav", _tone(4.0), "pcm_s16le")
    with pytest.raises(AudioError, match="langer dan"):
        decode_audio(path, AudioOptions(max_seconds=2.0))


def test_refuses_too_large(tmp_path: Path) -> None:
    path = _write(tmp_path / "groot.wav", _tone(40.0), "pcm_s16le")  # ~1.3 MB
    with pytest.raises(AudioError, match="groter dan"):
        decode_audio(path, AudioOptions(max_file_mb=1))


def test_refuses_too_short(tmp_path: Path) -> None:
    path = _write(tmp_path / "kort.wav", _tone(0.2), "pcm_s16le")
    with pytest.raises(AudioError, match="korter"):
        decode_audio(path)


def test_refuses_video_without_sound(tmp_path: Path) -> None:
    path = tmp_path / "zonder-geluid.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(5):
            img = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), dtype=np.uint8), format="rgb24")
            img.pts = i
            for packet in stream.encode(img):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    with pytest.raises(AudioError, match="geen geluidsspoor"):
        decode_audio(path)
