"""The public NER benchmark in CI: the first 300 sentences of the held-out Europeana Dutch part
(CC0, never trained on), the full engine with and without the bundled NER. Full figures (all 960
sentences, CoNLL-2002) are in docs/deidentification.md."""

from __future__ import annotations

import pytest

from eval.pii.ner_bench import ENP_TEST, evaluate, options_for, read_conll, to_docs
from pipeline.deid import build_engine

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def docs():
    return to_docs(read_conll(ENP_TEST)[:300])


def test_benchmark_file_is_the_held_out_part(docs):
    assert sum(len(d.gold) for d in docs) >= 150
    assert all(d.text[s:e].strip() == d.text[s:e] and d.text[s:e] for d in docs for s, e, _ in d.gold)


def test_ner_adds_person_recall_on_unseen_text(docs):
    rules = evaluate(docs, build_engine(options_for("rules")))
    full = evaluate(docs, build_engine(options_for("full")))
    # measured on these sentences (48 persons): 2026-12-03 rules 0.333, + NER 0.500; 2026-12-04, with
    # unknown capitalised words redacted on their own, rules 0.500, + NER 0.583
    assert full.recall("PER") >= 0.55
    assert full.recall("PER") >= rules.recall("PER") + 0.06
    assert full.recall("LOC") >= rules.recall("LOC")


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_conll_files_are_read_in_utf8_or_in_latin1_as_distributed(tmp_path, encoding):
    path = tmp_path / "ned.testb"
    path.write_bytes("-DOCSTART- -DOCSTART- O\nJosé N B-PER\nMaréchal N I-PER\nzegt V O\n\n".encode(encoding))
    assert read_conll(path) == [(["José", "Maréchal", "zegt"], ["B-PER", "I-PER", "O"])]
