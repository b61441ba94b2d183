"""Benchmark the one-command report on the real corpora, stage by stage.

For ``../shared/corpora/kcna-2024/`` and ``reuters-2016/`` it runs the
pipeline, builds the series and figures, and writes the report folder, timing
each step, and prints the seconds and the counts. Target: a report of a few
thousand articles in under a minute. The reports are written outside the
project (``--out``, default a folder in the system's temporary directory).

Run from the project root::

    .venv/bin/python benchmarks/bench_report.py
    .venv/bin/python benchmarks/bench_report.py --out /tmp/reports kcna-2024
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANALYSIS_SHARED", ROOT.parent / "shared"))
CORPORA = ("kcna-2024", "reuters-2016")
TARGET_SECONDS = 60.0


def run_once(corpus: Path, out: Path) -> dict[str, float | int | str]:
    """Write one report; return the seconds per step and the counts."""
    from analysis import report
    from analysis.pipeline import run_pipeline

    t0 = time.perf_counter()
    result = run_pipeline([corpus])
    t1 = time.perf_counter()
    built = report.build_report(result, inputs=[str(corpus)])
    t2 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    report.write_files(built, out)
    t3 = time.perf_counter()
    return {
        "articles": int(built.summary["articles"]),
        "incidents": int(built.summary["incidents"]),
        "jumps": int(built.summary.get("jumps", 0)),
        "window": str(built.summary.get("window", "")),
        "pipeline_s": t1 - t0,
        "series_and_figures_s": t2 - t1,
        "write_s": t3 - t2,
        "total_s": t3 - t0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", default=list(CORPORA), metavar="CORPUS")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(tempfile.gettempdir()) / "analysis-bench-reports",
        help="where to write the reports (outside the project)",
    )
    args = parser.parse_args()
    for name in args.corpora:
        corpus = SHARED / "corpora" / name
        if not corpus.exists():
            print(f"{name}: skipped, {corpus} is absent")
            continue
        figures = run_once(corpus, args.out / name)
        verdict = "ok" if figures["total_s"] < TARGET_SECONDS else "OVER TARGET"
        print(
            f"{name}: {figures['articles']} articles ({figures['window']}), "
            f"{figures['incidents']} incidents, {figures['jumps']} jumps; "
            f"pipeline {figures['pipeline_s']:.1f} s, series and figures "
            f"{figures['series_and_figures_s']:.1f} s, writing {figures['write_s']:.1f} s; "
            f"total {figures['total_s']:.1f} s (target < {TARGET_SECONDS:.0f} s: {verdict}) "
            f"-> {args.out / name}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
