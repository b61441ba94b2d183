"""Benchmark the shipped dependency parser against a nearest-verb baseline.

On UD English EWT test (``../shared/treebank/ud-english-ewt/``) this prints

- the parser's UPOS accuracy, UAS and LAS, parsing each sentence's raw text
  with :func:`analysis.nlp.parse.parse` (spaCy's tokenizer, not the gold
  tokens): a gold word counts as right only if a predicted token has the
  same characters and, for UAS, a head with the same characters (LAS: and
  the same label; punctuation is left out of UAS and LAS);
- the baseline's UPOS accuracy: NLTK's averaged perceptron tagger trained
  here on EWT train (gold tokens, fixed seed);
- the task that matters here, for each temporal dependent in the gold trees
  (``obl:tmod``, ``nmod:tmod``, ``obl:unmarked``, ``nmod:unmarked`` or
  ``obl`` whose word is a weekday, a month or day/week/month/year/weekend,
  and "today", "yesterday", "tomorrow"): the share whose governing predicate
  is found. The gold predicate is :func:`predicate_of` on the gold tree, for
  the dependent's phrase (its gold subtree); the parser's is
  :func:`predicate_of` on its own parse of the raw sentence, and the
  baseline's is the nearest verb to the left within the same comma-delimited
  stretch, else the nearest to the right, else an auxiliary or copula there,
  else the nearest verb in the sentence (tagged by the perceptron). An
  auxiliary or copula of the gold predicate counts as the predicate. The
  same on EWT dev is printed too, for a larger count;
- the actor side of the same question: for each verb whose gold subject
  (:func:`subject_of` on the gold tree) is a noun or pronoun, whether
  :func:`subject_of` on the parse finds it, against the nearest noun or
  pronoun before the verb;
- speed: sentences per CPU second on one core for both, on 1,000 sentences
  of ``../shared/corpora/reuters-2016`` (five or more words each; the
  sentences are read in memory, never written).

Run ``.venv/bin/python benchmarks/bench_parse.py`` from the project root
(two to five minutes, most of it the perceptron's training);
``--examples N`` prints N temporal dependents that the parser gets wrong.
"""

from __future__ import annotations

import os

# One core for the linear algebra, set before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

from nltk.tokenize import TreebankWordTokenizer  # noqa: E402

