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
