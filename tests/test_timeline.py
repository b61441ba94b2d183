"""Incidents from event mentions: merging across sentences, articles and outlets."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import schema
from analysis.timeline import build_timeline


def _events(rows: list[dict]) -> pd.DataFrame:
    """An EVENTS frame from a few meaningful rows; the rest filled with defaults."""
    base = {
        "source_id": "a1",
        "event_type": "missile_launch",
        "actor": "PRK",
        "participants": "",
        "precision": "day",
        "modality": "happened",
        "missile_class": "unknown",
        "evidence": "North Korea fired a missile.",
        "article_id": "k1",
        "event_id": "e",
        "sentence_id": 0,
        "start": 0,
        "end": 5,
        "trigger": "fire_missile",
        "target": None,
        "place": None,
        "n_items": None,
        "date_rule": "timex:weekday",
        "confidence": 0.9,
        "cameo_code": "150",
        "plover_type": "MOBILIZE",
        "goldstein": -7.2,
        "outlet": "Reuters",
        "corrected_by": None,
    }
    out = []
    for i, row in enumerate(rows):
        r = {**base, "event_id": f"e{i}", **row}
        r.setdefault("date_end", r["date_start"])
        r.setdefault("published_date", r["date_end"])
        out.append(r)
    frame = pd.DataFrame(out)
    for col in ("date_start", "date_end", "published_date"):
        frame[col] = pd.to_datetime(frame[col])
    return schema.conform(frame, schema.EVENTS)


def test_wire_story_and_rewrite_merge_one_day_apart():
    events = _events(
        [
            {"date_start": "2016-03-10", "source_id": "r1", "article_id": "k1"},
            # a rewrite by another outlet, dated in UTC: the day before
            {"date_start": "2016-03-09", "source_id": "n1", "article_id": "k2", "outlet": "NYT"},
        ]
    )
    incidents = build_timeline(events)
    assert len(incidents) == 1
    row = incidents.iloc[0]
    assert (row["n_mentions"], row["n_articles"], row["n_sources"]) == (2, 2, 2)
    assert row["source_ids"] == "n1;r1"
    assert row["article_ids"] == "k1;k2"
    schema.check(incidents, schema.INCIDENTS)


def test_launches_a_week_apart_stay_apart():
    events = _events(
        [
            {"date_start": "2016-03-10", "article_id": "k1"},
            {"date_start": "2016-03-18", "article_id": "k2", "source_id": "a2"},
        ]
    )
    incidents = build_timeline(events)
    assert list(incidents["date_start"].dt.strftime("%Y-%m-%d")) == ["2016-03-10", "2016-03-18"]


def test_month_mention_attaches_to_the_one_launch_it_contains():
    events = _events(
        [
            {"event_type": "nuclear_test", "date_start": "2016-01-06"},
            {
                "event_type": "nuclear_test",
                "date_start": "2016-01-01",
                "date_end": "2016-01-31",
                "precision": "month",
                "article_id": "k2",
                "source_id": "a2",
                "published_date": "2016-03-01",
            },
        ]
    )
    incidents = build_timeline(events)
    assert len(incidents) == 1
    row = incidents.iloc[0]
    assert row["date_start"] == pd.Timestamp("2016-01-06") and row["precision"] == "day"
    assert row["last_reported"] == pd.Timestamp("2016-03-01")


def test_month_mention_with_two_launches_does_not_fuse_them():
    events = _events(
        [
            {"date_start": "2016-04-15"},
            {"date_start": "2016-04-28", "article_id": "k2"},
            {"date_start": "2016-04-01", "date_end": "2016-04-30", "precision": "month"},
        ]
    )
    incidents = build_timeline(events)
    assert len(incidents) == 3
    assert sorted(incidents["precision"]) == ["day", "day", "month"]


def test_types_actors_and_modalities_are_kept_apart():
    events = _events(
        [
            {"date_start": "2016-03-10"},
            {"date_start": "2016-03-10", "event_type": "satellite_launch"},
            {"date_start": "2016-03-10", "actor": "KOR"},
            {"date_start": "2016-03-10", "modality": "planned"},
        ]
    )
    assert len(build_timeline(events)) == 4


def test_meetings_merge_when_parties_agree():
    events = _events(
        [
            {
                "event_type": "meeting",
                "actor": "KOR",
                "participants": "JPN;KOR;USA",
                "date_start": "2024-01-18",
            },
            {
                "event_type": "meeting",
                "actor": "USA",
                "participants": "JPN;KOR;USA",
                "date_start": "2024-01-18",
                "article_id": "k2",
            },
            {
                "event_type": "meeting",
                "actor": "PRK",
                "participants": "PRK;RUS",
                "date_start": "2024-01-18",
                "article_id": "k3",
            },
        ]
    )
    incidents = build_timeline(events)
    assert sorted(incidents["participants"]) == ["JPN;KOR;USA", "PRK;RUS"]


def test_ids_are_deterministic_and_order_free():
    events = _events(
        [
            {"date_start": "2016-03-10"},
            {"date_start": "2016-03-18", "article_id": "k2"},
            {"date_start": "2016-01-06", "event_type": "nuclear_test", "article_id": "k3"},
        ]
    )
    one = build_timeline(events)
    two = build_timeline(events.iloc[::-1].reset_index(drop=True))
    pd.testing.assert_frame_equal(one, two)
    assert one["incident_id"].is_unique


def test_empty_and_bad_input():
    assert build_timeline(schema.empty(schema.EVENTS)).empty
    with pytest.raises(schema.SchemaError):
        build_timeline(pd.DataFrame({"event_type": ["x"]}))


def test_nested_coarse_mentions_of_a_planned_launch_merge_unless_classes_differ():
    events = _events(
        [
            {
                "event_type": "satellite_launch",
                "modality": "planned",
                "precision": "week",
                "date_start": "2016-02-08",
                "date_end": "2016-02-14",
                "missile_class": "",
            },
            {
                "event_type": "satellite_launch",
                "modality": "planned",
                "precision": "day",
                "date_start": "2016-02-08",
                "date_end": "2016-02-25",
                "missile_class": "",
                "article_id": "k2",
            },
            {
                "precision": "month",
                "date_start": "2016-04-01",
                "date_end": "2016-04-30",
                "missile_class": "IRBM",
            },
            {
                "precision": "month",
                "date_start": "2016-04-01",
                "date_end": "2016-04-30",
                "missile_class": "SLBM",
                "article_id": "k3",
            },
        ]
    )
    incidents = build_timeline(events)
    planned = incidents.loc[incidents["modality"] == "planned"]
    assert len(planned) == 1 and planned.iloc[0]["n_articles"] == 2
    assert sorted(incidents.loc[incidents["event_type"] == "missile_launch", "missile_class"]) == [
        "IRBM",
        "SLBM",
    ]


def test_launches_of_different_classes_on_adjacent_days_stay_apart():
    # a short-range launch late one evening, an ICBM the next morning
    events = _events(
        [
            {"date_start": "2023-12-17", "missile_class": "SRBM", "article_id": "k1"},
            {"date_start": "2023-12-18", "missile_class": "ICBM", "article_id": "k2"},
            {"date_start": "2023-12-18", "missile_class": "unknown", "article_id": "k3"},
        ]
    )
    incidents = build_timeline(events)
    assert list(incidents["missile_class"]) == ["SRBM", "ICBM"]
    assert list(incidents["n_mentions"]) == [1, 2]


def test_hypersonic_and_irbm_reports_of_one_launch_merge():
    events = _events(
        [
            {"date_start": "2024-01-14", "missile_class": "hypersonic", "article_id": "k1"},
            {"date_start": "2024-01-14", "missile_class": "IRBM", "article_id": "k2"},
        ]
    )
    assert len(build_timeline(events)) == 1
