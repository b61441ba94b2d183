"""Loading small inline inputs: every format, every bad-input kind, dates and duplicates.

The texts here are written for the tests (a few sentences in wire style).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis import cli, schema
from analysis.ingest import list_inputs, load_articles, summarize_manifest
from analysis.ingest.chrome import markdown_blocks
from analysis.nlp.actors import home_state

LEAD = (
    "North Korea fired a ballistic missile into the sea off its east coast on Sunday, "
    "South Korea's military said, the first such launch of the year."
)
MORE = [
    "The Joint Chiefs of Staff said the missile was fired from near Pyongyang in the "
    "afternoon and flew about 1,000 kilometers before it fell into the water.",
    "Officials in Seoul, Washington and Tokyo said they were sharing data on the flight "
    "and analysing what kind of missile had been launched.",
    "The launch came days after the North fired artillery shells near the western sea "
    "border, prompting the South to hold firing drills near frontline islands.",
]
STORY = "\n".join([LEAD, *MORE])


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def one(corpus, source_id: str) -> pd.Series:
    rows = corpus.manifest[corpus.manifest.source_id == source_id]
    assert len(rows) == 1, corpus.manifest
    return rows.iloc[0]


def test_frames_follow_the_schema(tmp_path):
    write(tmp_path / "a.txt", f"Missile launched\n\n{STORY}\n")
    corpus = load_articles([tmp_path])
    schema.check(corpus.articles, schema.ARTICLES, name="articles")
    schema.check(corpus.manifest, schema.MANIFEST, name="manifest")
    assert corpus.articles.article_id.str.fullmatch(r"a[0-9a-f]{15}").all()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", "", "empty file"),
        ("blank.txt", "  \n\n ", "empty file"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary file (PNG image)"),
        ("nul.dat", b"abc\x00def\x00" * 50, "binary file (contains NUL bytes)"),
    ],
)
def test_empty_and_binary_files_are_rejected(tmp_path, name, content, reason):
    write(tmp_path / name, content)
    write(tmp_path / "good.txt", f"Missile launched\n\n{STORY}\n")
    corpus = load_articles([tmp_path])
    row = one(corpus, name)
    assert row.status == "rejected"
    assert row.reason == reason
    assert one(corpus, "good.txt").status == "loaded"


def test_undecodable_bytes_are_rejected_with_reason(tmp_path):
    import random

    rng = random.Random(7)
    write(tmp_path / "noise.txt", bytes(rng.randrange(1, 256) for _ in range(4000)))
    row = one(load_articles([tmp_path]), "noise.txt")
    assert row.status == "rejected"
    assert row.reason.startswith(("undecodable", "binary file"))


KOREAN = (
    "북한이 일요일 동해상으로 탄도미사일을 발사했다고 합동참모본부가 밝혔다. "
    "군은 추가 발사에 대비해 감시와 경계를 강화하고 있으며 미국, 일본과 정보를 공유하고 있다. "
    "이번 발사는 올해 들어 첫 탄도미사일 발사다."
)
JAPANESE = (
    "北朝鮮は日曜日、弾道ミサイルを日本海に向けて発射したと韓国軍が発表した。"
    "防衛省によると、ミサイルは排他的経済水域の外に落下したとみられ、被害の報告はない。"
    "政府は北京の大使館ルートを通じて抗議した。"
)
CP1252 = (
    "North Korea’s leader called the South its “principal enemy” on Monday – a turn "
    "that officials in Seoul described as “deeply regrettable” in a statement… "
    "The assembly voted to abolish three agencies that handled relations with the South."
)


@pytest.mark.parametrize(
    ("text", "encoding", "language", "told"),
    [
        (KOREAN, "cp949", "ko", {"cp949", "euc-kr", "johab"}),
        (KOREAN, "euc-kr", "ko", {"cp949", "euc-kr"}),
        (JAPANESE, "shift_jis", "ja", {"shift_jis", "cp932"}),
        (CP1252, "cp1252", "en", {"cp1252", "cp1250", "latin-1", "iso8859_1"}),
    ],
)
def test_legacy_encodings_are_decoded(tmp_path, text, encoding, language, told):
    write(tmp_path / "story.txt", ("Headline of the story here\n\n" + text).encode(encoding))
    corpus = load_articles([tmp_path])
    row = one(corpus, "story.txt")
    assert row.status == "loaded"
    assert row.encoding in told
    article = corpus.articles.iloc[0]
    assert article.language == language
    assert text.split("。")[0].split(". ")[0] in article.body


def test_truncated_html(tmp_path):
    cut = "<html><head><title>Missile launch</title></head><body><article>"
    cut += "".join(f"<p>{p}</p>" for p in [LEAD, *MORE]) + "<p>Japan's defense ministry sa"
    write(tmp_path / "cut.html", cut)
    write(tmp_path / "empty.html", "<html><head><title>Nothing</title></head><body><div cla")
    corpus = load_articles([tmp_path])
    cut_row, empty_row = one(corpus, "cut.html"), one(corpus, "empty.html")
    assert cut_row.status == "loaded"
    assert cut_row.reason.startswith("truncated HTML")
    assert empty_row.status == "rejected"
    assert empty_row.reason.startswith("truncated HTML")
    body = corpus.articles.body.iloc[0]
    assert body.split("\n")[:2] == [LEAD, MORE[0]]


def test_malformed_json_lines_each_get_a_row(tmp_path):
    good = {"headline": "Missile launch", "story": STORY, "url": "https://example.org/1"}
    other = {"headline": "Talks", "story": "Envoys met in Seoul on Thursday.", "id": "x2"}
    lines = [json.dumps(good), "{not json", json.dumps([1, 2]), "", json.dumps(other)]
    write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    corpus = load_articles([tmp_path])
    manifest = corpus.manifest
    assert list(manifest.record) == [0, 1, 2, 4]
    assert list(manifest.status) == ["loaded", "rejected", "rejected", "loaded"]
    assert manifest.reason.iloc[1].startswith("malformed JSON on line 2")
    assert manifest.reason.iloc[2] == "line 3 is not a JSON object"
    assert list(corpus.articles.source_id) == ["https://example.org/1", "x2"]


def test_malformed_json_file_is_rejected(tmp_path):
    write(tmp_path / "broken.json", '[{"headline": "a", "story": "b"}, {"headline": ')
    row = one(load_articles([tmp_path]), "broken.json")
    assert row.status == "rejected"
    assert row.reason.startswith("malformed JSON at line 1")


def test_csv_without_text_column_is_rejected(tmp_path):
    write(tmp_path / "meta.csv", "date,title,url\n2024-01-14,Launch,https://example.org/1\n")
    row = one(load_articles([tmp_path]), "meta.csv")
    assert row.status == "rejected"
    assert row.reason.startswith("no text column")
    assert "date, title, url" in row.reason


def test_columns_option_maps_fields(tmp_path):
    frame = pd.DataFrame(
        {"when": ["2024-01-14"], "head": ["Launch"], "full_story": [STORY], "ref": ["r-1"]}
    )
    frame.to_csv(tmp_path / "odd.csv", index=False)
    corpus = load_articles(
        [tmp_path], columns={"body": "full_story", "title": "head", "date": "when", "id": "ref"}
    )
    article = corpus.articles.iloc[0]
    assert (article.title, article.source_id, article.body) == ("Launch", "r-1", STORY)
    assert article.published_date == pd.Timestamp("2024-01-14")
    missing = load_articles([tmp_path], columns={"body": "nope"})
    assert one(missing, "odd.csv").reason.startswith("column 'nope' given for body")


def test_unreadable_file_and_folder(tmp_path, monkeypatch):
    write(tmp_path / "locked.txt", f"Headline here\n\n{STORY}\n")
    write(tmp_path / "sub" / "ok.txt", f"Headline here\n\n{STORY}\n")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    real_open = Path.open

    def deny(self, *args, **kwargs):
        # Tests may run as root, where chmod 000 still reads: deny it here instead.
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    real_walk = os.walk

    def walk(top, onerror=None, **kwargs):
        for entry in real_walk(top, onerror=onerror, **kwargs):
            if entry[0].endswith("sub"):
                onerror(PermissionError(13, "Permission denied", entry[0]))
                continue
            yield entry

    monkeypatch.setattr(os, "walk", walk)
    corpus = load_articles([tmp_path])
    assert one(corpus, "locked.txt").reason == "unreadable: permission denied"
    assert one(corpus, "dangling.txt").reason == "unreadable: no such file (broken link)"
    assert one(corpus, "sub").reason == "unreadable folder: Permission denied"
    assert len(corpus.articles) == 0


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000, "could not be read (RecursionError"),
        ("cut.json", '[{"headline": "T", "story": "Envoys met', "malformed JSON at line 1"),
        ("date.md", "---\ntitle: T\ndate: 2024-13-45\n---\n# T\n\n---\n",
         "no article text found"),
        ("bom.txt", b"\xff\xfea\x00b", "undecodable: byte-order mark says utf-16"),
        ("short.tsv", "564111644\t20160728\tUSA\n", "unknown GDELT layout: 3 tab-separated"),
    ],
)  # fmt: skip
def test_malformed_input_is_one_rejected_row_with_its_reason(tmp_path, name, content, reason):
    write(tmp_path / name, content)
    write(tmp_path / "good.txt", f"Missile launched\n\n{STORY}\n")
    corpus = load_articles([tmp_path])
    assert len(corpus.manifest) == 2
    row = one(corpus, name)
    assert row.status == "rejected"
    assert row.reason.startswith(reason), row.reason
    assert one(corpus, "good.txt").status == "loaded"


@pytest.mark.parametrize(
    ("reader", "error"), [("parse_markup", TypeError), ("table_articles", KeyError)]
)
def test_a_bug_in_a_reader_is_raised_not_reported_as_bad_input(
    tmp_path, monkeypatch, reader, error
):
    from analysis.ingest import load

    def broken(*args, **kwargs):
        raise error("a bug")

    monkeypatch.setattr(load, reader, broken)
    write(tmp_path / "a.md", f"---\ntitle: Launch\n---\n{STORY}\n")
    write(tmp_path / "b.json", json.dumps([{"headline": "Launch", "story": STORY}]))
    with pytest.raises(error, match="a bug"):
        load_articles([tmp_path])


def test_record_with_a_dated_dateline_and_no_url_loads(tmp_path):
    records = [{"headline": "A", "story": "Pyongyang, January 2 (KCNA) -- " + STORY}]
    write(tmp_path / "feed.json", json.dumps(records))
    corpus = load_articles([tmp_path])
    assert corpus.manifest.status.tolist() == ["loaded"]
    article = corpus.articles.iloc[0]
    # No year in the dateline, the URL or the file name: the date stays missing.
    assert (article.dateline, article.date_method) == ("Pyongyang", "missing")
    assert pd.isna(article.published_date)


def test_a_url_without_a_readable_host_has_no_outlet(tmp_path):
    records = [{"headline": "A", "story": STORY, "url": "http://[example.org/2024/01/14/a"}]
    write(tmp_path / "feed.json", json.dumps(records))
    corpus = load_articles([tmp_path])
    assert corpus.manifest.status.tolist() == ["loaded"]
    assert pd.isna(corpus.articles.outlet.iloc[0])


def test_an_outlet_missing_from_front_matter_comes_from_the_pages_url(tmp_path):
    # a release archived under an official host speaks for its government
    page = "https://bidenwhitehouse.archives.gov/briefing-room/statements-releases/2022/x/"
    write(tmp_path / "r.md", f"---\ntitle: Readout\nsource_url: {page}\n---\n" + STORY)
    write(
        tmp_path / "n.md", "---\ntitle: Note\nsource_url: https://www.example.org/a\n---\n" + STORY
    )
    articles = load_articles([tmp_path]).articles.set_index("source_id")
    assert articles.loc["r.md", "url"] == page
    assert articles.loc["r.md", "outlet"] == "The White House"
    assert home_state(articles.loc["r.md", "outlet"]) == "USA"
    # an unknown host is still the outlet's best name, and speaks for no state
    assert articles.loc["n.md", "outlet"] == "example.org"
    assert home_state(articles.loc["n.md", "outlet"]) is None


def test_front_matter_date_out_of_range_is_no_date(tmp_path):
    write(
        tmp_path / "typo.md", f"---\ntitle: Launch\npost_date: 1024-01-14 10:00:00\n---\n{STORY}\n"
    )
    corpus = load_articles([tmp_path])
    assert corpus.manifest.status.tolist() == ["loaded"]
    assert corpus.articles.date_method.tolist() == ["missing"]


def test_missing_path_is_a_row_not_a_traceback(tmp_path):
    corpus = load_articles([tmp_path / "absent.txt"])
    assert corpus.manifest.status.tolist() == ["rejected"]
    assert corpus.manifest.reason.tolist() == ["unreadable: no such file"]
    assert summarize_manifest(corpus.manifest) == (
        "1 inputs: 0 loaded, 0 duplicate, 1 rejected (1 unreadable)"
    )


def _event_row(event_id: str, url: str | None, added: str = "20160728") -> str:
    """A GDELT 1.0 event row: 58 fields, or 57 (the backfile) when ``url`` is None."""
    cells = [event_id, "20160727", "201607", "2016", "2016.5699"] + [""] * 51 + [added]
    return "\t".join(cells if url is None else [*cells, url])


def test_gdelt1_export_loads_one_metadata_article_per_url(tmp_path):
    a, b = "https://example.org/news/2016/07/28/one", "http://www.example.com/two.html"
    lines = [
        _event_row("564111644", a),
        _event_row("564111645", b),
        _event_row("564111646", a),  # a second event coded from the same article
        _event_row("1552829", None),  # backfile: no SOURCEURL
        "564111647\t20160727\tcut short",
    ]
    write(tmp_path / "20160728.export.CSV", "\n".join(lines) + "\n")
    corpus = load_articles([tmp_path])
    articles, manifest = corpus.articles, corpus.manifest
    schema.check(articles, schema.ARTICLES)
    assert manifest.record.tolist() == [0, 1, 2, 3, 4]
    assert manifest.status.tolist() == ["loaded", "loaded", "duplicate", "rejected", "rejected"]
    assert articles.url.tolist() == [a, b] == articles.source_id.tolist()
    assert articles.outlet.tolist() == ["example.org", "example.com"]
    assert manifest.duplicate_of[2] == articles.article_id[0]
    assert manifest.reason[2].startswith("same source as record 0")
    assert manifest.reason[3] == "GDELT event with no source URL (a backfile record)"
    assert manifest.reason[4] == "malformed GDELT row: 3 fields, expected 58 or 57"
    assert (manifest.format == "gdelt1-events").all()
    assert (articles.published_date == pd.Timestamp("2016-07-28")).all()
    assert articles.published_at.isna().all()
    assert (articles.date_precision == "day").all() and (articles.timezone == "UTC").all()
    assert (articles.body == "").all() and (articles.n_words == 0).all()
    assert articles.duplicate_of.isna().all() and articles.article_id.is_unique
    assert summarize_manifest(manifest) == (
        "5 inputs: 2 loaded, 1 duplicate, 2 rejected "
        "(1 GDELT event with no source URL, 1 malformed GDELT row)"
    )
    # Stages downstream take text-less articles without breaking.
    from analysis.pipeline import process_articles

    frames = process_articles(articles)
    assert {name: len(frame) for name, frame in frames.items()} == {
        "sentences": 0,
        "mentions": 0,
        "events": 0,
    }


def test_gdelt2_mentions_with_header_and_headerless(tmp_path):
    from analysis.ingest.gdelt import GDELT2_MENTIONS

    url = "https://news.example.net/2017/07/01/story"
    rows = [
        ["669670701", "20170701234500", "20170701234500", "1", "example.net", url, "4"]
        + ["1", "2", "3", "1", "100", "2579", "0.8", "srclc:spa;eng:GT-SPA 1.0", ""],
        ["669670702", "20170701220000", "20170701221500", "1", "example.net", url, "7"]
        + ["1", "2", "3", "1", "100", "2579", "0.8", "srclc:spa;eng:GT-SPA 1.0", ""],
        ["669670703", "20170701220000", "20170702001500", "1", "other.org", "http://other.org/x"]
        + ["1", "1", "2", "3", "1", "100", "900", "-1.5", "", ""],
    ]
    header = ",".join(name.lower() for name in GDELT2_MENTIONS)
    write(tmp_path / "a" / "mentions.csv", "\n".join([header] + [",".join(r) for r in rows]))
    write(tmp_path / "b" / "20170701.mentions.CSV", "\n".join("\t".join(r) for r in rows))
    for folder in ("a", "b"):
        corpus = load_articles([tmp_path / folder])
        articles = corpus.articles.set_index("url")
        assert corpus.manifest.status.tolist() == ["loaded", "duplicate", "loaded"]
        assert (corpus.manifest.format == "gdelt2-mentions").all()
        assert articles.loc[url, "published_at"] == "2017-07-01T22:15:00+00:00"  # earliest
        assert articles.loc[url, "published_date"] == pd.Timestamp("2017-07-01")
        assert articles.loc[url, "language"] == "es"
        assert articles.loc[url, "outlet"] == "example.net"
        # 00:15 UTC on 2 July: the UTC calendar date, not a local one.
        other = articles.loc["http://other.org/x"]
        assert other.published_date == pd.Timestamp("2017-07-02")
        assert other.language == "en" and other.timezone == "UTC"


def test_gdelt2_event_export_and_missing_dateadded(tmp_path):
    url = "https://example.org/2017/07/01/story"
    cells = ["669670701", "20170630", "201706", "2017", "2017.4932"] + [""] * 54
    write(
        tmp_path / "20170701234500.export.CSV",
        "\t".join([*cells, "20170701234500", url])
        + "\n"
        + "\t".join([*cells, "", "http://example.net/b"])
        + "\n",
    )
    corpus = load_articles([tmp_path])
    articles = corpus.articles.set_index("url")
    assert (corpus.manifest.format == "gdelt2-events").all()
    assert articles.loc[url, "published_at"] == "2017-07-01T23:45:00+00:00"
    assert articles.loc[url, "date_method"] == "metadata"
    # No DATEADDED: the event's own day (SQLDATE), marked as inferred.
    other = articles.loc["http://example.net/b"]
    assert other.published_date == pd.Timestamp("2017-06-30")
    assert other.date_method == "inferred" and pd.isna(other.published_at)


def test_same_url_in_two_gdelt_exports_is_a_duplicate(tmp_path):
    url = "https://example.org/news/one"
    write(tmp_path / "1.export.CSV", _event_row("564111644", url) + "\n")
    write(tmp_path / "2.export.CSV", _event_row("564111999", url, "20160729") + "\n")
    corpus = load_articles([tmp_path])
    assert corpus.manifest.status.tolist() == ["loaded", "duplicate"]
    assert corpus.articles.duplicate_of[1] == corpus.articles.article_id[0]
    assert corpus.articles.article_id.is_unique


def test_gdelt_column_list_is_rejected(tmp_path):
    from analysis.ingest.gdelt import GDELT2_EVENTS

    write(tmp_path / "columns.txt", "\n".join(["tableId", *GDELT2_EVENTS]) + "\n")
    described = ["tableId,dataType,Empty,Description"] + [
        f'{name},STRING,NULLABLE,"What {name} holds, in words."' for name in GDELT2_EVENTS
    ]
    write(tmp_path / "schema.csv", "\n".join(described) + "\n")
    corpus = load_articles([tmp_path])
    assert len(corpus.articles) == 0
    assert (corpus.manifest.status == "rejected").all()
    assert (corpus.manifest.format == "gdelt-columns").all()
    assert (
        corpus.manifest.reason.tolist()
        == ["GDELT column list, not articles (names 61 columns of a GDELT table)"] * 2
    )


def test_text_slices_cover_every_row_within_the_byte_bound():
    import pyarrow as pa

    from analysis.ingest.dedup import byte_slices

    texts = ["x" * n for n in (10, 300, 5, 0, 700, 40, 40, 40)]
    arr = pa.chunked_array([texts[:3], texts[3:]], type=pa.large_string())
    slices = byte_slices(arr, rows=3, max_bytes=400)
    starts = [start for start, _ in slices]
    assert starts == sorted(starts) and starts[0] == 0
    assert sum(length for _, length in slices) == len(texts)
    for start, length in slices:
        size = sum(len(t) for t in texts[start : start + length])
        assert length <= 3 and (size <= 400 or length == 1)


def test_format_is_told_from_content_not_suffix(tmp_path):
    write(tmp_path / "a.txt", json.dumps([{"headline": "T", "story": STORY, "id": "j1"}]))
    write(tmp_path / "b.dat", "<html><body><article><p>" + LEAD + "</p></article></body></html>")
    write(tmp_path / "c.txt", "headline,story\nT2," + json.dumps(STORY.replace("Sunday", "Monday")))
    corpus = load_articles([tmp_path])
    assert corpus.manifest.format.tolist() == ["json", "html", "csv"]
    assert (corpus.manifest.status == "loaded").all()


def test_front_matter_utc_post_date_goes_to_dateline_zone(tmp_path):
    page = (
        "---\npost_title: 'Missile fired'\npost_date: 2016-03-17 23:01:06\npublished: true\n"
        "original_link:\n  - http://feeds.reuters.com/x/story01.htm\n---\n"
        '<div><p><span class="articleLocation">SEOUL</span> '
        + LEAD
        + "</p>"
        + "".join(f"<p>{p}</p>" for p in MORE)
        + "<p>(Reporting by Jane Roe; Editing by John Doe)</p></div>"
    )
    write(tmp_path / "2016-03-17-missile.md", page)
    article = load_articles([tmp_path]).articles.iloc[0]
    assert article.published_date == pd.Timestamp("2016-03-18")
    assert article.published_at == "2016-03-18T08:01:06+09:00"
    assert (article.timezone, article.date_method, article.dateline) == (
        "Asia/Seoul",
        "metadata",
        "SEOUL",
    )
    assert article.body.startswith("North Korea fired")
    assert article.body.endswith("frontline islands.")
    assert (article.byline, article.outlet, article.title) == (
        "Jane Roe",
        "Reuters",
        "Missile fired",
    )


def test_markdown_with_front_matter(tmp_path):
    page = (
        "---\ntitle: Envoys meet\ndate: 2024-01-18\n---\n# Envoys meet\n\n"
        "SEOUL, Jan. 18 (Yonhap) -- The nuclear envoys of South Korea, the United States and\n"
        "Japan met in Seoul on Thursday, **officials** said.\n\n"
        "They discussed [the launch](https://example.org/launch) of a missile on Sunday.\n"
    )
    write(tmp_path / "envoys.md", page)
    article = load_articles([tmp_path]).articles.iloc[0]
    assert article.format == "markdown"
    assert article.body.split("\n") == [
        "The nuclear envoys of South Korea, the United States and Japan met in Seoul on "
        "Thursday, officials said.",
        "They discussed the launch of a missile on Sunday.",
    ]
    assert (article.dateline, article.byline, article.outlet) == ("SEOUL", "Yonhap", "Yonhap")
    assert article.published_date == pd.Timestamp("2024-01-18")


def test_a_wrapped_line_opening_in_lower_case_is_no_byline():
    # "... led / by Prime Minister X": the sentence goes on; "By Jane Doe"
    # after a blank line is a byline that stands alone.
    text = (
        "By Jane Doe\n\nThe summit was led\n"
        "by Prime Minister Kishida Fumio of Japan, President Yoon\n"
        "Suk Yeol of the Republic of Korea and President Biden.\n"
    )
    assert markdown_blocks(text).paragraphs == [
        "By Jane Doe",
        "The summit was led by Prime Minister Kishida Fumio of Japan, President Yoon Suk Yeol "
        "of the Republic of Korea and President Biden.",
    ]


def test_a_number_wrapped_to_a_line_start_is_no_list_item():
    # Hard-wrapped Markdown: "August / 25." continues the paragraph; only an
    # ordered list starting at 1 interrupts one (CommonMark). Lists stay lists.
    text = (
        "The leaders first met in Washington on August\n25. They met again in October.\n\n"
        "The steps:\n1. a call\n2. a visit\n\n3. a summit\n"
    )
    assert markdown_blocks(text).paragraphs == [
        "The leaders first met in Washington on August 25. They met again in October.",
        "The steps:",
        "a call",
        "a visit",
        "a summit",
    ]


@pytest.mark.parametrize(
    ("front", "title", "date", "warning"),
    [
        ("title: [unclosed\ndate: 2024-01-01", "[unclosed", "2024-01-01",
         "malformed YAML front matter at line 3; read as key: value lines"),
        ("title: T\ndate: 2024-13-45", "T", None,
         "malformed YAML front matter: month must be in 1..12; read as key: value lines; "
         "unreadable date in date: '2024-13-45'"),
        ("- a\n- b", None, None,
         "malformed YAML front matter: not a mapping of keys to values; ignored"),
        ("title: T\nauthor: Kim Min-ji\n\tLee Jun-ho\ndate: 2020-09-25-07-58-10 ", "T",
         "2020-09-25", "malformed YAML front matter at line 4; read as key: value lines"),
    ],
)  # fmt: skip
def test_malformed_front_matter_loads_with_a_warning(tmp_path, front, title, date, warning):
    write(tmp_path / "bad.md", f"---\n{front}\n---\n" + STORY)
    corpus = load_articles([tmp_path])
    row = one(corpus, "bad.md")
    assert (row.status, row.warnings) == ("loaded", warning)
    article = corpus.articles.iloc[0]
    assert article.body == " ".join(STORY.split("\n"))  # Markdown: one paragraph
    assert (None if pd.isna(article.title) else article.title) == title
    if date is None:
        assert pd.isna(article.published_date)
    else:
        assert article.published_date == pd.Timestamp(date)


def test_front_matter_without_its_closing_line_loads_with_a_warning(tmp_path):
    write(tmp_path / "cut.md", "---\ntitle: Envoys meet\nposted: 2024.01.18 14:02\n\n" + STORY)
    corpus = load_articles([tmp_path])
    row = one(corpus, "cut.md")
    assert (row.status, row.warnings) == (
        "loaded",
        "front matter not closed; read up to the first blank line",
    )
    article = corpus.articles.iloc[0]
    assert (article.title, article.published_date) == ("Envoys meet", pd.Timestamp("2024-01-18"))
    assert article.body.startswith("North Korea fired")


def test_a_one_paragraph_html_story_under_front_matter_is_all_story(tmp_path):
    # Too short for boilerplate removal, and no page around it: nothing is boilerplate.
    write(
        tmp_path / "short.md",
        f"---\ntitle: T\nPosted : Jan.14,2024 09:30 KST\n---\n<p>{LEAD}</p>\n",
    )
    corpus = load_articles([tmp_path])
    assert one(corpus, "short.md").status == "loaded"
    article = corpus.articles.iloc[0]
    assert (article.body, article.published_date) == (LEAD, pd.Timestamp("2024-01-14"))


def test_a_clean_input_has_no_warnings(tmp_path):
    write(tmp_path / "ok.md", "---\ntitle: T\ndate: 2024-01-14\n---\n" + STORY)
    write(tmp_path / "feed.jsonl", json.dumps({"headline": "T", "story": STORY, "id": "x"}))
    assert load_articles([tmp_path]).manifest.warnings.isna().all()


def test_ragged_csv_loads_the_rows_that_fit(tmp_path):
    rows = [
        "date,headline,story,section",
        f'2024-01-14,Launch,"{LEAD}",Defense',
        f'2024-01-15,Talks,"{MORE[0]}"',  # short: no section
        f"2024-01-16,Drill,{MORE[1]},Defense",  # unquoted commas: more fields than the header
        f'2024-01-17,Border,"{MORE[2]}",Defense',
    ]
    write(tmp_path / "ragged.csv", "\n".join(rows) + "\n")
    corpus = load_articles([tmp_path])
    manifest = corpus.manifest
    assert list(manifest.record) == [0, 1, 2, 3]
    assert list(manifest.status) == ["loaded", "loaded", "rejected", "loaded"]
    assert manifest.warnings[1] == "short row: 3 of 4 fields"
    assert manifest.reason[2] == "malformed CSV row: 5 fields, the header names 4"
    assert manifest.warnings.drop(index=1).isna().all()
    assert list(corpus.articles.title) == ["Launch", "Talks", "Border"]
    assert corpus.articles.section.isna().tolist() == [False, True, False]


def test_csv_with_a_broken_quote_accounts_for_every_record(tmp_path):
    # pandas refuses it; read row by row, the open quote swallows the last row.
    write(tmp_path / "quote.csv", f'headline,story\n"a,"b\nc"""\n"\nT,"{LEAD}\n')
    manifest = load_articles([tmp_path]).manifest
    assert list(manifest.record) == [0, 1, 2]
    assert list(manifest.reason) == [
        "empty story",
        "empty story",
        "malformed CSV row: 3 fields, the header names 2",
    ]