from analysis.nlp.parse import (  # noqa: E402
    Parse,
    Token,
    load_parser,
    parse,
    predicate_of,
    subject_of,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EWT = SHARED / "treebank" / "ud-english-ewt"
REUTERS = SHARED / "corpora" / "reuters-2016"

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_UNITS = ("day", "week", "month", "year", "weekend")
_TIME_WORDS = frozenset(
    [*_WEEKDAYS, *_MONTHS, *(m[:3] for m in _MONTHS), "sept", *_UNITS, *(u + "s" for u in _UNITS)]
)
_DEICTIC = frozenset({"today", "yesterday", "tomorrow"})
_TEMPORAL_DEPS = frozenset({"obl:tmod", "nmod:tmod", "obl:unmarked", "nmod:unmarked", "obl"})
_CLAUSE_BREAK = re.compile(r"^[,;:()\u2013\u2014\-]+$|^--$")


@dataclass
class GoldSentence:
    """One EWT sentence: its text, its gold parse, and the gold words' lemmas."""

    text: str
    gold: Parse
    lemmas: list[str]


def read_conllu(path: Path) -> list[GoldSentence]:
    """Read a CoNLL-U file into gold parses with character offsets into ``# text``."""
    sentences: list[GoldSentence] = []
    text, rows, ranges = "", [], {}
    for line in path.read_text("utf-8").splitlines() + [""]:
        if line.startswith("# text = "):
            text = line[len("# text = ") :]
        elif line.startswith("#"):
            continue
        elif not line:
            if rows:
                sentences.append(_gold_sentence(text, rows, ranges))
            text, rows, ranges = "", [], {}
        else:
            cols = line.split("\t")
            if "-" in cols[0]:
                first, last = map(int, cols[0].split("-"))
                ranges[first] = (last, cols[1])
            elif "." not in cols[0]:
                rows.append(cols)
    return sentences


def _gold_sentence(text: str, rows: list[list[str]], ranges: dict) -> GoldSentence:
    tokens, cursor, i = [], 0, 0
    while i < len(rows):
        word_id = int(rows[i][0])
        if word_id in ranges:  # a multiword token: its words share its characters
            last, form = ranges[word_id]
            start = text.find(form, cursor)
            start = cursor if start < 0 else start
            end = start + len(form)
            inner = start
            for row in rows[i : i + last - word_id + 1]:
                found = text.find(row[1], inner, end)
                s, e = (found, found + len(row[1])) if found >= 0 else (start, end)
                tokens.append((s, e, row))
                inner = max(inner, e)
            cursor = end
            i += last - word_id + 1
            continue
        start = text.find(rows[i][1], cursor)
        start = cursor if start < 0 else start
        end = start + len(rows[i][1])
        tokens.append((start, end, rows[i]))
        cursor = end
        i += 1
    gold = Parse(
        text=text,
        tokens=tuple(
            Token(
                start=s,
                end=e,
                text=row[1],
                pos=row[3],
                morph="" if row[5] == "_" else row[5],
                head=int(row[6]) - 1,
                dep=row[7],
            )
            for s, e, row in tokens
        ),
    )
    return GoldSentence(text=text, gold=gold, lemmas=[row[2].lower() for _, _, row in tokens])


def temporal_dependents(sentence: GoldSentence) -> list[int]:
    """Return the gold indices of the sentence's temporal dependents."""
    out = []
    for i, tok in enumerate(sentence.gold.tokens):
        lemma, word = sentence.lemmas[i], tok.text.lower()
        deictic = word in _DEICTIC and tok.dep in ("advmod", *_TEMPORAL_DEPS)
        if deictic or tok.dep in _TEMPORAL_DEPS and _TIME_WORDS & {lemma, word}:
            out.append(i)
    return out


def phrase_span(gold: Parse, index: int) -> tuple[int, int]:
    """Return the character range of a gold token's subtree."""
    members, todo = [], [index]
    while todo:
        node = todo.pop()
        members.append(node)
        todo.extend(c for c in gold.children(node))
    return (min(gold.tokens[m].start for m in members), max(gold.tokens[m].end for m in members))


def same_predicate(gold: Parse, gold_pred: int, span: tuple[int, int] | None) -> bool:
    """Return whether ``span`` is the gold predicate or one of its auxiliaries or copulas."""
    if span is None:
        return False
    for i, tok in enumerate(gold.tokens):
        if (tok.start, tok.end) != span:
            continue
        if i == gold_pred:
            return True
        if tok.head == gold_pred and tok.dep in ("aux", "aux:pass", "cop"):
            return True
    return False


def train_baseline(train: list[GoldSentence]):
    """Train NLTK's averaged perceptron on EWT train words and UPOS tags (seed 0)."""
    from nltk.tag.perceptron import PerceptronTagger

    random.seed(0)
    tagger = PerceptronTagger(load=False)
    tagger.train([[(t.text, t.pos) for t in s.gold.tokens] for s in train], nr_iter=5)
    return tagger


def baseline_predicate(words: list[str], tags: list[str], first: int, last: int) -> int | None:
    """Return the nearest-verb guess for the phrase of words ``first..last``."""
    left = first
    while left > 0 and not _CLAUSE_BREAK.match(words[left - 1]):
        left -= 1
    right = last
    while right < len(words) - 1 and not _CLAUSE_BREAK.match(words[right + 1]):
        right += 1
    before = range(first - 1, left - 1, -1)
    after = range(last + 1, right + 1)
    for wanted, lo, hi in (
        (("VERB",), before, after),
        (("AUX",), before, after),
        (("VERB",), range(first - 1, -1, -1), range(last + 1, len(words))),
    ):
        for i in (*lo, *hi):
            if tags[i] in wanted:
                return i
    return None


def predicate_accuracy(
    sentences: list[GoldSentence], parses: list[Parse], tags: list[list[str]]
) -> tuple[list[tuple[bool, bool]], list[tuple[str, str, str, str | None]]]:
    """Score the parser and the baseline on finding temporal dependents' predicates.

    Returns, per dependent, whether the parser and the baseline found its
    predicate, and the parser's misses as (sentence, phrase, gold, predicted).
    """
    outcomes = []
    misses = []
    for sent, pred, stags in zip(sentences, parses, tags, strict=True):
        gold, words = sent.gold, [t.text for t in sent.gold.tokens]
        for i in temporal_dependents(sent):
            start, end = phrase_span(gold, i)
            gold_pred = predicate_of(gold, start, end)
            p = predicate_of(pred, start, end)
            p_span = None if p is None else (pred.tokens[p].start, pred.tokens[p].end)
            parser_ok = same_predicate(gold, gold_pred, p_span)
            if not parser_ok:
                got = None if p is None else pred.tokens[p].text
                misses.append((sent.text, sent.text[start:end], gold.tokens[gold_pred].text, got))
            inside = [k for k, t in enumerate(gold.tokens) if t.start < end and t.end > start]
            b = baseline_predicate(words, stags, inside[0], inside[-1])
            b_span = None if b is None else (gold.tokens[b].start, gold.tokens[b].end)
            outcomes.append((parser_ok, same_predicate(gold, gold_pred, b_span)))
    return outcomes, misses


def baseline_subject(tags: list[str], verb: int) -> int | None:
    """Return the nearest noun or pronoun before ``verb``, the nearest-word guess of its subject."""
    for i in range(verb - 1, -1, -1):
        if tags[i] in ("NOUN", "PROPN", "PRON"):
            return i
    return None


def subject_accuracy(
    sentences: list[GoldSentence], parses: list[Parse], tags: list[list[str]]
) -> list[tuple[bool, bool]]:
    """Score both systems on each gold verb's subject (:func:`subject_of` on the gold tree).

    Only verbs whose gold subject is a noun or pronoun count. The parser's
    answer is :func:`subject_of` on its own parse, matched by characters; the
    baseline's is the nearest noun or pronoun before the verb.
    """
    outcomes = []
    for sent, pred, stags in zip(sentences, parses, tags, strict=True):
        gold = sent.gold
        by_span = {(t.start, t.end): i for i, t in enumerate(pred.tokens)}
        for v, tok in enumerate(gold.tokens):
            want = subject_of(gold, v) if tok.pos == "VERB" else None
            if want is None or gold.tokens[want].pos not in ("NOUN", "PROPN", "PRON"):
                continue
            want_span = (gold.tokens[want].start, gold.tokens[want].end)
            p = by_span.get((tok.start, tok.end))
            got = None if p is None else subject_of(pred, p)
            got_span = None if got is None else (pred.tokens[got].start, pred.tokens[got].end)
            b = baseline_subject(stags, v)
            outcomes.append((got_span == want_span, b == want))
    return outcomes


def report_task(name: str, outcomes: list[tuple[bool, bool]], baseline: str) -> None:
    """Print the two systems' accuracy on temporal dependents and where they differ."""
    n = len(outcomes)
    parser_ok = sum(p for p, _ in outcomes)
    base_ok = sum(b for _, b in outcomes)
    only_parser = sum(p and not b for p, b in outcomes)
    only_base = sum(b and not p for p, b in outcomes)
    print(
        f"{n} in {name}: parser {parser_ok / n:.3f}  "
        f"{baseline} {base_ok / n:.3f}  (parser only right {only_parser}, "
        f"baseline only right {only_base}, both wrong {sum(not (p or b) for p, b in outcomes)})"
    )


def reuters_sentences(n: int) -> list[str]:
    """Return the first ``n`` body sentences of five or more words in Reuters 2016."""
    from analysis.ingest import load_articles
    from analysis.nlp import split_sentences

    articles = load_articles([REUTERS]).articles
    sentences = split_sentences(articles)
    out = [s for s in sentences["text"] if len(s.split()) >= 5]
    return out[:n]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", type=int, default=0)
    ap.add_argument("--speed-sentences", type=int, default=1000)
    args = ap.parse_args(argv)
    if not EWT.is_dir():
        print(f"no treebank at {EWT}", file=sys.stderr)
        return 1

    test = read_conllu(EWT / "en_ewt-ud-test.conllu")
    wall = time.perf_counter()
    load_parser()
    print(f"model load: {time.perf_counter() - wall:.1f} s wall")
    parses = parse([s.text for s in test])

    pos_ok = uas_ok = las_ok = n_words = n_deps = 0
    for sent, pred in zip(test, parses, strict=True):
        by_span = {(t.start, t.end): i for i, t in enumerate(pred.tokens)}
        for tok in sent.gold.tokens:
            n_words += 1
            p = by_span.get((tok.start, tok.end))
            if p is not None and pred.tokens[p].pos == tok.pos:
                pos_ok += 1
            if tok.dep == "punct":
                continue
            n_deps += 1
            if p is None:
                continue
            ph = pred.tokens[p].head
            gh = tok.head
            head_ok = (ph < 0 and gh < 0) or (
                ph >= 0
                and gh >= 0
                and (pred.tokens[ph].start, pred.tokens[ph].end)
                == (sent.gold.tokens[gh].start, sent.gold.tokens[gh].end)
            )
            uas_ok += head_ok
            las_ok += head_ok and pred.tokens[p].dep == tok.dep
    print(
        f"EWT test, parser on raw text: UPOS {pos_ok / n_words:.3f}  "
        f"UAS {uas_ok / n_deps:.3f}  LAS {las_ok / n_deps:.3f}  "
        f"({n_words} words, {n_deps} non-punctuation)"
    )

    wall = time.perf_counter()
    tagger = train_baseline(read_conllu(EWT / "en_ewt-ud-train.conllu"))
    print(f"baseline tagger trained in {time.perf_counter() - wall:.0f} s")
    tags = [[tag for _, tag in tagger.tag([t.text for t in s.gold.tokens])] for s in test]
    right = sum(
        g.pos == t
        for s, ts in zip(test, tags, strict=True)
        for g, t in zip(s.gold.tokens, ts, strict=True)
    )
    print(f"EWT test, baseline tagger on gold tokens: UPOS {right / n_words:.3f}")

    outcomes, misses = predicate_accuracy(test, parses, tags)
    print("finding the governing predicate of temporal dependents:")
    report_task("EWT test", outcomes, "nearest-verb baseline")
    dev = read_conllu(EWT / "en_ewt-ud-dev.conllu")
    dev_tags = [[tag for _, tag in tagger.tag([t.text for t in s.gold.tokens])] for s in dev]
    dev_outcomes, _ = predicate_accuracy(dev, parse([s.text for s in dev]), dev_tags)
    report_task("EWT test and dev", outcomes + dev_outcomes, "nearest-verb baseline")
    print("finding the subject of a verb (the actor):")
    report_task("EWT test", subject_accuracy(test, parses, tags), "nearest-noun baseline")
    for text, phrase, want, got in misses[: args.examples]:
        print(f"  {phrase!r}: gold {want!r}, parser {got!r} | {text}")

    sentences = reuters_sentences(args.speed_sentences)
    cpu = time.process_time()
    parse(sentences)
    parser_cpu = time.process_time() - cpu
    tokenizer = TreebankWordTokenizer()
    cpu = time.process_time()
    for s in sentences:
        words = tokenizer.tokenize(s)
        stags = [tag for _, tag in tagger.tag(words)]
        baseline_predicate(words, stags, 0, 0)
    base_cpu = time.process_time() - cpu
    print(
        f"speed on {len(sentences)} Reuters sentences, one core: parser "
        f"{len(sentences) / parser_cpu:,.0f} sentences/s, baseline "
        f"{len(sentences) / base_cpu:,.0f} sentences/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
