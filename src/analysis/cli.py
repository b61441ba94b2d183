"""The command line: thin, it parses arguments and calls the public API.

A user's mistake (a missing path, a bad option, an unwritable output) ends in
one line on standard error and exit status 2, never a traceback. Anything
else is a fault of this program: one line saying so, exit status 3, and the
traceback with ``--verbose``.

Each command imports the stage it runs when it runs, so ``--help`` and a
user's mistake answer without loading pandas, NLTK and Dask.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.engine import SchedulerError

DEFAULT_CORPUS = Path("data/sample")


class UsageError(Exception):
    """A mistake in how the command was called, reported in one line."""


def write_frame(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` to ``path`` as Parquet or CSV, chosen by the suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq"):
        raise UsageError(f"--out {path}: use a .csv or .parquet file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".csv":
            frame.to_csv(path, index=False, date_format="%Y-%m-%d")
        else:
            frame.to_parquet(path, index=False)
    except OSError as err:
        raise UsageError(f"cannot write {path}: {err.strerror or err}") from err
    return path


def _paths(values: Sequence[str]) -> list[Path]:
    paths = [Path(v) for v in values] or [DEFAULT_CORPUS]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    return paths


def _columns(pairs: Sequence[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field or not column:
            raise UsageError(f"--column {pair!r}: write FIELD=COLUMN, for example body=story")
        mapping[field.strip()] = column.strip()
    return mapping


def _cmd_load(args: argparse.Namespace) -> int:
    from analysis.ingest import load_articles, summarize_manifest

    corpus = load_articles(
        _paths(args.paths), columns=_columns(args.column), progress=not args.quiet
    )
    if args.out:
        write_frame(corpus.articles, args.out)
    if args.manifest:
        write_frame(corpus.manifest, args.manifest)
    print(summarize_manifest(corpus.manifest))
    return 0 if (corpus.manifest["status"] == "loaded").any() else 1


def _corrections(path: str | None) -> pd.DataFrame | None:
    """Read and check ``--corrections`` before any work, so a bad file writes nothing."""
    if path is None:
        return None
    from analysis.corrections import CorrectionsError, read_corrections

    try:
        return read_corrections(path)
    except CorrectionsError as err:
        raise UsageError(f"--corrections {err}") from err


def _print_corrections(result: object) -> None:
    applied = getattr(result, "corrections", None)
    if applied is not None:
        print(f"corrections: {applied.summary()}")


def _run(args: argparse.Namespace):
    from analysis.pipeline import run_pipeline

    paths = _paths(args.paths)
    corrections = _corrections(args.corrections)
    return run_pipeline(
        paths,
        engine=args.engine,
        scheduler=args.scheduler,
        progress=not args.quiet,
        corrections=corrections,
    )


def _cmd_events(args: argparse.Namespace) -> int:
    result = _run(args)
    write_frame(result.events, args.out)
    print(f"{len(result.events)} events from {len(result.articles)} articles -> {args.out}")
    _print_corrections(result)
    return 0 if len(result.articles) else 1


def _cmd_timeline(args: argparse.Namespace) -> int:
    result = _run(args)
    write_frame(result.incidents, args.out)
    print(
        f"{len(result.incidents)} incidents from {len(result.events)} events "
        f"in {len(result.articles)} articles -> {args.out}"
    )
    _print_corrections(result)
    return 0 if len(result.articles) else 1


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from analysis.evaluate import EvaluationInputError, run_evaluation

    try:
        report = run_evaluation(
            _paths(args.paths),
            gold=Path(args.gold) if args.gold else None,
            gold_set=args.gold_set,
            errors=bool(args.errors),
            references=[Path(r) for r in args.reference],
            engine=args.engine,
            scheduler=args.scheduler,
        )
    except EvaluationInputError as err:
        raise UsageError(str(err)) from err
    if args.out:
        for name, frame in report.tables.items():
            write_frame(frame, Path(args.out) / f"{name}.csv")
    if args.errors:
        write_frame(report.tables["event_errors"], Path(args.errors))
    print(report.summary())
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from analysis.report import ReportError, write_report

    paths = _paths(args.paths)
    corrections = _corrections(args.corrections)
    try:
        out = write_report(
            paths,
            out=Path(args.out),
            engine=args.engine,
            scheduler=args.scheduler,
            progress=not args.quiet,
            corrections=corrections,
        )
    except ReportError as err:
        raise UsageError(str(err)) from err
    print(f"report written to {out}")
    return 0


def _cmd_stream(args: argparse.Namespace) -> int:
    from analysis.stream import BATCH_BYTES, BATCH_FILES, stream_corpus

    if args.batch_files is not None and args.batch_files < 1:
        raise UsageError("--batch-files must be at least 1")
    if args.batch_mb is not None and args.batch_mb <= 0:
        raise UsageError("--batch-mb must be positive")
    paths = _paths(args.paths)
    corrections = _corrections(args.corrections)
    try:
        summary = stream_corpus(
            paths,
            args.out,
            batch_files=args.batch_files or BATCH_FILES,
            batch_bytes=int(args.batch_mb * 2**20) if args.batch_mb else BATCH_BYTES,
            engine=args.engine,
            scheduler=args.scheduler,
            progress=not args.quiet,
            corrections=corrections,
        )
    except OSError as err:  # the output folder cannot be made or written
        raise UsageError(f"--out {args.out}: {err.strerror or err}") from err
    print(summary)
    return 0 if summary.n_inputs else 1


def _add_engine(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=("pandas", "dask"),
        default="pandas",
        help="run in-process with pandas (default) or on Dask",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address (default: a local cluster)",
    )


def _add_corrections(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corrections",
        metavar="FILE",
        help="an analyst's corrections (CSV: event_id, action, ...), applied to the events",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``analysis`` command."""
    parser = argparse.ArgumentParser(
        prog="analysis",
        description="Dated events, incident timelines and tension series from "
        "Korean Peninsula security news.",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print the traceback of an internal error"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("load", help="load articles and print the manifest summary")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of articles")
    p.add_argument("--out", metavar="FILE", help="write the articles (.csv or .parquet)")
    p.add_argument("--manifest", metavar="FILE", help="write the manifest (.csv or .parquet)")
    p.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="map an article field to a table column, e.g. body=story (repeatable)",
    )
    p.set_defaults(func=_cmd_load)

    p = sub.add_parser("events", help="extract dated events (one row per event mention)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--out", required=True, metavar="FILE", help="events file (.csv or .parquet)")
    _add_corrections(p)
    _add_engine(p)
    p.set_defaults(func=_cmd_events)

    p = sub.add_parser("timeline", help="merge events into incidents (one row per incident)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--out", required=True, metavar="FILE", help="incidents file (.csv or .parquet)")
    _add_corrections(p)
    _add_engine(p)
    p.set_defaults(func=_cmd_timeline)

    p = sub.add_parser("evaluate", help="score events and incidents against gold and references")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--gold", metavar="DIR", help="folder of gold sets (<set>_events.csv, ...)")
    p.add_argument(
        "--gold-set", default="dev", metavar="NAME", help="which gold set: dev (default) or dev2"
    )
    p.add_argument(
        "--reference",
        action="append",
        default=[],
        metavar="CSV",
        help="reference list of incidents (CSIS or CNS format; repeatable)",
    )
    p.add_argument("--out", metavar="DIR", help="write the score tables as CSV here")
    p.add_argument(
        "--errors", metavar="FILE", help="write every miss and false positive, with its cause"
    )
    _add_engine(p)
    p.set_defaults(func=_cmd_evaluate)

    p = sub.add_parser("report", help="run the whole pipeline and write reports/")
    p.add_argument("paths", nargs="*", metavar="PATH", help=f"default: {DEFAULT_CORPUS}")
    p.add_argument("--out", default="reports", metavar="DIR", help="output folder")
    _add_corrections(p)
    _add_engine(p)
    p.set_defaults(func=_cmd_report)
    p = sub.add_parser(
        "stream",
        help="run the pipeline over a large corpus in batches, into Parquet datasets by month",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--out", required=True, metavar="DIR", help="output folder; a rerun skips unchanged inputs"
    )
    p.add_argument("--batch-files", type=int, metavar="N", help="input files per batch (200)")
    p.add_argument("--batch-mb", type=float, metavar="MB", help="input megabytes per batch (256)")
    _add_corrections(p)
    _add_engine(p)
    p.set_defaults(func=_cmd_stream)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``analysis`` command; return its exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (UsageError, SchedulerError) as err:
        print(f"analysis: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("analysis: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a fault of this program, not the user's: say so
        if args.verbose:
            traceback.print_exc()
        print(
            f"analysis: internal error: {type(err).__name__}: {err}"
            + ("" if args.verbose else " (run with --verbose for the traceback)"),
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
