"""Benchmark: load the KCNA 2011-2012 corpus and print articles per second and peak memory.

Run from the project root::

    .venv/bin/python benchmarks/bench_load.py [PATH] [--repeat N] [--rss-runs N]

It loads ``../shared/corpora/kcna-2011-2012/`` (two CSV files, 24,776
records, 32 MB) with :func:`analysis.ingest.load_articles` on one core and
prints: records and articles per second (best of ``--repeat`` runs), the peak
of Python allocations (``tracemalloc``) during one load, and the process's
peak resident memory growth during a load (``VmHWM`` of a fresh child
process, minus the child's RSS after imports; the median and the worst of
``--rss-runs`` processes, since it varies by some 10-20 MB from run to run),
each against the corpus's size on disk. The RSS growth includes one-off costs
of a first load (library code paged in, caches), about 20 MB. Targets: at
least 5,000 articles a second, peak memory under three times the size on disk.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpora" / "kcna-2011-2012"


def _disk_size(path: Path) -> int:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files)


def _rss_child(path: Path) -> dict[str, float]:
    """Load once in a fresh interpreter; return its RSS after imports and at peak (bytes).

    The peak is the child's own high-water mark (``VmHWM``), not
    ``ru_maxrss``: on Linux a child's ``ru_maxrss`` keeps the peak of the
    process it was spawned from (the high-water mark survives ``exec``), so
    it would report this benchmark's own peak instead.
    """
    code = (
        "import json, sys\n"
        "import pandas, pyarrow, numpy\n"
        "from analysis.ingest import load_articles\n"
        "import analysis.ingest.tables, analysis.ingest.dedup, analysis.ingest.markup\n"
        "import trafilatura, charset_normalizer\n"
        "def status(key):\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith(key + ':'):\n"
        "            return int(line.split()[1]) * 1024\n"
        "base, peak0 = status('VmRSS'), status('VmHWM')\n"
        f"corpus = load_articles([{str(path)!r}])\n"
        "print(json.dumps({'base': base, 'peak0': peak0, 'peak': status('VmHWM')}))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--rss-runs", type=int, default=3, help="fresh processes measured for the RSS peak"
    )
    args = parser.parse_args(argv)
    path = Path(args.path)
    if not path.exists():
        print(f"bench_load: {path} is absent (clone ../shared beside the repo)", file=sys.stderr)
        return 2
    if hasattr(os, "sched_setaffinity"):
        # One core, as the target says (child processes inherit it).
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    sys.path.insert(0, str(ROOT / "src"))
    from analysis.ingest import load_articles, summarize_manifest

    disk = _disk_size(path)
    load_articles([path])  # warm up imports and caches
    times, cpu = [], []
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        corpus = load_articles([path])
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    best = min(times)
    best_cpu = min(cpu)
    n_records = len(corpus.manifest)
    n_articles = len(corpus.articles)

    tracemalloc.start()
    load_articles([path])
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # The RSS peak of a process varies from run to run (allocator and kernel
    # timing), so several fresh processes are measured: median and worst.
    runs = sorted(
        (_rss_child(path) for _ in range(max(args.rss_runs, 1))),
        key=lambda r: r["peak"] - r["base"],
    )
    rss = runs[len(runs) // 2]
    rss_growth = rss["peak"] - rss["base"]
    worst = runs[-1]["peak"] - runs[-1]["base"]

    mb = 1024 * 1024
    print(f"corpus: {path} ({disk / mb:.1f} MB on disk)")
    print(f"manifest: {summarize_manifest(corpus.manifest)}")
    print(f"time: best {best:.2f} s of {args.repeat} (all: {', '.join(f'{t:.2f}' for t in times)})")
    print(f"speed: {n_articles / best:,.0f} articles/s ({n_records / best:,.0f} records/s)")
    print(
        f"CPU time: best {best_cpu:.2f} s = {n_articles / best_cpu:,.0f} articles per CPU-second "
        f"(load average {os.getloadavg()[0]:.1f}: other processes slow the wall clock)"
    )
    print(
        f"peak memory (tracemalloc, Python allocations): {traced_peak / mb:.1f} MB "
        f"= {traced_peak / disk:.2f} x size on disk"
    )
    print(
        f"peak memory (RSS growth during the load, fresh process, median of {len(runs)}): "
        f"{rss_growth / mb:.1f} MB = {rss_growth / disk:.2f} x size on disk "
        f"(worst {worst / mb:.1f} MB = {worst / disk:.2f} x; RSS after imports "
        f"{rss['base'] / mb:.0f} MB, peak {rss['peak'] / mb:.0f} MB)"
    )
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"max RSS of this process: {max_rss / mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
