"""Analysts' corrections: the file, each action, each bad input, and every output following."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE, shared_path

import analysis
from analysis import corrections, schema, stream
from analysis.cli import main
from analysis.codes import code_for
from analysis.corrections import (
    CorrectionsError,
    apply_corrections,
    decision_rows,
    read_corrections,
    review_queue,
    write_corrections,
)
from analysis.pipeline import run_pipeline
from analysis.schema import stable_event_id

# --------------------------------------------------------------------------- tiny frames

BODY_1 = (
    "North Korea fired a ballistic missile on Sunday. "
    "South Korea and the United States began drills on Monday."
)
BODY_2 = "Envoys of the two Koreas met in Panmunjom on Tuesday. They agreed to meet again."


def _articles() -> pd.DataFrame:
    frame = schema.empty(schema.ARTICLES).reindex(range(2))
    frame = frame.assign(
        article_id=["a1", "a2"],
        source_id=["wire/one.txt", "wire/two.txt"],
        body=[BODY_1, BODY_2],
        outlet=["Wire", "Daily"],
        published_date=pd.to_datetime(["2024-01-15", "2024-01-17"]),
    )
    return schema.conform(frame, schema.ARTICLES)


def _sentences() -> pd.DataFrame:
    rows = []
    for aid, body in (("a1", BODY_1), ("a2", BODY_2)):
        for sid, found in enumerate(re.finditer(r"[^.]+\.", body)):
            start = found.start() + (len(found.group()) - len(found.group().lstrip()))
            rows.append((aid, sid, start, found.end(), body[start : found.end()]))
    frame = pd.DataFrame(rows, columns=list(schema.SENTENCES))
    return schema.conform(frame, schema.SENTENCES)


def _events() -> pd.DataFrame:
    """Four extractor rows: a launch, a drill, a meeting, and a threat."""
    frame = schema.empty(schema.EVENTS).reindex(range(4))
    frame = frame.assign(
        source_id=["wire/one.txt", "wire/one.txt", "wire/two.txt", "wire/two.txt"],
        event_type=["missile_launch", "military_exercise", "meeting", "threat"],
        actor=["PRK", "KOR", "KOR", "PRK"],
        participants=["", "KOR;USA", "KOR;PRK", ""],
        date_start=pd.to_datetime(["2024-01-14", "2024-01-15", "2024-01-16", "2024-01-17"]),
        date_end=pd.to_datetime(["2024-01-14", "2024-01-15", "2024-01-16", "2024-01-17"]),
        precision=["day"] * 4,
        modality=["happened"] * 4,
        missile_class=["SRBM", "", "", ""],
        evidence=[
            "North Korea fired a ballistic missile on Sunday.",
            "South Korea and the United States began drills on Monday.",
            "Envoys of the two Koreas met in Panmunjom on Tuesday.",
            "They agreed to meet again.",
        ],
        article_id=["a1", "a1", "a2", "a2"],
        event_id=["e-launch", "e-drill", "e-meet", "e-threat"],
        sentence_id=[0, 1, 0, 1],
        start=[12, 84, 30, 55],
        end=[17, 90, 33, 62],
        trigger=["fired", "drills", "met", "agreed"],
        date_rule=["timex:weekday_past"] * 4,
        confidence=[0.9, 0.8, 0.75, 0.4],
        cameo_code=["150", "152", "040", "130"],
        plover_type=["MOBILIZE", "MOBILIZE", "CONSULT", "THREATEN"],
        goldstein=[-7.2, -7.2, 1.0, -4.4],
        outlet=["Wire", "Wire", "Daily", "Daily"],
        published_date=pd.to_datetime(["2024-01-15", "2024-01-15", "2024-01-17", "2024-01-17"]),
        corrected_by=None,
    )
    return schema.conform(frame, schema.EVENTS)


def _table(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "corrections.csv"
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- stable ids


def test_stable_event_id_ignores_whitespace_and_case_but_not_what_it_says():
    base = stable_event_id("a1", "North Korea fired a missile.", "fired", "missile_launch")
    assert re.fullmatch(r"[0-9a-f]{16}", base)
    assert base == stable_event_id(
        "a1", "  North   Korea FIRED a missile.\n", "Fired", "missile_launch"
    )
    others = {
        stable_event_id("a2", "North Korea fired a missile.", "fired", "missile_launch"),
        stable_event_id("a1", "North Korea fired two missiles.", "fired", "missile_launch"),
        stable_event_id("a1", "North Korea fired a missile.", "missile", "missile_launch"),
        stable_event_id("a1", "North Korea fired a missile.", "fired", "weapons_test"),
        stable_event_id(
            "a1", "North Korea fired a missile.", "fired", "missile_launch", occurrence=1
        ),
    }
    assert base not in others and len(others) == 5
    # occurrence 0 is the id without it, so ids of unrepeated rows do not depend on the counter
    assert base == stable_event_id(
        "a1", "North Korea fired a missile.", "fired", "missile_launch", occurrence=0
    )


# --------------------------------------------------------------------------- the file


def test_read_corrections_types_the_rows_and_numbers_them_by_line(tmp_path):
    path = _csv(
        tmp_path,
        "event_id,action,date_start,date_end,precision,participants,note,author,corrected_on\n"
        "e-launch,reject,,,,,not a launch,kim,2024-05-01\n"
        "\n"
        'e-meet,correct,2024-01-17,,,"USA; KOR",a day off,kim,2024-05-01\n'
        "e-drill,correct,2024-01-15,2024-01-21,week,,,lee,\n",
    )
    table = read_corrections(path)
    assert table["line"].tolist() == [2, 4, 5]
    assert list(table.columns) == ["line", *corrections.COLUMNS]
    meet = table.iloc[1]
    assert meet["date_end"] == pd.Timestamp("2024-01-17")  # one day when date_end is empty
    assert meet["participants"] == "KOR;USA"
    assert pd.isna(table.loc[0, "date_start"]) and table.loc[0, "note"] == "not a launch"
    assert str(table["corrected_on"].dtype) == schema.DATE


BAD = [
    ("event_id,action,colour\ne-1,reject,red\n", 1, "unknown column 'colour'"),
    ("event_id\ne-1\n", 1, "missing column 'action'"),
    ("action\nreject\n", 2, "a reject needs the event_id"),
    ("event_id,action\ne-1,delete\n", 2, "unknown action 'delete'"),
    ("event_id,action,event_type\ne-1,correct,summit\n", 2, "unknown event_type 'summit'"),
    ("event_id,action,precision\ne-1,correct,fortnight\n", 2, "unknown precision 'fortnight'"),
    ("event_id,action,modality\ne-1,correct,rumoured\n", 2, "unknown modality 'rumoured'"),
    (
        "event_id,action,missile_class\ne-1,correct,ABM\n",
        2,
        "unknown missile_class 'ABM'",
    ),
    ("event_id,action,date_start\ne-1,correct,2024-02-30\n", 2, "date_start '2024-02-30'"),
    ("event_id,action,date_start\ne-1,correct,17/01/2024\n", 2, "is not a date"),
    ("event_id,action,corrected_on\ne-1,reject,yesterday\n", 2, "corrected_on 'yesterday'"),
    (
        "event_id,action,date_start\ne-1,correct,2024-01-17\ne-1,reject,\n",
        3,
        "two rows for event 'e-1' disagree: this one is a reject, but line 2 is a correct",
    ),
    (
        "event_id,action,date_start\ne-1,correct,2024-01-17\ne-2,reject,\ne-1,correct,2024-01-18\n",
        4,
        "sets date_start 2024-01-18, but line 2 sets 2024-01-17",
    ),
    (
        "event_id,action,evidence,event_type,actor,date_start\n"
        ",add,They met.,meeting,KOR,2024-01-16\n",
        2,
        "an add needs source_id",
    ),
    (
        "event_id,action,source_id,event_type,actor,date_start\n"
        ",add,wire/two.txt,meeting,KOR,2024-01-16\n",
        2,
        "an add needs evidence",
    ),
    ("event_id,action\n,reject\n", 2, "a reject needs the event_id"),
    ("event_id,action,actor\ne-1,reject,PRK\n", 2, "a reject sets no fields"),
    ("event_id,action,note\ne-1,correct,why\n", 2, "a correct sets at least one of"),
    ("event_id,action,source_id\ne-1,correct,x.txt\n", 2, "source_id is for an add"),
    (
        "event_id,action,date_start,date_end\ne-1,correct,2024-01-17,2024-01-15\n",
        2,
        "date_end 2024-01-15 is before date_start 2024-01-17",
    ),
    (
        "event_id,action,date_start,date_end\ne-1,correct,2024-01-15,2024-01-21\n",
        2,
        "a range of several days needs its precision",
    ),
    ("event_id,action,date_end\ne-1,correct,2024-01-15\n", 2, "date_end without date_start"),
    (
        "event_id,action,event_type,missile_class\ne-1,correct,meeting,ICBM\n",
        2,
        "missile_class ICBM is for a missile_launch",
    ),
    ("event_id,action\ne-1,reject,extra\n", 2, "3 cells, but the header has 2"),
    ("", 1, "the file is empty"),
]


@pytest.mark.parametrize(("text", "line", "problem"), BAD, ids=[b[2][:40] for b in BAD])
def test_a_bad_corrections_file_names_the_line_and_the_problem(tmp_path, text, line, problem):
    path = _csv(tmp_path, text)
    with pytest.raises(CorrectionsError, match=re.escape(problem)) as caught:
        read_corrections(path)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}, line {line}: ")
    assert "\n" not in str(caught.value)


def test_a_missing_file_is_a_corrections_error(tmp_path):
    with pytest.raises(CorrectionsError, match="cannot read it"):
        read_corrections(tmp_path / "nope.csv")


def test_rows_for_one_event_that_agree_are_one_correction():
    table = _table(
        {"event_id": "e-meet", "action": "correct", "date_start": "2024-01-17", "author": "kim"},
        {"event_id": "e-meet", "action": "correct", "actor": "PRK", "date_start": "2024-01-17"},
        {"event_id": "e-launch", "action": "reject"},
        {"event_id": "e-launch", "action": "reject"},
    )
    done = apply_corrections(_events(), table)
    meet = done.events.set_index("event_id").loc["e-meet"]
    assert (meet["date_start"], meet["actor"], meet["corrected_by"]) == (
        pd.Timestamp("2024-01-17"),
        "PRK",
        "2;3",
    )
    assert done.applied["line"].tolist() == ["2;3", "4;5"]
    assert done.applied.loc[0, "author"] == "kim"


# --------------------------------------------------------------------------- each action


def test_reject_removes_the_row_and_says_so():
    events = _events()
    before = events.copy()
    done = apply_corrections(events, _table({"event_id": "e-drill", "action": "reject"}))
    assert done.events["event_id"].tolist() == ["e-launch", "e-meet", "e-threat"]
    assert done.events["corrected_by"].isna().all()
    assert done.applied.iloc[0][["line", "action", "event_id", "change"]].tolist() == [
        "2",
        "reject",
        "e-drill",
        "rejected",
    ]
    assert done.unmatched.empty
    pd.testing.assert_frame_equal(events, before)  # the input is not changed
    schema.check(done.events, schema.EVENTS)


def test_correct_moves_a_date_and_what_follows_from_it():
    table = _table(
        {"event_id": "e-meet", "action": "correct", "date_start": "2024-01-17"},
        {
            "event_id": "e-drill",
            "action": "correct",
            "date_start": "2024-01-15",
            "date_end": "2024-01-21",
            "precision": "week",
        },
    )
    done = apply_corrections(_events(), table)
    rows = done.events.set_index("event_id")
    meet, drill = rows.loc["e-meet"], rows.loc["e-drill"]
    assert (meet["date_start"], meet["date_end"], meet["precision"]) == (
        pd.Timestamp("2024-01-17"),
        pd.Timestamp("2024-01-17"),
        "day",
    )
    assert meet["date_rule"] == "correction" and meet["corrected_by"] == "2"
    assert (drill["date_end"], drill["precision"], drill["corrected_by"]) == (
        pd.Timestamp("2024-01-21"),
        "week",
        "3",
    )
    assert rows.loc["e-launch", "date_rule"] == "timex:weekday_past"
    assert pd.isna(rows.loc["e-launch", "corrected_by"])
    assert done.applied.loc[0, "change"] == (
        "date_start 2024-01-16 -> 2024-01-17; date_end 2024-01-16 -> 2024-01-17"
    )


def test_correct_a_type_recodes_the_row_and_its_missile_class():
    table = _table(
        {"event_id": "e-launch", "action": "correct", "event_type": "weapons_test"},
        {"event_id": "e-threat", "action": "correct", "event_type": "missile_launch"},
        {"event_id": "e-meet", "action": "correct", "modality": "planned", "actor": "USA"},
    )
    rows = apply_corrections(_events(), table).events.set_index("event_id")
    assert rows.loc["e-launch", "missile_class"] == ""  # no longer a launch
    assert rows.loc["e-threat", "missile_class"] == "unknown"  # a launch of no known class
    assert (
        tuple(rows.loc["e-launch", ["cameo_code", "plover_type"]]) == code_for("weapons_test")[:2]
    )
    assert tuple(rows.loc["e-meet", ["modality", "actor"]]) == ("planned", "USA")
    with pytest.raises(CorrectionsError, match="line 2: missile_class ICBM is for a missile"):
        apply_corrections(
            _events(), _table({"event_id": "e-meet", "action": "correct", "missile_class": "ICBM"})
        )


def test_add_appends_an_event_pointing_at_its_sentence():
    add = {
        "action": "add",
        "source_id": "wire/two.txt",
        "evidence": "they agreed to  meet again.",
        "event_type": "agreement",
        "actor": "KOR",
        "participants": "PRK;KOR",
        "date_start": "2024-01-16",
        "note": "missed",
    }
    done = apply_corrections(
        _events(), _table(add, dict(add)), articles=_articles(), sentences=_sentences()
    )
    assert len(done.events) == 5 and len(done.applied) == 1  # the same add twice is one
    new = done.events.iloc[-1]
    assert new["article_id"] == "a2" and new["source_id"] == "wire/two.txt"
    assert new["event_id"] == corrections.added_event_id("a2", add["evidence"], "agreement")
    assert BODY_2[new["start"] : new["end"]] == "They agreed to meet again."
    assert new["sentence_id"] == 1
    assert (new["participants"], new["modality"], new["precision"]) == (
        "KOR;PRK",
        "happened",
        "day",
    )
    assert (new["trigger"], new["date_rule"], new["corrected_by"]) == (
        "correction",
        "correction",
        "2",
    )
    assert (new["outlet"], new["published_date"]) == ("Daily", pd.Timestamp("2024-01-17"))
    assert new["cameo_code"] == code_for("agreement")[0]
    schema.check(done.events, schema.EVENTS)


def test_add_needs_the_articles_and_may_not_repeat_an_event():
    add = {
        "event_id": "e-meet",
        "action": "add",
        "source_id": "wire/two.txt",
        "evidence": "They met.",
        "event_type": "meeting",
        "actor": "KOR",
        "date_start": "2024-01-16",
    }
    with pytest.raises(ValueError, match="need the articles"):
        apply_corrections(_events(), _table(add))
    with pytest.raises(CorrectionsError, match="line 2: event e-meet already exists"):
        apply_corrections(_events(), _table(add), articles=_articles())


def test_corrections_that_match_nothing_are_returned_not_dropped():
    table = _table(
        {"event_id": "e-gone", "action": "reject", "note": "rerun dropped it"},
        {"event_id": "e-meet", "action": "correct", "actor": "USA"},
        {
            "action": "add",
            "source_id": "wire/three.txt",
            "evidence": "It happened.",
            "event_type": "threat",
            "actor": "PRK",
            "date_start": "2024-01-16",
        },
    )
    done = apply_corrections(_events(), table, articles=_articles())
    assert done.unmatched["line"].tolist() == [2, 4]
    assert done.unmatched["reason"].tolist() == [
        "no event has this event_id",
        "no article has this source_id",
    ]
    assert done.unmatched.loc[0, "note"] == "rerun dropped it"
    assert list(done.unmatched.columns) == ["line", *corrections.COLUMNS, "reason"]
    assert done.summary() == "1 correction applied; 2 matched nothing (lines 2, 4)"


def test_corrections_apply_through_the_public_api():
    assert analysis.apply_corrections is apply_corrections
    assert "apply_corrections" in analysis.__all__


# --------------------------------------------------------------------------- review


def test_review_queue_filters_and_puts_the_least_confident_first():
    events = _events()
    assert review_queue(events)["event_id"].tolist() == [
        "e-threat",
        "e-meet",
        "e-drill",
        "e-launch",
    ]
    chosen = review_queue(events, start="2024-01-15", end="2024-01-16", actors="KOR")
    assert chosen["event_id"].tolist() == ["e-meet", "e-drill"]
    assert review_queue(events, event_types=["missile_launch"], min_confidence=0.5)[
        "event_id"
    ].tolist() == ["e-launch"]
    assert review_queue(events, max_confidence=0.5)["event_id"].tolist() == ["e-threat"]


def test_event_context_shows_the_sentence_and_marks_the_trigger():
    event = _events().iloc[0]
    context = corrections.event_context(event, _articles())
    assert context["sentence"] == "North Korea fired a ballistic missile on Sunday."
    assert context["trigger"] == "fired" and context["source_id"] == "wire/one.txt"
    assert "<mark>fired</mark>" in context["html"]


def test_decisions_become_corrections_and_the_file_round_trips(tmp_path):
    queue = review_queue(_events())  # e-threat, e-meet, e-drill, e-launch
    existing = corrections.validate_corrections(
        _table(
            {"event_id": "e-launch", "action": "reject", "author": "lee"},
            {"event_id": "e-drill", "action": "reject", "author": "lee"},
        )
    )
    decisions = [
        {"action": "reject", "note": "not a threat"},  # e-threat
        {"action": "correct", "date_start": "2024-01-17", "actor": "KOR"},  # e-meet: actor as is
        {"action": "accept"},  # e-drill: the earlier reject is withdrawn
        {"event_id": "e-meet", "action": "correct", "date_start": "2024-01-18"},  # changed mind
    ]
    table = decision_rows(
        queue, decisions, existing=existing, author="kim", corrected_on="2024-05-02"
    )
    assert table["event_id"].tolist() == ["e-launch", "e-threat", "e-meet"]
    assert table["action"].tolist() == ["reject", "reject", "correct"]
    assert table["author"].tolist() == ["lee", "kim", "kim"]
    meet = table.iloc[2]
    assert meet["date_start"] == pd.Timestamp("2024-01-18") and pd.isna(meet["actor"])
    path = write_corrections(table, tmp_path / "review" / "corrections.csv")
    assert path.read_text().splitlines()[0] == ",".join(corrections.COLUMNS)
    again = read_corrections(path)
    pd.testing.assert_frame_equal(again.drop(columns="line"), table.drop(columns="line"))
    with pytest.raises(ValueError, match="no event left"):
        decision_rows(queue, [{"action": "accept"}] * 5)


def test_the_review_widget_writes_a_decision_per_click(tmp_path):
    pytest.importorskip("ipywidgets")
    path = tmp_path / "corrections.csv"
    seen = []
    widget = corrections.review_widget(
        review_queue(_events()), _articles(), path=path, author="kim", on_change=seen.append
    )
    buttons = {b.description: b for b in widget.children[3].children}
    header = widget.children[0]
    assert "Event 1 of 4" in header.value
    buttons["Reject"].click()  # e-threat
    assert "Event 2 of 4" in header.value
    buttons["Accept"].click()  # e-meet
    form = {w.description: w for box in widget.children[2].children for w in box.children}
    form["date_start"].value = "2024-01-16"
    buttons["Save edit"].click()  # e-drill, moved a day on
    table = read_corrections(path)
    assert table["event_id"].tolist() == ["e-threat", "e-drill"]
    assert table.loc[1, "date_start"] == pd.Timestamp("2024-01-16")
    assert len(seen) == 3 and "2 corrections" in widget.children[4].value


# --------------------------------------------------------------------------- the pipeline


@pytest.fixture(scope="module")
def sample_run():
    if not SAMPLE.is_dir() or not any(SAMPLE.iterdir()):
        pytest.skip(f"the sample corpus {SAMPLE} is empty")
    return run_pipeline([SAMPLE])


def _single_mention_events(result, n: int = 2) -> list[pd.Series]:
    """Events that are alone in their incident, of different incidents (fine, dated)."""
    incidents = result.incidents.loc[result.incidents["n_mentions"] == 1]
    chosen = []
    for inc in incidents.itertuples():
        match = result.events.loc[
            (result.events["source_id"] == inc.source_ids)
            & (result.events["event_type"] == inc.event_type)
            & (result.events["date_start"] == inc.date_start)
            & (result.events["date_end"] == inc.date_end)
            & (result.events["precision"] == "day")
        ]
        if len(match) == 1:
            chosen.append(match.iloc[0])
        if len(chosen) == n:
            return chosen
    pytest.skip("the corpus has too few single-mention incidents")


def test_run_pipeline_corrects_events_before_building_incidents(sample_run):
    gone, moved = _single_mention_events(sample_run)
    new_day = moved["date_start"] + pd.Timedelta(days=40)
    table = _table(
        {"event_id": gone["event_id"], "action": "reject"},
        {"event_id": moved["event_id"], "action": "correct", "date_start": f"{new_day:%Y-%m-%d}"},
    )
    result = run_pipeline([SAMPLE], corrections=table)
    assert result.corrections is not None
    assert len(result.events) == len(sample_run.events) - 1
    assert gone["event_id"] not in set(result.events["event_id"])
    incidents = result.incidents
    assert not (
        (incidents["source_ids"] == gone["source_id"])
        & (incidents["event_type"] == gone["event_type"])
        & (incidents["date_start"] == gone["date_start"])
    ).any()
    moved_to = incidents.loc[
        incidents["source_ids"].str.contains(moved["source_id"], regex=False)
        & (incidents["event_type"] == moved["event_type"])
    ]
    assert new_day in set(moved_to["date_start"])
    assert result.corrections.applied["action"].tolist() == ["reject", "correct"]


def test_a_bad_corrections_frame_fails_before_the_corpus_is_read(tmp_path):
    with pytest.raises(CorrectionsError, match="line 2: unknown action 'drop'"):
        run_pipeline(
            [tmp_path / "not there"], corrections=_table({"event_id": "e", "action": "drop"})
        )


# --------------------------------------------------------------------------- reuters-2016


REUTERS = ("corpora", "reuters-2016")


@pytest.fixture(scope="module")
def reuters(tmp_path_factory):
    """The uncorrected run, the two corrections and the corrected report (CLI, pandas)."""
    corpus = shared_path(*REUTERS)
    base = run_pipeline([corpus])
    gone, moved = _single_mention_events(base)
    new_day = moved["date_start"] + pd.Timedelta(days=3)
    folder = tmp_path_factory.mktemp("reuters")
    path = folder / "corrections.csv"
    path.write_text(
        "event_id,action,date_start,note,author,corrected_on\n"
        f"{gone['event_id']},reject,,not an event,kim,2024-05-01\n"
        f"{moved['event_id']},correct,{new_day:%Y-%m-%d},a few days off,kim,2024-05-01\n",
        encoding="utf-8",
    )
    report = folder / "report"
    assert (
        main(["-q", "report", str(corpus), "--out", str(report), "--corrections", str(path)]) == 0
    )
    return {
        "corpus": corpus,
        "base": base,
        "gone": gone,
        "moved": moved,
        "new_day": new_day,
        "corrections": path,
        "report": report,
        "folder": folder,
    }


def _csv_frame(frame: pd.DataFrame, folder: Path, name: str) -> pd.DataFrame:
    """A frame as the report writes it and reads back: all text."""
    path = folder / f"{name}.csv"
    frame.to_csv(path, index=False, date_format="%Y-%m-%d", float_format="%.6g")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _by(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    return frame.sort_values(key).reset_index(drop=True)


def _by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return _by(frame, "event_id")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.shared
def test_reuters_rejecting_and_moving_change_every_output(reuters, tmp_path):
    from analysis.report import build_report, save_figure

    report, base = reuters["report"], reuters["base"]
    gone, moved, new_day = reuters["gone"], reuters["moved"], reuters["new_day"]
    events = _read(report / "events.csv")
    assert list(events.columns) == list(schema.EVENTS)
    assert gone["event_id"] not in set(events["event_id"])
    row = events.set_index("event_id").loc[moved["event_id"]]
    assert (row["date_start"], row["date_end"], row["corrected_by"]) == (
        f"{new_day:%Y-%m-%d}",
        f"{new_day:%Y-%m-%d}",
        "3",
    )
    assert len(events) == len(base.events) - 1

    # The incidents are those of the corrected events: the rejected one's is gone,
    # the moved one's is on its new day.
    incidents = _read(report / "incidents.csv")
    expected = analysis.build_timeline(
        apply_corrections(base.events, read_corrections(reuters["corrections"])).events
    )
    pd.testing.assert_frame_equal(
        _by(incidents, "incident_id"), _by(_csv_frame(expected, tmp_path, "x"), "incident_id")
    )
    assert not (
        (incidents["source_ids"] == gone["source_id"])
        & (incidents["event_type"] == gone["event_type"])
        & (incidents["date_start"] == f"{gone['date_start']:%Y-%m-%d}")
    ).any()
    moved_to = incidents.loc[
        incidents["source_ids"].str.contains(moved["source_id"], regex=False)
        & (incidents["event_type"] == moved["event_type"])
    ]
    assert f"{new_day:%Y-%m-%d}" in set(moved_to["date_start"])

    # The report lists what it applied; everything matched.
    page = (report / "index.html").read_text(encoding="utf-8")
    markdown = (report / "report.md").read_text(encoding="utf-8")
    for text in ("<h2>Corrections</h2>", "a few days off", "not an event", moved["event_id"]):
        assert text in page
    assert "## Corrections" in markdown and "a few days off" in markdown
    applied = _read(report / "corrections.csv")
    assert applied["action"].tolist() == ["reject", "correct"]
    assert not (report / "corrections_unmatched.csv").exists()

    # The timeline chart is drawn from the corrected incidents: it differs.
    uncorrected = build_report(base, inputs=[str(reuters["corpus"])])
    save_figure(uncorrected.figures["timeline"][0], tmp_path / "timeline")
    assert _digest(tmp_path / "timeline.svg") != _digest(report / "timeline.svg")


@pytest.mark.shared
def test_reuters_corrections_are_the_same_streamed(reuters, tmp_path):
    out = tmp_path / "stream"
    corpus, path = reuters["corpus"], reuters["corrections"]
    assert main(["-q", "stream", str(corpus), "--out", str(out), "--corrections", str(path)]) == 0
    events = _csv_frame(stream.read_table(out, "events"), tmp_path, "events")
    incidents = _csv_frame(stream.read_table(out, "incidents"), tmp_path, "incidents")
    pd.testing.assert_frame_equal(_by_id(events), _by_id(_read(reuters["report"] / "events.csv")))
    pd.testing.assert_frame_equal(
        _by(incidents, "incident_id"),
        _by(_read(reuters["report"] / "incidents.csv"), "incident_id"),
    )
    applied = _read(out / "corrections_applied.csv")
    pd.testing.assert_frame_equal(applied, _read(reuters["report"] / "corrections.csv"))


@pytest.mark.shared
@pytest.mark.slow
def test_reuters_corrections_are_the_same_on_dask(reuters, tmp_path):
    pytest.importorskip("distributed")
    from analysis.engine import dask_client

    with dask_client(n_workers=2) as client:
        result = run_pipeline(
            [reuters["corpus"]], engine="dask", scheduler=client, corrections=reuters["corrections"]
        )
    report = reuters["report"]
    pd.testing.assert_frame_equal(
        _by_id(_csv_frame(result.events, tmp_path, "events")), _by_id(_read(report / "events.csv"))
    )
    pd.testing.assert_frame_equal(
        _by(_csv_frame(result.incidents, tmp_path, "incidents"), "incident_id"),
        _by(_read(report / "incidents.csv"), "incident_id"),
    )


def _corpus_without_one(corpus: Path, keep: set[str], folder: Path) -> tuple[Path, Path]:
    """A copy of the corpus (symbolic links) less one file whose article is not in ``keep``."""
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    left_out = next(p for p in reversed(files) if str(p.relative_to(corpus)) not in keep)
    for path in files:
        if path != left_out:
            link = folder / path.relative_to(corpus)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(path)
    return folder, left_out


@pytest.mark.shared
def test_reuters_a_rerun_with_one_more_input_keeps_both_corrections(reuters, tmp_path):
    corpus, path, base = reuters["corpus"], reuters["corrections"], reuters["base"]
    # not an article a correction is about, nor a copy or an original of one
    articles = base.articles
    copies = articles["duplicate_of"].notna()
    originals = articles["article_id"].isin(articles["duplicate_of"])
    keep = {reuters["gone"]["source_id"], reuters["moved"]["source_id"]}
    keep |= set(articles.loc[copies | originals, "source_id"])
    smaller, left_out = _corpus_without_one(corpus, keep, tmp_path / "corpus")

    # in-process: the corpus less one file, then (the report) the whole corpus
    first = run_pipeline([smaller], corrections=path)
    assert first.corrections.unmatched.empty and len(first.corrections.applied) == 2
    report = reuters["report"]
    assert len(_read(report / "corrections.csv")) == 2
    assert not (report / "corrections_unmatched.csv").exists()

    # streamed: the same folder, one more input file linked in
    out = tmp_path / "stream"
    stream.stream_corpus([smaller], out, corrections=path)
    (smaller / left_out.relative_to(corpus)).symlink_to(left_out)
    summary = stream.stream_corpus([smaller], out, corrections=path)
    assert summary.n_unchanged == summary.n_inputs - 1
    assert (summary.n_corrections, summary.n_unmatched) == (2, 0)
    events = _csv_frame(stream.read_table(out, "events"), tmp_path, "events")
    pd.testing.assert_frame_equal(_by_id(events), _by_id(_read(report / "events.csv")))
    incidents = _csv_frame(stream.read_table(out, "incidents"), tmp_path, "incidents")
    pd.testing.assert_frame_equal(
        _by(incidents, "incident_id"), _by(_read(report / "incidents.csv"), "incident_id")
    )
