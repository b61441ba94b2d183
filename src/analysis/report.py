"""The one-command report: run every stage, save the figures, tables and pages.

:func:`write_report` runs :func:`analysis.pipeline.run_pipeline`, builds the
series and figures (:func:`build_report`, no I/O) and writes a folder that a
person reads: ``index.html`` and the same content as ``report.md``, every
figure as PNG and SVG, every table as CSV.

Two promises:

- Byte-identical output for the same input: figures are saved with a fixed
  ``svg.hashsalt`` and without dates or versions in their metadata; tables and
  pages hold no timestamps.
- Atomic replacement: everything is written to a temporary folder beside
  ``out`` and swapped in at the end, so a run that fails part-way leaves the
  previous report as it was.

With an analyst's corrections (``write_report(..., corrections=...)``) every
table and figure is built from the corrected events, the page lists the
corrections applied (``corrections.csv``), and those that matched no event
are counted in the summary and listed in ``corrections_unmatched.csv``.
"""

from __future__ import annotations

import html
import numbers
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

import matplotlib
import matplotlib.style
import pandas as pd
from matplotlib.figure import Figure

from analysis import pipeline, plots, schema, series

#: Terms counted in every report besides the actors.
REPORT_TERMS = ("missile", "nuclear", "satellite", "sanctions", "talks", "drills")

#: Periods with fewer articles get no tension reading in a report.
MIN_ARTICLES = 3

#: Periods in the rolling mean of the tension index.
ROLLING = 4

#: How far before the first article the incident timeline starts.
LEAD_IN = pd.Timedelta(days=30)

#: What makes a folder a report this module may replace.
_MARKERS = ("index.html", "report.md")

