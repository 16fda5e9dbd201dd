"""Production diarization with a pyannote.audio pipeline loaded from a local directory.

pyannote.audio is not a dependency of this project (it pulls a large stack); install it on the
machines that use it, and put the pipeline on disk beforehand (see ``docs/diarization.md``):

    pip install "pyannote.audio>=3.3"
    VG_DIARIZATION_BACKEND=pyannote VG_PYANNOTE_PIPELINE_DIR=/srv/vg/models/pyannote-diarization

The directory holds the pipeline's ``config.yaml`` whose model entries point at local checkpoint
files (never hub ids), so loading needs no network and no access token.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from models.diarization import SAMPLE_RATE, Diarization, DiarizationRequest, SpeakerTurn, as_mono_float32
from core.errors import DiarizationError, ModelError
from core.provenance import ModelRef

logger = logging.getLogger(__name__)

INSTALL_HINT = (
    'Installeer pyannote.audio op deze machine (pip install "pyannote.audio>=3.3") en zet de pipeline '
    "lokaal neer (zie docs/diarization.md), of kies VG_DIARIZATION_BACKEND=resemblyzer."
)


def _clip_to_regions(turns: list[SpeakerTurn], regions: list[tuple[float, float]] | None) -> list[SpeakerTurn]:
    if regions is None:
        return turns
    clipped = []
    for t in turns:
        for a, b in regions:
            start, end = max(t.start, a), min(t.end, b)
            if end > start:
                clipped.append(SpeakerTurn(start=start, end=end, speaker=t.speaker))
    return sorted(clipped, key=lambda t: (t.start, t.speaker))


class PyannoteDiarizer:
    name = "pyannote"

    def __init__(self, pipeline, directory: Path) -> None:
        self._pipeline = pipeline
        self._directory = directory

    @classmethod
    def load(cls, directory: Path | None) -> PyannoteDiarizer:
        if directory is None:
            raise ModelError(
                "Voor diarisatie met pyannote is geen lokale pipeline-map ingesteld.",
                hint="Zet VG_PYANNOTE_PIPELINE_DIR op een map met config.yaml (zie docs/diarization.md).",
            )
        config = Path(directory).expanduser() / "config.yaml"
        if not config.is_file():
            raise ModelError(
                f"In de pyannote-map ontbreekt config.yaml ({Path(directory).name}).",
                hint="Zie docs/diarization.md voor hoe u de pipeline lokaal neerzet.",
            )
        try:
            from pyannote.audio import Pipeline
        except ImportError:
            raise ModelError("pyannote.audio is niet geïnstalleerd.", hint=INSTALL_HINT) from None
        try:
            pipeline = Pipeline.from_pretrained(config)
        except Exception as exc:  # pyannote raises many kinds; report one clear error
            raise ModelError(
                f"De pyannote-pipeline kon niet geladen worden ({exc.__class__.__name__}).",
                hint="Controleer dat alle modelpaden in config.yaml naar bestaande lokale bestanden wijzen.",
            ) from exc
        return cls(pipeline, config.parent)

    @property
    def model_ref(self) -> ModelRef:
        return ModelRef(backend=self.name, name=self._directory.name, path=str(self._directory))

    def diarize(self, audio: np.ndarray, request: DiarizationRequest) -> Diarization:
        import torch

        waveform = torch.from_numpy(as_mono_float32(audio)[None, :])
        kwargs = (
            {"num_speakers": request.num_speakers}
            if request.num_speakers
            else {"min_speakers": request.min_speakers, "max_speakers": request.max_speakers}
        )
        try:
            output = self._pipeline({"waveform": waveform, "sample_rate": SAMPLE_RATE}, **kwargs)
        except Exception as exc:
            raise DiarizationError(
                f"pyannote-diarisatie is mislukt ({exc.__class__.__name__}).",
                hint="Probeer VG_DIARIZATION_BACKEND=resemblyzer of controleer de pyannote-installatie.",
            ) from exc
        annotation = getattr(output, "speaker_diarization", output)  # pyannote 4 wraps the annotation
        turns = [
            SpeakerTurn(start=float(seg.start), end=float(seg.end), speaker=str(label))
            for seg, _, label in annotation.itertracks(yield_label=True)
        ]
        turns = _clip_to_regions(turns, request.speech_regions)
        return Diarization(
            turns=turns,
            num_speakers=len({t.speaker for t in turns}),
            estimated=request.num_speakers is None,
            model=self.model_ref,
        )
