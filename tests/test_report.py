"""The one-command report: contents, byte-identical reruns, atomic replacement."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
import series_frames as sf
from conftest import SAMPLE

import analysis.pipeline
import analysis.report
from analysis.cli import main
from analysis.report import ReportError, write_report

FIGURES = ("tension", "timeline", "event_counts", "mentions", "terms")
TABLES = ("manifest", "incidents", "events", "tension", "tension_jumps", "mentions")


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _fake_run_pipeline(paths, **options):
    return sf.result()


@pytest.fixture
def hand_made(monkeypatch):
    """Replace the pipeline by the hand-made run, so these tests need no other stage."""
    monkeypatch.setattr(analysis.pipeline, "run_pipeline", _fake_run_pipeline)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """One report of the hand-made run, shared by the tests that only read it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(analysis.pipeline, "run_pipeline", _fake_run_pipeline)
        return write_report(["in"], out=tmp_path_factory.mktemp("written") / "report")


@pytest.mark.slow
def test_report_writes_pages_figures_and_tables(written):
    names = {p.name for p in written.iterdir()}
    expected = {"index.html", "report.md"}
    expected |= {f"{f}.{ext}" for f in FIGURES for ext in ("png", "svg")}
    expected |= {f"{t}.csv" for t in TABLES}
    assert names == expected
    page = (written / "index.html").read_text(encoding="utf-8")
    markdown = (written / "report.md").read_text(encoding="utf-8")
    for figure in FIGURES:
        assert f'<img src="{figure}.png"' in page
        assert f"({figure}.png)" in markdown
    # The incidents table with sources and evidence, and the input counts.
    for text in ("Envoys of the two Koreas held talks in Panmunjom.", "Daily;Wire", "ICBM"):
        assert text in page and text in markdown
    assert "4 loaded, 1 duplicates, 1 rejected" in page
    assert "binary file, not text" in page and "binary file, not text" in markdown
    assert (written / "tension.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (written / "tension.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


@pytest.mark.slow
def test_report_is_byte_identical_from_run_to_run(hand_made, written, tmp_path):
    # Written over a copy of the first report (with a stale file in it), the
    # second run replaces the folder as a whole and gives the same bytes.
    out = tmp_path / "report"
    shutil.copytree(written, out)
    (out / "stale.csv").write_text("from an older run")
    assert write_report(["in"], out=out) == out
    assert _digests(out) == _digests(written)
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_a_failed_run_leaves_the_previous_report_intact(hand_made, written, tmp_path, monkeypatch):
    out = tmp_path / "report"
    shutil.copytree(written, out)
    before = _digests(out)
    saved = []
    real_save_figure = analysis.report.save_figure

    def failing_save_figure(fig, path_stem):
        if len(saved) == 2:
            raise OSError("disk full")
        saved.extend(real_save_figure(fig, path_stem))

    monkeypatch.setattr(analysis.report, "save_figure", failing_save_figure)
    with pytest.raises(OSError, match="disk full"):
        write_report(["in"], out=out)
    assert len(saved) == 2  # part-way: one figure (PNG and SVG) was written first
    assert _digests(out) == before
    # The staging folder is gone: only the report is left.
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_report_refuses_a_folder_that_is_not_a_report(hand_made, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ReportError, match="not a report"):
        write_report(["in"], out=tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    with pytest.raises(ReportError, match="is a file"):
        write_report(["in"], out=tmp_path / "notes.txt")


def test_cli_report_prints_where_it_wrote(monkeypatch, tmp_path, capsys):
    calls = []

    def fake_write_report(paths, **options):
        calls.append((paths, options))
        if options["out"].name == "taken":
            raise ReportError(f"--out {options['out']}: not a report")
        return options["out"]

    monkeypatch.setattr(analysis.report, "write_report", fake_write_report)
    (tmp_path / "in").mkdir()
    assert main(["-q", "report", str(tmp_path / "in"), "--out", str(tmp_path / "r")]) == 0
    assert f"report written to {tmp_path / 'r'}" in capsys.readouterr().out
    assert calls[0][0] == [tmp_path / "in"] and calls[0][1]["engine"] == "pandas"
    assert main(["-q", "report", str(tmp_path / "in"), "--out", str(tmp_path / "taken")]) == 2
    assert "not a report" in capsys.readouterr().err


def _sample_ready() -> None:
    if not SAMPLE.is_dir() or not any(SAMPLE.iterdir()):
        pytest.skip(f"the sample corpus {SAMPLE} is empty")


@pytest.mark.slow
def test_report_on_the_sample_corpus_twice(tmp_path):
    _sample_ready()
    first = write_report([SAMPLE], out=tmp_path / "one")
    second = write_report([SAMPLE], out=tmp_path / "two")
    assert _digests(first) == _digests(second)
    page = (first / "index.html").read_text(encoding="utf-8")
    assert page.count("<img ") == len(FIGURES)
    # The sample has three articles in most weeks: a weekly index, whose
    # rolling mean stops wherever the index does.
    tension = pd.read_csv(first / "tension.csv", parse_dates=["period_date"])
    assert set(tension["period_date"].diff().dropna().dt.days) == {7}
    assert "The tension index by week" in page
    assert (tension["tension"].isna() == tension["tension_rolling"].isna()).all()
    assert (tension.loc[tension["tension"].notna(), "n_articles"] >= 3).all()


def test_a_corpus_with_nothing_loaded_still_gets_a_page(monkeypatch, tmp_path):
    from analysis import schema
    from analysis.pipeline import PipelineResult

    rejected = sf.manifest().assign(status="rejected", reason="empty story")
    nothing = PipelineResult(
        articles=schema.empty(schema.ARTICLES),
        manifest=schema.conform(rejected, schema.MANIFEST),
        sentences=schema.empty(schema.SENTENCES),
        mentions=schema.empty(schema.MENTIONS),
        events=schema.empty(schema.EVENTS),
        incidents=schema.empty(schema.INCIDENTS),
    )
    monkeypatch.setattr(analysis.pipeline, "run_pipeline", lambda paths, **kw: nothing)
    out = write_report(["in"], out=tmp_path / "report")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<img" not in page
    assert "0 loaded, 0 duplicates, 6 rejected" in page
    assert page.count("empty story") == 6
    assert {p.name for p in out.iterdir()} == {
        "index.html",
        "report.md",
        "manifest.csv",
        "incidents.csv",
        "events.csv",
    }


def _corrected_run(paths, **options):
    """The hand-made run with one event rejected and one correction that matches nothing."""
    from analysis import schema
    from analysis.corrections import apply_corrections
    from analysis.pipeline import PipelineResult

    assert options["corrections"] == "corrections.csv"
    base = sf.result()
    events = base.events.assign(event_id=["e1", "e2", "e3"])
    table = pd.DataFrame(
        {
            "event_id": ["e3", "gone"],
            "action": ["reject", "reject"],
            "note": ["not talks", "from an older run"],
            "author": ["kim", "kim"],
        }
    )
    done = apply_corrections(events, table)
    frames = {name: getattr(base, name) for name in schema.PIPELINE_FRAMES}
    return PipelineResult(**{**frames, "events": done.events}, corrections=done)


def test_report_lists_the_corrections_it_applied_and_those_that_matched_nothing(
    monkeypatch, tmp_path
):
    monkeypatch.setattr(analysis.pipeline, "run_pipeline", _corrected_run)
    out = write_report(["in"], out=tmp_path / "report", corrections="corrections.csv")
    names = {p.name for p in out.iterdir()}
    assert {"corrections.csv", "corrections_unmatched.csv"} <= names
    applied = pd.read_csv(out / "corrections.csv", dtype=str)
    assert applied[["line", "action", "event_id", "change"]].values.tolist() == [
        ["2", "reject", "e3", "rejected"]
    ]
    unmatched = pd.read_csv(out / "corrections_unmatched.csv", dtype=str)
    assert unmatched[["line", "event_id", "reason"]].values.tolist() == [
        ["3", "gone", "no event has this event_id"]
    ]
    events = pd.read_csv(out / "events.csv", dtype=str)
    assert "corrected_by" in events.columns and "e3" not in set(events["event_id"])
    page = (out / "index.html").read_text(encoding="utf-8")
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "<b>1</b>corrections applied" in page and "<b>1</b>corrections unmatched" in page
    assert "- **1** corrections unmatched" in markdown
    for text in ("Corrections</h2>", "not talks", "1 correction matched no event", "gone"):
        assert text in page
    for text in ("## Corrections", "not talks", "[corrections_unmatched.csv]"):
        assert text in markdown


def test_a_report_without_corrections_has_no_corrections_section(hand_made, tmp_path):
    from analysis.report import build_report

    report = build_report(sf.result(), inputs=["in"])
    assert not any(name.startswith("corrections") for name in report.tables)
    assert not any(name.startswith("corrections") for name in report.summary)
    assert "Corrections" not in analysis.report.render_markdown(report)
