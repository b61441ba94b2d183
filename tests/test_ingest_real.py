"""Loading the real inputs of ``../shared``: the seed page, Reuters reposts, both KCNA corpora.

Expected values come from the issue (the seed's fields, the Reuters time-zone
rule) or are computed here from the raw files with the standard library, so
no article text is copied into the tests.
"""

from __future__ import annotations

import csv
import json
import re

import pandas as pd
import pytest
from conftest import shared_path

from analysis import schema
from analysis.ingest import load_articles, summarize_manifest

pytestmark = pytest.mark.shared

SEED = "000_b0b6ea29c2469582.txt"


@pytest.fixture(scope="module")
def seed():
    corpus = load_articles([shared_path("seeds", SEED)])
    assert len(corpus.articles) == 1
    return corpus.articles.iloc[0], shared_path("seeds", SEED).read_text("utf-8")


def test_seed_parts(seed):
    row, page = seed
    assert row.source_id == SEED
    assert row.title == "S Korea, Japan, U.S. envoys meet amid tensions on Korean Peninsula"
    assert row.section == "politics"
    assert row.dateline == "SEOUL"
    assert row.byline == "KYODO"
    assert row.outlet == "Kyodo"
    assert row.format == "text"
    lines = [line.strip() for line in page.splitlines()]
    # The caption is a whole line of the page, kept apart from the body.
    assert row.caption in lines
    assert "Photo:" in row.caption
    assert row.caption not in row.body


def test_seed_body_is_the_article_and_nothing_else(seed):
    row, page = seed
    paragraphs = row.body.split("\n")
    assert paragraphs[0].startswith("Senior diplomats of South Korea")
    assert paragraphs[-1].endswith("conducting a military exercise.")
    # Every paragraph is a line of the page, in the page's order.
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    positions = [lines.index(p) for p in paragraphs]
    assert positions == sorted(positions)
    assert positions[-1] - positions[0] == len(paragraphs) - 1
    for furniture in ("KYODO", "©", "Login", "Comment", "trending", "GaijinPot"):
        assert furniture not in row.body
    assert row.n_words == len(row.body.split())


def test_seed_date_is_inferred_thursday(seed):
    row, _ = seed
    assert row.published_date == pd.Timestamp("2024-01-18")
    assert row.published_date.day_name() == "Thursday"
    assert row.date_method == "inferred"
    assert row.date_precision == "day"
    assert row.timezone == "Asia/Seoul"


@pytest.fixture(scope="module")
def reuters():
    return load_articles([shared_path("corpora", "reuters-2016")])


def test_reuters_every_file_accounted(reuters):
    folder = shared_path("corpora", "reuters-2016")
    names = sorted(p.name for p in folder.iterdir())
    schema.check(reuters.articles, schema.ARTICLES)
    schema.check(reuters.manifest, schema.MANIFEST)
    assert sorted(reuters.manifest.source_id) == names
    assert set(reuters.manifest.status) <= {"loaded", "duplicate"}
    assert len(reuters.articles) == len(names)
    assert (reuters.articles.format == "html+frontmatter").all()
    assert (reuters.articles.date_method == "metadata").all()


def test_reuters_bodies_are_clean(reuters):
    bodies = reuters.articles.body
    assert (bodies.str.len() > 200).all()
    assert not bodies.str.contains(r"\[ad_\d\]|<p>|</", regex=True).any()
    assert bodies.str.contains("\n").mean() > 0.9  # paragraphs kept as lines
    # The location span is the dateline, not the first word of the body.
    seoul = reuters.articles[reuters.articles.dateline == "SEOUL"]
    assert len(seoul) > 20
    assert not seoul.body.str.startswith("SEOUL").any()
    assert (seoul.timezone == "Asia/Seoul").all()


def test_reuters_post_date_converted_to_dateline_zone(reuters):
    name = "2016-03-17-north-korea-fires-ballistic-missile-into-sea-south-korea.md"
    raw = (shared_path("corpora", "reuters-2016") / name).read_text("utf-8")
    assert "post_date: 2016-03-17 23:01" in raw  # UTC repost time
    row = reuters.articles.set_index("source_id").loc[name]
    assert row.dateline == "SEOUL"
    assert row.published_date == pd.Timestamp("2016-03-18")
    assert row.published_at.startswith("2016-03-18T08:01")
    assert row.published_at.endswith("+09:00")
    assert row.timezone == "Asia/Seoul"


def test_gold_article_ids_are_source_ids(reuters, kcna_2024, seed):
    gold = shared_path("gold", "dev_articles.txt").read_text("utf-8").split()
    ids = set(reuters.articles.source_id) | set(kcna_2024.articles.source_id) | {SEED}
    assert [g for g in gold if g not in ids] == []


@pytest.fixture(scope="module")
def kcna_2024():
    return load_articles([shared_path("corpora", "kcna-2024")])


@pytest.fixture(scope="module")
def kcna_2024_raw():
    path = shared_path("corpora", "kcna-2024", "headlines_2024-11-11.json")
    return json.loads(path.read_text("utf-8"))


