"""Publication dates of articles (``analysis.ingest.dates``): datelines, URLs, zones, precedence.

Tiny inputs written for the tests, in the forms wire stories and news sites use.
"""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.ingest.dates import (
    MISSING,
    PubDate,
    dateline_date,
    infer_date,
    line_stamp,
    localize,
    page_stamp,
    parse_dateline,
    parse_stamp,
    publication_date,
    stamp_date,
    url_date,
    url_year,
    zone_of,
)

LEAD = "North Korea fired a ballistic missile on Thursday, the South's military said."


@pytest.mark.parametrize(
    ("text", "place", "date", "agency"),
    [
        ("SEOUL, Dec. 28 (Yonhap) -- ", "SEOUL", "Dec. 28", "Yonhap"),
        ("Pyongyang, January 2 (KCNA) -- ", "Pyongyang", "January 2", "KCNA"),
        ("TOKYO (Reuters) - ", "TOKYO", None, "Reuters"),
        ("SEOUL -- ", "SEOUL", None, None),
        ("YEONPYEONG ISLAND, Nov. 23 -- ", "YEONPYEONG ISLAND", "Nov. 23", None),
    ],
)
def test_dateline_parts_and_the_story_after_it(text, place, date, agency):
    match = parse_dateline(text + LEAD)
    assert match is not None
    assert (match["place"], match["date"], match["agency"]) == (place, date, agency)
    assert (text + LEAD)[match.end() :] == LEAD


@pytest.mark.parametrize(
    "text",
    [
        LEAD,
        "Analysis - what the launch means for talks with Washington.",
        "Officials in Seoul said -- without giving details -- that talks would resume.",
    ],
)
def test_an_ordinary_opening_is_not_a_dateline(text):
    assert parse_dateline(text) is None


def test_dateline_date_takes_the_year_it_is_given_and_never_guesses_one():
    match = parse_dateline("SEOUL, Dec. 28 (Yonhap) -- " + LEAD)
    assert dateline_date(match, 2023) == dt.date(2023, 12, 28)
    assert dateline_date(match, None) is None  # no year: no date, not this year's
    dated = parse_dateline("SEOUL, Dec. 28, 2022 (Yonhap) -- " + LEAD)
    assert dateline_date(dated, 2023) == dt.date(2022, 12, 28)  # its own year wins
    assert dateline_date(parse_dateline("SEOUL, Feb. 30 (Yonhap) -- x"), 2024) is None
    assert dateline_date(parse_dateline("MADRID, 2 enero (EFE) -- x"), 2024) is None
    assert dateline_date(parse_dateline("TOKYO (Reuters) - x"), 2024) is None


@pytest.mark.parametrize(
    ("addresses", "date"),
    [
        (["https://example.org/news/2024/01/19/launch"], dt.date(2024, 1, 19)),
        (["https://example.org/20240119-launch.html"], dt.date(2024, 1, 19)),
        (["2023-12-31-plenary.md"], dt.date(2023, 12, 31)),
        (["https://example.org/2024/02/30/x"], None),  # no such day
        (["https://example.org/a", "posts/2024_3_7_talks.md"], dt.date(2024, 3, 7)),
        ([None, ""], None),
    ],
)
def test_url_date(addresses, date):
    assert url_date(*addresses) == date


def test_url_year_from_a_date_or_a_folder():
    assert url_year("https://example.org/2024/01/19/launch") == 2024
    assert url_year("https://example.org/archive/2016/story.html") == 2016
    assert url_year("https://example.org/story-12345.html", None) is None


@pytest.mark.parametrize(
    ("place", "zone"),
    [
        ("SEOUL", "Asia/Seoul"),
        ("Pyongyang", "Asia/Pyongyang"),
        ("YEONPYEONG ISLAND", "Asia/Seoul"),
        ("SEOUL/TOKYO", "Asia/Seoul"),
        ("U.N.", None),
        ("Atlantis", None),
        (None, None),
    ],
)
def test_zone_of(place, zone):
    assert zone_of(place) == zone


def test_localize_gives_the_local_date_of_a_utc_time():
    late = dt.datetime(2016, 3, 17, 23, 1, 6, tzinfo=dt.UTC)
    seoul = localize(late, "Asia/Seoul")
    assert seoul == PubDate(
        dt.date(2016, 3, 18), "metadata", "day", "2016-03-18T08:01:06+09:00", "Asia/Seoul"
    )
    # A naive time is UTC; without a known zone it stays UTC.
    assert localize(late.replace(tzinfo=None), None).date == dt.date(2016, 3, 17)
    assert localize(late, "Nowhere/Atlantis").timezone == "UTC"


