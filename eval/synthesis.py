"""Synthesise a scripted Dutch conversation to audio, with gold transcript and RTTM.

Used for the bundled demo sample (``samples/vg-demo``) and for synthetic evaluation data. Speech
comes from espeak-ng (distinct Dutch voice variants per speaker), resampling and Ogg Vorbis
encoding from sox; mixing happens in numpy. The output is deterministic for the same script on
the same machine (fixed noise seed, sox ``-R``, no dither).

Script format: see ``docs/synthetic-conversations.md``.

    python -m eval.synthesis SCRIPT.yaml --out DIR [--layout mono|stereo-hybrid]
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import InputError, VGError
from eval.speakers.der import Turn as RttmTurn, write_rttm
from pipeline.transcript import Segment, Transcript, TranscriptSource

SAMPLE_RATE = 16_000
Layout = Literal["mono", "stereo-hybrid"]
LAYOUTS: tuple[str, ...] = ("mono", "stereo-hybrid")
ScriptRole = Literal["inwoner", "naaste", "ggz", "sociaal", "ervaringsdeskundige", "poh"]

_PEAK_LEVEL = 0.8
_SILENCE_THRESHOLD = 1e-3
_EDGE_MARGIN = int(0.01 * SAMPLE_RATE)
_VOICE_RE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]+)?(\+[A-Za-z0-9_-]+)?$")


class ScriptError(InputError):
    """A conversation script is malformed."""


class SynthesisError(VGError):
    """espeak-ng or sox is missing or failed."""

    exit_code = 9


# --- script model ------------------------------------------------------------------------------


class SpeakerSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: ScriptRole
    voice: str = "nl"
    """espeak-ng voice: language plus optional variant, e.g. ``nl+m3`` or ``nl+f2``."""
    speed: int = Field(default=160, ge=80, le=400)
    """Words per minute (espeak-ng ``-s``)."""
    pitch: int = Field(default=50, ge=0, le=99)
    """espeak-ng ``-p``."""
    channel: Literal["room", "call"] = "room"
    """``room``: in the room with the microphone; ``call``: joins by video call."""
    name: str | None = None
    """Display name, used only in the WebVTT / 'Spreker: tekst' exports (fictional!)."""


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    speaker: str
    text: str = Field(min_length=1)
    """What is said, as a transcript writes it (goes into the gold files)."""
    say: str | None = None
    """What espeak-ng speaks instead of ``text`` when pronunciation differs (digit groups of a BSN,
    letters of an IBAN, abbreviations); the gold files keep ``text``."""
    pause_after: float = Field(default=0.4, ge=0.0, le=10.0)
    """Seconds of silence after this turn."""


class ConversationScript(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    synthetic: Literal[True]
    """Must be ``true``: every script describes a fictional conversation."""
    description: str | None = None
    speakers: dict[str, SpeakerSpec]
    turns: list[Turn]
    seed: int = 0
    """Seed of the room noise."""
    room_noise_db: float | None = -50.0
    """RMS level (dBFS, before normalisation) of light room noise; ``null`` for none."""
    call_leak_db: float = -20.0
    """Level at which the call speaker is heard on the room microphone (stereo-hybrid only)."""
    lead_in: float = Field(default=0.5, ge=0.0, le=10.0)
    tail: float = Field(default=0.5, ge=0.0, le=10.0)


def _describe_error(err: dict) -> str:
    where = ".".join(str(p) for p in err["loc"]) or "(hoofdniveau)"
    kind = err["type"]
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{where}: onbekende waarde {err.get('input')!r} (toegestaan: {expected})"
    if kind == "missing":
        return f"{where}: ontbreekt"
    if kind == "extra_forbidden":
        return f"{where}: onbekend veld"
    return f"{where}: {err['msg']}"


def parse_script(data: object, *, name: str = "script") -> ConversationScript:
    """Validate a parsed YAML document; raise :class:`ScriptError` with a Dutch message."""
    hint = "Zie docs/synthetic-conversations.md voor het scriptformaat."
    if not isinstance(data, dict):
        raise ScriptError(f"{name} is geen YAML-mapping met title, speakers en turns.", hint=hint)
    try:
        script = ConversationScript.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_describe_error(e) for e in exc.errors())
        raise ScriptError(f"{name} klopt niet: {problems}.", hint=hint) from None
    if not script.speakers:
        raise ScriptError(f"{name} heeft geen sprekers (speakers is leeg).", hint=hint)
    if not script.turns:
        raise ScriptError(f"{name} heeft geen beurten (turns is leeg).", hint=hint)
    for number, turn in enumerate(script.turns, start=1):
        if turn.speaker not in script.speakers:
            known = ", ".join(sorted(script.speakers))
            raise ScriptError(
                f"{name}: beurt {number} noemt spreker {turn.speaker!r}, die niet onder speakers staat "
                f"(bekend: {known}).",
                hint="Voeg de spreker toe onder speakers of corrigeer het label van de beurt.",
            )
        if not turn.text.strip() or (turn.say is not None and not turn.say.strip()):
            raise ScriptError(f"{name}: beurt {number} heeft geen tekst.", hint=hint)
    for label, spec in script.speakers.items():
        _check_voice(label, spec.voice)
    return script


def load_script(path: str | Path) -> ConversationScript:
    path = Path(path)
    if not path.is_file():
        raise ScriptError(f"Script niet gevonden: {path.name}", hint="Geef het pad naar een bestaand YAML-script.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f" (regel {line + 1})" if line is not None else ""
        raise ScriptError(
            f"{path.name} is geen geldige YAML{where}.", hint="Controleer inspringing en aanhalingstekens."
        ) from None
    return parse_script(data, name=path.name)


# --- external tools ------------------------------------------------------------------------------


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise SynthesisError(
            f"Het programma {tool} is niet geïnstalleerd.",
            hint="Voer `make system-packages` uit (installeert espeak-ng en sox).",
        )
    return found


def _run(cmd: list[str], data: bytes) -> bytes:
    proc = subprocess.run(cmd, input=data, capture_output=True, check=False)
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["geen melding"]
        raise SynthesisError(
            f"{Path(cmd[0]).name} faalde: {detail[0]}", hint="Controleer stem en installatie van espeak-ng en sox."
        )
    return proc.stdout


@functools.lru_cache(maxsize=1)
def _espeak_variants() -> frozenset[str]:
    out = subprocess.run([_require("espeak-ng"), "--voices=variant"], capture_output=True, text=True, check=True).stdout
    # Columns: Pty Language Age/Gender VoiceName File; File is "!v/<variant>".
    return frozenset(re.findall(r"!v/(\S+)", out))


@functools.lru_cache(maxsize=1)
def espeak_version() -> str:
    out = subprocess.run([_require("espeak-ng"), "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"text-to-speech:\s*(\S+)", out)
    return match.group(1) if match else "unknown"


def _check_voice(label: str, voice: str) -> None:
    hint = "Gebruik bijvoorbeeld nl, nl+m3, nl+f2 (zie `espeak-ng --voices=variant`)."
    if not _VOICE_RE.match(voice):
        raise ScriptError(f"Spreker {label!r}: stem {voice!r} heeft niet de vorm taal+variant.", hint=hint)
    if "+" in voice and voice.split("+", 1)[1] not in _espeak_variants():
        raise ScriptError(f"Spreker {label!r}: espeak-ng kent stemvariant {voice.split('+', 1)[1]!r} niet.", hint=hint)


def _tts(spec: SpeakerSpec, text: str) -> np.ndarray:
    """Speak ``text`` with espeak-ng; float32 mono at 16 kHz, leading/trailing silence trimmed."""
    voice = ["-v", spec.voice, "-s", str(spec.speed), "-p", str(spec.pitch)]
    espeak = [_require("espeak-ng"), *voice, "--stdout", "--stdin"]
    wav = _run(espeak, text.encode("utf-8"))
    sox = [_require("sox"), "-R", "-D", "-q", "-t", "wav", "-", "-t", "f32", "-r", str(SAMPLE_RATE), "-c", "1", "-"]
    raw = _run(sox, wav)
    audio = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    voiced = np.flatnonzero(np.abs(audio) > _SILENCE_THRESHOLD)
    if voiced.size == 0:
        raise SynthesisError(
            "espeak-ng gaf stilte voor een beurt.", hint="Controleer of de tekst uitspreekbare woorden bevat."
        )
    return audio[max(0, voiced[0] - _EDGE_MARGIN) : voiced[-1] + _EDGE_MARGIN]


# --- rendering -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedConversation:
    samples: np.ndarray
    """float32, shape (channels, n), 16 kHz."""
    segments: list[Segment]
    duration: float
    layout: str


def render(script: ConversationScript, layout: Layout = "mono") -> RenderedConversation:
    """Synthesise every turn and place it on the timeline; pure apart from calling espeak-ng/sox."""
    if layout not in LAYOUTS:
        raise ScriptError(f"Onbekende layout {layout!r}.", hint=f"Kies uit: {', '.join(LAYOUTS)}.")
    clips = [_tts(script.speakers[t.speaker], t.say or t.text) for t in script.turns]
    pos = int(round(script.lead_in * SAMPLE_RATE))
    placed: list[tuple[int, np.ndarray, str]] = []
    segments: list[Segment] = []
    for number, (turn, clip) in enumerate(zip(script.turns, clips, strict=True), start=1):
        spec = script.speakers[turn.speaker]
        placed.append((pos, clip, spec.channel))
        segments.append(
            Segment(
                id=number,
                start=pos / SAMPLE_RATE,
                end=(pos + clip.size) / SAMPLE_RATE,
                speaker=turn.speaker,
                role=spec.role,
                text=" ".join(turn.text.split()),
            )
        )
        pos += clip.size + int(round(turn.pause_after * SAMPLE_RATE))
    total = pos - int(round(script.turns[-1].pause_after * SAMPLE_RATE)) + int(round(script.tail * SAMPLE_RATE))
    room = np.zeros(total, dtype=np.float64)
    call = np.zeros(total, dtype=np.float64)
    for start, clip, channel in placed:
        (call if channel == "call" else room)[start : start + clip.size] += clip
    if script.room_noise_db is not None:
        rng = np.random.default_rng(script.seed)
        noise = np.convolve(rng.standard_normal(total), np.ones(8) / np.sqrt(8), mode="same")
        room += noise * 10 ** (script.room_noise_db / 20)
    if layout == "mono":
        mixed = (room + call)[np.newaxis, :]
    else:
        mixed = np.stack([room + call * 10 ** (script.call_leak_db / 20), call])
    peak = float(np.max(np.abs(mixed)))
    mixed = mixed * (_PEAK_LEVEL / peak) if peak > 0 else mixed
    return RenderedConversation(
        samples=mixed.astype(np.float32), segments=segments, duration=total / SAMPLE_RATE, layout=layout
    )


def encode_ogg(samples: np.ndarray, path: Path, *, quality: int = 0) -> None:
    """Write (channels, n) float32 samples as Ogg Vorbis; ``sox -R`` keeps the stream serial fixed."""
    channels = samples.shape[0]
    interleaved = np.ascontiguousarray(samples.T, dtype="<f4").tobytes()
    sox = [_require("sox"), "-R", "-D", "-q", "-t", "f32", "-r", str(SAMPLE_RATE), "-c", str(channels), "-"]
    _run([*sox, "-C", str(quality), str(path)], interleaved)


# --- gold files ------------------------------------------------------------------------------


def _timestamp(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def to_rttm(transcript: Transcript, recording_id: str) -> str:
    """Standard RTTM: one SPEAKER line per segment (channel 1)."""
    return write_rttm((RttmTurn(start=s.start, end=s.end, speaker=s.speaker or "") for s in transcript.segments), recording_id)


def _display_name(script: ConversationScript, label: str) -> str:
    return script.speakers[label].name or label


def to_webvtt(transcript: Transcript, script: ConversationScript) -> str:
    """WebVTT as video-call platforms export it: one cue per turn with a ``<v Name>`` voice tag."""
    cues = [
        f"{s.id}\n{_timestamp(s.start)} --> {_timestamp(s.end)}\n"
        f"<v {_display_name(script, s.speaker or '')}>{s.text}</v>\n"
        for s in transcript.segments
    ]
    return "WEBVTT\n\n" + "\n".join(cues)


def to_speaker_text(transcript: Transcript, script: ConversationScript) -> str:
    """Plain text, one ``Spreker: tekst`` turn per line."""
    return "".join(f"{_display_name(script, s.speaker or '')}: {s.text}\n" for s in transcript.segments)


@dataclass(frozen=True)
class SynthesisResult:
    audio_path: Path
    transcript_path: Path
    rttm_path: Path
    vtt_path: Path | None
    text_path: Path | None
    transcript: Transcript
    duration: float
    layout: str
    channels: int


def synthesize_script(
    script: ConversationScript | str | Path,
    out_dir: str | Path,
    *,
    layout: Layout = "mono",
    recording_id: str | None = None,
    audio_name: str = "audio.ogg",
    exports: bool = True,
) -> SynthesisResult:
    """Synthesise ``script`` into ``out_dir``: the audio, ``transcript.gold.json`` and
    ``reference.rttm``, plus (``exports``) ``<audio stem>.vtt`` and ``<audio stem>.txt``.
    ``recording_id`` (RTTM file id) defaults to the name of ``out_dir``. The gold files do not
    depend on ``layout``, so both layouts can be written into one directory."""
    if isinstance(script, ConversationScript):
        source_name = "script.yaml"
        source_sha = hashlib.sha256(script.model_dump_json().encode("utf-8")).hexdigest()
    else:
        path = Path(script)
        script = load_script(path)
        source_name, source_sha = path.name, hashlib.sha256(path.read_bytes()).hexdigest()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rendered = render(script, layout)
    transcript = Transcript(
        duration=rendered.duration,
        segments=rendered.segments,
        source=TranscriptSource(kind="text", filename=source_name, sha256=source_sha),
        speakers={label: spec.role for label, spec in script.speakers.items()},
        options={
            "synthetic": True,
            "title": script.title,
            "generator": "eval.synthesis",
            "tts": f"espeak-ng {espeak_version()}",
        },
    )
    audio_path = out / audio_name
    encode_ogg(rendered.samples, audio_path)
    transcript_path, rttm_path = out / "transcript.gold.json", out / "reference.rttm"
    transcript_path.write_text(transcript.model_dump_json(indent=2) + "\n", encoding="utf-8")
    rttm_path.write_text(to_rttm(transcript, recording_id or out.resolve().name), encoding="utf-8")
    vtt_path = text_path = None
    if exports:
        vtt_path, text_path = audio_path.with_suffix(".vtt"), audio_path.with_suffix(".txt")
        vtt_path.write_text(to_webvtt(transcript, script), encoding="utf-8")
        text_path.write_text(to_speaker_text(transcript, script), encoding="utf-8")
    return SynthesisResult(
        audio_path=audio_path,
        transcript_path=transcript_path,
        rttm_path=rttm_path,
        vtt_path=vtt_path,
        text_path=text_path,
        transcript=transcript,
        duration=rendered.duration,
        layout=layout,
        channels=int(rendered.samples.shape[0]),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eval.synthesis", description="Synthesise a scripted (fictional) Dutch conversation."
    )
    parser.add_argument("script", type=Path, help="conversation script (YAML)")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--layout", choices=LAYOUTS, default="mono")
    parser.add_argument("--recording-id", default=None, help="file id in reference.rttm (default: name of --out)")
    parser.add_argument("--audio-name", default="audio.ogg", help="file name of the audio (default: audio.ogg)")
    parser.add_argument("--no-exports", action="store_true", help="skip the .vtt and .txt exports")
    args = parser.parse_args(argv)
    try:
        result = synthesize_script(
            args.script, args.out, layout=args.layout, recording_id=args.recording_id,
            audio_name=args.audio_name, exports=not args.no_exports,
        )
    except VGError as exc:
        print(f"Fout: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"Wat nu: {exc.hint}", file=sys.stderr)
        return exc.exit_code
    turns = len(result.transcript.segments)
    print(f"{result.audio_path} ({result.duration:.1f} s, {result.channels} kanaal/kanalen, {turns} beurten)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
