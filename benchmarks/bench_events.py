"""Benchmark events and incidents end to end, from raw files, on one core.

Loads ``../shared/corpora/kcna-2011-2012/`` (24,776 records, 32 MB of CSV)
with :func:`analysis.load_articles`, then splits sentences, finds actor
mentions, extracts events (resolving time expressions in the sentences that
hold a trigger, as the pipeline does) and builds the incident timeline,
timing each stage. Prints articles per second per stage and end to
end (target: 2,000 articles a second end to end), with the counts of events
and incidents. The process is pinned to one CPU where the platform allows.

Run::

    .venv/bin/python benchmarks/bench_events.py
    .venv/bin/python benchmarks/bench_events.py --repeat 3   # best of three
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANALYSIS_SHARED", ROOT.parent / "shared"))
KCNA = SHARED / "corpora" / "kcna-2011-2012"


def run_once(path: Path) -> dict[str, float | int]:
    """Run every stage once; return the wall and CPU seconds per stage and the counts."""
    from analysis.events import extract_events, load_lexicon
    from analysis.ingest import load_articles
    from analysis.nlp import find_mentions, split_sentences
    from analysis.timeline import build_timeline

    times: dict[str, float | int] = {}
    # Wall time and this process's CPU time: on a busy machine the two part.
    wall = [time.perf_counter()]
    cpu = [time.process_time()]

    def lap() -> None:
        wall.append(time.perf_counter())
        cpu.append(time.process_time())

    articles = load_articles([path]).articles
    lap()
    sentences = split_sentences(articles)
    lap()
    mentions = find_mentions(articles, sentences=sentences)
    lap()
    # As the pipeline does: time expressions are resolved inside
    # extract_events, only in the sentences that hold a trigger.
    load_lexicon()
    events = extract_events(articles, sentences=sentences, mentions=mentions)
    lap()
    incidents = build_timeline(events)
    lap()
    for i, stage in enumerate(("load", "sentences", "mentions", "events", "timeline")):
        times[stage] = wall[i + 1] - wall[i]
        times[f"{stage}_cpu"] = cpu[i + 1] - cpu[i]
    times.update(
        total=wall[-1] - wall[0],
        total_cpu=cpu[-1] - cpu[0],
        n_articles=len(articles),
        n_events=len(events),
        n_incidents=len(incidents),
    )
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=KCNA, help="folder or file of articles")
    parser.add_argument("--repeat", type=int, default=1, help="runs; the fastest is reported")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"bench_events: {args.corpus} is absent (clone ../shared beside the repo)")
        return 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    runs = [run_once(args.corpus) for _ in range(max(1, args.repeat))]
    best = min(runs, key=lambda r: r["total"])
    n = best["n_articles"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"corpus: {args.corpus} ({n} articles), one core, best of {len(runs)}")
    print(f"machine load average at the end: {load:.1f} (other work slows every stage)")
    print(f"{'stage':<10} {'wall s':>8} {'articles/s':>11} {'CPU s':>8} {'articles/CPU s':>15}")
    for stage in ("load", "sentences", "mentions", "events", "timeline", "total"):
        secs, cpu = best[stage], best[f"{stage}_cpu"]
        rate = n / secs if secs else float("inf")
        cpu_rate = n / cpu if cpu else float("inf")
        print(f"{stage:<10} {secs:8.2f} {rate:11,.0f} {cpu:8.2f} {cpu_rate:15,.0f}")
    print(f"events: {best['n_events']}, incidents: {best['n_incidents']}")
    rate = n / best["total"]
    print(
        f"end to end: {rate:,.0f} articles/s (target 2,000): {'met' if rate >= 2000 else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
