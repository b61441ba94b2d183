"""Loading crawler outputs as they come: the wild-formats corpus in ``tests/data/wild``.

Every file there was written for the project (see its README), imitating
common crawler and site-generator outputs. ``expected.csv`` gives what each
input (and each table record) must load as; the checks below add what must
never be left in any title or body: entities, Markdown, chrome and glued
sentences.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import schema
from analysis.ingest import load_articles, summarize_manifest
from analysis.ingest.chrome import chrome_kind, clean_inline, clean_title, edge_kind, split_glued

WILD = Path(__file__).parent / "data" / "wild"
EXPECTED = list(csv.DictReader((WILD / "expected.csv").open(encoding="utf-8")))
#: The crawls: every folder of ``wild`` (``expected.csv`` beside them is no input).
CRAWLS = sorted(path for path in WILD.iterdir() if path.is_dir())


@pytest.fixture(scope="module")
def corpus():
    return load_articles(CRAWLS)


@pytest.fixture(scope="module")
def rows(corpus):
    """One row per manifest row, with its article's fields (none when rejected)."""
    fields = ["article_id", "title", "published_date", "date_method", "body"]
    merged = corpus.manifest.merge(corpus.articles[fields], on="article_id", how="left")
    merged["file"] = [Path(p).relative_to(WILD).as_posix() for p in merged["path"]]
    merged["number"] = ["" if pd.isna(r) else str(r) for r in merged["record"]]
    return merged.set_index(["file", "number"])


def test_frames_follow_the_schema(corpus):
    schema.check(corpus.articles, schema.ARTICLES, name="articles")
    schema.check(corpus.manifest, schema.MANIFEST, name="manifest")


def test_every_input_and_record_has_exactly_one_manifest_row(rows):
    expected = sorted((row["path"], row["record"]) for row in EXPECTED)
    assert sorted(rows.index) == expected


@pytest.mark.parametrize(
    "want", EXPECTED, ids=[f"{row['path']}#{row['record']}" for row in EXPECTED]
)
def test_each_input_loads_as_expected(rows, want):
    got = rows.loc[(want["path"], want["record"])]
    assert got.status == want["status"]
    warnings = "" if pd.isna(got.warnings) else got.warnings
    if want["warning"]:
        assert want["warning"] in warnings
    else:
        assert warnings == ""
    if want["status"] == "rejected":
        assert got.reason == want["reason"]
        return
    assert got.title == want["title"]
    assert str(got.published_date.date()) == want["published_date"]
    assert got.date_method == want["date_method"]
    assert got.body.startswith(want["first_sentence"]), got.body[:200]
    assert got.body.endswith(want["last_sentence"]), got.body[-200:]


#: What must not be left in a title or body, by name.
LEFTOVERS = {
    "entity": r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);",
    "markdown": r"\*\*|__|\]\(|!\[|(?:^|\n)\s*#{1,6} |(?:^|\n)\s*(?:[-*+]|\d+\.) |`",
    "html tag": r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?>",
    "glued sentence": r"[a-z]{2}[.!?][\"”’]?[A-Z][a-z]",
    "chrome": r"(?i)view comments|crawled at|\(end\)|\bshares\b|^---|\n---|published\s*:|"
    r"https?://|\bby (?:repost|peninsula) ",
    "slug": r"(?:^|\n)[a-z0-9]+(?:-[a-z0-9]+){3,}",
}


@pytest.mark.parametrize("kind", sorted(LEFTOVERS))
def test_no_leftovers_in_titles_and_bodies(corpus, kind):
    pattern = re.compile(LEFTOVERS[kind], re.I if kind == "entity" else 0)
    for column in ("title", "body"):
        for source, text in zip(corpus.articles.source_id, corpus.articles[column], strict=True):
            assert not pattern.search(text), (source, column, pattern.search(text))


def test_the_summary_counts_the_warnings(corpus):
    assert summarize_manifest(corpus.manifest) == (
        "21 inputs: 19 loaded, 0 duplicate, 2 rejected (1 malformed CSV row, 1 not an article); "
        "5 with warnings (2 JSON with trailing commas, 2 malformed YAML front matter, 1 short row)"
    )