def test_page_stamp_prefers_a_published_line():
    lines = ["Jan. 14, 2024", "Published: Jan. 15, 2024 10:24 KST", "Top stories"]
    stamp = page_stamp(lines)
    assert stamp == PubDate(
        dt.date(2024, 1, 15), "metadata", "day", "2024-01-15T10:24:00+09:00", "Asia/Seoul"
    )
    sentence = "Officials said the talks, first held on Jan. 15, 2024, would resume in the spring."
    assert page_stamp([sentence]) == MISSING


PAGE = "Events for Jan. 15 – 21\nHome | News\n© 2024 Example News"


def test_infer_date_from_a_week_panel_and_the_weekday_of_the_lead():
    assert infer_date(PAGE, LEAD) == PubDate(dt.date(2024, 1, 18), "inferred", "day")
    no_weekday = infer_date(PAGE, "North Korea fired a ballistic missile.")
    assert no_weekday == PubDate(dt.date(2024, 1, 15), "inferred", "week")
    # A year alone, or a week without a year, is too vague.
    assert infer_date("© 2024 Example News", LEAD) == MISSING
    assert infer_date("Events for Jan. 15 – 21", LEAD) == MISSING


def _clues(*, metadata: bool, dateline: bool, url: bool, page: bool) -> dict:
    stated = localize(dt.datetime(2024, 1, 17, 23, 0, tzinfo=dt.UTC), None) if metadata else MISSING
    line = parse_dateline("SEOUL, Jan. 16 (Yonhap) -- " + LEAD) if dateline else None
    return {
        "stated": stated,
        "dateline": line,
        "place": "SEOUL" if dateline else None,
        "addresses": ("https://example.org/2024/01/19/x" if url else "https://example.org/x",),
        "page": PAGE if page else "Home | News",
        "body": LEAD,
    }


@pytest.mark.parametrize(
    ("clues", "method", "date"),
    [
        ({"metadata": True, "dateline": True, "url": True, "page": True}, "metadata", (1, 17)),
        ({"metadata": False, "dateline": True, "url": True, "page": True}, "dateline", (1, 16)),
        ({"metadata": False, "dateline": False, "url": True, "page": True}, "url", (1, 19)),
        ({"metadata": False, "dateline": False, "url": False, "page": True}, "inferred", (1, 18)),
        ({"metadata": False, "dateline": False, "url": False, "page": False}, "missing", None),
    ],
)
def test_publication_date_precedence(clues, method, date):
    found = publication_date(**_clues(**clues))
    assert found.method == method
    assert found.date == (dt.date(2024, *date) if date else None)


def test_publication_date_zone_comes_from_the_dateline_place():
    found = publication_date(**_clues(metadata=True, dateline=True, url=True, page=True))
    # The stated time is UTC (its own zone); the dateline's place does not replace it.
    assert (found.date, found.timezone) == (dt.date(2024, 1, 17), "UTC")
    found = publication_date(**_clues(metadata=False, dateline=True, url=True, page=True))
    assert found.timezone == "Asia/Seoul"


def test_a_dateline_without_a_year_anywhere_is_not_dated_this_year():
    line = parse_dateline("SEOUL, Jan. 16 (Yonhap) -- " + LEAD)
    found = publication_date(MISSING, dateline=line, place="SEOUL", addresses=("story.txt",))
    assert found == PubDate(None, "missing", None, None, "Asia/Seoul")
    # The page's copyright line gives the year.
    found = publication_date(MISSING, dateline=line, page="© 2023 Example News", body=LEAD)
    assert (found.date, found.method) == (dt.date(2023, 1, 16), "dateline")


KST = dt.timezone(dt.timedelta(hours=9))


