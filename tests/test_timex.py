"""Time expressions: the table of cases in ``tests/data/nlp_timex_cases.csv`` and unit checks.

Cases from the real corpora point to an article (seed file, Reuters file,
KCNA link, White House file under ``corpora/wh-briefings``) and an
occurrence of the expression; the sentence is read from ``../shared`` at
test time. Written cases carry a sentence written for the
project. Each case must resolve to its expected range and precision, or stay
unresolved with its reason.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pandas as pd
import pytest
from conftest import SHARED, shared_path
from nlp_corpora import read_case_text

from analysis import schema
from analysis.ingest import load_articles
from analysis.nlp import find_dates, resolve_dates, sentence_spans, split_sentences
from analysis.nlp.timex import names_year, redate_for_modality

CASES_PATH = Path(__file__).parent / "data" / "nlp_timex_cases.csv"
CASES = pd.read_csv(CASES_PATH, dtype=str, keep_default_na=False)


@functools.cache
def read_wh(locator: str) -> str:
    """Return the body of a White House document, as the ingest stage reads it."""
    path = shared_path("corpora", "wh-briefings", *locator.split("/"))
    return load_articles([path]).articles["body"].iloc[0]


def case_sentence(case: pd.Series) -> tuple[str, int]:
    """Return the text to resolve and the offset of the case's expression in it."""
    if case["source"] == "written":
        return case["context"], _nth(case["context"], case["expression"], 1)
    shared_path()  # skip when ../shared is absent
    if case["source"] == "wh":
        text = read_wh(case["locator"])
    else:
        text = read_case_text(SHARED, case["source"], case["locator"])
    at = _nth(text, case["expression"], int(case["occurrence"]))
    for start, end in sentence_spans(text):
        if start <= at < end:
            return text[start:end], at - start
    raise AssertionError(f"{case['case_id']}: expression outside every sentence")


def _nth(text: str, needle: str, n: int) -> int:
    at = -1
    for _ in range(n):
        at = text.find(needle, at + 1)
        if at < 0:
            raise AssertionError(f"{needle!r} occurs fewer than {n} times")
    return at


@pytest.mark.parametrize("case_id", CASES["case_id"].tolist())
def test_case_table(case_id: str) -> None:
    case = CASES.set_index("case_id").loc[case_id]
    case = pd.concat([pd.Series({"case_id": case_id}), case])
    text, at = case_sentence(case)
    ref = case["reference_date"] or None
    found = resolve_dates(text, ref, timezone=case["timezone"] or None)
    rows = found[(found["start"] <= at) & (found["end"] > at)]
    assert len(rows) == 1, (
        f"no single expression at {case['expression']!r}: {found['text'].tolist()}"
    )
    row = rows.iloc[0]
    assert case["expression"] in row["text"]
    if case["reason"]:
        assert pd.isna(row["date_start"]) and pd.isna(row["date_end"])
        assert row["reason"] == case["reason"]
        return
    got = (row["date_start"].date(), row["date_end"].date(), row["precision"])
    want = (
        dt.date.fromisoformat(case["date_start"]),
        dt.date.fromisoformat(case["date_end"]),
        case["precision"],
    )
    assert got == want, f"{case_id} ({row['rule']}): got {got}, want {want}"


def test_table_is_large_and_mixed() -> None:
    assert len(CASES) >= 80
    assert set(CASES["source"]) >= {"seed", "reuters", "kcna2024", "written"}
    assert CASES["case_id"].is_unique
    assert set(CASES["precision"]) - {""} <= set(schema.PRECISIONS)


def test_resolve_dates_schema_and_offsets() -> None:
    text = "Seoul said on Tuesday that drills held last week would resume in early March."
    out = resolve_dates(text, dt.date(2024, 1, 18))
    schema.check(out, schema.DATES)
    assert out["text"].tolist() == ["Tuesday", "last week", "early March"]
    for row in out.itertuples():
        assert text[row.start : row.end] == row.text


