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
from analysis.ingest.gdelt import GDELT1_EVENTS

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


@pytest.fixture(scope="module")
def gdelt():
    return load_articles([shared_path("reference", "gdelt")])


def _gdelt_rows(name: str, delimiter: str) -> list[list[str]]:
    path = shared_path("reference", "gdelt", name)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter, quoting=csv.QUOTE_NONE))


def _records(manifest: pd.DataFrame, name: str) -> pd.DataFrame:
    return manifest[manifest.path.str.endswith(name)].set_index("record")


def _linked_to_first(records: pd.DataFrame, keys: list[str], articles: pd.DataFrame) -> None:
    """Every record citing an already seen source points at that source's article."""
    by_source = articles.set_index("source_id").article_id
    first_of: dict[str, int] = {}
    for number, key in enumerate(keys):
        if not key:
            continue
        row = records.loc[number]
        if key in first_of:
            assert row.status == "duplicate", row
            assert row.duplicate_of == by_source[key]
            assert f"record {first_of[key]} " in row.reason
        else:
            first_of[key] = number
            assert row.status == "loaded", row
            assert row.article_id == by_source[key]


def test_gdelt1_event_export_one_article_per_source_url(gdelt):
    name = "gdelt1_events_20160728_sample.tsv"
    rows = _gdelt_rows(name, "\t")
    # The layout baked into the package is the one GDELT documents.
    listed = _gdelt_rows("gdelt1_event_columns.tsv", "\t")
    assert [r[0] for r in listed[1:]] == list(GDELT1_EVENTS)
    urls = [r[57] if len(r) == 58 else "" for r in rows]
    distinct = list(dict.fromkeys(u for u in urls if u))
    records = _records(gdelt.manifest, name)
    assert len(records) == len(rows) == 710
    assert (records.format == "gdelt1-events").all()
    articles = gdelt.articles[gdelt.articles.format == "gdelt1-events"]
    assert articles.url.tolist() == distinct
    assert articles.source_id.tolist() == distinct
    # 57-field rows are backfile records with no SOURCEURL: nothing to load.
    no_url = records[records.status == "rejected"]
    assert len(no_url) == sum(not u for u in urls) > 0
    assert no_url.reason.str.startswith("GDELT event with no source URL").all()
    _linked_to_first(records, urls, articles)
    dateadded = {u: r[56] for r, u in zip(rows, urls, strict=True) if u}
    expected = articles.url.map(dateadded)
    assert (articles.published_date.dt.strftime("%Y%m%d") == expected).all()
    assert (articles.date_method == "metadata").all()
    assert (articles.date_precision == "day").all()
    assert articles.published_at.isna().all()  # DATEADDED of GDELT 1.0 is a day
    assert (articles.timezone == "UTC").all()
    assert (articles.body == "").all() and (articles.n_words == 0).all()
    assert articles.title.isna().all()
    hosts = articles.url.str.extract(r"^https?://(?:www\.)?([^/]+)", expand=False)
    assert (articles.outlet == hosts).mean() > 0.9  # a few hosts map to agency names


def test_gdelt2_mentions_one_article_per_identifier(gdelt):
    name = "gdelt2_mentions_20170701_sample.csv"
    path = shared_path("reference", "gdelt", name)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    keys = [r["mentionidentifier"] for r in rows]
    distinct = list(dict.fromkeys(keys))
    records = _records(gdelt.manifest, name)
    assert len(records) == len(rows) == 1635
    assert (records.format == "gdelt2-mentions").all()
    articles = gdelt.articles[gdelt.articles.format == "gdelt2-mentions"]
    assert articles.source_id.tolist() == distinct
    _linked_to_first(records, keys, articles)
    first = {}
    for r in rows:
        first.setdefault(r["mentionidentifier"], r)
    stamp = articles.source_id.map(lambda k: first[k]["mentiontimedate"])
    expected_at = pd.to_datetime(stamp, format="%Y%m%d%H%M%S").dt.strftime("%Y-%m-%dT%H:%M:%S")
    assert (articles.published_at == expected_at + "+00:00").all()
    assert (articles.published_date == pd.to_datetime(stamp.str[:8])).all()
    assert (articles.timezone == "UTC").all()
    assert (articles.date_method == "metadata").all()
    source_names = articles.source_id.map(lambda k: first[k]["mentionsourcename"])
    assert (articles.outlet == source_names).mean() > 0.9
    srclc = articles.source_id.map(
        lambda k: first[k]["mentiondoctranslationinfo"].partition(";")[0]
    )
    assert set(articles.language[srclc == "srclc:ara"]) == {"ar"}
    assert set(articles.language[srclc == "srclc:spa"]) == {"es"}


def test_gdelt_column_lists_rejected_and_summary(gdelt):
    manifest = gdelt.manifest.set_index("source_id")
    for name in ("gdelt1_event_columns.tsv", "gdelt2_event_columns.csv"):
        row = manifest.loc[name]
        assert row.status == "rejected"
        assert row.reason.startswith("GDELT column list, not articles")
    schema.check(gdelt.articles, schema.ARTICLES)
    schema.check(gdelt.manifest, schema.MANIFEST)
    assert gdelt.articles.article_id.is_unique
    counts = gdelt.manifest.status.value_counts()
    assert counts["loaded"] == len(gdelt.articles)
    no_url = (gdelt.manifest.reason.str.startswith("GDELT event with no")).sum()
    assert summarize_manifest(gdelt.manifest) == (
        f"{len(gdelt.manifest)} inputs: {counts['loaded']} loaded, {counts['duplicate']} "
        f"duplicate, {no_url + 2} rejected ({no_url} GDELT event with no source URL, "
        "2 GDELT column list, not articles)"
    )


def test_gdelt_articles_pass_through_every_stage():
    from analysis.pipeline import run_pipeline

    result = run_pipeline([shared_path("reference", "gdelt")])
    assert len(result.articles) > 1000
    # No text: no sentences, mentions or events, and no stage breaks on that.
    assert len(result.sentences) == len(result.events) == len(result.incidents) == 0
