"""Stream a corpus larger than memory through the pipeline, batch by batch.

Input files are read a batch at a time (:func:`analysis.ingest.load_articles`
on a few files), the per-article stages run on the batch (in-process or on
Dask), and the frames are appended to Parquet datasets partitioned by month,
so memory holds one batch, never the corpus. A state file keyed by each
input's content lets a rerun skip the inputs that have not changed. At the
end the incidents are built once from all the events (which are small), so
an incident reported across batches merges as it does in-process.

An analyst's corrections (``corrections=``) are applied at that end too, to
all the events at once: the per-batch ``events/`` datasets keep the
extractor's rows, ``corrected_events.parquet`` holds the events after the
corrections (what :func:`read_table` returns for ``events`` then, and what the
incidents are built from), ``corrections_applied.csv`` what they changed and
``corrections_unmatched.csv`` those that matched no event. Applying them at
the end rather than per batch means a rerun with more inputs, or with an
edited corrections file, applies every correction to every event again,
without processing a batch twice.

The output folder::

    OUT/
      _state.sqlite                          what was processed, keyed by content
      articles/month=2024-01/part-<batch>.parquet
      sentences/month=2024-01/part-<batch>.parquet
      mentions/month=2024-01/part-<batch>.parquet
      events/month=2024-01/part-<batch>.parquet
      manifest/part-<batch>.parquet
      incidents.parquet
      corrected_events.parquet               with corrections: the corrected events
      corrections_applied.csv                ... what each correction changed
      corrections_unmatched.csv              ... those that matched nothing (if any)

``month`` is the article's publication month (``unknown`` when it has no
date). Each folder is a Hive-partitioned Parquet dataset: read it with
:func:`read_table`, ``pandas.read_parquet(OUT / "events")`` or
``pyarrow.dataset.dataset(OUT / "events", partitioning="hive")``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis import __version__, schema
from analysis.corrections import apply_corrections, read_corrections, validate_corrections
from analysis.engine import dask_client, process_on_dask, process_partition
from analysis.ingest import Corpus, list_inputs, load_articles
from analysis.ingest.dedup import content_hashes
from analysis.pipeline import process_articles
from analysis.timeline import build_timeline

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

STATE_FILE = "_state.sqlite"
INCIDENTS_FILE = "incidents.parquet"
CORRECTED_EVENTS_FILE = "corrected_events.parquet"
APPLIED_FILE = "corrections_applied.csv"
UNMATCHED_FILE = "corrections_unmatched.csv"

#: At most this many input files in one batch ...
BATCH_FILES = 200
#: ... and at most this many bytes of input (a batch of one file may exceed
#: it: a file is never split). About 100,000 news articles; a batch's frames
#: then take well under a gigabyte.
BATCH_BYTES = 256 * 2**20

#: The frames written per batch (those of a pipeline run but the incidents,
#: which are built once at the end), with their schemas. Frames with a
#: ``published_date`` are partitioned by its month, frames keyed by
#: ``article_id`` by their article's month, the manifest not at all.
TABLES: dict[str, schema.Frame] = {
    name: schema.FRAMES[name] for name in schema.PIPELINE_FRAMES if name != "incidents"
}

#: The order events are read back in, whatever the batching, so incidents
#: built from a streamed corpus do not depend on how it was cut. The sort is
#: stable: an article's events (all in one file) keep the extractor's order.
EVENT_ORDER = ["published_date", "article_id"]

UNKNOWN_MONTH = "unknown"

ProcessFunc = Callable[[pd.DataFrame], dict[str, pd.DataFrame]]


class _Input(NamedTuple):
    """An input file: where it is, its content hash and size, how it was listed."""

    path: str  # resolved: the key in the state file, with the digest
    digest: str
    size: int
    listed: Path  # as the walk of the given paths found it
    root: Path  # the folder its source_id is relative to


@dataclass(frozen=True)
class StreamSummary:
    """What one call of :func:`stream_corpus` did."""

    out: Path
    n_inputs: int
    n_unchanged: int
    n_batches: int
    n_articles: int
    n_duplicates: int
    n_events: int
    n_incidents: int
    n_corrections: int = 0
    n_unmatched: int = 0

    def __str__(self) -> str:
        text = (
            f"{self.n_inputs} inputs ({self.n_unchanged} unchanged, skipped); "
            f"{self.n_batches} batch{'es' if self.n_batches != 1 else ''}, "
            f"{self.n_articles} articles "
            f"({self.n_duplicates} copies of articles of earlier batches), "
            f"{self.n_events} events; {self.n_incidents} incidents in all -> {self.out}"
        )
        if self.n_corrections or self.n_unmatched:
            text += f"; {self.n_corrections} corrections applied"
        if self.n_unmatched:
            text += f", {self.n_unmatched} matched nothing (see {UNMATCHED_FILE})"
        return text


def stream_corpus(
    paths: Iterable[str | PathLike[str]],
    out: str | PathLike[str],
    *,
    batch_files: int = BATCH_FILES,
    batch_bytes: int = BATCH_BYTES,
    engine: str = "pandas",
    scheduler: str | Client | None = None,
    tables: Sequence[str] | None = None,
    progress: bool = False,
    process: ProcessFunc | None = None,
    corrections: str | PathLike[str] | pd.DataFrame | None = None,
) -> StreamSummary:
    """Run the pipeline over a corpus in batches, appending to Parquet datasets.

    Parameters
    ----------
    paths : iterable of path-like
        Files or folders of articles, as for :func:`analysis.load_articles`.
    out : path-like
        Output folder (created). A rerun into the same folder processes only
        the inputs that are new or whose content changed, and drops the
        results of inputs that are gone.
    batch_files, batch_bytes : int
        A batch closes at this many files or bytes of input, whichever comes
        first. Memory is that of one batch.
    engine : {"pandas", "dask"}
        Process each batch in-process, or partitioned on a Dask cluster.
    scheduler : str or distributed.Client, optional
        For ``engine="dask"``: a scheduler address or an open client; a
        local cluster (kept for all batches) when omitted.
    tables : sequence of str, optional
        Which frames to keep among ``articles``, ``manifest``, ``sentences``,
        ``mentions`` and ``events`` (events are always kept: incidents are
        built from them). All by default.
    progress : bool
        Show a progress bar over batches.
    process : callable, optional
        The per-article stages, :func:`analysis.pipeline.process_articles`
        by default.
    corrections : path-like or pandas.DataFrame, optional
        An analyst's corrections, checked before anything runs and applied
        to all the events before the incidents are built (see the module's
        description). A rerun without them builds the incidents from the
        extractor's events again.

    Returns
    -------
    StreamSummary
        Counts of inputs, batches, articles and events of this run, and of
        incidents and corrections in the whole output.

    Notes
    -----
    Exact copies across batches are flagged as within one load: an article
    whose normalised body was seen in an earlier batch gets ``duplicate_of``
    (the first copy's ``article_id``) and its manifest row the status
    ``duplicate``; ids stay unique. Near-duplicates (rewrites) are found
    within a batch only, so make batches large enough to hold a news cycle.
    """

    if engine not in ("pandas", "dask"):
        raise ValueError(f"engine must be 'pandas' or 'dask', not {engine!r}")
    if batch_files < 1 or batch_bytes < 1:
        raise ValueError("batch_files and batch_bytes must be positive")
    if isinstance(corrections, pd.DataFrame):
        corrections = validate_corrections(corrections)
    elif corrections is not None:
        corrections = read_corrections(corrections)
    keep = _tables(tables)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    inputs = _inputs(list(paths))

    with _State(out / STATE_FILE) as state:
        if state.get_meta("settings") != _settings(keep):
            # another version of the toolkit or other tables: nothing is reusable
            for key in state.batch_keys():
                _drop_batch(out, state, key)
            state.set_meta("settings", _settings(keep))
        current = [
            _Input(str(found), state.content_hash(found), found.stat().st_size, listed, root)
            for listed, root, found in inputs
        ]
        present = {item[:2] for item in current}
        for key in state.batch_keys():
            if not state.batch_inputs(key) <= present:
                _drop_batch(out, state, key)
        _remove_orphans(out, set(state.batch_keys()))
        done = state.processed_inputs()
        todo = [item for item in current if item[:2] not in done]
        batches = list(_group(todo, batch_files=batch_files, batch_bytes=batch_bytes))
        if batches or state.get_meta("incidents") is None:
            # the corrected events are out of date until they are built again below
            (out / CORRECTED_EVENTS_FILE).unlink(missing_ok=True)
        state.commit()

        n_articles = n_duplicates = n_events = 0
        with _client(engine, scheduler, bool(batches)) as client:
            loaded = _loaded_batches(batches, prefetch=client is not None)
            for batch, corpus in _progress(loaded, progress, total=len(batches)):
                counts = _run_batch(
                    out,
                    state,
                    batch,
                    corpus,
                    keep=keep,
                    client=client,
                    process=process or process_articles,
                )
                n_articles += counts[0]
                n_duplicates += counts[1]
                n_events += counts[2]

        incidents_path = out / INCIDENTS_FILE
        digest = _digest(corrections)
        counts = json.loads(state.get_meta("corrections") or "{}")
        if (
            state.get_meta("incidents") is None
            or not incidents_path.exists()
            or counts.get("digest", "") != digest
        ):
            events, counts = _corrected_events(out, corrections, keep)
            incidents = build_timeline(events)
            _write_parquet(incidents, incidents_path)
            state.set_meta("incidents", str(len(incidents)))
            state.set_meta("corrections", json.dumps({**counts, "digest": digest}))
            state.commit()
        n_incidents = int(state.get_meta("incidents") or 0)

    return StreamSummary(
        out=out,
        n_inputs=len(inputs),
        n_unchanged=len(inputs) - len(todo),
        n_batches=len(batches),
        n_articles=n_articles,
        n_duplicates=n_duplicates,
        n_events=n_events,
        n_incidents=n_incidents,
        n_corrections=counts.get("applied", 0),
        n_unmatched=counts.get("unmatched", 0),
    )


def _digest(corrections: pd.DataFrame | None) -> str:
    """A digest of the corrections (empty without): a change rebuilds the incidents."""
    if corrections is None:
        return ""
    text = corrections.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _corrected_events(
    out: Path, corrections: pd.DataFrame | None, keep: list[str]
) -> tuple[pd.DataFrame, dict[str, int]]:
    """All the events, corrected when there are corrections; write what they did.

    Only the articles (and sentences) that added events name are read back.
    """
    for name in (CORRECTED_EVENTS_FILE, APPLIED_FILE, UNMATCHED_FILE):
        (out / name).unlink(missing_ok=True)
    events = _read_events(out)
    if corrections is None:
        return events, {}
    adds = corrections.loc[corrections["action"] == "add", "source_id"].dropna()
    articles = _read_matching(out, "articles", "source_id", adds.unique().tolist(), keep)
    sentences = _read_matching(
        out, "sentences", "article_id", articles["article_id"].unique().tolist(), keep
    )
    applied = apply_corrections(events, corrections, articles=articles, sentences=sentences)
    _write_parquet(applied.events, out / CORRECTED_EVENTS_FILE)
    _write_csv(applied.applied, out / APPLIED_FILE)
    if len(applied.unmatched):
        _write_csv(applied.unmatched, out / UNMATCHED_FILE)
    return applied.events, {"applied": len(applied.applied), "unmatched": len(applied.unmatched)}


def _read_matching(
    out: Path, name: str, column: str, values: list[str], keep: list[str]
) -> pd.DataFrame:
    """The rows of a streamed frame whose ``column`` is among ``values``, file by file."""
    if not values or name not in keep:
        return schema.empty(TABLES[name])
    files = sorted((out / name).rglob("part-*.parquet"))
    frames = [pq.read_table(f, filters=[(column, "in", values)]).to_pandas() for f in files]
    frames = [f for f in frames if len(f)]
    if not frames:
        return schema.empty(TABLES[name])
    return schema.conform(pd.concat(frames, ignore_index=True), TABLES[name])


def read_table(
    out: str | PathLike[str],
    name: str,
    *,
    months: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Read one frame of a streamed corpus back into memory.

    Parameters
    ----------
    out : path-like
        The output folder of :func:`stream_corpus`.
    name : str
        ``articles``, ``manifest``, ``sentences``, ``mentions``, ``events``
        or ``incidents``.
    months : sequence of str, optional
        Only these publication months (``"2024-01"``, or ``"unknown"``);
        reads only their files. Not for ``manifest`` and ``incidents``.

    Returns
    -------
    pandas.DataFrame
        The frame with the columns of its schema: one row per article,
        input, sentence, mention, event mention or incident. Files are read
        in path order (month, then batch); events are sorted by
        :data:`EVENT_ORDER`, so the result does not depend on the batching.
        When the last run applied corrections, ``events`` are the corrected
        events (added rows last, ``corrected_by`` set), those the incidents
        were built from.
    """

    out = Path(out)
    if name == "incidents":
        path = out / INCIDENTS_FILE
        if not path.exists():
            raise FileNotFoundError(f"{path} does not exist: run stream_corpus first")
        return schema.conform(pd.read_parquet(path), schema.INCIDENTS)
    if name not in TABLES:
        raise ValueError(f"no table {name!r}; choose from {[*TABLES, 'incidents']}")
    corrected = out / CORRECTED_EVENTS_FILE
    if name == "events" and corrected.exists():
        frame = schema.conform(pd.read_parquet(corrected), schema.EVENTS)
        if months is not None:
            frame = frame.loc[_months(frame["published_date"]).isin(months).to_numpy()]
        return frame.reset_index(drop=True)
    if name == "events":
        return _read_events(out, months=months)
    return _read_dataset(out, name, months=months)


def _read_events(out: Path, *, months: Sequence[str] | None = None) -> pd.DataFrame:
    """The extractor's events, in :data:`EVENT_ORDER` whatever the batching."""
    frame = _read_dataset(out, "events", months=months)
    frame = frame.sort_values(EVENT_ORDER, kind="stable", na_position="first")
    return frame.reset_index(drop=True)


def _read_dataset(out: Path, name: str, *, months: Sequence[str] | None = None) -> pd.DataFrame:
    files = sorted((out / name).rglob("part-*.parquet"))
    if months is not None:
        wanted = {f"month={m}" for m in months}
        files = [f for f in files if f.parent.name in wanted]
    frames = [pq.read_table(f).to_pandas() for f in files]
    frames = [f for f in frames if len(f)]
    if not frames:
        return schema.empty(TABLES[name])
    return schema.conform(pd.concat(frames, ignore_index=True), TABLES[name])


def _inputs(paths: list[str | PathLike[str]]) -> list[tuple[Path, Path, Path]]:
    """Each input file as listed, the root its ``source_id`` is relative to, resolved."""

    found = []
    for given in paths:
        root = Path(given) if Path(given).is_dir() else Path(given).parent
        found += [(path, root, path.resolve()) for path in list_inputs([given])]
    return found


# --- batches ---------------------------------------------------------------


def _run_batch(
    out: Path,
    state: _State,
    batch: list[_Input],
    corpus: Any,
    *,
    keep: list[str],
    client: Client | None,
    process: ProcessFunc,
) -> tuple[int, int, int]:
    key = _batch_key(batch)
    articles, manifest, context, n_dup = _flag_seen(corpus.articles, corpus.manifest, state, key)
    if client is None:
        frames = process_partition(articles, context, process=process)
    else:
        frames = process_on_dask(articles, scheduler=client, context=context, process=process)
    frames = {"articles": articles, "manifest": manifest, **frames}
    months = _article_months(articles)
    files = []
    for name in keep:
        files += _write_table(out, name, key, frames[name], months)
    state.add_batch(key, batch, files=files, n_articles=len(articles))
    state.commit()
    return len(articles), n_dup, len(frames["events"])


def _loaded_batches(batches: list[list[_Input]], *, prefetch: bool) -> Iterator[tuple[list, Any]]:
    """Yield each batch with its loaded corpus.

    On Dask the next batch is read in a thread while the workers process
    this one (the main thread only waits for them then), so reading does not
    leave the cluster idle; two batches are then in memory at once.
    """
    if not prefetch:
        for batch in batches:
            yield batch, _load_batch(batch)
        return

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="analysis-stream") as pool:
        ahead = pool.submit(_load_batch, batches[0]) if batches else None
        for i, batch in enumerate(batches):
            corpus = ahead.result()
            ahead = pool.submit(_load_batch, batches[i + 1]) if i + 1 < len(batches) else None
            yield batch, corpus