@pytest.mark.parametrize(
    "reference",
    ["2024-01-18", dt.date(2024, 1, 18), pd.Timestamp("2024-01-18"), dt.datetime(2024, 1, 18, 9)],
)
def test_reference_date_types(reference) -> None:
    out = resolve_dates("It fired on Monday.", reference)
    assert out["date_start"].iloc[0] == pd.Timestamp("2024-01-15")


def test_bad_reference_date_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="not a date"):
        resolve_dates("on Monday", "next-ish")


def test_unknown_timezone_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="time zone"):
        resolve_dates("on Monday", "2016-03-09T23:30:00+00:00", timezone="Mars/Olympus")


def test_empty_and_missing_text() -> None:
    assert resolve_dates("", "2024-01-18").empty
    assert resolve_dates(None, "2024-01-18").empty
    schema.check(resolve_dates("no dates here", "2024-01-18"), schema.DATES)


def test_numbers_that_are_not_dates() -> None:
    out = resolve_dates("It flew 2024 km and 1,500 troops; the 3.5 version", "2024-01-18")
    assert out.empty, out


def test_deterministic() -> None:
    text = "The North fired on Jan. 5 and three days later it fired again, on Monday."
    a = resolve_dates(text, "2024-01-18")
    b = resolve_dates(text, "2024-01-18")
    pd.testing.assert_frame_equal(a, b)


def test_find_dates_frame() -> None:
    articles = pd.DataFrame(
        {
            "article_id": ["a", "b", "c"],
            "body": [
                "North Korea fired a missile on Monday.\nSeoul will respond next week.",
                "No reference here: it happened on Monday and on Jan. 14, 2024.",
                None,
            ],
            "published_date": pd.to_datetime(["2024-01-18", None, "2024-01-18"]),
        }
    )
    out = find_dates(articles)
    schema.check(out, schema.TIMEX)
    a = out[out["article_id"] == "a"]
    assert a["sentence_id"].tolist() == [0, 1]
    assert a["date_start"].tolist() == [pd.Timestamp("2024-01-15"), pd.Timestamp("2024-01-22")]
    b = out[out["article_id"] == "b"].set_index("text")
    assert b.loc["Monday", "reason"] == "no reference date"
    assert b.loc["Jan. 14, 2024", "date_start"] == pd.Timestamp("2024-01-14")
    # Offsets point into the body and sentence ids agree with split_sentences.
    sentences = split_sentences(articles)
    pd.testing.assert_frame_equal(out, find_dates(articles, sentences=sentences))
    for row in out.itertuples():
        body = articles.set_index("article_id").loc[row.article_id, "body"]
        assert body[row.start : row.end] == row.text


def test_find_dates_bad_input() -> None:
    with pytest.raises(TypeError, match="DataFrame"):
        find_dates(["not", "a", "frame"])
    with pytest.raises(ValueError, match="body"):
        find_dates(pd.DataFrame({"article_id": ["a"]}))


def test_and_joins_two_dates_unless_a_range() -> None:
    two = resolve_dates("It tested a bomb on Jan. 6 and Feb. 7 it launched a rocket.", "2016-03-01")
    assert two["text"].tolist() == ["Jan. 6", "Feb. 7"]
    one = resolve_dates("It will launch between Feb. 8 and Feb. 25.", "2016-02-02")
    assert one["text"].tolist() == ["between Feb. 8 and Feb. 25"]


def test_impossible_dates_are_kept_with_a_reason() -> None:
    out = resolve_dates("Feb. 30, 31/02/2024, Juche 999 and June 31, 2016.", "2023-03-01")
    assert out["text"].tolist() == ["Feb. 30", "31/02/2024", "Juche 999", "June 31, 2016"]
    assert out["date_start"].isna().all()
    assert (out["reason"] == "invalid date").all()


