"""The analyzer: Presidio's AnalyzerEngine on a blank Dutch spaCy pipeline, our recognizers,
Deduce, the allow-list and overlap resolution. Built once (:func:`build_engine`), offline."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from collections.abc import Iterable
from typing import Any, NamedTuple

from pipeline.case import CaseMetadata
from pipeline.deid.case_people import CaseOrganisation, CasePerson, case_organisations, case_people
from pipeline.deid.config import DeidConfig, load_config
from pipeline.deid.decide import Proposal, decide
from pipeline.deid.lexicon import Lexicon, load_lexicon
from pipeline.deid.name_spread import PROPAGATION, continue_names, name_words, propagate_names
from pipeline.deid.normalise import normalise_text
from pipeline.deid.options import DeidOptions
from pipeline.deid.words import word_tokens
from pipeline.deid.recognizers.case_names import CASE_PERSON_KEY, CaseNameRecognizer, CaseOrganisationRecognizer
from pipeline.deid.registry import ENTITY_TYPES, KNOWN, build_static
from core.errors import DeidentificationError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Span:
    """A detection after allow-list and overlap resolution. Offsets into the analysed text."""

    start: int
    end: int
    type: str
    score: float
    recognizer: str
    case_placeholder: str | None = None
    evidence: tuple[str, ...] = ()
    """Every recognizer that proposed (part of) this span, as ``name:TYPE:score``."""


def _blank_dutch_nlp():
    """spaCy ``nl`` without any model (nothing to download), with lemma = lower-cased text so
    Presidio's context enhancer can compare Dutch context words."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("vg_lower_lemma"):
        @Language.component("vg_lower_lemma")
        def _lower_lemma(doc):
            for token in doc:
                token.lemma_ = token.lower_
            return doc

    nlp = spacy.blank("nl")
    nlp.add_pipe("vg_lower_lemma")
    return nlp


def load_deduce(options: DeidOptions | None = None) -> Any:
    """Load Deduce (first use builds lookup structures, ~80 s; cached afterwards).

    Deduce calls ``logging.basicConfig(DEBUG, stdout)`` at import; we undo that so the host
    application keeps control of logging (and nothing is printed to stdout).
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import deduce
    except ImportError:
        raise DeidentificationError(
            "Deduce is niet geïnstalleerd.",
            hint="Voer 'make setup' uit (installeert deduce volgens requirements/lock.txt).",
        ) from None
    finally:
        for h in list(root.handlers):
            if h not in handlers:
                root.removeHandler(h)
        root.setLevel(level)
    kwargs = {}
    if options is not None and options.deduce_cache_dir is not None:
        options.deduce_cache_dir.mkdir(parents=True, exist_ok=True)
        kwargs["cache_path"] = options.deduce_cache_dir
    for name in ("deduce", "docdeid"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return deduce.Deduce(**kwargs)


def warm_up(options: DeidOptions | None = None) -> None:
    """Build Deduce's lookup structures now (``vg models warmup``), not on the first transcript."""
    load_deduce(options)


class AllowPhrase(NamedTuple):
    """An allow-listed phrase: its pattern (whole words) and the literal text that must occur first."""

    pattern: re.Pattern[str]
    needle: str
    case_sensitive: bool

    @classmethod
    def of(cls, phrase: str, case_sensitive: bool) -> AllowPhrase:
        pattern = re.compile(r"(?<![\w@])" + re.escape(phrase) + r"(?![\w])", 0 if case_sensitive else re.IGNORECASE)
        return cls(pattern, phrase if case_sensitive else phrase.lower(), case_sensitive)


