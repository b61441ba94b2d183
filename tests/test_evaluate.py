"""Scoring events against gold and incidents against reference lists."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import shared_path

from analysis.evaluate import (
    match_events,
    read_gold,
    read_reference,
    score_events,
    score_incidents,
)


def _frame(rows: list[dict]) -> pd.DataFrame:
    base = {"participants": "", "evidence": ""}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    if "date_end" not in frame:
        frame["date_end"] = frame["date_start"]
    frame["date_end"] = frame["date_end"].fillna(frame["date_start"])
    return frame.assign(
        date_start=pd.to_datetime(frame["date_start"]), date_end=pd.to_datetime(frame["date_end"])
    )


GOLD = _frame(
    [
        {
            "article_id": "a",
            "event_type": "missile_launch",
            "actor": "PRK",
            "date_start": "2016-03-10",
        },
        {
            "article_id": "a",
            "event_type": "nuclear_test",
            "actor": "PRK",
            "date_start": "2016-01-01",
            "date_end": "2016-01-31",
        },
        {
            "article_id": "a",
            "event_type": "meeting",
            "actor": "KOR",
            "participants": "JPN;KOR;USA",
            "date_start": "2024-01-18",
        },
        {"article_id": "b", "event_type": "sanctions", "actor": "UN", "date_start": "2016-03-02"},
    ]
)


def test_match_rules_article_type_actor_and_widened_dates():
    pred = _frame(
        [
            # one day off: still a match, not exact
            {
                "source_id": "a",
                "event_type": "missile_launch",
                "actor": "PRK",
                "date_start": "2016-03-11",
            },
            # inside the gold month: overlap, not exact
            {
                "source_id": "a",
                "event_type": "nuclear_test",
                "actor": "PRK",
                "date_start": "2016-01-06",
            },
            # another participant of the meeting is accepted as actor
            {
                "source_id": "a",
                "event_type": "meeting",
                "actor": "USA",
                "participants": "JPN;KOR;USA",
                "date_start": "2024-01-18",
            },
            # wrong actor for sanctions
            {
                "source_id": "b",
                "event_type": "sanctions",
                "actor": "USA",
                "date_start": "2016-03-02",
            },
            # an article that is not annotated: ignored
            {"source_id": "z", "event_type": "threat", "actor": "PRK", "date_start": "2016-03-02"},
        ]
    )
    pairs = match_events(pred, GOLD, source_ids=["a", "b"])
    assert sorted(pairs["status"]) == ["matched", "matched", "matched", "missed", "spurious"]
    assert pairs.loc[pairs["status"] == "matched", "exact"].tolist() == [False, False, True]
    scores = score_events(pred, GOLD, source_ids=["a", "b"]).set_index("event_type")
    overall = scores.loc["all"]
    assert (overall["n_gold"], overall["n_predicted"], overall["n_matched"]) == (4, 4, 3)
    assert overall["f1"] == pytest.approx(0.75)
    assert overall["exact_share"] == pytest.approx(1 / 3)
    assert scores.loc["sanctions", "f1"] == 0.0


def test_three_days_off_is_no_match_and_matching_is_one_to_one():
    # each range widened by one day: two days apart still touch, three do not
    pred = _frame(
        [
            {
                "source_id": "a",
                "event_type": "missile_launch",
                "actor": "PRK",
                "date_start": "2016-03-13",
            },
        ]
    )
    pairs = match_events(pred, GOLD.iloc[:1])
    assert sorted(pairs["status"]) == ["missed", "spurious"]
    twice = _frame(
        [
            {
                "source_id": "a",
                "event_type": "missile_launch",
                "actor": "PRK",
                "date_start": "2016-03-10",
            },
            {
                "source_id": "a",
                "event_type": "missile_launch",
                "actor": "PRK",
                "date_start": "2016-03-09",
            },
        ]
    )
    scores = score_events(twice, GOLD.iloc[:1]).set_index("event_type")
    assert scores.loc["all", "n_matched"] == 1
    assert scores.loc["all", "precision"] == 0.5
    assert scores.loc["all", "exact_share"] == 1.0


def test_no_predictions_gives_zero_recall_and_nan_precision():
    empty = GOLD.iloc[:0]
    scores = score_events(empty, GOLD).set_index("event_type")
    assert scores.loc["all", "recall"] == 0.0
    assert math.isnan(scores.loc["all", "precision"])


def test_reference_lists_map_labels_and_score(tmp_path):
    csis = tmp_path / "csis.csv"
    csis.write_text(
        "date,type,event,description\n"
        "2016-03-10,Missile Provocation,Short-range Ballistic Missile Launch,x\n"
        "2016-02-07,Missile Provocation,Satellite Launch,x\n"
        "2016-04-09,Other Provocation,Rocket Engine Test,x\n"
        "2010-11-23,Other Provocation,Artillery Fire,x\n",
        encoding="utf-8",
    )
    ref = read_reference(csis)
    assert ref.set_index("label")["event_type"].to_dict() == {
        "Short-range Ballistic Missile Launch": "missile_launch",
        "Satellite Launch": "satellite_launch",
        "Rocket Engine Test": "weapons_test",
        "Artillery Fire": "artillery_fire",
    }
    incidents = pd.DataFrame(
        {
            "incident_id": ["i1", "i2"],
            "event_type": ["missile_launch", "missile_launch"],
            "actor": ["PRK", "PRK"],
            "modality": ["happened", "happened"],
            "date_start": pd.to_datetime(["2016-03-09", "2016-03-21"]),
            "date_end": pd.to_datetime(["2016-03-09", "2016-03-21"]),
            "first_reported": pd.to_datetime(["2016-03-10", "2016-03-21"]),
            "last_reported": pd.to_datetime(["2016-03-12", "2016-03-21"]),
            "n_articles": [3, 1],
            "evidence": ["", ""],
        }
    )
    out = score_incidents(incidents, ref, window=("2016-01-01", "2016-07-31"))
    status = out.set_index(["status", "event_type"]).index.tolist()
    assert sorted(status) == [
        ("found", "missile_launch"),
        ("missed", "satellite_launch"),
        ("unmatched", "missile_launch"),
    ]


def test_cns_rows_of_one_day_are_one_incident(tmp_path):
    cns = tmp_path / "cns.csv"
    cns.write_text(
        "year,date,time,missile\n2016,2016-03-18,unknown,nodong\n2016,2016-03-18,unknown,nodong\n"
        "2016,2016-02-07,12:29 (UTC),unha-3\n",
        encoding="utf-8",
    )
    ref = read_reference(cns)
    assert ref[["event_type", "label"]].values.tolist() == [
        ["satellite_launch", "unha-3"],
        ["missile_launch", "nodong"],
    ]


def test_bad_reference_file_says_so(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a CSIS or CNS"):
        read_reference(bad)


def test_real_gold_and_references_read():
    gold, ids = read_gold(shared_path("gold"))
    assert len(gold) > 100 and gold["date_start"].notna().all()
    assert set(gold["article_id"]) <= set(ids)
    for name in ("csis_provocations.csv", "cns_missile_tests.csv"):
        ref = read_reference(shared_path("reference", name))
        assert ref["date"].notna().all() and ref["event_type"].notna().any()


def test_run_evaluation_scores_the_seed_and_cli_reports_bad_inputs(tmp_path, capsys):
    from analysis.cli import main
    from analysis.evaluate import EvaluationInputError, run_evaluation

    seed = shared_path("seeds", "000_b0b6ea29c2469582.txt")
    report = run_evaluation(
        [seed],
        gold=shared_path("gold"),
        references=[shared_path("reference", "csis_provocations.csv")],
    )
    scores = report.tables["event_scores"].set_index("event_type")
    assert report.n_gold_articles[0] == 1
    assert scores.loc["all", "n_gold"] == 6
    assert "events vs gold" in report.summary()
    with pytest.raises(EvaluationInputError):
        run_evaluation([seed], gold=tmp_path)
    assert main(["-q", "evaluate", str(seed), "--gold", str(tmp_path)]) == 2
    assert "no gold set 'dev'" in capsys.readouterr().err
