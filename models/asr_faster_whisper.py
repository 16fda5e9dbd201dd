"""faster-whisper ASR backend (CTranslate2), plus the ASR registry and a fake for tests."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np

from models.asr import AsrOptions, AsrResult, AsrSegment, Word, ASRBackend
from core.errors import ModelError, TranscriptionError
from core.provenance import ModelRef

logger = logging.getLogger(__name__)


def cuda_available() -> bool:
    try:
        import ctranslate2

        return ctranslate2.get_cuda_device_count() > 0
    except Exception:  # noqa: BLE001 - any failure means: no usable GPU
        return False


class FasterWhisperBackend:
    """Loads a CTranslate2 Whisper model from a local directory once; transcribes many times."""

    name = "faster-whisper"

    def __init__(self, model_dir: Path, *, device: str = "auto", compute_type: str = "default",
                 cpu_threads: int = 0, model_name: str | None = None, sha256: str | None = None) -> None:
        from faster_whisper import WhisperModel

        if not (model_dir / "model.bin").is_file():
            raise ModelError(
                f"Geen CTranslate2 Whisper-model in {model_dir} (model.bin ontbreekt).",
                hint="Voer 'vg models pull' uit, of wijs VG_ASR_MODEL naar een geconverteerde faster-whisper-map.",
            )
        self.device = ("cuda" if cuda_available() else "cpu") if device == "auto" else device
        if compute_type == "default":
            compute_type = "float16" if self.device == "cuda" else "int8"
        self.compute_type = compute_type
        self._ref = ModelRef(backend=self.name, name=model_name or model_dir.name, path=str(model_dir), sha256=sha256)
        self._model = WhisperModel(
            str(model_dir), device=self.device, compute_type=compute_type,
            cpu_threads=cpu_threads or (os.cpu_count() or 1), local_files_only=True,
        )
        self._batched = None

    @property
    def model_ref(self) -> ModelRef:
        return self._ref

    def transcribe(self, audio: np.ndarray, options: AsrOptions) -> AsrResult:
        kwargs = dict(
            language=options.language,
            beam_size=options.beam_size,
            vad_filter=options.vad_filter,
            word_timestamps=options.word_timestamps,
            initial_prompt=options.initial_prompt,
            condition_on_previous_text=options.condition_on_previous_text,
        )
        if options.vad_filter and options.vad_min_silence_ms is not None:
            kwargs["vad_parameters"] = {"min_silence_duration_ms": options.vad_min_silence_ms}
        try:
            if options.batch_size > 0:
                from faster_whisper import BatchedInferencePipeline

                if self._batched is None:
                    self._batched = BatchedInferencePipeline(model=self._model)
                kwargs.pop("condition_on_previous_text")
                kwargs["without_timestamps"] = not options.segment_timestamps
                segments, info = self._batched.transcribe(audio, batch_size=options.batch_size, **kwargs)
            else:
                segments, info = self._model.transcribe(audio, **kwargs)
            out = [
                AsrSegment(
                    start=s.start, end=s.end, text=s.text.strip(),
                    words=[Word(start=w.start, end=w.end, word=w.word, probability=w.probability) for w in (s.words or [])],
                    avg_logprob=s.avg_logprob, no_speech_prob=s.no_speech_prob,
                )
                for s in segments  # the generator runs the decoding; keep it inside this stage
            ]
        except (RuntimeError, ValueError) as exc:
            raise TranscriptionError(
                f"Spraakherkenning is mislukt ({type(exc).__name__}).",
                hint="Probeer VG_ASR_DEVICE=cpu, of controleer het model met 'vg models list'.",
            ) from exc
        return AsrResult(language=info.language, language_probability=info.language_probability,
                         duration=info.duration, segments=out)


class FakeASR:
    """Deterministic ASR for tests: returns scripted segments, shifted to fit the audio length."""

    name = "fake"

    def __init__(self, segments: list[AsrSegment] | None = None) -> None:
        self.segments = segments or [AsrSegment(start=0.0, end=1.0, text="Dit is een testopname.")]
        self.calls = 0

    @property
    def model_ref(self) -> ModelRef:
        return ModelRef(backend=self.name, name="fake-asr")

    def transcribe(self, audio: np.ndarray, options: AsrOptions) -> AsrResult:
        self.calls += 1
        return AsrResult(language=options.language, duration=len(audio) / 16000, segments=list(self.segments))
