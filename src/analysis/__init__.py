"""Dated events, incident timelines and tension series from Korean Peninsula news.

The public API, stage by stage (data flows one way)::

    corpus = load_articles(["data/sample"])             # ARTICLES + MANIFEST
    sentences = split_sentences(corpus.articles)        # SENTENCES
    mentions = find_mentions(corpus.articles)           # MENTIONS
    events = extract_events(corpus.articles)            # EVENTS
    events = apply_corrections(events, table).events    # an analyst's corrections
    incidents = build_timeline(events)                  # INCIDENTS
    tension = tension_index(corpus.articles, incidents) # one row per period

``resolve_dates(text, reference_date)`` resolves the time expressions of a
single string, and ``run_pipeline`` runs every stage, in-process or on Dask.
Names are imported lazily, so ``import analysis`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_articles": "analysis.ingest",
    "split_sentences": "analysis.nlp",
    "find_mentions": "analysis.nlp",
    "find_dates": "analysis.nlp",
    "resolve_dates": "analysis.nlp",
    "extract_events": "analysis.events",
    "apply_corrections": "analysis.corrections",
    "build_timeline": "analysis.timeline",
    "score_events": "analysis.evaluate",
    "score_incidents": "analysis.evaluate",
    "count_mentions": "analysis.series",
    "tension_index": "analysis.series",
    "tension_jumps": "analysis.series",
    "plot_timeline": "analysis.plots",
    "plot_tension": "analysis.plots",
    "plot_mentions": "analysis.plots",
    "plot_event_counts": "analysis.plots",
    "run_pipeline": "analysis.pipeline",
    "write_report": "analysis.report",
}

__all__ = [
    "apply_corrections",
    "build_timeline",
    "count_mentions",
    "extract_events",
    "find_dates",
    "find_mentions",
    "load_articles",
    "plot_event_counts",
    "plot_mentions",
    "plot_tension",
    "plot_timeline",
    "resolve_dates",
    "run_pipeline",
    "score_events",
    "score_incidents",
    "split_sentences",
    "tension_index",
    "tension_jumps",
    "write_report",
]

if TYPE_CHECKING:  # pragma: no cover
    from analysis.corrections import apply_corrections
    from analysis.evaluate import score_events, score_incidents
    from analysis.events import extract_events
    from analysis.ingest import load_articles
    from analysis.nlp import find_dates, find_mentions, resolve_dates, split_sentences
    from analysis.pipeline import run_pipeline
    from analysis.plots import plot_event_counts, plot_mentions, plot_tension, plot_timeline
    from analysis.report import write_report
    from analysis.series import count_mentions, tension_index, tension_jumps
    from analysis.timeline import build_timeline


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    if name == "evaluate":
        return importlib.import_module("analysis.evaluate")
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__"])
