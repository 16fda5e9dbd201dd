"""Training data for the Dutch NER model: the Europeana Newspapers Dutch corpus (CC0), split and
augmented deterministically.

The corpus (``models/ner/corpus/enp_NL.kb.bio.gz``) is one token per line with a BIO label and no
sentence or document boundaries; punctuation is glued to the words ("Dekker,"). We cut it into
sentences, then into blocks of 10 consecutive sentences: block ``i % 10 == 0`` is the held-out
test part (the public benchmark, written to ``eval/data/ner/enp_nl_test.conll``), ``i % 10 == 5``
the development part (spaCy's evaluation during training), the rest is training data.

Training sentences are augmented (seeded, so the same files come out every time):
- *spoken*: lower case and without punctuation, as a transcript without casing would read;
- *entity swap*: every sentence with a name gets a copy (40%: two) with persons replaced by
  modern Dutch names and places by Dutch place names (the lists Deduce ships, LGPL-3.0), so the
  model does not learn only 19th-century names;
- *ASR splits*: spoken variants cut into short fragments (4-12 words) at random word boundaries,
  never inside an entity, as a speech recogniser segments speech.
"""

from __future__ import annotations

import gzip
import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "models" / "ner" / "corpus" / "enp_NL.kb.bio.gz"
BENCHMARK = ROOT / "eval" / "data" / "ner" / "enp_nl_test.conll"
LABELS = ("PER", "LOC", "ORG")
_END = re.compile(r"[.?!]['\"»]*$")
_ABBREV = re.compile(r"^(?:[A-Z]|[A-Z][a-z]{0,2}|St|Mr|Dr|Mej|Mevr|Jhr|Gebr|Wed)\.$")
_PUNCT = re.compile(r"^[^\w]+$")
WINDOW = 5000
MIN_ENTITY_TOKENS = 20
_STRIP = re.compile(r"^([^\w]*)(.*?)([^\w]*)$", re.DOTALL)


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[str, ...]
    labels: tuple[str, ...]
    """BIO labels (``O``, ``B-PER``, ``I-LOC`` ...)."""


def read_corpus(path: Path = CORPUS) -> list[Sentence]:
    """Sentences cut at tokens ending in . ? ! (not after initials and short abbreviations),
    at most 60 tokens each."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [parts for line in fh if len(parts := line.strip().rsplit(" ", 1)) == 2 and parts[0]]
    # Some stretches of the corpus were never annotated (5,000-token windows with almost no
    # entities, e.g. tokens 70,000-85,000): training on them would teach that names are "O".
    dense = [sum(r[1] != "O" for r in rows[i : i + WINDOW]) >= MIN_ENTITY_TOKENS for i in range(0, len(rows), WINDOW)]
    sentences: list[Sentence] = []
    tokens: list[str] = []
    labels: list[str] = []
    for n, (token, label) in enumerate(rows):
        if not dense[n // WINDOW]:
            tokens, labels = [], []
            continue
        tokens.append(token)
        labels.append(label)
        ends = _END.search(token) and not _ABBREV.match(token) and len(tokens) >= 3
        if ends or len(tokens) >= 60:
            sentences.append(Sentence(tuple(tokens), tuple(labels)))
            tokens, labels = [], []
    if tokens:
        sentences.append(Sentence(tuple(tokens), tuple(labels)))
    return sentences


def split(sentences: list[Sentence]) -> dict[str, list[Sentence]]:
    parts: dict[str, list[Sentence]] = {"train": [], "dev": [], "test": []}
    for i in range(0, len(sentences), 10):
        block = (i // 10) % 10
        part = "test" if block == 0 else "dev" if block == 5 else "train"
        parts[part].extend(sentences[i : i + 10])
    return parts


def entity_spans(labels: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Token spans ``(start, end, label)`` of the BIO labels (an ``I-`` without ``B-`` opens one)."""
    spans: list[tuple[int, int, str]] = []
    for i, label in enumerate(labels):
        if label == "O":
            continue
        kind, _, ent = label.partition("-")
        if kind == "B" or not spans or spans[-1][1] != i or spans[-1][2] != ent:
            spans.append((i, i + 1, ent))
        else:
            spans[-1] = (spans[-1][0], i + 1, ent)
    return spans


def to_text(sentence: Sentence) -> tuple[str, list[tuple[int, int, str]]]:
    """The sentence as text (tokens joined by spaces) with character spans of its entities,
    punctuation glued to a name left outside the span."""
    offsets = []
    pos = 0
    for tok in sentence.tokens:
        offsets.append(pos)
        pos += len(tok) + 1
    text = " ".join(sentence.tokens)
    spans = []
    for s, e, label in entity_spans(sentence.labels):
        if label not in LABELS:
            continue
        first = _STRIP.match(sentence.tokens[s])
        last = _STRIP.match(sentence.tokens[e - 1])
        start = offsets[s] + len(first.group(1))
        end = offsets[e - 1] + len(last.group(1)) + len(last.group(2))
        if end > start:
            spans.append((start, end, label))
    return text, spans


