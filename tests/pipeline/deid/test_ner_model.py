"""The optional NER-model recognizer: a tiny randomly initialised BERT token classifier, built
and saved here, loads from its directory with every network connection refused, and its spans
reach the de-identification results. No Dutch NER model is available offline, so the classifier
bias is set to make the random model predict one label everywhere: that proves the plumbing
(loading, label mapping, offsets, placeholders), not the quality of any model."""

from __future__ import annotations

import pytest

from pipeline.case import CaseMetadata
from pipeline.deid import DeidOptions, build_engine, deidentify_text
from pipeline.deid.recognizers.ner_model import map_label
from core.errors import DeidentificationError

WORDS = ["ik", "ging", "met", "bolderbast", "naar", "de", "markt", "gisteren"]
LABELS = {0: "O", 1: "B-PER", 2: "I-PER", 3: "B-LOC", 4: "B-ORG", 5: "B-MISC"}


def _save_tiny_model(directory, dominant: int):
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]
    (directory / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(directory / "vocab.txt"), do_lower_case=True)
    config = transformers.BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                     intermediate_size=32, max_position_embeddings=64, id2label=LABELS,
                                     label2id={v: k for k, v in LABELS.items()})
    torch.manual_seed(0)
    model = transformers.BertForTokenClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.zero_()
        model.classifier.bias[dominant] = 8.0
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


@pytest.fixture(scope="module")
def per_model(tmp_path_factory):
    return _save_tiny_model(tmp_path_factory.mktemp("ner-per"), dominant=1)


@pytest.fixture(scope="module")
def o_model(tmp_path_factory):
    return _save_tiny_model(tmp_path_factory.mktemp("ner-o"), dominant=0)


@pytest.mark.parametrize("label,entity", [("B-PER", "PERSOON"), ("I-PER", "PERSOON"), ("PER", "PERSOON"), ("LOC", "LOCATIE"),
                                          ("B-GPE", "LOCATIE"), ("ORG", "INSTELLING"), ("B-MISC", None), ("O", None)])
def test_label_map(label, entity):
    assert map_label(label) == entity


@pytest.mark.slow
def test_model_spans_reach_the_results_offline(per_model, o_model, no_network):
    text = "ik ging met bolderbast naar de markt"
    engine = build_engine(DeidOptions(recognizers=["bsn"], ner_model=per_model))
    assert "ner_model" in engine.recognizer_names
    result = deidentify_text(text, CaseMetadata(), engine)
    assert {e.recognizer for e in result.entities} == {"TransformersNerRecognizer"}
    assert {e.type for e in result.entities} == {"PERSOON"}
    assert "bolderbast" not in result.text and "[PERSOON-1]" in result.text
    # negative: the same plumbing with a model that says O everywhere redacts nothing
    silent = build_engine(DeidOptions(recognizers=["bsn"], ner_model=o_model))
    assert deidentify_text(text, CaseMetadata(), silent).text == text
    assert no_network == []


@pytest.mark.parametrize("make", [lambda p: p / "missing", lambda p: p])
def test_missing_or_incomplete_model_dir_is_a_clear_error(tmp_path, make):
    with pytest.raises(DeidentificationError, match="NER-model"):
        build_engine(DeidOptions(recognizers=["bsn"], ner_model=make(tmp_path)))