def _load_batch(batch: list[_Input]):
    """Load a batch's files as one load of the whole corpus would load them.

    ``load_articles`` names a file by its path relative to the folder given
    (its ``source_id``, which ids and record ids build on), so each batch is
    loaded from folders of symbolic links that repeat the files' paths
    relative to their roots; the manifest then gets the real paths back.
    """

    with tempfile.TemporaryDirectory(prefix="analysis-stream-") as tmp:
        folders: list[Path] = []
        real: dict[str, str] = {}
        last_root = None
        for item in batch:
            if item.root != last_root:
                folders.append(Path(tmp, str(len(folders))))
                last_root = item.root
            link = folders[-1] / item.listed.relative_to(item.root)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(item.path)
            real[str(link)] = str(item.listed)
        corpus = load_articles(folders)
    manifest = corpus.manifest.assign(
        path=corpus.manifest["path"].map(lambda p: real.get(p, p)).astype("string")
    )
    return Corpus(corpus.articles, manifest)


def _flag_seen(
    articles: pd.DataFrame, manifest: pd.DataFrame, state: _State, key: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    """Treat copies of earlier batches' articles as one load would.

    One :func:`~analysis.ingest.load_articles` call over the whole corpus
    gives an exact copy (same title and body) its own id, a hash of its text
    and ``source_id``, and points every copy of a body (compared lower-cased,
    by :func:`analysis.ingest.dedup.content_hashes`) at the first article
    with it.
    Here the ids and body hashes of earlier batches live in the state file,
    so the same happens across batches.

    Returns the articles and manifest so flagged, the context articles for
    :func:`analysis.engine.process_partition` (a stand-in for each earlier
    article copied word for word, so the stages skip the copy as they would
    in one run), and how many articles were flagged.
    """

    articles = articles.reset_index(drop=True)
    if articles.empty:
        return articles, manifest, articles, 0
    old_ids = articles["article_id"].astype(str).tolist()
    ids = list(old_ids)
    dup = [None if pd.isna(d) else str(d) for d in articles["duplicate_of"]]
    # the id digests (title and body) and the body digests that find exact copies
    digests, prints = content_hashes(articles["title"], articles["body"])
    taken = state.taken_ids(ids)
    if taken:
        renamed = {
            aid: "a" + hashlib.sha1(f"{digest}\n{source}".encode()).hexdigest()[:15]
            for aid, digest, source in zip(ids, digests, articles["source_id"], strict=True)
            if aid in taken
        }
        ids = [renamed.get(a, a) for a in ids]
        dup = [renamed.get(d, d) if d else d for d in dup]
    bodies = articles["body"].fillna("").astype(str).tolist()
    has_body = [bool(b) for b in bodies]
    raw = [hashlib.sha1(b.encode("utf-8")).hexdigest() for b in bodies]
    seen = state.seen(sorted({p for p, b in zip(prints, has_body, strict=True) if b}))
    root_of = {
        aid: seen[p] for aid, p, b in zip(ids, prints, has_body, strict=True) if b and p in seen
    }
    n_flagged = 0
    for i, aid in enumerate(ids):
        if aid in root_of:
            n_flagged += dup[i] is None
            dup[i] = root_of[aid][0]
        elif dup[i] in root_of:  # it pointed at a copy of an earlier batch's article
            dup[i] = root_of[dup[i]][0]
    raw_of = {aid: r for aid, r in zip(ids, raw, strict=True)}
    raw_of.update((root, root_raw) for root, root_raw in root_of.values())
    state.remember_ids([(aid, key) for aid in ids])
    state.remember_prints(
        [
            (p, d or aid, raw_of.get(d or aid), key)
            for p, d, aid, b in zip(prints, dup, ids, has_body, strict=True)
            if b
        ]
    )
    in_batch = set(ids)
    stand_ins = {}
    for i, d in enumerate(dup):
        if d and d not in in_batch and d not in stand_ins and raw_of.get(d) == raw[i]:
            stand_ins[d] = i
    context = articles.iloc[list(stand_ins.values())].assign(
        article_id=pd.array(list(stand_ins), dtype="string"),
        duplicate_of=pd.array([None] * len(stand_ins), dtype="string"),
    )
    if ids == old_ids and not root_of:
        return articles, manifest, context, 0
    articles = articles.assign(
        article_id=pd.array(ids, dtype="string"), duplicate_of=pd.array(dup, dtype="string")
    )
    new_id = dict(zip(old_ids, ids, strict=True))
    dup_of = dict(zip(ids, dup, strict=True))
    rows = manifest["article_id"].isin(new_id)
    article_id = manifest["article_id"].mask(rows, manifest["article_id"].map(new_id))
    duplicate_of = manifest["duplicate_of"].mask(rows, article_id.map(dup_of))
    manifest = manifest.assign(
        article_id=article_id.astype("string"),
        duplicate_of=duplicate_of.astype("string"),
        status=manifest["status"].mask(rows & duplicate_of.notna(), "duplicate"),
    )
    return articles, manifest, context, n_flagged


def _group(items: list[_Input], *, batch_files: int, batch_bytes: int) -> Iterator[list[_Input]]:
    batch: list[_Input] = []
    size = 0
    for item in items:
        if batch and (len(batch) >= batch_files or size + item[2] > batch_bytes):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += item[2]
    if batch:
        yield batch


def _batch_key(batch: list[_Input]) -> str:
    text = "\n".join(f"{item.path}\t{item.digest}" for item in batch)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _tables(tables: Sequence[str] | None) -> list[str]:
    if tables is None:
        return list(TABLES)
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise ValueError(f"unknown tables {unknown}; choose from {list(TABLES)}")
    return [t for t in TABLES if t in tables or t == "events"]


def _settings(keep: list[str]) -> str:
    return json.dumps({"version": __version__, "tables": keep})


@contextlib.contextmanager
def _client(engine: str, scheduler: str | Client | None, needed: bool) -> Iterator[Client | None]:
    if engine != "dask" or not needed:
        yield None
        return

    with dask_client(scheduler) as client:
        yield client


def _progress(items: Iterable, progress: bool, *, total: int) -> Iterable:
    if not progress or total < 2:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc="batches", unit="batch", total=total)