def write_conll(sentences: list[Sentence], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for s in sentences:
        lines.extend(f"{t} {label}" for t, label in zip(s.tokens, s.labels))
        lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_conll(path: Path) -> list[Sentence]:
    """Read a ``token label`` file with blank lines between sentences (our benchmark, CoNLL-2002
    with its POS column: the last column is the label)."""
    out: list[Sentence] = []
    tokens: list[str] = []
    labels: list[str] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            if tokens:
                out.append(Sentence(tuple(tokens), tuple(labels)))
            tokens, labels = [], []
            continue
        tokens.append(parts[0])
        labels.append(parts[-1])
    if tokens:
        out.append(Sentence(tuple(tokens), tuple(labels)))
    return out


# --- augmentation --------------------------------------------------------------------------


def _word_list(directory: Path) -> list[str]:
    items = directory / "items.txt"
    if not items.is_file():
        return []
    return sorted({w.strip() for w in items.read_text(encoding="utf-8").splitlines() if w.strip() and w.strip().isalpha()})


def name_lists() -> tuple[list[str], list[str], list[str]]:
    """First names, surnames and place names from Deduce's lookup lists."""
    from importlib.util import find_spec

    spec = find_spec("deduce")
    if spec is None or spec.origin is None:
        return [], [], []
    src = Path(spec.origin).parent / "data" / "lookup" / "src"
    places = _word_list(src / "locations" / "lst_placename" / "lst_residence")
    return _word_list(src / "names" / "lst_first_name"), _word_list(src / "names" / "lst_surname"), places


def _person(rng: random.Random, first: list[str], last: list[str]) -> list[str]:
    shape = rng.random()
    if shape < 0.3:
        return [rng.choice(first)]
    if shape < 0.45:
        return [rng.choice(first)[0] + ".", rng.choice(last)]
    if shape < 0.6:
        return [rng.choice(first), rng.choice(["van", "de", "van der", "van den", "de la"]), rng.choice(last)]
    if shape < 0.7:
        return [rng.choice(last)]
    return [rng.choice(first), rng.choice(last)]


def swap_entities(s: Sentence, rng: random.Random, first: list[str], last: list[str], places: list[str]) -> Sentence:
    tokens: list[str] = []
    labels: list[str] = []
    spans = {start: (end, label) for start, end, label in entity_spans(s.labels)}
    i = 0
    while i < len(s.tokens):
        if i in spans and spans[i][1] in ("PER", "LOC") and first and places:
            end, label = spans[i]
            words = " ".join(_person(rng, first, last)).split() if label == "PER" else rng.choice(places).split()
            trail = _STRIP.match(s.tokens[end - 1]).group(3)
            words[-1] += trail
            tokens.extend(words)
            labels.extend([f"B-{label}"] + [f"I-{label}"] * (len(words) - 1))
            i = end
            continue
        tokens.append(s.tokens[i])
        labels.append(s.labels[i])
        i += 1
    return Sentence(tuple(tokens), tuple(labels))


def spoken(s: Sentence) -> Sentence:
    """Lower case, punctuation removed (tokens that are only punctuation dropped)."""
    tokens, labels = [], []
    for tok, label in zip(s.tokens, s.labels):
        core = _STRIP.match(tok).group(2).lower()
        if not core or _PUNCT.match(tok):
            if label.startswith("B-") and labels and False:
                pass
            continue
        tokens.append(core)
        labels.append(label)
    return Sentence(tuple(tokens), tuple(labels))


def asr_fragments(s: Sentence, rng: random.Random) -> list[Sentence]:
    """Cut into 4-12 word fragments at boundaries outside entities."""
    out: list[Sentence] = []
    start = 0
    while start < len(s.tokens):
        end = min(len(s.tokens), start + rng.randint(4, 12))
        while end < len(s.tokens) and s.labels[end].startswith("I-"):
            end += 1
        out.append(Sentence(s.tokens[start:end], s.labels[start:end]))
        start = end
    return out


def augment(train: list[Sentence], seed: int = 13) -> list[Sentence]:
    rng = random.Random(seed)
    first, last, places = name_lists()
    out: list[Sentence] = []
    for s in train:
        out.append(s)
        has_entity = any(label != "O" for label in s.labels)
        if has_entity:
            # every sentence with a name also with modern names (twice for 40%), so the context
            # of a name weighs more than the 19th-century names themselves
            swapped = swap_entities(s, rng, first, last, places)
            out.append(swapped)
            if rng.random() < 0.4:
                out.append(swap_entities(s, rng, first, last, places))
            s = swapped if rng.random() < 0.5 else s
        if rng.random() < (0.5 if has_entity else 0.15):
            variant = spoken(s)
            out.extend(asr_fragments(variant, rng) if rng.random() < 0.5 else [variant])
    return out
