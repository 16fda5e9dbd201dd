"""The de-identification stage: Transcript + CASE -> PseudonymisedTranscript (+ mapping)."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field

from pipeline.case import CaseMetadata
from pipeline.deid.case_people import role_placeholder
from pipeline.deid.engine import DeidEngine
from pipeline.deid.options import DeidOptions
from pipeline.deid.pseudonymise import PlaceholderBook, replace_spans
from pipeline.transcript import DetectedEntity, PseudonymisedSegment, PseudonymisedTranscript, Transcript

logger = logging.getLogger(__name__)

_GENERIC_SPEAKER = re.compile(r"(?i)^(spreker|speaker|spk)[_ -]?\d+$")


@dataclass
class DeidResult:
    pseudonymised: PseudonymisedTranscript
    mapping: dict[str, str] = field(repr=False)
    """placeholder -> original. Only ever written encrypted (see :mod:`pipeline.deid.vault`)."""
    seconds: float = 0.0


@dataclass
class TextDeidResult:
    text: str
    entities: list[DetectedEntity]
    mapping: dict[str, str] = field(repr=False)


def deidentify_text(text: str, case: CaseMetadata, engine: DeidEngine, options: DeidOptions | None = None) -> TextDeidResult:
    people, organisations = engine.case_entities(case)
    book = PlaceholderBook(people, organisations)
    spans = engine.analyze(text, case, people, organisations)
    out, placeholders = replace_spans(text, spans, book)
    entities = [DetectedEntity(start=s.start, end=s.end, type=s.type, score=s.score, recognizer=s.recognizer,
                               evidence=list(s.evidence), placeholder=p)
                for s, p in zip(spans, placeholders)]
    return TextDeidResult(out, entities, dict(book.mapping))


def _speaker(segment, transcript: Transcript, case: CaseMetadata, engine: DeidEngine, book: PlaceholderBook, people, organisations) -> str | None:
    role = segment.role or (transcript.speakers.get(segment.speaker) if segment.speaker else None)
    placeholder = role_placeholder(role, case)
    if placeholder:
        return placeholder
    label = segment.speaker
    if label is None or _GENERIC_SPEAKER.match(label):
        return label
    spans = engine.analyze(label, case, people, organisations)  # an imported label may be a name ("Sandra")
    return replace_spans(label, spans, book)[0] if spans else label


def deidentify(transcript: Transcript, case: CaseMetadata, engine: DeidEngine, options: DeidOptions | None = None) -> DeidResult:
    t0 = time.perf_counter()
    options = options or engine.options
    people, organisations = engine.case_entities(case)
    book = PlaceholderBook(people, organisations)
    segments, entities = [], []
    all_spans = engine.analyze_all([seg.text for seg in transcript.segments], case, people, organisations)
    for seg, spans in zip(transcript.segments, all_spans):
        text, placeholders = replace_spans(seg.text, spans, book)
        entities.extend(
            DetectedEntity(segment_id=seg.id, start=s.start, end=s.end, type=s.type, score=s.score,
                           recognizer=s.recognizer, evidence=list(s.evidence), placeholder=p)
            for s, p in zip(spans, placeholders)
        )
        segments.append(PseudonymisedSegment(id=seg.id, start=seg.start, end=seg.end, role=seg.role, text=text,
                                             speaker=_speaker(seg, transcript, case, engine, book, people, organisations)))
    used = sorted({e.placeholder for e in entities} | {s.speaker for s in segments if s.speaker and s.speaker.startswith("[")})
    pseudo = PseudonymisedTranscript(
        language=transcript.language, duration=transcript.duration, segments=segments, entities=entities,
        placeholders=used, options=options.model_dump(mode="json"), recognizers=list(engine.recognizer_names),
    )
    seconds = time.perf_counter() - t0
    logger.info("De-identificatie: %d segmenten, %d vervangingen in %.2f s", len(segments), len(entities), seconds)
    return DeidResult(pseudo, dict(book.mapping), seconds)