# --- files -----------------------------------------------------------------


def _article_months(articles: pd.DataFrame) -> pd.Series:
    """The publication month of each article, keyed by ``article_id``."""
    months = _months(articles["published_date"])
    return pd.Series(months.to_numpy(), index=articles["article_id"].astype(str).to_numpy())


def _months(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%Y-%m").fillna(UNKNOWN_MONTH).astype(str)


def _write_table(
    out: Path, name: str, key: str, frame: pd.DataFrame, article_months: pd.Series
) -> list[str]:
    frame = schema.conform(frame, TABLES[name])
    if name == "manifest":
        path = out / name / f"part-{key}.parquet"
        _write_parquet(frame, path)
        return [str(path.relative_to(out))]
    if "published_date" in frame.columns:
        month = _months(frame["published_date"])
    else:
        lookup = article_months[~article_months.index.duplicated()]
        month = frame["article_id"].astype(str).map(lookup).fillna(UNKNOWN_MONTH)
    files = []
    for value, part in frame.groupby(month.to_numpy(), sort=True):
        path = out / name / f"month={value}" / f"part-{key}.parquet"
        _write_parquet(part, path)
        files.append(str(path.relative_to(out)))
    return files


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    frame.to_csv(tmp, index=False, date_format="%Y-%m-%d", lineterminator="\n")
    os.replace(tmp, path)


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp)
    os.replace(tmp, path)  # a crash never leaves half a file under the real name


