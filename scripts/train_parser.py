"""Train the package's dependency parser on UD English EWT and ship it.

The parser in ``src/analysis/data/parser/`` is a small spaCy 3 pipeline
(``tok2vec`` -> ``morphologizer`` + ``parser``) trained on the Universal
Dependencies English Web Treebank, with spaCy's blank English tokenizer and
no pretrained vectors, so loading it downloads nothing. The command that
made the shipped model, from the project root::

    nice -n 10 .venv/bin/python scripts/train_parser.py

It takes the treebank from ``../shared/treebank/ud-english-ewt/`` (override
with ``--treebank``), works in ``build/parser/`` (``--workdir``), and

1. converts train, dev and test CoNLL-U to spaCy's binary format with
   ``spacy convert``, one sentence per document (the package parses
   sentences, and single sentences train several times faster than
   ten-sentence documents, whose oracle is costly to cut);
2. writes the training config below (seed 0, a fixed number of steps, so a
   rerun on the same versions gives the same weights);
3. trains with ``spacy train`` (batches of 1,000 words, 2,000 steps, about
   ten passes over the 204,000 training words), keeping the checkpoint that
   scores best on dev (``model-best``);
4. copies only what ``spacy.load`` needs into ``--output`` (default
   ``src/analysis/data/parser/``), with the vocabulary's strings cut to the
   labels the components use, and checks that no file reaches 2 MB;
5. scores the shipped copy on EWT test with ``spacy evaluate`` and writes
   the scores to ``build/parser/test_scores.json``.

The model card (``README.md``) and ``LICENSE.txt`` in the output folder are
written by hand; they are left as they are.

The sizes fit the limits: hash embeddings of width 64 with 2,000 + 800 +
1,000 + 500 rows for NORM, PREFIX, SUFFIX and SHAPE keep ``tok2vec/model``
under 2 MB; the parser's hidden layer of 64 and the fixed batch size keep
training short: the shipped model took 35 minutes of wall time on a
two-core machine busy with four other jobs (load average 4 to 6); 1,200
steps took 13 minutes there at a lighter load. The script prints the wall
and CPU minutes of the training.
The morphologizer predicts UPOS with the UD features (``Tense=Past``,
``VerbForm=Fin``), which tense and modality rules can read.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TREEBANK = ROOT.parent / "shared" / "treebank" / "ud-english-ewt"
SPLITS = {
    "train": "en_ewt-ud-train.conllu",
    "dev": "en_ewt-ud-dev.conllu",
    "test": "en_ewt-ud-test.conllu",
}
MAX_FILE_BYTES = 2_000_000
# The files spacy.load reads; spaCy writes nothing else of use into model-best.
SHIPPED = ("config.cfg", "meta.json", "tokenizer", "vocab", "tok2vec", "morphologizer", "parser")
# Model files written by hand beside the weights, kept when the weights are replaced.
HANDWRITTEN = ("README.md", "LICENSE.txt")

CONFIG = """\
[paths]
train = null
dev = null
vectors = null
init_tok2vec = null

[system]
gpu_allocator = null
seed = {seed}

[nlp]
lang = "en"
pipeline = ["tok2vec","morphologizer","parser"]
batch_size = 256
disabled = []
before_creation = null
after_creation = null
after_pipeline_creation = null
tokenizer = {{"@tokenizers":"spacy.Tokenizer.v1"}}
vectors = {{"@vectors":"spacy.Vectors.v1"}}

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = ${{components.tok2vec.model.encode.width}}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE"]
rows = [2000,800,1000,500]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = {width}
depth = 4
window_size = 1
maxout_pieces = 3

[components.morphologizer]
factory = "morphologizer"
extend = false
overwrite = true
label_smoothing = 0.05

[components.morphologizer.model]
@architectures = "spacy.Tagger.v2"
nO = null
normalize = false

