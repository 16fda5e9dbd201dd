"""Real Dutch speech (two CC0 voices) turned into evaluation recordings, deterministically.

The corpus (``speech-nl``: rhasspy "flemishguy" and "nathalie", CC0 1.0, one Ogg file per read
utterance plus ``metadata.csv``) is not committed as a whole; see ``eval/data/speech-nl/README.md``.
From it this module builds, for a given seed:

- a **long recording**: utterances concatenated with short pauses, looped to N minutes
  (speed and memory; streamed to disk block by block, never held whole);
- a **two-speaker conversation**: turns of 1-5 utterances of one speaker alternating with the other,
  with known turn times (RTTM) and a reference transcript (diarization, speaker-attributed WER);
- an evaluation dataset in the conversation format (``samples.jsonl``) for the ``asr-real`` suite.

Utterances are split once into a **dev** half (used to choose ASR settings and tune diarization) and
a **held-out** half (used only for the reported figures) by a hash of their id, so the split does
not depend on file order.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np

from core.errors import EvaluationError
from core.settings import REPO_ROOT

SR = 16_000
SPEAKERS = ("flemishguy", "nathalie")
Part = Literal["dev", "heldout", "all"]


@dataclass(frozen=True)
class Utterance:
    id: str
    speaker: str
    path: Path
    text: str


@dataclass(frozen=True)
class Placed:
    """One utterance placed in a generated recording."""

    utterance: Utterance
    start: float
    end: float
    turn: int


def default_root() -> Path:
    """``VG_SPEECH_NL_DIR`` or the shared corpus next to the checkout (``../shared/data/speech-nl``)."""
    env = os.environ.get("VG_SPEECH_NL_DIR")
    candidates = [Path(env)] if env else []
    candidates += [p / "shared" / "data" / "speech-nl" for p in (REPO_ROOT.parent, REPO_ROOT.parent.parent)]
    for path in candidates:
        if (path / SPEAKERS[0] / "metadata.csv").is_file():
            return path
    raise EvaluationError(
        "Het spraakcorpus speech-nl is niet gevonden.",
        hint="Zet VG_SPEECH_NL_DIR op de map met flemishguy/ en nathalie/ (zie eval/data/speech-nl/README.md).",
    )


def part_of(utterance_id: str) -> Literal["dev", "heldout"]:
    """Stable split: even first byte of SHA-1(id) is dev, odd is held-out."""
    return "dev" if hashlib.sha1(utterance_id.encode()).digest()[0] % 2 == 0 else "heldout"


def load_corpus(root: Path | None = None, part: Part = "all") -> list[Utterance]:
    """All utterances of both speakers (sorted by speaker, id), optionally one half of the split."""
    root = root or default_root()
    out: list[Utterance] = []
    for speaker in SPEAKERS:
        meta = root / speaker / "metadata.csv"
        if not meta.is_file():
            raise EvaluationError(f"{meta} ontbreekt.", hint="Controleer VG_SPEECH_NL_DIR.")
        with meta.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f, delimiter="|", quoting=csv.QUOTE_NONE):
                if len(row) >= 2 and (root / speaker / f"{row[0]}.ogg").is_file():
                    out.append(Utterance(row[0], speaker, root / speaker / f"{row[0]}.ogg", row[1].strip()))
    out.sort(key=lambda u: (u.speaker, u.id))
    return out if part == "all" else [u for u in out if part_of(u.id) == part]


@lru_cache(maxsize=1024)
def read_utterance(path: Path) -> np.ndarray:
    import soundfile as sf

    data, sr = sf.read(path, dtype="float32", always_2d=False)
    if sr != SR or data.ndim != 1:
        raise EvaluationError(f"{path.name}: verwacht 16 kHz mono.", hint="Gebruik het speech-nl-corpus zoals geleverd.")
    return data


def long_layout(utterances: list[Utterance], minutes: float, *, pause: float = 0.5, seed: int = 0) -> Iterator[Placed]:
    """Utterances in a seeded shuffled order with ``pause`` seconds between them, looped until
    ``minutes`` are filled (the last utterance that would cross the end is left out)."""
    if not utterances:
        raise EvaluationError("Geen uitingen om een opname van te maken.", hint="Controleer het corpus.")
    order = list(utterances)
    random.Random(seed).shuffle(order)
    total, t, i = minutes * 60, 0.0, 0
    while True:
        u = order[i % len(order)]
        duration = _duration(u.path)
        if t + duration > total:
            return
        yield Placed(u, round(t, 3), round(t + duration, 3), i)
        t += duration + pause
        i += 1


def conversation_layout(utterances: list[Utterance], minutes: float, *, seed: int = 0,
                        max_turn: int = 5) -> list[Placed]:
    """Alternating turns of 1..``max_turn`` utterances per speaker; 0.25-0.45 s between utterances
    of one turn, 0.4-1.2 s between turns (seeded). Each speaker's utterances are used in a seeded
    order and reused only after all were used."""
    rng = random.Random(seed)
    pools = {s: [u for u in utterances if u.speaker == s] for s in SPEAKERS}
    if any(not p for p in pools.values()):
        raise EvaluationError("Beide sprekers zijn nodig voor een gesprek.", hint="Controleer het corpus.")
    for pool in pools.values():
        rng.shuffle(pool)
    cursor = dict.fromkeys(SPEAKERS, 0)
    placed: list[Placed] = []
    total, t, turn = minutes * 60, 0.0, 0
    speaker = SPEAKERS[rng.randrange(2)]
    while t < total:
        for k in range(rng.randint(1, max_turn)):
            u = pools[speaker][cursor[speaker] % len(pools[speaker])]
            cursor[speaker] += 1
            duration = _duration(u.path)
            if t + duration > total:
                return placed
            placed.append(Placed(u, round(t, 3), round(t + duration, 3), turn))
            t += duration + rng.uniform(0.25, 0.45)
        t += rng.uniform(0.15, 0.75)
        speaker = SPEAKERS[1 - SPEAKERS.index(speaker)]
        turn += 1
    return placed


def render(placed: list[Placed] | Iterator[Placed], path: Path, *, block_seconds: float = 30.0) -> list[Placed]:
    """Write the layout as 16 kHz mono 16-bit WAV, streaming in blocks (memory does not grow with length)."""
    import soundfile as sf

    done: list[Placed] = []
    written = 0
    block: list[np.ndarray] = []
    block_len = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with sf.SoundFile(path, "w", samplerate=SR, channels=1, subtype="PCM_16") as out:
        for p in placed:
            start = int(round(p.start * SR))
            gap = start - written - block_len
            if gap > 0:
                block.append(np.zeros(gap, dtype=np.float32))
                block_len += gap
            audio = read_utterance(p.utterance.path)
            block.append(audio)
            block_len += len(audio)
            done.append(p)
            if block_len >= block_seconds * SR:
                out.write(np.concatenate(block))
                written += block_len
                block, block_len = [], 0
        if block:
            out.write(np.concatenate(block))
    return done


def reference_turns(placed: list[Placed]) -> list[tuple[float, float, str]]:
    """(start, end, speaker) per turn: consecutive utterances of one speaker merged."""
    turns: list[list] = []
    for p in placed:
        if turns and turns[-1][2] == p.utterance.speaker and turns[-1][3] == p.turn:
            turns[-1][1] = p.end
        else:
            turns.append([p.start, p.end, p.utterance.speaker, p.turn])
    return [(s, e, spk) for s, e, spk, _ in turns]


def reference_transcript(placed: list[Placed], filename: str, sha256: str = "") -> dict:
    """The gold transcript (``pipeline.transcript.Transcript`` JSON): one segment per utterance."""
    from pipeline.transcript import Segment, Transcript, TranscriptSource

    segments = [Segment(id=i, start=p.start, end=p.end, speaker=p.utterance.speaker, text=p.utterance.text)
                for i, p in enumerate(placed, 1)]
    duration = placed[-1].end if placed else 0.0
    return Transcript(duration=duration, segments=segments,
                      source=TranscriptSource(kind="json", filename=filename, sha256=sha256)).model_dump(mode="json")


def write_rttm_file(placed: list[Placed], path: Path, file_id: str) -> None:
    from eval.speakers.der import Turn, write_rttm

    turns = [Turn(start=s, end=e, speaker=spk) for s, e, spk in reference_turns(placed)]
    path.write_text(write_rttm(turns, file_id), encoding="utf-8")


def write_conversation(out_dir: Path, utterances: list[Utterance], minutes: float, seed: int) -> dict:
    """Audio, RTTM and gold transcript of one conversation in ``out_dir``; returns its samples.jsonl line."""
    sid = out_dir.name
    placed = render(conversation_layout(utterances, minutes, seed=seed), out_dir / "audio.wav")
    write_rttm_file(placed, out_dir / "reference.rttm", sid)
    sha = hashlib.sha256((out_dir / "audio.wav").read_bytes()).hexdigest()
    gold = reference_transcript(placed, "audio.wav", sha)
    (out_dir / "transcript.gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
    return {"id": sid, "input": f"{sid}/audio.wav",
            "files": {"transcript": f"{sid}/transcript.gold.json", "rttm": f"{sid}/reference.rttm"},
            "metadata": {"synthetic": False, "echte_spraak": True, "seed": seed, "sprekers": 2,
                         "duur_seconden": placed[-1].end if placed else 0.0,
                         "uitingen": len(placed), "bron": "speech-nl (CC0)"}}


def build_dataset(out_dir: Path, *, part: Part = "heldout", minutes: float = 2.0, seeds: tuple[int, ...] = (1, 2),
                  root: Path | None = None) -> Path:
    """Conversation-format dataset (``samples.jsonl``) of two-speaker conversations from one half."""
    utterances = load_corpus(root, part)
    lines = [write_conversation(out_dir / f"{part}-s{seed}", utterances, minutes, seed) for seed in seeds]
    (out_dir / "samples.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    return out_dir


def _duration(path: Path) -> float:
    return len(read_utterance(path)) / SR


def main(argv: list[str] | None = None) -> int:
    """``python -m eval.speech_nl long|conversation|dataset OUT ...``: build a recording."""
    import argparse

    parser = argparse.ArgumentParser(description="Build real-speech recordings from the speech-nl corpus.")
    parser.add_argument("kind", choices=["long", "conversation", "dataset"])
    parser.add_argument("out", type=Path)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--part", choices=["dev", "heldout", "all"], default="all")
    args = parser.parse_args(argv)
    utterances = load_corpus(None, args.part)
    if args.kind == "long":
        placed = render(long_layout(utterances, args.minutes, seed=args.seed), args.out)
        (args.out.with_suffix(".txt")).write_text("\n".join(p.utterance.text for p in placed) + "\n", encoding="utf-8")
        print(f"{args.out}: {placed[-1].end:.0f} s, {len(placed)} utterances")
    elif args.kind == "conversation":
        line = write_conversation(args.out, utterances, args.minutes, args.seed)
        print(json.dumps(line["metadata"]))
    else:
        build_dataset(args.out, part=args.part, minutes=args.minutes, seeds=(args.seed, args.seed + 1))
        print(args.out / "samples.jsonl")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