def test_once_again_is_no_future_cue() -> None:
    # "once" opens a future condition ("once the rocket is ready"), but
    # "once again" / "once more" only repeat: a past drill keeps the past date.
    again = resolve_dates("The allies staged a drill once again on November 3.", "2024-11-05")
    assert again["date_start"].tolist() == [pd.Timestamp("2024-11-03")]
    more = resolve_dates("They fired once more on March 2.", "2024-03-05")
    assert more["date_start"].tolist() == [pd.Timestamp("2024-03-02")]
    condition = resolve_dates("Talks resume once the envoy arrives on March 2.", "2024-03-05")
    assert condition["date_start"].tolist() == [pd.Timestamp("2025-03-02")]


def test_next_before_a_month_means_the_coming_one_whatever_the_verb() -> None:
    out = resolve_dates("The allies agreed to hold the drill next August.", "2023-12-15")
    assert (out["date_start"].tolist(), out["date_end"].tolist()) == (
        [pd.Timestamp("2024-08-01")],
        [pd.Timestamp("2024-08-31")],
    )
    past = resolve_dates("The allies held the drill in August.", "2023-12-15")
    assert past["date_start"].tolist() == [pd.Timestamp("2023-08-01")]


def test_an_event_modality_moves_a_date_its_verb_misplaced() -> None:
    ref = pd.Timestamp("2024-03-14")  # a Thursday
    monday, friday = pd.Timestamp("2024-03-11"), pd.Timestamp("2024-03-15")
    planned = {"modality": "planned", "reference": ref}
    happened = {"modality": "happened", "reference": ref}
    # A planned event is on the next Monday, one that happened on the last Friday.
    next_monday = pd.Timestamp("2024-03-18")
    assert redate_for_modality(monday, monday, "weekday_past", "monday", **planned) == (
        next_monday,
        next_monday,
        "+future",
    )
    last_friday = pd.Timestamp("2024-03-08")
    assert redate_for_modality(friday, friday, "weekday_future", "friday", **happened) == (
        last_friday,
        last_friday,
        "+past",
    )
    # A planned event on a past day without a year is on it next year ...
    feb = pd.Timestamp("2024-02-20")
    assert redate_for_modality(feb, feb, "month_day", "feb. 20", **planned) == (
        pd.Timestamp("2025-02-20"),
        pd.Timestamp("2025-02-20"),
        "+planned_next_year",
    )
    # ... unless the expression names its year or calls it past.
    for text in ("feb. 20, 2024", "last february"):
        assert redate_for_modality(feb, feb, "month_year", text, **planned) == (feb, feb, "")
    # A modality that agrees with the verb, or no reference date, moves nothing.
    assert redate_for_modality(monday, monday, "weekday_past", "monday", **happened)[2] == ""
    assert (
        redate_for_modality(
            monday, monday, "weekday_past", "monday", modality="planned", reference=None
        )[2]
        == ""
    )


def test_names_year() -> None:
    assert names_year("jan. 6, 2016") and names_year("juche 105")
    assert not names_year("jan. 6") and not names_year("the 2016th")


def test_may_the_verb_is_no_month() -> None:
    # "May" before a noun is the month only after a determiner; "may" never is.
    assert resolve_dates("The talks may resume soon.", "2024-09-01").empty
    assert resolve_dates("Officials said talks may begin.", "2024-09-01").empty
    got = resolve_dates("The May summit ended.", "2024-09-01")
    assert got["date_start"].tolist() == [pd.Timestamp("2024-05-01")]


def test_a_planned_window_named_with_a_past_verb_moves_by_its_modality() -> None:
    # The guidelines' rule places the days before the publication date; the
    # event's modality (planned) then moves them to the coming year.
    found = resolve_dates("It gave a Feb. 8-25 window for the launch.", "2016-02-07")
    row = found.iloc[0]
    assert row["date_start"] == pd.Timestamp("2015-02-08")
    moved = redate_for_modality(
        row["date_start"],
        row["date_end"],
        row["rule"],
        row["text"].lower(),
        modality="planned",
        reference=pd.Timestamp("2016-02-07"),
    )
    assert moved == (pd.Timestamp("2016-02-08"), pd.Timestamp("2016-02-25"), "+planned_next_year")