# Fixed so that the SVG ids, and so the bytes, are the same on every run.
_RC = {"svg.hashsalt": "analysis-report", "svg.fonttype": "path", "font.family": "DejaVu Sans"}
_PNG_METADATA = {"Software": None}
_SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
_DPI = 110

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
       max-width: 1200px; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.lead { color: #555; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 0.8rem; margin: 1rem 0; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 0.6rem 1rem; min-width: 8rem; }
.card b { display: block; font-size: 1.5rem; }
figure { margin: 1.2rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.6rem 0; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; vertical-align: top; text-align: left; }
th { background: #f4f4f4; } td.num { text-align: right; }
td.evidence { max-width: 32rem; }
.scroll { max-height: 40rem; overflow: auto; }
"""


class ReportError(ValueError):
    """The report cannot be written where it was asked to be (a user's mistake)."""


@dataclass
class Report:
    """Everything a report shows, before it is written: no I/O has happened."""

    title: str
    inputs: list[str]
    summary: dict[str, object]
    figures: dict[str, tuple[Figure, str]] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


# --------------------------------------------------------------------------
# Building (pure)


def _window(articles: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    dated = series.usable_articles(articles)["published_date"]
    if dated.empty:
        return None
    return dated.min(), dated.max()


def _status_counts(manifest: pd.DataFrame) -> dict[str, int]:
    counts = manifest["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in schema.STATUSES}


def _incident_table(incidents: pd.DataFrame) -> pd.DataFrame:
    """All the incidents, every column of ``schema.INCIDENTS``, in date order."""
    ordered = incidents.sort_values(["date_start", "event_type", "incident_id"], kind="stable")
    return ordered.reset_index(drop=True)


def build_report(
    result: pipeline.PipelineResult, *, inputs: Iterable[str] = (), freq: str | None = None
) -> Report:
    """Build the series, figures and tables of a report from a pipeline run.

    Parameters
    ----------
    result : analysis.pipeline.PipelineResult
        The frames of one run.
    inputs : iterable of str
        The paths the run read, as the page shows them.
    freq : {"D", "W", "M"}, optional
        The period of the series. When omitted, :func:`analysis.series.choose_freq`
        picks the finest of days, weeks and months at which at least three in
        four periods have ``MIN_ARTICLES`` articles, with at most 120 periods
        (months when none does).

    Returns
    -------
    Report
        The page's summary figures, the matplotlib figures (each with a
        caption) and the tables, keyed by the file name they will get.
    """
    # Matplotlib's own defaults, whatever the user's matplotlibrc says, so the
    # figures are the same on every machine.
    with matplotlib.style.context("default"), matplotlib.rc_context(_RC):
        return _build(result, inputs=inputs, freq=freq)


def _build(result: pipeline.PipelineResult, *, inputs: Iterable[str], freq: str | None) -> Report:
    articles, incidents = result.articles, result.incidents
    counts = _status_counts(result.manifest)
    window = _window(articles)
    summary: dict[str, object] = {
        "inputs loaded": counts["loaded"],
        "duplicates": counts["duplicate"],
        "rejected": counts["rejected"],
        "articles": len(series.usable_articles(articles)),
        "event mentions": len(result.events),
        "incidents": len(incidents),
    }
    corrections = result.corrections
    if corrections is not None:
        summary["corrections applied"] = len(corrections.applied)
        if len(corrections.unmatched):
            summary["corrections unmatched"] = len(corrections.unmatched)
    report = Report(
        title="Korean Peninsula security news",
        inputs=[str(p) for p in inputs],
        summary=summary,
    )
    manifest = result.manifest.sort_values(["path", "record"], kind="stable", na_position="first")
    report.tables["manifest"] = manifest.reset_index(drop=True)
    report.tables["incidents"] = _incident_table(incidents)
    report.tables["events"] = result.events
    if corrections is not None:
        report.tables["corrections"] = corrections.applied
        if len(corrections.unmatched):
            report.tables["corrections_unmatched"] = corrections.unmatched
    if window is None:
        return report

    first, last = window
    freq = freq or series.choose_freq(articles, start=first, end=last, min_articles=MIN_ARTICLES)
    unit = series.FREQ_UNITS[freq]
    summary["window"] = f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"
    summary["period"] = unit
    in_window = series.select_overlapping(incidents, start=first, end=last)
    summary["incidents in window"] = len(in_window)

    tension = series.tension_index(
        articles,
        incidents,
        freq=freq,
        start=first,
        end=last,
        sentences=result.sentences,
        min_articles=MIN_ARTICLES,
        window=ROLLING,
    )
    jumps = series.tension_jumps(tension, incidents, freq=freq)
    mentions = series.count_mentions(
        articles, result.mentions, freq=freq, terms=REPORT_TERMS, start=first, end=last
    )
    report.tables["tension"] = tension
    report.tables["tension_jumps"] = jumps
    report.tables["mentions"] = mentions
    if tension["tension"].notna().any():
        peak = tension.loc[tension["tension"].idxmax()]
        summary["peak tension"] = (
            f"{peak['tension']:.0f} ({unit} of {peak['period_date']:%Y-%m-%d})"
        )
    summary["jumps"] = len(jumps)

    report.figures["tension"] = (
        plots.plot_tension(tension, jumps=jumps, title=f"Tension index by {unit}"),
        f"The tension index by {unit} (mean = 100), its rolling mean over the last "
        f"{ROLLING} {unit}s that have an index, and its three components: incidents "
        "weighted by intensity, the share of articles with threat or act terms, and "
        "tone. Circles mark jumps, numbered and named on the right with the incidents "
        "that weighed most in that period (the component that rose most when no "
        f"incident did). A {unit} with fewer than {MIN_ARTICLES} articles has no "
        "index, rhetoric or tone: it is shaded grey. The period is the finest of "
        f"day, week and month at which most periods have {MIN_ARTICLES} articles.",
    )
    report.figures["timeline"] = (
        plots.plot_timeline(
            incidents,
            start=first - LEAD_IN,
            end=last,
            n_labels=10,
            title="Incidents by type, from a month before the first article",
        ),
        "One lane per event type, from a month before the first article (the news "
        "that opens a corpus often reports what just happened); bars are incidents "
        "dated to a range; marks are sized by the number of sources; hollow marks "
        "are planned, crosses denied. The heaviest incidents (intensity times "
        "sources, at most three a lane) are named where a label fits.",
    )
    count_freq = "W" if freq == "D" else "M"
    report.figures["event_counts"] = (
        plots.plot_event_counts(result.events, freq=count_freq, start=first, end=last),
        "Event mentions that happened, per type, by the date of the event.",
    )
    actors = mentions.loc[mentions["term_kind"] == "actor"]
    report.figures["mentions"] = (
        plots.plot_mentions(actors, top=6, title=f"Actors mentioned, share of articles by {unit}"),
        "The six most mentioned actors: the share of each period's articles that "
        "mention them. Gaps are periods without articles.",
    )
    terms = mentions.loc[mentions["term_kind"] == "term"]
    report.figures["terms"] = (
        plots.plot_mentions(terms, kind="heatmap", title=f"Terms, share of articles by {unit}"),
        "The share of each period's articles that use each term (grey: no articles).",
    )
    return report


# --------------------------------------------------------------------------
# Rendering


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _html_table(frame: pd.DataFrame, *, classes: Mapping[str, str] | None = None) -> str:
    classes = dict(classes or {})
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, values, strict=True):
            css = classes.get(column)
            if css is None and isinstance(value, numbers.Number) and not isinstance(value, bool):
                css = "num"
            attr = f' class="{css}"' if css else ""
            cells.append(f"<td{attr}>{html.escape(_cell(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>"
    )


def _md_table(frame: pd.DataFrame) -> str:
    def cell(value: object) -> str:
        return _cell(value).replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(str(c) for c in frame.columns) + " |",
        "|" + "---|" * len(frame.columns),
    ]
    lines += [
        "| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)
    ]
    return "\n".join(lines)


def _views(report: Report) -> dict[str, pd.DataFrame]:
    """The tables the page shows, shortened for reading (the CSVs hold all)."""
    views = {}
    jumps = report.tables.get("tension_jumps")
    if jumps is not None and not jumps.empty:
        views["jumps"] = jumps.assign(
            period_date=jumps["period_date"].dt.strftime("%Y-%m-%d"),
            tension=jumps["tension"].round(0),
            change=jumps["change"].round(0),
        )[["period_date", "tension", "change", "driver", "label"]]
    incidents = report.tables["incidents"]
    views["incidents"] = incidents.assign(
        dates=[
            f"{a:%Y-%m-%d}" + (f" to {b:%Y-%m-%d}" if pd.notna(b) and b != a else "")
            if pd.notna(a)
            else ""
            for a, b in zip(incidents["date_start"], incidents["date_end"], strict=True)
        ],
        sources=incidents["outlets"].fillna(""),
        evidence=incidents["evidence"].fillna("").str.slice(0, 300),
    )[
        [
            "dates",
            "event_type",
            "actor",
            "participants",
            "missile_class",
            "modality",
            "n_sources",
            "n_articles",
            "sources",
            "evidence",
        ]
    ]
    by_type = incidents.groupby("event_type").size()
    views["by_type"] = pd.DataFrame(
        {
            "event_type": [t for t in schema.EVENT_TYPES if t in by_type.index],
            "incidents": [int(by_type[t]) for t in schema.EVENT_TYPES if t in by_type.index],
        }
    )
    manifest = report.tables["manifest"]
    rejected = manifest.loc[manifest["status"] == "rejected", ["path", "record", "reason"]]
    views["rejected"] = rejected.head(50)
    views["n_rejected"] = len(rejected)
    if "corrections" in report.tables:
        views["corrections"] = report.tables["corrections"][
            ["line", "action", "event_type", "change", "author", "corrected_on", "note", "event_id"]
        ]
    unmatched = report.tables.get("corrections_unmatched")
    if unmatched is not None:
        views["unmatched"] = unmatched[["line", "action", "event_id", "source_id", "reason"]]
    return views


def _corrections_text(views: Mapping[str, object]) -> tuple[str, str | None]:
    """What the corrections section says: what applied, and what matched nothing."""
    n = len(views["corrections"])
    applied = (
        f"{n} event{'s' if n != 1 else ''} rejected, corrected or added by the analyst's "
        "corrections file; every table and chart is built from the corrected events"
    )
    unmatched = views.get("unmatched")
    if unmatched is None:
        return applied, None
    m = len(unmatched)
    return applied, (
        f"{m} correction{'s' if m != 1 else ''} matched no event (its event was not "
        "extracted this time, or its article is not in the corpus)"
    )


def render_html(report: Report) -> str:
    """Return the report as an HTML page (images and tables by relative link)."""
    views = _views(report)
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(report.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(report.title)}</h1>",
        f'<p class="lead">Inputs: {esc(", ".join(report.inputs) or "(none)")}'
        + (f" &middot; {esc(str(report.summary['window']))}" if "window" in report.summary else "")
        + "</p>",
        '<div class="cards">',
    ]
    for name, value in report.summary.items():
        if name in ("window", "period"):
            continue
        out.append(f'<div class="card"><b>{esc(str(value))}</b>{esc(name)}</div>')
    out.append("</div>")
    if report.figures:
        out.append("<h2>Charts</h2>")
    for name, (_, caption) in report.figures.items():
        out.append(
            f'<figure id="fig-{name}"><img src="{name}.png" alt="{esc(caption)}">'
            f'<figcaption>{esc(caption)} <a href="{name}.svg">SVG</a></figcaption></figure>'
        )
    if "jumps" in views:
        out += ["<h2>Jumps of the tension index</h2>", _html_table(views["jumps"])]
    out += [
        "<h2>Incidents by type</h2>",
        _html_table(views["by_type"]),
        "<h2>Incidents</h2>",
        "<p>Every incident, with its sources and the sentence that supports it "
        '(full table: <a href="incidents.csv">incidents.csv</a>).</p>',
        '<div class="scroll">',
        _html_table(views["incidents"], classes={"evidence": "evidence"}),
        "</div>",
        "<h2>Inputs</h2>",
        f"<p>{report.summary['inputs loaded']} loaded, {report.summary['duplicates']} "
        f"duplicates, {report.summary['rejected']} rejected "
        '(every input: <a href="manifest.csv">manifest.csv</a>).</p>',
    ]
    if views["n_rejected"]:
        shown = len(views["rejected"])
        more = (
            f" (the first {shown} of {views['n_rejected']})" if shown < views["n_rejected"] else ""
        )
        out += [f"<p>Rejected inputs{more}:</p>", _html_table(views["rejected"])]
    if "corrections" in views:
        applied, unmatched = _corrections_text(views)
        out += [
            "<h2>Corrections</h2>",
            f'<p>{esc(applied)} (<a href="corrections.csv">corrections.csv</a>).</p>',
            _html_table(views["corrections"]),
        ]
        if unmatched:
            out += [
                f'<p>{esc(unmatched)} (<a href="corrections_unmatched.csv">'
                "corrections_unmatched.csv</a>):</p>",
                _html_table(views["unmatched"]),
            ]
    out += ["<h2>Tables</h2>", "<ul>"]
    out += [f'<li><a href="{name}.csv">{name}.csv</a></li>' for name in report.tables]
    out += ["</ul>", "</body>", "</html>", ""]
    return "\n".join(out)


def render_markdown(report: Report) -> str:
    """Return the report as Markdown, the same content as :func:`render_html`."""
    views = _views(report)
    out = [f"# {report.title}", ""]
    lead = f"Inputs: {', '.join(report.inputs) or '(none)'}"
    if "window" in report.summary:
        lead += f" · {report.summary['window']}"
    out += [lead, ""]
    out += [
        f"- **{value}** {name}"
        for name, value in report.summary.items()
        if name not in ("window", "period")
    ]
    out.append("")
    if report.figures:
        out += ["## Charts", ""]
    for name, (_, caption) in report.figures.items():
        out += [f"![{name} chart]({name}.png)", "", f"{caption} [SVG]({name}.svg)", ""]
    if "jumps" in views:
        out += ["## Jumps of the tension index", "", _md_table(views["jumps"]), ""]
    out += ["## Incidents by type", "", _md_table(views["by_type"]), ""]
    out += [
        "## Incidents",
        "",
        "Every incident, with its sources and the sentence that supports it "
        "(full table: [incidents.csv](incidents.csv)).",
        "",
        _md_table(views["incidents"]),
        "",
        "## Inputs",
        "",
        f"{report.summary['inputs loaded']} loaded, {report.summary['duplicates']} duplicates, "
        f"{report.summary['rejected']} rejected (every input: [manifest.csv](manifest.csv)).",
        "",
    ]
    if views["n_rejected"]:
        out += ["Rejected inputs:", "", _md_table(views["rejected"]), ""]
    if "corrections" in views:
        applied, unmatched = _corrections_text(views)
        out += ["## Corrections", "", f"{applied} ([corrections.csv](corrections.csv)).", ""]
        out += [_md_table(views["corrections"]), ""]
        if unmatched:
            out += [f"{unmatched} ([corrections_unmatched.csv](corrections_unmatched.csv)):", ""]
            out += [_md_table(views["unmatched"]), ""]
    out += ["## Tables", ""]
    out += [f"- [{name}.csv]({name}.csv)" for name in report.tables]
    out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------
# Writing


def save_figure(fig: Figure, path_stem: Path) -> list[Path]:
    """Save ``fig`` as PNG and SVG, reproducibly: the same figure, the same bytes."""
    paths = [path_stem.with_suffix(".png"), path_stem.with_suffix(".svg")]
    engine = fig.get_layout_engine()
    with matplotlib.style.context("default"), matplotlib.rc_context(_RC):
        fig.savefig(paths[0], dpi=_DPI, metadata=_PNG_METADATA)
        # The layout is in figure fractions, so the PNG's serves the SVG too:
        # laying it out again would only cost time.
        fig.set_layout_engine("none")
        try:
            fig.savefig(paths[1], dpi=_DPI, metadata=_SVG_METADATA)
        finally:
            fig.set_layout_engine(engine)
    return paths


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(
        path, index=False, date_format="%Y-%m-%d", float_format="%.6g", lineterminator="\n"
    )


def write_files(report: Report, directory: Path) -> None:
    """Write the pages, figures and tables of ``report`` into ``directory``."""
    for name, (fig, _) in report.figures.items():
        save_figure(fig, directory / name)
    for name, frame in report.tables.items():
        _write_table(frame, directory / f"{name}.csv")
    (directory / "report.md").write_text(render_markdown(report), encoding="utf-8")
    (directory / "index.html").write_text(render_html(report), encoding="utf-8")


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out {out}: is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not all((out / m).exists() for m in _MARKERS):
        raise ReportError(
            f"--out {out}: the folder holds files that are not a report; "
            "choose an empty or new folder (a report replaces its folder)"
        )


def _replace(staging: Path, out: Path) -> None:
    """Swap ``staging`` in as ``out``, keeping the old report until it is in place."""
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    old.rmdir()
    out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _default_paths() -> list[Path]:
    here = Path("data/sample")
    if here.exists():
        return [here]
    return [Path(__file__).resolve().parents[2] / "data" / "sample"]


def write_report(
    paths: Iterable[str | PathLike[str]] | None = None,
    *,
    out: str | PathLike[str] = "reports",
    engine: str = "pandas",
    scheduler: str | None = None,
    progress: bool = False,
    freq: str | None = None,
    corrections: str | PathLike[str] | pd.DataFrame | None = None,
) -> Path:
    """Run the whole pipeline and write a report folder.

    Parameters
    ----------
    paths : iterable of path-like, optional
        Files or folders of articles; ``data/sample/`` by default.
    out : path-like
        The report folder. It is replaced as a whole, and only when the new
        report is complete; a folder that holds other files is refused.
    engine : {"pandas", "dask"}
        How to run the per-article stages.
    scheduler : str, optional
        Address of a Dask scheduler.
    progress : bool
        Show progress bars.
    freq : {"D", "W", "M"}, optional
        The period of the series; chosen from the corpus's window by default.
    corrections : path-like or pandas.DataFrame, optional
        An analyst's corrections, applied to the events before anything is
        built from them (see :func:`analysis.pipeline.run_pipeline`).

    Returns
    -------
    pathlib.Path
        ``out``: ``index.html``, ``report.md``, one PNG and one SVG per figure,
        one CSV per table (manifest, incidents, events, tension,
        tension_jumps, mentions; with corrections, ``corrections`` and,
        when some matched no event, ``corrections_unmatched``).

    Raises
    ------
    ReportError
        When ``out`` is a file or a folder that is not a report.
    analysis.corrections.CorrectionsError
        When the corrections are wrong (before anything is run or written).

    Examples
    --------
    >>> write_report(["../shared/corpora/reuters-2016"], out="/tmp/reuters")  # doctest: +SKIP
    PosixPath('/tmp/reuters')
    """
    paths = [Path(p) for p in paths] if paths is not None else _default_paths()
    out = Path(out)
    _check_out(out)
    result = pipeline.run_pipeline(
        paths, engine=engine, scheduler=scheduler, progress=progress, corrections=corrections
    )
    report = build_report(result, inputs=[str(p) for p in paths], freq=freq)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
        # mkdtemp makes the folder private; a report is for reading.
        staging.chmod(0o755)
    except OSError as err:
        raise ReportError(f"--out {out}: cannot write there ({err.strerror or err})") from err
    try:
        write_files(report, staging)
        _replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out