def test_captions_stay_as_text(rows):
    body = rows.loc[("jekyll/_posts/2023-07-12-solid-fuel-icbm-east-sea.md", "")].body
    assert body.split("\n")[0].endswith("(Photo: Peninsula Desk)")
    assert "Launch coverage" not in body  # the image and its alt text go


def test_a_tab_indented_author_continues_the_value(corpus):
    article = corpus.articles.set_index("source_id").loc["20240318_0001234567.md"]
    assert article.byline == "Kim Min-ji Lee Jun-ho"
    assert (article.dateline, article.timezone) == ("SEOUL", "Asia/Seoul")
    assert article.published_at == "2024-03-18T08:15:00+09:00"  # the time as written, in Seoul


def test_a_feed_time_is_local_at_the_offset_the_site_states(corpus):
    articles = corpus.articles.set_index("source_id")
    irbm = articles.loc["https://peninsula.example.org/2024/01/15/hypersonic-irbm/"]
    # 23:30 UTC on the 14th is 08:30 on the 15th where the site is.
    assert irbm.published_at == "2024-01-15T08:30:00+09:00"


def test_loading_twice_gives_the_same_frames(corpus):
    again = load_articles(CRAWLS)
    pd.testing.assert_frame_equal(again.articles, corpus.articles)
    pd.testing.assert_frame_equal(again.manifest, corpus.manifest)


# --- the cleaning steps, on their own --------------------------------------------


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("It ended on Friday.The two sides met.", "It ended on Friday. The two sides met."),
        ("It said.“We will respond.”", "It said. “We will respond.”"),
        ('He said "never."The envoy left.', 'He said "never." The envoy left.'),
        ("It grew 3.5 percent.", "It grew 3.5 percent."),
        ("Forces in the U.S.Army base.", "Forces in the U.S.Army base."),
        ("Talks with Gen.Kim and J.R.Lee.", "Talks with Gen.Kim and J.R.Lee."),
        ("See yna.co.kr and NKNews.org today.", "See yna.co.kr and NKNews.org today."),
        ("It was fired in 2023.The North said so.", "It was fired in 2023. The North said so."),
        ("the Joint Chiefs (JCS).North Korea", "the Joint Chiefs (JCS). North Korea"),
    ],
)  # fmt: skip
def test_split_glued_sentences(text, clean):
    assert split_glued(text) == clean


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("Xi&#x27;s &quot;visit&quot;", 'Xi\'s "visit"'),
        ("**Kim** met _Yoon_ in [Seoul](https://example.org/seoul).", "Kim met Yoon in Seoul."),
        ("![photo](a.jpg) The 70<sup>th</sup> year", "The 70th year"),
        ("MaryAlice <s>Parker</s> \\[Parks\\]", "MaryAlice [Parks]"),
        ("snake_case stays, as does a * b", "snake_case stays, as does a b"),
    ],
)
def test_clean_inline(text, clean):
    assert clean_inline(text) == clean


def test_clean_title():
    assert clean_title("# Kim&#x27;s **visit**") == "Kim's visit"
    assert clean_title("Title: Talks resume") == "Talks resume"
    assert clean_title("  ") is None


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("View comments", "comments"),
        ("1.2k shares", "counter"),
        ("Share | Tweet | Email", "share"),
        ("---", "rule"),
        ("Crawled at: 2024-03-18T09:02:11Z", "crawl stamp"),
        ("(END)", "end mark"),
        ("Source: https://example.org/a", "source link"),
        ("He declined to comment.", None),
        ("Retrieved from the sea, the debris was examined.", None),
    ],
)
def test_chrome_lines(line, kind):
    assert chrome_kind(line) == kind


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Peninsula Wire | 2024-03-18 08:15", "date line"),
        ("Published :`2024-07-25 09:35:53`", "date line"),
        ("By Kim Min-ji, Yonhap", "byline"),
        ("n-korea-fires-missile-into-east-sea", "slug"),
        ("Talks resume in Seoul", "title"),
        ("On Dec. 28, 2025, North Korea said it had", None),
        ("By Monday, the North had fired three more.", None),
        ("SEOUL/TOKYO", None),
    ],
)
def test_chrome_around_the_story(line, kind):
    assert edge_kind(line, "Talks resume in Seoul") == kind
