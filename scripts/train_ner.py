"""Train the bundled Dutch NER model (PER, LOC, ORG) with spaCy's trainer and package it.

    nice -n 15 python -m scripts.train_ner --out /tmp/vg-ner [--threads 1]

Steps: read and split the Europeana Newspapers Dutch corpus (CC0, ``scripts/ner_data.py``),
write the held-out test part to ``eval/data/ner/enp_nl_test.conll`` (the public benchmark),
augment the training part (spoken style, modern names, ASR-like fragments), convert to spaCy
``DocBin`` files, train a blank Dutch pipeline (CNN tok2vec + transition-based NER) with
``spacy train`` and the config below (fixed seed), then pack ``model-best`` into
``models/ner/nl-ner-enp.tar.gz`` (deterministic tar: sorted names, zero mtimes) and print its
SHA-256 for ``models/bundled.toml``. About 10-15 minutes on one core of this machine kind.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

from scripts.ner_data import BENCHMARK, ROOT, augment, read_corpus, split, to_text, write_conll

ARCHIVE = ROOT / "models" / "ner" / "nl-ner-enp.tar.gz"
MODEL_NAME = "nl-ner-enp"

CONFIG = """
[paths]
train = null
dev = null

[system]
seed = 13
gpu_allocator = null

[nlp]
lang = "nl"
pipeline = ["tok2vec","ner"]
batch_size = 256

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 96
attrs = ["NORM","PREFIX","SUFFIX","SHAPE"]
rows = [5000,1000,2500,1000]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 96
depth = 4
window_size = 1
maxout_pieces = 3

[components.ner]
factory = "ner"
moves = null
update_with_oracle_cut_size = 100

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${components.tok2vec.model.encode.width}
upstream = "*"

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}
max_length = 0

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${system.seed}
gpu_allocator = ${system.gpu_allocator}
dropout = 0.15
accumulate_gradient = 1
patience = 3000
max_epochs = 12
max_steps = 0
eval_frequency = 400
frozen_components = []
annotating_components = []
before_to_disk = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2
get_length = null

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001
t = 0.0

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = false
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0
ents_per_type = null

[pretraining]

[initialize]
vectors = null
init_tok2vec = null
vocab_data = null
lookups = null
before_init = null
after_init = null

[initialize.components]

[initialize.tokenizer]
"""


def to_docbin(sentences, path: Path) -> int:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("nl")
    db = DocBin(store_user_data=False)
    dropped = 0
    for s in sentences:
        text, spans = to_text(s)
        doc = nlp.make_doc(text)
        ents = []
        for start, end, label in spans:
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is None or any(span.start < e.end and e.start < span.end for e in ents):
                dropped += 1
                continue
            ents.append(span)
        doc.ents = ents
        db.add(doc)
    db.to_disk(path)
    return dropped


def _meta(path: Path) -> bytes:
    """spaCy's meta.json with the model's name, licence and training data filled in."""
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update({
        "name": "nl_ner_enp", "version": "1.0.0", "license": "CC0-1.0 (training data); model: as the repository",
        "description": "Dutch NER (PER, LOC, ORG) for de-identification, trained by scripts/train_ner.py",
        "sources": [{"name": "Europeana Newspapers NER corpus, enp_NL.kb", "url": "https://github.com/EuropeanaNewspapers/ner-corpora",
                     "license": "CC0-1.0"},
                    {"name": "Deduce name and place lists (augmentation)", "url": "https://github.com/vmenger/deduce",
                     "license": "LGPL-3.0-or-later"}],
    })
    return json.dumps(meta, indent=2, sort_keys=True).encode("utf-8")


def pack(model_dir: Path, archive: Path) -> str:
    """A byte-for-byte reproducible tar.gz of the model directory (top folder ``nl-ner-enp``)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
            info = tarfile.TarInfo(f"{MODEL_NAME}/{path.relative_to(model_dir).as_posix()}")
            data = path.read_bytes() if path.name != "meta.json" else _meta(path)
            info.size, info.mtime, info.mode, info.uid, info.gid = len(data), 0, 0o644, 0, 0
            tar.addfile(info, io.BytesIO(data))
    archive.parent.mkdir(parents=True, exist_ok=True)
    with archive.open("wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(buf.getvalue())
    return hashlib.sha256(archive.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/vg-ner"), help="working directory")
    ap.add_argument("--max-epochs", type=int, default=12)
    ap.add_argument("--no-pack", action="store_true", help="train only; do not rewrite the archive")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    parts = split(read_corpus())
    write_conll(parts["test"], BENCHMARK)
    train = augment(parts["train"])
    print(f"train {len(parts['train'])} sentences ({len(train)} after augmentation), dev {len(parts['dev'])}, "
          f"test {len(parts['test'])} -> {BENCHMARK.relative_to(ROOT)}")
    for name, sentences in (("train", train), ("dev", parts["dev"])):
        dropped = to_docbin(sentences, args.out / f"{name}.spacy")
        print(f"{name}: {dropped} entity spans not alignable to spaCy tokens")
    config = args.out / "config.cfg"
    config.write_text(CONFIG.replace("max_epochs = 12", f"max_epochs = {args.max_epochs}"), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "spacy", "train", str(config), "--output", str(args.out / "model"),
                    "--paths.train", str(args.out / "train.spacy"), "--paths.dev", str(args.out / "dev.spacy")],
                   check=True)
    best = args.out / "model" / "model-best"
    if not args.no_pack:
        digest = pack(best, ARCHIVE)
        print(f"{ARCHIVE.relative_to(ROOT)}: {ARCHIVE.stat().st_size} bytes, sha256 {digest}")


if __name__ == "__main__":
    main()