def test_json_with_trailing_commas_and_a_byte_order_mark_loads(tmp_path):
    text = f'[{{"headline": "Launch", "story": "{LEAD}", "id": "a1",}},\n]'
    write(tmp_path / "feed.json", "\ufeff".encode() + text.encode())
    lines = [f'{{"headline": "Talks", "story": "{MORE[0]}", "id": "b1",}}', ""]
    write(tmp_path / "feed.jsonl", "\n".join(lines))
    corpus = load_articles([tmp_path])
    assert list(corpus.manifest.status) == ["loaded", "loaded"]
    assert list(corpus.manifest.warnings) == ["JSON with trailing commas (repaired)"] * 2
    assert list(corpus.articles.body) == [LEAD, MORE[0]]


@pytest.mark.parametrize(
    ("opening", "url", "expected", "method", "place", "zone"),
    [
        ("SEOUL, Dec. 28 (Yonhap) -- ", "https://example.org/2023/x", "2023-12-28", "dateline",
         "SEOUL", "Asia/Seoul"),
        ("Pyongyang, January 2 (KCNA) -- ", "https://example.org/2024/y", "2024-01-02",
         "dateline", "Pyongyang", "Asia/Pyongyang"),
        ("", "https://example.org/news/2024/01/19/z", "2024-01-19", "url", None, None),
        ("", "https://example.org/z", None, "missing", None, None),
    ],
)  # fmt: skip
def test_date_precedence_for_records(tmp_path, opening, url, expected, method, place, zone):
    record = {"headline": "Launch", "story": opening + STORY, "url": url}
    write(tmp_path / "one.json", json.dumps([record]))
    article = load_articles([tmp_path]).articles.iloc[0]
    assert article.date_method == method
    if expected is None:
        assert pd.isna(article.published_date)  # never today's date
    else:
        assert article.published_date == pd.Timestamp(expected)
    assert (article.dateline if place else None) == place
    assert (article.timezone if zone else None) == zone
    assert article.body == STORY


