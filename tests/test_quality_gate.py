"""The extractor's quality gate: dev-set scores must stay at or above pinned floors.

Runs the whole chain on the real gold articles (the seed page, Reuters 2016 and
KCNA 2024, loaded with :func:`analysis.ingest.load_articles`), scores against
``../shared/gold/dev_events.csv`` restricted to ``dev_articles.txt``, and checks
``tests/quality_floors.json``. Floors only go up: raise them when the extractor
improves, never lower them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import shared_path

from analysis.evaluate import match_events, read_gold, read_reference, score_incidents, score_table
from analysis.events import extract_events
from analysis.ingest import load_articles
from analysis.timeline import build_timeline

pytestmark = [pytest.mark.slow, pytest.mark.shared]

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text("utf-8"))
SEED = "000_b0b6ea29c2469582.txt"


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    paths = [
        shared_path("seeds", SEED),
        shared_path("corpora", "reuters-2016"),
        shared_path("corpora", "kcna-2024"),
    ]
    return load_articles(paths).articles


@pytest.fixture(scope="module")
def gold_run(corpus):
    gold, ids = read_gold(shared_path("gold"))
    articles = corpus.loc[corpus["source_id"].isin(ids)]
    events = extract_events(articles)
    pairs = match_events(events, gold, source_ids=ids)
    return gold, ids, events, pairs, score_table(pairs).set_index("event_type")


def test_every_gold_article_is_loaded(corpus):
    _, ids = read_gold(shared_path("gold"))
    assert set(ids) <= set(corpus["source_id"])


def test_dev_scores_meet_the_floors(gold_run):
    *_, scores = gold_run
    overall = scores.loc["all"]
    for name in ("precision", "recall", "f1", "exact_share"):
        assert overall[name] >= FLOORS["overall"][name], (name, scores.round(3).to_string())
    for etype, floor in FLOORS["f1_by_type"].items():
        assert scores.loc[etype, "f1"] >= floor, (etype, scores.round(3).to_string())


def test_every_type_with_five_gold_rows_has_a_floor(gold_run):
    gold, *_ = gold_run
    counts = gold["event_type"].value_counts()
    assert set(counts[counts >= 5].index) <= set(FLOORS["f1_by_type"])


def test_seed_yields_its_six_events_with_their_dates(gold_run):
    *_, pairs, _ = gold_run
    seed = pairs.loc[pairs["source_id"] == SEED]
    gold_rows = seed.loc[seed["status"] != "spurious"]
    assert len(gold_rows) == 6
    assert (gold_rows["status"] == "matched").all(), gold_rows.to_string()
    assert gold_rows["exact"].all(), gold_rows.to_string()


# Words a headline uses for a launch or a test; used to decide which reference
# incidents the corpus itself reports, independently of the extractor.
_HEADLINE = re.compile(
    r"\b(?:fires?|fired|launch\w*|test-fires?|tests? (?:\w+ )?missile|nuclear test|"
    r"satellite|explod\w+|detonat\w+)\b",
    re.IGNORECASE,
)


def test_reuters_reports_every_csis_launch_and_test_found_within_a_day(corpus):
    reuters = corpus.loc[corpus["source_id"].str.endswith(".md")]
    assert len(reuters) > 100
    incidents = build_timeline(extract_events(reuters))
    lo, hi = reuters["published_date"].min(), reuters["published_date"].max()
    reference = read_reference(shared_path("reference", "csis_provocations.csv"))
    scored = score_incidents(incidents, reference, window=(lo, hi))
    scored = scored.loc[scored["status"] != "unmatched"]
    # The corpus reports an incident when a story published from the day
    # before to three days after it says so in its headline.
    titles = reuters.loc[reuters["title"].fillna("").str.contains(_HEADLINE), "published_date"]
    reported = scored["ref_date"].map(
        lambda d: (
            (titles >= d - pd.Timedelta(days=1)) & (titles <= d + pd.Timedelta(days=3))
        ).any()
    )
    assert reported.sum() >= 8
    missed = scored.loc[reported & (scored["status"] != "found")]
    assert missed.empty, missed[["ref_date", "label"]].to_string()


def test_keyword_gate_loses_no_trigger_on_the_dev_sentences(gold_run, corpus):
    from analysis.events import find_triggers
    from analysis.nlp import split_sentences

    _, ids, *_ = gold_run
    sentences = split_sentences(corpus.loc[corpus["source_id"].isin(ids)])
    for text in sentences["text"]:
        fast = [(m.start, m.end, m.trigger.name) for m in find_triggers(text)]
        full = [(m.start, m.end, m.trigger.name) for m in find_triggers(text, gate=False)]
        assert fast == full, text


def test_lazy_dates_give_the_same_events_as_a_timex_frame(gold_run, corpus):
    from analysis.nlp import find_dates, find_mentions, split_sentences

    _, ids, events, *_ = gold_run
    articles = corpus.loc[corpus["source_id"].isin(ids)]
    sentences = split_sentences(articles)
    mentions = find_mentions(articles, sentences=sentences)
    timex = find_dates(articles, sentences=sentences)
    framed = extract_events(articles, sentences=sentences, mentions=mentions, timex=timex)
    pd.testing.assert_frame_equal(framed, events)


def test_skipping_sentences_without_a_time_word_changes_nothing(gold_run, corpus, monkeypatch):
    import analysis.events as events_module

    _, ids, events, *_ = gold_run
    monkeypatch.setattr(events_module, "_TIME_CUE", re.compile(""))
    everything = extract_events(corpus.loc[corpus["source_id"].isin(ids)])
    pd.testing.assert_frame_equal(everything, events)


def test_the_fast_keyword_passes_agree_with_the_plain_patterns(corpus):
    # The keyword scan and the time-word test each have a plain reference
    # pattern and a fast form; the RE2 sentence gate may only over-flag.
    from analysis.events import (
        _TIME_CUE,
        _has_time_cue,
        _keywords,
        _lower,
        _may_hold_keyword,
        load_lexicon,
    )
    from analysis.nlp import split_sentences

    lex = load_lexicon()
    texts = split_sentences(corpus)["text"]
    flags = _may_hold_keyword(texts, lex)
    n_keywords = 0
    for text, flag in zip(texts.tolist(), flags.tolist(), strict=True):
        low = _lower(text)
        plain = [(m.start(), m.group()) for m in lex.prefilter.finditer(low)]
        assert _keywords(low, lex) == plain, text
        assert flag or not plain, text
        assert _has_time_cue(low) == (_TIME_CUE.search(low) is not None), text
        n_keywords += bool(plain)
    assert n_keywords > 1000
