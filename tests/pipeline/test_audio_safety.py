"""FFmpeg is restricted to local files of the listed formats: playlists, concat lists, SDP and
URLs are refused with a Dutch AudioError, and nothing connects out."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest

from core.errors import AudioError
from pipeline.audio import FFMPEG_INPUT_OPTIONS, decode_audio, probe_audio
from tests.pipeline.test_audio import _tone, _write


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP server on loopback that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(0.3)
    yield server
    server.close()


def _nobody_connected(server: socket.socket) -> bool:
    try:
        conn, _ = server.accept()
    except TimeoutError:
        return True
    conn.close()
    return False


@pytest.fixture
def mp3(tmp_path: Path) -> Path:
    return _write(tmp_path / "elders.mp3", _tone(2.0), "libmp3lame")


def _playlist(path: Path, target: str) -> Path:
    path.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2.0,\n{target}\n#EXT-X-ENDLIST\n")
    return path


def test_unrestricted_ffmpeg_would_follow_the_playlist(tmp_path: Path, mp3: Path) -> None:
    """The attack is real: plain PyAV decodes the file the playlist names."""
    with av.open(str(_playlist(tmp_path / "lijst.m3u8", str(mp3)))) as container:
        assert container.format.name == "hls"
        assert sum(frame.samples for frame in container.decode(audio=0)) > 16_000


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("lijst.m3u8", "PLAYLIST"),
        ("lijst.wav", "PLAYLIST"),  # the same playlist behind an audio extension
        ("lijst.ffconcat", "ffconcat version 1.0\nfile '{media}'\n"),
        ("lijst.txt.mp3", "ffconcat version 1.0\nfile 'file:{media}'\n"),
        ("stream.sdp", "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 5004 RTP/AVP 0\n"),
    ],
)
def test_files_that_name_other_files_are_refused(tmp_path: Path, mp3: Path, name: str, content: str) -> None:
    path = tmp_path / name
    if content == "PLAYLIST":
        _playlist(path, str(mp3))
    else:
        path.write_text(content.format(media=mp3))
    for check in (probe_audio, decode_audio):
        with pytest.raises(AudioError, match="geen ondersteund audioformaat|geen leesbaar") as info:
            check(path)
        assert "wav, mp3, m4a" in info.value.hint


@pytest.mark.parametrize("url", ["http://127.0.0.1:{port}/x.wav", "tcp://127.0.0.1:{port}", "concat:{media}|{media}",
                                 "file:{media}", "subfile,,start,0,end,0,,:{media}"])
def test_urls_and_protocols_are_refused_without_connecting(listener: socket.socket, mp3: Path, url: str) -> None:
    target = url.format(port=listener.getsockname()[1], media=mp3)
    with pytest.raises(AudioError, match="geen lokaal bestand|niet gevonden"):
        decode_audio(Path(target))  # "subfile,...": no scheme, so a (missing) local file name
    assert _nobody_connected(listener)


def test_playlist_pointing_at_a_url_does_not_connect(tmp_path: Path, listener: socket.socket) -> None:
    path = _playlist(tmp_path / "lijst.m3u8", f"http://127.0.0.1:{listener.getsockname()[1]}/x.mp3")
    with pytest.raises(AudioError):
        decode_audio(path)
    assert _nobody_connected(listener)


def test_ffmpeg_options_alone_refuse_a_url(listener: socket.socket) -> None:
    """Native code, no Python check in between: FFmpeg with our options does not connect."""
    with pytest.raises(av.error.FFmpegError):
        av.open(f"http://127.0.0.1:{listener.getsockname()[1]}/x.wav", container_options=dict(FFMPEG_INPUT_OPTIONS))
    assert _nobody_connected(listener)


@pytest.mark.parametrize(("name", "codec", "demuxer"), [
    ("opname.wav", "pcm_s16le", "wav"), ("opname.mp3", "libmp3lame", "mp3"), ("opname.m4a", "aac", "mov"),
    ("opname.ogg", "libopus", "ogg"), ("opname.webm", "libopus", "matroska"), ("opname.mkv", "libopus", "matroska"),
    ("opname.flac", "flac", "flac"),
])
def test_format_is_probed_from_content_not_extension(tmp_path: Path, name: str, codec: str, demuxer: str) -> None:
    rate = 48_000 if codec == "libopus" else 16_000
    real = _write(tmp_path / name, _tone(1.0, rate=rate), codec, rate)
    disguised = real.rename(tmp_path / "opname.dat")
    probe = probe_audio(disguised)
    assert probe.demuxer == demuxer and probe.channels == 1
    assert abs(decode_audio(disguised).duration - 1.0) < 0.15


def test_refuses_raw_formats_outside_the_list(tmp_path: Path) -> None:
    path = tmp_path / "opname.aac"
    _write(path, _tone(1.0), "aac")  # ADTS stream, no container
    with pytest.raises(AudioError):
        probe_audio(path)
    img = tmp_path / "foto.wav"
    with av.open(str(tmp_path / "foto.png"), "w") as c:
        s = c.add_stream("png", rate=1)
        s.width, s.height, s.pix_fmt = 8, 8, "rgb24"
        for p in s.encode(av.VideoFrame.from_ndarray(np.zeros((8, 8, 3), np.uint8), format="rgb24")):
            c.mux(p)
    (tmp_path / "foto.png").rename(img)
    with pytest.raises(AudioError):
        decode_audio(img)