def test_epoch_milliseconds_and_metadata_over_dateline(tmp_path):
    records = [
        {"headline": "A", "story_text": "Pyongyang, January 2 (KCNA) -- " + STORY,
         "link": "https://example.org/a", "date": 1704153600000},
    ]  # fmt: skip
    write(tmp_path / "feed.json", json.dumps(records))
    article = load_articles([tmp_path]).articles.iloc[0]
    assert article.published_date == pd.Timestamp("2024-01-02")
    assert article.date_method == "metadata"
    assert article.source_id == "https://example.org/a"


def test_copied_page_without_any_date_clue_is_missing(tmp_path):
    page = "Home\nLogin\nWorld\n\nMissile launched into the sea\n\n" + STORY + "\n\n0 Comments\n"
    write(tmp_path / "page.txt", page)
    article = load_articles([tmp_path]).articles.iloc[0]
    assert article.title == "Missile launched into the sea"
    assert article.body == STORY
    assert article.date_method == "missing"
    assert pd.isna(article.published_date)


def test_copied_page_date_inferred_from_week_panel(tmp_path):
    page = (
        "Register / Login\nnational\n\nMissile launched into the sea\n\n3 Comments\nSEOUL\n\n"
        + STORY.replace("\n", "\n\n")
        + "\n\n© AFP\n\n©2024 Some Media Inc.\n\nLogin to comment\n"
        "This Week: Events for Jan. 8 – 14\n"
    )
    write(tmp_path / "page.txt", page)
    article = load_articles([tmp_path]).articles.iloc[0]
    assert article.published_date == pd.Timestamp("2024-01-14")  # the Sunday of that week
    assert (article.date_method, article.date_precision) == ("inferred", "day")
    assert (article.section, article.dateline, article.byline, article.outlet) == (
        "national",
        "SEOUL",
        "AFP",
        "AFP",
    )
    assert article.body == STORY