@pytest.mark.parametrize(
    ("text", "stamp"),
    [
        ("2024-07-25", dt.date(2024, 7, 25)),
        ("2024-07-25 09:35:53", dt.datetime(2024, 7, 25, 9, 35, 53)),
        ("2024-07-25T09:35:53+09:00", dt.datetime(2024, 7, 25, 9, 35, 53, tzinfo=KST)),
        ("2024-07-25T00:35:53Z", dt.datetime(2024, 7, 25, 0, 35, 53, tzinfo=dt.UTC)),
        ("2023-07-12 11:20:00 +0900", dt.datetime(2023, 7, 12, 11, 20, tzinfo=KST)),
        ("2020-09-25-07-58-10 ", dt.datetime(2020, 9, 25, 7, 58, 10)),
        ("2024/07/25", dt.date(2024, 7, 25)),
        ("2024.07.25 09:35", dt.datetime(2024, 7, 25, 9, 35)),
        ("Thu, 25 Jul 2024 09:35:53 +0900", dt.datetime(2024, 7, 25, 9, 35, 53, tzinfo=KST)),
        ("Dec. 28, 2025", dt.date(2025, 12, 28)),
        ("December 28, 2025 at 3:05 p.m.", dt.datetime(2025, 12, 28, 15, 5)),
        ("28 December 2025", dt.date(2025, 12, 28)),
        ("28-Dec-2025", dt.date(2025, 12, 28)),
        ("Posted on : Dec.28,2025 15:05 KST", dt.datetime(2025, 12, 28, 15, 5, tzinfo=KST)),
        ("2025. 12. 28. 15:05", dt.datetime(2025, 12, 28, 15, 5)),
        ("2025년 12월 28일", dt.date(2025, 12, 28)),
        ("1703721600", dt.datetime(2023, 12, 28, tzinfo=dt.UTC)),
        (1703721600000, dt.datetime(2023, 12, 28, tzinfo=dt.UTC)),
        ("Published :`2024-07-25 09:35:53`", dt.datetime(2024, 7, 25, 9, 35, 53)),
        ("2024-13-45", None),
        ("version 3.5 of the plan", None),
        ("12345", None),
        (True, None),
    ],
)
def test_parse_stamp_reads_every_common_form(text, stamp):
    assert parse_stamp(text) == stamp


def test_parse_stamp_keeps_a_named_zone():
    stamp = parse_stamp("Published: 07:58 BST, 25 September 2020")
    assert stamp.isoformat() == "2020-09-25T07:58:00+01:00"
    assert stamp_date(stamp, None).timezone == "Europe/London"


@pytest.mark.parametrize(
    ("line", "rank"),
    [
        ("Published :`2024-07-25 09:35:53`", 0),
        ("Published: 07:58 BST, 25 September 2020 | Updated: 09:12 BST, 25 September 2020", 0),
        ("Jan. 14, 2024", 1),
        ("Updated : 2024-07-31 08:10:02", 2),
        ("Crawled at: 2024-07-31T08:10:02Z", None),
        ("A sentence that mentions Jan. 14, 2024 and goes on " * 3, None),
    ],
)
def test_line_stamp_ranks_published_over_a_bare_date_over_updated(line, rank):
    found = line_stamp(line)
    assert (found[0] if found else None) == rank


def test_page_stamp_prefers_published_to_updated_whatever_the_order():
    lines = ["Updated : 2024-07-31 08:10:02", "Published : 2024-07-30 22:41:17"]
    assert page_stamp(lines).date == dt.date(2024, 7, 30)
    assert page_stamp(["Crawled at: 2024-07-31T08:10:02Z"]) == MISSING


def test_stamp_date_is_the_local_date_in_the_stated_zone():
    late = dt.datetime(2024, 1, 14, 23, 30, tzinfo=dt.UTC)
    # An offset or a zone: converted to the place's zone, else kept.
    assert stamp_date(late, "Asia/Seoul").date == dt.date(2024, 1, 15)
    assert stamp_date(late.astimezone(KST), None).at == "2024-01-15T08:30:00+09:00"
    assert stamp_date(late, None).date == dt.date(2024, 1, 14)
    # A stated zone is kept where no place is known, and named when it is a zone.
    assert stamp_date(late.astimezone(KST), None).timezone is None
    assert stamp_date(parse_stamp("Jan. 15, 2024 08:30 KST"), None).timezone == "Asia/Seoul"
    # A naive time is the wall-clock time of the place, unless it is a UTC feed time.
    naive = dt.datetime(2024, 3, 18, 20, 15)
    assert stamp_date(naive, "Asia/Seoul") == PubDate(
        dt.date(2024, 3, 18), "metadata", "day", "2024-03-18T20:15:00+09:00", "Asia/Seoul"
    )
    assert stamp_date(naive, "Asia/Seoul", utc=True).date == dt.date(2024, 3, 19)
    assert stamp_date(dt.date(2024, 3, 18), None) == PubDate(
        dt.date(2024, 3, 18), "metadata", "day"
    )