@dataclass
class DeidEngine:
    analyzer: Any
    """presidio_analyzer.AnalyzerEngine with the case-independent recognizers."""
    config: DeidConfig
    options: DeidOptions
    lexicon: Lexicon
    recognizer_names: list[str]
    deduce_recognizer: Any | None = None
    allow_phrases: list[AllowPhrase] = field(default_factory=list)
    _case_recognizers: tuple[list[CasePerson], list[CaseOrganisation], list[Any]] | None = field(default=None, repr=False)

    def is_allowed(self, phrase: str) -> bool:
        """Whether an organisation name is kept: it is, or starts with, an allow-listed name
        ("Wijkteam 's-Hertogenbosch" starts with "wijkteam")."""
        return any(m.start() == 0 for a in self.allow_phrases for m in [a.pattern.match(phrase.strip())] if m)

    def case_entities(self, case: CaseMetadata) -> tuple[list[CasePerson], list[CaseOrganisation]]:
        """The CASE people and the CASE organisations that are not allow-listed."""
        return case_people(case), case_organisations(case, self.is_allowed)

    def case_recognizers(self, people: list[CasePerson], organisations: list[CaseOrganisation]) -> list[Any]:
        """Run outside Presidio's analyze: its de-duplication drops one of two equal-scored
        results on the same span, which would lose the role placeholder. Built once per case (the
        same lists for every turn of a transcript), so their per-word caches last the transcript."""
        cached = self._case_recognizers
        if cached is not None and cached[0] is people and cached[1] is organisations:
            return cached[2]
        extra: list[Any] = []
        if "case_names" in self.recognizer_names and people:
            extra.append(CaseNameRecognizer(people, self.lexicon, fuzzy=self.options.fuzzy_case_names))
        if "case_names" in self.recognizer_names and organisations:
            extra.append(CaseOrganisationRecognizer(organisations))
        self._case_recognizers = (people, organisations, extra)  # holds the lists: their ids stay theirs
        return extra

    def deduce_for(self, people: list[CasePerson]) -> list[Any]:
        if self.deduce_recognizer is None:
            return []
        patient = None
        inwoner = next((p for p in people if p.placeholder == "[INWONER]"), None)
        if inwoner is not None:
            from deduce.person import Person

            patient = Person(first_names=list(inwoner.first_names) or None, surname=" ".join(inwoner.surname) or None)
        return [self.deduce_recognizer.with_patient(patient)]

    def allowed_ranges(self, text: str) -> list[tuple[int, int]]:
        """Every match of every allow-listed phrase. A phrase's regex runs only when the phrase occurs
        in the text as a substring (lower-cased for the case-insensitive ones): the same matches in a
        tenth of the time with a few hundred phrases."""
        lowered = text.lower()
        return [(m.start(), m.end()) for a in self.allow_phrases
                if a.needle in (text if a.case_sensitive else lowered) for m in a.pattern.finditer(text)]

    def prepare(self, texts: Iterable[str]) -> None:
        """Let recognizers that batch (the statistical NER) process all texts of a transcript at once;
        :meth:`analyze` gives the same spans with or without this."""
        batching = [r for r in self.analyzer.registry.recognizers if hasattr(r, "prepare")]
        if batching:
            normalised = [normalise_text(text).text for text in texts]
            for recognizer in batching:
                recognizer.prepare(normalised)

    def analyze(self, text: str, case: CaseMetadata, people: list[CasePerson] | None = None,
                organisations: list[CaseOrganisation] | None = None) -> list[Span]:
        """Spans in ``text`` (offsets into ``text`` itself). The recognizers see the normalised
        text (:mod:`pipeline.deid.normalise`: no invisible characters, NFKC), and the spans are
        mapped back so they cover the hidden characters too."""
        return self.spread_names([text], [self._analyze_one(text, case, people, organisations)])[0]

    def _analyze_one(self, text: str, case: CaseMetadata, people: list[CasePerson] | None,
                     organisations: list[CaseOrganisation] | None) -> list[Span]:
        norm = normalise_text(text)
        spans = self._analyze_normalised(norm.text, case, people, organisations)
        if not norm.changed:
            return spans
        return [replace(s, start=a, end=b) for s in spans for a, b in [norm.to_original(s.start, s.end)]]

    def _analyze_normalised(self, text: str, case: CaseMetadata, people: list[CasePerson] | None,
                            organisations: list[CaseOrganisation] | None) -> list[Span]:
        if not text.strip():
            return []
        if people is None or organisations is None:
            default_people, default_orgs = self.case_entities(case)
            people = default_people if people is None else people
            organisations = default_orgs if organisations is None else organisations
        threshold = self.options.score_threshold if self.options.score_threshold is not None else self.config.score_threshold
        supported = set(self.analyzer.get_supported_entities(self.config.language))
        raw = self.analyzer.analyze(
            text=text,
            language=self.config.language,
            entities=[e for e in ENTITY_TYPES if e in supported],
            score_threshold=threshold,
            regex_flags=re.DOTALL | re.MULTILINE,
        )
        # Deduce and the CASE recognizers run outside Presidio's analyze: its de-duplication keeps
        # one of two equal-scored results on the same span, which one varying from call to call
        # (the evidence and the named recognizer then changed between runs) and losing the other
        for recognizer in [*self.deduce_for(people), *self.case_recognizers(people, organisations)]:
            raw.extend(r for r in recognizer.analyze(text, recognizer.supported_entities) if r.score >= threshold)
        return resolve(text, raw, self.allowed_ranges(text), threshold, self.lexicon)

    def spread_names(self, texts: list[str], spans_per_text: list[list[Span]]) -> list[list[Span]]:
        """Person names continued to touching capitalised words and followed to their other
        occurrences in ``texts`` (:mod:`pipeline.deid.name_spread`), when ``name_spread`` is on."""
        if "name_spread" not in self.recognizer_names:
            return spans_per_text
        grown = [continue_names(text, spans, self.lexicon) for text, spans in zip(texts, spans_per_text)]
        words = name_words(texts, grown, self.lexicon)
        return [propagate_names(text, spans, words, self.lexicon, _propagated) for text, spans in zip(texts, grown)]

    def analyze_all(self, texts: list[str], case: CaseMetadata, people: list[CasePerson] | None = None,
                    organisations: list[CaseOrganisation] | None = None) -> list[list[Span]]:
        """:meth:`analyze` for every turn of one transcript; a person name found in one turn is also
        redacted where it recurs in another."""
        self.prepare(texts)
        try:
            return self.spread_names(texts, [self._analyze_one(text, case, people, organisations) for text in texts])
        finally:
            word_tokens.cache_clear()  # the transcript's words do not outlive its analysis


