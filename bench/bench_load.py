"""Load: 20 simulated users on the review page and the JSON API while 2 workers process jobs.

``python -m bench load [--users 20] [--seconds 60]``

Everything runs as it would for a team, on loopback: ``vg serve --workers 0`` (the web app only)
and two ``vg worker`` processes on the same data directory and queue, each a separate process.
The workers use the fake ASR and LLM backends (text input, the real de-identification), so the
figure is the app's own capacity under job load, not the models' speed; jobs per hour with the
bundled models follow from ``python -m bench e2e`` (one job = one VG) and are printed beside it.

Each simulated user signs in (cookie session), opens the review page of a processed case and calls
the JSON API (case list, verslag, transcript), waiting ``--think`` seconds (default 1, randomised
0.5-1.5x) between requests, which is still far busier than 20 people reading and editing;
``--think 0`` is a closed loop that measures saturation (latency = users / throughput). Two feeders keep the workers busy with new uploads.
The HTTP client is httpx (async); Locust was not needed for a closed loop of four requests.

Prints requests per second and p50/p95/max latency for pages and for the API (target: p95 < 200 ms
for pages on a 2-core machine), and jobs per hour per worker.
"""

from __future__ import annotations

import core.offline  # noqa: F401  (first: offline/telemetry environment before any library)
import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "vg-demo" / "gesprek.vtt"
PASSWORD = "bench-wachtwoord-123"
TARGET_P95_MS = 200.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "VG_DATA_DIR": str(data_dir), "VG_SECRETS_DIR": str(data_dir.parent / "secrets"),
            "VG_LLM_BACKEND": "fake", "VG_ASR_BACKEND": "fake", "VG_DIARIZATION_BACKEND": "none",
            "VG_LOGIN_IP_LIMIT": "100000", "VG_WORKER_RECOVER_SECONDS": "5"}


def _create_users(data_dir: Path, users: int) -> dict[str, str]:
    """Gespreksvoerders gv0 (owns the cases the users review) and feeders gv1, gv2; their API tokens."""
    from service.db import User, open_database
    from service.security import hash_password, new_api_token

    sessions = open_database(data_dir)
    hashed = hash_password(PASSWORD)
    tokens = {}
    with sessions() as db:
        for i in range(3):
            user = User(name=f"gv{i}", display_name=f"Gespreksvoerder {i}", role="gespreksvoerder", password_hash=hashed)
            db.add(user)
            db.commit()
            tokens[user.name] = new_api_token(db, user)
    return tokens


async def _login(client: httpx.AsyncClient, name: str) -> None:
    """A cookie session, as the browser has (pages accept only that)."""
    response = await client.post("/api/sessie", json={"gebruikersnaam": name, "wachtwoord": PASSWORD})
    response.raise_for_status()


async def _processed_case(client: httpx.AsyncClient, timeout: float = 300) -> str:
    """Create a case and upload the demo transcript with the client's bearer token; wait for the job."""
    body = {"titel": "VG bench", "casus": {"inwoner": {"naam": "Bench Inwoner", "gemeente": "Hilversum"}},
            "toestemming": {"bevestigd_door": "inwoner", "wijze": "mondeling", "gegeven": True}}
    case = (await client.post("/api/casussen", json=body)).json()
    upload = await client.put(f"/api/casussen/{case['id']}/opname", params={"naam": SAMPLE.name},
                              content=SAMPLE.read_bytes())
    upload.raise_for_status()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = (await client.get(f"/api/casussen/{case['id']}")).json()["status"]
        if state in ("klaar", "fout"):
            return case["id"]
        await asyncio.sleep(0.2)
    raise TimeoutError("a job did not finish in time; are the workers running?")


async def _user(client: httpx.AsyncClient, case_id: str, stop: float, timings: dict[str, list[float]],
                think: float, rng: random.Random) -> None:
    try:
        urls = [("page", f"/casussen/{case_id}"), ("api-list", "/api/casussen"),
                ("api-verslag", f"/api/casussen/{case_id}/verslag"), ("api-transcript", f"/api/casussen/{case_id}/transcript")]
        while time.monotonic() < stop:
            for kind, url in urls:
                started = time.perf_counter()
                response = await client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    timings["errors"].append(elapsed)
                else:
                    timings[kind].append(elapsed)
                    if kind.startswith("api"):
                        timings["api"].append(elapsed)
                if think > 0:  # reading the page before the next click: 0.5x to 1.5x the think time
                    await asyncio.sleep(think * rng.uniform(0.5, 1.5))
    finally:
        await client.aclose()


