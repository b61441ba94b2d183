"""Run the per-article stages on Dask, partition by partition.

The per-article stages (:func:`analysis.pipeline.process_articles`) are pure
functions of a batch of articles, so a corpus can be cut into contiguous
partitions, each processed on a ``dask.distributed`` worker, and the results
concatenated back in partition order: the frames are then the ones the
in-process run gives, row for row. Incidents are built once from all the
events by the caller (:func:`analysis.pipeline.run_pipeline`), so incidents
whose mentions fall in different partitions merge exactly as in-process.

One thing crosses articles: an exact copy is skipped by the event extractor
when the article it copies (its ``duplicate_of``) is in the same frame. So
each partition travels with the articles its rows point to as *context*:
they are processed with it, and their rows are dropped from its results
(:func:`process_partition`).

``dask`` and ``distributed`` are imported inside the functions, so importing
this module (or the command line) stays fast.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis import schema

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

#: Most rows in a partition: enough work (a second or more) to amortise a
#: task's overhead (milliseconds), small enough data to ship and to hold.
PARTITION_ROWS = 2_000

#: How long to wait for a scheduler given by address before giving up.
CONNECT_TIMEOUT = "10s"

ProcessFunc = Callable[[pd.DataFrame], dict[str, pd.DataFrame]]


class SchedulerError(ConnectionError):
    """A Dask scheduler could not be reached or started."""


def partition_articles(articles: pd.DataFrame, *, npartitions: int) -> list[pd.DataFrame]:
    """Cut an articles frame into contiguous partitions of near-equal size.

    Parameters
    ----------
    articles : pandas.DataFrame
        Any frame; its rows keep their order.
    npartitions : int
        How many partitions to make (at most one per row, at least one).

    Returns
    -------
    list of pandas.DataFrame
        Contiguous slices of ``articles`` (one row per article each), in
        order, whose concatenation is ``articles``. The cut depends only on
        the number of rows, so the same corpus is always cut the same way.

    Examples
    --------
    >>> frame = pd.DataFrame({"article_id": list("abcde")})
    >>> [len(part) for part in partition_articles(frame, npartitions=2)]
    [3, 2]
    """
    if npartitions < 1:
        raise ValueError(f"npartitions must be at least 1, not {npartitions}")
    n = max(1, min(npartitions, len(articles)))
    # ceil-first split, like numpy.array_split, so sizes differ by at most one
    sizes = [len(chunk) for chunk in np.array_split(np.arange(len(articles)), n)]
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    return [articles.iloc[bounds[i] : bounds[i + 1]] for i in range(n)]


def default_npartitions(n_rows: int, n_threads: int) -> int:
    """Return how many partitions to cut ``n_rows`` articles into.

    Partitions of at most :data:`PARTITION_ROWS` rows, so each task's data
    and results stay small whatever the corpus size, and at least two per
    worker thread, so a slow partition does not leave the other workers idle
    at the end; never more partitions than rows.
    """
    by_size = math.ceil(n_rows / PARTITION_ROWS)
    return max(1, min(max(by_size, 2 * max(n_threads, 1)), n_rows))


@contextlib.contextmanager
def dask_client(
    scheduler: str | Client | None = None,
    *,
    n_workers: int | None = None,
    processes: bool = True,
) -> Iterator[Client]:
    """Open a Dask client for the duration of a ``with`` block.

    Parameters
    ----------
    scheduler : str or distributed.Client, optional
        The address of a running scheduler (``tcp://host:8786``), a client
        that is already open (used as is and left open), or ``None`` for a
        local cluster started here and closed at the end.
    n_workers : int, optional
        Workers of the local cluster (one thread each); the machine's cores
        when omitted. Ignored when ``scheduler`` is given.
    processes : bool
        Local workers in their own processes (the default, so they run in
        parallel) or as threads of this process (quick to start; for tests).

    Yields
    ------
    distributed.Client

    Raises
    ------
    SchedulerError
        When the scheduler cannot be reached in :data:`CONNECT_TIMEOUT`.
    """
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as err:
            raise SchedulerError(
                f"cannot reach the Dask scheduler at {scheduler!r}: {err}"
            ) from err
        with client:
            yield client
        return
    n_workers = n_workers or os.cpu_count() or 1
    cluster = LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=processes,
        dashboard_address=":0",  # any free port: never clash with another cluster's
        silence_logs=logging.ERROR,
    )
    # On one machine the client reaches the workers itself: data need not
    # pass through the scheduler on its way there and back.
    with cluster, Client(cluster, set_as_default=False, direct_to_workers=True) as client:
        yield client


def concat_partitions(results: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Concatenate per-partition results, frame by frame, in partition order.

    Parameters
    ----------
    results : list of dict of str to pandas.DataFrame
        What a per-partition function returned for each partition, in order.

    Returns
    -------
    dict of str to pandas.DataFrame
        One frame per key of the first result, the partitions' rows stacked
        in order with a fresh index; frames named in
        :data:`analysis.schema.FRAMES` are cast to their schema's dtypes, so
        that an all-empty partition cannot change a column's dtype.
    """
    if not results:
        raise ValueError("no partition results to concatenate")
    keys = list(results[0])
    for i, result in enumerate(results):
        if list(result) != keys:
            raise ValueError(f"partition {i} returned frames {list(result)}, expected {keys}")
    frames = {}
    for key in keys:
        parts = [result[key] for result in results]
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        frame = frame.reset_index(drop=True)
        if key in schema.FRAMES and list(frame.columns) == list(schema.FRAMES[key]):
            frame = schema.conform(frame, schema.FRAMES[key])
        frames[key] = frame
    return frames


def context_for(part: pd.DataFrame, pool: pd.DataFrame) -> pd.DataFrame:
    """Return the articles of ``pool`` that rows of ``part`` copy but ``part`` lacks.

    Parameters
    ----------
    part : pandas.DataFrame
        A partition of an articles frame.
    pool : pandas.DataFrame
        Articles that ``duplicate_of`` may point to (the whole corpus).

    Returns
    -------
    pandas.DataFrame
        One row per article of ``pool`` named in ``part["duplicate_of"]``
        and absent from ``part``, in ``pool`` order.
    """
    wanted = set(part["duplicate_of"].dropna().tolist()) - set(part["article_id"].tolist())
    if not wanted:
        return pool.iloc[:0]
    return pool.loc[pool["article_id"].isin(wanted)]


def process_partition(
    part: pd.DataFrame,
    context: pd.DataFrame | None = None,
    *,
    process: ProcessFunc,
) -> dict[str, pd.DataFrame]:
    """Run the per-article stages on a partition, with context articles.

    Parameters
    ----------
    part : pandas.DataFrame
        Rows of ``schema.ARTICLES`` to process.
    context : pandas.DataFrame, optional
        Articles the partition's rows refer to (see :func:`context_for`):
        processed after ``part`` so the stages see them, then their rows are
        dropped from every frame.
    process : callable
        The per-article stages, articles frame in, dict of frames out (such
        as :func:`analysis.pipeline.process_articles`).

    Returns
    -------
    dict of str to pandas.DataFrame
        What ``process`` returns, restricted to the articles of ``part``:
        one row per sentence, mention or event mention of those articles.
    """
    if context is None or context.empty:
        return process(part)
    frames = process(pd.concat([part, context], ignore_index=True))
    drop = set(context["article_id"]) - set(part["article_id"])
    out = {}
    for name, frame in frames.items():
        if "article_id" in frame.columns and len(frame):
            frame = frame.loc[~frame["article_id"].isin(drop)].reset_index(drop=True)
        out[name] = frame
    return out


def process_on_dask(
    articles: pd.DataFrame,
    *,
    process: ProcessFunc,
    scheduler: str | Client | None = None,
    npartitions: int | None = None,
    context: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """Run the per-article stages on a Dask cluster, partition by partition.

    The articles are cut into contiguous partitions
    (:func:`partition_articles`), each is sent to a worker, ``process`` is
    applied to it there, and the results are gathered and concatenated in
    partition order (:func:`concat_partitions`). For a per-article
    ``process`` (like the default) the frames equal those of
    ``process(articles)`` run in-process.
    :func:`analysis.pipeline.run_stages` calls it with the package's stages.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows of ``schema.ARTICLES``; not modified.
    process : callable
        The per-partition function, articles frame in, dict of frames out,
        such as :func:`analysis.pipeline.process_articles`. It must be
        importable on the workers (on a remote cluster, install this package
        on every worker).
    scheduler : str or distributed.Client, optional
        A scheduler address, an open client, or ``None`` for a local cluster
        with one single-threaded worker per core (see :func:`dask_client`).
    npartitions : int, optional
        How many partitions to cut the corpus into; by default
        :func:`default_npartitions` for the cluster's threads.
    context : pandas.DataFrame, optional
        Further articles that ``duplicate_of`` may point to, not processed
        (as when a corpus is streamed in batches: the originals of earlier
        batches). Each partition travels with the articles it points to.

    Returns
    -------
    dict of str to pandas.DataFrame
        What ``process`` returns for all the articles, each frame's
        partitions concatenated in order.

    Raises
    ------
    SchedulerError
        When the scheduler cannot be reached.

    Examples
    --------
    >>> from analysis.pipeline import process_articles
    >>> frames = process_on_dask(corpus.articles, process=process_articles)  # doctest: +SKIP
    """
    if articles.empty:
        # nothing to distribute; the stages still give correctly typed frames
        return process(articles)
    pool = articles if context is None else pd.concat([articles, context], ignore_index=True)
    with dask_client(scheduler) as client:
        return _process_with_client(
            client, articles, pool, npartitions=npartitions, process=process
        )


def _process_with_client(
    client: Client,
    articles: pd.DataFrame,
    pool: pd.DataFrame,
    *,
    npartitions: int | None,
    process: ProcessFunc,
) -> dict[str, pd.DataFrame]:
    from distributed import as_completed

    n_threads = sum(client.nthreads().values())
    if n_threads == 0:
        raise SchedulerError("the Dask cluster has no workers")
    npartitions = npartitions or default_npartitions(len(articles), n_threads)
    parts = partition_articles(articles, npartitions=npartitions)
    held: list[Any] = []  # every future, cancelled at the end whatever happens
    futures = []
    try:
        # Scattered one by one, each partition's task is submitted as soon as
        # its data is on the cluster: the first workers start while the rest
        # is still being sent. (A partition travels as data, not inside the
        # task graph.)
        for part in parts:
            context = context_for(part, pool)
            data = client.scatter(part, hash=False)
            extra = client.scatter(context, hash=False) if len(context) else None
            held += [data] if extra is None else [data, extra]
            futures.append(
                client.submit(process_partition, data, extra, process=process, pure=False)
            )
        held += futures
        # Results are fetched as they finish, while other partitions still run.
        order = {future.key: i for i, future in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        for future in as_completed(futures, loop=client.loop):
            results[order[future.key]] = future.result()
    finally:
        client.cancel(held)
    return concat_partitions(results)
