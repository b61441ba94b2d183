"""Run every stage, from raw files to incidents.

The per-article stages (sentences, actor mentions, events) are pure functions
of a batch of articles, so :func:`process_articles` can be applied to any
partition of a corpus; incidents are then built once from all the events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from os import PathLike

import pandas as pd

from analysis import schema


@dataclass(frozen=True)
class PipelineResult:
    """The frames of one pipeline run, each with the columns of its schema."""

    articles: pd.DataFrame
    manifest: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    events: pd.DataFrame
    incidents: pd.DataFrame


def process_articles(articles: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Run the per-article stages on a batch of articles.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows of ``schema.ARTICLES``; any partition of a corpus.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``sentences``, ``mentions`` and ``events``, each with the columns of
        its schema, for exactly these articles.
    """
    from analysis.events import extract_events
    from analysis.nlp import find_mentions, split_sentences

    sentences = split_sentences(articles)
    mentions = find_mentions(articles, sentences=sentences)
    events = extract_events(articles, sentences=sentences, mentions=mentions)
    return {"sentences": sentences, "mentions": mentions, "events": events}


def run_pipeline(
    paths: Iterable[str | PathLike[str]],
    *,
    engine: str = "pandas",
    scheduler: str | None = None,
    progress: bool = False,
) -> PipelineResult:
    """Load a corpus and run every stage on it.

    Parameters
    ----------
    paths : iterable of path-like
        Files or folders of articles, as for :func:`analysis.load_articles`.
    engine : {"pandas", "dask"}
        Run in-process with pandas, or on a Dask cluster.
    scheduler : str, optional
        Address of a Dask scheduler; a local cluster when omitted.
    progress : bool
        Show progress bars.

    Returns
    -------
    PipelineResult
        The articles, manifest, sentences, mentions, events and incidents.
    """
    from analysis.ingest import load_articles
    from analysis.timeline import build_timeline

    if engine not in ("pandas", "dask"):
        raise ValueError(f"engine must be 'pandas' or 'dask', not {engine!r}")
    corpus = load_articles(list(paths), progress=progress)
    if engine == "dask":
        from analysis.engine import process_on_dask

        frames = process_on_dask(corpus.articles, scheduler=scheduler)
    else:
        frames = process_articles(corpus.articles)
    incidents = build_timeline(frames["events"])
    return PipelineResult(
        articles=corpus.articles,
        manifest=corpus.manifest,
        sentences=schema.check(frames["sentences"], schema.SENTENCES, name="sentences"),
        mentions=schema.check(frames["mentions"], schema.MENTIONS, name="mentions"),
        events=schema.check(frames["events"], schema.EVENTS, name="events"),
        incidents=schema.check(incidents, schema.INCIDENTS, name="incidents"),
    )