def _propagated(start: int, end: int, score: float, evidence: tuple[str, ...]) -> Span:
    return Span(start, end, "PERSOON", score, PROPAGATION, None, evidence)


_WHOLE = frozenset({"EMAIL", "URL"})


def _subtract(start: int, end: int, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces = [(start, end)]
    for a, b in ranges:
        nxt = []
        for s, e in pieces:
            if b <= s or a >= e:
                nxt.append((s, e))
                continue
            if s < a:
                nxt.append((s, a))
            if b < e:
                nxt.append((b, e))
        pieces = nxt
    return pieces


_TRIM = re.compile(r"^[\s.,;:!?'\"()-]+|[\s.,;:!?\"()-]+$")
_TITLES = {"meneer", "mevrouw", "mevr", "mw", "dhr", "dokter", "dr", "juf", "meester", "mail"}
_FUNCTION_WORDS = {"van", "de", "der", "den", "het", "bij", "en", "in", "op", "naar", "met"}


_ARTICLE_PREFIX = re.compile(r"(?i)(?<![\w'])['’](?:s|t)[- ]$")


def _trim(text: str, s: int, e: int) -> tuple[int, int] | None:
    piece = text[s:e]
    m = re.match(r"^[\s.,;:!?'\"()-]*", piece)
    s += m.end() if m else 0
    # "'s-Hertogenbosch", "'t Zandt": keep the article with the name
    if s > 0 and text[s - 1] in "'’" and re.match(r"(?i)[st][- ]", text[s : s + 2]):
        s -= 1
    else:
        prefix = _ARTICLE_PREFIX.search(text, 0, s)
        if prefix is not None and s < e:
            s = prefix.start()
    piece = text[s:e]
    e = s + len(piece.rstrip(" \t\n.,;:!?\"()-"))
    words = text[s:e].split()
    while len(words) > 1 and words[-1].lower() in _FUNCTION_WORDS:  # "Linda van het" (UWV allowed)
        e = s + text[s:e].rstrip().rfind(" ")
        e = s + len(text[s:e].rstrip())
        words = text[s:e].split()
    if not words or all(w.lower() in _FUNCTION_WORDS for w in words) or not re.search(r"\w", text[s:e]):
        return None
    return s, e


def resolve(text: str, results: list[Any], allowed: list[tuple[int, int]], threshold: float = 0.0,
            lexicon: Lexicon | None = None) -> list[Span]:
    """Allow-list subtraction and trimming, then one span per cluster of overlapping detections:
    the union of the cluster (so no part of a detection leaks), typed and kept by the decision
    rule in :mod:`pipeline.deid.decide`."""
    candidates: list[Proposal] = []
    for r in results:
        meta = r.recognition_metadata or {}
        name = meta.get("recognizer_name", "?")
        # the allow-list keeps names ("Facebook", "Gmail") but never makes a hole in an address on
        # the internet ("https://www.facebook.com/sandra.dewit", "sandra at gmail punt com")
        for s, e in ([(r.start, r.end)] if r.entity_type in _WHOLE else _subtract(r.start, r.end, allowed)):
            trimmed = _trim(text, s, e)
            if trimmed is None:
                continue
            candidates.append(Proposal(trimmed[0], trimmed[1], r.entity_type, round(r.score, 3), name, meta.get(CASE_PERSON_KEY)))
    # a total order: Presidio returns equal detections in an order that varies between calls, and
    # ties in the decision rule go to the first, so without it the named recognizer could vary
    candidates.sort(key=lambda c: (c.start, -c.end, -c.score, c.type, c.recognizer, c.case_placeholder or ""))
    clusters: list[list[Proposal]] = []
    for c in candidates:
        if clusters and c.start < max(x.end for x in clusters[-1]):
            clusters[-1].append(c)
        else:
            clusters.append([c])
    spans = []
    for cluster in clusters:
        decision = decide(text, cluster, threshold, lexicon)
        if decision is None:
            continue
        start = min(c.start for c in cluster)
        end = max(c.end for c in cluster)
        words = text[start:end].split(" ")
        while len(words) > 1 and words[0].lower().rstrip(",") in _TITLES:  # "meneer Smeets" -> "Smeets"
            start += len(words.pop(0)) + 1
        spans.append(Span(start, end, decision.type, decision.score, decision.recognizer, decision.case_placeholder,
                          decision.evidence))
    return spans


def build_engine(options: DeidOptions | None = None) -> DeidEngine:
    """Presidio + Deduce + our recognizers, offline. Loads Deduce (seconds when warmed up)."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    from pipeline.deid.presidio_parts import IndexedLemmaContextEnhancer, OrderedRecognizerRegistry

    options = options or DeidOptions()
    config = load_config(options.config_path)
    names = options.recognizers if options.recognizers is not None else config.recognizers
    unknown = sorted(set(names) - KNOWN)
    if unknown:
        raise DeidentificationError(
            f"Onbekende recognizer(s) in de configuratie: {', '.join(unknown)}.",
            hint=f"Kies uit: {', '.join(sorted(KNOWN))}.",
        )
    lexicon = load_lexicon(options.hunspell_dic, use_name_lists="name_lists" in names or "name_context" in names)

    nlp_engine = SpacyNlpEngine(models=[{"lang_code": config.language, "model_name": "blank"}])
    nlp_engine.nlp = {config.language: _blank_dutch_nlp()}
    registry = OrderedRecognizerRegistry(supported_languages=[config.language])
    for recognizer in build_static(names, lexicon):
        extra = [w for e in recognizer.supported_entities for w in config.context.get(e, [])]
        if extra:
            recognizer.context = list(dict.fromkeys((recognizer.context or []) + extra))
        registry.add_recognizer(recognizer)
    analyzer = AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[config.language],
        context_aware_enhancer=IndexedLemmaContextEnhancer(context_prefix_count=4, context_suffix_count=0),
    )
    if "ner" in names:
        from pipeline.deid.recognizers.spacy_ner import SpacyNerRecognizer, load_spacy_ner

        registry.add_recognizer(SpacyNerRecognizer(load_spacy_ner(options.spacy_ner_model), config.language, lexicon.is_common,
                                                    lexicon.is_word))
    if options.ner_model is not None:
        from pipeline.deid.recognizers.ner_model import TransformersNerRecognizer, load_ner_pipeline

        registry.add_recognizer(TransformersNerRecognizer(load_ner_pipeline(options.ner_model), config.language))
        names = [*names, "ner_model"]
    deduce_recognizer = None
    if "deduce" in names:
        from pipeline.deid.recognizers.deduce_recognizer import DeduceRecognizer

        deduce_recognizer = DeduceRecognizer(load_deduce(options), supported_language=config.language)
    allow = [AllowPhrase.of(phrase, case_sensitive) for phrase, case_sensitive in config.allow_phrases(options.region)]
    logger.info("De-identificatie klaar: %d recognizers", len(names))
    return DeidEngine(analyzer, config, options, lexicon, list(names), deduce_recognizer, allow)
