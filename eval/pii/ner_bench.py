"""Public benchmark for names in running Dutch text: ``python -m eval.pii.ner_bench``.

Sets (CoNLL-style ``token ... label`` files, BIO labels PER/LOC/ORG, blank line between sentences):
- ``enp``: the held-out 10% of the Europeana Newspapers Dutch corpus (CC0), committed in
  ``eval/data/ner/enp_nl_test.conll``; never trained or tuned on (see ``scripts/ner_data.py``);
- ``conll-testa`` / ``conll-testb``: CoNLL-2002 Dutch, research-only, *never* in the repository:
  give the local directory with ``--conll`` (e.g. unpacked from nltk_data's ``conll2002.zip``).
  testa is development data; testb is reported only.

Sentences are joined with spaces (as tokenised) into chunks of :data:`DOC_SENTENCES` sentences,
analysed by the full de-identification engine with the recognizer sets of :data:`ABLATION`. The
chunks of one article (CoNLL's ``-DOCSTART-``) are analysed together, as the turns of one
transcript are (a name found in one chunk is also redacted where it recurs in another); a file
without article marks (the Europeana part) has each chunk on its own. A gold name counts as **caught** when at least 60% of its characters lie
inside detected spans of any type (what matters for privacy: it does not reach the LLM), and as
**typed** when, in addition, a span of the right type (PER->PERSOON, LOC->LOCATIE,
ORG->INSTELLING) overlaps it. **Precision** per type: the share of detected spans of that type
that overlap a gold name of any type; ``name-P``: the share of all name-type spans
(PERSOON/LOCATIE/INSTELLING) that overlap a gold name. Gold has names only, so spans of other
types (dates, ages) are left out of precision. ``O kept``: the share of alphabetic words outside
every annotated name (label ``O``; MISC names such as "Belgische" excluded) that no span touches -
what the issue calls precision on non-PII words.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.case import CaseMetadata
from pipeline.deid import DeidOptions, build_engine

DATA = Path(__file__).resolve().parents[1] / "data" / "ner"
ENP_TEST = DATA / "enp_nl_test.conll"
TYPE_OF = {"PER": "PERSOON", "LOC": "LOCATIE", "ORG": "INSTELLING"}
NAME_TYPES = set(TYPE_OF.values())
DOC_SENTENCES = 20
#: Recognizers that find names (the rest find structured identifiers and stay on in every row).
NAME_SOURCES = {"deduce", "ner", "case_names", "name_lists", "unknown_capitalised", "name_context", "initials", "name_spread", "places", "institutions"}
ABLATION = {  # name sources per row; structured-identifier patterns are on in every row
    "deduce": "Deduce alone",
    "rules": "+ lists and rules (all but NER)",
    "full": "+ NER (default configuration)",
    "ner": "NER alone",
}


@dataclass
class Doc:
    text: str
    gold: list[tuple[int, int, str]]
    words: int
    article: int = 0
    """Chunks with the same number are analysed together (one transcript)."""
    plain: list[tuple[int, int]] = field(default_factory=list)
    """Word tokens outside any annotated name (label ``O``: not PER/LOC/ORG/MISC, no digits)."""


@dataclass
class Counts:
    gold: dict[str, int] = field(default_factory=dict)
    caught: dict[str, int] = field(default_factory=dict)
    typed: dict[str, int] = field(default_factory=dict)
    predicted: dict[str, int] = field(default_factory=dict)
    predicted_ok: dict[str, int] = field(default_factory=dict)
    words: int = 0
    seconds: float = 0.0
    plain: int = 0
    plain_redacted: int = 0

    def add(self, d: dict[str, int], key: str, n: int = 1) -> None:
        d[key] = d.get(key, 0) + n

    def recall(self, label: str) -> float:
        return self.caught.get(label, 0) / max(1, self.gold.get(label, 0))

    def typed_recall(self, label: str) -> float:
        return self.typed.get(label, 0) / max(1, self.gold.get(label, 0))

    def precision(self, entity_type: str) -> float:
        return self.predicted_ok.get(entity_type, 0) / max(1, self.predicted.get(entity_type, 0))


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    return [sentence for article in read_articles(path) for sentence in article]


def read_articles(path: Path) -> list[list[tuple[list[str], list[str]]]]:
    """The sentences of each article (split at ``-DOCSTART-``; a file without it is one article)."""
    articles: list[list[tuple[list[str], list[str]]]] = [[]]
    sentences = articles[0]
    tokens: list[str] = []
    labels: list[str] = []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # the CoNLL-2002 distribution is Latin-1
        text = raw.decode("latin-1")
    for line in text.splitlines() + [""]:
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            if tokens:
                sentences.append((tokens, labels))
            tokens, labels = [], []
            if parts and sentences:
                sentences = []
                articles.append(sentences)
            continue
        tokens.append(parts[0])
        labels.append(parts[-1])
    return [article for article in articles if article]


def article_docs(articles: list[list[tuple[list[str], list[str]]]], limit: int = 0) -> list[Doc]:
    """Chunks of every article, numbered by article; with a single article every chunk is its own."""
    docs: list[Doc] = []
    left = limit or sum(len(a) for a in articles)
    for number, article in enumerate(articles):
        chunk = to_docs(article[:left])
        left -= min(left, len(article))
        for i, doc in enumerate(chunk):
            doc.article = number if len(articles) > 1 else i
        docs.extend(chunk)
    return docs


def _strip(text: str, start: int, end: int, label: str) -> tuple[int, int, str] | None:
    """Gold spans without the punctuation the newspaper corpus glues to words ("Zwolle,")."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return (start, end, label) if end > start else None


