"""Print the extractor's quality on each gold set, side by side, with the cross scores.

Scores ``dev`` (news: the seed page, Reuters 2016, KCNA 2024) and ``dev2``
(White House statements) separately, each against its own gold file in
``../shared/gold``, with :func:`analysis.evaluate.run_evaluation` (what
``analysis evaluate --gold-set NAME`` prints), and prints:

1. one line per set: gold rows, precision, recall, F1, date-exact share;
2. F1 by event type, the sets side by side (gold rows in brackets);
3. the cross scores: every predicted row is put under the set its trigger was
   written on, which is where the trigger's cases in
   ``tests/data/event_cases.csv`` come from (``dev``, ``dev2``, both,
   ``other`` corpora only, or ``none``: no case yet), and scored on each set:
   rules written on one set, scored on the other;
4. the errors of each set by cause (:func:`analysis.evaluate.error_table`);
5. with ``--kcna``: the KCNA 2011-2012 launch check (about 30 s more).

Run::

    .venv/bin/python benchmarks/bench_quality.py
    .venv/bin/python benchmarks/bench_quality.py --kcna --errors /tmp/errors
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd

from analysis.evaluate import (
    GOLD_CORPORA,
    explain_incidents,
    read_reference,
    run_evaluation,
)
from analysis.pipeline import run_pipeline

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANALYSIS_SHARED", ROOT.parent / "shared"))
CASES = ROOT / "tests" / "data" / "event_cases.csv"
SETS = ("dev", "dev2")
KCNA_WINDOW = ("2011-01-01", "2012-11-30")


def written_on(cases: Path = CASES) -> dict[str, str]:
    """Map each trigger name to the gold sets its cases come from (``dev``, ``dev+dev2``, ...)."""
    set_of = {Path(p).name: name for name, paths in GOLD_CORPORA.items() for p in paths}
    found: dict[str, set[str]] = defaultdict(set)
    with cases.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            head, _, name = row["rule"].partition(".")
            if head == "triggers":
                found[name].add(set_of.get(row["corpus"], "other"))
    return {
        name: "+".join(s for s in (*SETS, "other") if s in sets) for name, sets in found.items()
    }


def _ratio(num: int, den: int) -> str:
    return f"{num / den:6.3f}" if den else "     -"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder")
    parser.add_argument("--kcna", action="store_true", help="also run the KCNA 2011-2012 check")
    parser.add_argument("--errors", type=Path, help="write <set>_errors.csv into this folder")
    args = parser.parse_args(argv)
    if not (args.shared / "gold").is_dir():
        print(f"bench_quality: {args.shared / 'gold'} is absent (clone ../shared beside the repo)")
        return 2
    runs = {}
    for name in SETS:
        paths = [args.shared / p for p in GOLD_CORPORA[name]]
        runs[name] = run_evaluation(paths, gold=args.shared / "gold", gold_set=name, errors=True)
    scores = {n: r.tables["event_scores"].set_index("event_type") for n, r in runs.items()}

    print(f"{'set':<5} {'n_gold':>6} {'P':>6} {'R':>6} {'F1':>6} {'exact':>6}")
    for name, s in scores.items():
        a = s.loc["all"]
        print(
            f"{name:<5} {int(a.n_gold):>6} {a.precision:6.3f} {a.recall:6.3f} {a.f1:6.3f} "
            f"{a.exact_share:6.3f}"
        )

    print("\nF1 by type (gold rows)")
    types = sorted(set().union(*(s.index for s in scores.values())) - {"all"})
    print(f"{'type':<18}" + "".join(f"{n:>15}" for n in SETS))
    for etype in types:
        cells = []
        for name in SETS:
            s = scores[name]
            if etype in s.index and s.loc[etype, "n_gold"] > 0:
                cells.append(f"{s.loc[etype, 'f1']:8.3f} ({s.loc[etype, 'n_gold']:>3})")
            else:
                cells.append(f"{'-':>8} ({0:>3})")
        print(f"{etype:<18}" + "".join(f"{c:>15}" for c in cells))

    origin = written_on()
    # A miss has no trigger: only predictions can be put under a rule.
    print("\ncross scores: predicted rows by the set their trigger's cases come from")
    print(f"{'scored on':<10} {'written on':<15} {'pred':>5} {'right':>6} {'P':>6}")
    for name, run in runs.items():
        pairs = run.tables["event_matches"]
        pred = pairs.loc[pairs["status"] != "missed"]
        where = pred["trigger"].map(lambda t: origin.get(t, "none"))
        for label, sub in pred.groupby(where):
            right = int((sub["status"] == "matched").sum())
            print(f"{name:<10} {label:<15} {len(sub):>5} {right:>6} {_ratio(right, len(sub))}")

    print("\nerrors by cause")
    for name, run in runs.items():
        errors = run.tables["event_errors"]
        counts = errors.groupby(["status", "cause"]).size()
        print(f"  {name}: " + ", ".join(f"{s} {c} {n}" for (s, c), n in counts.items()))
        if args.errors:
            args.errors.mkdir(parents=True, exist_ok=True)
            errors.to_csv(args.errors / f"{name}_errors.csv", index=False, date_format="%Y-%m-%d")

    if args.kcna:
        incidents = run_pipeline([args.shared / "corpora" / "kcna-2011-2012"]).incidents
        reference = pd.concat(
            [
                read_reference(args.shared / "reference" / "csis_provocations.csv"),
                read_reference(args.shared / "reference" / "cns_missile_tests.csv"),
            ],
            ignore_index=True,
        )
        checked = explain_incidents(incidents, reference, window=KCNA_WINDOW)
        false = checked.loc[checked["ref_id"].isna()]
        fine = (checked["date_end"] - checked["date_start"]) <= pd.Timedelta(days=2)
        april = checked.loc[fine & (checked["ref_date"] == pd.Timestamp("2012-04-13"))]
        print(
            f"\nKCNA 2011-2012: {len(false)} North Korean launches or tests that happened "
            f"{KCNA_WINDOW[0]}..{KCNA_WINDOW[1]} with no reference row (target at most 3); "
            f"13 April 2012 as a satellite launch: "
            f"{'found' if (april['event_type'] == 'satellite_launch').any() else 'NOT found'}"
        )
        for r in false.itertuples():
            print(f"  {r.date_start:%Y-%m-%d} {r.event_type:<16} {str(r.evidence)[:100]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