def test_exact_and_near_duplicates_flagged_not_dropped(tmp_path):
    lead_rewrite = (
        LEAD.replace("a ballistic missile", "an intermediate-range ballistic missile")
        + "\n"
        + "\n".join(MORE)
        + "\nThe North said in November it had tested engines for a new solid-fuel missile."
    )
    other = (
        "The top envoys of South Korea, the United States and Japan met in Seoul on "
        "Thursday to discuss the North's weapons programs and its ties with Russia, "
        "and agreed to keep working together on the enforcement of sanctions."
    )
    records = [
        {"id": "w1", "headline": "N. Korea fires missile", "story": STORY, "date": "2024-01-14"},
        {"id": "w2", "headline": "Envoys meet", "story": other, "date": "2024-01-18"},
        {"id": "w3", "headline": "(LEAD) N. Korea fires IRBM", "story": lead_rewrite,
         "date": "2024-01-14"},
        {"id": "w4", "headline": "N. Korea fires missile", "story": STORY, "date": "2024-01-14"},
    ]  # fmt: skip
    write(tmp_path / "wire.json", json.dumps(records))
    corpus = load_articles([tmp_path])
    articles = corpus.articles.set_index("source_id")
    first = articles.loc["w1", "article_id"]
    assert articles.loc["w3", "duplicate_of"] == first
    assert articles.loc["w4", "duplicate_of"] == first
    assert pd.isna(articles.loc["w2", "duplicate_of"])
    assert pd.isna(articles.loc["w1", "duplicate_of"])
    assert corpus.articles.article_id.is_unique
    assert corpus.manifest.status.tolist() == ["loaded", "loaded", "duplicate", "duplicate"]
    assert summarize_manifest(corpus.manifest) == "4 inputs: 2 loaded, 2 duplicate, 0 rejected"