def to_docs(sentences: list[tuple[list[str], list[str]]], per_doc: int = DOC_SENTENCES) -> list[Doc]:
    """Documents of ``per_doc`` sentences, one sentence per line, tokens joined by spaces."""
    docs = []
    for i in range(0, len(sentences), per_doc):
        lines, gold, plain, pos, words = [], [], [], 0, 0
        for tokens, labels in sentences[i : i + per_doc]:
            open_span: list | None = None
            for tok, label in zip(tokens, labels):
                start = pos
                pos += len(tok) + 1  # the space (or the line end) after the token
                kind, _, ent = label.partition("-")
                if label == "O" and tok.isalpha():
                    plain.append((start, start + len(tok)))
                if label == "O" or ent not in TYPE_OF:
                    open_span = None
                elif kind == "B" or open_span is None or open_span[2] != ent:
                    open_span = [start, start + len(tok), ent]
                    gold.append(open_span)
                else:
                    open_span[1] = start + len(tok)
            lines.append(" ".join(tokens))
            words += len(tokens)
        text = "\n".join(lines)
        docs.append(Doc(text, [g for g in (_strip(text, s, e, t) for s, e, t in gold) if g], words, plain=plain))
    return docs


def options_for(config: str, base: DeidOptions | None = None) -> DeidOptions:
    from pipeline.deid.config import load_config

    base = base or DeidOptions()
    names = load_config(base.config_path).recognizers
    patterns = [n for n in names if n not in NAME_SOURCES]  # structured identifiers: always on
    chosen = {"deduce": ["deduce", *patterns], "rules": [n for n in names if n != "ner"], "full": list(names),
              "ner": ["ner", *patterns]}[config]
    return base.model_copy(update={"recognizers": chosen})


def evaluate(docs: list[Doc], engine, case: CaseMetadata | None = None) -> Counts:
    case = case or CaseMetadata()
    counts = Counts()
    t0 = time.perf_counter()
    analysed: dict[int, list] = {}
    for article in dict.fromkeys(doc.article for doc in docs):
        group = [doc for doc in docs if doc.article == article]
        for doc, spans in zip(group, engine.analyze_all([doc.text for doc in group], case)):
            analysed[id(doc)] = spans
    for doc in docs:
        spans = analysed[id(doc)]
        counts.words += doc.words
        covered = bytearray(len(doc.text))
        for s in spans:
            covered[s.start : s.end] = b"\x01" * (s.end - s.start)
        counts.plain += len(doc.plain)
        counts.plain_redacted += sum(1 for start, end in doc.plain if any(covered[start:end]))
        for start, end, label in doc.gold:
            counts.add(counts.gold, label)
            if sum(covered[start:end]) >= 0.6 * (end - start):
                counts.add(counts.caught, label)
                if any(s.type == TYPE_OF[label] and s.start < end and start < s.end for s in spans):
                    counts.add(counts.typed, label)
        for s in spans:
            if s.type not in NAME_TYPES:
                continue
            counts.add(counts.predicted, s.type)
            if any(s.start < end and start < s.end for start, end, _ in doc.gold):
                counts.add(counts.predicted_ok, s.type)
    counts.seconds = time.perf_counter() - t0
    return counts


def format_counts(label: str, c: Counts) -> str:
    parts = [f"{label:<34}"]
    for lab in ("PER", "LOC", "ORG"):
        parts.append(f"{c.recall(lab):>6.3f}{c.typed_recall(lab):>6.3f}{c.precision(TYPE_OF[lab]):>6.3f}")
    total_pred = sum(c.predicted.values())
    name_p = sum(c.predicted_ok.values()) / max(1, total_pred)
    kept = 1 - c.plain_redacted / max(1, c.plain)
    parts.append(f"{name_p:>7.3f}{kept:>8.4f}{c.words / max(c.seconds, 1e-9):>9.0f}")
    return "".join(parts)


HEADER = (f"{'configuration':<34}" + "".join(f"{lab + ' R':>6}{'typ':>6}{'P':>6}" for lab in ("PER", "LOC", "ORG"))
          + f"{'name-P':>7}{'O kept':>8}{'words/s':>9}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=["enp", "conll-testa", "conll-testb"], default="enp")
    ap.add_argument("--conll", type=Path, help="local CoNLL-2002 directory with ned.testa / ned.testb")
    ap.add_argument("--configs", default="deduce,rules,full,ner", help="comma-separated: " + ", ".join(ABLATION))
    ap.add_argument("--limit", type=int, default=0, help="only the first N sentences")
    args = ap.parse_args(argv)
    if args.set == "enp":
        path = ENP_TEST
    else:
        if args.conll is None:
            ap.error("--conll DIR is required for the CoNLL-2002 sets (never commit them)")
        path = args.conll / ("ned.testa" if args.set == "conll-testa" else "ned.testb")
    articles = read_articles(path)
    docs = article_docs(articles, args.limit)
    gold = sum(len(d.gold) for d in docs)
    sentences = sum(d.text.count("\n") + 1 for d in docs)
    print(f"{path.name}: {sentences} sentences in {len({d.article for d in docs})} documents, "
          f"{sum(d.words for d in docs)} words, {gold} names")
    print("R = caught (>= 60% of characters redacted, any type); typ = caught with the right type; "
          "P = precision of spans of that type; O kept = share of words outside every annotated name left in the text")
    print(HEADER)
    for config in args.configs.split(","):
        engine = build_engine(options_for(config))
        print(format_counts(ABLATION[config], evaluate(docs, engine)), flush=True)


if __name__ == "__main__":
    main()