[components.morphologizer.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${{components.tok2vec.model.encode.width}}
upstream = "tok2vec"

[components.parser]
factory = "parser"
learn_tokens = false
min_action_freq = 30
moves = null
update_with_oracle_cut_size = 100

[components.parser.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "parser"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 3
use_upper = true
nO = null

[components.parser.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${{components.tok2vec.model.encode.width}}
upstream = "tok2vec"

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${{paths.train}}
max_length = 0
gold_preproc = false
limit = 0
augmenter = null

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${{paths.dev}}
max_length = 0
gold_preproc = false
limit = 0
augmenter = null

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${{system.seed}}
gpu_allocator = null
dropout = 0.1
accumulate_gradient = 1
patience = 0
max_epochs = 0
max_steps = {max_steps}
eval_frequency = {eval_frequency}
frozen_components = []
annotating_components = []
before_to_disk = null
before_update = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2
get_length = null

[training.batcher.size]
@schedules = "compounding.v1"
start = 1000
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
use_averages = true
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
pos_acc = 0.2
morph_acc = 0.1
morph_per_feat = null
dep_uas = 0.2
dep_las = 0.5
dep_las_per_type = null
sents_p = null
sents_r = null
sents_f = 0.0

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


def run(args: list[str]) -> None:
    """Run a command with this interpreter, one thread for the linear algebra."""
    env = dict(
        os.environ,
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        BLIS_NUM_THREADS="1",
    )
    print("+", " ".join(args), flush=True)
    subprocess.run([sys.executable, *args], check=True, env=env)


def convert(treebank: Path, workdir: Path) -> dict[str, Path]:
    """Convert the three CoNLL-U splits to ``.spacy`` files; return their paths."""
    corpus = workdir / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    paths = {}
    for split, name in SPLITS.items():
        out = corpus / name.replace(".conllu", ".spacy")
        if not out.exists():
            run(
                [
                    "-m",
                    "spacy",
                    "convert",
                    str(treebank / name),
                    str(corpus),
                    "--converter",
                    "conllu",
                    "--n-sents",
                    "1",
                ]
            )
        paths[split] = out
    return paths


def trim_strings(model: Path) -> None:
    """Cut ``vocab/strings.json`` to the labels the components need.

    The hash embeddings hash a token's text, so the tokens' strings are not
    needed at run time; the morphologizer's and parser's labels are.
    """
    import spacy

    nlp = spacy.load(model)
    keep = set(nlp.get_pipe("parser").labels)
    for label in nlp.get_pipe("morphologizer").labels:
        keep.add(label)
        for field in label.split("|"):
            keep.add(field)
            keep.update(field.split("="))
    keep.update(spacy.blank("en").vocab.strings)
    path = model / "vocab" / "strings.json"
    strings = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps(sorted(s for s in strings if s in keep)), "utf-8")


def ship(best: Path, output: Path) -> None:
    """Copy the files ``spacy.load`` needs from ``best`` into ``output``."""
    output.mkdir(parents=True, exist_ok=True)
    for item in output.iterdir():
        if item.name not in HANDWRITTEN:
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    for name in SHIPPED:
        src = best / name
        if src.is_dir():
            shutil.copytree(src, output / name)
        else:
            shutil.copy2(src, output / name)
    trim_strings(output)
    too_big = [p for p in output.rglob("*") if p.is_file() and p.stat().st_size >= MAX_FILE_BYTES]
    if too_big:
        raise SystemExit(f"files of 2 MB or more: {too_big}")


def main(argv: list[str] | None = None) -> int:
    """Convert, train, ship and score; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--treebank", type=Path, default=TREEBANK)
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "parser")
    parser.add_argument(
        "--output", type=Path, default=ROOT / "src" / "analysis" / "data" / "parser"
    )
    parser.add_argument("--max-steps", type=int, default=2000)
    parser.add_argument("--eval-frequency", type=int, default=200)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    paths = convert(args.treebank, workdir)
    config = workdir / "config.cfg"
    config.write_text(
        CONFIG.format(
            seed=args.seed,
            width=args.width,
            max_steps=args.max_steps,
            eval_frequency=args.eval_frequency,
        ),
        "utf-8",
    )
    trained = workdir / "trained"
    start = time.perf_counter()
    cpu_start = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    run(
        [
            "-m",
            "spacy",
            "train",
            str(config),
            "--output",
            str(trained),
            "--paths.train",
            str(paths["train"]),
            "--paths.dev",
            str(paths["dev"]),
        ]
    )
    minutes = (time.perf_counter() - start) / 60
    cpu_minutes = (resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - cpu_start) / 60
    ship(trained / "model-best", args.output)
    scores = workdir / "test_scores.json"
    run(["-m", "spacy", "evaluate", str(args.output), str(paths["test"]), "--output", str(scores)])
    result = json.loads(scores.read_text("utf-8"))
    result["train_minutes"] = round(minutes, 1)
    result["train_cpu_minutes"] = round(cpu_minutes, 1)
    scores.write_text(json.dumps(result, indent=2), "utf-8")
    summary = {
        k: result.get(k)
        for k in (
            "pos_acc",
            "morph_acc",
            "dep_uas",
            "dep_las",
            "sents_f",
            "train_minutes",
            "train_cpu_minutes",
        )
    }
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
