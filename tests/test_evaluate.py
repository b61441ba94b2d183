"""Scoring events against gold and incidents against reference lists."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import shared_path

from analysis.evaluate import (
    ERROR_COLUMNS,
    EvaluationInputError,
    error_table,
    explain_incidents,
    match_events,
    read_gold,
    read_reference,
    run_evaluation,
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


def test_no_predictions_gives_zero_recall_and_f1_and_nan_precision():
    empty = GOLD.iloc[:0]
    scores = score_events(empty, GOLD).set_index("event_type")
    assert scores.loc["all", "recall"] == 0.0
    assert math.isnan(scores.loc["all", "precision"])
    # a type found nowhere scores 0, so that a floor can be held on it
    assert scores.loc["sanctions", "f1"] == 0.0


ARTICLE = "w.md"
SAID = "The two leaders spoke by phone on Monday and agreed to meet again."


def _errors(gold_rows: list[dict], pred_rows: list[dict]) -> pd.DataFrame:
    gold = _frame([{"article_id": ARTICLE, "modality": "happened", **r} for r in gold_rows])
    pred = _frame([{"source_id": ARTICLE, "modality": "happened", **r} for r in pred_rows])
    return error_table(match_events(pred, gold))


def test_error_table_puts_each_error_beside_its_nearest_counterpart_with_a_cause():
    meeting = {
        "event_type": "meeting",
        "actor": "USA",
        "participants": "KOR;USA",
        "date_start": "2021-03-01",
        "evidence": SAID,
    }
    errors = _errors(
        [
            meeting,
            # a launch the extractor credited to another state
            {"event_type": "missile_launch", "actor": "PRK", "date_start": "2021-03-05"},
            # a planned visit it took as happened
            {
                "event_type": "meeting",
                "actor": "JPN",
                "participants": "JPN;USA",
                "date_start": "2021-04-10",
                "modality": "planned",
                "evidence": "The prime minister will visit Washington on April 10.",
            },
            # a launch dated three weeks off
            {"event_type": "satellite_launch", "actor": "PRK", "date_start": "2021-05-01"},
            # nothing near it at all
            {"event_type": "threat", "actor": "PRK", "date_start": "2021-06-01"},
        ],
        [
            # same sentence and date, typed an agreement
            {**meeting, "event_type": "agreement"},
            {"event_type": "missile_launch", "actor": "JPN", "date_start": "2021-03-05"},
            {
                "event_type": "meeting",
                "actor": "JPN",
                "participants": "JPN;USA",
                "date_start": "2021-04-10",
                "modality": "happened",
                "evidence": "The prime minister will visit Washington on April 10.",
            },
            {"event_type": "satellite_launch", "actor": "PRK", "date_start": "2021-05-22"},
            # a sanctions row that no gold row comes near
            {"event_type": "sanctions", "actor": "UN", "date_start": "2021-07-01"},
        ],
    )
    assert list(errors.columns) == list(ERROR_COLUMNS)
    # the planned visit matches (modality is not scored), so it is no error
    causes = {
        (r.status, r.gold_event_type if r.status == "missed" else r.event_type): r.cause
        for r in errors.itertuples()
    }
    assert causes == {
        ("missed", "meeting"): "type",
        ("spurious", "agreement"): "type",
        ("missed", "missile_launch"): "actor",
        ("spurious", "missile_launch"): "actor",
        ("missed", "satellite_launch"): "date",
        ("spurious", "satellite_launch"): "date",
        ("missed", "threat"): "not_found",
        ("spurious", "sanctions"): "spurious",
    }
    miss = errors.loc[(errors["status"] == "missed") & (errors["cause"] == "type")].iloc[0]
    # side by side: the gold row and the prediction nearest to it
    assert (miss["gold_event_type"], miss["event_type"]) == ("meeting", "agreement")
    assert miss["sentence"] == SAID == miss["evidence"]
    assert miss["counterpart_status"] == "spurious"
    lonely = errors.loc[errors["cause"] == "not_found"].iloc[0]
    assert pd.isna(lonely["event_type"]) and pd.isna(lonely["counterpart_status"])


def test_error_table_names_a_modality_that_moved_a_date():
    said = "Officials said the talks will be held in Seoul next week."
    errors = _errors(
        [
            {
                "event_type": "meeting",
                "actor": "KOR",
                "date_start": "2022-05-16",
                "date_end": "2022-05-22",
                "modality": "planned",
                "evidence": said,
            }
        ],
        [{"event_type": "meeting", "actor": "KOR", "date_start": "2022-05-02", "evidence": said}],
    )
    assert errors["cause"].tolist() == ["modality", "modality"]
    assert errors[["gold_modality", "modality"]].values.tolist() == [["planned", "happened"]] * 2


def test_error_table_of_a_perfect_match_is_empty_and_events_fill_the_prediction():
    pred = _frame(
        [
            {
                "source_id": "a",
                "event_type": "missile_launch",
                "actor": "PRK",
                "date_start": "2016-03-09",
                "event_id": "e1",
            },
        ]
    )
    assert error_table(match_events(pred, GOLD.iloc[:1])).empty
    # a match table that lacks the prediction's fields gets them from the events
    bare = match_events(pred, GOLD.iloc[2:3]).drop(columns=["modality"])
    full = pred.assign(modality="happened", trigger="fire_missile")
    errors = error_table(bare, full)
    spurious = errors.loc[errors["status"] == "spurious"].iloc[0]
    assert (spurious["modality"], spurious["trigger"]) == ("happened", "fire_missile")


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


def test_explain_incidents_names_the_reference_row_or_none():
    ref = pd.DataFrame(
        {
            "source": "csis",
            "ref_id": ["csis:0", "csis:1"],
            "date": pd.to_datetime(["2012-04-13", "2011-06-08"]),
            "event_type": ["satellite_launch", "missile_launch"],
            "label": ["Satellite Launch", "Missile Launch"],
        }
    )
    incidents = pd.DataFrame(
        {
            "incident_id": ["i1", "i2", "i3", "i4", "i5", "i6"],
            "event_type": ["satellite_launch", "missile_launch", "satellite_launch"]
            + ["satellite_launch", "missile_launch", "nuclear_test"],
            "actor": ["PRK", "PRK", "CHN", "PRK", "PRK", "PRK"],
            "modality": ["happened"] * 5 + ["planned"],
            "date_start": pd.to_datetime(
                ["2012-04-12", "2012-04-13", "2012-04-13", "2012-04-01", "2011-01-05", "2012-02-01"]
            ),
            "date_end": pd.to_datetime(
                ["2012-04-12", "2012-04-13", "2012-04-13", "2012-04-30", "2011-01-05", "2012-02-01"]
            ),
            "n_articles": [3, 1, 1, 2, 1, 1],
            "evidence": ["", "", "", "", "", ""],
        }
    )
    out = explain_incidents(incidents, ref, window=("2011-01-01", "2012-11-30"))
    # China's launch and the planned test are not checked; the launch typed a
    # missile launch is not explained by the satellite launch of that day
    assert out["incident_id"].tolist() == ["i5", "i4", "i1", "i2"]
    assert out.set_index("incident_id")["ref_id"].isna().to_dict() == {
        "i5": True,
        "i4": False,
        "i1": False,
        "i2": True,
    }


def test_run_evaluation_scores_the_seed_and_cli_reports_bad_inputs(tmp_path, capsys):
    from analysis.cli import main

    seed = shared_path("seeds", "000_b0b6ea29c2469582.txt")
    report = run_evaluation(
        [seed],
        gold=shared_path("gold"),
        references=[shared_path("reference", "csis_provocations.csv")],
        errors=True,
    )
    scores = report.tables["event_scores"].set_index("event_type")
    assert report.n_gold_articles[0] == 1
    assert scores.loc["all", "n_gold"] == 6
    assert "events vs gold" in report.summary()
    # one row per miss and false positive
    pairs = report.tables["event_matches"]
    errors = report.tables["event_errors"]
    assert len(errors) == int((pairs["status"] != "matched").sum())
    with pytest.raises(EvaluationInputError):
        run_evaluation([seed], gold=tmp_path)
    with pytest.raises(EvaluationInputError, match="gold"):
        run_evaluation([seed], errors=True)
    assert main(["-q", "evaluate", str(seed), "--gold", str(tmp_path)]) == 2
    assert "no gold set 'dev'" in capsys.readouterr().err