async def _feeder(base: str, token: str, stop: float, done: list[float]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120, headers={"Authorization": f"Bearer {token}"}) as client:
        while time.monotonic() < stop:
            await _processed_case(client)
            done.append(time.monotonic())


def _summary(label: str, values: list[float], seconds: float) -> str:
    if not values:
        return f"{label:14s}: no requests"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (f"{label:14s}: {len(values):6d} requests, {len(values) / seconds:6.1f}/s, p50 {statistics.median(ordered):6.1f} ms, "
            f"p95 {p95:6.1f} ms, max {ordered[-1]:7.1f} ms")


async def _run(base: str, tokens: dict[str, str], users: int, seconds: float, think: float,
               ) -> tuple[dict[str, list[float]], list[float], float]:
    async with httpx.AsyncClient(base_url=base, timeout=120, headers={"Authorization": f"Bearer {tokens['gv0']}"}) as client:
        print(f"preparing {users} processed cases ...", flush=True)
        cases = [await _processed_case(client) for _ in range(users)]
    # Each user has their own cookie session as gv0, who owns the cases. Signing in hashes the
    # password on purpose slowly (about a second of CPU): done one by one before the clock starts,
    # as 20 people do not all sign in within the same second.
    clients = []
    for _ in cases:
        client = httpx.AsyncClient(base_url=base, timeout=120)
        await _login(client, "gv0")
        clients.append(client)
    timings: dict[str, list[float]] = {"page": [], "api": [], "api-list": [], "api-verslag": [], "api-transcript": [],
                                       "errors": []}
    done: list[float] = []
    started = time.monotonic()
    stop = started + seconds
    rng = random.Random(0)
    await asyncio.gather(*(_user(client, case, stop, timings, think, rng)
                           for client, case in zip(clients, cases, strict=True)),
                         *(_feeder(base, tokens[f"gv{k}"], stop, done) for k in (1, 2)))
    return timings, done, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=1.0,
                        help="seconds a user waits between requests (0: closed loop, measures saturation)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vg-load-") as tmp:
        data_dir = Path(tmp) / "data"
        env = _env(data_dir)
        os.environ.update({k: v for k, v in env.items() if k.startswith("VG_")})
        tokens = _create_users(data_dir, args.users)
        port = _free_port()
        vg = [sys.executable, "-m", "cli.main"]
        logs = open(Path(tmp) / "processes.log", "w")  # noqa: SIM115 - closed below
        processes = [subprocess.Popen([*vg, "serve", "--port", str(port), "--workers", "0"], env=env, cwd=ROOT,
                                      stdout=logs, stderr=subprocess.STDOUT)]
        processes += [subprocess.Popen([*vg, "worker"], env=env, cwd=ROOT, stdout=logs, stderr=subprocess.STDOUT)
                      for _ in range(args.workers)]
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            timings, done, seconds = asyncio.run(_run(base, tokens, args.users, args.seconds, args.think))
        except Exception:
            logs.flush()
            print((Path(tmp) / "processes.log").read_text()[-3000:], file=sys.stderr)
            raise
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
            logs.close()
    print(f"\n{args.users} users (think time {args.think:g} s), {args.workers} worker processes, {seconds:.0f} s on loopback "
          f"({os.cpu_count()} logical CPUs; server, workers and load generator share them)")
    print(_summary("page", timings["page"], seconds))
    print(_summary("api", timings["api"], seconds))
    for kind in ("api-list", "api-verslag", "api-transcript"):
        print("  " + _summary(kind, timings[kind], seconds))
    print(f"errors: {len(timings['errors'])}")
    page_p95 = sorted(timings["page"])[min(len(timings["page"]) - 1, int(0.95 * len(timings["page"])))] if timings["page"] else float("nan")
    print(f"page p95 / target {TARGET_P95_MS:.0f} ms: {page_p95 / TARGET_P95_MS:.2f} ({'met' if page_p95 < TARGET_P95_MS else 'missed'})")
    per_worker_hour = len(done) / seconds * 3600 / args.workers
    print(f"jobs finished during the run: {len(done)} -> {per_worker_hour:.0f} jobs/hour per worker "
          "(fake models, text input: the app's own overhead per job)")
    print("with the bundled models one job is one VG: jobs/hour per worker = 3600 / (python -m bench e2e total seconds)")
    return 0 if not timings["errors"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
