"""Run every stage, from raw files to incidents.

The per-article stages (sentences, actor mentions, events) are pure functions
of a batch of articles, so :func:`process_articles` can be applied to any
partition of a corpus, in-process or on Dask (:func:`run_stages`); incidents
are then built once from all the events, after an analyst's corrections
when there are any (:mod:`analysis.corrections`), so incidents follow them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from os import PathLike
from typing import TYPE_CHECKING

import pandas as pd

from analysis import schema
from analysis.corrections import (
    AppliedCorrections,
    apply_corrections,
    read_corrections,
    validate_corrections,
)
from analysis.engine import process_on_dask
from analysis.events import extract_events
from analysis.ingest import load_articles
from analysis.nlp import find_mentions, split_sentences
from analysis.timeline import build_timeline

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

#: Where the per-article stages can run.
ENGINES = ("pandas", "dask")


@dataclass(frozen=True)
class PipelineResult:
    """The frames of one pipeline run, each with the columns of its schema.

    Its frames are :data:`analysis.schema.PIPELINE_FRAMES`, in that order;
    ``corrections`` says what an analyst's corrections did, when the run
    applied any (the events and incidents are then the corrected ones).
    """

    articles: pd.DataFrame
    manifest: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    events: pd.DataFrame
    incidents: pd.DataFrame
    corrections: AppliedCorrections | None = None


def process_articles(articles: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Run the per-article stages on a batch of articles.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows of ``schema.ARTICLES``; any partition of a corpus.

    Returns
    -------
    dict of str to pandas.DataFrame
        The frames of :data:`analysis.schema.STAGE_FRAMES` (``sentences``,
        ``mentions`` and ``events``), each with the columns of its schema,
        for exactly these articles.
    """
    sentences = split_sentences(articles)
    mentions = find_mentions(articles, sentences=sentences)
    events = extract_events(articles, sentences=sentences, mentions=mentions)
    return {"sentences": sentences, "mentions": mentions, "events": events}


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ValueError(f"engine must be 'pandas' or 'dask', not {engine!r}")


def run_stages(
    articles: pd.DataFrame,
    *,
    engine: str = "pandas",
    scheduler: str | Client | None = None,
    npartitions: int | None = None,
) -> dict[str, pd.DataFrame]:
    """Run the per-article stages on articles, in-process or on a Dask cluster.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows of ``schema.ARTICLES``.
    engine : {"pandas", "dask"}
        Run in-process, or partition by partition on Dask
        (:func:`analysis.engine.process_on_dask`); the frames are the same.
    scheduler : str or distributed.Client, optional
        For ``engine="dask"``: a scheduler address or an open client; a
        local cluster when omitted.
    npartitions : int, optional
        For ``engine="dask"``: how many partitions to cut the articles into.

    Returns
    -------
    dict of str to pandas.DataFrame
        As :func:`process_articles`: ``sentences``, ``mentions``, ``events``.

    Examples
    --------
    >>> frames = run_stages(corpus.articles, engine="dask")  # doctest: +SKIP
    >>> incidents = build_timeline(frames["events"])  # doctest: +SKIP
    """
    _check_engine(engine)
    if engine == "dask":
        return process_on_dask(
            articles, process=process_articles, scheduler=scheduler, npartitions=npartitions
        )
    return process_articles(articles)


def run_pipeline(
    paths: Iterable[str | PathLike[str]],
    *,
    engine: str = "pandas",
    scheduler: str | None = None,
    progress: bool = False,
    corrections: str | PathLike[str] | pd.DataFrame | None = None,
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
    corrections : path-like or pandas.DataFrame, optional
        An analyst's corrections (a corrections file, or a table as
        :func:`analysis.corrections.read_corrections` returns it), checked
        before anything runs and applied to the events before the incidents
        are built (:func:`analysis.apply_corrections`).

    Returns
    -------
    PipelineResult
        The articles, manifest, sentences, mentions, events and incidents;
        with ``corrections``, also what the corrections did.

    Raises
    ------
    analysis.corrections.CorrectionsError
        When the corrections are wrong (before the corpus is read).
    """
    _check_engine(engine)
    table = None
    if isinstance(corrections, pd.DataFrame):
        table = validate_corrections(corrections)
    elif corrections is not None:
        table = read_corrections(corrections)
    corpus = load_articles(list(paths), progress=progress)
    frames = run_stages(corpus.articles, engine=engine, scheduler=scheduler)
    frames = {"articles": corpus.articles, "manifest": corpus.manifest, **frames}
    applied = None
    if table is not None:
        applied = apply_corrections(
            frames["events"], table, articles=corpus.articles, sentences=frames["sentences"]
        )
        frames["events"] = applied.events
    frames["incidents"] = build_timeline(frames["events"])
    return PipelineResult(
        **{
            name: schema.check(frames[name], schema.FRAMES[name]) for name in schema.PIPELINE_FRAMES
        },
        corrections=applied,
    )
