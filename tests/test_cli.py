"""The command line and the public API, end to end on the bundled sample corpus."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis import schema
from analysis.cli import main


def test_public_api_names_resolve_and_are_documented():
    for name in analysis.__all__:
        obj = getattr(analysis, name)
        assert callable(obj), name
        assert obj.__doc__ and obj.__doc__.strip(), f"{name} has no docstring"
    with pytest.raises(AttributeError):
        analysis.no_such_function  # noqa: B018


def _console_script() -> list[str]:
    script = Path(sys.executable).with_name("analysis")
    if not script.exists():
        pytest.skip(f"the console script is not installed beside {sys.executable}")
    return [str(script)]


@pytest.mark.parametrize("how", ["console script", "python -m"])
def test_help_lists_every_command(how):
    argv = _console_script() if how == "console script" else [sys.executable, "-m", "analysis"]
    out = subprocess.run([*argv, "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("load", "events", "timeline", "evaluate", "report"):
        assert command in out


def test_missing_path_is_one_line_and_exit_2(tmp_path, capsys):
    status = main(["-q", "events", str(tmp_path / "nope"), "--out", str(tmp_path / "e.csv")])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("analysis: no such file or folder")
    assert "Traceback" not in err


def test_bad_output_suffix_is_a_usage_error(sample, tmp_path, capsys):
    status = main(["-q", "load", str(sample), "--out", str(tmp_path / "articles.xlsx")])
    assert status == 2
    assert "use a .csv or .parquet" in capsys.readouterr().err


def test_events_and_timeline_write_their_frames(sample, tmp_path):
    events_csv = tmp_path / "events.csv"
    incidents_pq = tmp_path / "incidents.parquet"
    assert main(["-q", "events", str(sample), "--out", str(events_csv)]) == 0
    assert main(["-q", "timeline", str(sample), "--out", str(incidents_pq)]) == 0

    events = pd.read_csv(events_csv)
    assert list(events.columns) == list(schema.EVENTS)
    assert len(events) > 0
    assert set(events["event_type"]) <= set(schema.EVENT_TYPES)
    # dates are written as ISO days, as the guidelines' columns are
    assert events["date_start"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()

    incidents = pd.read_parquet(incidents_pq)
    assert list(incidents.columns) == list(schema.INCIDENTS)
    assert 0 < len(incidents) <= len(events)
    assert (incidents["n_mentions"] >= incidents["n_articles"]).all()


def test_an_internal_error_is_one_line_and_the_traceback_with_verbose(
    sample, tmp_path, capsys, monkeypatch
):
    import analysis.pipeline

    def broken(*args, **kwargs):
        raise ValueError("a bug, not the user's mistake")

    monkeypatch.setattr(analysis.pipeline, "run_pipeline", broken)
    argv = ["events", str(sample), "--out", str(tmp_path / "e.csv")]
    assert main(["-q", *argv]) == 3
    err = capsys.readouterr().err
    assert err.startswith("analysis: internal error: ValueError: a bug")
    assert "--verbose" in err and "Traceback" not in err
    assert main(["-q", "--verbose", *argv]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_stream_into_an_unwritable_folder_is_a_usage_error(sample, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["-q", "stream", str(sample), "--out", str(blocker / "out")]) == 2
    assert capsys.readouterr().err.startswith("analysis: --out")


@pytest.mark.parametrize("command", ["events", "timeline", "report", "stream"])
def test_corrections_option_is_on_the_pipeline_commands(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "--corrections FILE" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["events", "timeline", "report", "stream"])
def test_a_bad_corrections_file_is_one_line_exit_2_and_nothing_written(
    command, sample, tmp_path, capsys
):
    bad = tmp_path / "corrections.csv"
    bad.write_text("event_id,action,event_type\ne1,reject,\ne2,correct,summit\n")
    out = tmp_path / ("out.csv" if command in ("events", "timeline") else "out")
    argv = ["-q", command, str(sample), "--out", str(out), "--corrections", str(bad)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err == f"analysis: --corrections {bad}, line 3: unknown event_type 'summit'" + (
        "; use one of " + ", ".join(schema.EVENT_TYPES) + "\n"
    )
    assert not out.exists()
    assert main([*argv[:-1], str(tmp_path / "nope.csv")]) == 2
    assert "cannot read it" in capsys.readouterr().err
    assert not out.exists()


def test_events_and_timeline_apply_corrections(sample, tmp_path, capsys):
    plain = tmp_path / "plain.csv"
    assert main(["-q", "events", str(sample), "--out", str(plain)]) == 0
    capsys.readouterr()
    rejected = pd.read_csv(plain, dtype=str)["event_id"].iloc[0]
    table = tmp_path / "corrections.csv"
    table.write_text(f"event_id,action\n{rejected},reject\nno-such-event,reject\n")

    events_csv = tmp_path / "events.csv"
    argv = ["--out", str(events_csv), "--corrections", str(table)]
    assert main(["-q", "events", str(sample), *argv]) == 0
    out = capsys.readouterr().out
    assert "corrections: 1 correction applied; 1 matched nothing (line 3)" in out
    events = pd.read_csv(events_csv, dtype=str)
    assert list(events.columns) == list(schema.EVENTS)
    assert rejected not in set(events["event_id"])
    assert len(events) == len(pd.read_csv(plain)) - 1

    incidents_csv = tmp_path / "incidents.csv"
    argv = ["--out", str(incidents_csv), "--corrections", str(table)]
    assert main(["-q", "timeline", str(sample), *argv]) == 0
    assert "1 correction applied" in capsys.readouterr().out
    incidents = pd.read_csv(incidents_csv)
    # every dated event, the rejected one aside, is a mention of one incident
    assert incidents["n_mentions"].sum() == events["date_start"].notna().sum()