def test_dates_far_apart_are_not_near_duplicates(tmp_path):
    changed = STORY.replace("Sunday", "Saturday").replace("about 1,000", "some 800")
    records = [
        {"id": "a", "headline": "x", "story": STORY, "date": "2024-01-14"},
        {"id": "b", "headline": "y", "story": changed, "date": "2024-03-02"},
    ]
    write(tmp_path / "wire.json", json.dumps(records))
    assert load_articles([tmp_path]).articles.duplicate_of.isna().all()


def test_the_same_text_issued_again_months_later_is_no_copy(tmp_path):
    # a formulaic statement issued for two launches; and a re-listing the next day
    records = [
        {"id": "a", "headline": "x", "story": STORY, "date": "2023-03-15"},
        {"id": "b", "headline": "x", "story": STORY, "date": "2024-10-30"},
        {"id": "c", "headline": "x", "story": STORY, "date": "2024-10-31"},
    ]
    write(tmp_path / "wire.json", json.dumps(records))
    articles = load_articles([tmp_path]).articles
    first, second, relisted = articles.itertuples()
    assert pd.isna(first.duplicate_of) and pd.isna(second.duplicate_of)
    assert relisted.duplicate_of == second.article_id


def test_same_input_same_frames(tmp_path, sample):
    first = load_articles([sample])
    second = load_articles([sample])
    pd.testing.assert_frame_equal(first.articles, second.articles)
    pd.testing.assert_frame_equal(first.manifest, second.manifest)


