"""Event extraction: triggers, modality, dates, actors, deduplication.

Sentences here are written for the tests (no text from ../shared).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import schema
from analysis.codes import code_for, event_codes
from analysis.events import extract_events, find_triggers, load_lexicon


def _articles(rows: list[dict]) -> pd.DataFrame:
    base = {
        "source_id": None,
        "outlet": "Wire",
        "url": None,
        "title": "",
        "section": None,
        "dateline": "SEOUL",
        "byline": None,
        "caption": None,
        "language": "en",
        "published_at": None,
        "timezone": "Asia/Seoul",
        "date_method": "metadata",
        "date_precision": "day",
        "n_words": 50,
        "duplicate_of": None,
        "format": "text",
    }
    out = []
    for i, row in enumerate(rows):
        r = {**base, "article_id": f"k{i}", **row}
        r["source_id"] = r["source_id"] or f"story-{i}.txt"
        out.append(r)
    frame = pd.DataFrame(out)
    frame["published_date"] = pd.to_datetime(frame["published_date"])
    return schema.conform(frame, schema.ARTICLES)


def _one(events: pd.DataFrame, etype: str) -> pd.Series:
    rows = events.loc[events["event_type"] == etype]
    assert len(rows) == 1, events[["event_type", "actor", "date_start", "evidence"]]
    return rows.iloc[0]


def test_launch_dated_by_weekday_with_class_count_and_codes():
    # 2024-03-14 is a Thursday
    arts = _articles(
        [
            {
                "title": "North Korea fires missiles",
                "body": "North Korea fired two short-range ballistic missiles into the sea "
                "on Monday, the South's military said.",
                "published_date": "2024-03-14",
            }
        ]
    )
    events = extract_events(arts)
    schema.check(events, schema.EVENTS)
    row = _one(events, "missile_launch")
    assert row["actor"] == "PRK"
    assert row["date_start"] == row["date_end"] == pd.Timestamp("2024-03-11")
    assert row["precision"] == "day" and row["modality"] == "happened"
    assert row["missile_class"] == "SRBM" and row["n_items"] == 2
    assert row["trigger"] == "fire_missile" and row["date_rule"].startswith("timex:")
    assert (row["cameo_code"], row["plover_type"]) == code_for("missile_launch")[:2]
    assert row["article_id"] == "story-0.txt" and row["article_key"] == "k0"
    body = arts.loc[0, "body"]
    assert body[row["start"] : row["end"]].lower().startswith("fired")


def test_background_event_gets_its_own_month_and_hypotheticals_are_dropped():
    arts = _articles(
        [
            {
                "body": "Officials said the North could conduct a nuclear test at any time. "
                "The country carried out its sixth nuclear test in September 2017.",
                "published_date": "2024-03-14",
            }
        ]
    )
    events = extract_events(arts)
    row = _one(events, "nuclear_test")
    assert (row["date_start"], row["date_end"]) == (
        pd.Timestamp("2017-09-01"),
        pd.Timestamp("2017-09-30"),
    )
    assert row["precision"] == "month"


def test_year_only_and_undated_events_are_not_events():
    arts = _articles(
        [
            {
                "title": "Analysis",
                "body": "Pyongyang has fired dozens of missiles this year. "
                "Experts discussed the missile program at length in a later session.",
                "published_date": "2024-03-14",
            }
        ]
    )
    assert extract_events(arts).empty


def test_breaking_news_lead_falls_back_to_publication_date_only_in_the_lead():
    lead = "North Korea fired a ballistic missile into the sea, the military said."
    arts = _articles(
        [
            {"title": "North Korea fires missile", "body": lead, "published_date": "2024-03-14"},
            {"title": "Markets", "body": lead, "published_date": "2024-03-14"},
        ]
    )
    events = extract_events(arts)
    assert events["article_key"].tolist() == ["k0"]
    assert events.loc[0, "date_rule"] == "fallback:breaking_news"
    assert events.loc[0, "date_start"] == pd.Timestamp("2024-03-14")


def test_planned_meeting_has_parties_and_next_weekday():
    arts = _articles(
        [
            {
                "body": "Defence officials from South Korea and Japan will meet on Friday "
                "to discuss the North's weapons programme.",
                "published_date": "2024-03-12",
            }
        ]
    )
    row = _one(extract_events(arts), "meeting")
    assert row["modality"] == "planned"
    assert row["participants"] == "JPN;KOR"
    assert row["date_start"] == pd.Timestamp("2024-03-15")


def test_sanctions_actor_is_the_imposer_not_the_target():
    arts = _articles(
        [
            {
                "body": "The U.N. Security Council imposed new sanctions on North Korea "
                "on Wednesday.",
                "published_date": "2024-03-14",
            }
        ]
    )
    row = _one(extract_events(arts), "sanctions")
    assert row["actor"] == "UN" and row["target"] == "PRK"


def test_each_event_takes_its_own_date_in_a_shared_sentence():
    arts = _articles(
        [
            {
                "body": "The North tested a nuclear device on Jan. 6 and launched a "
                "long-range rocket on Feb. 7.",
                "published_date": "2016-03-01",
            }
        ]
    )
    events = extract_events(arts).set_index("event_type")
    assert events.loc["nuclear_test", "date_start"] == pd.Timestamp("2016-01-06")
    assert events.loc["satellite_launch", "date_start"] == pd.Timestamp("2016-02-07")


def test_repeats_in_one_article_are_one_row_and_exact_duplicates_are_skipped():
    body = (
        "North Korea fired a cruise missile on Monday. "
        "The missile fired on Monday flew for two hours, officials said."
    )
    arts = _articles(
        [
            {"body": body, "published_date": "2024-03-14"},
            {"body": body, "published_date": "2024-03-14", "duplicate_of": "k0"},
        ]
    )
    events = extract_events(arts)
    assert len(events) == 1
    assert events.loc[0, "missile_class"] == "cruise"


def test_denied_events_are_kept_as_denied():
    arts = _articles(
        [
            {
                "body": "South Korea denied that it fired artillery shells across the border "
                "on Tuesday.",
                "published_date": "2024-03-14",
            }
        ]
    )
    row = _one(extract_events(arts), "artillery_fire")
    assert row["modality"] == "denied"


def test_triggers_resolve_overlaps_by_priority_and_skip_technology():
    matches = find_triggers("Officials condemned the use of ballistic missile technology.")
    assert [m.trigger.event_type for m in matches] == []
    matches = find_triggers("The army fired artillery shells during a live-fire drill.")
    assert [m.trigger.event_type for m in matches] == ["artillery_fire", "artillery_fire"]


def test_lexicon_and_codes_are_complete():
    lex = load_lexicon()
    types = {t.event_type for t in lex.triggers}
    assert set(schema.EVENT_TYPES) - types == set()
    codes = event_codes()
    assert sorted(codes["event_type"]) == sorted(schema.EVENT_TYPES)
    with pytest.raises(KeyError):
        code_for("picnic")


def test_codes_agree_with_the_published_tables(shared):
    goldstein = pd.read_csv(
        shared / "reference" / "cameo_goldstein.tsv", sep="\t", dtype={"CAMEOEVENTCODE": str}
    ).set_index("CAMEOEVENTCODE")["GOLDSTEINSCALE"]
    plover = {}
    for line in (shared / "reference" / "cameo_to_plover.txt").read_text("utf-8").splitlines():
        code, sep, rest = line.partition(":")
        if sep and code.strip().isdigit():
            plover[code.strip()] = rest.split(",")[0].split("#")[0].strip()
    for row in event_codes().itertuples():
        assert goldstein[row.cameo_code] == pytest.approx(row.goldstein), row.event_type
        assert plover[row.cameo_code] == row.plover_type, row.event_type


def test_empty_and_bad_input():
    empty = schema.empty(schema.ARTICLES)
    out = extract_events(empty)
    assert out.empty and list(out.columns) == list(schema.EVENTS)
    with pytest.raises(schema.SchemaError):
        extract_events(pd.DataFrame({"body": ["x"]}))


def test_offsets_survive_characters_that_lower_case_to_two():
    text = "İstanbul talks aside, North Korea fired two missiles on Monday."
    (match,) = find_triggers(text)
    assert text[match.start : match.end] == "fired two missiles"


def test_event_anchored_offsets_and_the_articles_launch():
    arts = _articles(
        [
            {
                "title": "North Korea fires missile",
                "body": "North Korea fired a ballistic missile on Saturday, the military said. "
                "The launch came a day after the United States and South Korea agreed to "
                "deploy a missile defence system.",
                "published_date": "2016-07-09",
            }
        ]
    )
    events = extract_events(arts).set_index("event_type")
    assert events.loc["missile_launch", "date_start"] == pd.Timestamp("2016-07-09")
    assert events.loc["agreement", "date_start"] == pd.Timestamp("2016-07-08")
    assert events.loc["agreement", "date_rule"] == "timex:offset_from_event"
    assert events.loc["agreement", "participants"] == "KOR;USA"


def test_articles_in_other_languages_are_not_read():
    body = "North Korea fired two ballistic missiles on Monday, the military said."
    arts = _articles(
        [
            {"body": body, "published_date": "2024-03-14", "language": "es"},
            {"body": body, "published_date": "2024-03-14", "language": "und"},
        ]
    )
    assert extract_events(arts)["article_key"].tolist() == ["k1"]


def test_without_a_headline_the_lead_sentence_stands_for_it():
    lead = "North Korea fired a ballistic missile into the sea, the military said."
    arts = _articles(
        [{"title": None, "body": lead + " Japan protested.", "published_date": "2024-03-14"}]
    )
    events = extract_events(arts)
    assert events["date_rule"].tolist() == ["fallback:breaking_news"]