def _drop_batch(out: Path, state: _State, key: str) -> None:
    for name in state.batch_files(key):
        (out / name).unlink(missing_ok=True)
    state.drop_batch(key)


def _remove_orphans(out: Path, keys: set[str]) -> None:
    """Remove files of batches the state does not know (a run that crashed)."""
    for name in TABLES:
        for path in (out / name).rglob("part-*"):
            if path.name.split("-", 1)[1].split(".", 1)[0] not in keys:
                path.unlink()
    for path in out.rglob("*.tmp"):
        path.unlink()


# --- state -----------------------------------------------------------------


class _State:
    """What has been processed, in SQLite: on disk, so memory stays flat.

    ``inputs`` maps each processed (path, content hash) to its batch;
    ``batches`` lists each batch's files; ``seen`` maps the hash of every
    body to the ``article_id`` of its first article, ``ids`` holds every
    ``article_id`` given out (each with its batch, to drop it with the batch); ``hashes``
    caches content hashes by (path, size, mtime) so an unchanged file is not
    read again.
    """

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE IF NOT EXISTS hashes (
        path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, content_hash TEXT);
    CREATE TABLE IF NOT EXISTS batches (
        batch TEXT PRIMARY KEY, n_inputs INTEGER, n_articles INTEGER, files TEXT);
    CREATE TABLE IF NOT EXISTS inputs (
        path TEXT, content_hash TEXT, batch TEXT, PRIMARY KEY (path, content_hash));
    CREATE TABLE IF NOT EXISTS seen (
        fingerprint TEXT PRIMARY KEY, article_id TEXT, body_hash TEXT, batch TEXT);
    CREATE TABLE IF NOT EXISTS ids (article_id TEXT PRIMARY KEY, batch TEXT);
    CREATE INDEX IF NOT EXISTS ids_batch ON ids (batch);
    CREATE INDEX IF NOT EXISTS seen_batch ON seen (batch);
    CREATE INDEX IF NOT EXISTS inputs_batch ON inputs (batch);
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> _State:
        try:
            self.db = sqlite3.connect(self.path)
            self.db.executescript(self.SCHEMA)
        except sqlite3.DatabaseError as err:
            raise ValueError(
                f"{self.path} is not a stream state file ({err}); "
                "delete it, or choose another output folder"
            ) from err
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.commit()
        self.db.close()

    def commit(self) -> None:
        self.db.commit()

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def content_hash(self, path: Path) -> str:
        stat = path.stat()
        row = self.db.execute(
            "SELECT content_hash FROM hashes WHERE path = ? AND size = ? AND mtime_ns = ?",
            (str(path), stat.st_size, stat.st_mtime_ns),
        ).fetchone()
        if row:
            return row[0]
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        self.db.execute(
            "INSERT OR REPLACE INTO hashes VALUES (?, ?, ?, ?)",
            (str(path), stat.st_size, stat.st_mtime_ns, digest),
        )
        return digest

    def batch_keys(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT batch FROM batches ORDER BY batch")]

    def batch_inputs(self, key: str) -> set[tuple[str, str]]:
        rows = self.db.execute("SELECT path, content_hash FROM inputs WHERE batch = ?", (key,))
        return {(path, digest) for path, digest in rows}

    def batch_files(self, key: str) -> list[str]:
        row = self.db.execute("SELECT files FROM batches WHERE batch = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else []

    def processed_inputs(self) -> set[tuple[str, str]]:
        return {(p, h) for p, h in self.db.execute("SELECT path, content_hash FROM inputs")}

    def add_batch(
        self, key: str, batch: list[_Input], *, files: list[str], n_articles: int
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO batches VALUES (?, ?, ?, ?)",
            (key, len(batch), n_articles, json.dumps(files)),
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO inputs VALUES (?, ?, ?)",
            [(item.path, item.digest, key) for item in batch],
        )
        self.db.execute("DELETE FROM meta WHERE key = 'incidents'")  # now out of date

    def drop_batch(self, key: str) -> None:
        for table in ("batches", "inputs", "seen", "ids"):
            self.db.execute(f"DELETE FROM {table} WHERE batch = ?", (key,))
        self.db.execute("DELETE FROM meta WHERE key = 'incidents'")  # now out of date

    def _lookup(self, sql: str, values: list[str]) -> list[tuple]:
        rows: list[tuple] = []
        for start in range(0, len(values), 500):  # SQLite limits bound parameters
            chunk = values[start : start + 500]
            rows += self.db.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall()
        return rows

    def seen(self, prints: list[str]) -> dict[str, tuple[str, str]]:
        """Of normalised-body hashes, those of earlier batches.

        Each maps to the ``article_id`` of its first article and the hash of
        that article's raw body.
        """
        sql = "SELECT fingerprint, article_id, body_hash FROM seen WHERE fingerprint IN ({})"
        return {p: (aid, raw) for p, aid, raw in self._lookup(sql, prints)}

    def taken_ids(self, ids: list[str]) -> set[str]:
        """Of ``ids``, those that articles of earlier batches have."""
        sql = "SELECT article_id FROM ids WHERE article_id IN ({})"
        return {row[0] for row in self._lookup(sql, ids)}

    def remember_prints(self, rows: list[tuple[str, str, str | None, str]]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?, ?, ?)", rows)

    def remember_ids(self, rows: list[tuple[str, str]]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO ids VALUES (?, ?)", rows)