def test_kcna_2024_counts(kcna_2024, kcna_2024_raw):
    manifest = kcna_2024.manifest
    assert len(manifest) == len(kcna_2024_raw) == 2111
    empty = sum(not (r.get("story_text") or "").strip() for r in kcna_2024_raw)
    rejected = manifest[manifest.status == "rejected"]
    assert len(rejected) == empty == 249
    assert (rejected.reason == "empty story").all()
    counts = manifest.status.value_counts()
    assert counts["loaded"] + counts["duplicate"] == len(kcna_2024.articles)
    summary = summarize_manifest(manifest)
    assert summary.startswith("2111 inputs: ")
    assert "249 rejected (249 empty story)" in summary


def test_kcna_2024_same_story_under_two_topics_is_duplicate(kcna_2024, kcna_2024_raw):
    by_link: dict[str, list[dict]] = {}
    for record in kcna_2024_raw:
        if (record.get("story_text") or "").strip():
            by_link.setdefault(record["link"], []).append(record)
    twice = {link: rows for link, rows in by_link.items() if len(rows) == 2}
    assert len(twice) >= 20
    articles = kcna_2024.articles.set_index("source_id")
    for link in twice:
        first, second = articles.loc[link], articles.loc[link + "#2"]
        # The first listing may itself repeat an earlier record (under another link).
        root = first.article_id if pd.isna(first.duplicate_of) else first.duplicate_of
        assert second.duplicate_of == root
    # Every duplicate points at an article that is itself not a duplicate.
    dup = kcna_2024.articles.dropna(subset=["duplicate_of"])
    firsts = kcna_2024.articles.set_index("article_id").loc[dup.duplicate_of]
    assert firsts.duplicate_of.isna().all()


def test_kcna_2024_epoch_dates_and_datelines(kcna_2024, kcna_2024_raw):
    expected = {r["link"]: r["date_str"] for r in kcna_2024_raw}
    articles = kcna_2024.articles
    plain = articles[~articles.source_id.str.contains("#")]
    got = plain.published_date.dt.strftime("%Y-%m-%d")
    assert (got.to_numpy() == plain.source_id.map(expected).to_numpy()).all()
    assert (articles.date_method == "metadata").all()
    with_dateline = articles[articles.dateline.notna()]
    assert len(with_dateline) > 0.8 * len(articles)
    assert (with_dateline.dateline == "Pyongyang").all()
    assert (with_dateline.timezone == "Asia/Pyongyang").all()
    assert not with_dateline.body.str.contains(r"^Pyongyang, \w+ \d+ \(KCNA\)", regex=True).any()
    assert (articles.outlet == "KCNA").all()


@pytest.fixture(scope="module")
def kcna_2011():
    return load_articles([shared_path("corpora", "kcna-2011-2012")])


@pytest.fixture(scope="module")
def kcna_2011_raw():
    rows = []
    for name in ("KCNA_2011.csv", "KCNA_2012.csv"):
        path = shared_path("corpora", "kcna-2011-2012", name)
        with path.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def _is_empty(story: str | None) -> bool:
    return not re.sub(r"[\s,]", "", story or "")


@pytest.mark.slow
def test_kcna_2011_counts_and_languages(kcna_2011, kcna_2011_raw):
    manifest, articles = kcna_2011.manifest, kcna_2011.articles
    assert len(manifest) == len(kcna_2011_raw) == 24776
    empty = sum(_is_empty(r["story"]) for r in kcna_2011_raw)
    assert (manifest.status == "rejected").sum() == empty
    assert set(manifest.loc[manifest.status == "rejected", "reason"]) == {"empty story"}
    spanish = sum(r["language"] == "es" and not _is_empty(r["story"]) for r in kcna_2011_raw)
    assert (articles.language == "es").sum() == spanish > 1000
    assert set(articles.language) == {"en", "es"}
    assert 0 < (manifest.status == "duplicate").sum() < 0.02 * len(articles)
    # Index pages are shared by many records: ids stay unique with "#n".
    assert articles.source_id.is_unique
    assert articles.article_id.is_unique
    assert (articles.date_method == "metadata").all()


@pytest.mark.slow
def test_kcna_2011_paragraph_commas_become_lines(kcna_2011, kcna_2011_raw):
    bodies = kcna_2011.articles.body
    assert not bodies.str.contains(", ,", regex=False).any()
    assert not bodies.str.contains(r"[\s,]$", regex=True).any()
    raw_with_breaks = sum(", ," in (r["story"] or "").strip(" ,") for r in kcna_2011_raw)
    assert bodies.str.contains("\n").sum() >= 0.9 * raw_with_breaks


def test_gdelt_exports_rejected_with_reason():
    corpus = load_articles([shared_path("reference", "gdelt")])
    manifest = corpus.manifest.set_index("source_id")
    assert len(corpus.articles) == 0
    reason = manifest.loc["gdelt1_events_20160728_sample.tsv", "reason"]
    assert reason.startswith("GDELT event export")
    assert manifest.loc["gdelt2_mentions_20170701_sample.csv", "reason"].startswith(
        "no text column"
    )
    assert (manifest.status == "rejected").all()
