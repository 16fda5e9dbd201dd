"""Run inside a network namespace by tests/test_offline_native.py (not a test module itself).

Usage: python tests/netns_probe.py STEP WORKDIR; prints one JSON line with what it saw.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "vg-demo"


def _listener() -> socket.socket:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(0.5)
    return server


def _connected(server: socket.socket) -> bool:
    try:
        conn, _ = server.accept()
    except TimeoutError:
        return False
    conn.close()
    return True


def step_no_route(work: Path) -> dict:
    """The namespace really is cut off: no route out, no name resolution."""
    seen = {}
    try:
        socket.create_connection(("1.1.1.1", 443), timeout=3).close()
        seen["connect_out"] = "connected"
    except OSError as exc:
        seen["connect_out"] = type(exc).__name__
    try:
        socket.getaddrinfo("pypi.org", 443)
        seen["resolve"] = "resolved"
    except OSError as exc:
        seen["resolve"] = type(exc).__name__
    return seen


def step_ffmpeg(work: Path) -> dict:
    """Native code: FFmpeg with the product's options never connects; without them it does
    (the control shows the listener would notice)."""
    import av

    from core.errors import AudioError
    from pipeline.audio import FFMPEG_INPUT_OPTIONS, decode_audio

    seen = {}
    server = _listener()
    url = f"http://127.0.0.1:{server.getsockname()[1]}/x.wav"
    try:
        av.open(url, timeout=1)
    except Exception:  # noqa: BLE001 - the control only needs the connection attempt
        pass
    seen["plain_pyav_connected"] = _connected(server)
    try:
        av.open(url, container_options=dict(FFMPEG_INPUT_OPTIONS), timeout=1)
        seen["restricted"] = "opened"
    except av.error.FFmpegError as exc:
        seen["restricted"] = type(exc).__name__
    seen["restricted_connected"] = _connected(server)
    playlist = work / "lijst.m3u8"
    playlist.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2.0,\n{url}\n#EXT-X-ENDLIST\n")
    for name, target in (("url", Path(url)), ("playlist", playlist)):
        try:
            decode_audio(target)
            seen[f"decode_{name}"] = "decoded"
        except AudioError as exc:
            seen[f"decode_{name}"] = exc.message
        seen[f"decode_{name}_connected"] = _connected(server)
    server.close()
    return seen


def step_process(work: Path) -> dict:
    """``vg process`` on the sample recording: real decode, real de-identification, fake ASR/LLM."""
    out = work / "out"
    proc = subprocess.run([sys.executable, "-m", "cli.main", "process", str(SAMPLE / "gesprek.ogg"),
                           "--case", str(SAMPLE / "case.json"), "--out", str(out), "-q"],
                          capture_output=True, text=True, timeout=900)
    return {"returncode": proc.returncode, "stderr": proc.stderr[-2000:],
            "outputs": sorted(p.name for p in out.iterdir()) if out.is_dir() else []}


def step_service(work: Path) -> dict:
    """The service on loopback inside the namespace: health, an upload processed to the end."""
    server = _listener()
    port = server.getsockname()[1]
    server.close()
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    seen: dict = {}
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=2) as r:
                    seen["health"] = json.loads(r.read())
                    break
            except OSError:
                time.sleep(0.5)
        # an account and a personal API token, then a case with consent and an uploaded transcript
        subprocess.run([sys.executable, "-m", "cli.main", "users", "create", "probe", "--role", "gespreksvoerder",
                        "--password-stdin"], input="probe-wachtwoord-123\n", capture_output=True, text=True, timeout=120,
                       check=True)
        token = subprocess.run([sys.executable, "-m", "cli.main", "users", "token", "probe"], capture_output=True,
                               text=True, timeout=120, check=True).stdout.strip().splitlines()[0]
        auth = {"Authorization": f"Bearer {token}"}

        def call(method: str, path: str, body: bytes | None = None, content_type: str = "application/json") -> dict:
            request = urllib.request.Request(base + path, data=body, method=method,
                                             headers={**auth, "Content-Type": content_type})
            with urllib.request.urlopen(request, timeout=30) as r:
                return json.loads(r.read())

        case = call("POST", "/api/casussen", json.dumps({
            "titel": "netns", "toestemming": {"bevestigd_door": "inwoner", "wijze": "mondeling", "gegeven": True}}).encode())
        job = call("PUT", f"/api/casussen/{case['id']}/opname?naam=gesprek.txt", (SAMPLE / "gesprek.txt").read_bytes(),
                   "application/octet-stream")
        deadline = time.time() + 600
        while time.time() < deadline and job["status"] not in ("klaar", "fout"):
            time.sleep(1)
            job = call("GET", f"/api/casussen/{case['id']}")
        job["error"] = job.get("fout")
        seen["job_status"], seen["job_error"] = job["status"], job.get("error")
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        seen["stderr_traceback"] = "Traceback" in err
    return seen


if __name__ == "__main__":
    step, workdir = sys.argv[1], Path(sys.argv[2])
    os.chdir(workdir)
    sys.path.insert(0, str(REPO))
    print(json.dumps(globals()[f"step_{step}"](workdir)))
