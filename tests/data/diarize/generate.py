"""Regenerate the small diarization recordings in this directory (espeak-ng, deterministic).

    .venv/bin/python tests/data/diarize/generate.py

Writes for each layout ``<name>.ogg`` (16 kHz Vorbis), ``<name>.rttm`` (reference turns) and
``<name>.turns.json`` (reference turns with their text and channel):

- ``mono``: three speakers (professional, inwoner, naaste) in one channel, including turn changes
  after short pauses (0.15 s) that Whisper tends to keep inside one segment.
- ``hybrid``: stereo; left is the room microphone (inwoner and a professional in the room), right is
  the video call (a second professional); the call leaks into the room microphone at -26 dB, as it
  does when the call plays through a laptop speaker.

espeak-ng voices differ mostly in pitch and formant settings, so they are easier to tell apart
than two real people of the same sex would be in some respects and harder in others: treat figures
measured on these files as plumbing checks, not as diarization accuracy on real speech.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import librosa
import numpy as np
import soundfile as sf

HERE = Path(__file__).resolve().parent
SR = 16_000

VOICES = {
    "A": ("nl+m3", 40, 150),  # voice, pitch, speed (words per minute)
    "B": ("nl+f3", 70, 160),
    "C": ("nl+m1", 25, 140),
}

MONO = [
    ("A", "Goedemiddag, ik ben Sanne en ik werk als POH-ggz bij de huisartsenpraktijk.", 0.5),
    ("B", "Dag, ik ben Karin. Ik heb eigenlijk al een tijd last van somberheid.", 0.4),
    ("A", "Wat fijn dat u er bent. Kunt u vertellen wat er speelt?", 0.15),
    ("B", "Ik slaap slecht en ik kom de deur bijna niet meer uit.", 0.4),
    ("C", "Ik ben haar partner. Ik maak me zorgen, want ze zit de hele dag binnen.", 0.5),
    ("A", "Dat begrijp ik. Wat zou u zelf willen veranderen?", 0.15),
    ("B", "Ik wil weer werken, maar ik weet niet hoe.", 0.4),
    ("C", "Ja, dat klopt.", 0.3),
    ("A", "Dan kijken we samen naar het wijkteam en naar een basispsycholoog.", 0.0),
]

HYBRID = [  # (speaker, text, pause after, channel)
    ("A", "Goedemiddag, ik ben Sanne, ik werk bij het wijkteam en zit hier in de kamer.", 0.5, 0),
    ("C", "En ik ben Pieter, basispsycholoog, ik doe mee via de videoverbinding.", 0.5, 1),
    ("B", "Dag allebei. Ik ben Karin en ik zit al een tijd thuis.", 0.4, 0),
    ("C", "Hoe gaat het op dit moment met u?", 0.4, 1),
    ("B", "Niet zo goed. Ik heb schulden en ik slaap slecht.", 0.4, 0),
    ("A", "Zullen we het eerst over de schulden hebben?", 0.15, 0),
    ("C", "Goed idee, daarna bespreken we de behandeling.", 0.0, 1),
]


def _speak(voice: str, pitch: int, speed: int, text: str) -> np.ndarray:
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "u.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-p", str(pitch), "-s", str(speed), "-w", str(wav), text],
            check=True,
        )
        samples, rate = sf.read(wav, dtype="float32")
    samples = librosa.resample(samples, orig_sr=rate, target_sr=SR)
    # espeak pads each utterance with silence: trim it so the reference turns are tight.
    trimmed, _ = librosa.effects.trim(samples, top_db=35)
    return trimmed.astype(np.float32)


def _build(script: list[tuple], channels: int) -> tuple[np.ndarray, list[dict]]:
    pieces, turns, t = [], [], 0.4
    for item in script:
        speaker, text, pause = item[:3]
        channel = item[3] if len(item) > 3 else 0
        voice, pitch, speed = VOICES[speaker]
        audio = _speak(voice, pitch, speed, text)
        start = t
        pieces.append((int(round(start * SR)), channel, audio))
        t = start + len(audio) / SR
        turns.append({"start": round(start, 3), "end": round(t, 3), "speaker": speaker, "channel": channel, "text": text})
        t += pause
    total = int(round((t + 0.5) * SR))
    out = np.zeros((channels, total), dtype=np.float32)
    for offset, channel, audio in pieces:
        out[channel, offset : offset + len(audio)] += 0.5 * audio
        if channels == 2 and channel == 1:
            out[0, offset : offset + len(audio)] += 0.5 * audio * 10 ** (-26 / 20)  # call leaks into the room
    rng = np.random.default_rng(7)
    out += rng.normal(0, 10 ** (-62 / 20), out.shape).astype(np.float32)  # faint noise floor
    return out, turns


def _write(name: str, audio: np.ndarray, turns: list[dict]) -> None:
    sf.write(HERE / f"{name}.ogg", audio.T, SR, format="OGG", subtype="VORBIS")
    rttm = [
        f"SPEAKER {name} 1 {tr['start']:.3f} {tr['end'] - tr['start']:.3f} <NA> <NA> {tr['speaker']} <NA> <NA>"
        for tr in turns
    ]
    (HERE / f"{name}.rttm").write_text("\n".join(rttm) + "\n", encoding="utf-8")
    (HERE / f"{name}.turns.json").write_text(json.dumps(turns, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    _write("mono", *_build(MONO, channels=1))
    _write("hybrid", *_build(HYBRID, channels=2))


if __name__ == "__main__":
    main()