def test_list_inputs_walks_sorted_and_skips_docs(tmp_path):
    for name in ["b/2.txt", "a/1.txt", "README.md", ".hidden.txt", "c.json"]:
        write(tmp_path / name, "x")
    names = [p.relative_to(tmp_path).as_posix() for p in list_inputs([tmp_path])]
    assert names == ["a/1.txt", "b/2.txt", "c.json"]


def test_progress_bar_does_not_change_results(tmp_path, sample, capsys):
    quiet = load_articles([sample])
    shown = load_articles([sample], progress=True)
    pd.testing.assert_frame_equal(quiet.articles, shown.articles)


def test_cli_load_writes_and_exits_by_what_loaded(tmp_path, capsys):
    write(tmp_path / "in" / "a.txt", f"Missile launched\n\n{STORY}\n")
    out = tmp_path / "articles.csv"
    assert cli.main(["-q", "load", str(tmp_path / "in"), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == "1 inputs: 1 loaded, 0 duplicate, 0 rejected"
    assert pd.read_csv(out).body.tolist() == [STORY]
    write(tmp_path / "bad" / "empty.txt", "")
    assert cli.main(["-q", "load", str(tmp_path / "bad")]) == 1
    assert "1 rejected (1 empty file)" in capsys.readouterr().out
